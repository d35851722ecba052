"""/plan and /check-plan: what a region can reuse for one planned system or a whole draft portfolio."""
from __future__ import annotations

import json
import secrets
import threading
from collections import OrderedDict

from flask import Blueprint, Response, abort, render_template

from catalog.regions import make_resolver
from web.api.errors import ApiError
from web.api.inputs import parse_upload, planned_record, valid_records
from web.api.reports import check_plan_csv
from web.forms import CheckPlanForm, PlanForm
from web.views import attempt, engine, index_state

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


@bp.route("/plan", methods=["GET", "POST"])
def plan():
    regions = engine.services().regions()
    form = PlanForm().fill_choices(regions)
    result, unavailable, errors, status = None, False, [], 200
    if form.validate_on_submit():
        try:
            planned = planned_record(form.planned(), make_resolver(regions))
        except ApiError as error:
            errors, status = error.errors or [error.error], 400
        else:
            result, unavailable = attempt(engine.recommend, planned, 10)
    elif form.is_submitted():
        status = 400
    regions_by_code = {r["code"]: r for r in regions}
    return render_template("plan.html", form=form, result=result, unavailable=unavailable, errors=errors,
                           regions=regions_by_code, **index_state()), status


@bp.route("/check-plan", methods=["GET", "POST"])
def check_plan():
    form = CheckPlanForm()
    report, token, unavailable, errors, status = None, None, False, [], 200
    if form.validate_on_submit():
        try:
            records = valid_records(parse_upload(form.file.data), make_resolver(engine.services().regions()))
        except ApiError as error:
            errors = [e.get("text", str(e)) if isinstance(e, dict) else e for e in error.errors] or [error.error]
            status = 400
        else:
            report, unavailable = attempt(engine.check_plan, records, 5)
            token = reports.put(report) if report else None
    elif form.is_submitted():
        status = 400
    regions = {r["code"]: r for r in engine.services().regions()}
    return render_template("check_plan.html", form=form, report=report, token=token, unavailable=unavailable,
                           errors=errors, regions=regions, **index_state()), status


@bp.get("/check-plan/report/<token>.<fmt>")
def check_plan_download(token: str, fmt: str):
    report = reports.get(token)
    if report is None or fmt not in ("json", "csv"):
        abort(404)
    if fmt == "csv":
        body, mimetype = check_plan_csv(report), "text/csv; charset=utf-8"
    else:
        body, mimetype = json.dumps(report, ensure_ascii=False, indent=1).encode("utf-8"), "application/json"
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f"attachment; filename=check-plan.{fmt}"})
