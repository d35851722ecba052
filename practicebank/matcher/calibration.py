"""Similarity -> probability that two function statements name the same function (runtime only).

The map is applied to ALIGNED pairs: function lists are aligned one to one exactly as
``FunctionalOverlap`` aligns them, and each aligned pair gets the probability that both name
the same function (rule: same action on the same object, whatever the wording or language, is
"same"; a different action (book vs cancel), object (school vs kindergarten) or stage (apply vs
track) is not).

It is fitted by ``python -m bench.calibrate`` on the hand-written bilingual set
(``bench/data/handwritten``, "fit" split: planned systems against the systems they re-do and
against unrelated ones, in English, in Russian and across) and reported on the "test" split,
whose subjects it never saw, by language; the fitting code lives in ``matcher/training.py``
and the pair features in ``matcher/similarity.py``. The shipped map is ``data/calibration.json``.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from practicebank.matcher import similarity

DATA = Path(__file__).parent / "data"
DEFAULT_PATH = DATA / "calibration.json"
EPS = 0.005  # keep probabilities off 0/1: a handful of labels cannot justify certainty
IDENTICAL = 0.999  # cosine of a statement with itself (up to float error)


class SimilarityCalibrator:
    """Blend cosine with character n-gram similarity, then map aligned pairs to probabilities.

    Parameters
    ----------
    method : "logistic" (Platt-style logistic regression on the pair features below) or
        "isotonic" (on the similarity alone).
    char_weight : weight of the character n-gram cosine in the similarity of two statements of
        one script; a pair across scripts shares no n-grams and rests on the encoder alone.

    Logistic features of an aligned pair: ``similarity.FEATURES`` (``similarity.pair_features``
    says what each one stands for). Fitting is ``matcher/training.py``'s (``fit_map``).
    """

    FEATURES = similarity.FEATURES

    def __init__(self, method: str = "logistic", char_weight: float = 0.0):
        self.method = method
        self.char_weight = char_weight

    def blend(self, cos: np.ndarray, char: np.ndarray, script: np.ndarray) -> np.ndarray:
        """The similarity of statement pairs with this map's char weight (``similarity.blend``)."""
        return similarity.blend(cos, char, script, self.char_weight)

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


def load_default(path: Path = DEFAULT_PATH) -> SimilarityCalibrator:
    return SimilarityCalibrator.from_dict(json.loads(path.read_text(encoding="utf-8"))["calibrator"])
