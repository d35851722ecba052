"""Who is asking, and may they: Flask-Login sessions, API bearer tokens, permission decorators.

Secure by default: every view carries its permission decision on itself — ``@public`` (pages
and read APIs anyone may use, records filtered by state inside), ``@login_required_role(...)`` or
``@token_required(...)``, which set ``view.permission`` — so renaming a view keeps its decision.
A view with no decision answers 404 and the miss is logged (``tests/test_auth_matrix.py`` fails
on it first). Likewise ``@rate_limited(name)`` puts a view under one of the per-address limits
named in ``RATE_LIMITS``.

Security events (logins, failed logins, lockouts, refused authorisations) go to the
"practicebank.security" logger.
"""
from __future__ import annotations

import functools
import logging
import os
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Callable

from flask import Flask, abort, current_app, g, redirect, request, url_for
from flask_login import AnonymousUserMixin, LoginManager, UserMixin, current_user

from practicebank.catalog import accounts, audit
from practicebank.catalog import limits as _limits
from practicebank.catalog.accounts import ANONYMOUS_PRINCIPAL, Principal
from practicebank.catalog.roles import Role

security_log = logging.getLogger("practicebank.security")

SESSION_LIFETIME = timedelta(hours=8)


@dataclass(frozen=True)
class RateLimit:
    """A per-address limit; ``methods`` None counts every method (a GET that runs the engine
    costs what a POST does), else only those (a form page is free, posting it is not)."""

    limit: str
    methods: tuple[str, ...] | None = None


# The limits views name with ``@rate_limited`` (values and reasons in catalog.limits).
RATE_LIMITS: dict[str, RateLimit] = {
    "engine": RateLimit(_limits.RATE_ENGINE),  # every path that runs the matching engine, pages too
    "check_plan": RateLimit(_limits.RATE_CHECK_PLAN, ("POST",)),  # a whole portfolio, when posted
    "write": RateLimit(_limits.RATE_WRITE),  # the token write API
    "login": RateLimit(_limits.RATE_LOGIN, ("POST",)),  # sign-in attempts, not the sign-in page
}


class WebUser(UserMixin):
    def __init__(self, principal: Principal):
        self.principal = principal

    def get_id(self) -> str:
        return str(self.principal.id)

    @property
    def is_active(self) -> bool:
        return self.principal.active

    @property
    def login(self) -> str:
        return self.principal.login

    @property
    def role(self) -> str:
        return self.principal.role

    @property
    def region(self) -> str | None:
        return self.principal.region


class Anonymous(AnonymousUserMixin):
    principal = ANONYMOUS_PRINCIPAL
    login = "anonymous"
    role = Role.ANONYMOUS
    region = None


login_manager = LoginManager()
login_manager.session_protection = "strong"
login_manager.login_view = "account.login"
login_manager.anonymous_user = Anonymous


def _db():
    return current_app.extensions["practicebank"].db


# The session key holding the user's session version at sign-in (see catalog.accounts).
SESSION_VERSION_KEY = "_pb_sv"


@login_manager.user_loader
def _load_user(user_id: str):
    """The session's user, unless the session predates their last logout, password change or
    disable: the signed cookie carries the session version, the database the current one."""
    from flask import session as web_session

    try:
        uid = int(user_id)
    except (TypeError, ValueError):
        return None
    if not 1 <= uid <= 2**63 - 1:
        return None
    with _db().read() as session:
        found = accounts.load_session_principal(session, uid, web_session.get(SESSION_VERSION_KEY))
    if found is None:
        security_log.info("session refused: user_id=%s ip=%s (ended, or the account is disabled)", uid,
                          client_ip())
    return WebUser(found) if found else None


def actor() -> Principal:
    """The principal of this request: a bearer token's user, the session's user, or anonymous."""
    token_user = g.get("token_principal")
    if token_user is not None:
        return token_user
    return getattr(current_user, "principal", ANONYMOUS_PRINCIPAL)


def client_ip() -> str:
    return request.remote_addr or "-"


def denied(reason: str, status: int = 404):
    """Refuse, log it, and answer ``status`` (404 hides whether the thing exists)."""
    log_refused(reason)
    abort(status)


def log_refused(reason: str) -> None:
    """Write a refused authorisation to the security log (also for a domain's 403/404 refusal)."""
    who = actor()
    security_log.warning("authorisation refused: user=%s role=%s ip=%s %s %s: %s", who.login, who.role,
                         client_ip(), request.method, request.path, reason)


def _mark(view: Callable, decision: str) -> Callable:
    view.permission = decision  # read by the "every view decides" test and the runtime check
    return view


def public(view: Callable) -> Callable:
    """Open to everyone (what it shows is still filtered by the record's state)."""
    return _mark(view, "public")


def _known(roles: tuple[str, ...]) -> tuple[Role, ...]:
    """The roles as members: a misspelt role fails at import instead of refusing everyone."""
    return tuple(Role(role) for role in roles)


def login_required_role(*roles: Role) -> Callable[[Callable], Callable]:
    """Signed-in users of these roles (any role when none given); others are sent to log in."""
    roles = _known(roles)

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any):
            if not current_user.is_authenticated:
                security_log.info("login required: ip=%s %s %s", client_ip(), request.method, request.path)
                return redirect(url_for("account.login", next=request.full_path if request.method == "GET" else None))
            if roles and current_user.role not in roles:
                denied(f"needs role {'/'.join(roles)}", 403)
            return view(*args, **kwargs)

        return _mark(wrapper, "login:" + ",".join(roles or ("any",)))

    return decorate


def token_required(*roles: Role) -> Callable[[Callable], Callable]:
    """API writes: a live bearer token (``Authorization: Bearer pbt_...``), never a session cookie."""
    roles = _known(roles)

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any):
            from practicebank.web.api.errors import ApiError

            header = request.headers.get("Authorization", "")
            scheme, _, raw = header.partition(" ")
            principal = None
            if scheme.lower() == "bearer" and raw.strip():
                with _db().write() as session:
                    principal = accounts.principal_for_token(session, raw.strip(), touch=True)
            if principal is None:
                security_log.warning("API token refused: ip=%s %s %s", client_ip(), request.method, request.path)
                raise ApiError(401, "a valid API token is required: Authorization: Bearer <token>")
            if roles and principal.role not in roles:
                security_log.warning("authorisation refused: user=%s role=%s ip=%s %s %s: needs %s",
                                     principal.login, principal.role, client_ip(), request.method, request.path,
                                     "/".join(roles))
                raise ApiError(403, "this token's user may not do that")
            g.token_principal = principal
            token = audit.set_actor(principal.login)
            try:
                return view(*args, **kwargs)
            finally:
                audit.reset_actor(token)

        return _mark(wrapper, "token:" + ",".join(roles or ("any",)))

    return decorate


def _bearer_principal() -> Principal | None | bool:
    """The user of the request's bearer token; False when there is no bearer header at all."""
    header = request.headers.get("Authorization", "")
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer":
        return False
    raw = raw.strip()
    if not raw:
        return None
    with _db().read() as session:
        return accounts.principal_for_token(session, raw)


def _token_on_read() -> None:
    """Public API reads honour a bearer token, so a script reads back its own drafts (what it
    may see is decided by the token's user); a bad token is a 401, never silently anonymous."""
    from practicebank.web.api.errors import ApiError

    principal = _bearer_principal()
    if principal is False:
        return
    if principal is None:
        security_log.warning("API token refused: ip=%s %s %s", client_ip(), request.method, request.path)
        raise ApiError(401, "the bearer token is not valid (revoked, or its user is disabled)")
    g.token_principal = principal


def rate_limited(name: str) -> Callable[[Callable], Callable]:
    """Count this view's requests per client address against ``RATE_LIMITS[name]``; the app's
    limiter applies it once every blueprint is registered (``apply_rate_limits``)."""
    if name not in RATE_LIMITS:  # fail at import, not with an unlimited view
        raise KeyError(f"unknown rate limit {name!r}; one of: {', '.join(RATE_LIMITS)}")

    def decorate(view: Callable) -> Callable:
        view.rate_limit = name  # copied onto the wrappers of the permission decorators
        return view

    return decorate


def permission_of(app: Flask, endpoint: str) -> str | None:
    """The explicit decision for an endpoint, or None when it has none."""
    return getattr(app.view_functions.get(endpoint), "permission", None)


def rate_limit_of(app: Flask, endpoint: str) -> str | None:
    """The name of the rate limit an endpoint counts against, or None."""
    return getattr(app.view_functions.get(endpoint), "rate_limit", None)


def _public_static(app: Flask) -> None:
    """Flask's own static-file view (CSS, scripts, images: for everyone) is the one view not
    written here, so it is marked here."""
    serve = app.view_functions.get("static")
    if serve is None:
        return

    @functools.wraps(serve)
    def static(**kwargs: Any):
        return serve(**kwargs)

    app.view_functions["static"] = public(static)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    _init_limiter(app)
    _public_static(app)

    @app.before_request
    def _decide():
        endpoint = request.endpoint
        if endpoint is None:  # 404/405 from routing: nothing to decide
            return None
        decision = permission_of(app, endpoint)
        if decision is None and app.config.get("PRACTICEBANK_ENFORCE_PERMISSIONS", True):
            security_log.error("view %s has no permission decision: refused", endpoint)
            abort(404)
        if decision == "public" and request.path.startswith("/api/"):
            _token_on_read()
        g.audit_token = audit.set_actor(actor().login)
        return None

    @app.teardown_request
    def _reset(_error):
        token = g.pop("audit_token", None)
        if token is not None:
            try:
                audit.reset_actor(token)
            except ValueError:  # set in another context: nothing to undo here
                pass

    app.jinja_env.globals.update(current_actor=actor)


def _init_limiter(app: Flask) -> None:
    from flask_limiter import Limiter
    from flask_limiter.util import get_remote_address

    # Tests switch limits off unless they ask for them. In-memory storage counts per process:
    # with `serve --workers N` or several nodes, PRACTICEBANK_RATELIMIT_STORAGE=redis://host:6379
    # makes them count once for all (pip install '.[redis]').
    app.config.setdefault("RATELIMIT_ENABLED", not app.testing)
    app.config.setdefault("RATELIMIT_STORAGE_URI", os.environ.get("PRACTICEBANK_RATELIMIT_STORAGE", "memory://"))
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    def on_breach(limit):
        security_log.warning("rate limit hit: ip=%s %s %s (%s)", client_ip(), request.method, request.path, limit.limit)
        return None

    limiter = Limiter(get_remote_address, app=app, default_limits=[], on_breach=on_breach)
    app.extensions["practicebank_limiter"] = limiter


def apply_rate_limits(app: Flask) -> None:
    """Wrap every view that names a limit (``@rate_limited``) with it: the views are registered by
    now, and the limiter belongs to this app."""
    limiter = app.extensions["practicebank_limiter"]
    for endpoint, view in list(app.view_functions.items()):
        name = getattr(view, "rate_limit", None)
        if name is None:
            continue
        rule = RATE_LIMITS[name]
        wrapped = limiter.limit(rule.limit, methods=list(rule.methods) if rule.methods else None)(view)
        wrapped.permission = getattr(view, "permission", None)
        wrapped.rate_limit = name
        app.view_functions[endpoint] = wrapped
