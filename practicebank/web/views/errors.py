"""The one error mapping of the web app: JSON in the API's one error shape under /api/, an
HTML page in the page's language elsewhere, with the same status.

Every domain refusal (``practicebank.errors.Refusal``: workflow, accounts, files, the index,
bad input as ``ApiError``/``QueryError``) carries its status; views let it propagate and
``_refusal`` answers it. A form post that shows a refusal on the page it redirects to wraps
its change in ``flashed_refusals()``. A 403/404 refusal goes to the security log and shows
the plain 403/404 page (a hidden record looks like a missing one). werkzeug's HTTP errors
keep their status; anything else is a bug, logged with its traceback.
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Iterator

from flask import Flask, flash, jsonify, render_template, request
from flask_babel import gettext
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from practicebank.errors import Forbidden, IndexNotBuilt, NotFound, Refusal
from practicebank.web import messages
from practicebank.web.api.errors import ApiError, error_response
from practicebank.web.auth import log_refused
from practicebank.web.params import QueryError

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
    @app.errorhandler(Refusal)
    def _refusal(error: Refusal):
        if isinstance(error, (NotFound, Forbidden)):  # the web's own ApiErrors are logged where raised
            log_refused(f"{type(error).__name__}: {error}")
        if _is_api():
            response = jsonify(error.to_dict())
            response.status_code = error.status
            return response
        return _page(error.status, *page_text(error))

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


def page_text(error: Refusal) -> tuple[str, list[str]]:
    """A refusal's message and items on a page, in the page's language."""
    if isinstance(error, IndexNotBuilt):
        return _not_built_text(), []
    if isinstance(error, ApiError):  # the web's own words to the asker (what to change)
        return messages.api_error_text(error), messages.api_error_items(error)
    if error.status in (403, 404):  # never what was refused: a hidden record looks like a missing one
        return _status_text(error.status), []
    if isinstance(error, QueryError):
        return gettext("Some filters are not valid"), messages.query_error_items(error)
    return messages.refusal_text(error), []


def _not_built_text() -> str:
    from practicebank.web.views import is_operator

    if is_operator():  # how to build the index is the operator's concern, never a reader's
        return gettext("The index is not built yet — run `practicebank index`.")
    return gettext("Matching results are not available yet: the catalog is being indexed.")


@contextmanager
def flashed_refusals() -> Iterator[None]:
    """For a form post that redirects either way: a refusal is flashed in the page's language
    (the caller's success flash is skipped); a 403/404 propagates to the one handler."""
    try:
        yield
    except Refusal as error:
        flash_refusal(error)


def flash_refusal(error: Refusal) -> None:
    """Flash a refusal in the page's language; a 403/404 is raised again for the one handler
    (a hidden record is a 404 page, never a message that it exists)."""
    if error.status in (403, 404):
        raise error
    flash(messages.refusal_text(error), "error")


def _page_message(error: HTTPException) -> str:
    if error.code == 400 and "CSRF" in (error.description or ""):
        return gettext("The form has expired. Reload the page and submit it again.")
    return _status_text(error.code or 500)


def _status_text(status: int) -> str:
    texts = {
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
    # any other status: a sentence in the page's language rather than werkzeug's English description
    return texts.get(status, gettext("The request could not be completed (error %(code)s).", code=status))


def _page(status: int, message: str, errors: list):
    return render_template("error.html", status=status, message=message, errors=errors), status
