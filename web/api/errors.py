"""The one error shape of the API: {"ok": false, "error", "errors", "status"}."""
from __future__ import annotations

from flask import jsonify


class ApiError(Exception):
    """Raised by API views for bad input; ``error`` says what to change."""

    def __init__(self, status: int, error: str, errors: list | None = None):
        super().__init__(error)
        self.status, self.error, self.errors = status, error, errors or []


def error_response(status: int, error: str, errors: list | None = None):
    response = jsonify({"ok": False, "error": error, "errors": list(errors or []), "status": status})
    response.status_code = status
    return response


NOT_BUILT = "the index is not built yet — run `practicebank index`"
