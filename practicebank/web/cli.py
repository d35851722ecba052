"""The `practicebank` command line.

Every command prints text for people; with ``--json`` it prints one JSON document on stdout
and nothing else there. Errors go to stderr with a non-zero exit status.
"""
from __future__ import annotations


from practicebank.web.cli_common import _services, home_option, json_option, main  # noqa: F401  (web.cli:main is the entry point)
from practicebank.web.console import console, print_json


@main.command()
@home_option
@json_option
def init(as_json: bool) -> None:
    """Create or upgrade the database (idempotent) and load regions and taxonomy."""
    from practicebank.catalog.seeding import init_database

    services = _services()
    regions = init_database(services.db)
    if as_json:
        print_json({"ok": True, "database": services.db.url, "regions": regions, "revision": services.db.revision()})
    else:
        console.print(f"Database ready: {services.db.url} ({regions} regions)")


from practicebank.web import cli_catalog, cli_matcher, cli_ops, cli_serve, cli_users  # noqa: E402,F401  (commands register themselves on `main`)
