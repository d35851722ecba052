"""The `practicebank` command line, beside the web app: ``main`` is the entry point.

Every command prints text for people; with ``--json`` it prints one JSON document on stdout
and nothing else there. Errors go to stderr with a non-zero exit status (group.py).
"""
from __future__ import annotations

from practicebank.cli import catalog, engine, ops, serve, users
from practicebank.cli.group import main

for command in (catalog.init, catalog.seed, catalog.import_, catalog.export, catalog.stats, catalog.regions,
                engine.index, engine.search, engine.recommend, engine.check_plan, engine.duplicates,
                engine.scale_candidates, engine.quickstart, ops.backup, ops.restore, serve.serve,
                users.users, users.audit_group):
    main.add_command(command)

__all__ = ["main"]
