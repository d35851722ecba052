"""/login, /logout, and the administrator's pages: users, roles, API tokens, the audit log."""
from __future__ import annotations

import io
import logging

from flask import (Blueprint, Response, current_app, flash, redirect, render_template, request, session,
                   url_for)
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from catalog import accounts, audit
from web import i18n
from web.auth import WebUser, client_ip, login_required_role, public, security_log
from web.refusals import refusal_text

bp = Blueprint("account", __name__)
log = logging.getLogger(__name__)


class LoginForm(FlaskForm):
    login = StringField(_l("Login"), validators=[DataRequired(), Length(max=200)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])


class EmptyForm(FlaskForm):
    """A form with only the CSRF token: logout and one-button actions."""


def _role_choices() -> list[tuple[str, str]]:
    # called per form, so the labels follow the page's language
    return [(code, labels[1] if i18n.lang() == "ru" else labels[0]) for code, labels in accounts.ROLES.items()]


class UserForm(FlaskForm):
    login = StringField(_l("Login"), validators=[DataRequired(), Length(max=200)])
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=320)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(min=accounts.MIN_PASSWORD_LENGTH,
                                                                               max=1024)])
    role = SelectField(_l("Role"), choices=_role_choices)
    region = StringField(_l("Region (for editors)"), validators=[Optional(), Length(max=8)])


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=_role_choices)
    region = StringField(_l("Region (for editors)"), validators=[Optional(), Length(max=8)])


class ActiveForm(FlaskForm):
    active = BooleanField(_l("Active"))


class TokenForm(FlaskForm):
    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=200)])


def _db():
    return current_app.extensions["practicebank"].db


def _safe_next(target: str | None) -> str:
    # Only a local path: never an open redirect to another site.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    form = LoginForm()
    failed = False
    if form.validate_on_submit():
        with _db().write() as s:
            result = accounts.authenticate(s, form.login.data, form.password.data)
            principal = accounts.principal(result.user) if result.ok else None
        if principal is not None:
            lang = session.get("lang")
            session.clear()  # a new session on login: nothing from before survives (session fixation)
            if lang:
                session["lang"] = lang
            session.permanent = True  # expires after PERMANENT_SESSION_LIFETIME without a request
            login_user(WebUser(principal))
            security_log.info("login: user=%s role=%s ip=%s", principal.login, principal.role, client_ip())
            return redirect(_safe_next(request.args.get("next")))
        failed = True
        security_log.warning("failed login: login=%r reason=%s ip=%s", (form.login.data or "")[:200],
                             result.reason, client_ip())
    status = 401 if failed or (request.method == "POST") else 200
    return render_template("login.html", form=form, failed=failed), status


@bp.post("/logout")
@public
def logout():
    form = EmptyForm()
    if form.validate_on_submit():
        logout_user()
        session.clear()
    return redirect(url_for("home.index"))


# ----------------------------------------------------------------------------- administration
@bp.get("/admin/users")
@login_required_role("admin")
def users():
    with _db().read() as s:
        rows = [accounts.user_dict(u) for u in accounts.list_users(s)]
        tokens = accounts.list_tokens(s)
    return render_template("admin_users.html", users=rows, tokens=tokens, user_form=UserForm(),
                           role_form=RoleForm(), token_form=TokenForm(), empty_form=EmptyForm(),
                           new_token=session.pop("new_token", None), roles=accounts.ROLES)


def _admin_action(operation, success: str):
    try:
        with _db().write() as s:
            operation(s)
    except accounts.AccountError as error:
        flash(refusal_text(error), "error")
    else:
        flash(success, "ok")
    return redirect(url_for("account.users"))


@bp.post("/admin/users")
@login_required_role("admin")
def create_user():
    form = UserForm()
    if not form.validate_on_submit():
        flash("; ".join(f"{k}: {', '.join(map(str, v))}" for k, v in form.errors.items()), "error")
        return redirect(url_for("account.users"))
    return _admin_action(lambda s: accounts.create_user(s, form.login.data, form.password.data, form.role.data,
                                                        form.region.data or None, form.email.data or None),
                         gettext("User created."))


@bp.post("/admin/users/<login>/role")
@login_required_role("admin")
def set_role(login: str):
    form = RoleForm()
    if not form.validate_on_submit():
        flash(gettext("The form is not valid."), "error")
        return redirect(url_for("account.users"))
    return _admin_action(lambda s: accounts.set_role(s, login, form.role.data, form.region.data or None),
                         gettext("Role changed."))


@bp.post("/admin/users/<login>/active")
@login_required_role("admin")
def set_active(login: str):
    form = ActiveForm()
    if not form.validate_on_submit():
        return redirect(url_for("account.users"))
    return _admin_action(lambda s: accounts.set_active(s, login, bool(form.active.data)),
                         gettext("Account updated."))


@bp.post("/admin/users/<login>/tokens")
@login_required_role("admin")
def create_token(login: str):
    form = TokenForm()
    if not form.validate_on_submit():
        return redirect(url_for("account.users"))

    def make(s):
        raw, _token = accounts.create_token(s, login, form.name.data)
        session["new_token"] = raw  # shown once, on the next page, then gone

    return _admin_action(make, gettext("Token created: copy it now, it is not shown again."))


@bp.post("/admin/tokens/<int:token_id>/revoke")
@login_required_role("admin")
def revoke_token(token_id: int):
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("account.users"))
    return _admin_action(lambda s: accounts.revoke_token(s, token_id), gettext("Token revoked."))


@bp.get("/admin/audit")
@login_required_role("admin")
def audit_log():
    with _db().read() as s:
        entries = audit.entries(s, limit=200, newest_first=True)
    return render_template("admin_audit.html", entries=entries)


@bp.get("/admin/audit.jsonl")
@login_required_role("admin")
def audit_download():
    out = io.StringIO()
    with _db().read() as s:
        audit.export_jsonl(s, out)
    return Response(out.getvalue(), mimetype="application/jsonl",
                    headers={"Content-Disposition": "attachment; filename=practicebank-audit.jsonl"})
