"""Plain records the matcher works on: no ORM, no requests, just data."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping


@dataclass(frozen=True)
class ProjectRecord:
    """One system as the matcher sees it. Build from a SPEC dict with ``from_dict``."""

    id: str
    title: str
    summary: str = ""
    description: str = ""
    features: tuple[str, ...] = ()
    region: str = ""
    industries: tuple[str, ...] = ()
    technologies: tuple[str, ...] = ()
    status: str | None = None
    start_year: int | None = None
    capex: float | None = None
    opex_per_year: float | None = None
    planned_budget: float | None = None  # total funding, for planned systems
    region_group: str | None = None  # leading / developing / needs_support
    based_on: tuple[str, ...] = ()
    reused_by_count: int = 0
    indicators: tuple[Mapping[str, Any], ...] = ()
    curation_state: str | None = None
    synthetic: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The whole record as one text, for whole-record retrieval."""
        parts = [self.title, self.summary, self.description, *self.features]
        return "\n".join(p for p in parts if p)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], region_group: str | None = None) -> "ProjectRecord":
        cost = d.get("cost") or {}
        funding = d.get("funding") or {}
        budget = sum(v for v in funding.values() if v) or None
        return cls(
            id=d["id"],
            title=d.get("title") or "",
            summary=d.get("summary") or "",
            description=d.get("description") or "",
            features=tuple(d.get("features") or ()),
            region=d.get("region") or "",
            industries=tuple(d.get("industries") or ()),
            technologies=tuple(d.get("technologies") or ()),
            status=d.get("status"),
            start_year=d.get("start_year"),
            capex=cost.get("capex"),
            opex_per_year=cost.get("opex_per_year"),
            planned_budget=budget,
            region_group=region_group or d.get("region_group"),
            based_on=tuple(d.get("based_on") or ()),
            reused_by_count=int(d.get("reused_by_count") or 0),
            indicators=tuple(d.get("indicators") or ()),
            curation_state=d.get("curation_state"),
            synthetic=bool(d.get("synthetic", False)),
        )
