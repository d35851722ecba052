"""The practice workflow on the web: drafts, transitions, replication requests (pages and API).

Pages use the session (CSRF-protected forms); the API writes under /api/v1 take a bearer
token only. Both ask catalog.workflow / catalog.replication, which hold the rules.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from catalog import limits, replication, workflow
from catalog.store import PUBLIC_STATES, get_project, project_dict
from catalog.taxonomy import INDUSTRIES, TECHNOLOGIES
from web import i18n
from web.auth import actor, denied, login_required_role, public, token_required
from web.refusals import refusal_text

bp = Blueprint("workflow", __name__)
api_bp = Blueprint("workflow_api", __name__)
EDITOR, CURATOR, ADMIN = workflow.EDITOR, workflow.CURATOR, workflow.ADMIN


class DraftForm(FlaskForm):
    # the bounds of catalog.limits (the record's validation checks them again, with every other rule)
    id = StringField(_l("Id (a-z, 0-9, - _ .)"), validators=[DataRequired(), Length(max=120)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=limits.MAX_TITLE_CHARS)])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=limits.MAX_SUMMARY_CHARS)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=limits.MAX_DESCRIPTION_CHARS)])
    features = TextAreaField(_l("Functions, one per line"), validators=[
        Optional(), Length(max=limits.MAX_FEATURES * (limits.MAX_FEATURE_CHARS + 1))])
    industries = SelectMultipleField(_l("Industries"), validators=[DataRequired()])
    technologies = SelectMultipleField(_l("Technologies"), validators=[Optional()])

    def fill_choices(self) -> "DraftForm":
        self.industries.choices = [(c, i18n.label("industry", c)) for c in INDUSTRIES]
        self.technologies.choices = [(c, i18n.label("technology", c)) for c in TECHNOLOGIES]
        return self

    def record(self, region: str, base: dict | None = None) -> dict:
        data = dict(base or {})
        data.update(id=self.id.data.strip(), title=self.title.data.strip(), region=region,
                    summary=self.summary.data or None, description=self.description.data or None,
                    features=[f.strip() for f in (self.features.data or "").splitlines() if f.strip()],
                    industries=list(self.industries.data or []), technologies=list(self.technologies.data or []))
        return {k: v for k, v in data.items() if v is not None}


class ActionForm(FlaskForm):
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=5000)])


class ReplicationForm(FlaskForm):
    comment = TextAreaField(_l("Why your region wants to reuse it"), validators=[Optional(), Length(max=5000)])
    adopting_project_id = StringField(_l("Your region's record, if it exists (id)"),
                                      validators=[Optional(), Length(max=120)])


def _db():
    return current_app.extensions["practicebank"].db


def _refuse(error: workflow.WorkflowError):
    """A workflow refusal as an HTTP answer: hidden records are 404, never 403 (the security log
    gets the English reason); any other refusal is flashed in the page's language."""
    if isinstance(error, workflow.NotFound):
        denied(f"not visible: {error}", 404)
    if isinstance(error, workflow.Forbidden):
        denied(str(error), 403)
    flash(refusal_text(error), "error")
    return None


def _act(form, change, done: str) -> None:
    """One form-posted change: 400 for a bad form, the change in one write transaction,
    a refusal as 404/403/flash, a flash on success; the caller redirects."""
    if not form.validate_on_submit():
        abort(400)
    try:
        with _db().write() as s:
            change(s)
    except workflow.WorkflowError as error:
        _refuse(error)
    else:
        flash(done, "ok")


# ------------------------------------------------------------------------------------ pages
@bp.get("/workspace")
@login_required_role(EDITOR, CURATOR, ADMIN)
def workspace():
    who = actor()
    with _db().read() as s:
        queue = [{**project_dict(p), "curation_state": p.curation_state} for p in workflow.region_queue(s, who)]
        requests_ = replication.requests_for(s, who)
    return render_template("workspace.html", queue=queue, requests=requests_, form=ActionForm(),
                           can_create=who.role == EDITOR and workflow.can_create(who, who.region))


@bp.route("/projects/new", methods=["GET", "POST"])
@login_required_role(EDITOR)
def new_draft():
    who = actor()
    form = DraftForm().fill_choices()
    if form.validate_on_submit():
        saved = _save_draft(form, lambda s: workflow.save_draft(s, who, form.record(who.region), create=True))
        if saved:
            return redirect(url_for("projects.passport", project_id=saved))
    return render_template("draft_form.html", form=form, creating=True), 400 if form.errors else 200


@bp.route("/projects/<project_id>/edit", methods=["GET", "POST"])
@login_required_role(EDITOR)
def edit_draft(project_id: str):
    who = actor()
    with _db().read() as s:
        row = get_project(s, project_id)
        if row is None or not workflow.can_view(who, row):
            denied(f"not visible: {project_id}", 404)
        if not workflow.can(who, "edit", row.curation_state, row.region_code):
            denied(f"cannot edit {project_id} ({row.curation_state})", 403)
        current = project_dict(row)
    form = DraftForm().fill_choices()
    if request.method == "GET":
        form.id.data, form.title.data = current["id"], current["title"]
        form.summary.data, form.description.data = current.get("summary"), current.get("description")
        form.features.data = "\n".join(current.get("features", []))
        form.industries.data, form.technologies.data = current.get("industries", []), current.get("technologies", [])
    elif form.validate_on_submit():
        form.id.data = project_id  # the id of a record never changes
        if _save_draft(form, lambda s: workflow.save_draft(s, who, form.record(current["region"], current),
                                                           create=False)):
            return redirect(url_for("projects.passport", project_id=project_id))
    return render_template("draft_form.html", form=form, creating=False, project_id=project_id), \
        400 if form.errors else 200


def _save_draft(form: FlaskForm, save) -> str | None:
    """A draft written in one transaction: its id, or None after a refusal (shown on the form)."""
    try:
        with _db().write() as s:
            project_id = save(s).id
    except workflow.WorkflowError as error:
        _refuse(error)
        _form_errors(form, error)
        return None
    flash(gettext("Draft saved."), "ok")
    return project_id


def _form_errors(form: FlaskForm, error: Exception) -> None:
    form.form_errors.append(refusal_text(error))
    form.id.errors = list(form.id.errors or [])


@bp.post("/projects/<project_id>/workflow/<action>")
@login_required_role(EDITOR, CURATOR, ADMIN)
def transition(project_id: str, action: str):
    form = ActionForm()
    if action == "submit" and not request.form.get("confirm") and form.validate_on_submit():
        existing = _already_exists(project_id)
        if existing:  # "does this already exist?": ask before the curators spend time on it
            from web import queries

            with _db().read() as s:
                regions = queries.regions_by_code(s)
            return render_template("submit_confirm.html", project=existing["project"], regions=regions,
                                   matches=existing["matches"], form=form, threshold=SUBMIT_OVERLAP)
    _act(form, lambda s: workflow.transition(s, actor(), project_id, action, form.comment.data),
         gettext("Done."))
    return redirect(url_for("projects.passport", project_id=project_id) + "#workflow")


# A draft whose functions a system in operation performs at least this much (in percent) is
# asked, on submit, whether a replication request would not serve instead (issue 13).
SUBMIT_OVERLAP = 85.0


def _already_exists(project_id: str) -> dict | None:
    """The systems in operation that already do at least ``SUBMIT_OVERLAP`` % of a draft, or
    None (also when the draft is not the user's to submit, or the engine cannot answer: the
    transition itself then decides)."""
    from web.views import engine

    with _db().read() as s:
        row = get_project(s, project_id)
        if row is None or not workflow.can(actor(), "submit", row.curation_state, row.region_code):
            return None
        project = project_dict(row)
    try:
        found = engine.similar_to_record(project, 5)
    except engine.EngineUnavailable:
        return None
    matches = [r for r in found if r.get("status") == "in_operation" and (r.get("overlap") or 0) >= SUBMIT_OVERLAP]
    return {"project": project, "matches": matches} if matches else None


@bp.post("/projects/<project_id>/replicate")
@login_required_role(EDITOR)
def request_replication(project_id: str):
    form = ReplicationForm()
    _act(form, lambda s: replication.create_request(s, actor(), project_id, form.comment.data,
                                                    form.adopting_project_id.data),
         gettext("Request sent to the owner region and the federal curators."))
    return redirect(url_for("projects.passport", project_id=project_id) + "#workflow")


@bp.post("/replication/<int:request_id>/<action>")
@login_required_role(EDITOR, CURATOR)
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
    with _db().read() as s:
        return panel_for(s, get_project(s, project_id))


def panel_for(s, row) -> dict:
    """``panel`` for a project row the caller already holds, in the caller's session."""
    who = actor()
    if row is None or not workflow.can_view(who, row):
        return {"visible": False}
    return {"visible": True, "state": row.curation_state, "history": workflow.history_for(s, who, row),
            "actions": workflow.available_actions(who, row),
            "can_edit": workflow.can(who, "edit", row.curation_state, row.region_code),
            "can_request": (who.role == EDITOR and who.region not in (None, row.region_code)
                            and row.curation_state in PUBLIC_STATES),
            "requests": replication.requests_for(s, who, row.id)}


# -------------------------------------------------------------------------------------- API
def _api_refuse(error: workflow.WorkflowError):
    from web.api.errors import ApiError

    if isinstance(error, workflow.NotFound):
        denied(f"not visible: {error}", 404)
    errors = getattr(error, "errors", [])
    raise ApiError(error.status, str(error), errors)


def _json() -> dict:
    from web.api.errors import ApiError

    from web.api.inputs import read_json

    body = read_json(request)  # strict JSON, at most catalog.limits.MAX_JSON_BODY_BYTES
    if not isinstance(body, dict):
        raise ApiError(400, "send a JSON object")
    return body


def _text(body: dict, key: str) -> str | None:
    """An optional string field of a JSON body; anything else is a 400, never a crash further on."""
    from web.api.errors import ApiError

    value = body.get(key)
    if value is not None and not isinstance(value, str):
        raise ApiError(400, f"{key} must be a string")
    return value


@api_bp.get("/projects/<project_id>/history")
@public
def api_history(project_id: str):
    with _db().read() as s:
        row = get_project(s, project_id)
        if row is None or not workflow.can_view(actor(), row):
            denied(f"not visible: {project_id}", 404)
        return jsonify({"id": project_id, "curation_state": row.curation_state,
                        "history": workflow.history_for(s, actor(), row)})


@api_bp.post("/projects")
@token_required(EDITOR)
def api_create():
    body = _json()
    body.setdefault("region", actor().region)
    try:
        with _db().write() as s:
            row = workflow.save_draft(s, actor(), body, create=True)
            out = {**project_dict(row), "curation_state": row.curation_state}
    except workflow.WorkflowError as error:
        _api_refuse(error)
    return jsonify(out), 201


@api_bp.put("/projects/<project_id>")
@token_required(EDITOR)
def api_edit(project_id: str):
    body = {**_json(), "id": project_id}
    try:
        with _db().write() as s:
            row = workflow.visible_project(s, actor(), project_id)
            body.setdefault("region", row.region_code)
            row = workflow.save_draft(s, actor(), body, create=False)
            out = {**project_dict(row), "curation_state": row.curation_state}
    except workflow.WorkflowError as error:
        _api_refuse(error)
    return jsonify(out)


@api_bp.post("/projects/<project_id>/transitions")
@token_required(EDITOR, CURATOR)
def api_transition(project_id: str):
    body = _json()
    try:
        with _db().write() as s:
            event = workflow.transition(s, actor(), project_id, str(body.get("action", "")), _text(body, "comment"))
            out = {"id": project_id, "from": event.from_state, "to": event.to_state, "action": event.action}
    except workflow.WorkflowError as error:
        _api_refuse(error)
    return jsonify(out)


@api_bp.post("/replication-requests")
@token_required(EDITOR)
def api_request_replication():
    body = _json()
    try:
        with _db().write() as s:
            req = replication.create_request(s, actor(), str(body.get("practice_id", "")), _text(body, "comment"),
                                             _text(body, "adopting_project_id"))
            out = replication.request_dict(req)
    except workflow.WorkflowError as error:
        _api_refuse(error)
    return jsonify(out), 201


@api_bp.post("/replication-requests/transitions")
@token_required(EDITOR, CURATOR)
def api_advance_replication():
    from web.api.errors import ApiError

    body = _json()
    raw = body.get("request_id")
    try:
        request_id = int(raw) if isinstance(raw, (int, str)) and not isinstance(raw, bool) else None
    except ValueError:
        request_id = None
    # a whole number the database can hold (a huge one overflowed SQLite's INTEGER: a 500)
    if request_id is None or not 1 <= request_id <= 2**63 - 1:
        raise ApiError(400, f"request_id must be a whole number from 1, not {raw!r}")
    comment, adopting = _text(body, "comment"), _text(body, "adopting_project_id")
    try:
        with _db().write() as s:
            req = replication.advance(s, actor(), request_id, str(body.get("action", "")), comment, adopting)
            out = replication.request_dict(req)
    except workflow.WorkflowError as error:
        _api_refuse(error)
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
