"""/login, /logout, and the administrator's pages: users, roles, API tokens, the audit log."""
from __future__ import annotations

import logging
import unicodedata
from urllib.parse import urlsplit

from flask import (Blueprint, Response, abort, current_app, flash, redirect, render_template, request, session,
                   url_for)
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from practicebank.catalog import accounts, audit
from practicebank.catalog.roles import ACCOUNT_ROLES, Role
from practicebank.web import i18n
from practicebank.web.auth import (SESSION_VERSION_KEY, WebUser, actor, client_ip, login_required_role, public,
                                   rate_limited, security_log)
from practicebank.web.views.errors import flashed_refusals

bp = Blueprint("account", __name__)
log = logging.getLogger(__name__)


class LoginForm(FlaskForm):
    login = StringField(_l("Login"), validators=[DataRequired(), Length(max=200)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])


class EmptyForm(FlaskForm):
    """A form with only the CSRF token: logout and one-button actions."""


def _role_choices() -> list[tuple[str, str]]:
    # called per form, so the labels follow the page's language
    return [(role.value, role.label(i18n.lang())) for role in ACCOUNT_ROLES]


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
    r"""``target`` when it is a path on this site, else the home page: never an open redirect.

    Browsers drop tabs and newlines inside a URL and read a backslash as a slash, so
    ``/\t/evil.com`` or ``/\evil.com`` would go to another site: any control character,
    whitespace, invisible character or backslash refuses the target (and CR/LF could not go in a header anyway).
    What is left must be an absolute path with no scheme and no host.
    """
    home = url_for("home.index")
    if not target or len(target) > 2000 or not target.startswith("/") or target.startswith("//"):
        return home
    # control, format (zero-width, bidi) and separator characters: categories C* and Z*
    if "\\" in target or any(unicodedata.category(ch)[0] in "CZ" for ch in target):
        return home
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("//"):
        return home
    return target


@bp.route("/login", methods=["GET", "POST"])
@public
@rate_limited("login")
def login():
    form = LoginForm()
    failed = False
    if form.validate_on_submit():
        with _db().write() as s:
            result = accounts.authenticate(s, form.login.data, form.password.data, address=client_ip())
            principal = accounts.principal(result.user) if result.ok else None
            version = (result.user.session_version or 0) if result.ok else None
        if principal is not None:
            lang = session.get("lang")
            session.clear()  # a new session on login: nothing from before survives (session fixation)
            if lang:
                session["lang"] = lang
            session.permanent = True  # expires after PERMANENT_SESSION_LIFETIME without a request
            session[SESSION_VERSION_KEY] = version  # logout, a password change or disable ends it
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
        user_id = actor().id
        if user_id is not None:  # every saved copy of this session cookie (and the user's others) ends
            with _db().write() as s:
                accounts.end_sessions(s, user_id)
            security_log.info("logout: user=%s ip=%s", actor().login, client_ip())
        logout_user()
        session.clear()
    return redirect(url_for("home.index"))


# ----------------------------------------------------------------------------- administration
@bp.get("/admin/users")
@login_required_role(Role.ADMIN)
def users():
    with _db().read() as s:
        rows = [accounts.user_dict(u) for u in accounts.list_users(s)]
        tokens = accounts.list_tokens(s)
    regions = current_app.extensions["practicebank"].regions_by_code()
    return render_template("admin_users.html", users=rows, tokens=tokens, user_form=UserForm(), regions=regions,
                           role_form=RoleForm(), token_form=TokenForm(), empty_form=EmptyForm(),
                           new_token=session.pop("new_token", None), roles={role.value: role.labels for role in ACCOUNT_ROLES})


def _admin_action(operation, success: str):
    """One change in a write transaction; a refusal (an AccountError: no such user, the last
    administrator...) is flashed in the page's language; the users' page either way."""
    with flashed_refusals():
        with _db().write() as s:
            operation(s)
        flash(success, "ok")
    return redirect(url_for("account.users"))


@bp.post("/admin/users")
@login_required_role(Role.ADMIN)
def create_user():
    form = UserForm()
    if not form.validate_on_submit():
        flash("; ".join(f"{k}: {', '.join(map(str, v))}" for k, v in form.errors.items()), "error")
        return redirect(url_for("account.users"))
    return _admin_action(lambda s: accounts.create_user(s, form.login.data, form.password.data, form.role.data,
                                                        form.region.data or None, form.email.data or None),
                         gettext("User created."))


@bp.post("/admin/users/<login>/role")
@login_required_role(Role.ADMIN)
def set_role(login: str):
    form = RoleForm()
    if not form.validate_on_submit():
        flash(gettext("The form is not valid."), "error")
        return redirect(url_for("account.users"))
    return _admin_action(lambda s: accounts.set_role(s, login, form.role.data, form.region.data or None),
                         gettext("Role changed."))


@bp.post("/admin/users/<login>/active")
@login_required_role(Role.ADMIN)
def set_active(login: str):
    form = ActiveForm()
    if not form.validate_on_submit():
        return redirect(url_for("account.users"))
    return _admin_action(lambda s: accounts.set_active(s, login, bool(form.active.data)),
                         gettext("Account updated."))


@bp.post("/admin/users/<login>/tokens")
@login_required_role(Role.ADMIN)
def create_token(login: str):
    form = TokenForm()
    if not form.validate_on_submit():
        return redirect(url_for("account.users"))

    def make(s):
        raw, _token = accounts.create_token(s, login, form.name.data)
        session["new_token"] = raw  # shown once, on the next page, then gone

    return _admin_action(make, gettext("Token created: copy it now, it is not shown again."))


@bp.post("/admin/tokens/<int:token_id>/revoke")
@login_required_role(Role.ADMIN)
def revoke_token(token_id: int):
    if not 1 <= token_id <= 2**63 - 1:  # no such token (a huge id overflowed the database's integer: a 500)
        abort(404)
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("account.users"))
    return _admin_action(lambda s: accounts.revoke_token(s, token_id), gettext("Token revoked."))


@bp.get("/admin/audit")
@login_required_role(Role.ADMIN)
def audit_log():
    with _db().read() as s:
        entries = audit.entries(s, limit=200, newest_first=True)
    return render_template("admin_audit.html", entries=entries)


@bp.get("/admin/audit.jsonl")
@login_required_role(Role.ADMIN)
def audit_download():
    db = _db()

    def lines():  # streamed: a batch of entries at a time, never the whole log in memory
        with db.read() as s:
            yield from audit.iter_jsonl(s)

    return Response(lines(), mimetype="application/jsonl",
                    headers={"Content-Disposition": "attachment; filename=practicebank-audit.jsonl"})
