"""The HTML pages: one blueprint per page family, plus helpers every template uses."""
from __future__ import annotations

from typing import Any, Callable

from flask import Flask, request, url_for

from web.views import engine


def register(app: Flask) -> None:
    from web.views import compare, docs, duplicates, home, planning, projects, regions, scale, search

    for module in (home, search, projects, planning, compare, duplicates, regions, scale, docs):
        app.register_blueprint(module.bp)
    app.jinja_env.globals.update(url_with=url_with, pct=pct, similarity=similarity)
    app.context_processor(lambda: {"request_endpoint": request.endpoint})


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
    return "—" if value is None else f"{value:.0f}%"


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


def index_state() -> dict:
    """For the banner: is there an index, and is it older than the catalog?"""
    status = engine.index_status()
    return {"index_status": status, "index_stale": bool(status and status.get("stale"))}
