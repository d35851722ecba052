"""Catalog commands: seed, import, export, stats, regions."""
from __future__ import annotations

from pathlib import Path

import click

from practicebank.web.cli_common import _services, home_option, json_option, main
from practicebank.web.console import console, err_console, print_json, table


def _report_errors(errors, limit: int = 50) -> None:
    for error in errors[:limit]:
        err_console.print(f"  {error}", markup=False)
    if len(errors) > limit:
        err_console.print(f"  ... and {len(errors) - limit} more errors")


@main.command()
@home_option
@json_option
@click.option("--synthetic", type=click.IntRange(1, 1_000_000), default=None,
              help="Instead of the shipped catalog, generate N synthetic demo systems.")
@click.option("--seed", "random_seed", type=int, default=1, show_default=True,
              help="Random seed of the synthetic generator (same seed, same catalog).")
@click.option("--truth", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="With --synthetic: also write the ground truth (types, shared functions) to this JSON file.")
@click.option("--language", type=click.Choice(["en", "ru", "mixed"]), default="en", show_default=True,
              help="With --synthetic: en (English, as before, with ~8% Russian records), ru (all Russian) "
                   "or mixed (each record English or Russian, about half each).")
def seed(as_json: bool, synthetic: int | None, random_seed: int, truth: Path | None, language: str) -> None:
    """Load the shipped catalog from seed_data/ (or generate a synthetic one)."""
    from practicebank.catalog.importer import ImportRejected

    services = _services()
    services.ensure_database()
    try:
        if synthetic:
            outcome = services.seed_synthetic(synthetic, random_seed, truth, language=language)
        else:
            outcome = services.seed_shipped()
    except ImportRejected as rejected:
        err_console.print(f"Seeding failed, nothing was changed: {rejected}")
        _report_errors(rejected.errors)
        raise SystemExit(1)
    if as_json:
        print_json(outcome.to_json())
    else:
        what = f"{synthetic} synthetic systems (seed {random_seed}, {language})" if synthetic else "the shipped catalog"
        console.print(f"Loaded {what}: {len(outcome.created)} created, {len(outcome.updated)} updated. "
                      f"Catalog revision {outcome.revision}. Next: practicebank index")


@main.command("import")
@home_option
@json_option
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--skip-invalid", is_flag=True, help="Import the valid records and report the rest.")
def import_(as_json: bool, files: tuple[Path, ...], skip_invalid: bool) -> None:
    """Import projects (and regions) from JSON, JSON Lines, CSV or XLSX files.

    All-or-nothing by default: one invalid record and nothing changes. Records whose id is
    already in the catalog are updated.
    """
    from practicebank.catalog.files import FileError
    from practicebank.catalog.importer import ImportRejected

    services = _services()
    services.ensure_database()
    try:
        outcome = services.import_files(list(files), skip_invalid=skip_invalid)
    except FileError as error:
        raise click.ClickException(str(error))
    except ImportRejected as rejected:
        if as_json:
            print_json({"ok": False, "error": str(rejected),
                        "errors": [{**e.to_dict(), "text": str(e)} for e in rejected.errors]})
        err_console.print(f"Import rejected, nothing was changed: {rejected}. "
                          "Fix the records below, or add --skip-invalid to import the valid ones.")
        _report_errors(rejected.errors)
        raise SystemExit(1)
    if outcome.nothing and not outcome.errors:
        if as_json:
            print_json({"ok": False, "error": outcome.NOTHING, "errors": [], "revision": outcome.revision})
        err_console.print(f"{outcome.NOTHING[0].upper()}{outcome.NOTHING[1:]}; the catalog is unchanged.")
        raise SystemExit(1)
    if as_json:
        print_json(outcome.to_json())
        return
    console.print(f"Imported {len(outcome.created)} new and {len(outcome.updated)} updated projects"
                  + (f", {outcome.regions} regions" if outcome.regions else "")
                  + f". Catalog revision {outcome.revision}.")
    if outcome.errors:
        err_console.print(f"Skipped {len(outcome.skipped)} invalid records:")
        _report_errors(outcome.errors)


@main.command()
@home_option
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="File to write; the format comes from its name: .json, .jsonl, .csv or .xlsx.")
@click.option("--include-synthetic/--no-synthetic", default=True, show_default=True,
              help="Whether generated demo records are written too.")
def export(output: Path, include_synthetic: bool) -> None:
    """Export the whole catalog to a file that `import` reads back without loss."""
    from practicebank.catalog.files import FileError

    services = _services()
    services.ensure_database()
    try:
        count = services.export_file(output, include_synthetic=include_synthetic)
    except FileError as error:
        raise click.ClickException(str(error))
    console.print(f"Wrote {count} projects to {output}")


@main.command()
@home_option
@json_option
def stats(as_json: bool) -> None:
    """Counts of projects by industry, region, technology and status."""
    services = _services()
    services.ensure_database()
    data = services.stats()
    if as_json:
        print_json(data)
        return
    console.print(f"{data['projects']} projects ({data['synthetic']} synthetic) in "
                  f"{data['regions_with_projects']} of {data['regions']} regions; catalog revision {data['revision']}")
    for key in ("by_industry", "by_status", "by_technology"):
        console.print(table(key.replace("_", " "), ["code", "projects"], data[key].items()))
    console.print(table("by region (top 15)", ["region", "projects"], list(data["by_region"].items())[:15]))


@main.command()
@home_option
@json_option
def regions(as_json: bool) -> None:
    """The federal subjects with their codes, districts and groups."""
    services = _services()
    services.ensure_database()
    rows = services.regions()
    if as_json:
        print_json({"regions": rows})
        return
    console.print(table(None, ["code", "name", "название", "federal district", "group"],
                        [(r["code"], r["name_en"], r["name_ru"], r["federal_district"], r["group"]) for r in rows]))
