"""Engine operations over HTTP: search, recommend, check-plan, compare, duplicates, scaling.

When the index is not built the answer is 503 in the API's error shape, never a made-up result.
"""
from __future__ import annotations

from flask import Response, jsonify, request

from catalog import store, workflow
from catalog.regions import make_resolver
from web import auth, queries
from web.api import api
from web.api.catalog_routes import region_codes
from web.api.errors import ApiError
from web.api.inputs import number_arg, parse_json_list, parse_upload, planned_record, valid_records
from web.api.reports import check_plan_csv
from web.views import engine
from web.views.engine import services

MAX_COMPARE = 5


def json_body():
    data = request.get_json(silent=True)
    if data is None:
        raise ApiError(400, "the body must be valid JSON sent with Content-Type: application/json")
    return data


def region_resolver():
    return make_resolver(services().regions())


@api.get("/search")
def search():
    query = (request.args.get("q") or "").strip()
    if not query:
        raise ApiError(400, "missing text: give the search text as ?q=...")
    filters = queries.parse_filters(request.args, region_codes())
    page, per_page = queries.parse_paging(request.args)
    return jsonify(engine.search(query, filters, page, per_page, queries.parse_sort(request.args)))


@api.post("/recommend")
def recommend():
    data = json_body()
    given = data.get("k", data.get("top")) if isinstance(data, dict) else None
    k = int(number_arg({"k": request.args.get("k", given)}, "k", 10, 1, 50, whole=True))
    return jsonify(engine.recommend(planned_record(data, region_resolver()), k=k))


@api.post("/check-plan")
def check_plan():
    if request.files:
        result = parse_upload(request.files.get("file"))
    elif request.is_json:
        result = parse_json_list(json_body())
    else:
        raise ApiError(400, "upload a draft portfolio as multipart field 'file', or send a JSON list of projects")
    k = int(number_arg(request.args, "k", 5, 1, 20, whole=True))
    fmt = request.args.get("format", "json")
    if fmt not in ("json", "csv"):
        raise ApiError(400, f"format must be json or csv, not {fmt!r}")
    report = engine.check_plan(valid_records(result, region_resolver()), k=k)
    if fmt == "csv":
        return Response(check_plan_csv(report), mimetype="text/csv",
                        headers={"Content-Disposition": "attachment; filename=check-plan.csv"})
    return jsonify(report)


@api.route("/compare", methods=["GET", "POST"])
def compare():
    if request.method == "POST":
        data = json_body()
        ids = data.get("ids") if isinstance(data, dict) else data
    else:
        ids = [i.strip() for i in (request.args.get("ids") or "").split(",") if i.strip()]
    ids = checked_ids(ids)
    try:
        return jsonify(engine.compare(ids))
    except engine.NotInIndex as error:
        raise ApiError(503, error.message) from None


def checked_ids(ids) -> list[str]:
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise ApiError(400, "ids must be a list of project ids, e.g. ?ids=a,b or {\"ids\": [\"a\", \"b\"]}")
    ids = list(dict.fromkeys(ids))
    if not 2 <= len(ids) <= MAX_COMPARE:
        raise ApiError(400, f"give 2 to {MAX_COMPARE} different project ids to compare, not {len(ids)}")
    with services().db.read() as session:
        # hidden records (drafts of others) are "not there", as on GET /projects/{id}
        missing = [i for i in ids if not _visible(store.get_project(session, i))]
    if missing:
        raise ApiError(404, f"no project with id {', '.join(map(repr, missing))}", missing)
    return ids


@api.get("/projects/<project_id>/similar")
def similar(project_id: str):
    with services().db.read() as session:
        if not _visible(store.get_project(session, project_id)):
            raise ApiError(404, f"no project with id {project_id!r}; GET /api/v1/projects lists them")
    k = int(number_arg(request.args, "k", 10, 1, 50, whole=True))
    try:
        return jsonify({"id": project_id, "results": engine.similar(project_id, k=k)})
    except engine.NotInIndex as error:
        raise ApiError(503, error.message) from None


def _visible(row) -> bool:
    return row is not None and workflow.can_view(auth.actor(), row)


@api.get("/duplicates")
def duplicates():
    threshold = number_arg(request.args, "threshold", 85, 50, 100)
    data = engine.duplicates(threshold)
    data.pop("member_facts", None)
    return jsonify(data)


@api.get("/scale-candidates")
def scale_candidates():
    top = int(number_arg(request.args, "top", 20, 1, 100, whole=True))
    return jsonify(engine.scale_candidates(top))
