"""What every `practicebank` command shares: the state on ``ctx.obj`` (home, database URL and
the Services, made once), the ``--home`` and ``--json`` options, and the ``@pass_services`` and
``@needs_index`` decorators that hand a command its Services.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

import click

from practicebank.cli.console import err_console

if TYPE_CHECKING:
    from practicebank.web.services import Services


@dataclass
class CliState:
    """What the root group knows, on ``ctx.obj``. The Services are made on first use: ``--home``
    may still come after the command, and ``--help`` or bad usage should touch no database."""

    home: str | None = None
    database_url: str | None = None
    as_json: bool = False
    _services: Services | None = None

    def services(self) -> Services:
        if self._services is None:
            from practicebank.web.services import Services

            self._services = Services.from_env(self.home, self.database_url)
            self._services.ensure_database()
        return self._services

    def app_config(self) -> dict:
        """The web app factory's keys for the same home and database (None: the environment decides)."""
        return {"PRACTICEBANK_HOME": self.home, "PRACTICEBANK_DATABASE_URL": self.database_url}


def cli_state(ctx: click.Context | None = None) -> CliState:
    """The one state of this run, kept on the root context: a command's context only inherits
    the root's ``obj`` when it exists before the command is parsed, which it may not yet."""
    return (ctx or click.get_current_context()).find_root().ensure_object(CliState)


def remember_home(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    # the command's own --home comes after the group's, so it wins when both are given
    if value:
        cli_state(ctx).home = value


HOME_HELP = "Folder for the database, indexes and caches (default $PRACTICEBANK_HOME, else ./instance)."


def home_option(command: Callable) -> Callable:
    """`--home DIR` after the command too (`practicebank stats --home DIR`)."""
    return click.option("--home", type=click.Path(file_okay=False), expose_value=False, callback=remember_home,
                        help=HOME_HELP)(command)


def _set_json(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    # the root group answers a refusal in JSON too when the command was asked for JSON
    cli_state(ctx).as_json = cli_state(ctx).as_json or value
    return value


def json_option(command: Callable) -> Callable:
    return click.option("--json", "as_json", is_flag=True, callback=_set_json,
                        help="Print one JSON document instead of text.")(command)


def pass_services(command: Callable) -> Callable:
    """Hand the command the Services of ``ctx.obj`` as its first argument."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return command(cli_state().services(), *args, **kwargs)

    return wrapper


def needs_index(command: Callable) -> Callable:
    """Like ``pass_services``, for commands that answer from the engine. Without an index the
    engine refuses (IndexNotBuilt, which the root group reports) at the command's first question
    to it, not before: the command checks its input first, so a wrong file or option is named
    even on a home that has no index yet."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        services = cli_state().services()
        answer = command(services, *args, **kwargs)
        _note_unsaved_refresh(services)
        return answer

    return wrapper


def _note_unsaved_refresh(services: Services) -> None:
    report = services.last_refresh
    if report and report.get("saved") == "not saved":
        err_console.print("Note: the index was brought up to date for this command but could not be saved.")
