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

from web import i18n

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
    )
    app.config.update(config or {})
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key()
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.extensions["practicebank"] = app.config.pop("SERVICES", None) or _load_services(app)

    i18n.init_app(app)
    csrf = CSRFProtect(app)
    _register_blueprints(app, csrf)
    app.after_request(_security_headers)
    return app


def _secret_key() -> str:
    key = os.environ.get("PRACTICEBANK_SECRET_KEY")
    if key:
        return key
    # Sessions only carry the language and CSRF tokens; a per-process key logs everyone out
    # on restart and breaks sessions across several processes, hence the warning.
    log.warning("PRACTICEBANK_SECRET_KEY is not set: using a random key for this process only")
    return secrets.token_hex(32)


def _load_services(app: Flask):
    from web.services import Services

    services = Services.from_env(app.config.get("PRACTICEBANK_HOME"), app.config.get("PRACTICEBANK_DATABASE_URL"))
    services.ensure_database()
    return services


def _register_blueprints(app: Flask, csrf: CSRFProtect) -> None:
    from web.api import api
    from web.views import register as register_views
    from web.views.errors import register_error_handlers

    csrf.exempt(api)  # a JSON API for scripts: no browser session, no CSRF token
    app.register_blueprint(api, url_prefix="/api/v1")
    register_views(app)
    register_error_handlers(app)


def _security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response
