"""Dense top-10 at 100k and 1M projects: exact numpy vs the HNSW index (matcher/ann.py).

Embeddings are SYNTHETIC: clustered random unit vectors in 384 dimensions (2,000 clusters,
like many regions building the same few hundred kinds of systems). Embedding 1M real texts
with all-MiniLM-L6-v2 on this 2-core machine would take ~2.5 hours (110 texts/s, PERF-NOTES),
and the search cost depends only on the vectors' count and dimension, not on their source.

Measured through ``DenseIndex.top`` (what the engine calls): exact = matrix-vector product +
argpartition; ANN = HNSW (M=16, ef_construction=200, ef=128) + exact rescoring of the k rows.
Recall@10 = share of the exact top-10 that the ANN returns. Memory: bytes of the vector matrix
and the process RSS growth while building the HNSW graph.

    .venv/bin/python bench/scale.py [--sizes 100000 1000000] [--queries 300]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from practicebank.matcher import ann  # noqa: E402
from practicebank.matcher.dense import DenseIndex  # noqa: E402

DIM = 384
OUT = Path(__file__).with_name("results") / "scale.json"


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def clustered(n: int, rng: np.random.Generator, centers: np.ndarray, spread: float = 0.6) -> np.ndarray:
    out = np.empty((n, DIM), dtype=np.float32)
    for start in range(0, n, 100_000):
        stop = min(n, start + 100_000)
        labels = rng.integers(0, len(centers), stop - start)
        block = centers[labels] + spread * rng.standard_normal((stop - start, DIM), dtype=np.float32) / np.sqrt(DIM)
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        out[start:stop] = block
    return out


def percentiles(ms: list[float]) -> dict:
    a = np.asarray(ms)
    return {"p50_ms": round(float(np.percentile(a, 50)), 3), "p95_ms": round(float(np.percentile(a, 95)), 3),
            "p99_ms": round(float(np.percentile(a, 99)), 3), "mean_ms": round(float(a.mean()), 3)}


def run(n: int, queries: int, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    centers = rng.standard_normal((2000, DIM), dtype=np.float32)
    centers /= np.linalg.norm(centers, axis=1, keepdims=True)
    t = time.perf_counter()
    vectors = clustered(n, rng, centers)
    qs = clustered(queries, rng, centers)
    gen_s = time.perf_counter() - t

    os.environ["PRACTICEBANK_ANN_THRESHOLD"] = str(10**12)  # exact first
    index = DenseIndex()
    index.ids_ = [f"p{i}" for i in range(n)]
    index.vectors_ = vectors
    index._refresh_ann()
    exact_ms, exact_top = [], []
    for q in qs:
        t = time.perf_counter()
        rows, _ = index.top(q, 10)
        exact_ms.append((time.perf_counter() - t) * 1000)
        exact_top.append(rows)

    os.environ["PRACTICEBANK_ANN_THRESHOLD"] = "1"
    before = rss_mb()
    t = time.perf_counter()
    index._refresh_ann()
    build_s = time.perf_counter() - t
    ann_rss = rss_mb() - before
    assert index.uses_ann
    ann_ms, hits = [], 0
    for q, truth in zip(qs, exact_top):
        t = time.perf_counter()
        rows, _ = index.top(q, 10)
        ann_ms.append((time.perf_counter() - t) * 1000)
        hits += len(set(rows.tolist()) & set(truth.tolist()))
    filtered_ms = []
    allowed = rng.random(n) < 0.3  # a facet filter keeping 30% of the catalog
    for q in qs[:100]:
        t = time.perf_counter()
        index.top(q, 10, allowed)
        filtered_ms.append((time.perf_counter() - t) * 1000)
    result = {
        "records": n, "queries": queries, "generate_seconds": round(gen_s, 1),
        "vectors_mb": round(vectors.nbytes / 2**20, 1),
        "exact": percentiles(exact_ms),
        "ann": {**percentiles(ann_ms), "build_seconds": round(build_s, 1), "rss_growth_mb": round(ann_rss, 1),
                "recall_at_10": round(hits / (10 * queries), 4), "M": ann.M,
                "ef_construction": ann.EF_CONSTRUCTION, "ef": ann.EF_SEARCH},
        "ann_filtered_30pct": percentiles(filtered_ms),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(json.dumps(result), flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    results = [run(n, args.queries) for n in args.sizes]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({
        "what": "dense top-10 through DenseIndex.top: exact numpy vs hnswlib HNSW, synthetic clustered unit "
                "vectors (384-d); embedding 1M real texts here would take ~2.5 h (110 texts/s)",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "note": "2 cores shared with other workers while measuring"},
        "results": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
