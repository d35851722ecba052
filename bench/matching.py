"""Matching on the hand-written bilingual set, by language: retrieval and overlap vs TF-IDF.

    python -m bench.matching

For every setting (plans in English or Russian against a catalog in English or Russian) the
~40 hand-written systems form the catalog and each planned system asks the whole engine
(``MatchingEngine.recommend``, as the product does): recall@1 and MRR of its target system,
and the overlap MAE in points of the plan against its target (true overlap = the share of the
plan's functions labelled as performed by the target). Figures are given for the test split
(domains the calibration never saw) and the fit split.

Baselines in the same run: character n-gram TF-IDF (char_wb 3-5) retrieval, and a TF-IDF
overlap (the same one-to-one assignment, a pair counts when its cosine passes a threshold
tuned on the fit split). Results: ``bench/results/matching.json``.
"""
from __future__ import annotations

import json
import time

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.feature_extraction.text import TfidfVectorizer

from bench.common import write_result
from bench.handwritten import SETTINGS, Plan, plans, systems
from practicebank.matcher.engine import MatchingEngine
from practicebank.matcher.records import ProjectRecord



def catalog(lang: str) -> list[ProjectRecord]:
    return [ProjectRecord(id=s["id"], title=s[f"title_{lang}"], features=tuple(f[lang] for f in s["functions"]),
                          status="in_operation") for s in systems()]


def planned(plan: Plan, lang: str) -> ProjectRecord:
    return ProjectRecord(id=f"plan-{plan.id}", title=plan.title[lang],
                         features=tuple(f[lang] for f in plan.functions), status="planned")


def engine_figures(engine: MatchingEngine, chosen: list[Plan], plan_lang: str) -> dict:
    ranks, errors = [], []
    for plan in chosen:
        record = planned(plan, plan_lang)
        results = engine.recommend(record, k=10).to_dict()["results"]
        ids = [r["id"] for r in results]
        if plan.target:
            ranks.append(ids.index(plan.target) + 1 if plan.target in ids else None)
            truth = plan.true_overlap()
            got = engine.overlap_.compare(record, engine.records_[plan.target]).overlap
        else:  # nothing in the catalog does this plan: the best answer should overlap little
            truth, got = 0.0, max((r["overlap"] or 0.0 for r in results), default=0.0)
        errors.append(abs(got - truth))
    return _summary(ranks, errors)


def _summary(ranks: list, errors: list) -> dict:
    rr = [1.0 / r if r else 0.0 for r in ranks]
    return {"plans": len(errors), "recall_at_1": round(float(np.mean([r == 1 for r in ranks])), 3) if ranks else None,
            "mrr": round(float(np.mean(rr)), 3) if rr else None,
            "overlap_mae": round(float(np.mean(errors)), 1) if errors else None}


def tfidf_figures(cat: list[ProjectRecord], chosen: list[Plan], plan_lang: str, threshold: float) -> dict:
    texts = [r.text for r in cat]
    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit(texts)
    matrix = vec.transform(texts)
    by_id = {r.id: r for r in cat}
    ranks, errors = [], []
    for plan in chosen:
        record = planned(plan, plan_lang)
        scores = (matrix @ vec.transform([record.text]).T).toarray().ravel()
        order = [cat[i].id for i in np.argsort(-scores, kind="stable")]
        if plan.target:
            ranks.append(order.index(plan.target) + 1)
            errors.append(abs(tfidf_overlap(vec, record.features, by_id[plan.target].features, threshold)
                              - plan.true_overlap()))
    return _summary(ranks, errors)


def tfidf_overlap(vec, a, b, threshold: float) -> float:
    sim = (vec.transform(a) @ vec.transform(b).T).toarray()
    rows, cols = linear_sum_assignment(sim, maximize=True)
    return 100.0 * float((sim[rows, cols] >= threshold).sum()) / len(a)


def tune_tfidf_threshold(fit_plans: list[Plan]) -> float:
    by_id = {s["id"]: s for s in systems()}
    grid = np.arange(0.05, 0.95, 0.05)

    def mae(t: float) -> float:
        errs = []
        for lang in ("en", "ru"):
            cat = catalog(lang)
            vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit([r.text for r in cat])
            for p in fit_plans:
                if p.target in by_id:
                    target = [f[lang] for f in by_id[p.target]["functions"]]
                    errs.append(abs(tfidf_overlap(vec, [f[lang] for f in p.functions], target, t) - p.true_overlap()))
        return float(np.mean(errs))
    return float(min(grid, key=mae))


def main() -> None:
    started = time.time()
    all_plans = plans()
    by_split = {s: [p for p in all_plans if p.split == s] for s in ("test", "fit")}
    threshold = tune_tfidf_threshold(by_split["fit"])
    report: dict = {"systems": len(systems()), "plans": {s: len(p) for s, p in by_split.items()},
                    "tfidf_overlap_threshold": round(threshold, 2), "settings": {}}
    engines = {lang: MatchingEngine(families=False).fit(catalog(lang)) for lang in ("en", "ru")}
    for setting in SETTINGS:
        plan_lang, catalog_lang = setting.split("/")
        report["settings"][setting] = {
            split: {"engine": engine_figures(engines[catalog_lang], chosen, plan_lang),
                    "tfidf_char": tfidf_figures(catalog(catalog_lang), chosen, plan_lang, threshold)}
            for split, chosen in by_split.items() if chosen}
    report["seconds"] = round(time.time() - started, 1)
    print(json.dumps(report, indent=1, ensure_ascii=False))
    print("written", write_result("matching", report))


if __name__ == "__main__":
    main()
