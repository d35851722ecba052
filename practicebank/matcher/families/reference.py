"""The reference of a family (the practice to adopt instead of building again) and what
adopting it would have saved.

The reference is chosen by criteria in order of importance (in operation; share of measured
indicators achieved; reuse; years in operation; leading region group) and its why is said as
codes with parameters (``reason``), so pages render it in their language while the CLI and the
API keep a stable English text (``reason_english``).
"""
from __future__ import annotations

import math
from typing import Any, Mapping, Sequence

from practicebank.matcher.families.facts import indicators_achieved, years_in_operation
from practicebank.matcher.records import ProjectRecord
from practicebank.matcher.savings import SavingsModel

GROUP_RANK = {"leading": 2, "developing": 1, "needs_support": 0}


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
