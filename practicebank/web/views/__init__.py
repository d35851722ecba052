"""The HTML pages: one blueprint per page family, plus helpers every template uses and
``services()``, the one way a page or an API route reaches the catalog and the engine.

The blueprints are registered on an app by ``web.views.pages.register`` (this package never
imports its page modules, which import these helpers).
"""
from __future__ import annotations

from typing import Any, Callable

from flask import current_app, request, url_for

from practicebank.errors import IndexNotBuilt


def services():
    """The application's ``Services``: the only way pages and the API reach the catalog and the engine."""
    return current_app.extensions["practicebank"]


def url_with(**changes: Any) -> str:
    """The current page's URL with some query parameters changed (None removes one)."""
    args = request.args.copy()
    for key, value in changes.items():
        args.poplist(key)
        if value is None:
            continue
        for item in value if isinstance(value, (list, tuple)) else [value]:
            args.add(key, item)
    if request.endpoint is None:  # an error page for an unknown address
        from urllib.parse import urlencode

        query = urlencode(list(args.items(multi=True)))
        return request.path + ("?" + query if query else "")
    return url_for(request.endpoint, **(request.view_args or {}), **args.to_dict(flat=False))


def pct(value: float | None) -> str:
    """A percentage in 0..100 the page's way: «81 %» in Russian, "81%" in English."""
    from practicebank.web.i18n import percent

    return percent(value)


def similarity(value: float | None) -> str:
    """A similarity in 0..1 (or already a percentage) as a percentage."""
    if value is None:
        return "—"
    return pct(value * 100 if value <= 1 else value)


def attempt(operation: Callable, *args: Any, **kwargs: Any) -> tuple[Any, bool]:
    """(result, False), or (None, True) when the engine cannot answer yet (no index): the page
    then says so in place of the results; any other error propagates."""
    try:
        return operation(*args, **kwargs), False
    except IndexNotBuilt:
        return None, True


def is_operator() -> bool:
    """May this request see how the index stands (administrators only)?"""
    from practicebank.catalog.roles import Role
    from practicebank.web.auth import actor

    return actor().role == Role.ADMIN


def index_state() -> dict:
    """For the banner: is there an index, and is it older than the catalog? Asked only for an
    administrator: the engine follows the catalog by itself, readers never see a stale notice."""
    if not is_operator():
        return {"index_status": None, "index_stale": False}
    try:
        status = services().index_status()
    except IndexNotBuilt:
        status = None
    return {"index_status": status, "index_stale": bool(status and status.get("stale"))}
