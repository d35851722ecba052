"""Load test: `practicebank serve` on 127.0.0.1 driven by 50 concurrent users for 60 s.

Users mix search (GET /search?q=), passports (GET /projects/<id>) and recommendations
(POST /api/v1/recommend). A bounded thread pool of keep-alive HTTP clients (stdlib only);
bench/locustfile.py drives the same mix with locust (`pip install .[bench]`).

POST /api/v1/recommend is rate-limited per IP (60/minute, web/auth.py), and all users here
share one IP, so recommendations are paced to 1 per second in total: a 429 would be the limit
working, not an error. Everything else goes as fast as 50 users can send.

    .venv/bin/python bench/load.py [--records 10000] [--users 50] [--seconds 60] [--home DIR] [--servers 1x8 2x2]

Each server configuration (``practicebank serve --workers W --threads T``) gets the same load
in turn; the first is the baseline the others are compared with.

The catalog is synthetic (`seed --synthetic N`) and indexed before the server starts.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path
from typing import Sequence

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(__file__).with_name("results") / "load.json"
QUERIES = ["kindergarten", "clinic appointment", "school meals", "traffic", "waste", "tourism portal",
           "электронная очередь", "transport card", "agriculture subsidies", "museum tickets", "telemedicine",
           "smart city", "parking", "social benefits", "energy metering"]
PLANS = ["online enrolment in kindergartens with queue tracking", "appointment booking for clinics",
         "public transport fare payment by card", "monitoring of waste collection trucks",
         "digital platform for tourist routes", "subsidy applications for farmers"]


def cli(home: Path, *args: str, timeout: float = 1800) -> str:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PRACTICEBANK_HOME": str(home)}
    result = subprocess.run([sys.executable, "-c", "from practicebank.cli import main; main()", *args, "--home", str(home)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise SystemExit(f"practicebank {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(port: int, proc: subprocess.Popen, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited: {Path(proc.args[-1]).joinpath('serve.log').read_text()[-2000:]}")
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", "/api/v1/stats")
            if c.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not come up")


class Pacer:
    """At most ``rate`` events per second across all threads."""

    def __init__(self, rate: float):
        self.interval, self.next, self.lock = 1.0 / rate, time.monotonic(), threading.Lock()

    def ready(self) -> bool:
        with self.lock:
            now = time.monotonic()
            if now >= self.next:
                self.next = max(self.next + self.interval, now)
                return True
            return False


def user(port: int, ids: list[str], deadline: float, seed: int, pacer: Pacer, samples, errors, lock,
         think: float = 0.0, rare: Sequence[str] = ()) -> None:
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.monotonic() < deadline:
        if think:  # a person reads a page before the next click (locust's wait_time)
            time.sleep(rng.uniform(0.5 * think, 1.5 * think))
        if pacer.ready():
            op, method, path = "recommend", "POST", "/api/v1/recommend"
            body = json.dumps({"text": rng.choice(PLANS)}).encode()
        elif rng.random() < 0.5:
            # Half the searches are the popular ones, half rare words from the catalog's own
            # functions: the server remembers recent queries, and a test of 15 would only
            # measure that memory.
            query = rng.choice(QUERIES) if not rare or rng.random() < 0.5 else " ".join(rng.sample(rare, 2))
            op, method, path, body = "search", "GET", "/search?q=" + urllib.parse.quote(query), None
        else:
            op, method, path, body = "passport", "GET", f"/projects/{rng.choice(ids)}", None
        headers = {"Content-Type": "application/json"} if body else {}
        started = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as error:
            status = f"{type(error).__name__}"
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            samples[op].append(elapsed)
            if status != 200:
                errors[op][str(status)] += 1
    conn.close()


def server_config(text: str) -> tuple[int, int]:
    workers, _, threads = text.partition("x")
    try:
        return int(workers), int(threads)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WORKERSxTHREADS such as 2x2, not {text!r}") from None


def summarise(values: list[float], seconds: float) -> dict:
    if not values:
        return {"requests": 0}
    a = np.asarray(values)
    return {"requests": len(values), "throughput_rps": round(len(values) / seconds, 1),
            **{f"p{p}_ms": round(float(np.percentile(a, p)), 1) for p in (50, 95, 99)},
            "max_ms": round(float(a.max()), 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=10000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--servers", type=server_config, nargs="+", default=[(1, 8), (2, 2)],
                        help="server configurations WORKERSxTHREADS, run one after the other; the first is the "
                             "baseline (default: 1x8 2x2)")
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean seconds a user waits between requests (0: closed loop, as fast as possible)")
    parser.add_argument("--home", type=Path, default=None, help="reuse a home that is already seeded and indexed")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="pb-load-"))
    setup = {}
    if not (home / "index" / "engine" / "manifest.json").exists():
        t = time.perf_counter()
        cli(home, "init")
        cli(home, "seed", "--synthetic", str(args.records))
        setup["seed_seconds"] = round(time.perf_counter() - t, 1)
        t = time.perf_counter()
        cli(home, "index")
        setup["index_seconds"] = round(time.perf_counter() - t, 1)
    stats = json.loads(cli(home, "stats", "--json"))
    sys.path.insert(0, str(ROOT))
    from practicebank.catalog.db import Database

    db = Database.from_env(home)
    with db.read() as session:
        ids = [row[0] for row in session.execute(__import__("sqlalchemy").text("SELECT id FROM projects"))]
        features = [row[0] for row in session.execute(__import__("sqlalchemy").text(
            "SELECT text FROM project_features ORDER BY project_id, position LIMIT 20000"))]
    db.dispose()
    rare = sorted({w.lower() for f in features for w in f.split() if len(w) > 5 and w.isalpha()})

    runs = [run_load(home, ids, rare, args, workers, threads) for workers, threads in args.servers]
    base = runs[0]["total"]
    for run in runs[1:]:
        run["vs_first"] = {"throughput": round(run["total"]["throughput_rps"] / base["throughput_rps"], 2),
                           "p95": round(run["total"]["p95_ms"] / base["p95_ms"], 2)}
    result = {
        "what": f"{args.users} concurrent users for {args.seconds:.0f} s per server configuration against "
                f"`practicebank serve` on 127.0.0.1; each user waits {args.think} s on average (uniform 0.5-1.5x) "
                "between requests (0: as fast as possible); passports of random projects, searches half popular "
                "queries and half random pairs of catalog words, recommend paced to 0.95/s (the per-IP limit is "
                f"60/minute); {len(rare)} distinct rare words. The first configuration is the baseline of the run.",
        "catalog": {"projects": stats["projects"], "synthetic": True, **setup},
        "machine": {"cpus": os.cpu_count(), "note": "client and server on the same 2 cores"},
        "runs": runs,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


def run_load(home: Path, ids: list[str], rare: list[str], args, workers: int, threads: int) -> dict:
    port = free_port()
    # The server's log goes to a file: a pipe nobody reads fills up with waitress's "task queue
    # depth" warnings under load and then blocks the server's main thread (a 30 s stall here).
    server_log = (home / "serve.log").open("w")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PRACTICEBANK_HOME": str(home)}
    server = subprocess.Popen([sys.executable, "-c", "from practicebank.cli import main; main()", "serve", "--host", "127.0.0.1",
                               "--port", str(port), "--threads", str(threads), "--workers", str(workers),
                               "--home", str(home)],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=server_log)
    try:
        t = time.perf_counter()
        wait_up(port, server)
        start_seconds = round(time.perf_counter() - t, 1)
        samples: dict[str, list[float]] = defaultdict(list)
        errors: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        lock, pacer = threading.Lock(), Pacer(0.95)  # under the 60/minute limit, so a 429 is a real error
        started = time.monotonic()
        deadline = started + args.seconds
        users = [threading.Thread(target=user, args=(port, ids, deadline, i, pacer, samples, errors, lock,
                                                     args.think, rare)) for i in range(args.users)]
        for th in users:
            th.start()
        for th in users:
            th.join()
        seconds = time.monotonic() - started
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
        server_log.close()
    everything = [v for vs in samples.values() for v in vs]
    return {
        "server": f"practicebank serve --workers {workers} --threads {threads}"
                  + (" (gunicorn)" if workers > 1 else " (waitress)"),
        "server_start_seconds": start_seconds, "seconds": round(seconds, 1),
        "total": summarise(everything, seconds),
        "by_operation": {op: summarise(vs, seconds) for op, vs in sorted(samples.items())},
        "errors": {op: dict(e) for op, e in errors.items()},
        "error_count": sum(n for e in errors.values() for n in e.values()),
    }


if __name__ == "__main__":
    main()
