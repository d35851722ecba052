"""Catalog commands: init, seed, import, export, stats, regions."""
from __future__ import annotations

from pathlib import Path

import click

from practicebank.cli.common import home_option, json_option, pass_services
from practicebank.cli.console import console, err_console, print_json, table


def _report_errors(errors, limit: int = 50) -> None:
    for error in errors[:limit]:
        err_console.print(f"  {error}", markup=False)
    if len(errors) > limit:
        err_console.print(f"  ... and {len(errors) - limit} more errors")


@click.command()
@home_option
@json_option
@pass_services
def init(services, as_json: bool) -> None:
    """Create or upgrade the database (idempotent) and load regions and taxonomy."""
    # every command does this first (CliState.services): here it is all there is to do
    regions = len(services.regions())
    if as_json:
        print_json({"ok": True, "database": services.db.url, "regions": regions, "revision": services.db.revision()})
    else:
        console.print(f"Database ready: {services.db.url} ({regions} regions)")


@click.command()
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
@pass_services
def seed(services, as_json: bool, synthetic: int | None, random_seed: int, truth: Path | None, language: str) -> None:
    """Load the shipped catalog from seed_data/ (or generate a synthetic one)."""
    from practicebank.catalog.importer import ImportRejected

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


@click.command("import")
@home_option
@json_option
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--skip-invalid", is_flag=True, help="Import the valid records and report the rest.")
@pass_services
def import_(services, as_json: bool, files: tuple[Path, ...], skip_invalid: bool) -> None:
    """Import projects (and regions) from JSON, JSON Lines, CSV or XLSX files.

    All-or-nothing by default: one invalid record and nothing changes. Records whose id is
    already in the catalog are updated.
    """
    from practicebank.catalog.importer import ImportRejected

    try:  # a file that cannot be read at all is a Refusal: the root group reports it
        outcome = services.import_files(list(files), skip_invalid=skip_invalid)
    except ImportRejected as rejected:
        if as_json:
            print_json({"ok": False, "error": str(rejected),
                        "errors": [e.to_dict() for e in rejected.errors]})
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


@click.command()
@home_option
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="File to write; the format comes from its name: .json, .jsonl, .csv or .xlsx.")
@click.option("--include-synthetic/--no-synthetic", default=True, show_default=True,
              help="Whether generated demo records are written too.")
@pass_services
def export(services, output: Path, include_synthetic: bool) -> None:
    """Export the whole catalog to a file that `import` reads back without loss."""
    count = services.export_file(output, include_synthetic=include_synthetic)
    console.print(f"Wrote {count} projects to {output}")


@click.command()
@home_option
@json_option
@pass_services
def stats(services, as_json: bool) -> None:
    """Counts of projects by industry, region, technology and status."""
    data = services.stats()
    if as_json:
        print_json(data)
        return
    console.print(f"{data['projects']} projects ({data['synthetic']} synthetic) in "
                  f"{data['regions_with_projects']} of {data['regions']} regions; catalog revision {data['revision']}")
    for key in ("by_industry", "by_status", "by_technology"):
        console.print(table(key.replace("_", " "), ["code", "projects"], data[key].items()))
    console.print(table("by region (top 15)", ["region", "projects"], list(data["by_region"].items())[:15]))


@click.command()
@home_option
@json_option
@pass_services
def regions(services, as_json: bool) -> None:
    """The federal subjects with their codes, districts and groups."""
    rows = services.regions()
    if as_json:
        print_json({"regions": rows})
        return
    console.print(table(None, ["code", "name", "название", "federal district", "group"],
                        [(r["code"], r["name_en"], r["name_ru"], r["federal_district"], r["group"]) for r in rows]))
