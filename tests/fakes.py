"""Fake Services for the page and API tests: a five-record catalog and fixed engine answers.

The answers are built from the real result classes (``matcher.answers``, ``matcher.headline``,
``matcher.families.Family``, ``matcher.scaling.ScaleCandidate``),
never from hand-written dicts, so a renamed field breaks these fakes and the tests that use them.
Test modules import this module (and ``tests.helpers``), never each other.
"""
from __future__ import annotations

import pytest

from practicebank.errors import IndexNotBuilt
from practicebank.matcher.answers import (CheckPlanItem, CheckPlanReport, CheckPlanSummary, ComparedSystem,
                                          Comparison, Recommendation, RecommendationItem, SearchPage, SimilarSystem)
from practicebank.matcher.families import Family, PairOverlap, reason
from practicebank.matcher.headline import DuplicatesHeadline, HeadlineRow
from practicebank.matcher.records import ProjectRecord
from practicebank.matcher.scaling import ScaleBoard, ScaleCandidate, Term, demand_term
from practicebank.web.services import Services
from tests.helpers import seeded_services, web_app

RECORDS = [
    {"id": "ta-kindergarten", "title": "Electronic kindergarten", "region": "RU-TA", "industries": ["education"],
     "features": ["online enrolment in kindergartens", "queue position tracking"], "status": "in_operation",
     "cost": {"capex": 25000, "opex_per_year": 3000}, "funding": {"regional": 20000, "federal": 5000},
     "indicators": [{"name": "Enrolment online", "unit": "%", "baseline": 10, "target": 90, "actual": 85}],
     "sources": [{"title": "Regional report", "url": "https://example.org/report"}], "license": "government_owned"},
    {"id": "ba-kindergarten", "title": "Kindergarten queue", "region": "RU-BA", "industries": ["education"],
     "features": ["online enrolment in kindergartens", "queue position tracking", "notifications"],
     "status": "in_operation", "cost": {"capex": 30000}, "based_on": ["ta-kindergarten"]},
    {"id": "syn-clinic", "title": "Clinic appointments (demo)", "region": "RU-MOS", "industries": ["healthcare"],
     "features": ["online appointment booking"], "status": "planned", "synthetic": True, "cost": {"capex": 500}},
    {"id": "spe-transport", "title": "Smart traffic lights", "region": "RU-SPE", "industries": ["transport"],
     "technologies": ["iot", "ai"], "status": "in_development", "cost": {"capex": 2_000_000}},
    {"id": "ta-gis", "title": "Urban GIS", "region": "RU-TA", "industries": ["urban_environment"],
     "technologies": ["gis_maps"], "description": "Maps of the city for every department."},
]
SYNTHETIC = {r["id"] for r in RECORDS if r.get("synthetic")}
EXPLANATION = {"retrieval": {"value": 0.7, "weight": 0.35, "contribution": 0.245},
               "overlap": {"value": 0.9, "weight": 0.45, "contribution": 0.405}}
QUERY = {"text": "plan", "features": [], "region": None, "industries": [], "budget": None, "k": 10,
         "overlap_measured": True, "min_functions_for_overlap": 2,
         "savings_assumptions": {"formula": "max(0, budget * overlap / 100 - budget * adaptation_rate)",
                                 "adaptation_rate": 0.15, "unit": "thousand RUB"}}


def match(pid: str, title: str, region: str, overlap: float = 90.0, **fields) -> RecommendationItem:
    """A recommendation as Services hands it out: the catalog's facts added (synthetic from RECORDS)."""
    values = {"id": pid, "title": title, "region": region, "score": 0.8, "overlap": overlap,
              "matched_features": [["online enrolment", "online enrolment in kindergartens", 0.93]],
              "missing_features": ["payments"], "estimated_savings": 12000.0, "status": "in_operation",
              "region_group": "leading", "retrieval_score": 0.7, "explanation": EXPLANATION, **fields}
    item = RecommendationItem(**values)
    item.add_facts({"id": pid, "synthetic": pid in SYNTHETIC})
    return item


def similar(pid: str, title: str, region: str, overlap: float, overlap_back: float) -> SimilarSystem:
    return SimilarSystem.of(match(pid, title, region, overlap), overlap_back, 85.0)


def recommendation(results: list[RecommendationItem], **query) -> Recommendation:
    return Recommendation({**QUERY, **query}, results)


class FakeServices(Services):
    """The engine methods with fixed answers of the real result classes."""

    def index_status(self):
        return {"catalog_revision": 3, "index_revision": 2, "stale": True}

    def search(self, query, filters=None, page=1, per_page=20, sort="relevance"):
        results = [{**r, "score": 0.5} for r in RECORDS if query.lower() in r["title"].lower()]
        return SearchPage(query=query, filters=dict(filters or {}), total=len(results), page=page,
                          per_page=per_page, sort=sort, results=results[:per_page],
                          facets={"industry": {"education": len(results)}, "status": {"in_operation": 1}})

    def recommend(self, planned, k=10, exclude_region=False):
        return recommendation([match("ta-kindergarten", "Electronic kindergarten", "RU-TA"),
                               match("syn-clinic", "Clinic appointments (demo)", "RU-MOS", 40)])

    def check_plan(self, records, k=5):
        items = [CheckPlanItem(r["id"], r["title"], None,
                               recommendation([match("syn-clinic", "Clinic appointments (demo)", "RU-MOS")]))
                 for r in records]
        return CheckPlanReport(items, CheckPlanSummary(planned_cost=1000.0, potential_savings=700.0,
                                                       items_with_match=len(records)))

    def similar(self, project_id, k=10):
        return [similar("ba-kindergarten", "Kindergarten queue", "RU-BA", 95, 88),
                similar("syn-clinic", "Clinic appointments (demo)", "RU-MOS", 60, 30)]

    def compare(self, ids):
        base, *others = ids
        return Comparison(
            ids=list(ids), base=base, projects=self.projects_by_ids(ids),
            comparisons=[ComparedSystem(i, 50.0, 66.7, [["online enrolment in kindergartens",
                                                         "online enrolment in kindergartens", 0.99]],
                                        ["queue position tracking"]) for i in others],
            alignment=[["online enrolment in kindergartens", "online enrolment in kindergartens", 0.99],
                       ["queue position tracking", None, 0.0]])

    def duplicates(self, threshold=85, evidence=False):
        # the family and the headline are built from their classes: a renamed field breaks this
        # fake, not just the engine
        return {"threshold": threshold, "systems": 5, "systems_in_families": 3,
                "families": [FAMILY.to_dict()], "headline": HEADLINE.to_dict()}

    def scale_candidates(self, top=20):
        return BOARD.to_json()


def _row(systems, with_twin, copies=0, without=0, spend=0.0):
    return HeadlineRow(systems=systems, with_twin=with_twin, copies=copies, copies_without_capex=without,
                       duplicate_capex=spend)


HEADLINE = DuplicatesHeadline(
    systems=5, with_twin=2, share_with_twin=0.4, systems_in_families=3, families=1, copies=2,
    copies_without_capex=1, duplicate_capex=30500.0, duplicate_opex_per_year=0.0, savings_capex=21000.0,
    adaptation_rate=0.15, by_industry={"education": _row(2, 2, 1, 0, 30000.0), "healthcare": _row(1, 0, 1, 1)},
    by_region={"RU-TA": _row(2, 1), "RU-BA": _row(1, 1, 1, 0, 30000.0), "RU-MOS": _row(1, 0, 1, 1)})


FAMILY = Family(
    id="f1", core="ta-kindergarten", members=["ta-kindergarten", "ba-kindergarten", "syn-clinic"],
    regions=["RU-BA", "RU-MOS", "RU-TA"], overlap=91.0, min_overlap=90.0, capex_total=55500.0, opex_total=3000.0,
    reference="ta-kindergarten", reference_why="oldest, reused",
    reference_reasons=[reason("in_operation_since", year=2019), reason("reused", count=1)],
    duplicate_capex=30500.0, duplicate_opex=0.0,
    savings={"capex_saved": 21000.0, "per_member": {"ba-kindergarten": 20700.0, "syn-clinic": 300.0},
             "adaptation_rate": 0.15, "formula": "max(0, capex * overlap_to_reference / 100 - capex * adaptation_rate)",
             "members_without_capex": 0},
    pairs=[PairOverlap("ta-kindergarten", "ba-kindergarten", 92.0, 91.0),
           PairOverlap("ta-kindergarten", "syn-clinic", 90.0, 90.0)], synthetic=True)


def _practice(rid: str, title: str, region: str, **facts) -> ProjectRecord:
    return ProjectRecord(id=rid, title=title, region=region, curation_state="approved", **facts)


BOARD = ScaleBoard([
    ScaleCandidate(_practice("syn-clinic", "Clinic appointments (demo)", "RU-MOS", status="planned", synthetic=True),
                   {"demand": demand_term(["RU-BA", "RU-TA"], 1, 0.5),
                    "region_group": Term(0.5, 0.5, "source region group: unknown", "source_region_group",
                                         {"group": "unknown"})},
                   ["RU-BA", "RU-TA"], None, False, {"RU-BA": ["ba-kindergarten"], "RU-TA": ["ta-gis"]}),
    ScaleCandidate(_practice("ta-gis", "Urban GIS", "RU-TA", status="in_operation"), {}, [], None, False),
], weights={"demand": 0.5, "region_group": 0.5})


class NoIndexServices(Services):
    """The engine is wired but the index is not built."""

    def _no_index(self, *args, **kwargs):
        raise IndexNotBuilt()

    search = recommend = check_plan = similar = compare = duplicates = scale_candidates = index_status = _no_index


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    """A catalog home holding RECORDS (a fixture: test modules import it by name)."""
    path = tmp_path_factory.mktemp("web-home")
    seeded_services(path, RECORDS).db.dispose()
    return path


def make_app(home, cls=FakeServices):
    return web_app(cls.from_env(home), SECRET_KEY="test")
