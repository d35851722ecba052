"""Error handlers: JSON in the API's one error shape under /api/, an HTML page elsewhere.

User input never yields a 500: bad values raise QueryError/ApiError (400) and werkzeug's
HTTP errors keep their status; anything else is a bug, logged with its traceback.
"""
from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_babel import gettext
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from practicebank.web import messages
from practicebank.web.api.errors import NOT_BUILT, ApiError, error_response
from practicebank.web.queries import QueryError
from practicebank.web.views.engine import EngineUnavailable

log = logging.getLogger(__name__)


def _is_api() -> bool:
    return request.path.startswith("/api/") and not request.path.startswith("/api/docs")


def _limit_mb() -> int:
    from flask import current_app

    return int((current_app.config.get("MAX_CONTENT_LENGTH") or 0) / (1024 * 1024))


def _http_message(error: HTTPException) -> str:
    if isinstance(error, RequestEntityTooLarge):
        return f"the upload is too big: the limit is {_limit_mb()} MB; split the file into smaller ones"
    return error.description or error.name


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(error: ApiError):
        if _is_api():
            return error_response(error.status, error.error, error.errors)
        return _page(error.status, messages.api_error_text(error), messages.api_error_items(error))

    @app.errorhandler(QueryError)
    def _query_error(error: QueryError):
        if _is_api():
            return error_response(400, str(error), error.errors)
        return _page(400, gettext("Some filters are not valid"), messages.query_error_items(error))

    @app.errorhandler(EngineUnavailable)
    def _engine_unavailable(_error: EngineUnavailable):
        if _is_api():
            return error_response(503, NOT_BUILT)
        from practicebank.web.views import is_operator

        if is_operator():  # how to build the index is the operator's concern, never a reader's
            return _page(503, gettext("The index is not built yet — run `practicebank index`."), [])
        return _page(503, gettext("Matching results are not available yet: the catalog is being indexed."), [])

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        if _is_api():
            response = error_response(error.code or 500, _http_message(error))
        else:
            response = app.make_response(_page(error.code or 500, _page_message(error), []))
        # Keep the exception's own headers (a 405's Allow, a 401's WWW-Authenticate, a 429's Retry-After);
        # the body and its type are ours.
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        if _is_api():
            return error_response(500, "internal error; it has been logged")
        return _page(500, gettext("Something went wrong on our side. The error has been logged."), [])


def _page_message(error: HTTPException) -> str:
    messages = {
        400: gettext("The request was not understood. Check the form and try again."),
        401: gettext("Sign in to open this page."),
        403: gettext("You do not have access to this page. Sign in with an account that has the right role, "
                     "or ask an administrator."),
        404: gettext("There is no such page or record."),
        405: gettext("This address does not accept that kind of request."),
        413: gettext("The upload is too big: the limit is %(mb)s MB. Split the file into smaller ones.",
                     mb=_limit_mb()),
        429: gettext("Too many requests. Wait a minute and try again."),
        503: gettext("The service is temporarily unavailable. Try again in a few minutes."),
    }
    if error.code == 400 and "CSRF" in (error.description or ""):
        return gettext("The form has expired. Reload the page and submit it again.")
    # any other status: a sentence in the page's language rather than werkzeug's English description
    return messages.get(error.code or 500, gettext("The request could not be completed (error %(code)s).",
                                                   code=error.code or 500))


def _page(status: int, message: str, errors: list):
    return render_template("error.html", status=status, message=message, errors=errors), status
