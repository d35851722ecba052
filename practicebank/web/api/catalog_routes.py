"""Catalog reads: projects (filtered, paginated), one project, regions, taxonomy, stats."""
from __future__ import annotations

from flask import jsonify, request

from practicebank.catalog import taxonomy
from practicebank.web import auth
from practicebank.web import params
from practicebank.web.api.blueprint import api
from practicebank.web.auth import public
from practicebank.web.views import services


def region_codes() -> list[str]:
    return list(services().regions_by_code())


@api.get("/projects")
@public
def projects():
    filters = params.parse_filters(request.args, region_codes())
    page, per_page = params.parse_paging(request.args)
    sort = params.parse_sort(request.args)
    return jsonify(services().browse(filters, page, per_page, sort))


@api.get("/projects/<project_id>")
@public
def project(project_id: str):
    return jsonify(services().visible_project(project_id, auth.actor()))  # hidden records: 404, not 403


@api.get("/regions")
@public
def regions():
    return jsonify(services().regions())


@api.get("/taxonomy")
@public
def vocabularies():
    return jsonify(taxonomy.as_json())


@api.get("/stats")
@public
def stats():
    return jsonify(services().stats())
