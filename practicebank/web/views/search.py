"""/search: full-text and semantic search with facets; the result downloads as CSV, XLSX or JSON.

Without a query the page browses the catalog by facets straight from the database, so it
works before any index is built; a text query needs the engine.
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request

from practicebank.catalog import store
from practicebank.catalog.files import MEDIA_TYPES, dump_bytes
from practicebank.web import queries
from practicebank.web.views import attempt, engine, index_state

bp = Blueprint("search", __name__)
EXPORT_FORMATS = ("csv", "xlsx", "json")
EXPORT_LIMIT = 10_000


def _params():
    with engine.services().db.read() as session:
        regions = queries.regions_by_code(session)
    query = (request.args.get("q") or "").strip()
    filters = queries.parse_filters(request.args, regions)
    sort = queries.parse_sort(request.args)
    return query, filters, sort, regions


@bp.get("/search")
def index():
    query, filters, sort, regions = _params()
    page, per_page = queries.parse_paging(request.args)
    unavailable = False
    if query:
        data, unavailable = attempt(engine.search, query, filters, page, per_page, sort)
    else:
        with engine.services().db.read() as session:
            data = queries.browse(session, filters, page, per_page, sort)
    return render_template("search.html", query=query, filters=filters, sort=sort, data=data,
                           unavailable=unavailable, regions=regions, facet_names=queries.FACETS,
                           sorts=queries.SORTS, export_formats=EXPORT_FORMATS, **index_state())


@bp.get("/search/export.<fmt>")
def export(fmt: str):
    if fmt not in EXPORT_FORMATS:
        abort(404)
    query, filters, sort, _ = _params()
    with engine.services().db.read() as session:
        if query:
            ids = [r["id"] for r in engine.search(query, filters, 1, EXPORT_LIMIT, sort)["results"]]
        else:
            ids = [r["id"] for r in queries.browse(session, filters, sort=sort, limit=EXPORT_LIMIT)["results"]]
        # Full records from the catalog, in the result order: exports carry every field,
        # synthetic included, whatever the engine's result objects hold.
        projects = store.project_dicts_by_ids(session, ids)
    body = dump_bytes(fmt, projects)
    return Response(body, mimetype=MEDIA_TYPES[fmt],
                    headers={"Content-Disposition": f"attachment; filename=practicebank-search.{fmt}"})
