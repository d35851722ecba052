"""/compare?ids=a,b[,c]: systems side by side, their functions aligned by the engine."""
from __future__ import annotations

from flask import Blueprint, render_template, request

from practicebank.web import auth, params
from practicebank.web.api.engine_routes import MAX_COMPARE
from practicebank.web.api.errors import ApiError
from practicebank.web.auth import public, rate_limited
from practicebank.web.views import attempt, index_state, services

bp = Blueprint("compare", __name__)


@bp.get("/compare")
@public
@rate_limited("engine")
def index():
    ids = list(dict.fromkeys(params.id_list(request.args)))
    if not 2 <= len(ids) <= MAX_COMPARE:
        raise ApiError(400, f"Give 2 to {MAX_COMPARE} project ids to compare, e.g. /compare?ids=a,b",
                       code="compare_ids", params={"high": MAX_COMPARE})
    projects = services().visible_projects(ids, auth.actor())  # hidden records: a 404
    regions = services().regions_by_code()
    comparison, unavailable = attempt(services().compare, ids)
    return render_template("compare.html", projects=projects, regions=regions, comparison=comparison,
                           unavailable=unavailable, **index_state())
