"""The home page: what the catalog holds, the headline duplicate figures, a search box."""
from __future__ import annotations

from flask import Blueprint, render_template

from practicebank.web.auth import public
from practicebank.web.views import attempt, index_state, services

bp = Blueprint("home", __name__)


@bp.get("/")
@public
def index():
    stats = services().stats()
    headline, unavailable = attempt(services().headline)
    return render_template("home.html", stats=stats, h=headline, unavailable=unavailable,
                           **index_state())
