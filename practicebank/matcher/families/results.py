"""A family of near-identical systems and its core-member overlaps, as typed results.

``Family.to_dict`` is the only way out (the CLI's and the API's ``families`` items, the desk's
rows), ``Family.from_dict`` the way back in (it refuses a missing or unknown field) and
``Family.json_schema`` the OpenAPI schema of ``to_dict()`` (``additionalProperties: false``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from practicebank.matcher.shape import (BOOLEAN, CODED, INTEGER, NUMBER, STRING, STRINGS, closed, exact_keys,
                                        tuple_of)

# The evidence the family view adds to each core-member pair (``report.evidence``).
EVIDENCE_FIELDS = ("matched", "missing_in_b", "missing_in_a")
SAVINGS_FIELDS = ("capex_saved", "per_member", "adaptation_rate", "formula", "members_without_capex")


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

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "overlap_ab": round(self.ab, 1), "overlap_ba": round(self.ba, 1)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "PairOverlap":
        """The pair back from its dict (the evidence of the family view is not kept)."""
        exact_keys(cls.__name__, data, ("a", "b", "overlap_ab", "overlap_ba"), EVIDENCE_FIELDS)
        return cls(data["a"], data["b"], data["overlap_ab"], data["overlap_ba"])

    @staticmethod
    def json_schema() -> dict[str, Any]:
        matched = {"type": "array", "description": "[function of a, function of b, similarity, probability]",
                   "items": tuple_of(STRING, STRING, NUMBER, NUMBER)}
        return closed({"a": STRING, "b": STRING, "overlap_ab": NUMBER, "overlap_ba": NUMBER,
                       "matched": matched, "missing_in_b": STRINGS, "missing_in_a": STRINGS},
                      optional=EVIDENCE_FIELDS)


@dataclass
class Family:
    """Near-identical systems around a core, the reference to adopt and what the copies cost."""

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
    # the why as codes with parameters (families.reference.reason), for pages in any language
    reference_reasons: list[dict[str, Any]] = field(default_factory=list)
    synthetic: bool = False  # a member is a synthetic (demonstration) record

    def to_dict(self, evidence: Mapping[tuple[str, str], Any] | None = None) -> dict[str, Any]:
        """The family as JSON; ``evidence``: (a, b) -> the family view's evidence of each pair."""
        d = {
            "id": self.id, "members": list(self.members), "overlap": round(self.overlap, 1),
            "size": len(self.members), "core": self.core, "min_overlap": round(self.min_overlap, 1),
            "regions": list(self.regions), "capex_total": round(self.capex_total, 1),
            "opex_total": round(self.opex_total, 1),
            "reference": {"id": self.reference, "why": self.reference_why,
                          "reasons": list(self.reference_reasons)},
            "duplicate_capex": round(self.duplicate_capex, 1),
            "duplicate_opex": round(self.duplicate_opex, 1),
            "savings": self.savings,
            "pairs": [p.to_dict() for p in self.pairs],
            "synthetic": self.synthetic,
        }
        if evidence is not None:
            for pair in d["pairs"]:
                pair.update(evidence[(pair["a"], pair["b"])])
        return d

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Family":
        """The family back from ``to_dict()``; a missing or unknown field is a ``TypeError``."""
        exact_keys(cls.__name__, data, _schema_properties())
        reference = data["reference"]
        exact_keys(f"{cls.__name__}.reference", reference, ("id", "why", "reasons"))
        exact_keys(f"{cls.__name__}.savings", data["savings"], SAVINGS_FIELDS)
        if data["size"] != len(data["members"]):
            raise TypeError(f"{cls.__name__}: size {data['size']} but {len(data['members'])} members")
        return cls(
            id=data["id"], core=data["core"], members=list(data["members"]), regions=list(data["regions"]),
            overlap=data["overlap"], min_overlap=data["min_overlap"], capex_total=data["capex_total"],
            opex_total=data["opex_total"], reference=reference["id"], reference_why=reference["why"],
            reference_reasons=list(reference["reasons"]), duplicate_capex=data["duplicate_capex"],
            duplicate_opex=data["duplicate_opex"], savings=dict(data["savings"]),
            pairs=[PairOverlap.from_dict(p) for p in data["pairs"]], synthetic=data["synthetic"],
        )

    @staticmethod
    def json_schema() -> dict[str, Any]:
        """The OpenAPI schema of ``to_dict()``."""
        return closed(_schema_properties())


def _schema_properties() -> dict[str, Any]:
    reasons = {"type": "array", "items": CODED, "description": (
        "the why as codes with parameters (in_operation_since, in_operation, status, indicators_achieved, "
        "no_measured_indicators, reused, region_group, ahead_of, tied_with)")}
    savings = closed({"capex_saved": NUMBER,
                      "per_member": {"type": "object", "additionalProperties": NUMBER,
                                     "description": "member id -> capex its copy would have saved"},
                      "adaptation_rate": NUMBER, "formula": STRING, "members_without_capex": INTEGER})
    return {
        "id": STRING, "members": STRINGS, "overlap": NUMBER, "size": INTEGER, "core": STRING,
        "min_overlap": NUMBER, "regions": STRINGS, "capex_total": NUMBER, "opex_total": NUMBER,
        "reference": closed({"id": STRING, "why": {"type": "string", "description": "in English"},
                             "reasons": reasons}),
        "duplicate_capex": NUMBER, "duplicate_opex": NUMBER, "savings": savings,
        "pairs": {"type": "array", "items": PairOverlap.json_schema()}, "synthetic": BOOLEAN,
    }
