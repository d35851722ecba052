"""The HTML pages: one blueprint per page family, plus helpers every template uses.

The blueprints are registered on an app by ``web.views.pages.register`` (this package never
imports its page modules, which import these helpers).
"""
from __future__ import annotations

from typing import Any, Callable

from flask import request, url_for

from practicebank.web.views import engine


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
    """(result, False), or (None, True) when the engine cannot answer yet."""
    try:
        return operation(*args, **kwargs), False
    except engine.EngineUnavailable:
        return None, True


def is_operator() -> bool:
    """May this request see how the index stands (administrators only)?"""
    from practicebank.web.auth import actor

    return actor().role == "admin"


def index_state() -> dict:
    """For the banner: is there an index, and is it older than the catalog? Asked only for an
    administrator: the engine follows the catalog by itself, readers never see a stale notice."""
    if not is_operator():
        return {"index_status": None, "index_stale": False}
    status = engine.index_status()
    return {"index_status": status, "index_stale": bool(status and status.get("stale"))}
