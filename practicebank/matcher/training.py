"""Fitting the pair calibration: ground truth as function lists, aligned as in use.

Nothing here runs when the engine answers; ``bench/calibrate.py`` reads the hand-written data
and calls these functions (matcher never reads ``bench/`` or ``catalog/``).

Ground truth is a set of paraphrase clusters: texts that name one function, in either
language (``text -> Statement(cluster, domain, language)``). List pairs are drawn from one
domain's clusters so the negatives the assignment meets are hard ones, each side in a chosen
language, and every ALIGNED pair is labelled by whether both texts are in one cluster.
Fitting on random pairs instead would see mostly easy negatives and over-trust the moderate
similarities the assignment actually produces.

Every function here takes the overlap engine as an argument and leaves it as it was: a
different map is tried on a copy (``_with_map``), and the fitted map is returned, not installed.
"""
from __future__ import annotations

import json
import random
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, NamedTuple, Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment

from practicebank.matcher.calibration import DEFAULT_PATH, EPS, SimilarityCalibrator
from practicebank.matcher.overlap import FunctionalOverlap
from practicebank.matcher.similarity import CROSS, FEATURES, pair_features


class Statement(NamedTuple):
    cluster: str
    domain: str
    language: str


@dataclass
class ListPair:
    """Two function lists and the canonical function id of every statement."""

    a: list[str]
    b: list[str]
    a_ids: list[str]
    b_ids: list[str]
    setting: str = ""  # "en/en", "ru/ru", "en/ru", "ru/en"
    weight: float = 1.0  # of each of its aligned pairs in the fit

    @property
    def true_overlap(self) -> float:
        return 100.0 * len(set(self.a_ids) & set(self.b_ids)) / len(self.a_ids) if self.a_ids else 0.0


def clusters_from_pairs(pairs: Iterable[Mapping], language_of) -> dict[str, Statement]:
    """Join labelled pairs ``{"a", "b", "same", "domain"}`` into clusters (union-find)."""
    parent: dict[str, str] = {}
    domain: dict[str, str] = {}

    def find(t: str) -> str:
        while parent[t] != t:
            parent[t] = parent[parent[t]]
            t = parent[t]
        return t

    for p in pairs:
        for t in (p["a"], p["b"]):
            parent.setdefault(t, t)
            domain.setdefault(t, p.get("domain", ""))
        if p["same"]:
            parent[find(p["a"])] = find(p["b"])
    return {t: Statement(find(t), domain[t], language_of(t)) for t in parent}


def contradictions(pairs: Iterable[Mapping], clusters: Mapping[str, Statement]) -> list[Mapping]:
    """Negative pairs whose texts the positives put in one cluster: labelling mistakes."""
    return [p for p in pairs if not p["same"] and clusters[p["a"]].cluster == clusters[p["b"]].cluster]


def list_pairs(clusters: Mapping[str, Statement], n: int, seed: int, setting: str = "en/en",
               exact_share: float = 0.15, foreign_share: float = 0.2) -> list[ListPair]:
    """Random list pairs like those the matcher meets, A in one language and B in another.

    A's functions come from one domain; a share of them drawn for each pair between 20 % and
    all of them (plans re-do most or little of a system) reappears in B, reworded (or, with
    ``exact_share`` when both sides share a language, copied verbatim, as regions copy
    feature lists); B's other functions come from the same domain (hard negatives) or, in
    ``foreign_share`` of the pairs, from another domain (retrieval also proposes unrelated
    systems).
    """
    lang_a, lang_b = setting.split("/")
    rng = random.Random(seed)
    by_domain: dict[str, dict[str, dict[str, list[str]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for text, st in sorted(clusters.items()):
        by_domain[st.domain][st.cluster][st.language].append(text)
    domains = [d for d in sorted(by_domain) if sum(lang_a in c for c in by_domain[d].values()) >= 4]
    out = []
    for _ in range(n if domains else 0):
        home = rng.choice(domains)
        other = rng.choice(domains) if rng.random() < foreign_share else home
        pair = _one_list_pair(by_domain[home], by_domain[other], rng, exact_share, lang_a, lang_b)
        if pair is not None:
            pair.setting = setting
            out.append(pair)
    return out


def _one_list_pair(home, other, rng: random.Random, exact_share: float, lang_a: str,
                   lang_b: str) -> ListPair | None:
    cids = [c for c in home if home[c].get(lang_a)]
    rng.shuffle(cids)
    n_a = rng.randint(2, min(8, len(cids) - 1))
    a_cids = cids[:n_a]
    a = [rng.choice(home[c][lang_a]) for c in a_cids]
    share = rng.uniform(0.2, 1.0)
    shared = [c for c in a_cids if home[c].get(lang_b) and rng.random() < share] if other is home else []
    pool = [c for c in other if c not in a_cids and other[c].get(lang_b)]
    rng.shuffle(pool)
    if not shared and not pool:
        return None
    source = {**{c: other[c] for c in pool[:rng.randint(1, max(1, min(8, len(pool))))]},
              **{c: home[c] for c in shared}}
    b_cids = list(source)
    rng.shuffle(b_cids)
    b = []
    for c in b_cids:
        texts = source[c][lang_b]
        reworded = [t for t in texts if t not in a]
        b.append(rng.choice(texts if not reworded or rng.random() < exact_share else reworded))
    return ListPair(a, b, a_cids, b_cids)


def aligned_pairs(overlap: FunctionalOverlap, pairs: Sequence[ListPair]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(feature rows, same label, pair script code) of every ALIGNED pair, aligned as in use."""
    feats, labels, scripts = [], [], []
    for lp in pairs:
        a, b = overlap.block(lp.a), overlap.block(lp.b)
        sim, char, script = overlap.pair_matrices(a, b)
        rows, cols = linear_sum_assignment(sim, maximize=True)
        feats.append(pair_features(sim, char, script, rows, cols))
        labels.extend(lp.a_ids[r] == lp.b_ids[c] for r, c in zip(rows, cols))
        scripts.extend(script[rows, cols])
    if not feats:
        return np.zeros((0, len(FEATURES))), np.zeros(0, bool), np.zeros(0, np.int8)
    return np.vstack(feats), np.array(labels, dtype=bool), np.array(scripts, dtype=np.int8)


def choose_char_weight(overlap: FunctionalOverlap, pairs: Sequence[ListPair],
                       grid: Sequence[float] = (0.0, 0.15, 0.3, 0.5)) -> float:
    """The char n-gram weight with the best ROC AUC of aligned same-script similarities."""
    from sklearn.metrics import roc_auc_score

    best = (-1.0, 0.0)
    for w in grid:
        feats, labels, script = aligned_pairs(_with_map(overlap, SimilarityCalibrator(char_weight=w)), pairs)
        m = script != CROSS
        if m.any() and 0 < labels[m].sum() < m.sum():
            auc = roc_auc_score(labels[m], feats[m, 0])
            if auc > best[0] + 1e-3:  # ties go to the simpler blend
                best = (auc, w)
    return best[1]


def fit_calibrator(overlap: FunctionalOverlap, train: Sequence[ListPair], test: Sequence[ListPair],
                   keep: str = "logistic", compare: Sequence[str] = ("isotonic",)) -> tuple[SimilarityCalibrator, dict]:
    """Pick the char weight on ``train``, fit ``keep`` (and, for the report, ``compare``) on
    ``train`` only and score them on ``test``: nothing is chosen on the hold-out. ``overlap``
    keeps its own map: install the returned one where it should be used."""
    weight = choose_char_weight(overlap, train)
    report: dict = {"char_weight": weight, "methods": {}}
    overlap = _with_map(overlap, SimilarityCalibrator(char_weight=weight))
    x_tr, y_tr, _ = aligned_pairs(overlap, train)
    w_tr = np.concatenate([np.full(min(len(lp.a), len(lp.b)), lp.weight) for lp in train])
    x_te, y_te, s_te = aligned_pairs(overlap, test)  # alignment does not depend on the map
    fitted = {m: fit_map(m, weight, x_tr, y_tr, w_tr) for m in (keep, *compare)}
    for method, cal in fitted.items():
        report["methods"][method] = scores(cal.predict_proba(x_te), y_te, s_te)
    report.update(method=keep, train_aligned_pairs=int(len(x_tr)), test_aligned_pairs=int(len(x_te)))
    return fitted[keep], report


def _with_map(overlap: FunctionalOverlap, calibrator: SimilarityCalibrator) -> FunctionalOverlap:
    """An overlap engine like ``overlap`` (its encoder and threshold) with another map."""
    return FunctionalOverlap(encoder=overlap.encoder_, calibrator=calibrator, threshold=overlap.threshold)


def fit_map(method: str, char_weight: float, features: np.ndarray, same,
            sample_weight=None) -> SimilarityCalibrator:
    """A ``SimilarityCalibrator`` fitted on aligned pairs' features and same-function labels:
    "logistic" on every feature, "isotonic" on the similarity alone."""
    x = np.asarray(features, dtype=float)
    y = np.asarray(same, dtype=float)
    cal = SimilarityCalibrator(method, char_weight)
    if method == "isotonic":
        from sklearn.isotonic import IsotonicRegression

        iso = IsotonicRegression(y_min=EPS, y_max=1 - EPS, out_of_bounds="clip").fit(
            x[:, 0], y, sample_weight=sample_weight)
        cal.x_thresholds_ = iso.X_thresholds_.tolist()
        cal.y_thresholds_ = iso.y_thresholds_.tolist()
    elif method == "logistic":
        from sklearn.linear_model import LogisticRegression

        lr = LogisticRegression(C=1.0, max_iter=2000).fit(x, y, sample_weight=sample_weight)
        cal.coef_ = lr.coef_[0].tolist()
        cal.intercept_ = float(lr.intercept_[0])
    else:
        raise ValueError(f"unknown method {method!r}")
    return cal


def save(calibrator: SimilarityCalibrator, report: dict, path: Path = DEFAULT_PATH) -> None:
    """Ship ``calibrator`` (with the report of its fit) as the engine's default map."""
    doc = {"calibrator": calibrator.to_dict(), "report": report}
    path.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def expected_calibration_error(prob: np.ndarray, label: np.ndarray, bins: int = 10) -> float:
    """ECE with equal-width bins: sum over bins of |mean p - share positive| weighted by size."""
    prob, label = np.asarray(prob, float), np.asarray(label, float)
    idx = np.minimum((prob * bins).astype(int), bins - 1)
    ece = 0.0
    for k in range(bins):
        m = idx == k
        if m.any():
            ece += m.mean() * abs(prob[m].mean() - label[m].mean())
    return float(ece)


def scores(p: np.ndarray, y: np.ndarray, script: np.ndarray) -> dict:
    """Calibration quality of probabilities ``p`` against labels, overall and by pair script."""
    from sklearn.metrics import brier_score_loss, log_loss

    out = {"pairs": int(len(y)), "ece": round(expected_calibration_error(p, y), 4),
           "log_loss": round(float(log_loss(y, p, labels=[0, 1])), 4),
           "brier": round(float(brier_score_loss(y, p)), 4)}
    for name, code in (("latin", 0), ("cyrillic", 1), ("cross_language", 2)):
        m = script == code
        if m.any():
            out[f"ece_{name}"] = round(expected_calibration_error(p[m], y[m]), 4)
    return out
