"""Warm latency of the federal desk pages (/scale, /duplicates, a family page) on a synthetic catalog.

    python -m bench.federal_desk [--size 1500] [--repeat 40] [--before-repeat 5]

Builds a home with a synthetic catalog and its index (embeddings cached in
``bench/results/tmp/desk-embeddings.npz`` between runs), then times requests through the
Flask test client after a warm-up. Two conditions in the same run:

- ``after``: the board and the families are computed once per index revision (the engine's
  memo, ``web.desk`` rows kept by Services); a view filters, sorts and pages them;
- ``before``: the same requests with those memos dropped before every request, i.e. the
  board ranked and the duplicates document rebuilt on every view, as the pages did before.

The baseline is ``GET /api/v1/stats`` (the request floor plus one SQL count).
Writes ``bench/results/federal_desk.json``.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import time
from pathlib import Path

from bench.common import RESULTS, machine, write_result
from bench.web_latency import percentiles

CACHE = RESULTS / "tmp"
EMBEDDINGS = CACHE / "desk-embeddings.npz"


def build_home(size: int, rebuild: bool) -> tuple[Path, float | None]:
    from practicebank.web.services import Services

    home = CACHE / f"desk-{size}"
    if home.exists() and not rebuild and (home / "index" / "engine").exists():
        return home, None
    if home.exists():
        shutil.rmtree(home)
    services = Services.from_env(home)
    services.ensure_database()
    services.seed_synthetic(size, seed=7)
    services.index_dir.mkdir(parents=True, exist_ok=True)
    if EMBEDDINGS.exists():
        shutil.copy(EMBEDDINGS, services.embedding_cache)
    started = time.perf_counter()
    services.build_index(lambda step: print(f"  {step}", flush=True))
    seconds = time.perf_counter() - started
    print(f"indexed {size} projects in {seconds:.1f} s", flush=True)
    shutil.copy(services.embedding_cache, EMBEDDINGS)
    return home, seconds


def forget(services) -> None:
    """Drop what the desk remembers: the next request computes everything again."""
    engine = services.engine()
    engine.__dict__.pop("desk_memo_", None)
    services.__dict__.pop("_desk_cache", None)


def timed(client, url: str, repeat: int, before=None) -> dict:
    for _ in range(2):  # warm-up: model, index, templates
        assert client.get(url).status_code == 200, url
    samples = []
    for _ in range(repeat):
        if before:
            before()
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return percentiles(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1500)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--before-repeat", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true", help="build the home and index again")
    args = parser.parse_args()
    CACHE.mkdir(parents=True, exist_ok=True)
    home, index_seconds = build_home(args.size, args.rebuild)

    from practicebank.web.app import create_app
    from practicebank.web.services import Services

    services = Services.from_env(home)
    app = create_app({"SERVICES": services, "TESTING": True, "WTF_CSRF_ENABLED": False})
    started = time.perf_counter()
    services.scale_board()
    first_board = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    page = services.duplicate_families()
    first_families = (time.perf_counter() - started) * 1000
    family = page["families"][0]["id"] if page["families"] else None
    print(f"first board {first_board:.0f} ms, first families page {first_families:.0f} ms; "
          f"{page['families_total']} families", flush=True)

    urls = {"baseline: GET /api/v1/stats": "/api/v1/stats",
            "GET /scale": "/scale?lang=ru",
            "GET /scale (district + status filter)": "/scale?district=volga&status=approved&lang=ru",
            "GET /duplicates": "/duplicates?lang=ru",
            "GET /duplicates (page 2, by size, industry)": "/duplicates?page=2&sort=size&industry=education&lang=ru",
            "GET / (home, headline)": "/?lang=ru"}
    if family:
        urls["GET /duplicates/<family>"] = f"/duplicates/{family}?lang=ru"
    results: dict[str, dict] = {"after": {}, "before": {}}
    with app.test_client() as client:
        for name, url in urls.items():
            results["after"][name] = timed(client, url, args.repeat)
            print(f"after   {name:44s} p50 {results['after'][name]['p50_ms']:8.1f} ms  "
                  f"p95 {results['after'][name]['p95_ms']:8.1f} ms", flush=True)
        for name in ("GET /scale", "GET /duplicates"):
            results["before"][name] = timed(client, urls[name], args.before_repeat, lambda: forget(services))
            print(f"before  {name:44s} p50 {results['before'][name]['p50_ms']:8.1f} ms  "
                  f"p95 {results['before'][name]['p95_ms']:8.1f} ms", flush=True)
    run = {"size": args.size, "repeat": args.repeat, "before_repeat": args.before_repeat, "machine": machine(),
           "load_average": os.getloadavg(), "index_seconds": index_seconds, "families": page["families_total"],
           "first_compute_ms": {"scale_board": round(first_board, 1), "duplicates_page": round(first_families, 1)},
           "results": results}
    write_result("federal_desk", {"target": "p95 <= 200 ms warm for /scale and /duplicates",
                                  "runs": {**previous_runs(), str(args.size): run}})


def previous_runs() -> dict:
    """The runs of other catalog sizes already in the results file (one file, every size)."""
    path = RESULTS / "federal_desk.json"
    try:
        document = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    if "runs" in document:
        return document["runs"]
    return {str(document["size"]): document} if "size" in document else {}


if __name__ == "__main__":
    main()
