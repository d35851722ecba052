"""The `practicebank` command group and what every command shares: ``--home``, ``--json`` and
the services. The commands attach themselves to ``main`` (``web/cli.py`` imports them); kept
apart from ``web/cli.py`` so that the command modules never import it back.
"""
from __future__ import annotations

import functools
import os
from typing import Any, Callable

import click


def home_option(command: Callable) -> Callable:
    """`--home DIR` on every command: where the embedded database and indexes live."""

    @click.option("--home", type=click.Path(file_okay=False), envvar="PRACTICEBANK_HOME",
                  help="Folder for the database, indexes and caches (default ./instance).")
    @functools.wraps(command)
    def wrapper(*args: Any, home: str | None = None, **kwargs: Any) -> Any:
        if home:
            os.environ["PRACTICEBANK_HOME"] = home
        return command(*args, **kwargs)

    return wrapper


def json_option(command: Callable) -> Callable:
    return click.option("--json", "as_json", is_flag=True, help="Print one JSON document instead of text.")(command)


def _group_home(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    """`practicebank --home DIR COMMAND`: the same folder as `COMMAND --home DIR` (which wins if both)."""
    if value:
        os.environ["PRACTICEBANK_HOME"] = value


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="practicebank")
@click.option("--home", type=click.Path(file_okay=False), expose_value=False, callback=_group_home,
              help="Folder for the database, indexes and caches (default ./instance); "
                   "also accepted after the command.")
def main() -> None:
    """Practice Bank: find proven regional systems to reuse instead of building them again."""


def _services():
    from practicebank.web.services import Services

    return Services.from_env()
