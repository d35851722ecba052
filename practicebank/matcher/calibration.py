"""Similarity -> probability that two function statements name the same function (runtime only).

The map is applied to ALIGNED pairs: function lists are aligned one to one exactly as
``FunctionalOverlap`` aligns them, and each aligned pair gets the probability that both name
the same function (rule: same action on the same object, whatever the wording or language, is
"same"; a different action (book vs cancel), object (school vs kindergarten) or stage (apply vs
track) is not).

It is fitted by ``python -m bench.calibrate`` on the hand-written bilingual set
(``bench/data/handwritten``, "fit" split: planned systems against the systems they re-do and
against unrelated ones, in English, in Russian and across) and reported on the "test" split,
whose subjects it never saw, by language; the fitting code lives in ``matcher/training.py``.
The shipped map is ``data/calibration.json``.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

DATA = Path(__file__).parent / "data"
DEFAULT_PATH = DATA / "calibration.json"
EPS = 0.005  # keep probabilities off 0/1: a handful of labels cannot justify certainty
IDENTICAL = 0.999  # cosine of a statement with itself (up to float error)
# Pair script codes (``overlap.pair_scripts``).
LATIN, CYRILLIC, CROSS = 0, 1, 2


class SimilarityCalibrator:
    """Blend cosine with character n-gram similarity, then map aligned pairs to probabilities.

    Parameters
    ----------
    method : "logistic" (Platt-style logistic regression on the pair features below) or
        "isotonic" (on the similarity alone).
    char_weight : weight of the character n-gram cosine in the similarity of two statements of
        one script; a pair across scripts shares no n-grams and rests on the encoder alone.

    Logistic features of an aligned pair (i, j): similarity, character n-gram cosine, the
    margins over the best competitor in row i and in column j (an unrivalled match is surer
    than one of several equally good ones: two functions that share only a template, «Система
    учёта …», sit close to many others), the script of the pair (both Cyrillic; across
    scripts, where cosines of the same function run lower) with its interaction, and the
    context: the mean similarity of all aligned pairs of the comparison and of all pairs (two
    systems of the same kind match on most functions, which makes their middling pairs likelier
    true matches; an unrelated system's best pairs are chance), and whether the pair is each
    side's best match (mutual best).
    """

    FEATURES = ("similarity", "char", "row_margin", "col_margin", "cyrillic", "cross_language",
                "cross_x_similarity", "context", "mutual_best", "mean_similarity")

    def __init__(self, method: str = "logistic", char_weight: float = 0.0):
        self.method = method
        self.char_weight = char_weight

    def blend(self, cos: np.ndarray, char: np.ndarray, script: np.ndarray) -> np.ndarray:
        if self.char_weight == 0.0:
            return cos
        w = np.where(script == CROSS, 0.0, self.char_weight)
        return (1.0 - w) * cos + w * char

    def pair_features(self, sim: np.ndarray, char: np.ndarray, script: np.ndarray,
                      rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Feature rows of the aligned pairs (rows[k], cols[k]) of one comparison."""
        s = sim[rows, cols]
        masked = sim.copy()
        masked[rows, cols] = -np.inf
        row_other = _finite_or_zero(masked.max(axis=1))[rows] if sim.shape[1] > 1 else np.zeros_like(s)
        col_other = _finite_or_zero(masked.max(axis=0))[cols] if sim.shape[0] > 1 else np.zeros_like(s)
        code = script[rows, cols]
        cross = (code == CROSS).astype(float)
        x = np.empty((len(s), len(self.FEATURES)))  # filled in place: it runs once per aligned pair list
        x[:, 0], x[:, 1], x[:, 2], x[:, 3] = s, char[rows, cols], s - row_other, s - col_other
        x[:, 4], x[:, 5], x[:, 6], x[:, 7] = (code == CYRILLIC), cross, cross * s, s.mean()
        x[:, 8] = (sim.argmax(axis=1)[rows] == cols) & (sim.argmax(axis=0)[cols] == rows)
        x[:, 9] = sim.mean()
        return x

    def fit(self, features: np.ndarray, same, sample_weight=None) -> "SimilarityCalibrator":
        x = np.asarray(features, dtype=float)
        y = np.asarray(same, dtype=float)
        if self.method == "isotonic":
            from sklearn.isotonic import IsotonicRegression

            iso = IsotonicRegression(y_min=EPS, y_max=1 - EPS, out_of_bounds="clip").fit(
                x[:, 0], y, sample_weight=sample_weight)
            self.x_thresholds_ = iso.X_thresholds_.tolist()
            self.y_thresholds_ = iso.y_thresholds_.tolist()
        elif self.method == "logistic":
            from sklearn.linear_model import LogisticRegression

            lr = LogisticRegression(C=1.0, max_iter=2000).fit(x, y, sample_weight=sample_weight)
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
        d = {"method": self.method, "char_weight": self.char_weight}
        if self.method == "logistic":
            d["features"] = list(self.FEATURES)
        keys = ("x_thresholds_", "y_thresholds_") if self.method == "isotonic" else ("coef_", "intercept_")
        d.update({k.rstrip("_"): getattr(self, k) for k in keys})
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "SimilarityCalibrator":
        if d["method"] == "logistic" and tuple(d.get("features", ())) != cls.FEATURES:
            raise ValueError("the calibration file was fitted on other pair features: "
                             "run `python -m bench.calibrate` to refit it")
        cal = cls(d["method"], d.get("char_weight", 0.0))
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
