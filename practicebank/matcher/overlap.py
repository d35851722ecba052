"""Functional overlap: which share of A's functions system B already performs.

Both function lists are embedded with the multilingual encoder (the encoder's cache makes
repeats free); the similarity of two statements is their cosine, blended with a character
n-gram cosine (shared word stems; zero across scripts, so a Russian-English pair rests on the
encoder alone). The lists are aligned one to one with the Hungarian algorithm, each aligned
pair gets the calibrated probability that both name the same function
(``matcher/calibration.py``: fitted on hand-written Russian and English pairs), and

    overlap(A -> B) = 100 * sum(probabilities of A's aligned pairs) / len(A's functions),

the expected share of A's functions that B performs. Pairs below ``threshold`` probability
are reported as missing functions rather than matches.

The statement similarity and the features of an aligned pair are ``matcher/similarity.py``'s.
For many pairs over a fixed catalog, ``fit(records)`` stores every record's statement
embeddings once; ``overlap_by_id`` then costs a small matrix product and an assignment.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping, NamedTuple, Sequence, Union

import numpy as np
from scipy.optimize import linear_sum_assignment

from practicebank.matcher.calibration import SimilarityCalibrator, load_default
from practicebank.matcher.encoder import Encoder, shared_encoder
from practicebank.matcher.functions import function_statements
from practicebank.matcher.records import ProjectRecord
from practicebank.matcher.shape import NUMBER, STRING, STRINGS, closed, exact_keys, tuple_of
from practicebank.matcher.similarity import StatementBlock, pair_features, raw_matrices, statement_blocks

__all__ = ["FunctionalOverlap", "Match", "OverlapResult", "StatementBlock"]

Side = Union[ProjectRecord, Sequence[str]]


class Match(NamedTuple):
    planned: str
    existing: str
    similarity: float
    probability: float


@dataclass
class OverlapResult:
    """overlap in 0..100 with its evidence: matched pairs (in planned order) and what is missing."""

    overlap: float
    matched: list[Match] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "overlap": round(self.overlap, 1),
            "matched_features": [[m.planned, m.existing, round(m.similarity, 3)] for m in self.matched],
            "missing_features": list(self.missing),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "OverlapResult":
        """The result back from ``to_dict()`` (a missing or unknown field is a ``TypeError``).
        The answer does not carry the matches' probabilities: they come back as NaN."""
        exact_keys(cls.__name__, data, ("overlap", "matched_features", "missing_features"))
        matched = [Match(planned, existing, similarity, math.nan)
                   for planned, existing, similarity in data["matched_features"]]
        return cls(data["overlap"], matched, list(data["missing_features"]))

    @staticmethod
    def json_schema() -> dict[str, Any]:
        """The OpenAPI schema of ``to_dict()``."""
        return closed({
            "overlap": {"type": "number", "minimum": 0, "maximum": 100,
                        "description": "share of the planned functions the system already performs, %"},
            "matched_features": {"type": "array", "description": "[planned, existing, similarity]",
                                 "items": tuple_of(STRING, STRING, NUMBER)},
            "missing_features": STRINGS})


class FunctionalOverlap:
    """Calibrated one-to-one functional overlap between function lists or records.

    Parameters
    ----------
    encoder : sentence encoder; the process-wide shared one by default.
    calibrator : similarity -> probability map; the shipped ``data/calibration.json`` by default.
    threshold : aligned pairs below this probability are reported as missing, not matched.
    """

    def __init__(self, encoder: Encoder | None = None, calibrator: SimilarityCalibrator | None = None,
                 threshold: float = 0.5):
        self.encoder = encoder
        self.calibrator = calibrator
        self.threshold = threshold

    # ----- components -------------------------------------------------------------------
    @property
    def encoder_(self) -> Encoder:
        if self.encoder is None:
            self.encoder = shared_encoder()
        return self.encoder

    @property
    def calibrator_(self) -> SimilarityCalibrator:
        if self.calibrator is None:
            self.calibrator = load_default()
        return self.calibrator

    def block(self, side: Side, remember: bool = True) -> StatementBlock:
        """``remember=False`` for one-off query texts, which would only grow the encoder cache."""
        return self._blocks([function_statements(side)], remember)[0]

    def pair_matrices(self, a: StatementBlock, b: StatementBlock) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(blended similarity, char n-gram cosine, script of each pair) for all statement pairs.

        The script code is 0 for two Latin statements, 1 for two Cyrillic ones and 2 for a
        pair across scripts (a Russian function against an English one)."""
        cos, char, script = raw_matrices(a, b)
        return self.calibrator_.blend(cos, char, script), char, script

    # ----- one comparison ---------------------------------------------------------------
    def compare(self, a: Side, b: Side) -> OverlapResult:
        """overlap(a -> b): the share of a's functions that b performs, with evidence."""
        return self.compare_blocks(self.block(a), self.block(b))

    def both_ways(self, a: Side, b: Side) -> tuple[float, float]:
        block_a, block_b = self.block(a), self.block(b)
        return self.compare_blocks(block_a, block_b).overlap, self.compare_blocks(block_b, block_a).overlap

    def compare_many(self, a: Side, candidates: Sequence[Side]) -> list[OverlapResult]:
        """overlap(a -> c) for every candidate; all statements are embedded in one batch."""
        block_a = self.block(a)
        blocks = self._blocks([function_statements(c) for c in candidates])
        return [self.compare_blocks(block_a, b) for b in blocks]

    def compare_blocks(self, a: StatementBlock, b: StatementBlock) -> OverlapResult:
        if len(a) == 0:
            return OverlapResult(0.0)
        if len(b) == 0:
            return OverlapResult(0.0, [], list(a.statements))
        rows, cols, sims, probs = self.align(a, b)
        return self._result(a, b, rows, cols, sims, probs)

    def align(self, a: StatementBlock, b: StatementBlock) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """One-to-one alignment maximising total similarity; probabilities of the aligned pairs."""
        return self._align_matrices(*self.pair_matrices(a, b))

    def _align_matrices(self, sim: np.ndarray, char: np.ndarray,
                        script: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        rows, cols = linear_sum_assignment(sim, maximize=True)
        probs = self.calibrator_.predict_proba(pair_features(sim, char, script, rows, cols))
        return rows, cols, sim[rows, cols], probs

    def _result(self, a: StatementBlock, b: StatementBlock, rows, cols, sims, probs) -> OverlapResult:
        matched, matched_rows = [], set()
        for r, c, s, p in zip(rows, cols, sims, probs):  # rows come sorted: planned order
            if p >= self.threshold:
                matched.append(Match(a.statements[r], b.statements[c], float(s), float(p)))
                matched_rows.add(r)
        missing = [s for i, s in enumerate(a.statements) if i not in matched_rows]
        return OverlapResult(_covered(probs, len(a)), matched, missing)

    def _blocks(self, lists: Sequence[list[str]], remember: bool = True) -> list[StatementBlock]:
        """Blocks for many statement lists from one batched encode and one vectoriser call."""
        return statement_blocks(self.encoder_, lists, remember)

    # ----- a fitted catalog -------------------------------------------------------------
    def fit(self, records: Sequence[ProjectRecord]) -> "FunctionalOverlap":
        """Embed every record's statements once, for fast ``*_by_id`` comparisons."""
        lists = [function_statements(r) for r in records]
        self.ids_ = [r.id for r in records]
        self.index_ = {rid: i for i, rid in enumerate(self.ids_)}
        self.blocks_ = self._blocks(lists)
        self.has_cyrillic_ = np.array([bool(b.cyrillic.any()) for b in self.blocks_])
        return self

    def result_by_id(self, id_a: str, id_b: str) -> OverlapResult:
        return self.compare_blocks(self._stored(id_a), self._stored(id_b))

    def overlap_by_id(self, id_a: str, id_b: str) -> float:
        """overlap(a -> b) for two fitted records; well under a millisecond."""
        a, b = self._stored(id_a), self._stored(id_b)
        if len(a) == 0 or len(b) == 0:
            return 0.0
        return _covered(self.align(a, b)[3], len(a))

    def overlap_pair_by_id(self, id_a: str, id_b: str, floor: float | None = None) -> tuple[float, float | None]:
        """(overlap a -> b, overlap b -> a) for two fitted records: ``overlap_by_id`` both ways,
        the same numbers, with the pair's similarity matrices computed once (the reverse
        direction aligns their transposes). With ``floor``, the reverse is not computed
        (None) when a -> b is already below it."""
        a, b = self._stored(id_a), self._stored(id_b)
        if len(a) == 0 or len(b) == 0:
            return 0.0, (None if floor is not None and 0.0 < floor else 0.0)
        sim, char, script = self.pair_matrices(a, b)
        ab = _covered(self._align_matrices(sim, char, script)[3], len(a))
        if floor is not None and ab < floor:
            return ab, None
        return ab, _covered(self._align_matrices(sim.T, char.T, script.T)[3], len(b))

    def compare_to_records(self, a: Side, records: Sequence[ProjectRecord], remember: bool = True,
                           a_id: str | None = None) -> list[OverlapResult]:
        """overlap(a -> r) for each record, reusing fitted blocks and embedding the rest at once.
        ``a_id``: a fitted record that ``a`` may be (its stored block is used when the
        statements are the same)."""
        stored = getattr(self, "index_", {})
        block_a = self._fitted_block(a_id, a) if a_id in stored else None
        block_a = block_a or self.block(a, remember)
        todo = [r for r in records if r.id not in stored]
        fresh = dict(zip((r.id for r in todo), self._blocks([function_statements(r) for r in todo])))
        blocks = [fresh[r.id] if r.id in fresh else self.blocks_[stored[r.id]] for r in records]
        return [self.compare_blocks(block_a, b) for b in blocks]

    def _fitted_block(self, record_id: str, side: Side) -> StatementBlock | None:
        block = self.blocks_[self.index_[record_id]]
        return block if block.statements == function_statements(side) else None

    def _stored(self, record_id: str) -> StatementBlock:
        try:
            return self.blocks_[self.index_[record_id]]
        except AttributeError:
            raise RuntimeError("call fit(records) before the *_by_id methods") from None
        except KeyError:
            raise KeyError(f"record {record_id!r} was not in fit(records)") from None


def _covered(probs: np.ndarray, n_planned: int) -> float:
    """The overlap in percent: expected share of the planned functions performed."""
    return min(100.0, 100.0 * float(probs.sum()) / n_planned)
