"""The root `practicebank` group: the global options and the one place where a domain refusal
becomes a message on stderr (or the API's JSON error under ``--json``) and exit status 1.
"""
from __future__ import annotations

from typing import Any

import click

from practicebank.cli.common import HOME_HELP, remember_home, cli_state
from practicebank.cli.console import err_console, print_json
from practicebank.errors import Refusal


class RootGroup(click.Group):
    """A group that reports a ``Refusal`` from any command below it (usage errors stay click's, status 2)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except Refusal as refusal:
            report_refusal(ctx, refusal)


def report_refusal(ctx: click.Context, refusal: Refusal) -> None:
    if cli_state(ctx).as_json:
        print_json(refusal.to_dict())
    err_console.print(f"Error: {refusal}", markup=False)
    ctx.exit(1)


def _set_database_url(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value:
        cli_state(ctx).database_url = value


@click.group(cls=RootGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="practicebank")
@click.option("--home", type=click.Path(file_okay=False), expose_value=False, callback=remember_home,
              help=HOME_HELP + " Also accepted after the command.")
@click.option("--database-url", expose_value=False, callback=_set_database_url,
              help="SQLAlchemy URL of the catalog database (default $PRACTICEBANK_DATABASE_URL, "
                   "else SQLite in the home folder).")
def main() -> None:
    """Practice Bank: find proven regional systems to reuse instead of building them again."""
