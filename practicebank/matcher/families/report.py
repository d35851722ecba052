"""The duplicates report of a fitted ``FamilyFinder``: twins, the evidence of a pair, the
headline and the ``duplicates --json`` document (SPEC), with the extra fields of the family view.
"""
from __future__ import annotations

import math
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from practicebank.matcher.families.results import Family
from practicebank.matcher.headline import DuplicatesHeadline, build_headline

if TYPE_CHECKING:  # pragma: no cover
    from practicebank.matcher.families.finder import FamilyFinder

SAVINGS_FORMULA = ("sum over families and their non-reference members of max(0, capex * "
                   "overlap(member -> reference) / 100 - capex * adaptation_rate)")


def twins(finder: "FamilyFinder") -> dict[str, set[str]]:
    """Record id -> its near-identical systems (checked pairs), in other regions if
    ``cross_region_only``."""
    out: dict[str, set[str]] = defaultdict(set)
    for p in finder.pairs_.values():
        if p.near_identical_at >= finder.threshold and (not finder.cross_region_only
                                                        or finder.records_[p.a].region != finder.records_[p.b].region):
            out[p.a].add(p.b)
            out[p.b].add(p.a)
    return out


def evidence(overlap, a: str, b: str) -> dict[str, Any]:
    """Matched and missing functions both ways, for the family view (computed on demand)."""
    ab, ba = overlap.result_by_id(a, b), overlap.result_by_id(b, a)
    return {
        "overlap_ab": round(ab.overlap, 1), "overlap_ba": round(ba.overlap, 1),
        "matched": [[m.planned, m.existing, round(m.similarity, 3), round(m.probability, 3)]
                    for m in ab.matched],
        "missing_in_b": list(ab.missing), "missing_in_a": list(ba.missing),
    }


def family_json(finder: "FamilyFinder", family: Family) -> dict[str, Any]:
    """One family with the evidence of every core-member pair."""
    return family.to_dict({(p.a, p.b): evidence(finder.overlap, p.a, p.b) for p in family.pairs})


def headline(finder: "FamilyFinder") -> DuplicatesHeadline:
    """The audit's finding measured on the catalog: who has twins, and what the copies cost."""
    return build_headline(finder.records_.values(), finder.families_, twins(finder), finder.adaptation_rate)


def to_json(finder: "FamilyFinder", with_evidence: bool = False) -> dict[str, Any]:
    """``duplicates --json`` per SPEC, with the extra fields of the family view."""
    families = [family_json(finder, f) if with_evidence else f.to_dict() for f in finder.families_]
    return {
        "threshold": finder.threshold,
        "systems": len(finder.ids_),
        "families": families,
        "systems_in_families": sum(len(f.members) for f in finder.families_),
        "headline": headline(finder).to_dict(),
        "savings": {"capex_saved": round(math.fsum(f.savings["capex_saved"] for f in finder.families_), 1),
                    **finder.savings_model_.assumptions(),
                    "formula": SAVINGS_FORMULA,
                    "opex": "not counted as saved: each region still operates its system"},
    }
