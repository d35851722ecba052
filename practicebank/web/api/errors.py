"""Bad input to a page or the API (``ApiError``) and the API's one error shape,
{"ok": false, "error", "errors", "status"} (``Refusal.to_dict()``, answered by web/views/errors.py)."""
from __future__ import annotations

from flask import jsonify

from practicebank.errors import Refusal


class ApiError(Refusal):
    """Bad input to a page or the API, with its status; ``error`` says what to change.

    The text is English already formatted (no template to translate): a page renders
    ``code``/``params`` instead (web/messages.py).
    """

    def __init__(self, status: int, error: str, errors: list | None = None, *, code: str | None = None,
                 params: dict | None = None, details: list | None = None):
        super().__init__(error)
        self.status, self.error, self.errors = status, error, list(errors or [])
        # for pages in other languages (web/messages.py): the error as a code with parameters,
        # and ``details`` the same for each item of ``errors`` ({"code", "params"} or None)
        self.code, self.params, self.details = code, params or {}, details or []


def error_response(status: int, error: str, errors: list | None = None):
    response = jsonify({"ok": False, "error": error, "errors": list(errors or []), "status": status})
    response.status_code = status
    return response

