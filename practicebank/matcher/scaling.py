"""The federal scaling board: which proven practices to turn into a federal standard.

A practice (an in-operation system) scores on four terms, each a value in 0..1:

- demand: other regions that built or plan a system it could have replaced: its family's
  members (near-identical) and, among its nearest neighbours, systems whose functions it
  performs for at least ``demand_overlap`` percent (overlap(other -> practice) >= 50).
  value = min(1, regions / DEMAND_FULL).
- proof: mean of four facts: in operation (1/0); share of measured indicators achieved
  (actual vs target, a target below the baseline counts as a reduction target); years in
  operation, min(1, years / 5); reuse count, min(1, reuse / 3).
- cost: cheaper to adopt is better: capex + 5 years of opex against the median over the
  candidates, value = median / (median + cost) (0.5 at the median); unknown cost 0.5.
- region group: leading 1, developing 0.5, needs support 0 (leading regions' practices are
  slightly favoured: they have the teams to hand a system over).

score = sum(weight * value); every term reports value, weight, contribution and a sentence,
and the contributions sum to the score.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping, Sequence

import numpy as np

from practicebank.matcher.families import (CURRENT_YEAR, indicators_achieved, reuse_counts, years_in_operation)
from practicebank.matcher.records import ProjectRecord

if TYPE_CHECKING:  # pragma: no cover
    from practicebank.matcher.families import FamilyFinder

DEFAULT_WEIGHTS: dict[str, float] = {"demand": 0.40, "proof": 0.35, "cost": 0.15, "region_group": 0.10}
DEMAND_FULL = 20  # regions; more demand than this adds nothing
OPEX_YEARS = 5  # cost to adopt = capex + this many years of opex
GROUP_VALUE = {"leading": 1.0, "developing": 0.5, "needs_support": 0.0}
FLAGGED_STATES = ("recommended_for_scaling", "federal_standard")


@dataclass
class Term:
    value: float
    weight: float
    explanation: str  # stable English (CLI, API); pages render ``code`` with ``params`` instead
    code: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def contribution(self) -> float:
        return self.value * self.weight

    def to_dict(self) -> dict[str, Any]:
        return {"value": round(self.value, 4), "weight": self.weight,
                "contribution": round(self.contribution, 4), "explanation": self.explanation,
                "code": self.code, "params": dict(self.params)}


@dataclass
class ScaleCandidate:
    record: ProjectRecord
    terms: dict[str, Term]
    demand_regions: list[str]
    family: str | None
    flagged: bool
    # other region -> its systems this practice could replace (near-identical or >= demand_overlap)
    demand_systems: dict[str, list[str]] = field(default_factory=dict)

    @property
    def score(self) -> float:
        return float(sum(t.contribution for t in self.terms.values()))

    def to_dict(self) -> dict[str, Any]:
        terms = {name: t.to_dict() for name, t in self.terms.items()}
        return {
            "id": self.record.id, "title": self.record.title, "region": self.record.region,
            "region_group": self.record.region_group,
            # rounded from the rounded contributions, so the JSON adds up exactly as shown
            "score": round(sum(t["contribution"] for t in terms.values()), 4),
            "terms": terms, "demand_regions": self.demand_regions, "family": self.family,
            "curation_state": self.record.curation_state, "already_recommended": self.flagged,
            "demand_systems": {k: list(v) for k, v in self.demand_systems.items()},
        }


@dataclass
class ScaleBoard:
    candidates: list[ScaleCandidate]
    weights: dict[str, float]
    notes: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """``scale-candidates --json``: {"candidates": [...], "weights": {...}}."""
        return {"candidates": [c.to_dict() for c in self.candidates], "weights": dict(self.weights),
                "method": self.notes}


# ----------------------------------------------------------------------------- terms
def demand_term(regions: Sequence[str], family_regions: int, weight: float) -> Term:
    value = min(1.0, len(regions) / DEMAND_FULL)
    return Term(value, weight, f"{len(regions)} other region(s) built or plan a similar system "
                               f"({family_regions} with a near-identical copy); full at {DEMAND_FULL}",
                "demand_regions", {"regions": len(regions), "family_regions": family_regions, "full": DEMAND_FULL})


def proof_term(record: ProjectRecord, reuse: int, weight: float, year: int) -> Term:
    achieved, measured = indicators_achieved(record)
    years = years_in_operation(record, year)
    parts = [
        1.0 if record.status == "in_operation" else 0.0,
        achieved / measured if measured else 0.0,
        min(1.0, years / 5.0),
        min(1.0, reuse / 3.0),
    ]
    return Term(float(np.mean(parts)), weight,
                f"status {record.status or 'unknown'}; {achieved}/{measured} measured indicators achieved; "
                f"{years} year(s) in operation; reused {reuse} time(s)",
                "proof_facts", {"status": record.status or "unknown", "achieved": achieved, "measured": measured,
                                "years": years, "reuse": reuse})


def adoption_cost(record: ProjectRecord) -> float | None:
    if record.capex is None and record.opex_per_year is None:
        return None
    return (record.capex or 0.0) + OPEX_YEARS * (record.opex_per_year or 0.0)


def cost_term(record: ProjectRecord, median: float | None, weight: float) -> Term:
    cost = adoption_cost(record)
    if cost is None or not median:
        return Term(0.5, weight, "cost unknown: neutral 0.5", "cost_unknown", {"value": 0.5})
    value = median / (median + cost)
    return Term(value, weight, f"capex + {OPEX_YEARS} years of opex = {cost:,.0f} thousand RUB "
                               f"vs candidates' median {median:,.0f} (0.5 at the median)",
                "cost_vs_median", {"cost": round(cost, 1), "median": round(median, 1), "opex_years": OPEX_YEARS})


def group_term(record: ProjectRecord, weight: float) -> Term:
    group = record.region_group or "unknown"
    return Term(GROUP_VALUE.get(group, 0.5), weight, f"source region group: {group}", "source_region_group",
                {"group": group})


# ----------------------------------------------------------------------------- ranking
def rank_scale_candidates(records: Sequence[ProjectRecord], finder: "FamilyFinder", top: int | None = 20,
                          weights: Mapping[str, float] | None = None, demand_overlap: float = 50.0,
                          year: int = CURRENT_YEAR) -> ScaleBoard:
    """Practices ranked for the federal team, best first, each score explained term by term.

    ``finder`` is a fitted ``FamilyFinder`` over ``records``: its families give the
    near-identical copies, its neighbour graph and overlap engine the >= ``demand_overlap``
    ones. Candidates are the systems in operation (a practice must be proven to be scaled).
    """
    weights = dict(weights or DEFAULT_WEIGHTS)
    if abs(sum(weights.values()) - 1.0) > 1e-9:
        raise ValueError("weights must sum to 1, so that the score stays within 0..1")
    by_id = {r.id: r for r in records}
    reuse = reuse_counts(records)
    candidates = [r for r in records if r.status == "in_operation"]
    costs = [c for r in candidates if (c := adoption_cost(r)) is not None]
    median = float(np.median(costs)) if costs else None
    out = []
    for r in candidates:
        systems, family_regions, family = _demand(r, by_id, finder, demand_overlap)
        regions = sorted(systems)
        terms = {
            "demand": demand_term(regions, family_regions, weights["demand"]),
            "proof": proof_term(r, reuse.get(r.id, 0), weights["proof"], year),
            "cost": cost_term(r, median, weights["cost"]),
            "region_group": group_term(r, weights["region_group"]),
        }
        out.append(ScaleCandidate(r, terms, regions, family, r.curation_state in FLAGGED_STATES, systems))
    out.sort(key=lambda c: (-c.score, c.record.id))
    notes = {"candidates": "systems in operation", "demand_overlap": demand_overlap,
             "demand_full_at_regions": DEMAND_FULL, "opex_years": OPEX_YEARS,
             "median_adoption_cost": median, "systems_considered": len(candidates)}
    return ScaleBoard(out if top is None else out[:top], weights, notes)


def _demand(record: ProjectRecord, by_id: Mapping[str, ProjectRecord], finder: "FamilyFinder",
            floor: float) -> tuple[dict[str, list[str]], int, str | None]:
    """(other region -> its systems this practice could replace, how many regions via its family,
    family id)."""
    family_id = finder.family_of_.get(record.id)
    systems: dict[str, list[str]] = {}
    if family_id is not None:
        for m in finder.family(family_id).members:
            other = by_id[m]
            if m != record.id and other.region and other.region != record.region:
                systems.setdefault(other.region, []).append(m)
    near = len(systems)
    row = finder.rows_[record.id]
    for j in finder.neighbours_[row]:
        other = by_id[finder.ids_[j]]
        if other.region and other.region != record.region and other.region not in systems:
            if finder.overlap.overlap_by_id(other.id, record.id) >= floor:
                systems[other.region] = [other.id]
    return dict(sorted(systems.items())), near, family_id
