"""/check-plan: a ministry uploads its draft portfolio as it is (a strategy appendix in XLSX or
CSV, or the catalog's own formats) and gets, for every planned project, the systems that
already do most of it.

The upload is read first (errors in the page's language, naming row, column and what to fix);
the page then says how many projects it found and where. With JavaScript the report is
computed a few rows at a time behind a progress bar (``/check-plan/<token>/step``); without,
the result page computes it in one go. Reports are kept in memory under a random token
(``planning.reports``) for the page and its downloads: XLSX, CSV for Russian Excel, JSON.
"""
from __future__ import annotations

import threading
from typing import Any

from flask import Response, abort, jsonify, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from practicebank.catalog import taxonomy
from practicebank.catalog.portfolio import Portfolio
from practicebank.catalog.portfolio.template import template_xlsx
from practicebank.matcher.answers import CheckPlanReport
from practicebank.web import i18n
from practicebank.web.api.errors import ApiError
from practicebank.web.api.portfolio import check_count, read_upload
from practicebank.web.auth import public, rate_limited
from practicebank.web.api.reports import check_plan_csv, check_plan_xlsx, summary_figures, without_budget
from practicebank.web.views import attempt, index_state, services
from practicebank.web.views.planning import bp, reports

STEP_ROWS = 20  # projects computed per progress step (one encoder pass each; ~1 s of engine time)
SYNC_ROWS = STEP_ROWS  # a file this small is answered at once, without a progress bar
TOP_K = 5
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# What each problem of a portfolio file says, by code (the English template of catalog.portfolio
# as msgid: the API and the CLI say the English one).
ISSUES = {
    "no_title": _l("the project has no name; write it in this column"),
    "unknown_industry": _l("unknown industry «%(value)s»; write one of: %(allowed)s"),
    "unknown_status": _l("unknown status «%(value)s»; write one of: %(allowed)s"),
    "unknown_region": _l("unknown region «%(region)s»; write the region's name (Курганская область, г. Москва, ХМАО) or its code (RU-KGN)"),
    "not_an_amount": _l("«%(value)s» is not an amount; write thousand rubles such as 12 500,0 (or «–» when there is none)"),
    "not_a_period": _l("«%(value)s» is not a period; write years such as 2023–2025 or 2024"),
    "too_long": _l("%(length)s characters; at most %(limit)s"),
    "too_many_functions": _l("%(count)s functions; at most %(limit)s a project"),
    "too_much": _l("%(value)s thousand rubles is beyond any real project"),
    # the file as a whole
    "no_header": _l("no header row found in the first %(rows)s rows: the table needs a column of project names («Наименование проекта» or «Project name») and at least one more known column (download the template)"),
    "no_projects": _l("the table under the header row (row %(row)s) lists no projects"),
    "too_many_projects": _l("the file lists %(count)s projects; check at most %(limit)s at a time (split the file)"),
    "too_many_rows": _l("the file has %(rows)s rows; a portfolio is checked %(limit)s projects at a time"),
    "too_big": _l("the file is larger than %(limit)s MB"),
    "not_xlsx": _l("not an XLSX file; save the sheet as an Excel workbook (.xlsx)"),
    "bad_csv": _l("cannot read the CSV file: %(reason)s"),
    "unknown_format": _l("a portfolio is read from .xlsx or .csv files, not %(format)s"),
}
NOTES = {
    "numbers_row": _l("the row of column numbers"),
    "total_row": _l("the «Итого» row"),
    "footnote": _l("footnote rows"),
    "group_row": _l("group rows (their industry applied to the projects below)"),
    "note_row": _l("rows naming no project"),
    "column_ignored": _l("columns not used by the check"),
}


# --- the upload's problems in the page's language -------------------------------------------------------------

def issue_text(issue) -> str:
    """An Issue in the page's language: «Строка 12, столбец «Отрасль»: неизвестная отрасль …»."""
    if i18n.lang() != "ru" or issue.code not in ISSUES:
        return str(issue)
    params = dict(issue.params)
    if issue.code == "unknown_industry":
        params["allowed"] = "; ".join(ru for _, ru in taxonomy.INDUSTRIES.values())
    if issue.code == "unknown_status":
        params["allowed"] = "; ".join(ru for _, ru in taxonomy.STATUSES.values())
    try:
        message = str(ISSUES[issue.code]) % params
    except (KeyError, TypeError, ValueError):
        return str(issue)
    if issue.row and issue.column:
        return gettext("Row %(row)s, column «%(column)s»: %(message)s", row=issue.row, column=issue.column,
                       message=message)
    if issue.row:
        return gettext("Row %(row)s: %(message)s", row=issue.row, message=message)
    return message


def page_errors(error: ApiError) -> list[str]:
    issues = [d for d in error.details if hasattr(d, "template")]
    if issues:
        return [issue_text(i) for i in issues]
    from practicebank.web import messages

    return messages.page_errors(error)


def reading(portfolio: Portfolio | None, count: int, regions: dict[str, dict]) -> dict[str, Any]:
    """What the page says about the file before the report: rows, sheet, region and skips."""
    if portfolio is None:
        return {"projects": count}
    info = portfolio.summary()
    region = regions.get(info["region"]) if info["region"] else None
    info["region_name"] = i18n.region_name(region, info["region"]) if info["region"] else None
    skipped: dict[str, int] = {}
    for note in portfolio.notes:
        skipped[note.code] = skipped.get(note.code, 0) + 1
    info["skipped"] = [(str(NOTES[code]), n) for code, n in skipped.items() if code in NOTES]
    return info


# --- the report, whole or a few rows at a time ---------------------------------------------------------------

def merge(parts: list[CheckPlanReport]) -> CheckPlanReport:
    """Reports of consecutive slices of a portfolio as one: items in order, counts summed."""
    return CheckPlanReport.merge(parts)


def advance(job: dict, rows: int | None = None) -> bool:
    """Compute up to ``rows`` more projects of a job (all when None); True when the report is whole.
    False with ``job["unavailable"]`` when the engine cannot answer."""
    with job["lock"]:
        records = job["records"]
        while job["done"] < len(records) and (rows is None or rows > 0):
            # all at once when nobody watches a progress bar: one encoder pass for the whole file
            size = len(records) - job["done"] if rows is None else min(rows, STEP_ROWS)
            part, unavailable = attempt(services().check_plan, records[job["done"]:job["done"] + size], TOP_K)
            if unavailable:
                job["unavailable"] = True
                return False
            job["parts"].append(part)
            job["done"] += size
            if rows is not None:
                rows -= size
        job["done"] = min(job["done"], len(records))
        if job["done"] >= len(records) and job.get("report") is None:
            job["report"] = merge(job["parts"])
        return job.get("report") is not None


def new_job(records: list[dict], portfolio: Portfolio | None) -> dict:
    return {"kind": "portfolio", "records": records, "portfolio": portfolio, "done": 0, "parts": [], "report": None,
            "lock": threading.Lock(), "unavailable": False}


def _job(token: str) -> dict:
    job = reports.get(token)
    if not isinstance(job, dict) or job.get("kind") != "portfolio":
        abort(404)
    return job


def _regions() -> tuple[list[dict], dict[str, dict]]:
    regions = services().regions()
    return regions, {r["code"]: r for r in regions}


def _render(form, status: int = 200, **context):
    regions, by_code = _regions()
    form.fill_choices(regions)
    context.setdefault("errors", [])
    job = context.get("job")
    report = job.get("report") if job else None
    return render_template("check_plan.html", form=form, regions=by_code, report=report,
                           figures=summary_figures(report) if report else None,
                           without_budget=without_budget(report) if report else [],
                           meta=(job["portfolio"].meta if job and job.get("portfolio") else {}),
                           **context, **index_state()), status


@bp.route("/check-plan", methods=["GET", "POST"])
@public
@rate_limited("check_plan")
def check_plan():
    from practicebank.web.forms import CheckPlanForm

    form = CheckPlanForm()
    if not form.is_submitted():
        return _render(form)
    regions, by_code = _regions()
    form.fill_choices(regions)
    if not form.validate_on_submit():
        return _render(form, 400)
    try:
        records, portfolio = read_upload(form.file.data, form.region.data or None, regions)
        check_count(records)
    except ApiError as error:
        return _render(form, 400, errors=page_errors(error))
    job = new_job(records, portfolio)
    token = reports.put(job)
    info = reading(portfolio, len(records), by_code)
    if form.progress.data == "1" and len(records) > SYNC_ROWS:
        return _render(form, job=job, token=token, reading=info, pending=True)
    advance(job)
    return _render(form, job=job, token=token, reading=info, unavailable=job["unavailable"])


@bp.get("/check-plan/<token>")
@public
@rate_limited("engine")
def check_plan_result(token: str):
    from practicebank.web.forms import CheckPlanForm

    job = _job(token)
    advance(job)
    _, by_code = _regions()
    return _render(CheckPlanForm(), job=job, token=token, reading=reading(job["portfolio"], len(job["records"]), by_code),
                   unavailable=job["unavailable"])


@bp.post("/check-plan/<token>/step")
@public
@rate_limited("engine")
def check_plan_step(token: str):
    """Compute the next few projects; ``{"done", "total", "complete"}`` for the progress bar."""
    job = _job(token)
    complete = advance(job, STEP_ROWS)
    if job["unavailable"]:
        return jsonify({"ok": False, "error": "the index is not built yet", "status": 503}), 503
    return jsonify({"done": job["done"], "total": len(job["records"]), "complete": complete,
                    "url": url_for("planning.check_plan_result", token=token)})


@bp.get("/check-plan/report/<token>.<fmt>")
@public
def check_plan_download(token: str, fmt: str):
    job = reports.get(token)
    if fmt not in ("json", "csv", "xlsx") or job is None:
        abort(404)
    if isinstance(job, dict) and job.get("kind") == "portfolio":
        if not advance(job):
            abort(404)
        report, meta = job["report"], (job["portfolio"].meta if job.get("portfolio") else {})
    else:
        report, meta = job, {}
    lang = request.args.get("lang") if request.args.get("lang") in i18n.LANGUAGES else i18n.lang()
    _, by_code = _regions()
    if fmt == "csv":
        body, mimetype = check_plan_csv(report, lang, by_code, meta), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body, mimetype = check_plan_xlsx(report, lang, by_code, meta), XLSX_TYPE
    else:
        body, mimetype = report.to_json(indent=1).encode("utf-8"), "application/json"
    name = "proverka-plana" if lang == "ru" else "check-plan"
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={name}.{fmt}"})


@bp.get("/check-plan/template.<lang>.xlsx")
@public
def check_plan_template(lang: str):
    if lang not in ("ru", "en"):
        abort(404)
    name = "shablon-portfelya.xlsx" if lang == "ru" else "portfolio-template.xlsx"
    return Response(template_xlsx(lang), mimetype=XLSX_TYPE,
                    headers={"Content-Disposition": f"attachment; filename={name}"})
