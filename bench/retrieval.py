"""Retrieval quality on the public bench sets: hybrid retriever vs plain TF-IDF, same run.

    python -m bench.retrieval          # figures with the default weights -> results/retrieval.json
    python -m bench.retrieval --tune   # also choose fusion weights on a split (bench/README.md)
"""
from __future__ import annotations

import argparse
import itertools
import random
import time

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from bench.common import (DATASETS, load_dataset, raw_records, synthetic_catalog,
                          synthetic_queries, ranking_metrics, write_result)
from practicebank.matcher.dense import record_functions
from practicebank.matcher.retrieval import COMPONENTS, HybridRetriever, fuse, normalise
from practicebank.settings import RETRIEVAL_WEIGHTS

K = 10
# every component built (a zero weight skips BM25 in the retriever); fusion weights are
# applied afterwards to the collected pools
ALL_COMPONENTS = {c: 1.0 for c in COMPONENTS}


def tfidf_baseline(raw_records, queries) -> list[list[str]]:
    """Plain TF-IDF cosine (scikit-learn defaults) over the bench ``text`` as given."""
    ids = [r["id"] for r in raw_records]
    matrix = TfidfVectorizer().fit_transform([r["text"] for r in raw_records])
    row = {rid: i for i, rid in enumerate(ids)}
    ranked = []
    for q in queries:
        i = row[q["query_record"]]
        sims = (matrix @ matrix[i].T).toarray().ravel()
        sims[i] = -np.inf
        ranked.append([ids[j] for j in np.argsort(-sims, kind="stable")[:K]])
    return ranked


def collect_pools(retriever: HybridRetriever, records, queries) -> list[tuple[list[str], dict]]:
    """Per query: the pool's ids and normalised components (fusion is then cheap to redo)."""
    by_id = {r.id: r for r in records}
    out = []
    for q in queries:
        rec = by_id[q["query_record"]]
        rows, comps = retriever.pool(rec.text, record_functions(rec), exclude_ids=[rec.id])
        out.append(([retriever.ids_[r] for r in rows], {c: normalise(v) for c, v in comps.items()}))
    return out


def rank(pools, weights) -> list[list[str]]:
    ranked = []
    for ids, comps in pools:
        scores = fuse(comps, weights)
        ranked.append([ids[i] for i in np.argsort(-scores, kind="stable")[:K]])
    return ranked


def evaluate(pools, queries, weights) -> dict:
    return ranking_metrics(rank(pools, weights), [q["relevant"] for q in queries])


def cluster_split(queries, seed: int = 13) -> tuple[list[int], list[int]]:
    """Half the clusters for tuning, half for checking: a query and its relevant records
    always fall on the same side, so the check half is unseen."""
    key = [min([q["query_record"], *q["relevant"]]) for q in queries]
    clusters = sorted(set(key))
    random.Random(seed).shuffle(clusters)
    tune = set(clusters[: len(clusters) // 2])
    return ([i for i, k in enumerate(key) if k in tune], [i for i, k in enumerate(key) if k not in tune])


def simplex(names, step: float):
    units = round(1 / step)
    for combo in itertools.product(range(units + 1), repeat=len(names) - 1):
        if sum(combo) <= units:
            yield dict(zip(names, [c * step for c in combo] + [(units - sum(combo)) * step]))


def best_weights(data: dict, half: int | None, step: float) -> dict:
    """Grid over the simplex maximising the mean over sets of MRR (``half``: that half only)."""
    names = [c for c in COMPONENTS if c != "tags"]

    def objective(weights):
        return np.mean([subset_mrr(d, weights, half) for d in data.values()])

    return max(simplex(names, step), key=objective)


def subset_mrr(d: dict, weights, half: int | None) -> float:
    idx = range(len(d["queries"])) if half is None else cluster_split(d["queries"])[half]
    return evaluate([d["pools"][i] for i in idx], [d["queries"][i] for i in idx], weights)["mrr"]


def tune(data: dict, step: float = 0.1) -> dict:
    """Weights on all bench queries, plus a 2-fold cross-validation over query clusters for an
    unbiased estimate (tune on one half, score the other)."""
    held_out = {name: [] for name in data}
    for fold in (0, 1):
        weights = best_weights(data, fold, step)
        for name, d in data.items():
            held_out[name].append(subset_mrr(d, weights, 1 - fold))
    chosen = best_weights(data, None, step)
    return {"method": f"grid over the simplex (step {step}), objective mean over sets of MRR",
            "weights": {k: round(v, 3) for k, v in chosen.items()},
            "mrr_all_queries": {n: subset_mrr(d, chosen, None) for n, d in data.items()},
            "mrr_2fold_cv_held_out": {n: round(float(np.mean(v)), 4) for n, v in held_out.items()}}


def tune_tags(retriever: HybridRetriever, records, queries) -> dict:
    """Weight of tag agreement on the synthetic catalog, whose queries carry industries and
    technologies (the bench sets have none); other weights as chosen on the bench sets."""
    by_id = {r.id: r for r in records}
    pools = []
    for q in queries:
        rec = by_id[q["query_record"]]
        rows, comps = retriever.pool(rec.text, record_functions(rec), rec.industries,
                                     rec.technologies, exclude_ids=[rec.id])
        pools.append(([retriever.ids_[r] for r in rows], {c: normalise(v) for c, v in comps.items()}))
    scores = {}
    for t in (0.0, 0.05, 0.1, 0.2, 0.3, 0.5):
        scores[t] = evaluate(pools, queries, {**RETRIEVAL_WEIGHTS, "tags": t})
    return {"method": "tags weight in {0..0.5}, others fixed; synthetic 1k, variants of a type "
                      "are relevant to each other", "by_weight": scores}


def run(do_tune: bool) -> dict:
    data, report = {}, {"k": K, "weights": RETRIEVAL_WEIGHTS, "datasets": {}}
    for name in DATASETS:
        records, queries = load_dataset(name)
        start = time.perf_counter()
        retriever = HybridRetriever(weights=ALL_COMPONENTS).fit(records)
        fit_s = time.perf_counter() - start
        start = time.perf_counter()
        pools = collect_pools(retriever, records, queries)
        query_ms = (time.perf_counter() - start) / len(queries) * 1000
        relevant = [q["relevant"] for q in queries]
        report["datasets"][name] = {
            "records": len(records), "queries": len(queries),
            "fit_seconds": round(fit_s, 2), "query_ms_mean": round(query_ms, 2),
            "tfidf_baseline": ranking_metrics(tfidf_baseline(raw_records(name), queries), relevant),
            "hybrid": evaluate(pools, queries, RETRIEVAL_WEIGHTS),
            "components_alone": {c: evaluate(pools, queries, {c: 1.0}) for c in COMPONENTS
                                 if c != "tags"},
        }
        data[name] = {"pools": pools, "queries": queries}
    if do_tune:
        report["tuning"] = tune(data)
        records, truth = synthetic_catalog(1000)
        queries = synthetic_queries(truth)
        report["tuning_tags"] = tune_tags(HybridRetriever().fit(records), records, queries)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tune", action="store_true", help="choose fusion weights on a split")
    args = parser.parse_args()
    report = run(args.tune)
    path = write_result("retrieval", report)
    for name, d in report["datasets"].items():
        print(f"{name}: baseline {d['tfidf_baseline']}\n{name}: hybrid   {d['hybrid']}")
        for c, m in d["components_alone"].items():
            print(f"   {c:<11} alone MRR {m['mrr']}")
    for key in ("tuning", "tuning_tags"):
        if key in report:
            print(f"{key}:", report[key])
    print("written", path)


if __name__ == "__main__":
    main()
