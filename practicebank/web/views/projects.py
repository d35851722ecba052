"""/projects/<id>: the passport of a system, with its twins and most similar systems."""
from __future__ import annotations

from flask import Blueprint, abort, render_template

from practicebank.catalog import store, workflow
from practicebank.web import auth
from practicebank.web import queries
from practicebank.web.views import attempt, engine, index_state
from practicebank.web.views import workflow as workflow_views

bp = Blueprint("projects", __name__)


@bp.get("/projects/<project_id>")
def passport(project_id: str):
    with engine.services().db.read() as session:
        row = store.get_project(session, project_id)
        if row is None or not workflow.can_view(auth.actor(), row):
            abort(404)  # a record the user may not see is not there for them (404, not 403)
        project = store.project_dict(row)
        regions = queries.regions_by_code(session)
        based_on = queries.brief(session, project.get("based_on", []))
        reused_by = queries.reused_by(session, project_id)
        panel = workflow_views.panel_for(session, row)  # the row is loaded already: no second read
    similar, unavailable = attempt(engine.similar_or_on_demand, project, 10)  # drafts too (issue 13)
    similar = [s for s in similar or [] if s.get("id") != project_id]
    twins = [s for s in similar if s.get("near_identical")]
    return render_template("project.html", project=project, region=regions.get(project["region"]),
                           regions=regions, based_on=based_on, reused_by=reused_by, twins=twins,
                           similar=[s for s in similar if not s.get("near_identical")],
                           unavailable=unavailable, wf_panel=panel, **index_state())
