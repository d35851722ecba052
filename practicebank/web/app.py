"""The Flask application: HTML pages, the JSON API under /api/v1, one Services per process.

    >>> app = create_app({"PRACTICEBANK_HOME": "instance"})   # doctest: +SKIP

Config keys beyond Flask's: ``SERVICES`` (a ready Services object, for tests),
``PRACTICEBANK_HOME`` and ``PRACTICEBANK_DATABASE_URL`` (else the environment decides).
"""
from __future__ import annotations

import logging
import os
import secrets

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from practicebank.web import auth, i18n

log = logging.getLogger(__name__)
MB = 1024 * 1024

# Everything is served from web/static; SVG charts use presentation attributes, not style="".
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(
        MAX_CONTENT_LENGTH=20 * MB,
        DEBUG=False,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        JSON_SORT_KEYS=False,
        WTF_CSRF_TIME_LIMIT=None,  # a form left open over lunch should still submit
        PERMANENT_SESSION_LIFETIME=auth.SESSION_LIFETIME,  # idle timeout: refreshed on every request
        SESSION_REFRESH_EACH_REQUEST=True,
    )
    app.config.update(config or {})
    # Secure cookies except under tests and explicit local-http opt-out (PRACTICEBANK_INSECURE_COOKIES=1).
    if "SESSION_COOKIE_SECURE" not in (config or {}):
        app.config["SESSION_COOKIE_SECURE"] = (not app.config.get("TESTING")
                                               and os.environ.get("PRACTICEBANK_INSECURE_COOKIES") != "1")
    app.config["DEBUG"] = False  # never the debugger on a served app, whatever the config says
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key()
    from practicebank.web.jsonio import StrictJSONProvider

    app.json = StrictJSONProvider(app)  # no NaN/Infinity, lone surrogates or deep nesting in or out
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.extensions["practicebank"] = app.config.pop("SERVICES", None) or _load_services(app)

    i18n.init_app(app)
    from practicebank.web import explain, messages

    explain.init_app(app)  # the engine's reasons and terms in the page's language
    messages.init_app(app)  # validation and upload errors likewise
    csrf = CSRFProtect(app)
    auth.init_app(app)
    _register_blueprints(app, csrf)
    _register_accounts(app, csrf)
    app.after_request(_security_headers)
    _trust_proxies(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind N reverse proxies or load balancers (PRACTICEBANK_TRUSTED_PROXIES=N, or the config
    key), take the client's address and scheme from the X-Forwarded-For/-Proto headers the last
    N proxies set, so rate limits, lockouts and logs see the client, not the balancer. Without
    it those headers are ignored: anyone could write them."""
    raw = app.config.get("PRACTICEBANK_TRUSTED_PROXIES", os.environ.get("PRACTICEBANK_TRUSTED_PROXIES", "0"))
    try:
        hops = int(str(raw).strip() or 0)
    except ValueError:
        raise ValueError(f"PRACTICEBANK_TRUSTED_PROXIES must be a whole number of proxies (0-10), not {raw!r}")
    if not 0 <= hops <= 10:
        raise ValueError(f"PRACTICEBANK_TRUSTED_PROXIES must be from 0 to 10, not {hops}")
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def _secret_key() -> str:
    key = os.environ.get("PRACTICEBANK_SECRET_KEY")
    if key:
        return key
    # Sessions only carry the language and CSRF tokens; a per-process key logs everyone out
    # on restart and breaks sessions across several processes, hence the warning.
    log.warning("PRACTICEBANK_SECRET_KEY is not set: using a random key for this process only")
    return secrets.token_hex(32)


def _load_services(app: Flask):
    from practicebank.web.services import Services

    services = Services.from_env(app.config.get("PRACTICEBANK_HOME"), app.config.get("PRACTICEBANK_DATABASE_URL"))
    services.ensure_database()
    # a server follows the catalog in the background: requests never wait for an update
    services.refresh_mode = os.environ.get("PRACTICEBANK_REFRESH", "background")
    return services


def _register_blueprints(app: Flask, csrf: CSRFProtect) -> None:
    from practicebank.web.api import api
    from practicebank.web.views.pages import register as register_views
    from practicebank.web.views.errors import register_error_handlers

    csrf.exempt(api)  # a JSON API for scripts: no browser session, no CSRF token
    app.register_blueprint(api, url_prefix="/api/v1")
    register_views(app)
    register_error_handlers(app)


def _register_accounts(app: Flask, csrf: CSRFProtect) -> None:
    """Login, administration, the workflow pages and the token-only write API; then rate limits."""
    from practicebank.web.views import account, workflow

    app.register_blueprint(account.bp)
    app.register_blueprint(workflow.bp)
    csrf.exempt(workflow.api_bp)  # bearer tokens only, never the session cookie: no CSRF exposure
    app.register_blueprint(workflow.api_bp, url_prefix="/api/v1")
    from practicebank.catalog import replication as replication_rules, workflow as workflow_rules

    app.jinja_env.globals.update(workflow_panel=workflow.panel, pick_label=i18n_pick, awaiting_count=workflow.awaiting_count,
                                 workflow_action_labels=workflow_rules.ACTION_LABELS,
                                 replication_labels=replication_rules.STATUS_LABELS,
                                 replication_action_labels=replication_rules.ACTION_LABELS)
    auth.apply_rate_limits(app)


def i18n_pick(labels: tuple[str, str] | None, code: str = "") -> str:
    """The English or Russian one of a (en, ru) label pair."""
    if not labels:
        return code
    return labels[1] if i18n.lang() == "ru" else labels[0]


# Pages no shared cache or browser history may keep: accounts, one-time tokens, drafts.
PRIVATE_PREFIXES = ("/admin", "/workspace", "/login", "/logout", "/projects/new")
HSTS = "max-age=31536000; includeSubDomains"


def _security_headers(response):
    from flask import g, request
    from flask_login import current_user

    if (request.path.startswith(PRIVATE_PREFIXES) or request.path.endswith("/edit")
            or g.get("token_principal") is not None or current_user.is_authenticated):
        response.headers["Cache-Control"] = "no-store"
        response.headers.setdefault("Pragma", "no-cache")
    if request.is_secure:  # only over https: an http answer cannot set it (browsers ignore it)
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response
