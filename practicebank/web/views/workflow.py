"""The practice workflow on the web: drafts, transitions, replication requests (pages and API).

Pages use the session (CSRF-protected forms); the API writes under /api/v1 take a bearer
token only. Both ask catalog.workflow / catalog.replication, which hold the rules.
"""
from __future__ import annotations

import re

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.widgets import CheckboxInput, ListWidget
from wtforms.validators import DataRequired, Length, Optional, StopValidation

from practicebank import settings
from practicebank.catalog import browse, limits, replication, workflow
from practicebank.catalog.roles import Role
from practicebank.catalog.store import get_project, project_dict
from practicebank.catalog.taxonomy import FUNDING_SOURCES, INDUSTRIES, LICENSES, STATUSES, TECHNOLOGIES
from practicebank.web import i18n, params
from practicebank.web.auth import actor, denied, login_required_role, public, rate_limited, token_required
from practicebank.web.messages import refusal_text
from practicebank.web.views.errors import flash_refusal, flashed_refusals

bp = Blueprint("workflow", __name__)
api_bp = Blueprint("workflow_api", __name__)


class IndicatorForm(Form):
    """One row of the draft's indicators (a blank row is left out); numbers as typed, checked
    by the record's validation."""
    name = StringField(_l("Indicator"), validators=[Optional(), Length(max=limits.MAX_SHORT_TEXT_CHARS)])
    unit = StringField(_l("Unit"), validators=[Optional(), Length(max=limits.MAX_SHORT_TEXT_CHARS)])
    baseline = StringField(_l("Baseline"), validators=[Optional(), Length(max=40)])
    target = StringField(_l("Target"), validators=[Optional(), Length(max=40)])
    target_year = StringField(_l("Target year"), validators=[Optional(), Length(max=10)])
    actual = StringField(_l("Actual"), validators=[Optional(), Length(max=40)])


# The draft form's blank indicator rows (more come from the record when it has more).
INDICATOR_ROWS = 3
_NUMBER = [Optional(), Length(max=40)]


def _number(text: str | None) -> str | None:
    """A number as typed the Russian way («1 234,5») or the English way, for the record's
    validation (which says what is wrong with it); None when blank."""
    text = (text or "").strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    return text.replace(",", ".") if text else None


def _chosen(form, field) -> None:
    # not DataRequired: its "required" flag would mark every checkbox required
    if not field.data:
        raise StopValidation(_l("Choose at least one."))


class DraftForm(FlaskForm):
    # the bounds of catalog.limits (the record's validation checks them again, with every other rule)
    id = StringField(_l("Id (a-z, 0-9, - _ .)"), validators=[Optional(), Length(max=120)],
                     description=_l("Leave empty to make it from the title."))
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=limits.MAX_TITLE_CHARS)])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=limits.MAX_SUMMARY_CHARS)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=limits.MAX_DESCRIPTION_CHARS)])
    features = TextAreaField(_l("Functions, one per line"), validators=[
        Optional(), Length(max=limits.MAX_FEATURES * (limits.MAX_FEATURE_CHARS + 1))])
    industries = SelectMultipleField(_l("Industries"), validators=[_chosen],
                                     widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    technologies = SelectMultipleField(_l("Technologies"), validators=[Optional()],
                                       widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    status = SelectField(_l("Status"), validators=[Optional()])
    start_year = StringField(_l("Start year"), validators=[Optional(), Length(max=10)])
    end_year = StringField(_l("End year"), validators=[Optional(), Length(max=10)])
    capex = StringField(_l("Capital cost, thousand rubles"), validators=_NUMBER)
    opex_per_year = StringField(_l("Operating cost a year, thousand rubles"), validators=_NUMBER)
    funding_regional = StringField(_l("Regional budget, thousand rubles"), validators=_NUMBER)
    funding_federal = StringField(_l("Federal budget, thousand rubles"), validators=_NUMBER)
    funding_local = StringField(_l("Local budget, thousand rubles"), validators=_NUMBER)
    funding_extrabudgetary = StringField(_l("Extra-budgetary funds, thousand rubles"), validators=_NUMBER)
    owner = StringField(_l("Operator"), validators=[Optional(), Length(max=limits.MAX_SHORT_TEXT_CHARS)])
    vendor = StringField(_l("Supplier"), validators=[Optional(), Length(max=limits.MAX_SHORT_TEXT_CHARS)])
    contact = StringField(_l("Contact for reuse"), validators=[Optional(), Length(max=limits.MAX_SHORT_TEXT_CHARS)])
    license = SelectField(_l("Licence"), validators=[Optional()])
    based_on = StringField(_l("Based on (ids of reused records, separated by commas)"), validators=[
        Optional(), Length(max=limits.MAX_BASED_ON * 122)])
    indicators = FieldList(FormField(IndicatorForm), min_entries=INDICATOR_ROWS, max_entries=limits.MAX_INDICATORS)

    def fill_choices(self) -> "DraftForm":
        self.industries.choices = [(c, i18n.label("industry", c)) for c in INDUSTRIES]
        self.technologies.choices = [(c, i18n.label("technology", c)) for c in TECHNOLOGIES]
        self.status.choices = [("", _l("— not given —"))] + [(c, i18n.label("status", c)) for c in STATUSES]
        self.license.choices = [("", _l("— not given —"))] + [(c, i18n.label("license", c)) for c in LICENSES]
        return self

    def fill_from(self, current: dict) -> None:
        """The form showing a stored record (editing)."""
        self.id.data, self.title.data = current["id"], current["title"]
        self.summary.data, self.description.data = current.get("summary"), current.get("description")
        self.features.data = "\n".join(current.get("features", []))
        self.industries.data, self.technologies.data = current.get("industries", []), current.get("technologies", [])
        self.status.data, self.license.data = current.get("status") or "", current.get("license") or ""
        shown = lambda v: "" if v is None else (f"{v:g}" if isinstance(v, float) else str(v))  # noqa: E731
        self.start_year.data, self.end_year.data = shown(current.get("start_year")), shown(current.get("end_year"))
        cost, funding = current.get("cost") or {}, current.get("funding") or {}
        self.capex.data, self.opex_per_year.data = shown(cost.get("capex")), shown(cost.get("opex_per_year"))
        for source in FUNDING_SOURCES:
            getattr(self, f"funding_{source}").data = shown(funding.get(source))
        self.owner.data, self.vendor.data = current.get("owner") or "", current.get("vendor") or ""
        self.contact.data = current.get("contact") or ""
        self.based_on.data = ", ".join(current.get("based_on", []))
        rows = current.get("indicators", [])
        while len(self.indicators) < len(rows) + 1 and len(self.indicators) < limits.MAX_INDICATORS:
            self.indicators.append_entry()
        for entry, row in zip(self.indicators, rows):
            for key in ("name", "unit", "baseline", "target", "target_year", "actual"):
                entry[key].data = shown(row.get(key))

    def indicator_rows(self) -> list[tuple[int, dict]]:
        """(form row, indicator) of each row not left blank."""
        out = []
        for n, entry in enumerate(self.indicators):
            row = {"name": (entry["name"].data or "").strip() or None, "unit": (entry["unit"].data or "").strip() or None,
                   **{k: _number(entry[k].data) for k in ("baseline", "target", "target_year", "actual")}}
            if any(v is not None for v in row.values()):
                out.append((n, {k: v for k, v in row.items() if v is not None}))
        return out

    def record(self, region: str, base: dict | None = None) -> dict:
        data = dict(base or {})
        cost = {k: _number(getattr(self, k).data) for k in ("capex", "opex_per_year")}
        funding = {s: _number(getattr(self, f"funding_{s}").data) for s in FUNDING_SOURCES}
        cost, funding = ({k: v for k, v in d.items() if v is not None} for d in (cost, funding))
        based_on = [b for b in re.split(r"[\s,;]+", self.based_on.data or "") if b]
        data.update(id=(self.id.data or "").strip(), title=(self.title.data or "").strip(), region=region,
                    summary=self.summary.data or None, description=self.description.data or None,
                    features=[f.strip() for f in (self.features.data or "").splitlines() if f.strip()],
                    industries=list(self.industries.data or []), technologies=list(self.technologies.data or []),
                    status=self.status.data or None, license=self.license.data or None,
                    start_year=_number(self.start_year.data), end_year=_number(self.end_year.data),
                    cost=cost or None, funding=funding or None,
                    owner=(self.owner.data or "").strip() or None, vendor=(self.vendor.data or "").strip() or None,
                    contact=(self.contact.data or "").strip() or None,
                    based_on=based_on, indicators=[row for _n, row in self.indicator_rows()])
        return {k: v for k, v in data.items() if v is not None}

    def field_for(self, path: str | None):
        """The form field a record error's path (``cost.capex``, ``indicators[0].name``) is about."""
        parts = re.findall(r"[^.\[\]]+|\[\d+\]", path or "")
        if not parts:
            return None
        top = parts[0]
        if top == "indicators" and len(parts) >= 2 and parts[1].startswith("["):
            rows = self.indicator_rows()
            index = int(parts[1][1:-1])
            if index < len(rows):
                entry = self.indicators[rows[index][0]]
                return entry[parts[2]] if len(parts) > 2 and parts[2] in entry._fields else entry["name"]
            return None
        if top in ("cost",) and len(parts) > 1:
            return getattr(self, parts[1], None)
        if top == "funding" and len(parts) > 1:
            return getattr(self, f"funding_{parts[1]}", None)
        field = getattr(self, top, None)
        return field if top in self._fields else None


class ActionForm(FlaskForm):
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=5000)])


class ReplicationForm(FlaskForm):
    comment = TextAreaField(_l("Why your region wants to reuse it"), validators=[Optional(), Length(max=5000)])
    adopting_project_id = StringField(_l("Your region's record, if it exists (id)"),
                                      validators=[Optional(), Length(max=120)])


def _db():
    return current_app.extensions["practicebank"].db


def _act(form, change, done: str) -> None:
    """One form-posted change: 400 for a bad form, the change in one write transaction, a
    refusal flashed (a hidden record's 404 and a 403 go to the error handler), a flash on
    success; the caller redirects."""
    if not form.validate_on_submit():
        abort(400)
    with flashed_refusals():
        with _db().write() as s:
            change(s)
        flash(done, "ok")


# ------------------------------------------------------------------------------------ pages
@bp.get("/workspace")
@login_required_role(Role.EDITOR, Role.CURATOR, Role.ADMIN)
def workspace():
    who = actor()
    with _db().read() as s:
        queue = [{**project_dict(p), "curation_state": p.curation_state,
                  "return_comment": workflow.last_return_comment(s, p.id) if p.curation_state == "returned" else None}
                 for p in workflow.region_queue(s, who)]
        requests_ = replication.requests_for(s, who)
        regions = browse.regions_by_code(s)
    return render_template("workspace.html", queue=queue, requests=requests_, form=ActionForm(), regions=regions,
                           awaiting=awaiting_count(),
                           can_create=who.role == Role.EDITOR and workflow.can_create(who, who.region))


# What awaits each role (the header's and the workspace's counter): the drafts a curator is to
# review; the returned drafts an editor is to correct.
AWAITING_STATE = {Role.CURATOR: "submitted", Role.EDITOR: "returned"}


def awaiting_count() -> int:
    """How many records await the current user (0 for anyone else); a Jinja global."""
    who = actor()
    state = AWAITING_STATE.get(getattr(who, "role", None))
    if state is None or not who.active:
        return 0
    editor = who.role == Role.EDITOR
    if editor and who.region is None:  # an editor's count is of their own region's records
        return 0
    with _db().read() as s:
        return workflow.count_in_state(s, state, who.region if editor else None)


@bp.route("/projects/new", methods=["GET", "POST"])
@login_required_role(Role.EDITOR)
def new_draft():
    who = actor()
    form = DraftForm().fill_choices()
    if form.validate_on_submit():
        def save(s):
            if not (form.id.data or "").strip():  # made from the title (transliterated), unique
                form.id.data = unique_slug(s, form.title.data)
            return workflow.save_draft(s, who, form.record(who.region), create=True)

        saved = _save_draft(form, save)
        if saved:
            return redirect(url_for("projects.passport", project_id=saved))
    elif form.is_submitted():
        _check_as_record(form, who.region)
    return render_template("draft_form.html", form=form, creating=True, region=_region(who.region)), \
        400 if form.errors else 200


@bp.route("/projects/<project_id>/edit", methods=["GET", "POST"])
@login_required_role(Role.EDITOR)
def edit_draft(project_id: str):
    who = actor()
    with _db().read() as s:
        row = workflow.visible_project(s, who, project_id)
        if not workflow.can(who, "edit", row.curation_state, row.region_code):
            denied(f"cannot edit {project_id} ({row.curation_state})", 403)
        current = project_dict(row)
        return_comment = workflow.last_return_comment(s, project_id) if row.curation_state == "returned" else None
    form = DraftForm().fill_choices()
    if request.method == "GET":
        form.fill_from(current)
    elif form.validate_on_submit():
        form.id.data = project_id  # the id of a record never changes
        if _save_draft(form, lambda s: workflow.save_draft(s, who, form.record(current["region"], current),
                                                           create=False)):
            return redirect(url_for("projects.passport", project_id=project_id))
    elif form.is_submitted():
        form.id.data = project_id
        _check_as_record(form, current["region"], current)
    return render_template("draft_form.html", form=form, creating=False, project_id=project_id,
                           region=_region(current["region"]), return_comment=return_comment), \
        400 if form.errors else 200


def _check_as_record(form: "DraftForm", region: str, base: dict | None = None) -> None:
    """A form that the form's own checks refused is checked as a record as well, so that every
    problem shows at once (each field keeps its first message)."""
    from practicebank.web import messages

    record = form.record(region, base)
    record["id"] = record.get("id") or slugify(record.get("title") or "")
    record["title"] = record.get("title") or "-"  # a missing title is already marked
    try:
        with _db().read() as s:
            workflow.validate_record(s, record)
    except workflow.RecordInvalid as error:
        for detail in error.details:
            field = form.field_for(getattr(detail, "field", None))
            if field is not None and not field.errors:
                field.errors = [messages.record_error_message(detail)]


def _region(code: str | None) -> str:
    """A region's name in the page's language (its code when unknown)."""
    with _db().read() as s:
        return i18n.region_name(browse.regions_by_code(s).get(code), code)


def slugify(title: str) -> str:
    """A record id from a title: Cyrillic transliterated to Latin, lower case, words joined by
    «-» («Электронная запись в детские сады» -> «elektronnaya-zapis-v-detskie-sady»)."""
    from anyascii import anyascii  # ISC licence (Unidecode is GPL)

    text = anyascii(title or "").lower().replace("'", "")
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:80].strip("-")
    return slug or "draft"


def unique_slug(s, title: str) -> str:
    """``slugify(title)``, with «-2», «-3»… when a record already has that id."""
    base = slugify(title)
    slug, n = base, 1
    while get_project(s, slug) is not None:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _save_draft(form: FlaskForm, save) -> str | None:
    """A draft written in one transaction: its id, or None after a refusal (shown on the form)."""
    try:
        with _db().write() as s:
            project_id = save(s).id
    except workflow.WorkflowError as error:
        flash_refusal(error)
        _form_errors(form, error)
        return None
    flash(gettext("Draft saved."), "ok")
    return project_id


def _form_errors(form: FlaskForm, error: Exception) -> None:
    """A refusal on the form: each invalid value under its own field, in the page's language."""
    from practicebank.web import messages

    details = getattr(error, "details", None) if isinstance(error, workflow.RecordInvalid) else None
    if not details:
        form.form_errors.append(refusal_text(error))
        form.id.errors = list(form.id.errors or [])
        return
    form.form_errors.append(gettext("The draft was not saved: correct the fields marked below."))
    for detail in details:
        field = form.field_for(getattr(detail, "field", None))
        if field is None:
            form.form_errors.append(messages.record_error_text(detail))
        else:
            field.errors = [*(field.errors or []), messages.record_error_message(detail)]


@bp.post("/projects/<project_id>/workflow/<action>")
@login_required_role(Role.EDITOR, Role.CURATOR, Role.ADMIN)
def transition(project_id: str, action: str):
    form = ActionForm()
    if action == "submit" and not request.form.get("confirm") and form.validate_on_submit():
        existing = _already_exists(project_id)
        if existing:  # "does this already exist?": ask before the curators spend time on it
            with _db().read() as s:
                regions = browse.regions_by_code(s)
            return render_template("submit_confirm.html", project=existing["project"], regions=regions,
                                   matches=existing["matches"], form=form,
                                   threshold=settings.NEAR_IDENTICAL_THRESHOLD)
    _act(form, lambda s: workflow.transition(s, actor(), project_id, action, form.comment.data),
         gettext("Done."))
    return redirect(url_for("projects.passport", project_id=project_id) + "#workflow")


def _already_exists(project_id: str) -> dict | None:
    """The systems in operation that already do at least the near-identical threshold (in percent)
    of a draft, so that its author is asked on submit whether a replication request would not serve
    instead (issue 13); or None (also when the draft is not the user's to submit, or the engine cannot answer: the
    transition itself then decides)."""
    from practicebank.errors import IndexNotBuilt
    from practicebank.web.views import services

    with _db().read() as s:
        row = get_project(s, project_id)
        if row is None or not workflow.can(actor(), "submit", row.curation_state, row.region_code):
            return None
        project = project_dict(row)
    try:
        found = services().similar_to_record(project, 5)
    except IndexNotBuilt:
        return None
    matches = [r for r in found if r.status == "in_operation"
               and (r.overlap or 0) >= settings.NEAR_IDENTICAL_THRESHOLD]
    return {"project": project, "matches": matches} if matches else None


@bp.post("/projects/<project_id>/replicate")
@login_required_role(Role.EDITOR)
def request_replication(project_id: str):
    form = ReplicationForm()
    _act(form, lambda s: replication.create_request(s, actor(), project_id, form.comment.data,
                                                    form.adopting_project_id.data),
         gettext("Request sent to the owner region and the federal curators."))
    return redirect(url_for("projects.passport", project_id=project_id) + "#workflow")


@bp.post("/replication/<int:request_id>/<action>")
@login_required_role(Role.EDITOR, Role.CURATOR)
def advance_replication(request_id: int, action: str):
    form = ReplicationForm()
    _act(form, lambda s: replication.advance(s, actor(), request_id, action, form.comment.data,
                                             form.adopting_project_id.data),
         gettext("Done."))
    return redirect(request.referrer if _local(request.referrer) else url_for("workflow.workspace"))


def _local(url: str | None) -> bool:
    return bool(url) and url.startswith(request.host_url)


def panel(project_id: str) -> dict:
    """What the passport's workflow section shows to the current user (a Jinja global)."""
    from practicebank.web.views import services

    return services().workflow_panel(project_id, actor())


# -------------------------------------------------------------------------------------- API
# A refusal (hidden record, forbidden, wrong state, invalid record) propagates to the one error
# handler (web/views/errors.py), which answers it in the API's error shape with its status.
@api_bp.get("/projects/<project_id>/history")
@public
def api_history(project_id: str):
    with _db().read() as s:
        row = workflow.visible_project(s, actor(), project_id)
        return jsonify({"id": project_id, "curation_state": row.curation_state,
                        "history": workflow.history_for(s, actor(), row)})


@api_bp.post("/projects")
@token_required(Role.EDITOR)
@rate_limited("write")
def api_create():
    body = params.json_object(request)
    body.setdefault("region", actor().region)
    with _db().write() as s:
        row = workflow.save_draft(s, actor(), body, create=True)
        out = {**project_dict(row), "curation_state": row.curation_state}
    return jsonify(out), 201


@api_bp.put("/projects/<project_id>")
@token_required(Role.EDITOR)
@rate_limited("write")
def api_edit(project_id: str):
    body = {**params.json_object(request), "id": project_id}
    with _db().write() as s:
        row = workflow.visible_project(s, actor(), project_id)
        body.setdefault("region", row.region_code)
        row = workflow.save_draft(s, actor(), body, create=False)
        out = {**project_dict(row), "curation_state": row.curation_state}
    return jsonify(out)


@api_bp.post("/projects/<project_id>/transitions")
@token_required(Role.EDITOR, Role.CURATOR)
@rate_limited("write")
def api_transition(project_id: str):
    body = params.json_object(request)
    with _db().write() as s:
        event = workflow.transition(s, actor(), project_id, str(body.get("action", "")),
                                    params.optional_text(body, "comment"))
        out = {"id": project_id, "from": event.from_state, "to": event.to_state, "action": event.action}
    return jsonify(out)


@api_bp.post("/replication-requests")
@token_required(Role.EDITOR)
@rate_limited("write")
def api_request_replication():
    body = params.json_object(request)
    with _db().write() as s:
        req = replication.create_request(s, actor(), str(body.get("practice_id", "")),
                                         params.optional_text(body, "comment"),
                                         params.optional_text(body, "adopting_project_id"))
        out = replication.request_dict(req)
    return jsonify(out), 201


@api_bp.post("/replication-requests/transitions")
@token_required(Role.EDITOR, Role.CURATOR)
@rate_limited("write")
def api_advance_replication():
    from practicebank.web.api.errors import ApiError

    body = params.json_object(request)
    raw = body.get("request_id")
    try:
        request_id = int(raw) if isinstance(raw, (int, str)) and not isinstance(raw, bool) else None
    except ValueError:
        request_id = None
    # a whole number the database can hold (a huge one overflowed SQLite's INTEGER: a 500)
    if request_id is None or not 1 <= request_id <= 2**63 - 1:
        raise ApiError(400, f"request_id must be a whole number from 1, not {raw!r}")
    comment, adopting = params.optional_text(body, "comment"), params.optional_text(body, "adopting_project_id")
    with _db().write() as s:
        req = replication.advance(s, actor(), request_id, str(body.get("action", "")), comment, adopting)
        out = replication.request_dict(req)
    return jsonify(out)


# ----------------------------------------------------------------------------- OpenAPI paths
def openapi_paths() -> dict:
    """The write API's part of /api/v1/openapi.json (merged by web.api.openapi)."""
    err = {"description": "see the message", "content": {"application/json": {"schema": {
        "$ref": "#/components/schemas/Error"}}}}
    auth_errors = {"400": err, "401": {**err, "description": "no valid bearer token"},
                   "403": {**err, "description": "the token's user may not do that"},
                   "404": {**err, "description": "no such record, or not visible to this user"},
                   "409": {**err, "description": "not possible in the record's current state"}}
    obj = {"type": "object"}
    project_id = {"name": "project_id", "in": "path", "required": True, "schema": {"type": "string"}}
    security = [{"bearer": []}]

    def body(schema: dict) -> dict:
        return {"required": True, "content": {"application/json": {"schema": schema}}}

    def ok(schema: dict, code: str = "200") -> dict:
        return {code: {"description": "OK", "content": {"application/json": {"schema": schema}}}}

    transition_body = {"type": "object", "required": ["action"], "properties": {
        "action": {"enum": list(workflow.TRANSITIONS)}, "comment": {"type": ["string", "null"]}}}
    request_body = {"type": "object", "required": ["practice_id"], "properties": {
        "practice_id": {"type": "string"}, "comment": {"type": ["string", "null"]}, "adopting_project_id": {"type": ["string", "null"]}}}
    advance_body = {"type": "object", "required": ["request_id", "action"], "properties": {
        "request_id": {"type": "integer", "minimum": 1}, "action": {"enum": list(replication.STEPS)},
        "comment": {"type": ["string", "null"]}, "adopting_project_id": {"type": ["string", "null"]}}}
    history = {"type": "object", "properties": {"id": {"type": "string"}, "curation_state": {"type": "string"},
                                                "history": {"type": "array", "items": obj}}}
    return {
        "/projects/{project_id}/history": {"get": {
            "summary": "Curation history of a record the caller may see: in full (logins, comments) for its "
                       "region's editors and the curators (session or bearer token); for anyone else only "
                       "the changes into a public state", "parameters": [project_id],
            "responses": {**ok(history), "404": auth_errors["404"]}}},
        "/projects/{project_id}": {"put": {
            "summary": "Edit a draft of the editor's own region (bearer token)", "security": security,
            "parameters": [project_id], "requestBody": body({"$ref": "#/components/schemas/ProjectEdit"}),
            "responses": {**ok(obj), **auth_errors}}},
        "/projects": {"post": {
            "summary": "Create a draft in the editor's own region (bearer token)", "security": security,
            "requestBody": body({"$ref": "#/components/schemas/ProjectDraft"}),
            "responses": {**ok(obj, "201"), **auth_errors}}},
        "/projects/{project_id}/transitions": {"post": {
            "summary": "A workflow transition: submit, approve, return, recommend, make_standard, archive",
            "security": security, "parameters": [project_id], "requestBody": body(transition_body),
            "responses": {**ok(obj), **auth_errors}}},
        "/replication-requests": {"post": {
            "summary": "Ask to reuse a practice in the editor's region (bearer token)", "security": security,
            "requestBody": body(request_body), "responses": {**ok(obj, "201"), **auth_errors}}},
        "/replication-requests/transitions": {"post": {
            "summary": "Move a replication request on: agree, decline, start_pilot, put_in_operation",
            "security": security, "requestBody": body(advance_body), "responses": {**ok(obj), **auth_errors}}},
    }
