"""Engine operations over HTTP: search, recommend, check-plan, compare, duplicates, scaling.

Each route asks ``Services`` (the only gateway) and sends the typed answer's ``to_dict()``. When
the index is not built ``IndexNotBuilt`` propagates and the one error handler answers 503 in the
API's error shape, never a made-up result; ids the index does not hold are ``UnknownIds`` (404).
"""
from __future__ import annotations

from flask import Response, jsonify, request

from practicebank import settings
from practicebank.catalog.files import MEDIA_TYPES
from practicebank.catalog.limits import MAX_JSON_BODY_BYTES
from practicebank.catalog.regions import make_resolver
from practicebank.web import auth, params
from practicebank.web.api.blueprint import api
from practicebank.web.api.catalog_routes import region_codes
from practicebank.web.api.errors import ApiError
from practicebank.web.api.portfolio import check_count, read_upload
from practicebank.web.api.reports import check_plan_csv, check_plan_xlsx
from practicebank.web.auth import public, rate_limited
from practicebank.web.views import services

MAX_COMPARE = 5


def json_body(max_bytes: int | None = MAX_JSON_BODY_BYTES):
    return params.read_json(request, max_bytes)


def region_resolver():
    return make_resolver(services().regions())


@api.get("/search")
@public
@rate_limited("engine")
def search():
    query = (request.args.get("q") or "").strip()
    if not query:
        raise ApiError(400, "missing text: give the search text as ?q=...")
    filters = params.parse_filters(request.args, region_codes())
    page, per_page = params.parse_paging(request.args)
    return jsonify(services().search(query, filters, page, per_page, params.parse_sort(request.args)).to_dict())


@api.post("/recommend")
@public
@rate_limited("engine")
def recommend():
    data = json_body()
    given = data.get("k", data.get("top")) if isinstance(data, dict) else None
    k = int(params.number_arg({"k": request.args.get("k", given)}, "k", 10, 1, 50, whole=True))
    return jsonify(services().recommend(params.planned_record(data, region_resolver()), k=k).to_dict())


@api.post("/check-plan")
@public
@rate_limited("check_plan")
def check_plan():
    """A draft portfolio: a ministry's table (.xlsx/.csv as in a strategy appendix, ``?region=`` for
    the rows without one), the catalog's JSON formats, or a JSON list; the report as JSON, or as
    ``?format=csv|xlsx`` (``&lang=ru``: Russian headers, region names, `;` and decimal commas)."""
    k = int(params.number_arg(request.args, "k", 5, 1, 20, whole=True))
    fmt = request.args.get("format", "json")
    if fmt not in ("json", "csv", "xlsx"):
        raise ApiError(400, f"format must be json, csv or xlsx, not {fmt!r}")
    lang = request.args.get("lang", "en")
    if lang not in ("en", "ru"):
        raise ApiError(400, f"lang must be en or ru, not {lang!r}")
    portfolio = None
    if request.files:
        records, portfolio = read_upload(request.files.get("file"), request.args.get("region"), services().regions())
    elif request.is_json:
        records = params.valid_records(params.parse_json_list(json_body(max_bytes=None)), region_resolver())  # the upload limit
    else:
        raise ApiError(400, "upload a draft portfolio as multipart field 'file', or send a JSON list of projects")
    check_count(records)
    report = services().check_plan(records, k=k)
    meta = portfolio.meta if portfolio else {}
    if fmt in ("csv", "xlsx"):
        regions = {r["code"]: r for r in services().regions()}
        body = (check_plan_csv if fmt == "csv" else check_plan_xlsx)(report, lang, regions, meta)
        mimetype = "text/csv" if fmt == "csv" else MEDIA_TYPES["xlsx"]
        return Response(body, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename=check-plan.{fmt}"})
    if portfolio is not None:
        report.reading = {**portfolio.summary(), "notes": [n.to_dict() for n in portfolio.notes]}
        for item in report.items:
            where = meta.get(item.input_id, {})
            item.row, item.number = where.get("row"), where.get("number")
    return jsonify(report.to_dict())


@api.route("/compare", methods=["GET", "POST"])
@public
@rate_limited("engine")
def compare():
    if request.method == "POST":
        data = json_body()
        ids = data.get("ids") if isinstance(data, dict) else data
    else:
        ids = params.id_list(request.args)
    return jsonify(services().compare(checked_ids(ids)).to_dict())


def checked_ids(ids) -> list[str]:
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise ApiError(400, "ids must be a list of project ids, e.g. ?ids=a,b or {\"ids\": [\"a\", \"b\"]}")
    ids = list(dict.fromkeys(ids))
    if not 2 <= len(ids) <= MAX_COMPARE:
        raise ApiError(400, f"give 2 to {MAX_COMPARE} different project ids to compare, not {len(ids)}")
    # hidden records (drafts of others) are "not there", as on GET /projects/{id}; a draft its
    # editor sees (bearer token) is not in the index: a 404 that says so, not a 503
    return services().indexed_ids(ids, auth.actor())


@api.get("/projects/<project_id>/similar")
@public
@rate_limited("engine")
def similar(project_id: str):
    services().indexed_project(project_id, auth.actor())  # hidden or unpublished: 404
    k = int(params.number_arg(request.args, "k", 10, 1, 50, whole=True))
    return jsonify({"id": project_id, "results": [s.to_dict() for s in services().similar(project_id, k=k)]})


@api.get("/duplicates")
@public
def duplicates():
    threshold = params.number_arg(request.args, "threshold", settings.NEAR_IDENTICAL_THRESHOLD,
                                  settings.THRESHOLD_MIN, settings.THRESHOLD_MAX)
    data = dict(services().duplicates(threshold))
    families = data.get("families") or []
    facts = services().brief([m for f in families for m in f.get("members", [])])
    # a family with a generated demo member says so (the flag is the catalog's)
    data["families"] = [{**f, "synthetic": any(facts.get(m, {}).get("synthetic") for m in f.get("members", []))}
                        for f in families]
    return jsonify(data)


@api.get("/scale-candidates")
@public
def scale_candidates():
    top = int(params.number_arg(request.args, "top", 20, 1, 100, whole=True))
    data = dict(services().scale_candidates(top))
    data["candidates"] = _with_facts(data.get("candidates") or [])
    return jsonify(data)


def _with_facts(found: list[dict]) -> list[dict]:
    """Board candidates with the catalog's facts: title, region and status where missing, and the
    synthetic flag always from the catalog."""
    facts = services().brief([c.get("id") for c in found])
    out = []
    for candidate in found:
        fact = facts.get(candidate.get("id"), {})
        filled = {k: fact[k] for k in ("title", "region", "status") if candidate.get(k) is None and k in fact}
        out.append({**candidate, **filled, "synthetic": bool(fact.get("synthetic", candidate.get("synthetic", False)))})
    return out
