"""Families of near-identical systems across regions, their cost and the practice to adopt.

Two systems are near-identical when the functional overlap (``matcher.overlap``) is at least
``threshold`` BOTH ways. Checking every pair is quadratic, so the finder works in three steps:

1. Candidates. Each record's function statements are embedded (the encoder's content-hash
   cache makes this free after ``FunctionalOverlap.fit``); the record vector is the mean of
   its statement vectors (a feature-set embedding). Exact cosine top-``k_neighbours`` in
   1024-row chunks gives the neighbour graph (PERF-NOTES: 0.8 s at 10k for numpy).
2. A cheap screen. For a candidate pair, "soft coverage" is the mean over A's statements of
   the best cosine to any of B's statements: an embedding-only stand-in for overlap(A -> B)
   with no assignment and no calibration. Pairs whose coverage is below ``screen`` either way
   cannot plausibly reach the threshold and never reach the (slower) exact overlap.
3. Families by cores, not by connected components (components chain A~B~C~D into one
   "family" although A and D share little). Rule, applied greedily:
   - the next seed is the unassigned record with the most unassigned screened neighbours
     (ties: higher mean coverage);
   - its neighbourhood is every unassigned record whose coverage with the seed passes the
     screen both ways (and whose statement count is within the ratio screen), among the
     seed's ``wide_neighbours`` nearest (precomputed with the kNN graph), widened to its
     ``max_candidates`` nearest only when screened records reach the ring's outer half;
   - exact checks against a core go best soft coverage first and stop after ``patience``
     misses in a row; the seed graph is built on the ``graph_neighbours`` nearest only;
   - the core is the most complete, least idiosyncratic version of the system: the few
     records whose statements best cover the functions common in the neighbourhood while
     adding the fewest of their own are tried, and the one with the most near-identical
     members wins;
   - members are the unassigned records near-identical to the CORE (exact overlap
     >= threshold both ways, with evidence). Every member is therefore near-identical to the
     core; two members, each >= 85% identical to the core, share at least ~70% of their
     functions with each other, and a member known to share less than ``member_floor``
     (75%) with another member is dropped (the A~B, B~C, A!~C chain), so unrelated
     systems never end up in one family;
   - with ``cross_region_only`` a family must span at least two regions (copies inside one
     region are a regional matter, not a federal one), and "twin" in the headline means a
     near-identical system in another region.

The reference member of a family (the practice to adopt) and what reuse would have saved
are chosen per family; see ``choose_reference`` and ``family_savings``.
"""
from __future__ import annotations

import math

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from practicebank.matcher.functions import function_statements
from practicebank.matcher.headline import DuplicatesHeadline, build_headline
from practicebank.matcher.records import ProjectRecord
from practicebank.matcher.savings import DEFAULT_ADAPTATION_RATE, SavingsModel

CURRENT_YEAR = date.today().year
SCREEN_SAMPLE = 1500  # neighbour pairs checked exactly to set the screen: ~0.5 s
SCREEN_MARGIN = 0.05  # the 1,500-pair sample may miss the lowest near-identical pair
# No close pair in the sample: twins are rare, and a zero screen would check every
# neighbourhood exactly; 0.6 kept every near-identical pair of the synthetic dev seed.
SCREEN_FALLBACK = 0.6
GROUP_RANK = {"leading": 2, "developing": 1, "needs_support": 0}


# ----------------------------------------------------------------------------- facts of a record
def indicator_achieved(indicator: Mapping[str, Any]) -> bool | None:
    """True/False when the indicator has an actual value and a target; None when unknown.

    A target below the baseline is a reduction target (waiting time): achieved when actual <= target.
    """
    actual, target = indicator.get("actual"), indicator.get("target")
    if actual is None or target is None:
        return None
    baseline = indicator.get("baseline")
    if baseline is not None and target < baseline:
        return actual <= target
    return actual >= target


def indicators_achieved(record: ProjectRecord) -> tuple[int, int]:
    """(achieved, measured): indicators with an actual value, and how many met the target."""
    verdicts = [indicator_achieved(i) for i in record.indicators]
    measured = [v for v in verdicts if v is not None]
    return sum(measured), len(measured)


def years_in_operation(record: ProjectRecord, year: int = CURRENT_YEAR) -> int:
    if record.status != "in_operation" or record.start_year is None:
        return 0
    return max(0, year - record.start_year)


def reuse_counts(records: Iterable[ProjectRecord]) -> dict[str, int]:
    """Times each record was reused: its own counter, or the catalog's ``based_on`` links."""
    records = list(records)
    linked: dict[str, int] = defaultdict(int)
    for r in records:
        for source in set(r.based_on):
            linked[source] += 1
    return {r.id: max(r.reused_by_count, linked.get(r.id, 0)) for r in records}


# ----------------------------------------------------------------------------- reference choice
def reference_key(record: ProjectRecord, reuse: int) -> tuple:
    """Sort key of the reference criteria, in order of importance (larger is better)."""
    achieved, measured = indicators_achieved(record)
    return (
        record.status == "in_operation",
        achieved / measured if measured else 0.0,
        reuse,
        years_in_operation(record),
        GROUP_RANK.get(record.region_group or "", 0),
    )


CRITERIA = ("in operation", "indicators achieved", "reuse", "years in operation", "leading region")
# the same criteria as codes, for pages that say them in their own language
CRITERIA_CODES = ("in_operation", "indicators_achieved", "reuse", "years_in_operation", "leading_region")


def reason(code: str, **params: Any) -> dict[str, Any]:
    """One reason as a code with parameters: pages render it in their language, the API keeps it."""
    return {"code": code, "params": params}


def describe_reasons(record: ProjectRecord, reuse: int) -> list[dict[str, Any]]:
    """The facts the reference choice rests on, as codes with parameters."""
    if record.status == "in_operation":
        facts = [reason("in_operation_since", year=record.start_year) if record.start_year is not None
                 else reason("in_operation")]
    else:
        facts = [reason("status", status=record.status or "unknown")]
    achieved, measured = indicators_achieved(record)
    facts.append(reason("indicators_achieved", achieved=achieved, measured=measured) if measured
                 else reason("no_measured_indicators"))
    if reuse:
        facts.append(reason("reused", count=reuse))
    if record.region_group:
        facts.append(reason("region_group", group=record.region_group))
    return facts


# The English text of each reason code (CLI, the API's ``why``); pages have their own Russian.
REASON_TEXT = {
    "in_operation_since": "in operation since {year}", "in_operation": "in operation",
    "status": "status {status}", "indicators_achieved": "{achieved}/{measured} indicators achieved",
    "no_measured_indicators": "no measured indicators", "region_group": "{group} region",
    "ahead_of": "ahead of {id} on {criterion}",
    "tied_with": "tied with {id} on every criterion: either is as good a reference",
}


def reason_english(item: Mapping[str, Any]) -> str:
    """A reason's stable English text (the CLI, the API's ``why``)."""
    code, params = item["code"], dict(item.get("params") or {})
    if code == "reused":
        return f"reused {params['count']} time{'s' if params['count'] != 1 else ''}"
    if code == "ahead_of":
        params["criterion"] = CRITERIA[CRITERIA_CODES.index(params["criterion"])]
    template = REASON_TEXT.get(code)
    return template.format(**params) if template else code


def describe(record: ProjectRecord, reuse: int) -> list[str]:
    """The facts the reference choice rests on, as short phrases."""
    return [reason_english(r) for r in describe_reasons(record, reuse)]


def reference_choice(members: Sequence[ProjectRecord],
                     reuse: Mapping[str, int]) -> tuple[str, str, list[dict[str, Any]]]:
    """(id, why, reasons): the member to adopt instead of building again.

    Criteria, lexicographic: in operation; share of measured indicators achieved; reuse
    count; years in operation; leading region group. A full tie is said as a tie (either
    member is as good); the smaller id is listed first only to keep the answer stable.
    """
    ranked = sorted(members, key=lambda r: r.id)
    ranked = sorted(ranked, key=lambda r: reference_key(r, reuse.get(r.id, 0)), reverse=True)
    best = ranked[0]
    reasons = describe_reasons(best, reuse.get(best.id, 0))
    if len(ranked) > 1:
        runner = ranked[1]
        a, b = reference_key(best, reuse.get(best.id, 0)), reference_key(runner, reuse.get(runner.id, 0))
        decided = next((c for c, x, y in zip(CRITERIA_CODES, a, b) if x != y), None)
        reasons.append(reason("ahead_of", id=runner.id, criterion=decided) if decided
                       else reason("tied_with", id=runner.id))
    return best.id, "; ".join(reason_english(r) for r in reasons), reasons


def choose_reference(members: Sequence[ProjectRecord], reuse: Mapping[str, int]) -> tuple[str, str]:
    """(id, why): the member to adopt instead of building again (see ``reference_choice``)."""
    best, why, _ = reference_choice(members, reuse)
    return best, why


# ----------------------------------------------------------------------------- savings
def family_savings(members: Sequence[ProjectRecord], reference_id: str,
                   overlap_to_reference: Mapping[str, float], model: SavingsModel) -> dict[str, Any]:
    """What adopting the reference instead of building each copy would have saved.

    For every non-reference member m, ``matcher.savings``'s formula with m's capex as the
    budget and overlap(m -> reference) as the overlap:

        saved_m = max(0, capex_m * overlap(m -> ref) / 100 - capex_m * adaptation_rate)

    i.e. the functions the reference already performs need not have been built, minus the
    cost of taking it over; one assumption (the rate) shared with the recommendations.
    Operating costs stay with each region (no opex saving claimed). Members without capex
    save "unknown", counted in ``members_without_capex``, not 0.
    """
    per_member = {}
    for m in members:
        if m.id != reference_id and m.capex:
            per_member[m.id] = model.estimate(m.capex, overlap_to_reference[m.id])
    return {
        "capex_saved": round(math.fsum(per_member.values()), 1),
        "per_member": per_member,
        "adaptation_rate": model.adaptation_rate,
        "formula": "sum over non-reference members of max(0, capex * overlap_to_reference / 100 "
                   "- capex * adaptation_rate)",
        "members_without_capex": sum(1 for m in members if m.id != reference_id and not m.capex),
    }


# ----------------------------------------------------------------------------- results
@dataclass
class PairOverlap:
    """overlap(a -> b) and overlap(b -> a) in percent, as computed by the overlap engine."""

    a: str
    b: str
    ab: float
    ba: float | None  # None: not computed, the first direction already failed

    @property
    def both(self) -> float:
        return self.ab if self.ba is None else min(self.ab, self.ba)

    @property
    def near_identical_at(self) -> float:
        """The both-ways overlap, or 0 when only one direction was computed."""
        return 0.0 if self.ba is None else self.both


@dataclass
class Family:
    id: str
    core: str
    members: list[str]  # core first, then by decreasing overlap with the core
    regions: list[str]
    overlap: float  # mean over non-core members of min(both-way overlap with the core)
    min_overlap: float
    capex_total: float
    opex_total: float  # per year
    reference: str
    reference_why: str
    duplicate_capex: float  # capex of every member except the reference
    duplicate_opex: float  # per year, likewise
    savings: dict[str, Any]
    pairs: list[PairOverlap] = field(default_factory=list)  # core vs each member
    # the why as codes with parameters (matcher.families.reason), for pages in any language
    reference_reasons: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self, evidence: Mapping[tuple[str, str], Any] | None = None) -> dict[str, Any]:
        d = {
            "id": self.id, "members": list(self.members), "overlap": round(self.overlap, 1),
            "size": len(self.members), "core": self.core, "min_overlap": round(self.min_overlap, 1),
            "regions": list(self.regions), "capex_total": round(self.capex_total, 1),
            "opex_total": round(self.opex_total, 1),
            # getattr: a family pickled before reasons existed still answers (pages fall back to why)
            "reference": {"id": self.reference, "why": self.reference_why,
                          "reasons": list(self.reference_reasons)},
            "duplicate_capex": round(self.duplicate_capex, 1),
            "duplicate_opex": round(self.duplicate_opex, 1),
            "savings": self.savings,
            "pairs": [{"a": p.a, "b": p.b, "overlap_ab": round(p.ab, 1), "overlap_ba": round(p.ba, 1)}
                      for p in self.pairs],
        }
        if evidence is not None:
            for pair in d["pairs"]:
                pair.update(evidence[(pair["a"], pair["b"])])
        return d


# ----------------------------------------------------------------------------- geometry
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


# ----------------------------------------------------------------------------- the estimator
class FamilyFinder:
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
        ``matcher.savings``'s default, so family savings and recommendations agree.
    """

    def __init__(self, overlap, threshold: float = 85.0, k_neighbours: int = 10,
                 cross_region_only: bool = True, screen: float | str = "auto", max_candidates: int = 400,
                 core_candidates: int = 4, core_sample: int = 40, member_floor: float = 75.0,
                 exact_check_max: int = 12, adaptation_rate: float = DEFAULT_ADAPTATION_RATE,
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

    # ----- fitting ------------------------------------------------------------------------
    def fit(self, records: Sequence[ProjectRecord]) -> "FamilyFinder":
        records = list(records)
        self.records_ = {r.id: r for r in records}
        self.ids_ = [r.id for r in records]
        self.rows_ = {rid: i for i, rid in enumerate(self.ids_)}
        self._fit_overlap(records)
        flat, offsets, self.vectors_ = record_vectors(records, self.overlap.encoder_)
        self._flat, self._offsets = flat, offsets
        self._lengths = np.diff(offsets)
        width = max(self.k_neighbours, self.graph_neighbours, min(self.wide_neighbours, self.max_candidates))
        wide, wide_sims = knn(self.vectors_, width)  # one pass: the graph and the first ring
        self.neighbours_, self.neighbour_sims_ = wide[:, :self.k_neighbours], wide_sims[:, :self.k_neighbours]
        self._wide = wide
        self.pairs_: dict[tuple[str, str], PairOverlap] = {}
        if self.screen == "auto":
            self.screen_, self.ratio_screen_ = self.auto_screen()
        else:
            self.screen_, self.ratio_screen_ = float(self.screen), 0.0
        self.reuse_ = reuse_counts(records)
        self.savings_model_ = SavingsModel(self.adaptation_rate)
        self.families_ = self._families()
        self.family_of_ = {m: f.id for f in self.families_ for m in f.members}
        return self

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
        import heapq

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
            pairs=pairs,
        )

    def _to_reference(self, core_id: str, reference: str, pairs: list[PairOverlap]) -> dict[str, float]:
        """overlap(member -> reference) for every member: stored when the reference is the core."""
        if reference == core_id:
            return {p.b: p.ba for p in pairs}
        ids = [core_id] + [p.b for p in pairs]
        return {m: self.overlap.overlap_by_id(m, reference) for m in ids if m != reference}

    def _overlaps(self, a: str, b: str, floor: float | None = None) -> tuple[float, float | None]:
        """(overlap a -> b, overlap b -> a); the reverse is None when a -> b < ``floor``. The
        engine's ``overlap_pair_by_id`` shares the pair's matrices between the directions (same
        numbers); any other overlap object is asked one direction at a time."""
        both = getattr(self.overlap, "overlap_pair_by_id", None)
        if both is not None:
            return both(a, b, floor)
        ab = self.overlap.overlap_by_id(a, b)
        return ab, (None if floor is not None and ab < floor else self.overlap.overlap_by_id(b, a))

    # ----- views ----------------------------------------------------------------------------
    def twins(self) -> dict[str, set[str]]:
        """Record id -> its near-identical systems (checked pairs), in other regions if
        ``cross_region_only``."""
        out: dict[str, set[str]] = defaultdict(set)
        for p in self.pairs_.values():
            if p.near_identical_at >= self.threshold and (not self.cross_region_only
                                             or self.records_[p.a].region != self.records_[p.b].region):
                out[p.a].add(p.b)
                out[p.b].add(p.a)
        return out

    def evidence(self, a: str, b: str) -> dict[str, Any]:
        """Matched and missing functions both ways, for the family view (computed on demand)."""
        ab, ba = self.overlap.result_by_id(a, b), self.overlap.result_by_id(b, a)
        return {
            "overlap_ab": round(ab.overlap, 1), "overlap_ba": round(ba.overlap, 1),
            "matched": [[m.planned, m.existing, round(m.similarity, 3), round(m.probability, 3)]
                        for m in ab.matched],
            "missing_in_b": list(ab.missing), "missing_in_a": list(ba.missing),
        }

    def family(self, family_id: str) -> Family:
        return next(f for f in self.families_ if f.id == family_id)

    def family_json(self, family_id: str) -> dict[str, Any]:
        """One family with the evidence of every core-member pair."""
        fam = self.family(family_id)
        return fam.to_dict({(p.a, p.b): self.evidence(p.a, p.b) for p in fam.pairs})

    def headline(self) -> DuplicatesHeadline:
        """The audit's finding measured on the catalog: who has twins, and what the copies cost."""
        return build_headline(self.records_.values(), self.families_, self.twins(), self.adaptation_rate)

    def to_json(self, evidence: bool = False) -> dict[str, Any]:
        """``duplicates --json`` per SPEC, with the extra fields of the family view."""
        families = [self.family_json(f.id) if evidence else f.to_dict() for f in self.families_]
        return {
            "threshold": self.threshold,
            "systems": len(self.ids_),
            "families": families,
            "systems_in_families": sum(len(f.members) for f in self.families_),
            "headline": self.headline().to_dict(),
            "savings": {"capex_saved": round(math.fsum(f.savings["capex_saved"] for f in self.families_), 1),
                        **self.savings_model_.assumptions(),
                        "formula": ("sum over families and their non-reference members of max(0, capex * "
                                    "overlap(member -> reference) / 100 - capex * adaptation_rate)"),
                        "opex": "not counted as saved: each region still operates its system"},
        }

