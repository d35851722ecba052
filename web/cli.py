"""The `practicebank` command line.

Every command prints text for people; with ``--json`` it prints one JSON document on stdout
and nothing else there. Errors go to stderr with a non-zero exit status.
"""
from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path
from typing import Any, Callable

import click

from web.console import console, err_console, print_json, table


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


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="practicebank")
def main() -> None:
    """Practice Bank: find proven regional systems to reuse instead of building them again."""


def _services():
    from web.services import Services

    return Services.from_env()


@main.command()
@home_option
@json_option
def init(as_json: bool) -> None:
    """Create or upgrade the database (idempotent) and load regions and taxonomy."""
    from catalog.seeding import init_database

    services = _services()
    regions = init_database(services.db)
    if as_json:
        print_json({"ok": True, "database": services.db.url, "regions": regions, "revision": services.db.revision()})
    else:
        console.print(f"Database ready: {services.db.url} ({regions} regions)")


from web import cli_catalog, cli_matcher, cli_ops, cli_serve, cli_users  # noqa: E402,F401  (commands register themselves on `main`)
