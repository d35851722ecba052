"""/scale: the scaling board, practices the federal team should scale, every score explained."""
from __future__ import annotations

from flask import Blueprint, render_template, request

from web import queries
from web.api.inputs import number_arg
from web.views import attempt, engine, index_state

bp = Blueprint("scale", __name__)


@bp.get("/scale")
def index():
    top = int(number_arg(request.args, "top", 20, 1, 100, whole=True))
    data, unavailable = attempt(engine.scale_candidates, top)
    with engine.services().db.read() as session:
        regions = queries.regions_by_code(session)
    return render_template("scale.html", data=data, unavailable=unavailable, top=top, regions=regions,
                           **index_state())
