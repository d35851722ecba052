"""Similarity -> probability that two function statements name the same function.

The map is fitted on ALIGNED pairs: function lists are aligned one to one exactly as
``FunctionalOverlap`` aligns them, and each aligned pair is labelled by ground truth (same
canonical function or not). Fitting on random pairs instead would see mostly easy negatives
and over-trust the moderate similarities the assignment actually produces.

Ground truth here comes from ``data/labelled_pairs.jsonl``: hand-labelled pairs of statements
(rule: same action on the same object, whatever the wording, is "same"; a different action
(book vs cancel), object (school vs kindergarten) or stage (apply vs track) is not). Positive
pairs are joined into paraphrase clusters; function lists are drawn from one domain's
clusters, so the negatives the assignment meets are hard ones. ``bench/overlap.py --fit``
adds the synthetic generator's ground truth (matcher may not import ``catalog``).

The similarities are those of ``FunctionalOverlap`` with its domain adapter
(``matcher/adapter.py``), so the map must be refitted whenever the adapter changes; the fit
report records the adapter's digest. ``bench/overlap.py --fit`` trains both and keeps them
apart: the calibrator sees only wordings the adapter was not trained on, as in use.

Refit: ``python -m bench.overlap --fit`` (adapter + calibration; the shipped files), or
``python -m matcher.calibration --fit`` (hand pairs only, on top of the shipped adapter; note
that 70% of the hand clusters trained that adapter, so this map comes out over-confident).
"""
from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from matcher.overlap import FunctionalOverlap

DATA = Path(__file__).parent / "data"
DEFAULT_PATH = DATA / "calibration.json"
PAIRS_PATH = DATA / "labelled_pairs.jsonl"
EPS = 0.005  # keep probabilities off 0/1: a handful of labels cannot justify certainty
IDENTICAL = 0.999  # cosine of a statement with itself (up to float error)


class SimilarityCalibrator:
    """Blend cosine with character n-gram similarity, then map aligned pairs to probabilities.

    Parameters
    ----------
    method : "logistic" (Platt-style LogisticRegression on the pair features below) or
        "isotonic" (sklearn IsotonicRegression on the similarity alone).
    char_weight : weight of the character n-gram cosine in the similarity of English pairs.
    char_weight_cyrillic : the same for pairs with a Cyrillic statement (MiniLM is English-only,
        so shared Russian stems carry much of the signal).

    Logistic features of an aligned pair (i, j): similarity, character n-gram cosine, the
    margins over the best competitor in row i and in column j (an unrivalled match is surer
    than one of several equally good ones), the Cyrillic indicator with its interactions, and
    the context: the mean similarity of all aligned pairs of the comparison. Two systems of
    the same kind match on most functions, which makes their middling pairs likelier true
    matches too; a per-pair map alone shrinks every overlap towards the average.
    """

    FEATURES = ("similarity", "char", "row_margin", "col_margin", "cyrillic",
                "cyrillic_x_similarity", "cyrillic_x_char", "context")

    def __init__(self, method: str = "logistic", char_weight: float = 0.0,
                 char_weight_cyrillic: float = 0.35):
        self.method = method
        self.char_weight = char_weight
        self.char_weight_cyrillic = char_weight_cyrillic

    def blend(self, cos: np.ndarray, char: np.ndarray, cyrillic: np.ndarray) -> np.ndarray:
        # Mostly no statement is Cyrillic: one weight then, the same float64 arithmetic
        w = (np.where(cyrillic, self.char_weight_cyrillic, self.char_weight) if cyrillic.any()
             else np.float64(self.char_weight))
        return (1.0 - w) * cos + w * char

    def pair_features(self, sim: np.ndarray, char: np.ndarray, cyrillic: np.ndarray,
                      rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Feature rows of the aligned pairs (rows[k], cols[k]) of one comparison."""
        s = sim[rows, cols]
        masked = sim.copy()
        masked[rows, cols] = -np.inf
        row_other = _finite_or_zero(masked.max(axis=1))[rows] if sim.shape[1] > 1 else np.zeros_like(s)
        col_other = _finite_or_zero(masked.max(axis=0))[cols] if sim.shape[0] > 1 else np.zeros_like(s)
        ch = char[rows, cols]
        cyr = cyrillic[rows, cols].astype(float)
        x = np.empty((len(s), len(self.FEATURES)))  # filled in place: it runs once per aligned pair list
        x[:, 0], x[:, 1], x[:, 2], x[:, 3] = s, ch, s - row_other, s - col_other
        x[:, 4], x[:, 5], x[:, 6], x[:, 7] = cyr, cyr * s, cyr * ch, s.mean()
        return x

    def fit(self, features: np.ndarray, same: Sequence[bool]) -> "SimilarityCalibrator":
        x = np.asarray(features, dtype=float)
        y = np.asarray(same, dtype=float)
        if self.method == "isotonic":
            from sklearn.isotonic import IsotonicRegression

            iso = IsotonicRegression(y_min=EPS, y_max=1 - EPS, out_of_bounds="clip").fit(x[:, 0], y)
            self.x_thresholds_ = iso.X_thresholds_.tolist()
            self.y_thresholds_ = iso.y_thresholds_.tolist()
        elif self.method == "logistic":
            from sklearn.linear_model import LogisticRegression

            lr = LogisticRegression(C=10.0, max_iter=1000).fit(x, y)
            self.coef_ = lr.coef_[0].tolist()
            self.intercept_ = float(lr.intercept_[0])
        else:
            raise ValueError(f"unknown method {self.method!r}")
        return self

    def predict_proba(self, features: np.ndarray) -> np.ndarray:
        """P(same function) per feature row; plain numpy so a pair costs microseconds."""
        x = np.asarray(features, dtype=float)
        if self.method == "isotonic":
            p = np.interp(x[:, 0], self.x_thresholds_, self.y_thresholds_)
        else:
            z = x @ np.asarray(self.coef_) + self.intercept_
            p = np.clip(1.0 / (1.0 + np.exp(-z)), EPS, 1 - EPS)
        # The same wording is the same function by definition; the linear model, fitted
        # mostly on reworded pairs, would otherwise leave copied feature lists short of 100.
        return np.where(x[:, 0] >= IDENTICAL, 1.0, p)

    def to_dict(self) -> dict:
        d = {"method": self.method, "char_weight": self.char_weight,
             "char_weight_cyrillic": self.char_weight_cyrillic}
        if self.method == "logistic":
            d["features"] = list(self.FEATURES)
        keys = ("x_thresholds_", "y_thresholds_") if self.method == "isotonic" else ("coef_", "intercept_")
        d.update({k.rstrip("_"): getattr(self, k) for k in keys})
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "SimilarityCalibrator":
        cal = cls(d["method"], d.get("char_weight", 0.0), d.get("char_weight_cyrillic", 0.35))
        keys = ("x_thresholds", "y_thresholds") if cal.method == "isotonic" else ("coef", "intercept")
        for k in keys:
            setattr(cal, k + "_", d[k])
        return cal


def _finite_or_zero(values: np.ndarray) -> np.ndarray:
    return np.where(np.isfinite(values), values, 0.0)


def load_default(path: Path = DEFAULT_PATH) -> SimilarityCalibrator:
    return SimilarityCalibrator.from_dict(json.loads(path.read_text(encoding="utf-8"))["calibrator"])


def save(calibrator: SimilarityCalibrator, report: dict, path: Path = DEFAULT_PATH) -> None:
    doc = {"calibrator": calibrator.to_dict(), "report": report}
    path.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


# ----- ground truth: list pairs with canonical function ids ---------------------------------
@dataclass
class ListPair:
    """Two function lists and the canonical function id of every statement."""

    a: list[str]
    b: list[str]
    a_ids: list[str]
    b_ids: list[str]

    @property
    def true_overlap(self) -> float:
        return 100.0 * len(set(self.a_ids) & set(self.b_ids)) / len(self.a_ids) if self.a_ids else 0.0


def load_labelled_pairs(path: Path = PAIRS_PATH) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def paraphrase_clusters(pairs: Iterable[dict]) -> dict[str, tuple[str, str]]:
    """text -> (cluster id, domain): positives joined transitively (union-find)."""
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
    return {t: (find(t), domain[t]) for t in parent}


def check_consistency(pairs: Iterable[dict], clusters: dict[str, tuple[str, str]]) -> list[dict]:
    """Negative pairs whose texts the positives put in one cluster: labelling mistakes."""
    return [p for p in pairs if not p["same"] and clusters[p["a"]][0] == clusters[p["b"]][0]]


def cluster_list_pairs(clusters: dict[str, tuple[str, str]], n: int, seed: int,
                       exact_share: float = 0.2, foreign_share: float = 0.2) -> list[ListPair]:
    """Random list pairs like those the matcher meets.

    A's functions come from one domain; about half reappear in B, reworded (or, with
    ``exact_share``, copied verbatim, as regions copy feature lists); B's other functions
    come from the same domain (hard negatives) or, in ``foreign_share`` of the pairs, from
    another domain (retrieval also proposes unrelated systems).
    """
    rng = random.Random(seed)
    by_domain: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for text, (cid, dom) in sorted(clusters.items()):
        by_domain[dom][cid].append(text)
    domains = [d for d in sorted(by_domain) if len(by_domain[d]) >= 4]
    out = []
    for _ in range(n):
        home = rng.choice(domains)
        other = rng.choice(domains) if rng.random() < foreign_share else home
        out.append(_one_list_pair(by_domain[home], by_domain[other], rng, exact_share))
    return out


def _one_list_pair(home: dict[str, list[str]], other: dict[str, list[str]], rng: random.Random,
                   exact_share: float) -> ListPair:
    cids = list(home)
    rng.shuffle(cids)
    n_a = rng.randint(2, min(8, len(cids) - 1))
    a_cids = cids[:n_a]
    shared = [c for c in a_cids if rng.random() < 0.5] if other is home else []
    pool = [c for c in other if c not in a_cids]
    rng.shuffle(pool)
    b_cids = shared + pool[:rng.randint(1, min(8, len(pool)))]
    rng.shuffle(b_cids)
    a = [rng.choice(home[c]) for c in a_cids]
    b = []
    for c in b_cids:
        texts = home.get(c) or other[c]
        reworded = [t for t in texts if t not in a]
        b.append(rng.choice(texts if not reworded or rng.random() < exact_share else reworded))
    return ListPair(a, b, a_cids, b_cids)


def aligned_pairs(overlap: "FunctionalOverlap", pairs: Sequence[ListPair]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(feature rows, same label, cyrillic flag) of every ALIGNED pair, aligned as in use."""
    feats, labels, cyr = [], [], []
    for lp in pairs:
        a, b = overlap.block(lp.a), overlap.block(lp.b)
        sim, char, cyrillic = overlap.pair_matrices(a, b)
        rows, cols = _assign(sim)
        feats.append(overlap.calibrator_.pair_features(sim, char, cyrillic, rows, cols))
        labels.extend(lp.a_ids[r] == lp.b_ids[c] for r, c in zip(rows, cols))
        cyr.extend(cyrillic[rows, cols])
    return np.vstack(feats), np.array(labels, dtype=bool), np.array(cyr, dtype=bool)


def _assign(sim: np.ndarray):
    from scipy.optimize import linear_sum_assignment

    return linear_sum_assignment(sim, maximize=True)


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


# ----- fitting --------------------------------------------------------------------------------
def choose_char_weights(overlap: "FunctionalOverlap", pairs: Sequence[ListPair],
                        grid: Sequence[float] = (0.0, 0.35, 0.5)) -> tuple[float, float]:
    """Char n-gram weights (English, Cyrillic) with the best ROC AUC of aligned similarities."""
    from sklearn.metrics import roc_auc_score

    best: dict[bool, tuple[float, float]] = {}
    for w in grid:
        overlap.calibrator = SimilarityCalibrator(char_weight=w, char_weight_cyrillic=w)
        feats, labels, cyr = aligned_pairs(overlap, pairs)
        sims = feats[:, 0]
        for script in (False, True):
            m = cyr == script
            if m.any() and 0 < labels[m].sum() < m.sum():
                auc = roc_auc_score(labels[m], sims[m])
                if auc > best.get(script, (-1.0, 0.0))[0] + 1e-3:  # ties go to the simpler blend
                    best[script] = (auc, w)
    return best.get(False, (0, 0.0))[1], best.get(True, (0, 0.5))[1]


def fit_calibrator(overlap: "FunctionalOverlap", train: Sequence[ListPair], test: Sequence[ListPair],
                   methods: Sequence[str] = ("isotonic", "logistic"),
                   refit_on_all: bool = False) -> tuple[SimilarityCalibrator, dict]:
    """Pick char weights on ``train``, score each method on ``test``, keep the best.

    The kept map is fitted on ``train`` only unless ``refit_on_all``: then ``test`` stays
    a true hold-out for the overlap benchmark too.
    """
    w_en, w_ru = choose_char_weights(overlap, train)
    report: dict = {"char_weight": w_en, "char_weight_cyrillic": w_ru, "methods": {}}
    overlap.calibrator = SimilarityCalibrator(char_weight=w_en, char_weight_cyrillic=w_ru)
    s_tr, y_tr, _ = aligned_pairs(overlap, train)
    s_te, y_te, c_te = aligned_pairs(overlap, test)  # alignment does not depend on the map
    for method in methods:
        cal = SimilarityCalibrator(method, w_en, w_ru).fit(s_tr, y_tr)
        p = cal.predict_proba(s_te)
        report["methods"][method] = _scores(p, y_te, c_te)
    best = min(report["methods"], key=lambda m: report["methods"][m]["log_loss"])
    x, y = (np.vstack([s_tr, s_te]), np.concatenate([y_tr, y_te])) if refit_on_all else (s_tr, y_tr)
    final = SimilarityCalibrator(best, w_en, w_ru).fit(x, y)
    report.update(method=best, train_aligned_pairs=int(len(s_tr)), test_aligned_pairs=int(len(s_te)),
                  held_out_ece=report["methods"][best]["ece"])
    return final, report


def _scores(p: np.ndarray, y: np.ndarray, cyr: np.ndarray) -> dict:
    from sklearn.metrics import brier_score_loss, log_loss

    out = {"ece": round(expected_calibration_error(p, y), 4),
           "log_loss": round(float(log_loss(y, p, labels=[0, 1])), 4),
           "brier": round(float(brier_score_loss(y, p)), 4)}
    for name, m in (("ece_english", ~cyr), ("ece_cyrillic", cyr)):
        if m.any():
            out[name] = round(expected_calibration_error(p[m], y[m]), 4)
    return out


def split_clusters(clusters: dict[str, tuple[str, str]], test_share: float, seed: int):
    """Split by paraphrase cluster so no test wording has a training paraphrase."""
    rng = random.Random(seed)
    cids = sorted({c for c, _ in clusters.values()})
    test = set(rng.sample(cids, int(len(cids) * test_share)))
    train = {t: v for t, v in clusters.items() if v[0] not in test}
    held = {t: v for t, v in clusters.items() if v[0] in test}
    return train, held


def hand_list_pairs(seed: int = 0, n_train: int = 800, n_test: int = 400,
                    split: str = "lists") -> tuple[list[ListPair], list[ListPair]]:
    """Train/test list pairs from the hand-labelled pairs.

    ``split="lists"``: both from all clusters, different seeds (the map is 1-D-ish, so shared
    wordings leak little). ``split="clusters"``: test clusters never seen in training;
    stricter but noisy, as a third of ~150 clusters is few.
    """
    labelled = load_labelled_pairs()
    clusters = paraphrase_clusters(labelled)
    bad = check_consistency(labelled, clusters)
    if bad:
        raise ValueError(f"labelled pairs contradict each other: {bad[:3]}")
    if split == "clusters":
        train_c, test_c = split_clusters(clusters, 0.3, seed)
        return cluster_list_pairs(train_c, n_train, seed), cluster_list_pairs(test_c, n_test, seed + 1)
    return cluster_list_pairs(clusters, n_train, seed), cluster_list_pairs(clusters, n_test, seed + 1)


def held_out_report(overlap: "FunctionalOverlap", calibrator: SimilarityCalibrator,
                    train: Sequence[ListPair], test: Sequence[ListPair]) -> dict:
    """Refit ``calibrator``'s settings on ``train`` only and score on ``test``."""
    overlap.calibrator = calibrator
    x_tr, y_tr, _ = aligned_pairs(overlap, train)
    x_te, y_te, c_te = aligned_pairs(overlap, test)
    twin = SimilarityCalibrator(calibrator.method, calibrator.char_weight, calibrator.char_weight_cyrillic)
    return _scores(twin.fit(x_tr, y_tr).predict_proba(x_te), y_te, c_te)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", action="store_true", help="refit on the hand-labelled pairs and save")
    args = parser.parse_args(argv)
    if not args.fit:
        print(json.dumps(json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))["report"], indent=1))
        return
    from matcher.overlap import FunctionalOverlap

    overlap = FunctionalOverlap()
    calibrator, report = fit_calibrator(overlap, *hand_list_pairs())
    report["held_out_clusters"] = held_out_report(overlap, calibrator, *hand_list_pairs(split="clusters"))
    overlap.calibrator = calibrator
    report["sources"] = ["hand-labelled pairs"]
    save(calibrator, report)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
