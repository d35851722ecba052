"""Dense (embedding) similarity: whole records, and function by function.

Exact search: a float32 matrix-vector product plus ``argpartition`` is 0.44 ms at 10k records
(PERF-NOTES), faster than sklearn's NearestNeighbors and exact. Above ``matcher.ann.ann_threshold()``
records (default 20,000) ``DenseIndex`` also keeps an HNSW graph and ``top()`` answers from it.
"""
from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np

from practicebank.matcher.encoder import DIMENSION, Encoder, UsesEncoder
from practicebank.matcher.functions import function_statements
from practicebank.matcher.records import ProjectRecord


def record_functions(record: ProjectRecord) -> list[str]:
    """The record's functions as the overlap engine sees them (``functions.function_statements``:
    features, else statements split from its text), else its title: never empty, so every
    record owns at least one row of the feature matrix."""
    return function_statements(record) or [record.title or record.id]


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` largest finite scores, best first."""
    k = min(k, int(np.isfinite(scores).sum()))
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    part = np.argpartition(-scores, k - 1)[:k]
    return part[np.argsort(-scores[part], kind="stable")]


class DenseIndex(UsesEncoder):
    """Cosine similarity of whole records (``record.text``) to a query vector.

    Supports ``add``/``remove`` without a refit: rows are appended or dropped, and only new
    texts are embedded.
    """

    def __init__(self, encoder: Encoder | None = None):
        self.encoder = encoder

    def fit(self, records: Sequence[ProjectRecord]) -> "DenseIndex":
        self.ids_: list[str] = []
        self.vectors_ = np.zeros((0, DIMENSION), dtype=np.float32)
        return self.add(records)

    def add(self, records: Sequence[ProjectRecord]) -> "DenseIndex":
        """Add records; a known id is replaced (an update)."""
        self.remove([r.id for r in records])
        new = self._encoder().encode([r.text for r in records])
        self.ids_ = self.ids_ + [r.id for r in records]
        self.vectors_ = np.vstack([self.vectors_, new]).astype(np.float32, copy=False)
        self._refresh_ann()
        return self

    def remove(self, ids: Iterable[str]) -> "DenseIndex":
        gone = set(ids)
        keep = [i for i, rid in enumerate(self.ids_) if rid not in gone]
        if len(keep) != len(self.ids_):
            self.ids_ = [self.ids_[i] for i in keep]
            self.vectors_ = self.vectors_[keep]
            self._refresh_ann()
        return self

    # -- approximate search above the threshold (matcher/ann.py) ----------------------------
    def _refresh_ann(self) -> None:
        from practicebank.matcher import ann

        use = len(self.ids_) >= ann.ann_threshold() and ann.available()
        self.ann_ = ann.HnswIndex().fit(self.vectors_) if use else None

    @property
    def uses_ann(self) -> bool:
        return self.ann_ is not None

    def scores_at(self, query_vector: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Exact cosine of the given rows only."""
        return self.vectors_[rows] @ query_vector

    def top(self, query_vector: np.ndarray, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Rows of the ``k`` most similar records (restricted to ``allowed`` when given) and
        their exact cosines, best first: from the HNSW graph above the threshold (oversampled
        when filtered; exact when the filter leaves too few), else exact."""
        ann_index = self.ann_
        if ann_index is not None:
            want = k if allowed is None else min(len(self.ids_), k * 8)
            rows = ann_index.query(query_vector, want)
            if allowed is not None:
                rows = rows[allowed[rows]]
            if len(rows) >= min(k, len(self.ids_) if allowed is None else int(allowed.sum())):
                rows = rows[:k]
                sims = self.scores_at(query_vector, rows)
                order = np.argsort(-sims, kind="stable")
                return rows[order], sims[order]
        scores = self.scores(query_vector)
        if allowed is not None:
            scores = np.where(allowed, scores, -np.inf)
        rows = top_k(scores, k)
        return rows, scores[rows]

    def embed_query(self, text: str) -> np.ndarray:
        return self._encoder().encode([text], remember=False)[0]

    def scores(self, query_vector: np.ndarray) -> np.ndarray:
        """Cosine of every record to the (normalised) query vector, in row order."""
        return self.vectors_ @ query_vector


class FeatureIndex(UsesEncoder):
    """Function-level similarity: for each query function the best-matching function of a
    record, averaged over the query's functions ("how much of what I plan does it do").

    Scored only on a candidate pool of rows: the full feature matrix is several times the
    record matrix and would cost ~10 ms per query at 10k records.
    """

    def __init__(self, encoder: Encoder | None = None):
        self.encoder = encoder

    def fit(self, records: Sequence[ProjectRecord]) -> "FeatureIndex":
        functions = [record_functions(r) for r in records]
        counts = np.array([len(f) for f in functions], dtype=np.int64)
        self.offsets_ = np.concatenate([[0], np.cumsum(counts)])
        flat = [f for fs in functions for f in fs]
        self.vectors_ = self._encoder().encode(flat)
        return self

    def scores(self, query_vectors: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Mean over query functions of the max cosine to each row's functions."""
        if len(rows) == 0 or len(query_vectors) == 0:
            return np.zeros(len(rows), dtype=np.float32)
        starts, ends = self.offsets_[rows], self.offsets_[rows + 1]
        lengths = ends - starts
        seg = np.cumsum(lengths) - lengths  # where each row's block starts in the gathered matrix
        gather = np.repeat(starts - seg, lengths) + np.arange(lengths.sum())
        sims = self.vectors_[gather] @ query_vectors.T
        best = np.maximum.reduceat(sims, seg, axis=0)
        return best.mean(axis=1)
