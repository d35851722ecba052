"""`practicebank serve`: the web application under a production WSGI server.

One process (the default) runs under waitress with a pool of threads sharing one engine and
one model. Page rendering and most of the engine are Python and hold the GIL, so one
process uses about one core: ``--workers N`` runs N processes under gunicorn (threads in
each), each loading its own engine, and a node then uses all its cores.
"""
from __future__ import annotations

import os
import sys
import threading

import click

from practicebank.cli.common import cli_state, home_option
from practicebank.cli.console import console


@click.command()
@home_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64), help="Worker threads per process.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Processes, each with its own engine in memory (gunicorn; Linux and macOS). "
                   "Use the number of cores on a node that only serves.")
def serve(host: str, port: int, threads: int, workers: int) -> None:
    """Serve the web pages and the JSON API (/api/v1)."""
    config = cli_state().app_config()
    if workers > 1:
        run_workers(host, port, threads, workers, config)
    else:
        run_server(host, port, threads, config)


def run_server(host: str = "127.0.0.1", port: int = 8000, threads: int = 8, config: dict | None = None) -> None:
    """``config``: the app's home and database (``CliState.app_config``)."""
    import waitress

    from practicebank.web.app import create_app

    app = create_app(config)  # loads Services (and with it the engine) once for the whole process
    _warm_up(app)
    _announce(host, port)
    waitress.serve(app, host=host, port=port, **waitress_options(app, threads))


def waitress_options(app, threads: int = 8) -> dict:
    """waitress's settings: no ``Server: waitress`` header (``ident``), the body limit of the app."""
    # waitress answers a body over its own limit with a plain-text 413 before the app sees it; at twice
    # the app's limit, a body just over MAX_CONTENT_LENGTH reaches Flask, whose 413 is in the API's
    # error shape (and a page on the site), while waitress still stops the grossly oversized.
    return {"threads": threads, "max_request_body_size": 2 * app.config["MAX_CONTENT_LENGTH"], "ident": ""}


def run_workers(host: str, port: int, threads: int, workers: int, config: dict | None = None) -> None:
    if sys.platform == "win32":
        raise click.UsageError("--workers needs gunicorn, which does not run on Windows: "
                               "run several `practicebank serve` on different ports behind a proxy instead.")
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self) -> None:
            # Each worker creates its own app after the fork (no preload): torch and the
            # engine are never shared across a fork, and a worker that dies is replaced whole.
            bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"  # IPv6 in brackets
            settings = {"bind": bind, "workers": workers, "threads": threads,
                        "worker_class": "gthread", "timeout": 120, "graceful_timeout": 20,
                        # browsers and proxies keep connections open between clicks
                        "keepalive": 75,
                        "post_worker_init": _post_worker_init, "accesslog": None, "loglevel": "warning"}
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self):
            from practicebank.web.app import create_app

            return create_app(config)

    import gunicorn.http.wsgi

    gunicorn.http.wsgi.SERVER = "practicebank"  # not "gunicorn" and its version in every Server header
    _announce(host, port, workers)
    if os.environ.get("PRACTICEBANK_RATELIMIT_STORAGE", "memory://").startswith("memory"):
        console.print(f"Rate limits count per process: each of the {workers} allows the full limit. "
                      "Set PRACTICEBANK_RATELIMIT_STORAGE=redis://host:6379 to count them together.")
    Server().run()


def _post_worker_init(worker) -> None:
    # Loading a large index takes longer than gunicorn's worker timeout, and a worker that does
    # not report in by then is killed and restarted, over and over: report while warming up.
    done = threading.Event()

    def heartbeat() -> None:
        while not done.wait(5):
            worker.notify()

    threading.Thread(target=heartbeat, daemon=True, name="warm-up heartbeat").start()
    try:
        _warm_up(worker.wsgi)
    finally:
        done.set()
    _share_cores(worker.cfg.workers)  # after warm-up: the libraries it limits are loaded by now


def _share_cores(workers: int) -> None:
    """Give each process its share of the cores: N processes each running BLAS (numpy, scipy,
    the encoder's forward pass) with a thread per core would fight over them. Requests are
    small products where threads cost more than they save."""
    from threadpoolctl import threadpool_limits

    from practicebank.matcher.encoder import shared_encoder

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    share = max(1, cores // workers)  # the cores this process may use (a container's limit, say)
    threadpool_limits(share)
    shared_encoder().set_threads(share)


def _announce(host: str, port: int, workers: int = 1) -> None:
    processes = f" ({workers} processes)" if workers > 1 else ""
    console.print(f"Practice Bank on http://{host}:{port}/{processes} (API docs at /api/docs). Ctrl+C stops it.")


def _warm_up(app) -> None:
    """Load the index and the model before the first request rather than during it."""
    from practicebank.errors import IndexNotBuilt

    services = app.extensions["practicebank"]
    try:
        services.engine()
        from practicebank.matcher.encoder import shared_encoder

        shared_encoder().encode(["warm up"])
    except IndexNotBuilt:
        console.print("No index yet: engine pages will say so until you run `practicebank index`.")
