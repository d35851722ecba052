"""TF-IDF cosine similarity (scikit-learn): lemma or character n-grams.

``analyzer="lemma"``: word 1-2 grams of Russian lemmas and English stems plus the glossary's
shared concepts (``matcher/morphology.py``), so «детский сад» meets «детских садов» and ЕПГУ
meets "public services portal". Character n-grams (``char_wb`` 3-5) carry Italian, French and
other languages without a dictionary, and survive inflection.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from practicebank.matcher.morphology import analyze
from practicebank.matcher.records import ProjectRecord


class TfidfIndex:
    """Cosine of each record's TF-IDF vector to a query text's.

    A query touches few of the vocabulary's columns, so only those columns of the record
    matrix are read (0.4-0.9 ms at 10k vs 2-24 ms for the full sparse product, PERF-NOTES).
    """

    def __init__(self, analyzer: str = "word", ngram_range: tuple[int, int] = (1, 2),
                 min_df: int = 1, max_df: float = 1.0, sublinear_tf: bool = True,
                 max_query_terms: int | None = None, by_rows: bool = False):
        self.max_query_terms = max_query_terms
        self.by_rows = by_rows
        self.analyzer = analyzer
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_df = max_df
        self.sublinear_tf = sublinear_tf

    def fit(self, records: Sequence[ProjectRecord]) -> "TfidfIndex":
        self.vectorizer_ = TfidfVectorizer(
            analyzer=analyze if self.analyzer == "lemma" else self.analyzer,
            ngram_range=(1, 1) if self.analyzer == "lemma" else self.ngram_range, min_df=self.min_df,
            max_df=self.max_df, sublinear_tf=self.sublinear_tf, dtype=np.float32,
            lowercase=True, strip_accents=None,
        )
        texts = [r.text for r in records]
        try:
            # CSC: column slices (the query's terms) are contiguous; CSR when only given rows are
            # ever scored (a large catalog, where scanning a term's postings grows with it)
            matrix = self.vectorizer_.fit_transform(texts)
            self.matrix_ = matrix.tocsr() if self.by_rows else matrix.tocsc()
        except ValueError:  # empty catalog, or no term at all: nothing can match
            self.vectorizer_ = None
            self.matrix_ = sparse.csc_matrix((len(texts), 0), dtype=np.float32)
        return self

    def scores(self, text: str) -> np.ndarray:
        """Cosine of every record to ``text``, in row order (0 where no term is shared)."""
        if self.by_rows:
            return self.scores_at(text, np.arange(self.matrix_.shape[0]))
        columns, weights = self._query(text)
        if len(columns) == 0:
            return np.zeros(self.matrix_.shape[0], dtype=np.float32)
        return np.asarray(self.matrix_[:, columns] @ weights).ravel()

    def scores_at(self, text: str, rows: np.ndarray) -> np.ndarray:
        """Cosine of the given rows only: with ``by_rows`` it costs their terms, not the catalog's."""
        if not self.by_rows:
            return self.scores(text)[rows]
        columns, weights = self._query(text)
        if len(columns) == 0 or len(rows) == 0:
            return np.zeros(len(rows), dtype=np.float32)
        query = sparse.csr_matrix((weights, columns, [0, len(columns)]), shape=(1, self.matrix_.shape[1]))
        return np.asarray((self.matrix_[rows] @ query.T).todense(), dtype=np.float32).ravel()

    def _query(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The query's term columns and weights (the heaviest ``max_query_terms`` of a long one)."""
        query = self.vectorizer_.transform([text]) if self.vectorizer_ is not None else None
        if query is None or query.nnz == 0:
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
        columns, weights = query.indices, query.data
        limit = self.max_query_terms
        if limit and len(columns) > limit:
            # A whole record as the query has ~900 character n-grams touching most of the
            # matrix; its heaviest ones (rare, informative) carry the ranking at a third of the cost.
            keep = np.argpartition(-weights, limit)[:limit]
            columns, weights = columns[keep], weights[keep]
        return columns, weights
