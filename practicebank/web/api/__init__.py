"""The JSON API under /api/v1: the CLI's operations and JSON shapes over HTTP."""
from practicebank.web.api import catalog_routes, engine_routes, openapi  # noqa: F401  (routes register on `api`)
from practicebank.web.api.blueprint import api
