"""Catalog reads: projects (filtered, paginated), one project, regions, taxonomy, stats."""
from __future__ import annotations

from flask import jsonify, request

from practicebank.catalog import store, taxonomy, workflow
from practicebank.web import auth
from practicebank.web import queries
from practicebank.web.api.blueprint import api
from practicebank.web.api.errors import ApiError
from practicebank.web.views.engine import services


def region_codes() -> list[str]:
    with services().db.read() as session:
        return list(queries.regions_by_code(session))


@api.get("/projects")
def projects():
    filters = queries.parse_filters(request.args, region_codes())
    page, per_page = queries.parse_paging(request.args)
    sort = queries.parse_sort(request.args)
    with services().db.read() as session:
        return jsonify(queries.browse(session, filters, page, per_page, sort))


@api.get("/projects/<project_id>")
def project(project_id: str):
    with services().db.read() as session:
        row = store.get_project(session, project_id)
        if row is None or not workflow.can_view(auth.actor(), row):  # hidden records: 404, not 403
            raise ApiError(404, f"no project with id {project_id!r}; GET /api/v1/projects lists them")
        return jsonify(store.project_dict(row))


@api.get("/regions")
def regions():
    return jsonify(services().regions())


@api.get("/taxonomy")
def vocabularies():
    return jsonify(taxonomy.as_json())


@api.get("/stats")
def stats():
    return jsonify(services().stats())
