"""Recommendations: proven systems a region could reuse instead of building its plan anew.

Retrieval proposes candidates; functional overlap says how much of the plan each already
does, with evidence; the final score ranks them by

    score = w_retrieval * retrieval + w_overlap * overlap/100 + w_status * status
            + w_region * region_group + w_reuse * reuse,        weights summing to 1,

so it stays in 0..1. ``status`` prefers proven systems (in operation > in development >
planned), ``region_group`` gives systems of leading regions a small edge (their practice is
the one worth spreading) and ``reuse`` the systems other regions already took over. Every
result carries an ``explanation`` with each term, its weight and its contribution. The
weights and term values, and where they come from, are in ``practicebank.settings``.
"""
from __future__ import annotations

import math
from dataclasses import replace
from typing import Any, Mapping, Protocol, Sequence

from practicebank import settings
from practicebank.matcher.answers import (CheckPlanItem, CheckPlanReport, CheckPlanSummary,  # noqa: F401 (re-exported)
                                          Recommendation, RecommendationItem)
from practicebank.matcher.functions import function_statements
from practicebank.matcher.overlap import FunctionalOverlap, OverlapResult
from practicebank.matcher.records import ProjectRecord
from practicebank.matcher.savings import SavingsModel, planned_budget

# One function is no basis for a share of functions: a title alone ("Electronic kindergarten
# enrolment") paired with the closest function of any system read as 74 % for doctor
# appointments. Below this many planned functions the answer ranks by retrieval and says
# "list the functions" instead of giving a percentage or savings (the setting min_functions_for_overlap).
MIN_FUNCTIONS_FOR_OVERLAP = settings.MIN_FUNCTIONS_FOR_OVERLAP
# Savings are offered only against a system that works: adapting a plan saves nothing sure.
SAVINGS_STATUSES = frozenset({"in_operation"})


class Retriever(Protocol):
    def query(self, text: str, features: Sequence[str] = (), industries: Sequence[str] = (),
              technologies: Sequence[str] = (), k: int = 10, exclude_ids: Sequence[str] = (),
              filters: Mapping[str, Sequence[str]] | None = None) -> list[Any]: ...


class Recommender:
    """Ranks reusable systems for a planned one.

    Parameters
    ----------
    retriever : fitted ``HybridRetriever`` (or anything with its ``query``).
    overlap : ``FunctionalOverlap``, ideally fitted on the same records (then candidates cost
        no embedding).
    records : the catalog, as a list or a mapping id -> record.
    weights : score weights (see module doc); must sum to 1.
    k_candidates : how many retrieval candidates get an overlap computed.
    savings : the savings formula and its assumptions.
    min_overlap : a candidate below this overlap is not "a match" in check-plan's summary.
    """

    def __init__(self, retriever: Retriever, overlap: FunctionalOverlap | None = None,
                 records: Sequence[ProjectRecord] | Mapping[str, ProjectRecord] = (),
                 weights: Mapping[str, float] | None = None, k_candidates: int = 30,
                 savings: SavingsModel | None = None, min_overlap: float = 50.0):
        self.retriever = retriever
        self.overlap = overlap if overlap is not None else FunctionalOverlap()
        self.records = records if isinstance(records, Mapping) else {r.id: r for r in records}
        self.weights = dict(weights or settings.RECOMMEND_WEIGHTS)
        if abs(sum(self.weights.values()) - 1.0) > 1e-6:
            raise ValueError("score weights must sum to 1")
        self.k_candidates = k_candidates
        self.savings = savings or SavingsModel()
        self.min_overlap = min_overlap

    # ----- one planned system -----------------------------------------------------------
    def recommend(self, planned: ProjectRecord | str, k: int = 10, budget: float | None = None,
                  region: str | None = None, exclude_region: bool = False,
                  industries: Sequence[str] = (), technologies: Sequence[str] = (),
                  filters: Mapping[str, Sequence[str]] | None = None,
                  exclude_ids: Sequence[str] = ()) -> Recommendation:
        """The ``k`` best systems to reuse for ``planned`` (a record or a free-text description);
        ``exclude_ids``: records never to propose (withdrawn since the index was fitted)."""
        record = as_planned_record(planned, region)
        statements = function_statements(record) or [record.text]
        budget = planned_budget(record, budget)
        candidates = self._candidates(record, statements, industries, technologies, filters, exclude_region,
                                      exclude_ids)
        overlaps = self.overlap.compare_to_records(statements, [self.records[c.id] for c in candidates],
                                                   remember=False, a_id=record.id)
        measurable = len(statements) >= MIN_FUNCTIONS_FOR_OVERLAP
        items = [self._item(c, o if measurable else None, budget) for c, o in zip(candidates, overlaps)]
        items.sort(key=lambda i: (-i.score, -(i.overlap or 0.0), i.id))
        query = {"text": record.text, "features": statements, "region": record.region or None,
                 "industries": list(industries or record.industries), "budget": budget, "k": k,
                 "overlap_measured": measurable, "min_functions_for_overlap": MIN_FUNCTIONS_FOR_OVERLAP,
                 "savings_assumptions": self.savings.assumptions()}
        return Recommendation(query, items[:k])

    def _candidates(self, record: ProjectRecord, statements: list[str], industries, technologies,
                    filters, exclude_region: bool, exclude_ids: Sequence[str] = ()) -> list:
        # Ask for more when the planner's region will be dropped afterwards.
        found = self.retriever.query(
            record.text, features=statements, industries=tuple(industries or record.industries),
            technologies=tuple(technologies or record.technologies), k=self.k_candidates,
            exclude_ids=(record.id, *exclude_ids), filters=filters,
        )
        found = [c for c in found if c.id in self.records and c.id != record.id]
        if exclude_region and record.region:
            found = [c for c in found if self.records[c.id].region != record.region]
        return found

    def _item(self, candidate, overlap: OverlapResult | None, budget: float | None) -> RecommendationItem:
        """One result; ``overlap`` None when the plan lists too few functions to measure it."""
        rec = self.records[candidate.id]
        terms = {
            "retrieval": float(candidate.score),
            "overlap": overlap.overlap / 100.0 if overlap is not None else None,
            "status": settings.RECOMMEND_STATUS_VALUES.get(rec.status or "", settings.RECOMMEND_UNKNOWN_STATUS_VALUE),
            "region_group": settings.RECOMMEND_REGION_GROUP_VALUES.get(rec.region_group or "",
                                                                      settings.RECOMMEND_UNKNOWN_REGION_GROUP_VALUE),
            "reuse": min(1.0, math.log1p(rec.reused_by_count) / math.log1p(settings.RECOMMEND_REUSE_SATURATION)),
        }
        terms = {t: v for t, v in terms.items() if v is not None}
        weights = self._weights_for(terms)
        explanation = {t: {"value": round(v, 4), "weight": round(weights[t], 4),
                           "contribution": round(v * weights[t], 4)} for t, v in terms.items()}
        score = sum(v * weights[t] for t, v in terms.items())
        evidence = overlap.to_dict() if overlap is not None else {"matched_features": [], "missing_features": []}
        savings, notes = self._savings(rec, overlap, budget)
        return RecommendationItem(
            id=rec.id, title=rec.title, region=rec.region, score=min(1.0, max(0.0, score)),
            overlap=overlap.overlap if overlap is not None else None,
            matched_features=evidence["matched_features"], missing_features=evidence["missing_features"],
            estimated_savings=savings, status=rec.status, region_group=rec.region_group,
            retrieval_score=float(candidate.score), explanation=explanation, notes=notes,
        )

    def _weights_for(self, terms: Mapping[str, float]) -> dict[str, float]:
        """The score weights of the terms present, scaled to sum to 1 (no overlap term for a
        plan without functions: retrieval and the proof of the system then rank it)."""
        present = {t: self.weights.get(t, 0.0) for t in terms}
        total = sum(present.values()) or 1.0
        return {t: w / total for t, w in present.items()}

    def _savings(self, rec: ProjectRecord, overlap: OverlapResult | None,
                 budget: float | None) -> tuple[float | None, list[str]]:
        if overlap is None:
            return None, ["too_few_functions"]
        if rec.status not in SAVINGS_STATUSES:
            return None, ["not_in_operation"]
        if budget is None:
            return None, ["no_budget"]
        return self.savings.estimate(budget, overlap.overlap), []

    # ----- a draft portfolio ------------------------------------------------------------
    def check_plan(self, planned_records: Sequence[ProjectRecord], k: int = 5,
                   threshold: float = settings.NEAR_IDENTICAL_THRESHOLD, exclude_region: bool = False,
                   exclude_ids: Sequence[str] = ()) -> CheckPlanReport:
        """``recommend`` for every planned item, with a portfolio summary.

        An item's potential savings is the largest any one match offers (one system replaces
        the plan; savings of several matches do not add up).
        """
        items = [CheckPlanItem(r.id, r.title, planned_budget(r),
                               self.recommend(r, k=k, exclude_region=exclude_region, exclude_ids=exclude_ids))
                 for r in planned_records]
        return CheckPlanReport(items, self._summary(items, threshold))

    def _summary(self, items: list[CheckPlanItem], threshold: float) -> CheckPlanSummary:
        best = [i.best for i in items]
        return CheckPlanSummary(
            planned_items=len(items),
            planned_cost=round(sum(i.budget or 0.0 for i in items), 1),
            items_without_budget=sum(i.budget is None for i in items),
            potential_savings=round(sum(i.savings or 0.0 for i in items), 1),
            items_with_match=sum(b is not None and (b.overlap or 0.0) >= self.min_overlap for b in best),
            items_existing_elsewhere_at_threshold=sum(b is not None and (b.overlap or 0.0) >= threshold for b in best),
            items_without_overlap=sum(b is not None and b.overlap is None for b in best),
            match_min_overlap=self.min_overlap,
            threshold=threshold,
            savings_assumptions=self.savings.assumptions(),
        )


def as_planned_record(planned: ProjectRecord | str, region: str | None = None) -> ProjectRecord:
    """A free-text plan becomes a record whose description is split into functions."""
    if isinstance(planned, ProjectRecord):
        return replace(planned, region=region) if region and not planned.region else planned
    # The text goes to the summary only, so record.text does not repeat it as a title.
    return ProjectRecord(id="query", title="", summary=planned.strip(), region=region or "", status="planned")
