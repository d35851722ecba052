"""/projects/<id>: the passport of a system, with its twins and most similar systems."""
from __future__ import annotations

from flask import Blueprint, render_template

from practicebank.web import auth
from practicebank.web.auth import public
from practicebank.web.views import attempt, index_state, services

bp = Blueprint("projects", __name__)


@bp.get("/projects/<project_id>")
@public
def passport(project_id: str):
    # a record the user may not see is not there for them (404, not 403)
    project, panel = services().passport(project_id, auth.actor())
    regions = services().regions_by_code()
    based_on = services().brief(project.get("based_on", []))
    reused_by = services().reused_by(project_id)
    similar, unavailable = attempt(services().similar_or_on_demand, project, 10)  # drafts too (issue 13)
    similar = [s for s in similar or [] if s.id != project_id]
    twins = [s for s in similar if s.near_identical]
    return render_template("project.html", project=project, region=regions.get(project["region"]),
                           regions=regions, based_on=based_on, reused_by=reused_by, twins=twins,
                           similar=[s for s in similar if not s.near_identical],
                           unavailable=unavailable, wf_panel=panel, **index_state())
