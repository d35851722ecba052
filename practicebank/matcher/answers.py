"""The engine's answers as typed results: recommendations, check-plan reports, similar systems,
comparisons and search pages.

Each class has one ``to_dict()`` (the JSON the API and the CLI send, SPEC.md's shapes) and one
``json_schema()`` (the OpenAPI schema of that dict, ``additionalProperties: false``; a test
checks the two agree), so a renamed field breaks a test instead of a page. Pages read the
attributes. The engine fills the matching figures; ``Services`` adds the catalog's facts (the
synthetic flag above all) with ``add_facts`` in one database read per request.
"""
from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any, Mapping

from practicebank.matcher.shape import NUMBER, STRING, STRINGS, closed, exact_keys

NOTES = ("too_few_functions", "not_in_operation", "no_budget")
_EVIDENCE = {"type": "array", "description": "[planned, existing, similarity]", "items": {
    "type": "array", "prefixItems": [STRING, STRING, NUMBER]}}


def _exact_fields(cls, data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` as the keyword arguments of ``cls``; an unknown or missing field is a ``TypeError``."""
    fields = dataclasses.fields(cls)
    required = [f.name for f in fields if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
    exact_keys(cls.__name__, data, required, [f.name for f in fields if f.name not in required])
    return dict(data)


@dataclass
class RecommendationItem:
    """One system to reuse: its score, overlap with the plan, evidence and savings."""

    id: str
    title: str
    region: str
    score: float
    overlap: float | None  # None: the plan lists too few functions for a share of them
    matched_features: list[list]
    missing_features: list[str]
    estimated_savings: float | None
    status: str | None
    region_group: str | None
    retrieval_score: float
    explanation: dict[str, dict[str, float]]
    # why a figure is missing: "too_few_functions" (overlap and savings), "not_in_operation"
    # or "no_budget" (savings)
    notes: list[str] = field(default_factory=list)
    # the catalog's facts of the system ({id, title, region, status, synthetic}), added by
    # Services; None straight from the engine, which knows no catalog
    facts: dict | None = None

    @property
    def synthetic(self) -> bool:
        """A generated demo record: every page and file says so (the flag is the catalog's)."""
        return bool((self.facts or {}).get("synthetic"))

    def add_facts(self, facts: Mapping[str, Any]) -> None:
        """Take the catalog's facts; they fill the title, region or status the engine lacks."""
        self.facts = dict(facts)
        for name in ("title", "region", "status"):
            if getattr(self, name) is None and facts.get(name) is not None:
                setattr(self, name, facts[name])

    def to_dict(self) -> dict:
        d = {
            "id": self.id, "title": self.title, "region": self.region,
            "score": round(self.score, 4),
            "overlap": round(self.overlap, 1) if self.overlap is not None else None,
            "matched_features": self.matched_features, "missing_features": self.missing_features,
            "estimated_savings": self.estimated_savings, "status": self.status,
            "region_group": self.region_group, "retrieval_score": round(self.retrieval_score, 4),
            "explanation": self.explanation, "notes": list(self.notes),
        }
        if self.facts is not None:
            d["synthetic"] = self.synthetic
        return d

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]):
        """The item back from its dict (a test's fake); an unknown field is a ``TypeError``."""
        data = dict(data)
        synthetic = data.pop("synthetic", None)
        values = _exact_fields(cls, data)
        if synthetic is not None:
            values["facts"] = {"synthetic": synthetic}
        return cls(**values)

    @classmethod
    def json_schema(cls) -> dict[str, Any]:
        return closed(cls._properties())

    @classmethod
    def _properties(cls) -> dict[str, dict]:
        term = closed({"value": NUMBER, "weight": NUMBER, "contribution": NUMBER})
        return {
            "id": STRING, "title": STRING, "region": STRING,
            "score": {"type": "number", "minimum": 0, "maximum": 1, "description": "ranking"},
            "overlap": {"type": ["number", "null"], "minimum": 0, "maximum": 100,
                        "description": "share of the planned functions the system already performs, %"},
            "matched_features": _EVIDENCE, "missing_features": STRINGS,
            "estimated_savings": {"type": ["number", "null"], "description": "thousand rubles"},
            "status": {"type": ["string", "null"]}, "region_group": {"type": ["string", "null"]},
            "retrieval_score": NUMBER,
            "explanation": {"type": "object", "description": "score term -> value, weight, contribution",
                            "additionalProperties": term},
            "notes": {"type": "array", "items": {"enum": list(NOTES)}},
            "synthetic": {"type": "boolean", "description": "true for generated demo records"},
        }


@dataclass
class SimilarSystem(RecommendationItem):
    """A catalog system most like another one, with the overlap both ways and the twin flag."""

    overlap_back: float = 0.0  # how much of this system the other one performs, %
    near_identical: bool = False  # both overlaps at or above the engine's threshold

    @classmethod
    def of(cls, item: RecommendationItem, overlap_back: float, threshold: float) -> "SimilarSystem":
        values = {f.name: getattr(item, f.name) for f in dataclasses.fields(RecommendationItem)}
        overlap = round(item.overlap, 1) if item.overlap is not None else None
        return cls(**values, overlap_back=round(overlap_back, 1),
                   near_identical=overlap is not None and min(overlap, overlap_back) >= threshold)

    def to_dict(self) -> dict:
        return {**super().to_dict(), "overlap_back": self.overlap_back, "near_identical": self.near_identical}

    @classmethod
    def _properties(cls) -> dict[str, dict]:
        return {**super()._properties(), "overlap_back": {"type": "number", "minimum": 0, "maximum": 100},
                "near_identical": {"type": "boolean"}}


@dataclass
class Recommendation:
    """The systems to reuse for one planned system, best first, and the plan as understood."""

    query: dict  # text, features, region, industries, budget, k, overlap_measured, savings_assumptions
    results: list[RecommendationItem] = field(default_factory=list)

    def to_dict(self) -> dict:
        """The SPEC shape of ``recommend --json``."""
        return {"query": self.query, "results": [r.to_dict() for r in self.results]}

    def to_json(self, **kwargs) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)

    @classmethod
    def json_schema(cls, item: dict | None = None) -> dict[str, Any]:
        """``item``: the schema of a result (a ``$ref`` in the OpenAPI document), else inline."""
        return closed({"query": {"type": "object"},
                       "results": {"type": "array", "items": item or RecommendationItem.json_schema()}})


@dataclass
class CheckPlanItem:
    """One planned project of a portfolio and its recommendation."""

    input_id: str
    title: str
    budget: float | None
    recommendation: Recommendation
    # where the project is in an uploaded table (the API adds them for a spreadsheet)
    row: int | None = None
    number: str | None = None

    @property
    def results(self) -> list[RecommendationItem]:
        return self.recommendation.results

    @property
    def best(self) -> RecommendationItem | None:
        """The match that covers most of the planned item (highest overlap; best ranked when
        the item lists too few functions for an overlap)."""
        return max(self.recommendation.results, key=lambda r: r.overlap or 0.0, default=None)

    @property
    def best_overlap(self) -> float | None:
        best = self.best
        return round(best.overlap, 1) if best and best.overlap is not None else None

    @property
    def savings(self) -> float | None:
        """What reusing one system would save: the largest estimate among the matches (only
        systems in operation carry one, so it need not be the highest overlap's)."""
        return max((r.estimated_savings for r in self.recommendation.results
                    if r.estimated_savings is not None), default=None)

    def to_dict(self) -> dict:
        d = {"input_id": self.input_id, "title": self.title, "budget": self.budget,
             "best_overlap": self.best_overlap, "estimated_savings": self.savings,
             "results": [r.to_dict() for r in self.recommendation.results]}
        d.update({k: v for k, v in (("row", self.row), ("number", self.number)) if v is not None})
        return d

    @classmethod
    def json_schema(cls, item: dict | None = None) -> dict[str, Any]:
        return closed({"input_id": STRING, "title": STRING, "budget": {"type": ["number", "null"]},
                       "best_overlap": {"type": ["number", "null"]},
                       "estimated_savings": {"type": ["number", "null"]},
                       "results": {"type": "array", "items": item or RecommendationItem.json_schema()},
                       "row": {"type": "integer"}, "number": {"type": ["string", "integer"]}},
                      optional=("row", "number"))


_SUMMED = ("planned_items", "planned_cost", "items_without_budget", "potential_savings", "items_with_match",
           "items_existing_elsewhere_at_threshold", "items_without_overlap")


@dataclass
class CheckPlanSummary:
    """A checked portfolio's figures (thousand rubles). The engine fills every figure; ``Services``
    adds ``without_budget``. A figure left unset (None) is left out of the dict, as before."""

    planned_items: int | None = None
    planned_cost: float | None = None
    items_without_budget: int | None = None
    potential_savings: float | None = None
    items_with_match: int | None = None
    items_existing_elsewhere_at_threshold: int | None = None
    items_without_overlap: int | None = None
    match_min_overlap: float | None = None
    threshold: float | None = None
    savings_assumptions: dict | None = None
    # [{input_id, title}] of the planned projects without a budget: named, never dropped silently
    without_budget: list[dict] | None = None

    def to_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if getattr(self, f.name) is not None}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "CheckPlanSummary":
        return cls(**_exact_fields(cls, data))

    @classmethod
    def merge(cls, parts: list["CheckPlanSummary"]) -> "CheckPlanSummary":
        """The figures of consecutive slices as one: counts and money summed, the rest from the first."""
        merged = dataclasses.replace(parts[0]) if parts else cls()
        for key in _SUMMED:
            values = [getattr(p, key) for p in parts]
            if any(v is not None for v in values):
                total = sum(v or 0 for v in values)
                setattr(merged, key, round(total, 1) if isinstance(total, float) else total)
        if any(p.without_budget is not None for p in parts):
            merged.without_budget = [x for p in parts for x in p.without_budget or []]
        return merged

    @classmethod
    def json_schema(cls) -> dict[str, Any]:
        properties = {
            "planned_items": {"type": "integer"}, "planned_cost": NUMBER, "potential_savings": NUMBER,
            "items_with_match": {"type": "integer"}, "items_without_budget": {"type": "integer"},
            "items_existing_elsewhere_at_threshold": {"type": "integer"},
            "items_without_overlap": {"type": "integer"}, "match_min_overlap": NUMBER, "threshold": NUMBER,
            "savings_assumptions": {"type": "object"},
            "without_budget": {"type": "array", "items": closed({"input_id": STRING, "title": STRING})}}
        # every figure is optional: a figure the engine did not work out is left out, not null
        return closed(properties, optional=properties, description="the portfolio's figures (thousand rubles)")


@dataclass
class CheckPlanReport:
    """A draft portfolio checked: each planned project's matches and the portfolio's summary."""

    items: list[CheckPlanItem]
    summary: CheckPlanSummary
    # how an uploaded table was read (rows, sheet, region, skipped rows): the API adds it
    reading: dict | None = None

    def to_dict(self) -> dict:
        """The SPEC shape of ``check-plan --json``."""
        d = {"items": [i.to_dict() for i in self.items], "summary": self.summary.to_dict()}
        if self.reading is not None:
            d["reading"] = self.reading
        return d

    def to_json(self, **kwargs) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)

    @property
    def without_budget(self) -> list[CheckPlanItem]:
        """The planned projects without a budget: their savings cannot be estimated."""
        return [i for i in self.items if i.budget is None]

    @classmethod
    def merge(cls, parts: list["CheckPlanReport"]) -> "CheckPlanReport":
        """Reports of consecutive slices of a portfolio as one: items in order, counts summed."""
        summary = CheckPlanSummary.merge([p.summary for p in parts])
        return cls([i for p in parts for i in p.items], summary)

    @classmethod
    def json_schema(cls, item: dict | None = None) -> dict[str, Any]:
        return closed({"items": {"type": "array", "items": CheckPlanItem.json_schema(item)},
                       "summary": CheckPlanSummary.json_schema(),
                       "reading": {"type": "object", "description": "how an uploaded table was read"}},
                      optional=("reading",))


@dataclass
class ComparedSystem:
    """One system compared with the base one: overlap both ways and the base's functions matched."""

    id: str
    overlap: float  # how much of the base this system performs, %
    overlap_back: float  # how much of this system the base performs, %
    matched_features: list[list]
    missing_features: list[str]

    def to_dict(self) -> dict:
        return {"id": self.id, "overlap": self.overlap, "overlap_back": self.overlap_back,
                "matched_features": self.matched_features, "missing_features": self.missing_features}

    @classmethod
    def json_schema(cls) -> dict[str, Any]:
        return closed({"id": STRING, "overlap": NUMBER, "overlap_back": NUMBER,
                       "matched_features": _EVIDENCE, "missing_features": STRINGS})


@dataclass
class Comparison:
    """Two to five systems side by side: the first one's functions aligned to the others'."""

    ids: list[str]
    base: str
    comparisons: list[ComparedSystem]
    alignment: list[list]  # [base function, matched function of each other or None, ..., best similarity]
    projects: list[dict] | None = None  # the catalog's records, in ``ids`` order (Services adds them)

    def to_dict(self) -> dict:
        d = {"ids": list(self.ids), "base": self.base, "comparisons": [c.to_dict() for c in self.comparisons],
             "alignment": self.alignment}
        if self.projects is not None:
            d["projects"] = self.projects
        return d

    @classmethod
    def json_schema(cls, project: dict | None = None) -> dict[str, Any]:
        return closed({"ids": STRINGS, "base": STRING,
                       "comparisons": {"type": "array", "items": ComparedSystem.json_schema()},
                       "alignment": {"type": "array", "description": "[function of the base, the matching function "
                                     "of each other system or null, ..., best similarity]",
                                     "items": {"type": "array"}},
                       "projects": {"type": "array", "items": project or {"type": "object"}}},
                      optional=("projects",))


@dataclass
class SearchPage:
    """One page of a search: the catalog records found (each with its ``score``) and facet counts."""

    query: str
    filters: dict[str, list[str]]
    total: int
    page: int
    per_page: int
    sort: str
    results: list[dict]  # the catalog's records, each with "score" in 0..1
    facets: dict[str, dict[str, int]]  # facet -> value -> count

    def to_dict(self) -> dict:
        return {"query": self.query, "filters": self.filters, "total": self.total, "page": self.page,
                "per_page": self.per_page, "sort": self.sort, "results": self.results, "facets": self.facets}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "SearchPage":
        return cls(**_exact_fields(cls, data))

    @classmethod
    def json_schema(cls, project: dict | None = None, facets: dict | None = None) -> dict[str, Any]:
        # a hit is a catalog record with its score: the record's schema says what else it holds
        scored = {"type": "object", "required": ["score"], "properties": {"score": NUMBER}}
        hit = {"allOf": [project, scored]} if project else scored
        return closed({"query": STRING, "filters": {"type": "object", "additionalProperties": STRINGS},
                       "total": {"type": "integer"}, "page": {"type": "integer"}, "per_page": {"type": "integer"},
                       "sort": STRING, "results": {"type": "array", "items": hit},
                       "facets": facets or {"type": "object"}})
