"""Approximate nearest neighbours (hnswlib HNSW) for large catalogs.

Exact search (a float32 matrix-vector product + ``argpartition``) costs 0.44 ms at 10k
records, 5.5 ms at 100k and ~58 ms at 1M (PERF-NOTES): memory-bandwidth bound, linear in
the catalog. Above ``ann_threshold()`` records (default 20,000; env
``PRACTICEBANK_ANN_THRESHOLD``) ``DenseIndex`` also builds an HNSW graph (M=16,
ef_construction=200, ef=128: recall@10 >= 0.99 against exact, bench/results/scale.json) and
answers top-k queries from it in well under a millisecond. Scores of the returned rows are
recomputed exactly from the stored vectors, so only *which* rows come back is approximate.
"""
from __future__ import annotations

import os

import numpy as np

DEFAULT_THRESHOLD = 20_000
M = 16
EF_CONSTRUCTION = 200
EF_SEARCH = 128


def ann_threshold() -> int:
    """Catalog size from which the approximate index is used (env PRACTICEBANK_ANN_THRESHOLD)."""
    value = os.environ.get("PRACTICEBANK_ANN_THRESHOLD")
    try:
        return int(value) if value else DEFAULT_THRESHOLD
    except ValueError:
        return DEFAULT_THRESHOLD


def available() -> bool:
    try:
        import hnswlib  # noqa: F401
    except ImportError:
        return False
    return True


class HnswIndex:
    """Inner-product HNSW over L2-normalised rows (inner product = cosine)."""

    def __init__(self, m: int = M, ef_construction: int = EF_CONSTRUCTION, ef: int = EF_SEARCH,
                 threads: int = -1):
        self.m, self.ef_construction, self.ef, self.threads = m, ef_construction, ef, threads
        self.index_ = None
        self.size_ = 0

    def fit(self, vectors: np.ndarray) -> "HnswIndex":
        import hnswlib

        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        index = hnswlib.Index(space="ip", dim=vectors.shape[1])
        index.init_index(max_elements=max(1, len(vectors)), ef_construction=self.ef_construction, M=self.m,
                         random_seed=100)
        if len(vectors):
            index.add_items(vectors, np.arange(len(vectors)), num_threads=self.threads)
        index.set_ef(self.ef)
        self.index_, self.size_ = index, len(vectors)
        return self

    def query(self, vector: np.ndarray, k: int) -> np.ndarray:
        """Row numbers of (about) the ``k`` nearest rows, best first."""
        k = min(k, self.size_)
        if k <= 0:
            return np.zeros(0, dtype=np.int64)
        # hnswlib searches with max(ef, k): no set_ef here, which would change the shared graph's
        # ef for every later query (and race between server threads)
        labels, _ = self.index_.knn_query(np.asarray(vector, dtype=np.float32).reshape(1, -1), k=k, num_threads=1)
        return labels[0].astype(np.int64)

    def __getstate__(self) -> dict:
        # hnswlib pickles its graph and vectors; saved with the engine like any other index
        return dict(self.__dict__)
