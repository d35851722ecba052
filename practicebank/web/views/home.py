"""The home page: what the catalog holds, the headline duplicate figures, a search box."""
from __future__ import annotations

from flask import Blueprint, render_template

from practicebank.web.views import attempt, engine, index_state

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    stats = engine.services().stats()
    headline, unavailable = attempt(engine.call, "headline")
    return render_template("home.html", stats=stats, h=headline, unavailable=unavailable,
                           **index_state())
