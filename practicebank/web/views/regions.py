"""/regions/<code>: a region's portfolio, what it could reuse and what others reuse from it."""
from __future__ import annotations

from flask import Blueprint, abort, render_template

from practicebank.web.auth import public
from practicebank.errors import IndexNotBuilt, UnknownIds
from practicebank.web.views import index_state, services

bp = Blueprint("regions", __name__)
# Asking the engine per project is not free: look at this many of the region's projects,
# planned and in-development ones first (they are where reuse still saves money).
MAX_PROBES = 8
MIN_OVERLAP = 50
STATUS_ORDER = {"planned": 0, "in_development": 1}


@bp.get("/regions")
@public
def index():
    regions = services().regions_by_code()
    counts = services().stats().get("by_region", {})
    return render_template("regions.html", regions=regions, counts=counts)


@bp.get("/regions/<code>")
@public
def region(code: str):
    code = code.upper()
    regions = services().regions_by_code()
    if code not in regions:
        abort(404)
    page = services().region_page(code)
    could_reuse, unavailable = opportunities(page["portfolio"], code)
    return render_template("region.html", region=regions[code], regions=regions, **page,
                           could_reuse=could_reuse, unavailable=unavailable, **index_state())


def opportunities(portfolio: list[dict], code: str) -> tuple[list[dict], bool]:
    """For some of the region's projects, the best similar systems from other regions."""
    probes = sorted(portfolio, key=lambda p: STATUS_ORDER.get(p.get("status"), 2))[:MAX_PROBES]
    found = []
    for project in probes:
        try:
            similar = services().similar(project["id"], 5)
        except UnknownIds:
            continue  # published since the index was built: nothing known about it yet
        except IndexNotBuilt:
            return [], True
        others = [s for s in similar if s.region != code and (s.overlap or 0) >= MIN_OVERLAP]
        if others:
            found.append({"project": project, "matches": others[:3]})
    return found, False
