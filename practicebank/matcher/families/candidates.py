"""Steps 1 and 2 of the family finder: candidate pairs, the cheap screen and the exact checks.

Candidates are each record's nearest neighbours by record vector (``geometry``). A candidate
pair whose soft coverage is below the screen either way, or whose statement counts differ too
much, cannot plausibly reach the threshold and never reaches the (slower) exact overlap. The
screen is measured on the catalog itself (``auto_screen``), so it follows the overlap engine.
Exact overlaps are remembered per pair (``pairs_``): the finder asks for many twice.
"""
from __future__ import annotations

import numpy as np

from practicebank.matcher.families.geometry import knn, record_vectors, soft_coverage, soft_coverage_of_row
from practicebank.matcher.families.results import PairOverlap
from practicebank.matcher.records import ProjectRecord

SCREEN_SAMPLE = 1500  # neighbour pairs checked exactly to set the screen: ~0.5 s
SCREEN_MARGIN = 0.05  # the 1,500-pair sample may miss the lowest near-identical pair
# No close pair in the sample: twins are rare, and a zero screen would check every
# neighbourhood exactly; 0.6 kept every near-identical pair of the synthetic dev seed.
SCREEN_FALLBACK = 0.6


class CandidateSearch:
    """The candidate search the ``FamilyFinder`` grows families with (its parameters are the
    finder's: ``overlap``, ``threshold``, ``k_neighbours``, ``screen``, ``max_candidates``,
    ``graph_neighbours``, ``wide_neighbours``)."""

    def _fit_candidates(self, records: list[ProjectRecord]) -> None:
        """Steps 1 and 2: the records' vectors, their neighbour graph and the screens."""
        self.records_ = {r.id: r for r in records}
        self.ids_ = [r.id for r in records]
        self.rows_ = {rid: i for i, rid in enumerate(self.ids_)}
        self._fit_overlap(records)
        flat, offsets, self.vectors_ = record_vectors(records, self.overlap.encoder_)
        self._flat, self._offsets = flat, offsets
        self._lengths = np.diff(offsets)
        width = max(self.k_neighbours, self.graph_neighbours, min(self.wide_neighbours, self.max_candidates))
        wide, _ = knn(self.vectors_, width)  # one pass: the graph and the first ring
        self.neighbours_ = wide[:, :self.k_neighbours]
        self._wide = wide
        self.pairs_: dict[tuple[str, str], PairOverlap] = {}
        if self.screen == "auto":
            self.screen_, self.ratio_screen_ = self.auto_screen()
        else:
            self.screen_, self.ratio_screen_ = float(self.screen), 0.0

    def _fit_overlap(self, records: list[ProjectRecord]) -> None:
        known = getattr(self.overlap, "index_", None)
        if known is None or any(r.id not in known for r in records):
            self.overlap.fit(records)

    def _ratio(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """Shorter over longer statement count: one-to-one overlap can't exceed it both ways."""
        a, b = self._lengths[left], self._lengths[right]
        return np.minimum(a, b) / np.maximum(np.maximum(a, b), 1)

    def auto_screen(self, seed: int = 0) -> tuple[float, float]:
        """(coverage screen, length-ratio screen) from the catalog: the lowest soft coverage
        and the lowest statement-count ratio among sampled neighbour pairs whose exact overlap
        is >= threshold both ways, minus a margin. The ratio screen never exceeds
        threshold/100 - margin: a one-to-one overlap of A -> B is at most |B| / |A|."""
        n, k = self.neighbours_.shape
        if n == 0 or k == 0:
            return 0.0, 0.0
        rng = np.random.default_rng(seed)
        pick = rng.choice(n * k, size=min(SCREEN_SAMPLE, n * k), replace=False)
        left, right = pick // k, self.neighbours_.ravel()[pick]
        cov_lr, cov_rl = soft_coverage(self._flat, self._offsets, left, right)
        both = np.minimum(cov_lr, cov_rl)
        ratio = self._ratio(left, right)
        close = [(c, q) for i, j, c, q in zip(left, right, both, ratio) if self._exact(self.ids_[i], self.ids_[j])]
        if not close:
            return SCREEN_FALLBACK, 0.0
        ratio_floor = min(min(q for _, q in close), self.threshold / 100.0) - SCREEN_MARGIN
        return max(0.0, float(min(c for c, _ in close)) - SCREEN_MARGIN), max(0.0, float(ratio_floor))

    def _screened(self, left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(mask of pairs passing both screens, their both-ways soft coverage); coverage is
        computed only for pairs that pass the (free) length-ratio screen."""
        both = np.zeros(len(left), np.float32)
        ok = self._ratio(left, right) >= self.ratio_screen_
        if ok.any():
            if len(left) and (left == left[0]).all():  # one row against many: its product once
                cov_lr, cov_rl = soft_coverage_of_row(self._flat, self._offsets, int(left[0]), right[ok])
            else:
                cov_lr, cov_rl = soft_coverage(self._flat, self._offsets, left[ok], right[ok])
            both[ok] = np.minimum(cov_lr, cov_rl)
        return ok & (both >= self.screen_), both

    def _neighbourhood(self, row: int, assigned: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Unassigned rows near ``row`` that pass the screens, best soft coverage first.

        The first ring is the precomputed ``wide_neighbours`` nearest. Only when screened
        records reach the ring's outer half (the family may extend beyond it) is the ring
        widened to the ``max_candidates`` nearest by a full scan."""
        ring = self._wide[row]
        outer = np.arange(len(ring)) >= len(ring) // 2
        live = ~assigned[ring]
        ring, outer = ring[live], outer[live]
        keep, both = self._screened(np.full(len(ring), row), ring)
        if (keep & outer).any() and self.max_candidates > self._wide.shape[1]:
            sims = self.vectors_ @ self.vectors_[row]
            sims[assigned] = -np.inf
            sims[row] = -np.inf
            m = min(self.max_candidates, int(np.isfinite(sims).sum()))
            if m > 0:
                ring = np.argpartition(-sims, m - 1)[:m]
                ring = ring[np.isfinite(sims[ring])]
                keep, both = self._screened(np.full(len(ring), row), ring)
        near, both = ring[keep], both[keep]
        order = np.argsort(-both, kind="stable")
        return near[order], both[order]

    def _exact(self, a: str, b: str) -> PairOverlap | None:
        """Both-ways overlap of a and b if near-identical (stops after a failed first direction)."""
        known = self.pairs_.get((a, b))
        if known is None and (b, a) in self.pairs_:
            rev = self.pairs_[(b, a)]  # a failed first direction settles it either way
            known = PairOverlap(a, b, rev.ba, rev.ab) if rev.ba is not None else rev
        if known is not None:
            return known if known.near_identical_at >= self.threshold else None
        ab, ba = self._overlaps(a, b, self.threshold)
        if ba is None:
            self.pairs_[(a, b)] = PairOverlap(a, b, ab, None)
            return None
        pair = PairOverlap(a, b, ab, ba)
        self.pairs_[(a, b)] = pair
        return pair if ba >= self.threshold else None

    def _overlaps(self, a: str, b: str, floor: float | None = None) -> tuple[float, float | None]:
        """(overlap a -> b, overlap b -> a); the reverse is None when a -> b < ``floor``. The
        engine's ``overlap_pair_by_id`` shares the pair's matrices between the directions (same
        numbers); any other overlap object is asked one direction at a time."""
        both = getattr(self.overlap, "overlap_pair_by_id", None)
        if both is not None:
            return both(a, b, floor)
        ab = self.overlap.overlap_by_id(a, b)
        return ab, (None if floor is not None and ab < floor else self.overlap.overlap_by_id(b, a))
