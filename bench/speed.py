"""Speed and memory: the encoder, index build at 1k/10k, warm query latency.

    python -m bench.speed [--sizes 1000 10000]   -> results/speed.json
Catalogs come from catalog.synthetic (deterministic); each size starts with an empty
embedding cache, so index times include all embedding.
"""
from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np

from bench.common import raw_records, synthetic_catalog, write_result
from practicebank.matcher.dense import top_k
from practicebank.matcher.encoder import Encoder

SEARCH_QUERIES = ("kindergarten", "doctor appointment", "waste collection", "bus", "школа",
                  "parking permits online", "museum", "social support payments")


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentiles(samples_s: list[float]) -> dict:
    ms = np.array(samples_s) * 1000
    return {"p50_ms": round(float(np.percentile(ms, 50)), 2),
            "p95_ms": round(float(np.percentile(ms, 95)), 2), "n": len(ms)}


def timed(fn, *args, **kwargs) -> float:
    start = time.perf_counter()
    fn(*args, **kwargs)
    return time.perf_counter() - start


def bench_encoder(n: int = 256) -> dict:
    """Batch throughput and single-query latency, English and Russian texts."""
    texts = {"en": [r["text"][:600] for r in raw_records("dpg")[:n]],
             "ru": [r.text[:600] for r in synthetic_catalog(n, language="ru")[0]]}
    out = {}
    for language, batch in texts.items():
        enc = Encoder()
        enc.encode(batch[:16], remember=False)  # load and warm up
        seconds = timed(enc._embed, batch)
        single = [timed(enc._embed, [t[:80]]) for t in batch[:40]]
        out[language] = {"texts_per_s": round(len(batch) / seconds, 1), "single_short_query": percentiles(single)}
    return out


def planned_queries(records, n: int = 60):
    """Planned systems: a record's title, summary and features, the record left out."""
    step = max(1, len(records) // n)
    return [(r.id, f"{r.title}\n{r.summary}", list(r.features)) for r in records[::step][:n]]


def bench_size(size: int) -> dict:
    """`practicebank index` on a synthetic catalog from an empty embedding cache, then warm
    latency of recommend (the whole path: retrieval, overlap, ranking) and search, against a
    brute-force numpy baseline (embed the query, one matrix-vector product, top 10)."""
    from practicebank.matcher.engine import MatchingEngine
    from practicebank.matcher.records import ProjectRecord

    records, _ = synthetic_catalog(size)
    encoder = Encoder()  # empty cache: index time includes every embedding
    rss_before = rss_mb()
    start = time.perf_counter()
    engine = MatchingEngine(encoder, families=False).fit(records)
    fit_s = time.perf_counter() - start
    start = time.perf_counter()
    engine.finder()
    families_s = time.perf_counter() - start
    rss_after = rss_mb()
    queries = planned_queries(records)
    plans = [ProjectRecord(id=f"plan-{rid}", title=text, features=tuple(features), status="planned")
             for rid, text, features in queries]
    for plan in plans[:5]:  # warm-up
        engine.recommender_.recommend(plan, k=10)
    recommend = [timed(engine.recommender_.recommend, plan, 10) for plan in plans]
    # The same plans again: their functions are embedded (recent-text cache), so this is the
    # engine's own cost (retrieval, overlap, ranking) without the model.
    recommend_embedded = [timed(engine.recommender_.recommend, plan, 10) for plan in plans]
    embed_only = [timed(encoder.encode, [f"{p.title} {size} x", *[f"{f} {size} x" for f in p.features]], False)
                  for p in plans]
    hybrid = [timed(engine.retriever_.query, text, features, exclude_ids=[rid]) for rid, text, features in queries]
    vectors = engine.retriever_.dense_.vectors_

    def brute_force(text):
        top_k(vectors @ encoder.encode([text], remember=False)[0], 10)

    brute = [timed(brute_force, f"{text} {size}") for _, text, _ in queries]  # unseen text: embeds
    search = engine.search_
    searches = [timed(search.search, q) for q in SEARCH_QUERIES * 5]
    filtered = [timed(search.search, q, {"industry": ["education", "healthcare"]})
                for q in SEARCH_QUERIES * 5]
    browse = [timed(search.search, "", {"region_group": ["leading"]}) for _ in range(20)]
    latency = {"recommend_planned_system": percentiles(recommend),
               "recommend_plan_already_embedded": percentiles(recommend_embedded),
               "embedding_a_plan_text_and_functions": percentiles(embed_only),
               "hybrid_retriever_only": percentiles(hybrid),
               "brute_force_numpy_dense_top10": percentiles(brute),
               "search_1_3_words": percentiles(searches),
               "search_with_filters": percentiles(filtered),
               "search_empty_query_facets_only": percentiles(browse)}
    latency["recommend_p50_ratio_to_brute_force"] = round(
        latency["recommend_planned_system"]["p50_ms"] / latency["brute_force_numpy_dense_top10"]["p50_ms"], 2)
    return {
        "records": size, "features": int(sum(len(r.features) for r in records)),
        "texts_embedded": len(encoder.cache),
        "index_seconds": {"engine_fit_with_embedding": round(fit_s, 2), "families": round(families_s, 2),
                          "total_like_practicebank_index": round(fit_s + families_s, 2)},
        "rss_mb": {"before": round(rss_before), "after_index": round(rss_after),
                   "growth": round(rss_after - rss_before)},
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "query_latency_warm": latency,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    report = {"encoder": bench_encoder(), "catalogs": [bench_size(n) for n in args.sizes]}
    print(report)
    print("written", write_result("speed", report))


if __name__ == "__main__":
    main()
