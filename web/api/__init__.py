"""The JSON API under /api/v1: the CLI's operations and JSON shapes over HTTP."""
from web.api import catalog_routes, engine_routes, openapi  # noqa: F401  (routes register on `api`)
from web.api.blueprint import api
