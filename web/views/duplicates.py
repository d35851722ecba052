"""/duplicates: families of near-identical systems, the spend on copies, and a map by region."""
from __future__ import annotations

import math

from flask import Blueprint, render_template, request

from web import i18n, queries
from web.api.inputs import number_arg
from web.views import attempt, engine, index_state
from web.views.tilemap import COLUMNS, GRID, ROWS

bp = Blueprint("duplicates", __name__)
METRICS = ("spend", "share")
CLASSES = 5


@bp.get("/duplicates")
def index():
    threshold = number_arg(request.args, "threshold", 85, 50, 100)
    metric = request.args.get("metric", "spend")
    metric = metric if metric in METRICS else "spend"
    data, unavailable = attempt(engine.duplicates, threshold)
    with engine.services().db.read() as session:
        regions = queries.regions_by_code(session)
    by_region = ((data or {}).get("headline") or {}).get("by_region") or {}
    return render_template("duplicates.html", data=data, unavailable=unavailable, threshold=threshold,
                           metric=metric, metrics=METRICS, regions=regions,
                           cells=map_cells(by_region, regions, metric), legend=legend(by_region, metric),
                           columns=COLUMNS, rows=ROWS, industry_bars=industry_bars(data), **index_state())


def region_value(entry: dict | None, metric: str) -> float | None:
    if not entry:
        return None
    if metric == "share":
        systems = entry.get("systems") or 0
        return (entry.get("with_twin") or 0) / systems if systems else None
    return entry.get("duplicate_spend")


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
                      "short": code.removeprefix("RU-")})
    return cells


def legend(by_region: dict, metric: str) -> list[tuple[int, float, float]]:
    top = _scale(by_region, metric)
    if top <= 0:  # one step "nothing known to be spent on copies" instead of five empty ranges
        return [(1, 0.0, 0.0)]
    return [(k, top * (k - 1) / CLASSES, top * k / CLASSES) for k in range(1, CLASSES + 1)]


def industry_bars(data: dict | None) -> list[tuple[str, float]]:
    """(industry, duplicated spend or count) from the headline, largest first."""
    by_industry = ((data or {}).get("headline") or {}).get("by_industry") or {}
    bars = []
    for code, value in by_industry.items():
        if isinstance(value, dict):
            value = value.get("duplicate_spend", value.get("with_twin", value.get("systems")))
        if isinstance(value, (int, float)):
            bars.append((code, float(value)))
    return sorted(bars, key=lambda b: -b[1])
