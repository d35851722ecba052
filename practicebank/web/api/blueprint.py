"""The JSON API's blueprint, on which the route modules register (``web/api/__init__.py``
imports them): apart from the package, so that the route modules never import it back."""
from flask import Blueprint

api = Blueprint("api", __name__)
