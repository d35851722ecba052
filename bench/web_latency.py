"""Warm page latency of the web application on a synthetic catalog (issue: web application).

    python -m bench.web_latency [--size 1000] [--repeat 60]

Builds a home with ``practicebank seed --synthetic N`` and an index (embeddings cached in
``bench/results/tmp`` between runs), then times requests through the Flask test client after
a warm-up: search, the project passport, the recommend API and the plan page. The baseline in
the same run is the cheapest request the app serves (``GET /api/v1/stats``: the request floor
plus one SQL count), so the ratios say what each page costs above the framework.
Writes ``bench/results/web_latency.json``.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from pathlib import Path

from bench.common import RESULTS, bench_app, indexed_home, machine, write_result

CACHE = RESULTS / "tmp"


def build_home(size: int) -> Path:
    return indexed_home(CACHE / f"web-{size}", size)


def percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {"p50_ms": round(statistics.median(ordered), 2),
            "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 2), "n": len(ordered)}


def time_requests(client, make_request, repeat: int) -> dict:
    for _ in range(3):  # warm-up: model, index and templates loaded
        make_request(client, 0)
    samples = []
    for i in range(repeat):
        started = time.perf_counter()
        response = make_request(client, i)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (response.status_code, response.data[:300])
    return percentiles(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=60)
    args = parser.parse_args()
    CACHE.mkdir(parents=True, exist_ok=True)
    home = build_home(args.size)

    services, app = bench_app(home)
    ids = [r.id for r in services.records()]
    rng = random.Random(1)
    words = ["kindergarten", "doctor appointment", "parking", "utility payments", "school diary",
             "inspection", "transport card", "tourism", "air quality", "subsidies"]
    plans = [{"text": f"{w} online service", "features": [f"{w} online", f"notifications about {w}"]} for w in words]
    cases = {
        "baseline: GET /api/v1/stats": lambda c, i: c.get("/api/v1/stats"),
        "search page (1-2 words)": lambda c, i: c.get(f"/search?q={words[i % len(words)]}"),
        "search page with a facet": lambda c, i: c.get(f"/search?q={words[i % len(words)]}&industry=education"),
        "project passport": lambda c, i: c.get(f"/projects/{rng.choice(ids)}"),
        "POST /api/v1/recommend": lambda c, i: c.post("/api/v1/recommend", json=plans[i % len(plans)]),
    }
    results = {}
    with app.test_client() as client:
        for name, request in cases.items():
            results[name] = time_requests(client, request, args.repeat)
            print(f"{name:32s} p50 {results[name]['p50_ms']:8.2f} ms  p95 {results[name]['p95_ms']:8.2f} ms")
    floor = results["baseline: GET /api/v1/stats"]["p50_ms"]
    for name, figures in results.items():
        figures["ratio_to_baseline_p50"] = round(figures["p50_ms"] / floor, 1)
    write_result("web_latency", {"size": args.size, "repeat": args.repeat, "machine": machine(),
                                 "load_average": os.getloadavg(), "results": results})


if __name__ == "__main__":
    main()
