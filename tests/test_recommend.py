"""Recommendation ranking, savings and the SPEC JSON shapes, with a tiny fake retriever."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest

from practicebank.matcher.overlap import FunctionalOverlap
from practicebank.matcher.records import ProjectRecord
from practicebank.matcher.recommend import Recommender
from practicebank.matcher.savings import SavingsModel, estimated_savings, planned_budget

CLINIC = ("Book an appointment with a doctor online", "Issue electronic prescriptions",
          "Patients view laboratory test results online")
ROADS = ("Adaptive traffic light control", "Photo radar enforcement of speed limits")


@dataclass
class Candidate:
    id: str
    score: float
    components: dict = field(default_factory=dict)


class FakeRetriever:
    """Returns every record with a fixed score, in the given order; honours exclude_ids."""

    def __init__(self, scores: dict[str, float]):
        self.scores = scores
        self.calls: list[dict] = []

    def query(self, text, features=(), industries=(), technologies=(), k=10, exclude_ids=(), filters=None):
        self.calls.append({"text": text, "features": list(features), "k": k})
        return [Candidate(i, s) for i, s in self.scores.items() if i not in exclude_ids][:k]


def record(rid, features, status="in_operation", region="RU-TA", group="leading", **kw):
    return ProjectRecord(id=rid, title=rid.title(), features=tuple(features), region=region,
                         status=status, region_group=group, **kw)


@pytest.fixture(scope="module")
def overlap(encoder):
    return FunctionalOverlap(encoder=encoder)


@pytest.fixture(scope="module")
def catalog():
    return [record("running", CLINIC), record("planned", CLINIC, status="planned"),
            record("roads", ROADS, region="RU-MOW")]


@pytest.fixture(scope="module")
def recommender(overlap, catalog):
    retriever = FakeRetriever({"planned": 0.9, "running": 0.9, "roads": 0.5})
    return Recommender(retriever, overlap.fit(catalog), catalog)


def test_proven_system_ranks_above_a_plan_with_the_same_overlap(recommender):
    rec = recommender.recommend(record("mine", CLINIC, status="planned", region="RU-KDA"), k=3)
    ids = [r.id for r in rec.results]
    assert ids.index("running") < ids.index("planned")
    top = rec.results[0]
    assert top.overlap == pytest.approx(100, abs=1)
    assert top.explanation["status"]["value"] == 1.0
    assert sum(t["contribution"] for t in top.explanation.values()) == pytest.approx(top.score, abs=1e-3)
    assert rec.results[-1].id == "roads" and rec.results[-1].overlap < 10


def test_free_text_is_split_and_savings_follow_budget(recommender):
    rec = recommender.recommend(
        "Patients book an appointment with a doctor online. Doctors issue electronic prescriptions.",
        k=2, budget=1000)
    assert len(rec.query["features"]) == 2
    best = rec.results[0]
    assert best.id == "running"
    assert best.estimated_savings == pytest.approx(1000 * best.overlap / 100 - 150, abs=0.2)


def test_exclude_region(recommender):
    rec = recommender.recommend(record("mine", CLINIC, region="RU-TA"), k=5, exclude_region=True)
    assert [r.id for r in rec.results] == ["roads"]


def test_recommend_json_shape(recommender):
    doc = json.loads(recommender.recommend("Book a doctor online. Issue electronic prescriptions.", k=2).to_json())
    assert set(doc) == {"query", "results"}
    for r in doc["results"]:
        assert {"id", "title", "region", "score", "overlap", "matched_features",
                "missing_features", "estimated_savings"} <= set(r)
        assert 0 <= r["score"] <= 1 and 0 <= r["overlap"] <= 100
        assert all(len(m) == 3 for m in r["matched_features"])
        assert r["estimated_savings"] is None  # no budget known


def test_a_title_alone_gets_no_overlap_and_no_savings_but_is_still_ranked(recommender):
    rec = recommender.recommend("Book a doctor online", k=3, budget=1000)
    assert rec.query["overlap_measured"] is False
    assert [r.id for r in rec.results][:2] == ["running", "planned"]  # proven first, by retrieval
    for r in rec.results:
        assert r.overlap is None and r.estimated_savings is None
        assert r.notes == ["too_few_functions"] and r.matched_features == []
        assert "overlap" not in r.explanation
        assert sum(t["contribution"] for t in r.explanation.values()) == pytest.approx(r.score, abs=1e-3)
        assert r.to_dict()["overlap"] is None


def test_savings_are_offered_only_against_a_system_in_operation(recommender):
    rec = recommender.recommend(record("mine", CLINIC, status="planned", region="RU-KGN"), k=3, budget=1000)
    by_id = {r.id: r for r in rec.results}
    assert by_id["running"].estimated_savings is not None and by_id["running"].notes == []
    assert by_id["planned"].estimated_savings is None and by_id["planned"].notes == ["not_in_operation"]
    assert by_id["planned"].overlap == pytest.approx(by_id["running"].overlap, abs=1e-3)


def test_check_plan_shape_and_summary(recommender):
    plan = [
        ProjectRecord(id="p1", title="Clinic portal", features=CLINIC, capex=2000.0),
        ProjectRecord(id="p2", title="Roads", features=ROADS),
        ProjectRecord(id="p3", title="Museum", features=("Buy museum tickets online",), capex=500.0),
    ]
    report = recommender.check_plan(plan, k=3, threshold=85)
    doc = json.loads(report.to_json())
    assert [i["input_id"] for i in doc["items"]] == ["p1", "p2", "p3"]
    assert all({"input_id", "title", "results"} <= set(i) for i in doc["items"])
    summary = doc["summary"]
    assert {"planned_cost", "potential_savings", "items_with_match",
            "items_existing_elsewhere_at_threshold"} <= set(summary)
    assert summary["planned_cost"] == 2500.0
    assert summary["items_existing_elsewhere_at_threshold"] == 2
    # The best match's savings only: two clinic systems do not save the budget twice.
    best = max(report.items[0].recommendation.results, key=lambda r: r.overlap)
    assert summary["potential_savings"] == pytest.approx(best.estimated_savings + 0.0, abs=0.2)
    assert summary["potential_savings"] <= 2000


def test_weights_must_sum_to_one(overlap):
    with pytest.raises(ValueError):
        Recommender(FakeRetriever({}), overlap, [], weights={"overlap": 0.5})


def test_savings_edge_cases():
    model = SavingsModel()
    assert model.estimate(None, 90) is None
    assert model.estimate(0, 90) is None
    assert model.estimate(1000, 5) == 0.0  # never negative
    assert model.estimate(1000, 100) == 850.0
    assert model.estimate(1000, 150) == 850.0  # overlap is clipped to 100
    assert estimated_savings(1000, 50, adaptation_rate=0.0) == 500.0
    assert model.assumptions()["adaptation_rate"] == 0.15
    with pytest.raises(ValueError):
        SavingsModel(adaptation_rate=1.5)


def test_planned_budget_sources():
    r = ProjectRecord(id="x", title="t", capex=300.0)
    assert planned_budget(r) == 300.0
    assert planned_budget(r, budget=50) == 50.0
    assert planned_budget(ProjectRecord(id="y", title="t", capex=300.0, planned_budget=900.0)) == 900.0
    assert planned_budget(ProjectRecord(id="z", title="t")) is None


def test_a_portfolio_item_saves_what_its_best_system_in_operation_offers(recommender):
    item = recommender.check_plan([record("mine", CLINIC, status="planned", region="RU-KGN",
                                          planned_budget=1000.0)], k=3).items[0]
    best = item.best  # the highest overlap may be a plan, which saves nothing sure
    running = next(r for r in item.recommendation.results if r.id == "running")
    assert item.savings == pytest.approx(running.estimated_savings, abs=1e-9) and item.savings > 0
    assert item.to_dict()["estimated_savings"] == item.savings
    assert best.overlap == pytest.approx(running.overlap, abs=1e-3)
