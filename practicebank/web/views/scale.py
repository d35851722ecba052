"""/scale: the scaling board. Practices the federal team should scale, every score explained,
the regions that built a copy or plan one and those with neither; a curator marks a practice
``recommended_for_scaling`` or ``federal_standard`` from the board (the workflow's own actions).

The board is computed once per index revision (``web.desk``); a view filters and pages it.
"""
from __future__ import annotations

from typing import Callable

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext
from markupsafe import Markup

from practicebank.catalog import workflow
from practicebank.catalog.files import MEDIA_TYPES
from practicebank.catalog.roles import Role
from practicebank.web import desk, i18n, params
from practicebank.web.auth import actor, login_required_role, public
from practicebank.web.views import attempt, index_state, services
from practicebank.web.views.workflow import ActionForm, _act

bp = Blueprint("scale", __name__)
EXPORT_FORMATS = ("csv", "xlsx")
EXPORT_LIMIT = 100_000


def _params():
    return params.listed(request.args, desk.SCALE_FILTERS), request.args.get("no_demand") == "1"


@bp.get("/scale")
@public
def index():
    filters, with_no_demand = _params()
    page, per_page = params.parse_paging(request.args)
    data, unavailable = attempt(services().scale_board, filters, with_no_demand, page, per_page)
    who = actor()
    regions = services().regions_by_code()
    demand_ids = [i for c in (data or {}).get("candidates", []) for ids in (c.get("demand_systems") or {}).values()
                  for i in ids]
    facts = services().brief([c["id"] for c in (data or {}).get("candidates", [])] + demand_ids)
    actions = {c["id"]: [a for a in desk.SCALE_ACTIONS if workflow.can(who, a, c.get("curation_state"), c.get("region"))]
               for c in (data or {}).get("candidates", [])}
    return render_template("scale.html", data=data, unavailable=unavailable, regions=regions, facts=facts,
                           filters=filters, with_no_demand=with_no_demand, actions=actions, form=ActionForm(),
                           export_formats=EXPORT_FORMATS, region_list=region_list(regions), **index_state())


def region_list(regions: dict) -> Callable[[list[str]], Markup]:
    """Region names as links, comma-separated: each of the 85 links is made once per page (a
    board page lists up to 20 × 85 of them; a macro call per link cost most of the page)."""
    links: dict[str, Markup] = {}

    def link(code: str) -> Markup:
        if code not in links:
            links[code] = Markup('<a href="{}">{}</a>').format(url_for("regions.region", code=code),
                                                               i18n.region_name(regions.get(code), code))
        return links[code]

    return lambda codes: Markup(", ").join(link(c) for c in codes if c) or Markup("—")


@bp.post("/scale/<project_id>/<action>")
@login_required_role(Role.CURATOR, Role.ADMIN)
def mark(project_id: str, action: str):
    """The curator's mark from the board: the workflow's own transition (CSRF, policy, audit)."""
    if action not in desk.SCALE_ACTIONS:
        abort(404)
    form = ActionForm()
    _act(form, lambda s: workflow.transition(s, actor(), project_id, action, form.comment.data), gettext("Done."))
    back = request.form.get("next") or ""
    return redirect(back if back.startswith("/scale") and "//" not in back else url_for("scale.index"))


@bp.get("/scale/export.<fmt>")
@public
def export(fmt: str):
    if fmt not in EXPORT_FORMATS:
        abort(404)
    filters, with_no_demand = _params()
    data, unavailable = attempt(services().scale_board, filters, with_no_demand, 1, EXPORT_LIMIT)
    if unavailable:
        abort(503)
    ru = i18n.lang() == "ru"
    regions = services().regions_by_code()

    def names(codes):
        return [((regions.get(c) or {}).get("name_ru" if ru else "name_en") or c) if ru else c for c in codes]

    header = (["место", "id", "название", "регион", "состояние", "оценка", "спрос", "доказанность", "стоимость",
               "группа региона", "регионов со спросом", "построили копию", "планируют", "ни копии, ни плана"] if ru else
              ["rank", "id", "title", "region", "curation_state", "score", "demand", "proof", "cost", "region_group",
               "demand_regions", "built_a_copy", "plan_one", "neither"])
    rows = []
    for c in data["candidates"]:
        terms = c.get("terms") or {}
        rows.append([c.get("rank"), c["id"], c.get("title"), names([c.get("region")])[0],
                     i18n.label("curation_state", c.get("curation_state")) if ru else c.get("curation_state"),
                     c.get("score"), *[(terms.get(t) or {}).get("contribution") for t in ("demand", "proof", "cost",
                                                                                          "region_group")],
                     c.get("demand"), names(c.get("built_regions") or []), names(c.get("planned_regions") or []),
                     names(c.get("neither_regions") or [])])
    body = desk.table_bytes(fmt, header, rows, ru=ru)
    return Response(body, mimetype=MEDIA_TYPES[fmt],
                    headers={"Content-Disposition": f"attachment; filename=practicebank-scaling-board.{fmt}"})
