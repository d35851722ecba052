"""/api/docs: the OpenAPI document as a server-rendered page (no external assets)."""
from __future__ import annotations

from flask import Blueprint, render_template

from web.api.openapi import document

bp = Blueprint("docs", __name__)


@bp.get("/api/docs")
def api_docs():
    return render_template("api_docs.html", doc=document())
