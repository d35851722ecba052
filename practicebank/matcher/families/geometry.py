"""The geometry of the candidate search: record vectors, the exact kNN graph, soft coverage.

A record's vector is the normalised mean of its function statements' vectors (a feature-set
embedding); exact cosine top-k in 1024-row chunks gives the neighbour graph (PERF-NOTES: 0.8 s
at 10k for numpy). "Soft coverage" of A by B is the mean over A's statements of the best
cosine to any of B's: an embedding-only stand-in for overlap(A -> B), with no assignment and
no calibration, cheap enough to screen every candidate pair before the exact overlap.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from practicebank.matcher.functions import function_statements
from practicebank.matcher.records import ProjectRecord


def record_vectors(records: Sequence[ProjectRecord], encoder) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(statement vectors, offsets, record vectors): the mean statement vector, normalised."""
    lists = [function_statements(r) or [r.title or r.id] for r in records]
    offsets = np.concatenate([[0], np.cumsum([len(s) for s in lists])]).astype(np.int64)
    flat = encoder.encode([s for st in lists for s in st]).astype(np.float32, copy=False)
    sums = np.add.reduceat(flat, offsets[:-1], axis=0)
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    return flat, offsets, (sums / np.maximum(norms, 1e-12)).astype(np.float32)


def knn(vectors: np.ndarray, k: int, chunk: int = 1024) -> tuple[np.ndarray, np.ndarray]:
    """Exact cosine top-k neighbours of every row (itself excluded), in row chunks."""
    n = len(vectors)
    k = min(k, n - 1)
    if k <= 0:
        return np.zeros((n, 0), np.int64), np.zeros((n, 0), np.float32)
    idx = np.empty((n, k), np.int64)
    sim = np.empty((n, k), np.float32)
    for start in range(0, n, chunk):
        block = vectors[start:start + chunk] @ vectors.T
        block[np.arange(len(block)), np.arange(start, start + len(block))] = -np.inf
        part = np.argpartition(-block, k - 1, axis=1)[:, :k]
        vals = np.take_along_axis(block, part, axis=1)
        order = np.argsort(-vals, axis=1)
        idx[start:start + chunk] = np.take_along_axis(part, order, axis=1)
        sim[start:start + chunk] = np.take_along_axis(vals, order, axis=1)
    return idx, sim


def soft_coverage(flat: np.ndarray, offsets: np.ndarray, left: np.ndarray, right: np.ndarray,
                  batch: int = 4096) -> tuple[np.ndarray, np.ndarray]:
    """Mean best cosine of left's statements in right's, and the reverse, for row pairs."""
    cov_lr = np.zeros(len(left), np.float32)
    cov_rl = np.zeros(len(left), np.float32)
    lengths = np.diff(offsets)
    for s in range(0, len(left), batch):
        li, ri = left[s:s + batch], right[s:s + batch]
        a, ma = _padded(flat, offsets, lengths, li)
        b, mb = _padded(flat, offsets, lengths, ri)
        sim = np.matmul(a, b.transpose(0, 2, 1))
        sim = np.where(ma[:, :, None] & mb[:, None, :], sim, -1.0)
        cov_lr[s:s + batch] = (sim.max(axis=2) * ma).sum(axis=1) / ma.sum(axis=1)
        cov_rl[s:s + batch] = (sim.max(axis=1) * mb).sum(axis=1) / mb.sum(axis=1)
    return cov_lr, cov_rl


def soft_coverage_of_row(flat: np.ndarray, offsets: np.ndarray, row: int, right: np.ndarray,
                         batch: int = 4096) -> tuple[np.ndarray, np.ndarray]:
    """``soft_coverage(flat, offsets, [row] * len(right), right)``, the same numbers, with
    ``row``'s statements broadcast instead of copied once per pair. The products and
    reductions are soft_coverage's own, shape for shape: BLAS rounds a product differently
    with its width, and a sum with its length, so the padding is kept."""
    cov_lr = np.zeros(len(right), np.float32)
    cov_rl = np.zeros(len(right), np.float32)
    lengths = np.diff(offsets)
    one = flat[offsets[row]:offsets[row + 1]]
    for s in range(0, len(right), batch):
        ri = right[s:s + batch]
        a = np.broadcast_to(one, (len(ri), *one.shape))
        ma = np.ones((len(ri), len(one)), bool)
        b, mb = _padded(flat, offsets, lengths, ri)
        sim = np.matmul(a, b.transpose(0, 2, 1))
        np.copyto(sim, np.float32(-1.0), where=~mb[:, None, :])
        cov_lr[s:s + batch] = (sim.max(axis=2) * ma).sum(axis=1) / ma.sum(axis=1)
        cov_rl[s:s + batch] = (sim.max(axis=1) * mb).sum(axis=1) / mb.sum(axis=1)
    return cov_lr, cov_rl


def _padded(flat, offsets, lengths, rows) -> tuple[np.ndarray, np.ndarray]:
    width = int(lengths[rows].max())
    pos = np.arange(width)[None, :]
    mask = pos < lengths[rows][:, None]
    gather = np.where(mask, offsets[rows][:, None] + pos, 0)
    return flat[gather], mask
