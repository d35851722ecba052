"""Step 3 of the family finder: families grown greedily around cores, not by components.

Connected components chain A~B~C~D into one "family" although A and D share little, so:

- the next seed is the unassigned record with the most unassigned twins among its
  ``graph_neighbours`` nearest (ties: higher mean overlap);
- its neighbourhood is every unassigned record that passes the screens with it
  (``candidates``), best soft coverage first;
- the core is the most complete, least idiosyncratic version of the system: of the seed and
  its best-connected twins, the one near-identical to most of a sample of the neighbourhood;
- members are the unassigned records near-identical to the CORE (exact overlap >= threshold
  both ways), checked best coverage first until ``patience`` misses in a row; a member known to
  share less than ``member_floor`` with another member is dropped (the A~B, B~C, A!~C chain);
- with ``cross_region_only`` a family must span two regions (copies inside one region are a
  regional matter, not a federal one).

Each family's reference and savings come from ``reference``; the JSON from ``report``.
"""
from __future__ import annotations

import heapq
import math
from typing import Any, Iterable, Sequence

import numpy as np

from practicebank import settings
from practicebank.matcher.families import report
from practicebank.matcher.families.candidates import CandidateSearch
from practicebank.matcher.families.facts import reuse_counts
from practicebank.matcher.families.reference import family_savings, reference_choice
from practicebank.matcher.families.results import Family, PairOverlap
from practicebank.matcher.headline import DuplicatesHeadline
from practicebank.matcher.records import ProjectRecord
from practicebank.matcher.savings import SavingsModel


class FamilyFinder(CandidateSearch):
    """Families of near-identical systems (overlap >= ``threshold`` both ways) in a catalog.

    Parameters
    ----------
    overlap : a ``FunctionalOverlap``; ``fit`` fits it on the records unless it already
        holds all of them.
    threshold : both-ways overlap, in percent, for "near-identical".
    k_neighbours : neighbours per record in the candidate graph (seeds and their degrees).
    cross_region_only : families must span two regions; twins are counted across regions.
    screen : soft-coverage floor (cosine, both ways) below which a pair is not checked
        exactly, or "auto": measured on the catalog itself (``auto_screen``): the lowest
        coverage of a sampled neighbour pair whose exact overlap reaches the threshold both
        ways, minus ``SCREEN_MARGIN``. Self-tuning matters because the screen must follow the
        overlap engine: a better paraphrase model makes lower-coverage pairs near-identical.
    max_candidates : nearest records checked around each seed.
    core_candidates, core_sample : the seed and its best-connected twins (``core_candidates``
        in all) are tried as the core against ``core_sample`` records of the neighbourhood;
        the one near-identical to most of them becomes the core.
    member_floor, exact_check_max : no two members may share less than ``member_floor``
        percent either way; checked for every pair in families of up to ``exact_check_max``
        members, and on the pairs already computed in larger ones.
    adaptation_rate : share of a copy's capex that taking over the reference would cost;
        the setting ``savings_adaptation_rate``, so family savings and recommendations agree.
    """

    def __init__(self, overlap, threshold: float = settings.NEAR_IDENTICAL_THRESHOLD, k_neighbours: int = 10,
                 cross_region_only: bool = True, screen: float | str = "auto", max_candidates: int = 400,
                 core_candidates: int = 4, core_sample: int = 40,
                 member_floor: float = settings.FAMILY_MEMBER_FLOOR,
                 exact_check_max: int = 12, adaptation_rate: float = settings.SAVINGS_ADAPTATION_RATE,
                 graph_neighbours: int = 5, wide_neighbours: int = 32, patience: int = 8):
        self.overlap = overlap
        self.threshold = threshold
        self.k_neighbours = k_neighbours
        self.cross_region_only = cross_region_only
        self.screen = screen
        self.max_candidates = max_candidates
        self.core_candidates = core_candidates
        self.core_sample = core_sample
        self.member_floor = member_floor
        self.exact_check_max = exact_check_max
        self.adaptation_rate = adaptation_rate
        self.graph_neighbours = graph_neighbours
        self.wide_neighbours = wide_neighbours
        self.patience = patience

    def fit(self, records: Sequence[ProjectRecord]) -> "FamilyFinder":
        """Find the families among ``records`` (``families_``, ``family_of_``: member -> family id)."""
        records = list(records)
        self._fit_candidates(records)
        self.reuse_ = reuse_counts(records)
        self.savings_model_ = SavingsModel(self.adaptation_rate)
        self.families_ = self._families()
        self.family_of_ = {m: f.id for f in self.families_ for m in f.members}
        return self

    def _twin_graph(self) -> list[dict[int, float]]:
        """Near-identical pairs (exact, both ways) among each row's ``graph_neighbours``
        nearest: row -> {row: both-ways overlap}. Only screened pairs are checked; the graph
        orders the seeds and proposes cores, the members are found around the core."""
        n = len(self.ids_)
        k = min(self.graph_neighbours, self._wide.shape[1])
        left = np.repeat(np.arange(n), k)
        right = self._wide[:, :k].ravel()
        lo, hi = np.minimum(left, right), np.maximum(left, right)
        _, first = np.unique(lo * n + hi, return_index=True)  # each unordered pair once
        left, right = lo[first], hi[first]
        passed, _ = self._screened(left, right)
        graph: list[dict[int, float]] = [{} for _ in range(n)]
        for i, j in zip(left[passed].tolist(), right[passed].tolist()):
            pair = self._exact(self.ids_[i], self.ids_[j])
            if pair is not None:
                graph[i][j] = graph[j][i] = pair.both
        return graph

    def _families(self) -> list[Family]:
        graph = self._twin_graph()
        assigned = np.zeros(len(self.ids_), bool)
        families = []
        for seed in self._seeds(graph, assigned):
            family = self._grow(seed, graph, assigned)
            if family is not None:
                families.append(family)
        return sorted(families, key=lambda f: (-len(f.members), f.id))

    @staticmethod
    def _live(graph: list[dict[int, float]], assigned: np.ndarray, i: int) -> tuple[int, float]:
        """(twins still unassigned, their mean overlap): how central row i still is."""
        live = [o for j, o in graph[i].items() if not assigned[j]]
        return (len(live), sum(live) / len(live) if live else 0.0)

    def _seeds(self, graph: list[dict[int, float]], assigned: np.ndarray) -> Iterable[int]:
        """Unassigned rows with a twin among their neighbours, most twins first (ties: higher
        mean overlap); a lazy heap re-scores a row when popped, as degrees only fall."""
        heap = [(-d, -m, i) for i in range(len(graph)) if graph[i]
                for d, m in [self._live(graph, assigned, i)] if d]
        heapq.heapify(heap)
        while heap:
            _, _, i = heapq.heappop(heap)
            if assigned[i]:
                continue
            degree, mean = self._live(graph, assigned, i)
            if degree == 0:
                continue
            if heap and (-degree, -mean, i) > heap[0]:  # stale: fell behind the next one
                heapq.heappush(heap, (-degree, -mean, i))
                continue
            yield i

    def _near_identical(self, core: int, rows: Iterable[int]) -> list[PairOverlap]:
        """Exact checks of ``rows`` (best soft coverage first) against ``core``; stops after
        ``patience`` misses in a row, beyond which near-identical records are not found."""
        found, misses = [], 0
        for row in rows:
            p = self._exact(self.ids_[core], self.ids_[row])
            if p is not None:
                found.append(p)
                misses = 0
            else:
                misses += 1
                if self.patience and misses >= self.patience:
                    break
        return found

    def _grow(self, seed: int, graph: list[dict[int, float]], assigned: np.ndarray) -> Family | None:
        """The family around ``seed``: its best core and every record near-identical to it."""
        hood, _ = self._neighbourhood(seed, assigned)
        if len(hood) == 0:
            return None
        core = self._choose_core(seed, graph, hood, assigned)
        around = hood if core == seed else self._neighbourhood(core, assigned)[0]
        members = self._near_identical(core, [r for r in around.tolist() if r != core])
        members = self._compatible(members)
        if not members:
            return None
        family = self._family(self.ids_[core], members)
        if self.cross_region_only and len(family.regions) < 2:
            return None
        for rid in family.members:
            assigned[self.rows_[rid]] = True
        return family

    def _compatible(self, pairs: list[PairOverlap]) -> list[PairOverlap]:
        """Members, best overlap with the core first, minus any that is known to share less
        than ``member_floor`` percent (either way) with a member already accepted.

        Small families (up to ``exact_check_max`` members) are checked pair by pair; in larger
        ones the pairs already computed decide (neighbour graph, core sampling). Two records
        each >= 85% identical to the core share >= ~70% with each other anyway, so this only
        removes the worst of such pairs: the A~B, B~C, A!~C chain."""
        pairs = sorted(pairs, key=lambda p: (-p.both, p.b))
        exhaustive = len(pairs) + 1 <= self.exact_check_max
        accepted: list[PairOverlap] = []
        for p in pairs:
            if all(not self._below_floor(p.b, q.b, exhaustive) for q in accepted):
                accepted.append(p)
        return accepted

    def _below_floor(self, a: str, b: str, compute: bool) -> bool:
        """True when a and b are known (or, with ``compute``, found) to share < member_floor."""
        known = [x for x in (self.pairs_.get((a, b)), self.pairs_.get((b, a))) if x is not None]
        values = [v for x in known for v in (x.ab, x.ba) if v is not None]
        if any(v < self.member_floor for v in values):
            return True
        if compute and len(values) < 2:
            ab, ba = self._overlaps(a, b)
            self.pairs_[(a, b)] = PairOverlap(a, b, ab, ba)
            return min(ab, ba) < self.member_floor
        return False

    def _choose_core(self, seed: int, graph, hood: np.ndarray, assigned: np.ndarray) -> int:
        """The seed or one of its twins: whichever is near-identical to most of a sample of
        the neighbourhood. The core should be the plain, complete version of the system
        (all the common functions, none of a region's extras): it has the most twins.

        The sample is the ``core_sample`` hood records with the best soft coverage with the
        seed (the likely members), so a candidate's score is how many of them it keeps."""
        twins = sorted((j for j in graph[seed] if not assigned[j]),
                       key=lambda j: tuple(-x for x in self._live(graph, assigned, j)) + (j,))
        candidates = [seed, *twins[: self.core_candidates - 1]]
        if len(candidates) == 1:
            return seed
        sample = hood[: self.core_sample].tolist()
        def score(c: int) -> tuple[int, float]:
            pairs = self._near_identical(c, [r for r in sample if r != c])
            return (len(pairs), float(np.mean([p.both for p in pairs])) if pairs else 0.0)
        return max(candidates, key=score)

    def _family(self, core_id: str, pairs: list[PairOverlap]) -> Family:
        pairs = sorted(pairs, key=lambda p: (-p.both, p.b))
        ids = [core_id] + [p.b for p in pairs]
        members = [self.records_[i] for i in ids]
        reference, why, reasons = reference_choice(members, self.reuse_)
        others = [m for m in members if m.id != reference]
        return Family(
            id=f"family-{core_id}", core=core_id, members=ids,
            regions=sorted({m.region for m in members if m.region}),
            overlap=float(np.mean([p.both for p in pairs])), min_overlap=min(p.both for p in pairs),
            capex_total=math.fsum(m.capex or 0.0 for m in members),
            opex_total=math.fsum(m.opex_per_year or 0.0 for m in members),
            reference=reference, reference_why=why, reference_reasons=reasons,
            duplicate_capex=math.fsum(m.capex or 0.0 for m in others),
            duplicate_opex=math.fsum(m.opex_per_year or 0.0 for m in others),
            savings=family_savings(members, reference, self._to_reference(core_id, reference, pairs),
                                   self.savings_model_),
            pairs=pairs, synthetic=any(m.synthetic for m in members),
        )

    def _to_reference(self, core_id: str, reference: str, pairs: list[PairOverlap]) -> dict[str, float]:
        """overlap(member -> reference) for every member: stored when the reference is the core."""
        if reference == core_id:
            return {p.b: p.ba for p in pairs}
        ids = [core_id] + [p.b for p in pairs]
        return {m: self.overlap.overlap_by_id(m, reference) for m in ids if m != reference}

    # ----- the report (``report``) -----------------------------------------------------------
    def family(self, family_id: str) -> Family:
        return next(f for f in self.families_ if f.id == family_id)

    def family_json(self, family_id: str) -> dict[str, Any]:
        return report.family_json(self, self.family(family_id))

    def headline(self) -> DuplicatesHeadline:
        return report.headline(self)

    def to_json(self, evidence: bool = False) -> dict[str, Any]:
        return report.to_json(self, evidence)
