"""/search: full-text and semantic search with facets; the result downloads as CSV, XLSX or JSON.

Without a query the page browses the catalog by facets straight from the database, so it
works before any index is built; a text query needs the engine.
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request

from practicebank.catalog.files import MEDIA_TYPES, dump_bytes
from practicebank.settings import FACETS, SORTS
from practicebank.web import params
from practicebank.web.auth import public, rate_limited
from practicebank.web.views import attempt, index_state, services

bp = Blueprint("search", __name__)
EXPORT_FORMATS = ("csv", "xlsx", "json")
EXPORT_LIMIT = 10_000


def _params():
    regions = services().regions_by_code()
    query = (request.args.get("q") or "").strip()
    filters = params.parse_filters(request.args, regions)
    sort = params.parse_sort(request.args)
    return query, filters, sort, regions


@bp.get("/search")
@public
@rate_limited("engine")
def index():
    query, filters, sort, regions = _params()
    page, per_page = params.parse_paging(request.args)
    unavailable = False
    if query:
        data, unavailable = attempt(services().search, query, filters, page, per_page, sort)
    else:
        data = services().browse(filters, page, per_page, sort)
    return render_template("search.html", query=query, filters=filters, sort=sort, data=data,
                           unavailable=unavailable, regions=regions, facet_names=FACETS,
                           sorts=SORTS, export_formats=EXPORT_FORMATS, **index_state())


@bp.get("/search/export.<fmt>")
@public
@rate_limited("engine")
def export(fmt: str):
    if fmt not in EXPORT_FORMATS:
        abort(404)
    query, filters, sort, _ = _params()
    if query:
        ids = [r["id"] for r in services().search(query, filters, 1, EXPORT_LIMIT, sort).results]
    else:
        ids = [r["id"] for r in services().browse(filters, sort=sort, limit=EXPORT_LIMIT)["results"]]
    # Full records from the catalog, in the result order: exports carry every field,
    # synthetic included, whatever the engine's result objects hold.
    projects = services().projects_by_ids(ids)
    body = dump_bytes(fmt, projects)
    return Response(body, mimetype=MEDIA_TYPES[fmt],
                    headers={"Content-Disposition": f"attachment; filename=practicebank-search.{fmt}"})
