"""`practicebank serve`: the web application under waitress (a production WSGI server)."""
from __future__ import annotations

import click

from web.cli import home_option, main
from web.console import console


@main.command()
@home_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64), help="Worker threads.")
def serve(host: str, port: int, threads: int) -> None:
    """Serve the web pages and the JSON API (/api/v1)."""
    run_server(host, port, threads)


def run_server(host: str = "127.0.0.1", port: int = 8000, threads: int = 8) -> None:
    import waitress

    from web.app import create_app

    app = create_app()  # loads Services (and with it the engine) once for the whole process
    _warm_up(app)
    console.print(f"Practice Bank on http://{host}:{port}/ (API docs at /api/docs). Ctrl+C stops it.")
    waitress.serve(app, host=host, port=port, threads=threads, max_request_body_size=app.config["MAX_CONTENT_LENGTH"])


def _warm_up(app) -> None:
    """Load the index and the model before the first request rather than during it."""
    from web.services import IndexNotBuilt

    services = app.extensions["practicebank"]
    try:
        services.engine()
        from matcher.encoder import shared_encoder

        shared_encoder().encode(["warm up"])
    except IndexNotBuilt:
        console.print("No index yet: engine pages will say so until you run `practicebank index`.")
