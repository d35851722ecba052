"""Hybrid retrieval: candidates from dense, TF-IDF and BM25 search, fused with fixed weights.

Each component proposes its ``k_candidates`` best records; on the union (the pool) every
component is scored, normalised to 0..1 over the pool, and the weighted mean is the score.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

import numpy as np
from scipy.stats import rankdata

from practicebank import settings
from practicebank.matcher.bm25 import BM25Index
from practicebank.matcher.dense import DenseIndex, FeatureIndex, record_functions, top_k
from practicebank.matcher.encoder import Encoder, UsesEncoder
from practicebank.matcher.facets import FacetIndex, Filters
from practicebank.matcher.functions import split_statements
from practicebank.matcher.lexical import TfidfIndex
from practicebank.matcher.records import ProjectRecord

# The fusion weights are the setting ``retrieval_weights`` (practicebank/settings.py), chosen
# on data (bench/README.md, "Fusion weights (how chosen)").
COMPONENTS = tuple(settings.RETRIEVAL_WEIGHTS)
# rank r (0 = best in the pool) -> 1 / (1 + r / RANK_SCALE); chosen over min-max, z-score and
# scales 5/30 by cross-validated MRR (bench/README.md)
RANK_SCALE = 10.0
# The heaviest character n-grams of a long query that the char TF-IDF scores (bench/README.md).
CHAR_QUERY_TERMS = 256


@dataclass(frozen=True)
class Candidate:
    """A retrieved record. ``score`` in 0..1 ranks: the weighted mean of the rank-normalised
    ``components`` (each 0..1, relative to the candidate pool). ``components["cosine"]`` is
    the absolute whole-record cosine (clipped to 0..1), for callers that need "how similar"
    rather than "how much better than the others"; it is not part of the fusion."""

    id: str
    score: float
    components: dict[str, float] = field(default_factory=dict)


def normalise(values: np.ndarray) -> np.ndarray:
    """Rank-based over the pool: cosines, TF-IDF and BM25 live on different scales whose
    spread varies by query, their rank order does not. Ties share the better rank; no evidence
    (a score <= 0, or a flat component) scores 0."""
    if len(values) == 0 or np.ptp(values) <= 1e-9:
        return np.zeros(len(values), dtype=np.float32)
    ranks = rankdata(-values, method="min") - 1
    return np.where(values > 0, 1.0 / (1.0 + ranks / RANK_SCALE), 0.0).astype(np.float32)


def fuse(components: Mapping[str, np.ndarray], weights: Mapping[str, float]) -> np.ndarray:
    """Weighted mean of the normalised components present (absent ones drop out)."""
    active = {c: w for c, w in weights.items() if c in components and w > 0}
    total = sum(active.values())
    if not active:
        return np.zeros(len(next(iter(components.values()), [])), dtype=np.float32)
    return sum(w * components[c] for c, w in active.items()) / total


def jaccard(query: frozenset[str], tags: frozenset[str]) -> float:
    union = query | tags
    return len(query & tags) / len(union) if union else 0.0


class HybridRetriever(UsesEncoder):
    """Finds the catalog records most similar to a planned system (text, functions, tags)."""

    def __init__(self, encoder: Encoder | None = None, weights: Mapping[str, float] | None = None,
                 k_candidates: int = 100):
        self.encoder = encoder
        self.weights = weights
        self.k_candidates = k_candidates

    def fit(self, records: Sequence[ProjectRecord],
            tfidf: tuple[TfidfIndex, TfidfIndex] | None = None) -> "HybridRetriever":
        """Index ``records``. Refitting after catalog edits re-embeds only changed texts
        (the encoder's content-hash cache); the lexical indexes are rebuilt, a few seconds at 10k,
        unless ``tfidf`` hands over (word, char) indexes already brought up to date over
        ``records`` (``MatchingEngine.update``)."""
        records = list(records)
        self.records_ = records
        self.ids_ = [r.id for r in records]
        self.row_ = {rid: i for i, rid in enumerate(self.ids_)}
        enc = self._encoder()
        self.dense_ = DenseIndex(enc).fit(records)
        self.features_ = FeatureIndex(enc).fit(records)
        # A large catalog (the approximate dense index is on) takes its candidates from the
        # dense graph only: proposing TF-IDF candidates means reading every posting of the
        # query's terms, which grows with the catalog. TF-IDF then scores the candidate pool.
        self.lexical_candidates_ = not self.dense_.uses_ann
        by_rows = not self.lexical_candidates_
        if tfidf is not None and all(index.by_rows == by_rows for index in tfidf):
            self.tfidf_word_, self.tfidf_char_ = tfidf
        else:
            self.tfidf_word_ = TfidfIndex("lemma", by_rows=by_rows).fit(records)
            self.tfidf_char_ = TfidfIndex("char_wb", (3, 5), max_query_terms=CHAR_QUERY_TERMS,
                                          by_rows=by_rows).fit(records)
        self.bm25_ = BM25Index().fit(records) if self._weights().get("bm25", 0) > 0 else None
        self.facets_ = FacetIndex().fit(records)
        self.tags_ = [(frozenset(r.industries), frozenset(r.technologies)) for r in records]
        return self

    def _weights(self) -> Mapping[str, float]:
        return self.weights if self.weights is not None else settings.RETRIEVAL_WEIGHTS

    def query(self, text: str, features: Sequence[str] = (), industries: Sequence[str] = (),
              technologies: Sequence[str] = (), k: int = 10, exclude_ids: Iterable[str] = (),
              filters: Filters | None = None) -> list[Candidate]:
        """The ``k`` best records for a planned system, best first."""
        rows, components = self.pool(text, features, industries, technologies, exclude_ids, filters)
        if len(rows) == 0:
            return []
        normalised = {c: normalise(v) for c, v in components.items()}
        scores = np.clip(fuse(normalised, self._weights()), 0.0, 1.0)
        order = np.argsort(-scores, kind="stable")[:k]
        cosine = np.clip(components["dense"], 0.0, 1.0)
        return [Candidate(self.ids_[rows[i]], float(scores[i]),
                          {**{c: float(v[i]) for c, v in normalised.items()},
                           "cosine": float(cosine[i])}) for i in order]

    def query_record(self, record: ProjectRecord, k: int = 10,
                     exclude_ids: Iterable[str] = ()) -> list[Candidate]:
        """Records similar to ``record`` itself (never ``record``)."""
        return self.query(record.text, record_functions(record), record.industries,
                          record.technologies, k=k, exclude_ids=(record.id, *exclude_ids))

    def pool(self, text: str, features: Sequence[str] = (), industries: Sequence[str] = (),
             technologies: Sequence[str] = (), exclude_ids: Iterable[str] = (),
             filters: Filters | None = None) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Candidate rows and each component's raw score on them (for fusion and tuning)."""
        excluded = [i for i in exclude_ids if i in self.row_]
        allowed = self.facets_.mask(filters)
        allowed[[self.row_[i] for i in excluded]] = False
        functions = [f for f in features if f.strip()] or split_statements(text) or [text]
        vectors = self._encoder().encode([text, *functions], remember=False)
        # Dense candidates come from DenseIndex.top: exact below the size threshold, the
        # approximate (HNSW) graph above it; every candidate then gets its exact cosine.
        if not self.lexical_candidates_:
            excluded_rows = {self.row_[i] for i in excluded}
            return self._dense_pool(text, vectors, industries, technologies,
                                    allowed if filters else None, excluded_rows)
        dense_rows, _ = self.dense_.top(vectors[0], self.k_candidates, allowed)
        full = {
            "tfidf_word": self.tfidf_word_.scores(text),
            "tfidf_char": self.tfidf_char_.scores(text),
        }
        if self.bm25_ is not None:
            bm25 = np.zeros(len(self.ids_), dtype=np.float32)
            for row, score in self.bm25_.search(text, self.k_candidates, filters, excluded):
                bm25[row] = score
            full["bm25"] = bm25
        rows = np.union1d(dense_rows, self._union_of_tops(full, allowed)).astype(np.int64)
        components = {"dense": self.dense_.scores_at(vectors[0], rows), **{c: v[rows] for c, v in full.items()}}
        components["features"] = self.features_.scores(vectors[1:], rows)
        if industries or technologies:
            components["tags"] = self._tag_scores(rows, frozenset(industries), frozenset(technologies))
        return rows, components

    def _dense_pool(self, text: str, vectors: np.ndarray, industries, technologies,
                    allowed: np.ndarray | None, excluded_rows: set[int]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        # Twice the candidates from the graph make up for the lexical ones not proposed. Without
        # facet filters the graph is asked for a few more instead of given a mask: a mask makes
        # it oversample eightfold.
        want = 2 * self.k_candidates
        rows, _ = self.dense_.top(vectors[0], want + (0 if allowed is not None else len(excluded_rows)), allowed)
        rows = np.array([r for r in rows if r not in excluded_rows][:want], dtype=np.int64)
        rows = np.sort(rows)
        components = {"dense": self.dense_.scores_at(vectors[0], rows),
                      "tfidf_word": self.tfidf_word_.scores_at(text, rows),
                      "tfidf_char": self.tfidf_char_.scores_at(text, rows),
                      "features": self.features_.scores(vectors[1:], rows)}
        if industries or technologies:
            components["tags"] = self._tag_scores(rows, frozenset(industries), frozenset(technologies))
        return rows, components

    def _union_of_tops(self, full: Mapping[str, np.ndarray], allowed: np.ndarray) -> np.ndarray:
        tops = []
        for name, values in full.items():
            masked = np.where(allowed & (values > 0 if name == "bm25" else True), values, -np.inf)
            tops.append(top_k(masked, self.k_candidates))
        return np.unique(np.concatenate(tops)) if tops else np.zeros(0, dtype=np.int64)

    def _tag_scores(self, rows: np.ndarray, industries: frozenset[str],
                    technologies: frozenset[str]) -> np.ndarray:
        def one(row: int) -> float:
            ind, tech = self.tags_[row]
            parts = ([jaccard(industries, ind)] if industries else []) + \
                    ([jaccard(technologies, tech)] if technologies else [])
            return sum(parts) / len(parts)
        return np.array([one(r) for r in rows], dtype=np.float32)
