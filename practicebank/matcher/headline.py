"""The duplicates headline as one typed result: what the engine sends, pages, CLI and API read.

The headline once travelled as a dict literal: the engine wrote ``duplicate_capex``, the pages
and the CLI read ``duplicate_spend``, and the figure was never shown while every test passed
(their fakes invented the field). Now the shape is this class: ``to_dict`` is the only way out,
``from_dict`` the only way back in (it refuses a missing or unknown field), and the OpenAPI
schema is derived from the fields (``json_schema``, ``additionalProperties: false``).

Money is in thousand rubles (the catalog's unit). A copy is a family member other than the
family's reference; a copy without a recorded capex counts in ``copies_without_capex`` and adds
nothing to ``duplicate_capex`` or ``savings_capex``, so both are lower bounds whenever that count
is above zero: pages say so instead of pretending the copy was free.
"""
from __future__ import annotations

import dataclasses
import math
import typing
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping


@dataclass(frozen=True)
class HeadlineRow:
    """One industry or region of the headline."""

    systems: int
    with_twin: int  # systems with a near-identical system in another region
    copies: int  # systems that are a family's non-reference member
    copies_without_capex: int  # of those, how many have no recorded capex
    duplicate_capex: float  # capex of the copies with a recorded one, thousand RUB

    def to_dict(self) -> dict[str, Any]:
        return {"systems": self.systems, "with_twin": self.with_twin, "copies": self.copies,
                "copies_without_capex": self.copies_without_capex,
                "duplicate_capex": round(self.duplicate_capex, 1)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "HeadlineRow":
        return cls(**_exact_fields(cls, data))


@dataclass(frozen=True)
class DuplicatesHeadline:
    """Who has twins across regions, what the copies cost and what reuse would have saved."""

    systems: int
    with_twin: int
    share_with_twin: float  # with_twin / systems, 0..1
    systems_in_families: int
    families: int
    copies: int  # family members other than the reference
    copies_without_capex: int  # copies whose capex is unknown: the two sums below leave them out
    duplicate_capex: float  # capex of the copies, thousand RUB (a lower bound if copies_without_capex)
    duplicate_opex_per_year: float  # operating cost of the copies per year, thousand RUB
    savings_capex: float  # what adopting each family's reference would have saved, thousand RUB
    adaptation_rate: float  # share of a copy's capex that taking over the reference costs
    by_industry: dict[str, HeadlineRow] = field(default_factory=dict)
    by_region: dict[str, HeadlineRow] = field(default_factory=dict)

    @property
    def capex_known(self) -> bool:
        """Every copy has a recorded capex: the sums are complete, not lower bounds."""
        return self.copies_without_capex == 0

    def to_dict(self) -> dict[str, Any]:
        d = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        d["share_with_twin"] = round(self.share_with_twin, 4)
        for name in ("duplicate_capex", "duplicate_opex_per_year", "savings_capex"):
            d[name] = round(d[name], 1)
        d["by_industry"] = {k: v.to_dict() for k, v in self.by_industry.items()}
        d["by_region"] = {k: v.to_dict() for k, v in self.by_region.items()}
        return d

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "DuplicatesHeadline":
        """The headline back from its dict; a missing or unknown field is a ``TypeError``."""
        values = _exact_fields(cls, data)
        for name in ("by_industry", "by_region"):
            values[name] = {k: HeadlineRow.from_dict(v) for k, v in (values.get(name) or {}).items()}
        return cls(**values)

    @classmethod
    def json_schema(cls) -> dict[str, Any]:
        """The OpenAPI schema of ``to_dict()``, derived from the fields."""
        return _schema(cls, {"by_industry": _row_map("industry code"), "by_region": _row_map("region code")})


def build_headline(records: Iterable, families: Iterable, twins: Mapping[str, set],
                   adaptation_rate: float) -> DuplicatesHeadline:
    """The headline over ``records`` (``ProjectRecord``) and fitted ``families`` (``Family``)."""
    records, families = list(records), list(families)
    copies = {m for f in families for m in f.members if m != f.reference}
    capex = {r.id: r.capex for r in records}
    n = len(records)
    return DuplicatesHeadline(
        systems=n, with_twin=len(twins), share_with_twin=len(twins) / n if n else 0.0,
        systems_in_families=sum(len(f.members) for f in families), families=len(families),
        copies=len(copies), copies_without_capex=sum(1 for m in copies if not capex.get(m)),
        duplicate_capex=math.fsum(f.duplicate_capex for f in families),
        duplicate_opex_per_year=math.fsum(f.duplicate_opex for f in families),
        savings_capex=math.fsum(f.savings["capex_saved"] for f in families),
        adaptation_rate=adaptation_rate,
        by_industry=_breakdown(records, lambda r: r.industries or ("unknown",), twins, copies),
        by_region=_breakdown(records, lambda r: (r.region or "unknown",), twins, copies),
    )


def _breakdown(records, keys, twins: Mapping[str, set], copies: set[str]) -> dict[str, HeadlineRow]:
    rows: dict[str, dict[str, Any]] = {}
    for r in records:
        for key in keys(r):
            row = rows.setdefault(key, {"systems": 0, "with_twin": 0, "copies": 0, "copies_without_capex": 0,
                                        "duplicate_capex": 0.0})
            row["systems"] += 1
            row["with_twin"] += r.id in twins
            if r.id in copies:
                row["copies"] += 1
                row["copies_without_capex"] += not r.capex
                row["duplicate_capex"] += r.capex or 0.0
    return {k: HeadlineRow(**v) for k, v in sorted(rows.items())}


# ----------------------------------------------------------------------------- shape helpers
def _exact_fields(cls, data: Mapping[str, Any]) -> dict[str, Any]:
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = set(data) - names
    if unknown:
        raise TypeError(f"{cls.__name__}: unknown field(s) {sorted(unknown)}")
    return {k: v for k, v in data.items()}


_JSON_TYPES = {int: {"type": "integer"}, float: {"type": "number"}, str: {"type": "string"},
               bool: {"type": "boolean"}}


def _schema(cls, overrides: Mapping[str, dict]) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    properties = {}
    for f in dataclasses.fields(cls):
        properties[f.name] = dict(overrides.get(f.name) or _JSON_TYPES[hints[f.name]])
    return {"type": "object", "properties": properties, "required": list(properties),
            "additionalProperties": False}


def _row_map(key: str) -> dict[str, Any]:
    return {"type": "object", "description": f"{key} -> figures",
            "additionalProperties": _schema(HeadlineRow, {})}
