"""Operations commands: backup and restore of the catalog."""
from __future__ import annotations

from pathlib import Path

import click

from practicebank.cli.common import home_option, json_option, pass_services
from practicebank.cli.console import console, err_console, print_json


@click.command()
@home_option
@json_option
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Backup file to write (an SQLite database with a manifest; any backend).")
@pass_services
def backup(services, as_json: bool, output: Path) -> None:
    """Write a consistent backup of the catalog, safe while others write.

    SQLite: the online backup API; PostgreSQL: one REPEATABLE READ snapshot. The file holds a
    manifest (row counts per table, a content checksum) signed with the installation's key
    (from PRACTICEBANK_SECRET_KEY, else HOME/backup.key) that `restore` checks.
    """
    from practicebank.catalog.backup import backup as write_backup, backup_key

    manifest = write_backup(services.db, output, key=backup_key(services.home))
    if as_json:
        print_json({"ok": True, "file": str(output), **manifest.to_json()})
        return
    console.print(f"Backup written to {output}: {manifest.counts.get('projects', 0)} projects, "
                  f"catalog revision {manifest.catalog_revision}, checksum {manifest.checksum}.")


@click.command()
@home_option
@json_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a catalog that already has projects.")
@click.option("--no-index", "no_index", is_flag=True, help="Do not rebuild the indexes afterwards.")
@click.option("--trust-unsigned", "trust_unsigned", is_flag=True,
              help="Restore a backup whose signature cannot be checked here (unsigned, or signed with another "
                   "key): only a file you know nobody changed.")
@pass_services
def restore(services, as_json: bool, file: Path, force: bool, no_index: bool, trust_unsigned: bool) -> None:
    """Restore the catalog from a backup file (its signature and checksum checked), then re-index.

    The signature is checked with this installation's key (PRACTICEBANK_SECRET_KEY, else
    HOME/backup.key): restoring on another machine needs the same secret or key file.
    """
    from practicebank.catalog.backup import CatalogNotEmpty, backup_key, restore as run_restore

    try:
        report = run_restore(services.db, file, force=force, key=backup_key(services.home),
                             trust_unsigned=trust_unsigned)
    except CatalogNotEmpty as error:
        if as_json:
            print_json({"ok": False, "error": str(error), "errors": [], "status": 1})
        err_console.print(f"Restore refused: {error}")
        raise SystemExit(1)
    if not no_index:
        manifest = services.build_index()
        report["index"] = {"records": manifest["records"], "catalog_revision": manifest["catalog_revision"]}
    if as_json:
        print_json(report)
        return
    console.print(f"Restored {report['counts'].get('projects', 0)} projects from {file} "
                  f"(checksum verified, catalog revision {report['catalog_revision']})"
                  + (f", replacing {report['replaced_projects']}" if report["replaced_projects"] else "") + ".")
    console.print("Indexes rebuilt." if not no_index else "Run `practicebank index` to rebuild the indexes.")
