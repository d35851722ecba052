"""/duplicates: families of near-identical systems, the spend on copies, and a map by region."""
from __future__ import annotations

import math

from flask import Blueprint, Response, abort, render_template, request

from practicebank import settings
from practicebank.catalog.files import MEDIA_TYPES
from practicebank.matcher.headline import DuplicatesHeadline, HeadlineRow
from practicebank.web import desk, i18n, params
from practicebank.web.auth import public
from practicebank.web.views import attempt, index_state, services
from practicebank.web.views.tilemap import COLUMNS, GRID, ROWS, short_name

bp = Blueprint("duplicates", __name__)
METRICS = ("spend", "share")
EXPORT_FORMATS = ("csv", "xlsx", "json")
CLASSES = 5


def _list_params():
    threshold = params.number_arg(request.args, "threshold", settings.NEAR_IDENTICAL_THRESHOLD,
                                  settings.THRESHOLD_MIN, settings.THRESHOLD_MAX)
    sort = params.parse_sort(request.args, desk.DUPLICATE_SORTS, default="spend")
    return threshold, sort, params.listed(request.args, desk.FAMILY_FILTERS)


@bp.get("/duplicates")
@public
def index():
    threshold, sort, filters = _list_params()
    page, per_page = params.parse_paging(request.args)
    metric = request.args.get("metric", "spend")
    metric = metric if metric in METRICS else "spend"
    data, unavailable = attempt(services().duplicate_families, threshold, filters, sort, page, per_page)
    regions = services().regions_by_code()
    facts = services().brief([m for f in (data or {}).get("families", []) for m in f["members"]])
    headline = data["headline"] if data else None
    by_region = headline.by_region if headline else {}
    return render_template("duplicates.html", data=data, unavailable=unavailable, threshold=threshold,
                           metric=metric, metrics=METRICS, regions=regions, facts=facts, sort=sort,
                           sorts=desk.DUPLICATE_SORTS, filters=filters, h=headline, export_formats=EXPORT_FORMATS,
                           cells=map_cells(by_region, regions, metric), legend=legend(by_region, metric),
                           columns=COLUMNS, rows=ROWS, industry_bars=industry_bars(headline), **index_state())


@bp.get("/duplicates/<family_id>")
@public
def family(family_id: str):
    threshold = params.number_arg(request.args, "threshold", settings.NEAR_IDENTICAL_THRESHOLD,
                                  settings.THRESHOLD_MIN, settings.THRESHOLD_MAX)
    data, unavailable = _family(family_id, threshold)
    regions = services().regions_by_code()
    projects = services().projects_by_ids(data["shown"]) if data else []
    facts = services().brief(data["members"]) if data else {}
    return render_template("family.html", data=data, unavailable=unavailable, threshold=threshold,
                           projects=projects, regions=regions, facts=facts, export_formats=EXPORT_FORMATS,
                           **index_state())


def _family(family_id: str, threshold: float):
    # an unknown family is a desk.UnknownFamily (a 404) for the error handler
    return attempt(services().duplicate_family, family_id, threshold)


@bp.get("/duplicates/<family_id>/export.<fmt>")
@public
def family_export(family_id: str, fmt: str):
    """The family's members as a table: region, status, cost, overlap with the reference both ways."""
    if fmt not in EXPORT_FORMATS:
        abort(404)
    threshold = params.number_arg(request.args, "threshold", settings.NEAR_IDENTICAL_THRESHOLD,
                                  settings.THRESHOLD_MIN, settings.THRESHOLD_MAX)
    data, unavailable = _family(family_id, threshold)
    if unavailable:
        abort(503)
    ru = i18n.lang() == "ru"
    regions = services().regions_by_code()
    projects = services().projects_by_ids(data["members"])
    header = (["семейство", "id", "название", "эталон", "регион", "статус", "капитальные затраты, тыс. руб.",
               "эксплуатация в год, тыс. руб.", "перекрытие с эталоном, %", "перекрытие эталона с системой, %",
               "функций совпало"] if ru else
              ["family", "id", "title", "reference", "region", "status", "capex_thousand_rub",
               "opex_per_year_thousand_rub", "overlap_to_reference", "overlap_from_reference", "functions_matched"])
    rows = []
    for p in projects:
        o = data["overlaps"].get(p["id"], {})
        region = regions.get(p.get("region")) or {}
        rows.append([data["id"], p["id"], p.get("title"), p["id"] == data["reference"],
                     (region.get("name_ru") if ru else region.get("name_en")) or p.get("region"),
                     i18n.label("status", p.get("status")) if ru else p.get("status"),
                     (p.get("cost") or {}).get("capex"), (p.get("cost") or {}).get("opex_per_year"),
                     o.get("to_reference"), o.get("from_reference"), o.get("matched")])
    body = desk.table_bytes(fmt, header, rows, ru=ru)
    return Response(body, mimetype=MEDIA_TYPES[fmt],
                    headers={"Content-Disposition": f"attachment; filename=practicebank-{family_id}.{fmt}"})


def region_value(entry: HeadlineRow | None, metric: str) -> float | None:
    if not entry:
        return None
    if metric == "share":
        return entry.with_twin / entry.systems if entry.systems else None
    return entry.duplicate_capex


def _scale(by_region: dict, metric: str) -> float:
    if metric == "share":
        return 1.0
    values = [region_value(e, metric) or 0 for e in by_region.values()]
    return max(values, default=0)  # 0: no duplicated spend known anywhere


def colour_class(value: float | None, top: float) -> int:
    """0 for no data; 1..CLASSES by equal steps of the scale (share: 20% steps)."""
    if value is None:
        return 0
    return max(1, min(CLASSES, math.ceil(value / top * CLASSES))) if value > 0 and top > 0 else 1


def map_cells(by_region: dict, regions: dict, metric: str) -> list[dict]:
    top = _scale(by_region, metric)
    cells = []
    for code, (column, row) in GRID.items():
        entry = by_region.get(code)
        value = region_value(entry, metric)
        cells.append({"code": code, "column": column, "row": row, "value": value, "entry": entry or {},
                      "class": colour_class(value, top), "name": i18n.region_name(regions.get(code), code),
                      "short": short_name(code, i18n.lang())})
    return cells


def legend(by_region: dict, metric: str) -> list[tuple[int, float, float]]:
    top = _scale(by_region, metric)
    if top <= 0:  # one step "nothing known to be spent on copies" instead of five empty ranges
        return [(1, 0.0, 0.0)]
    return [(k, top * (k - 1) / CLASSES, top * k / CLASSES) for k in range(1, CLASSES + 1)]


def industry_bars(headline: DuplicatesHeadline | None) -> list[tuple[str, float]]:
    """(industry, duplicated spend) from the headline, largest first."""
    rows = headline.by_industry if headline else {}
    return sorted(((code, row.duplicate_capex) for code, row in rows.items()), key=lambda b: -b[1])
