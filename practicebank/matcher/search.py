"""Faceted catalog search: BM25 full text mixed with dense similarity, facet filters and counts."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from practicebank import settings
from practicebank.matcher.bm25 import BM25Index
from practicebank.matcher.dense import DenseIndex
from practicebank.matcher.encoder import Encoder, UsesEncoder
from practicebank.matcher.facets import FacetIndex, Filters
from practicebank.matcher.memo import memo_of, without_memos
from practicebank.matcher.records import ProjectRecord

MAX_PER_PAGE = 200
# Matches of recent queries, at most this many bytes (a mask and a score per record: ~50 KB a
# query at 10k records, 5 MB at 1M). Popular searches repeat, and paging or changing a facet
# reuses the same match.
MATCH_MEMO_BYTES = 64 * 2**20
# How many nearest records a query's meaning can match in a large catalog (approximate index).
SEMANTIC_CANDIDATES = 1000


@dataclass(frozen=True)
class SearchResult:
    """``total`` records match; ``hits`` is the requested page of (id, score in 0..1);
    ``facets``: facet -> value -> count (disjunctive: each facet ignores its own filter)."""

    total: int
    hits: list[tuple[str, float]]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


def _rank_of(keys: Sequence) -> np.ndarray:
    """Position of each row in ascending ``keys`` order (a precomputed sort key)."""
    order = sorted(range(len(keys)), key=lambda i: keys[i])
    ranks = np.empty(len(keys), dtype=np.int64)
    ranks[order] = np.arange(len(keys))
    return ranks


class SearchIndex(UsesEncoder):
    """Search over the catalog. A record matches when it shares a (stemmed) term with the
    query or, with ``semantic``, its embedding is within ``min_similarity`` cosine of the
    query's; relevance = (1 - semantic_weight) * BM25 / best BM25 + semantic_weight * cosine.
    An empty query matches every record (browsing by facets).
    """

    # The defaults are settings (search_semantic_weight, search_min_similarity), with their reasons.
    def __init__(self, encoder: Encoder | None = None, semantic: bool = True,
                 semantic_weight: float = settings.SEARCH_SEMANTIC_WEIGHT,
                 min_similarity: float = settings.SEARCH_MIN_SIMILARITY):
        self.encoder = encoder
        self.semantic = semantic
        self.semantic_weight = semantic_weight
        self.min_similarity = min_similarity

    def fit(self, records: Sequence[ProjectRecord], bm25: BM25Index | None = None) -> "SearchIndex":
        """Index ``records``; ``bm25``: a full-text index already brought up to date over them
        (``MatchingEngine.update``)."""
        records = list(records)
        self.ids_ = [r.id for r in records]
        self.bm25_ = bm25 if bm25 is not None else BM25Index().fit(records)
        self.dense_ = DenseIndex(self._encoder()).fit(records) if self.semantic else None
        self.facets_ = FacetIndex().fit(records)
        # sort keys: unknown cost/year go last whatever the direction
        self.title_rank_ = _rank_of([(r.title.casefold(), r.id) for r in records])
        self.cost_rank_ = _rank_of([(r.capex is None, r.capex or 0.0, r.id) for r in records])
        self.cost_desc_rank_ = _rank_of([(r.capex is None, -(r.capex or 0.0), r.id) for r in records])
        self.year_rank_ = _rank_of([(r.start_year is None, -(r.start_year or 0), r.id)
                                    for r in records])
        return self

    def search(self, query: str, filters: Filters | None = None, page: int = 1,
               per_page: int = 20, sort: str = "relevance") -> SearchResult:
        if sort not in settings.SORTS:
            raise ValueError(f"sort must be one of {settings.SORTS}, not {sort!r}")
        matched, scores = self._match(query or "")
        selected = matched & self.facets_.mask(filters)
        rows = np.flatnonzero(selected)
        rows = rows[self._order(rows, scores, sort)]
        per_page = max(1, min(per_page, MAX_PER_PAGE))
        page_rows = rows[(max(page, 1) - 1) * per_page:][:per_page]
        return SearchResult(total=len(rows),
                            hits=[(self.ids_[r], round(float(scores[r]), 4)) for r in page_rows],
                            facets=self.facets_.counts(matched, filters))

    def __getstate__(self) -> dict:
        return without_memos(super().__getstate__())

    def _match(self, query: str) -> tuple[np.ndarray, np.ndarray]:
        """(matched mask, relevance) over all records; read-only arrays, remembered per query."""
        query = " ".join(query.split())
        memo = memo_of(self, "match_memo_", MATCH_MEMO_BYTES, getsizeof=_nbytes)
        return memo.get(query, lambda: _frozen(self._compute_match(query)))

    def _compute_match(self, query: str) -> tuple[np.ndarray, np.ndarray]:
        n = len(self.ids_)
        if not query.strip():
            return np.ones(n, dtype=bool), np.zeros(n, dtype=np.float32)
        bm25 = np.zeros(n, dtype=np.float32)
        for row, score in self.bm25_.search(query, limit=None):
            bm25[row] = score
        matched = bm25 > 0
        if bm25.max(initial=0) > 0:
            bm25 /= bm25.max()
        if self.dense_ is None:
            return matched, bm25
        cosine = np.clip(self._cosines(self.dense_.embed_query(query)), 0.0, 1.0)
        matched |= cosine >= self.min_similarity
        w = self.semantic_weight
        return matched, ((1 - w) * bm25 + w * cosine).astype(np.float32)

    def _cosines(self, vector: np.ndarray) -> np.ndarray:
        """The query's cosine to every record: exact, or above the ANN threshold to the
        ``SEMANTIC_CANDIDATES`` nearest in the graph and 0 elsewhere (scoring a million
        records exactly takes ~60 ms; words still match through BM25 everywhere)."""
        if not self.dense_.uses_ann:
            return self.dense_.scores(vector)
        rows, sims = self.dense_.top(vector, SEMANTIC_CANDIDATES)
        cosine = np.zeros(len(self.ids_), dtype=np.float32)
        cosine[rows] = sims
        return cosine

    def _order(self, rows: np.ndarray, scores: np.ndarray, sort: str) -> np.ndarray:
        """Argsort of ``rows``: by the sort key, ties (and relevance ties) by title."""
        title = self.title_rank_[rows]
        if sort == "relevance":
            return np.lexsort((title, -scores[rows]))
        key = {"title": title, "cost_asc": self.cost_rank_[rows], "cost_desc": self.cost_desc_rank_[rows],
               "newest": self.year_rank_[rows]}[sort]
        return np.argsort(key, kind="stable")


def _frozen(arrays: tuple[np.ndarray, ...]) -> tuple[np.ndarray, ...]:
    for array in arrays:
        array.flags.writeable = False
    return arrays


def _nbytes(arrays: tuple[np.ndarray, ...]) -> int:
    return sum(a.nbytes for a in arrays)
