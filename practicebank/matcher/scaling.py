"""The federal scaling board: which proven practices to turn into a federal standard.

A practice (an in-operation system) scores on four terms, each a value in 0..1:

- demand: other regions that built or plan a system it could have replaced: its family's
  members (near-identical) and, among its nearest neighbours, systems whose functions it
  performs for at least ``demand_overlap`` percent (overlap(other -> practice) >= 50, the setting
  ``scaling_demand_overlap``).
  value = min(1, regions / 20) (the setting ``scaling_demand_full``).
- proof: mean of four facts: in operation (1/0); share of measured indicators achieved
  (actual vs target, a target below the baseline counts as a reduction target); years in
  operation, min(1, years / 5); reuse count, min(1, reuse / 3) (the settings
  ``scaling_proof_years_full`` and ``scaling_proof_reuse_full``).
- cost: cheaper to adopt is better: capex + 5 years of opex against the median over the
  candidates, value = median / (median + cost) (0.5 at the median); unknown cost 0.5.
- region group: leading 1, developing 0.5, needs support 0 (leading regions' practices are
  slightly favoured: they have the teams to hand a system over).

score = sum(weight * value); every term reports value, weight, contribution and a sentence,
and the contributions sum to the score. The weights, the group values, the 20 regions and the 5
years are settings (``practicebank.settings``, ``scaling_*``), each with its reason.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping, Sequence

import numpy as np

from practicebank import settings
from practicebank.matcher.families.facts import indicators_achieved, reuse_counts, years_in_operation
from practicebank.matcher.records import ProjectRecord
from practicebank.matcher.shape import BOOLEAN, NUMBER, STRING, STRINGS, closed, exact_keys, nullable

if TYPE_CHECKING:  # pragma: no cover
    from practicebank.matcher.families.finder import FamilyFinder

FLAGGED_STATES = ("recommended_for_scaling", "federal_standard")


@dataclass
class Term:
    """One term of a practice's score: its value in 0..1, its weight and why."""

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

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Term":
        """The term back from ``to_dict()`` (the contribution is derived, not read)."""
        exact_keys(cls.__name__, data, TERM_FIELDS)
        return cls(data["value"], data["weight"], data["explanation"], data["code"], dict(data["params"]))

    @staticmethod
    def json_schema() -> dict[str, Any]:
        return closed({
            "value": NUMBER, "weight": NUMBER, "contribution": NUMBER,
            "explanation": {"type": "string", "description": "in English"},
            "code": {"type": "string", "description": "demand_regions, proof_facts, cost_unknown, cost_vs_median "
                     "or source_region_group"},
            "params": {"type": "object"}})


TERM_FIELDS = ("value", "weight", "contribution", "explanation", "code", "params")
CANDIDATE_FIELDS = ("id", "title", "region", "region_group", "status", "synthetic", "score", "terms",
                    "demand_regions", "family", "curation_state", "already_recommended", "demand_systems")


@dataclass
class ScaleCandidate:
    """A practice on the board: the record, its score's terms and the regions that need it.

    ``to_dict`` is the only way out (the board document, the API, the desk's rows), ``from_dict``
    the way back in (a missing or unknown field is a ``TypeError``; the record comes back with
    the facts the answer states) and ``json_schema`` the OpenAPI schema of ``to_dict()``."""

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
            "region_group": self.record.region_group, "status": self.record.status,
            "synthetic": self.record.synthetic,
            # rounded from the rounded contributions, so the JSON adds up exactly as shown
            "score": round(sum(t["contribution"] for t in terms.values()), 4),
            "terms": terms, "demand_regions": self.demand_regions, "family": self.family,
            "curation_state": self.record.curation_state, "already_recommended": self.flagged,
            "demand_systems": {k: list(v) for k, v in self.demand_systems.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ScaleCandidate":
        """The candidate back from ``to_dict()`` (the score is derived from the terms, not read)."""
        exact_keys(cls.__name__, data, CANDIDATE_FIELDS)
        record = ProjectRecord(id=data["id"], title=data["title"], region=data["region"],
                               region_group=data["region_group"], status=data["status"],
                               synthetic=data["synthetic"], curation_state=data["curation_state"])
        terms = {name: Term.from_dict(t) for name, t in data["terms"].items()}
        return cls(record, terms, list(data["demand_regions"]), data["family"], data["already_recommended"],
                   {k: list(v) for k, v in data["demand_systems"].items()})

    @staticmethod
    def json_schema() -> dict[str, Any]:
        """The OpenAPI schema of ``to_dict()``."""
        return closed({
            "id": STRING, "title": STRING, "region": STRING, "region_group": nullable(STRING),
            "status": nullable(STRING), "synthetic": BOOLEAN,
            "score": {"type": "number", "description": "the sum of the terms' contributions, 0..1"},
            "terms": {"type": "object", "additionalProperties": Term.json_schema()},
            "demand_regions": STRINGS, "family": nullable(STRING), "curation_state": nullable(STRING),
            "already_recommended": BOOLEAN,
            "demand_systems": {"type": "object", "additionalProperties": STRINGS,
                               "description": "other region -> its systems this practice could replace"}})


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
    full = settings.SCALING_DEMAND_FULL
    value = min(1.0, len(regions) / full)
    return Term(value, weight, f"{len(regions)} other region(s) built or plan a similar system "
                               f"({family_regions} with a near-identical copy); full at {full}",
                "demand_regions", {"regions": len(regions), "family_regions": family_regions, "full": full})


def proof_term(record: ProjectRecord, reuse: int, weight: float, year: int | None = None) -> Term:
    achieved, measured = indicators_achieved(record)
    years = years_in_operation(record, year)
    parts = [
        1.0 if record.status == "in_operation" else 0.0,
        achieved / measured if measured else 0.0,
        min(1.0, years / settings.SCALING_PROOF_YEARS_FULL),
        min(1.0, reuse / settings.SCALING_PROOF_REUSE_FULL),
    ]
    return Term(float(np.mean(parts)), weight,
                f"status {record.status or 'unknown'}; {achieved}/{measured} measured indicators achieved; "
                f"{years} year(s) in operation; reused {reuse} time(s)",
                "proof_facts", {"status": record.status or "unknown", "achieved": achieved, "measured": measured,
                                "years": years, "reuse": reuse})


def adoption_cost(record: ProjectRecord) -> float | None:
    if record.capex is None and record.opex_per_year is None:
        return None
    return (record.capex or 0.0) + settings.SCALING_OPEX_YEARS * (record.opex_per_year or 0.0)


def cost_term(record: ProjectRecord, median: float | None, weight: float) -> Term:
    cost = adoption_cost(record)
    if cost is None or not median:
        return Term(0.5, weight, "cost unknown: neutral 0.5", "cost_unknown", {"value": 0.5})
    value = median / (median + cost)
    years = settings.SCALING_OPEX_YEARS
    return Term(value, weight, f"capex + {years} years of opex = {cost:,.0f} thousand RUB "
                               f"vs candidates' median {median:,.0f} (0.5 at the median)",
                "cost_vs_median", {"cost": round(cost, 1), "median": round(median, 1), "opex_years": years})


def group_term(record: ProjectRecord, weight: float) -> Term:
    group = record.region_group or "unknown"
    value = settings.SCALING_REGION_GROUP_VALUES.get(group, settings.SCALING_UNKNOWN_REGION_GROUP_VALUE)
    return Term(value, weight, f"source region group: {group}", "source_region_group",
                {"group": group})


# ----------------------------------------------------------------------------- ranking
def rank_scale_candidates(records: Sequence[ProjectRecord], finder: "FamilyFinder", top: int | None = 20,
                          weights: Mapping[str, float] | None = None,
                          demand_overlap: float = settings.SCALING_DEMAND_OVERLAP,
                          year: int | None = None) -> ScaleBoard:
    """Practices ranked for the federal team, best first, each score explained term by term.

    ``finder`` is a fitted ``FamilyFinder`` over ``records``: its families give the
    near-identical copies, its neighbour graph and overlap engine the >= ``demand_overlap``
    ones. Candidates are the systems in operation (a practice must be proven to be scaled).
    """
    weights = dict(weights or settings.SCALING_WEIGHTS)
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
             "demand_full_at_regions": settings.SCALING_DEMAND_FULL, "opex_years": settings.SCALING_OPEX_YEARS,
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
