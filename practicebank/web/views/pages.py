"""Registers the HTML page blueprints and the helpers every template uses on an app.

Kept apart from ``web/views/__init__.py`` so that the package (whose helpers the page modules
import) never imports the page modules back: the import graph has no cycle.
"""
from __future__ import annotations

from flask import Flask, request

from practicebank import settings


def register(app: Flask) -> None:
    from practicebank.web.views import (compare, docs, duplicates, home, is_operator, pct, planning, projects, regions, scale,
                           search, similarity, url_with)
    # /check-plan lives in web/views/portfolio.py on the planning blueprint: its routes must be
    # attached before that blueprint is registered.
    from practicebank.web.views import portfolio  # noqa: F401

    for module in (home, search, projects, planning, compare, duplicates, regions, scale, docs):
        app.register_blueprint(module.bp)
    app.jinja_env.globals.update(url_with=url_with, pct=pct, similarity=similarity, is_operator=is_operator)
    # links leave the threshold out of the URL when it is the default
    app.jinja_env.globals.update(near_identical_threshold=settings.NEAR_IDENTICAL_THRESHOLD,
                                 threshold_min=settings.THRESHOLD_MIN, threshold_max=settings.THRESHOLD_MAX)
    app.context_processor(lambda: {"request_endpoint": request.endpoint})
