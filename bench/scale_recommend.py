"""Recommend latency and memory as the catalog grows: the whole pipeline, exact vs HNSW.

What runs is the engine's own ``Recommender`` (hybrid retrieval: dense candidates, word and
character TF-IDF, function-level scores, tags; then the calibrated functional overlap of 30
candidates with evidence) over a synthetic catalog of N projects (``catalog.synthetic``).

Embeddings are SYNTHETIC: a hashing encoder (word 1-2 and character 3-5 grams hashed to 2^16
columns, projected to 384 dimensions by a fixed random matrix, L2-normalised) stands in for
all-MiniLM-L6-v2, which would need ~3 hours here to embed the ~1.1M texts of 100k projects
(110 texts/s, PERF-NOTES). Search cost depends on the vectors' count and dimension, not their
source, so latency and memory are representative; relevance is not, and is measured elsewhere
(bench/retrieval.py). The plan's own embedding (model time, ~25 ms for a text and ten
functions) is not included: the figure is the engine's cost for a plan already embedded.

Baseline in the same run: the same engine with exact dense search (numpy product over all
rows) instead of the HNSW graph.

    .venv/bin/python bench/scale_recommend.py [--sizes 10000 100000] [--queries 100]
"""
from __future__ import annotations

import argparse
import gc
import json
import platform
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from practicebank.catalog.synthetic import generate  # noqa: E402
from practicebank.matcher import ann  # noqa: E402
from practicebank.matcher.overlap import FunctionalOverlap  # noqa: E402
from practicebank.matcher.recommend import Recommender  # noqa: E402
from practicebank.matcher.records import ProjectRecord  # noqa: E402
from practicebank.matcher.retrieval import HybridRetriever  # noqa: E402
from sklearn.feature_extraction.text import HashingVectorizer  # noqa: E402

OUT = Path(__file__).with_name("results") / "scale_recommend.json"
REGIONS = json.loads((Path(__file__).resolve().parents[1] / "practicebank" / "seed_data" / "regions.json").read_text(encoding="utf-8"))
DIM = 384


class HashingEncoder:
    """Similar texts get similar vectors, at ~10k texts/s, with no model (see module doc)."""

    def __init__(self, seed: int = 0, features: int = 2**16):
        self.word = HashingVectorizer(ngram_range=(1, 2), n_features=features, alternate_sign=False, norm="l2")
        self.char = HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5), n_features=features,
                                      alternate_sign=False, norm="l2")
        self.projection = np.random.default_rng(seed).standard_normal((features, DIM)).astype(np.float32)
        self.cache: dict = {}

    def encode(self, texts, remember: bool = True) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        todo = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if todo:
            self.cache.update(zip(todo, self._embed(todo)))
        return np.stack([self.cache[t] for t in texts])

    def _embed(self, texts: list[str]) -> np.ndarray:
        out = []
        for start in range(0, len(texts), 20000):
            chunk = texts[start:start + 20000]
            # float32 on both sides: a float64 left side would copy the projection every call
            vectors = (self.word.transform(chunk).astype(np.float32) @ self.projection
                       + self.char.transform(chunk).astype(np.float32) @ self.projection)
            out.append(vectors.astype(np.float32))
        vectors = np.vstack(out)
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def catalog(n: int, seed: int) -> list[ProjectRecord]:
    groups = {r["code"]: r.get("group") for r in REGIONS}
    return [ProjectRecord.from_dict(r, region_group=groups.get(r["region"])) for r in generate(n, seed, REGIONS).records]


def percentiles(ms: list[float]) -> dict:
    a = np.asarray(ms)
    return {"p50_ms": round(float(np.percentile(a, 50)), 2), "p95_ms": round(float(np.percentile(a, 95)), 2),
            "mean_ms": round(float(a.mean()), 2)}


def timed_recommend(recommender: Recommender, plans: list[ProjectRecord]) -> list[float]:
    for plan in plans:  # embeds each plan once (the encoder keeps it): what is timed is the engine
        recommender.recommend(plan, k=10)
    times = []
    for plan in plans:
        started = time.perf_counter()
        recommender.recommend(plan, k=10)
        times.append((time.perf_counter() - started) * 1000)
    return times


def run(n: int, queries: int, encoder: HashingEncoder) -> dict:
    t = time.perf_counter()
    records = catalog(n, seed=11)
    plans = [ProjectRecord(id=f"plan-{r.id}", title=r.title, summary=r.summary, features=r.features,
                           industries=r.industries, status="planned")
             for r in catalog(queries, seed=12)]
    generated = time.perf_counter() - t
    before = rss_mb()
    t = time.perf_counter()
    retriever = HybridRetriever(encoder).fit(records)
    overlap = FunctionalOverlap(encoder).fit(records)
    recommender = Recommender(retriever, overlap, records)
    fit_seconds = time.perf_counter() - t
    result = {"records": n, "queries": queries, "generate_seconds": round(generated, 1),
              "fit_seconds": round(fit_seconds, 1), "rss_growth_mb": round(rss_mb() - before),
              "dense_uses_hnsw": retriever.dense_.uses_ann}
    result["recommend"] = percentiles(timed_recommend(recommender, plans))
    graph = retriever.dense_.ann_
    if graph is not None:  # the baseline: the same engine with exact dense search
        retriever.dense_.ann_ = None
        result["recommend_exact_dense"] = percentiles(timed_recommend(recommender, plans))
        retriever.dense_.ann_ = graph
        result["exact_over_hnsw_p50"] = round(result["recommend_exact_dense"]["p50_ms"] / result["recommend"]["p50_ms"], 2)
    t = time.perf_counter()
    for plan in plans:
        retriever.pool(plan.text, plan.features, plan.industries)
    result["retrieval_pool_mean_ms"] = round((time.perf_counter() - t) * 1000 / len(plans), 2)
    print(json.dumps(result), flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    encoder = HashingEncoder()
    results = []
    for n in args.sizes:
        results.append(run(n, args.queries, encoder))
        gc.collect()
    document = {
        "what": __doc__.split("\n\n")[0] + " Synthetic hashing embeddings; plan embedding not included.",
        "ann_threshold": ann.ann_threshold(),
        "machine": {"cpus": __import__("os").cpu_count(), "python": platform.python_version()},
        "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(document, indent=2) + "\n")
    print(json.dumps(document, indent=2))


if __name__ == "__main__":
    main()
