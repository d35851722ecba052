"""Matching commands: index, search, recommend, check-plan, duplicates, scale-candidates, quickstart."""
from __future__ import annotations

import time
from pathlib import Path

import click

from practicebank import settings
from practicebank.catalog.limits import MAX_MONEY
from practicebank.cli.common import cli_state, home_option, json_option, needs_index, pass_services
from practicebank.cli.console import console, err_console, print_json, table

FACET_OPTIONS = ("industry", "technology", "region", "status", "federal_district", "region_group", "cost_band")


def _finite(value: float | None) -> float | None:
    """NaN passes click's FloatRange (every comparison with it is false): refuse it here."""
    if value is not None and value != value:
        raise click.BadParameter("must be a number of thousand rubles, not NaN")
    return value


@click.command()
@home_option
@json_option
@click.option("--check", is_flag=True, help="Only report missing, stale and orphan entries; exit 1 if any.")
@pass_services
def index(services, as_json: bool, check: bool) -> None:
    """Build or bring up to date every search and matching index.

    The database is the truth: indexes are derived from it, stamped with the catalog
    revision they saw, and can always be rebuilt. Embeddings are cached by content, so a
    re-index embeds only what changed.
    """
    if check:
        report = services.check_index()
        if as_json:
            print_json(report)
        else:
            _print_check(report)
        raise SystemExit(0 if report["ok"] else 1)
    started = time.perf_counter()
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                               TimeElapsedColumn, TimeRemainingColumn)

    # A bar with counts and the time left for the embedding (the long part of a first index),
    # on stderr so that --json keeps stdout to one document; the steps after it as a spinner.
    bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("texts"), TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
                   console=err_console, transient=as_json)
    with bar:
        task = bar.add_task("reading the catalog", total=None)

        def progress(step: str) -> None:
            bar.update(task, description=step)
            if not as_json:
                bar.console.print(f"  {step}")

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=max(total, 1) if total else 1)

        manifest = services.build_index(progress, advance)
    manifest["seconds"] = round(time.perf_counter() - started, 2)
    if as_json:
        print_json(manifest)
    else:
        console.print(f"Indexed {manifest['records']} projects at catalog revision {manifest['catalog_revision']} "
                      f"in {manifest['seconds']} s.")


def _print_check(report: dict) -> None:
    if not report["built"]:
        console.print(f"No index yet: {len(report['missing'])} projects to index. Run `practicebank index`.")
        return
    console.print(f"Index at revision {report['index_revision']}, catalog at {report['catalog_revision']}.")
    for kind in ("missing", "stale", "orphan"):
        ids = report[kind]
        console.print(f"  {kind}: {len(ids)}" + (f" ({', '.join(ids[:10])}{' ...' if len(ids) > 10 else ''})" if ids else ""))
    console.print("Index is up to date." if report["ok"] else "Run `practicebank index` to repair it.")


def _facet_filters(kwargs: dict) -> dict[str, list[str]]:
    return {name: list(kwargs.pop(name)) for name in FACET_OPTIONS if kwargs.get(name)}


@click.command()
@home_option
@json_option
@click.argument("query", required=False, default="")
@click.option("--industry", multiple=True, help="Filter by industry code (repeatable).")
@click.option("--technology", multiple=True, help="Filter by technology code (repeatable).")
@click.option("--region", multiple=True, help="Filter by region code, e.g. RU-TA (repeatable).")
@click.option("--status", multiple=True, help="Filter by status (repeatable).")
@click.option("--federal-district", "federal_district", multiple=True, help="Filter by federal district.")
@click.option("--region-group", "region_group", multiple=True, help="leading, developing or needs_support.")
@click.option("--cost-band", "cost_band", multiple=True, help="under_10m, 10m_100m, 100m_1b, over_1b, unknown.")
@click.option("--page", type=click.IntRange(1), default=1, show_default=True)
@click.option("--per-page", type=click.IntRange(1, 200), default=10, show_default=True)
@click.option("--sort", type=click.Choice(["relevance", "title", "newest", "cost_asc", "cost_desc"]), default="relevance")
@needs_index
def search(services, as_json: bool, query: str, page: int, per_page: int, sort: str, **kwargs) -> None:
    """Full-text and semantic search with facet filters and counts."""
    from practicebank.catalog.taxonomy import INDUSTRIES, TECHNOLOGIES, STATUSES

    filters = _facet_filters(kwargs)
    for name, vocabulary in (("industry", INDUSTRIES), ("technology", TECHNOLOGIES), ("status", STATUSES)):
        bad = [v for v in filters.get(name, []) if v not in vocabulary]
        if bad:
            raise click.BadParameter(f"unknown {name} {', '.join(bad)}; allowed: {', '.join(vocabulary)}",
                                     param_hint=f"--{name}")
    data = services.search(query, filters, page=page, per_page=per_page, sort=sort).to_dict()
    if as_json:
        print_json(data)
        return
    console.print(f"{data['total']} projects match" + (f" {query!r}" if query else ""))
    console.print(table(None, ["id", "title", "region", "status", "score"],
                        [(r["id"], r["title"] + (" [synthetic]" if r.get("synthetic") else ""), r["region"],
                          r.get("status"), f"{r['score']:.3f}") for r in data["results"]]))
    for facet, counts in data["facets"].items():
        top = sorted(counts.items(), key=lambda kv: -kv[1])[:8]
        if top:
            console.print(f"[bold]{facet}[/bold]: " + ", ".join(f"{v} ({n})" for v, n in top))


def _split_features(value: str | None) -> list[str]:
    return [f.strip() for f in (value or "").split(";") if f.strip()]


@click.command()
@home_option
@json_option
@click.argument("text")
@click.option("--features", help="The planned system's functions, separated by ';'.")
@click.option("--region", help="Your region (code or name).")
@click.option("--industry", multiple=True, help="Industry code (repeatable).")
@click.option("--budget", type=click.FloatRange(0, MAX_MONEY), callback=lambda _c, _p, v: _finite(v),
              help="Planned budget, thousand rubles (at most 1e9: one trillion rubles).")
@click.option("--top", "k", type=click.IntRange(1, 100), default=5, show_default=True)
@click.option("--exclude-own-region", is_flag=True, help="Leave out systems of your own region.")
@needs_index
def recommend(services, as_json: bool, text: str, features: str | None, region: str | None, industry: tuple[str, ...],
              budget: float | None, k: int, exclude_own_region: bool) -> None:
    """Reusable systems for a planned one, with overlap, evidence and savings."""
    from practicebank.catalog.regions import shipped_resolver
    from practicebank.catalog.taxonomy import INDUSTRIES

    if not text.strip() and not _split_features(features):
        raise click.BadParameter("describe the planned system: a text, or its functions with --features",
                                 param_hint="TEXT")
    bad = [i for i in industry if i not in INDUSTRIES]
    if bad:
        raise click.BadParameter(f"unknown industry {', '.join(bad)}; allowed: {', '.join(INDUSTRIES)}",
                                 param_hint="--industry")
    code = None
    if region:
        code = shipped_resolver()(region)
        if code is None:
            raise click.BadParameter(f"unknown region {region!r}; `practicebank regions` lists them",
                                     param_hint="--region")
    planned = {"title": text, "features": _split_features(features), "region": code or "",
               "industries": list(industry), "budget": budget}
    data = services.recommend(planned, k=k, exclude_region=exclude_own_region).to_dict()
    if as_json:
        print_json(data)
    else:
        _print_recommendation(data)


def _print_recommendation(data: dict, indent: str = "") -> None:
    results = data["results"]
    if not results:
        console.print(f"{indent}No reusable system found.")
        return
    if data.get("query", {}).get("overlap_measured") is False:
        console.print(f"{indent}[yellow]The plan names fewer than two functions: list the functions "
                      "(--features \"F; G\") to get an overlap and savings. Ranked by similarity.[/yellow]")
    for rank, r in enumerate(results, 1):
        savings = f", estimated savings {r['estimated_savings']:,.0f} thousand rubles" if r.get("estimated_savings") else ""
        console.print(f"{indent}{rank}. [bold]{r['title']}[/bold] ({r['id']}, {r['region']}, {r.get('status') or 'status unknown'})"
                      + (" [yellow]synthetic[/yellow]" if r.get("synthetic") else ""))
        overlap = f"overlap {r['overlap']:.0f}%" if r["overlap"] is not None else "overlap not measured"
        console.print(f"{indent}   {overlap}, score {r['score']:.2f}{savings}")
        for planned, existing, similarity in r["matched_features"]:
            console.print(f"{indent}   [green]✓[/green] {planned} ≈ {existing} ({similarity:.2f})", markup=True)
        for missing in r["missing_features"]:
            console.print(f"{indent}   [red]✗[/red] {missing}")


@click.command("check-plan")
@home_option
@json_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--top", "k", type=click.IntRange(1, 50), default=3, show_default=True)
@click.option("--region", default=None,
              help="XLSX/CSV: the region of every project without its own (else read from the file's title).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the report to a .xlsx or .csv file.")
@click.option("--lang", type=click.Choice(["en", "ru"]), default="en", show_default=True,
              help="Language of the --output report (ru: Russian headers, region names, ';' and decimal commas).")
@needs_index
def check_plan(services, as_json: bool, file: Path, k: int, region: str | None, output: Path | None, lang: str) -> None:
    """Check a draft portfolio: a ministry's XLSX or CSV table as in a strategy appendix (title rows,
    merged headers, Russian or English column names), or JSON / JSON Lines in the record format."""
    from practicebank.catalog.regions import shipped_regions

    if output is not None and output.suffix.lower() not in (".xlsx", ".csv"):
        raise click.ClickException(f"--output must end in .xlsx or .csv, not {output.name!r}")
    records, meta = _portfolio_records(file, region)
    report = services.check_plan(records, k=k)
    if output is not None:
        from practicebank.web.api.reports import check_plan_csv, check_plan_xlsx

        write = check_plan_xlsx if output.suffix.lower() == ".xlsx" else check_plan_csv
        output.write_bytes(write(report, lang, {r["code"]: r for r in shipped_regions()}, meta))
        err_console.print(f"report written to {output}", markup=False)
    report = report.to_dict()
    if as_json:
        print_json(report)
        return
    for item in report["items"]:
        row = meta.get(item["input_id"], {}).get("row")
        console.print(f"[bold]{item['title']}[/bold] ({f'row {row}' if row else item['input_id']})")
        _print_recommendation(item, indent="  ")
    s = report["summary"]
    console.print(f"\n{s['planned_items']} planned projects, planned cost {s['planned_cost']:,.0f} thousand rubles; "
                  f"{s['items_with_match']} have a reusable match, {s['items_existing_elsewhere_at_threshold']} "
                  f"already exist elsewhere at ≥ {s['threshold']:.0f}%; potential savings {s['potential_savings']:,.0f} thousand rubles.")
    missing = [item for item in report["items"] if item.get("budget") is None]
    if missing:
        console.print(f"{len(missing)} projects without a budget: savings not estimated "
                      f"({'; '.join(item['title'] for item in missing[:10])}{'…' if len(missing) > 10 else ''}).")


def _portfolio_records(file: Path, region: str | None) -> tuple[list[dict], dict]:
    """The planned records of a file and, for a ministry's table, each one's row and number."""
    from practicebank.catalog.regions import find_region_in_text, shipped_resolver

    if file.suffix.lower() in (".xlsx", ".csv"):
        from practicebank.catalog.portfolio import PortfolioError, read_portfolio

        try:
            portfolio = read_portfolio(file.read_bytes(), file.suffix, resolve_region=shipped_resolver(),
                                       find_region=find_region_in_text, region=region)
        except PortfolioError as error:
            raise click.ClickException(f"cannot read {file}: {error}")
        if portfolio.errors:
            for error in portfolio.errors[:50]:
                err_console.print(f"  {error}", markup=False)
            raise click.ClickException(f"{len(portfolio.errors)} problem(s) in {file}; fix them and run again")
        info = portfolio.summary()
        where = f" ({info['region']}, from the title)" if info["region_source"] == "title" else ""
        err_console.print(f"read {info['projects']} projects from rows {info['first_row']}-{info['last_row']} "
                          f"(header row {info['header_row']}){where}", markup=False)
        return portfolio.records, portfolio.meta
    from practicebank.catalog.files import read_file, validate

    parsed = read_file(file)  # a file that cannot be read is a Refusal: the root group reports it
    valid, errors = validate(parsed, shipped_resolver())
    if errors:
        for error in errors[:50]:
            err_console.print(f"  {error}", markup=False)
        raise click.ClickException(f"{len(errors)} invalid records in {file}; fix them and run again")
    records = [p.to_record() for _, p in valid]
    if region:
        code = shipped_resolver()(region)
        if code is None:
            raise click.ClickException(f"unknown region {region!r} (practicebank regions lists them)")
        records = [{**r, "region": r.get("region") or code} for r in records]
    return records, {}


@click.command()
@home_option
@json_option
@click.option("--threshold", type=click.FloatRange(settings.THRESHOLD_MIN, settings.THRESHOLD_MAX),
              default=settings.NEAR_IDENTICAL_THRESHOLD, show_default=True,
              help="Overlap both ways (percent) that makes two systems near-identical.")
@click.option("--evidence", is_flag=True, help="With --json: include the matched functions of each pair.")
@needs_index
def duplicates(services, as_json: bool, threshold: float, evidence: bool) -> None:
    """Families of near-identical systems across regions, and what the copies cost."""
    data = services.duplicates(threshold, evidence=evidence)
    if as_json:
        print_json(data)
        return
    from practicebank.matcher.headline import DuplicatesHeadline

    h = DuplicatesHeadline.from_dict(data["headline"])
    console.print(f"{data['systems_in_families']} of {data['systems']} systems are in {len(data['families'])} families "
                  f"of near-identical systems (≥ {threshold:.0f}% both ways).")
    console.print(f"Share with a near-identical twin in another region: {h.share_with_twin:.1%}; "
                  f"spent on copies: {h.duplicate_capex:,.0f} thousand rubles; reuse would have saved "
                  f"{h.savings_capex:,.0f} thousand rubles (adaptation {h.adaptation_rate:.0%} of a copy's capex).")
    if h.copies_without_capex:
        console.print(f"{h.copies_without_capex} of {h.copies} copies have no recorded capex and are not counted: "
                      "the real spend and savings are higher.")
    console.print(table(None, ["family", "members", "regions", "overlap", "reference", "capex total"],
                        [(f["id"], len(f["members"]), len(f.get("regions", [])), f"{f['overlap']:.0f}%",
                          (f.get("reference") or {}).get("id"), f"{f.get('capex_total') or 0:,.0f}")
                         for f in data["families"][:30]]))


@click.command("scale-candidates")
@home_option
@json_option
@click.option("--top", type=click.IntRange(1, 500), default=10, show_default=True)
@needs_index
def scale_candidates(services, as_json: bool, top: int) -> None:
    """Proven practices the federal team should scale, each score explained term by term."""
    data = services.scale_candidates(top=top)
    if as_json:
        print_json(data)
        return
    for rank, c in enumerate(data["candidates"], 1):
        console.print(f"{rank}. [bold]{c['title']}[/bold] ({c['id']}, {c['region']}) score {c['score']:.2f}")
        for name, term in c["terms"].items():
            console.print(f"     {name}: +{term['contribution']:.3f}  {term.get('explanation', '')}")


@click.command()
@home_option
@click.option("--serve", is_flag=True, help="Then start the web application.")
@click.option("--port", type=int, default=8000, show_default=True)
@pass_services
def quickstart(services, serve: bool, port: int) -> None:
    """Set up the embedded database, load the shipped catalog, index it, and show a first recommendation."""
    outcome = services.seed_shipped()
    console.print(f"Catalog: {len(outcome.created)} new, {len(outcome.updated)} updated projects (shipped seed).")
    manifest = services.build_index(lambda step: console.print(f"  {step}"))
    console.print(f"Indexed {manifest['records']} projects.\n")
    # A Russian plan, as a regional ministry writes it: it finds its match in either language.
    planned = {"title": "Электронная запись в детские сады",
               "features": ["подача заявления на место в детском саду онлайн", "отслеживание очереди",
                            "уведомления родителям"], "industries": ["education"], "budget": 20000}
    console.print("[bold]A region plans:[/bold] " + planned["title"] + " — " + "; ".join(planned["features"]))
    _print_recommendation(services.recommend(planned, k=3).to_dict())
    console.print("\nNext: practicebank serve  (then open http://127.0.0.1:8000/)")
    if serve:
        from practicebank.cli.serve import run_server

        run_server(host="127.0.0.1", port=port, config=cli_state().app_config())
