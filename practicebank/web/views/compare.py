"""/compare?ids=a,b[,c]: systems side by side, their functions aligned by the engine."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from practicebank.catalog import store, workflow
from practicebank.web import auth, queries
from practicebank.web.api.engine_routes import MAX_COMPARE
from practicebank.web.api.errors import ApiError
from practicebank.web.views import attempt, engine, index_state

bp = Blueprint("compare", __name__)


@bp.get("/compare")
def index():
    ids = list(dict.fromkeys(i.strip() for i in request.args.get("ids", "").split(",") if i.strip()))
    if not 2 <= len(ids) <= MAX_COMPARE:
        raise ApiError(400, f"Give 2 to {MAX_COMPARE} project ids to compare, e.g. /compare?ids=a,b",
                       code="compare_ids", params={"high": MAX_COMPARE})
    with engine.services().db.read() as session:
        rows = [store.get_project(session, i) for i in ids]
        if any(r is None or not workflow.can_view(auth.actor(), r) for r in rows):
            abort(404)  # hidden records are not there for this user
        projects = [store.project_dict(r) for r in rows]
        regions = queries.regions_by_code(session)
    comparison, unavailable = attempt(engine.compare, ids)
    return render_template("compare.html", projects=projects, regions=regions, comparison=comparison,
                           unavailable=unavailable, **index_state())
