"""The Flask application (pages and the JSON API) over web.services, the one gateway to the
catalog and the engine."""
