"""Functional overlap benchmark: MAE in points against ground truth, by language, vs TF-IDF.

    python -m bench.overlap

The shipped calibration (fitted by ``python -m bench.calibrate`` on the hand-written fit split)
is evaluated, never refitted here, on:

* synthetic catalogs (``catalog.synthetic``, odd-numbered system types, seed 22) written in
  English, in Russian and mixed (each record in one language: pairs across languages);
* ``bench/paraphrase_set.jsonl``: hand-written planned vs existing lists, wording deliberately
  different, true overlap assigned by hand (English).

The hand-written bilingual set has its own bench (``bench/matching.py``).

Baseline: word TF-IDF (1-2 grams) cosine, the same one-to-one assignment, a pair counts as
a match when its cosine is at least t; t is tuned on a synthetic catalog of the even types.
"""
from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.feature_extraction.text import TfidfVectorizer

from practicebank.catalog.synthetic import generate, true_overlap
from practicebank.catalog.system_types import SYSTEM_TYPES
from practicebank.matcher.functions import function_statements
from practicebank.matcher.overlap import FunctionalOverlap
from practicebank.matcher.similarity import is_cyrillic
from practicebank.matcher.training import ListPair

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "overlap.json"
PARAPHRASES = ROOT / "bench" / "paraphrase_set.jsonl"
TRAIN_SEED, TEST_SEED = 11, 22
TRAIN_TYPES, TEST_TYPES = SYSTEM_TYPES[0::2], SYSTEM_TYPES[1::2]
LANGUAGES = ("en", "ru", "mixed")


def regions() -> list[dict]:
    data = json.loads((ROOT / "practicebank" / "seed_data" / "regions.json").read_text(encoding="utf-8"))
    return data["regions"] if isinstance(data, dict) else data


def script(texts: list[str]) -> str:
    flags = {is_cyrillic(t) for t in texts}
    return "ru" if flags == {True} else "en" if flags == {False} else "mixed"


def synthetic_pairs(seed: int, types, n_records: int = 600, n_anchors: int = 300, language: str = "en") -> list[dict]:
    """Record pairs of a synthetic catalog: same type, same industry, and random partners."""
    catalog = generate(n_records, seed, regions(), types, language=language)
    truth = catalog.truth_by_id()
    recs = [r for r in catalog.records if len(function_statements(r["features"])) == len(r["features"])]
    rng = random.Random(seed)
    by_type: dict = {}
    for r in recs:
        by_type.setdefault(truth[r["id"]]["type"], []).append(r)
    out = []
    for a in rng.sample(recs, min(n_anchors, len(recs))):
        same_type = [r for r in by_type.get(truth[a["id"]]["type"], []) if r is not a]
        same_industry = [r for r in recs if r is not a and set(r["industries"]) & set(a["industries"])]
        for pool in (same_type, same_industry, recs):
            if pool:
                b = rng.choice(pool)
                if b is not a:
                    out.append(_pair(a, b, truth))
    return out


def _pair(a: dict, b: dict, truth: dict) -> dict:
    ta, tb = truth[a["id"]], truth[b["id"]]
    lp = ListPair(list(a["features"]), list(b["features"]), ta["feature_functions"], tb["feature_functions"])
    return {"pair": lp, "true": true_overlap(ta, tb), "script": script(lp.a + lp.b),
            "kind": f"{ta['kind']}->{tb['kind']}"}


def paraphrase_pairs() -> list[dict]:
    out = []
    for line in PARAPHRASES.read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        a_ids = [f"p{i}" for i in range(len(d["planned"]))]
        lp = ListPair(d["planned"], d["existing"], a_ids, [])
        out.append({"pair": lp, "true": d["overlap"], "script": script(d["planned"] + d["existing"]),
                    "kind": d["id"]})
    return out


def tfidf_overlaps(pairs: list[dict], threshold: float) -> np.ndarray:
    texts = sorted({t for p in pairs for t in p["pair"].a + p["pair"].b})
    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit(texts)
    out = []
    for p in pairs:
        a, b = vec.transform(p["pair"].a), vec.transform(p["pair"].b)
        sim = (a @ b.T).toarray()
        rows, cols = linear_sum_assignment(sim, maximize=True)
        out.append(100.0 * (sim[rows, cols] >= threshold).sum() / len(p["pair"].a))
    return np.array(out)


def tune_tfidf(pairs: list[dict]) -> float:
    truth = np.array([p["true"] for p in pairs])
    grid = np.arange(0.05, 0.95, 0.05)
    return float(min(grid, key=lambda t: np.abs(tfidf_overlaps(pairs, t) - truth).mean()))


def matcher_overlaps(overlap: FunctionalOverlap, pairs: list[dict]) -> np.ndarray:
    return np.array([overlap.compare(p["pair"].a, p["pair"].b).overlap for p in pairs])


def mae_report(pred: np.ndarray, pairs: list[dict]) -> dict:
    truth = np.array([p["true"] for p in pairs])
    err = np.abs(pred - truth)
    rep = {"mae": round(float(err.mean()), 2), "n": len(pairs),
           "within_10_points": round(float((err <= 10).mean()), 3)}
    for s in ("en", "ru", "mixed"):
        m = np.array([p["script"] == s for p in pairs])
        if m.any():
            rep[f"mae_{s}"] = round(float(err[m].mean()), 2)
            rep[f"n_{s}"] = int(m.sum())
    same_script = np.array([p["script"] != "mixed" for p in pairs])
    rep["mae_same_script"] = round(float(err[same_script].mean()), 2)
    return rep


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="functional overlap benchmark")
    parser.parse_args(argv)
    started = time.perf_counter()
    overlap = FunctionalOverlap()
    t = tune_tfidf(synthetic_pairs(TRAIN_SEED, TRAIN_TYPES, n_anchors=150))
    results: dict = {"tfidf_threshold": round(t, 2), "synthetic_held_out": {}}
    for language in LANGUAGES:
        pairs = synthetic_pairs(TEST_SEED, TEST_TYPES, n_anchors=150, language=language)
        results["synthetic_held_out"][language] = {
            "catalog": f"seed {TEST_SEED}, odd-numbered system types, written in {language}",
            "matcher": mae_report(matcher_overlaps(overlap, pairs), pairs),
            "tfidf_baseline": mae_report(tfidf_overlaps(pairs, t), pairs)}
    para = paraphrase_pairs()
    results["paraphrase_set"] = {"matcher": mae_report(matcher_overlaps(overlap, para), para),
                                 "tfidf_baseline": mae_report(tfidf_overlaps(para, t), para)}
    results["seconds"] = round(time.perf_counter() - started, 1)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
