"""/plan and /check-plan: what a region can reuse for one planned system or a whole draft portfolio."""
from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from pathlib import Path
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from practicebank.catalog.regions import make_resolver
from practicebank.errors import IndexNotBuilt
from practicebank.matcher.answers import Recommendation
from practicebank.web import messages, params
from practicebank.web.api.errors import ApiError
from practicebank.web import plan_answer
from practicebank.web.auth import public, rate_limited
from practicebank.web.forms import PlanForm
from practicebank.web.views import attempt, index_state, services

bp = Blueprint("planning", __name__)


class ReportCache:
    """The last check-plan reports of this process, so that the page can offer downloads.

    Kept in memory (bounded) rather than in the cookie session, which is far too small for a
    portfolio report; a download after a restart asks to upload again.
    """

    def __init__(self, size: int = 32):
        self.size, self._items, self._lock = size, OrderedDict(), threading.Lock()

    def put(self, report: dict) -> str:
        token = secrets.token_urlsafe(16)
        with self._lock:
            self._items[token] = report
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return token

    def get(self, token: str) -> dict | None:
        with self._lock:
            return self._items.get(token)


reports = ReportCache()


bp.add_app_template_global(plan_answer.savings_notes, "savings_notes")


@bp.route("/plan", methods=["GET", "POST"])
@public
@rate_limited("engine")
def plan():
    """The plan lives in the URL (GET: shareable, bookmarkable); the form POSTs and is
    redirected to that URL, or to ``/plan/<short-id>`` when the plan is too long for one."""
    regions = services().regions()
    if request.method == "POST":
        form = PlanForm().fill_choices(regions)
        if form.validate_on_submit():
            fields = _plan_fields(form)
            if _has_plan(fields):
                return redirect(_plan_url(fields), 303)
            _result, _unavailable, errors = _recommend(form, regions)  # says what is missing
            return _render_plan(form, regions, {}, status=400, errors=errors)
        return _render_plan(form, regions, {}, status=400)
    args = _args_with_region_codes(request.args, regions)
    form = PlanForm(formdata=args if _has_plan(args) else None, meta={"csrf": False}).fill_choices(regions)
    if not _has_plan(args):
        return _render_plan(form, regions, {})
    if not form.validate():
        return _render_plan(form, regions, {}, status=400)
    return _render_plan(form, regions, _plan_fields(form))


@bp.get("/plan/<plan_id>")
@public
@rate_limited("engine")
def shared_plan(plan_id: str):
    stored = plan_store().get(plan_id)
    if stored is None:
        abort(404)
    regions = services().regions()
    form = PlanForm(formdata=MultiDict(stored), meta={"csrf": False}).fill_choices(regions)
    if not form.validate():
        abort(404)
    return _render_plan(form, regions, _plan_fields(form), plan_id=plan_id)


@bp.get("/plan/report.<fmt>")
@bp.get("/plan/<plan_id>/report.<fmt>")
@public
@rate_limited("engine")
def plan_report(fmt: str, plan_id: str | None = None):
    """The report: ``xlsx`` (plan, matches, evidence, savings, assumptions) or ``html`` (printable)."""
    if fmt not in ("xlsx", "html"):
        abort(404)
    regions = services().regions()
    data = plan_store().get(plan_id) if plan_id else _args_with_region_codes(request.args, regions).to_dict()
    if not data or not _has_plan(MultiDict(data)):
        abort(404)
    form = PlanForm(formdata=MultiDict(data), meta={"csrf": False}).fill_choices(regions)
    if not form.validate():
        abort(400)
    fields = _plan_fields(form)
    result, unavailable, errors = _recommend(form, regions)
    if errors:
        abort(400)
    if unavailable:  # no index yet: a report would wrongly say that nothing matches
        raise IndexNotBuilt()
    by_code = {r["code"]: r for r in regions}
    share = url_for("planning.shared_plan", plan_id=plan_id, _external=True) if plan_id else \
        _plan_url(fields, external=True)
    if fmt == "xlsx":
        body = plan_answer.plan_xlsx(fields, result, by_code, share, _passports(result))
        return Response(body, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": "attachment; filename=plan-report.xlsx"})
    return render_template("plan_print.html", **_plan_context(fields, result, by_code, share))


def plan_store() -> plan_answer.PlanStore:
    store = current_app.extensions.get("practicebank_plans")
    if store is None:
        store = plan_answer.PlanStore(Path(services().home) / "plans")
        current_app.extensions["practicebank_plans"] = store
    return store


def _has_plan(args) -> bool:
    return any((args.get(k) or "").strip() for k in ("title", "description", "features"))


def _args_with_region_codes(args, regions: list[dict]) -> MultiDict:
    """``?region=Курганская обл.`` or ``?region=RU-KGN``: the form's choices are codes."""
    out = MultiDict(args)
    out.pop("lang", None)
    region = (out.get("region") or "").strip()
    if region:
        out["region"] = make_resolver(regions)(region) or region
    return out


def _plan_fields(form: PlanForm) -> dict:
    return plan_answer.canonical({"title": form.title.data, "description": form.description.data,
                                  "features": form.features.data, "region": form.region.data,
                                  "industry": form.industry.data,
                                  "budget": float(form.budget.data) if form.budget.data is not None else None})


def _plan_url(fields: dict, external: bool = False) -> str:
    """``/plan?title=…`` for a plan that fits a link, else ``/plan/<short-id>`` (stored)."""
    if len(urlencode(fields)) > plan_answer.SHORT_URL_LIMIT:
        plan_id = plan_store().put(fields)
        if plan_id:
            return url_for("planning.shared_plan", plan_id=plan_id, _external=external)
    return url_for("planning.plan", _external=external, **fields)


def _recommend(form: PlanForm, regions: list[dict]):
    try:
        planned = params.planned_record(form.planned(), make_resolver(regions))
    except ApiError as error:
        return None, False, messages.page_errors(error)  # in the page's language
    result, unavailable = attempt(services().recommend, planned, 10)
    return result, unavailable, []


def _passports(result: Recommendation | None) -> dict[str, str]:
    """id -> the full link to the passport of each system recommended (the report's last column)."""
    return {r.id: url_for("projects.passport", project_id=r.id, _external=True)
            for r in (result.results if result is not None else [])}


def _plan_context(fields: dict, result: Recommendation | None, regions: dict, share: str | None) -> dict:
    return {"plan": fields, "result": result, "regions": regions, "share_url": share,
            "readable_url": plan_answer.readable_url,
            "answer": plan_answer.headline(result, regions, fields) if result is not None else None,
            "groups": plan_answer.group_results(result.results if result is not None else []),
            "budget": plan_answer.plan_budget(result, fields),
            "rate": plan_answer.adaptation_rate(result),
            "assumptions": plan_answer.assumption_lines(result)}


def _render_plan(form: PlanForm, regions: list[dict], fields: dict, status: int = 200, plan_id: str | None = None,
                 errors: list | None = None):
    result, unavailable, errors = None, False, list(errors or [])
    if fields:
        result, unavailable, errors = _recommend(form, regions)
        status = 400 if errors else status
    by_code = {r["code"]: r for r in regions}
    share = report_xlsx = report_html = None
    if fields and not errors:
        if plan_id:
            share = url_for("planning.shared_plan", plan_id=plan_id, _external=True)
            report_xlsx = url_for("planning.plan_report", plan_id=plan_id, fmt="xlsx")
            report_html = url_for("planning.plan_report", plan_id=plan_id, fmt="html")
        else:
            share = _plan_url(fields, external=True)
            short = share.rsplit("/plan/", 1)[-1] if "/plan/" in share and "?" not in share else None
            args = {"plan_id": short} if short else fields
            report_xlsx = url_for("planning.plan_report", fmt="xlsx", **args)
            report_html = url_for("planning.plan_report", fmt="html", **args)
    context = _plan_context(fields, result, by_code, share)
    return render_template("plan.html", form=form, unavailable=unavailable, errors=errors,
                           report_xlsx=report_xlsx, report_html=report_html, **context, **index_state()), status


# /check-plan (a draft portfolio as the ministry's file) lives in web/views/portfolio.py, on this
# blueprint; web.views.pages.register imports it before registering the blueprint.
