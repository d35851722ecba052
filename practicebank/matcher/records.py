"""Plain records the matcher works on: no ORM, no requests, just data."""
from __future__ import annotations

import math
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
    language: str | None = None  # "ru" or "en": the language the record is written in
    # by language code: {"title", "summary", "description", "features"} in that language
    translations: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The whole record as one text, for whole-record retrieval: its translations too, so
        a query in either language finds it by its words as well as by meaning."""
        parts = [self.title, self.summary, self.description, *self.features]
        for translation in self.translations.values():
            parts += [translation.get("title"), translation.get("summary"), translation.get("description"),
                      *(translation.get("features") or ())]
        return "\n".join(p for p in parts if p)

    def field_text(self, name: str) -> str:
        """One text field (``features`` joined by lines) with its translations, for full-text search."""
        values = [self.features if name == "features" else getattr(self, name)]
        values += [t.get(name) for t in self.translations.values()]
        return "\n".join("\n".join(v) if isinstance(v, (list, tuple)) else v for v in values if v)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], region_group: str | None = None) -> "ProjectRecord":
        cost = d.get("cost") or {}
        funding = d.get("funding") or {}
        budget = math.fsum(_money(v) or 0.0 for v in funding.values()) or None
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
            capex=_money(cost.get("capex")),
            opex_per_year=_money(cost.get("opex_per_year")),
            planned_budget=budget,
            region_group=region_group or d.get("region_group"),
            based_on=tuple(d.get("based_on") or ()),
            reused_by_count=int(d.get("reused_by_count") or 0),
            indicators=tuple(d.get("indicators") or ()),
            curation_state=d.get("curation_state"),
            synthetic=bool(d.get("synthetic", False)),
            language=d.get("language"),
            translations=dict(d.get("translations") or {}),
        )


# The largest amount of money (thousand rubles) the matcher takes as it is: catalog.limits.MAX_MONEY
# (matcher/ imports no catalog/). A larger one (stored before the bound) counts as this much and a
# non-finite one as unknown, so every sum of costs stays finite (1e6 systems x 1e9 << 1.8e308).
MAX_MONEY = 1e9


def _money(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    value = float(value)
    return min(max(value, 0.0), MAX_MONEY) if math.isfinite(value) else None
