"""The JSON API under /api/v1: the CLI's operations and JSON shapes over HTTP."""
from flask import Blueprint

api = Blueprint("api", __name__)

from web.api import catalog_routes, engine_routes, openapi  # noqa: E402,F401  (routes register on `api`)
