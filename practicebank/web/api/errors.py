"""The one error shape of the API: {"ok": false, "error", "errors", "status"}."""
from __future__ import annotations

from flask import jsonify


class ApiError(Exception):
    """Raised by API views for bad input; ``error`` says what to change."""

    def __init__(self, status: int, error: str, errors: list | None = None, *, code: str | None = None,
                 params: dict | None = None, details: list | None = None):
        super().__init__(error)
        self.status, self.error, self.errors = status, error, errors or []
        # for pages in other languages (web/messages.py): the error as a code with parameters,
        # and ``details`` the same for each item of ``errors`` ({"code", "params"} or None)
        self.code, self.params, self.details = code, params or {}, details or []


def error_response(status: int, error: str, errors: list | None = None):
    response = jsonify({"ok": False, "error": error, "errors": list(errors or []), "status": status})
    response.status_code = status
    return response


NOT_BUILT = "the index is not built yet — run `practicebank index`"
