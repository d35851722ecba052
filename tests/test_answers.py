"""The engine's typed answers (matcher/answers.py): one to_dict each, and the OpenAPI schema
says exactly what it holds (additionalProperties false), so a renamed field breaks this test."""
from __future__ import annotations

import pytest

from practicebank.matcher.answers import (CheckPlanItem, CheckPlanReport, CheckPlanSummary, ComparedSystem, Comparison,
                                          Recommendation, RecommendationItem, SearchPage, SimilarSystem)
from practicebank.web.api.openapi import SCHEMAS


def an_item(cls=RecommendationItem, **more) -> RecommendationItem:
    item = cls(id="ta-kindergarten", title="Electronic kindergarten", region="RU-TA", score=0.81234, overlap=81.26,
               matched_features=[["online enrolment", "online enrolment in kindergartens", 0.93]],
               missing_features=["payments"], estimated_savings=16500.0, status="in_operation",
               region_group="leading", retrieval_score=0.7, notes=[],
               explanation={"retrieval": {"value": 0.7, "weight": 0.35, "contribution": 0.245}}, **more)
    item.add_facts({"id": "ta-kindergarten", "title": "Electronic kindergarten", "region": "RU-TA",
                    "status": "in_operation", "synthetic": True})
    return item


def a_report() -> CheckPlanReport:
    item = CheckPlanItem("row-9", "Kindergarten", 25000.0, Recommendation({"text": "x"}, [an_item()]), row=9, number="1")
    return CheckPlanReport([item], CheckPlanSummary(planned_items=1, planned_cost=25000.0, potential_savings=16500.0,
                                                    items_with_match=1, without_budget=[]), reading={"rows": 1})


def a_comparison() -> Comparison:
    return Comparison(ids=["a", "b"], base="a", alignment=[["f", "g", 0.9]], projects=[{"id": "a"}, {"id": "b"}],
                      comparisons=[ComparedSystem("b", 50.0, 66.7, [["f", "g", 0.9]], ["h"])])


def assert_fits(value, schema: dict) -> None:
    """``value`` has exactly the schema's properties (all the required ones), recursively
    through closed objects and arrays of them."""
    if "$ref" in schema:
        schema = SCHEMAS[schema["$ref"].rsplit("/", 1)[1]]
    if schema.get("additionalProperties") is False:
        assert isinstance(value, dict)
        assert set(value) <= set(schema["properties"]), set(value) - set(schema["properties"])
        assert set(schema["required"]) <= set(value), set(schema["required"]) - set(value)
    if isinstance(value, dict):
        for key, sub in value.items():
            if key in schema.get("properties", {}):
                assert_fits(sub, schema["properties"][key])
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        for sub in value:
            assert_fits(sub, schema["items"])


@pytest.mark.parametrize("name, answer", [
    ("Match", an_item()),
    ("SimilarSystem", SimilarSystem.of(an_item(), 88.0, 85.0)),
    ("Recommendation", Recommendation({"text": "x"}, [an_item()])),
    ("CheckPlanReport", a_report()),
    ("Comparison", a_comparison()),
    ("SearchPage", SearchPage("kindergarten", {"industry": ["education"]}, 1, 1, 20, "relevance",
                              [{"id": "a", "title": "A", "score": 0.5}], {"industry": {"education": 1}})),
])
def test_the_api_schema_is_exactly_the_answer(name, answer):
    schema = SCHEMAS[name]
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == set(answer.to_dict())  # a field renamed on either side fails here
    assert_fits(answer.to_dict(), schema)


def test_optional_parts_are_left_out_until_given():
    bare = CheckPlanReport([CheckPlanItem("p", "P", None, Recommendation({}, []))], CheckPlanSummary())
    assert set(bare.to_dict()) == {"items", "summary"}
    assert set(bare.to_dict()["items"][0]) == {"input_id", "title", "budget", "best_overlap", "estimated_savings",
                                               "results"}
    engine_item = RecommendationItem.from_dict({k: v for k, v in an_item().to_dict().items() if k != "synthetic"})
    assert "synthetic" not in engine_item.to_dict()  # the engine knows no catalog: Services adds the flag


def test_to_dict_rounds_and_from_dict_refuses_unknown_fields():
    data = an_item().to_dict()
    assert data["score"] == 0.8123 and data["overlap"] == 81.3 and data["synthetic"] is True
    assert RecommendationItem.from_dict(data).synthetic
    with pytest.raises(TypeError, match="duplicate_spend"):
        RecommendationItem.from_dict({**data, "duplicate_spend": 1.0})


def test_similar_system_flags_twins_both_ways():
    twin = SimilarSystem.of(an_item(), 88.04, 80.0)  # overlap 81.3 one way, 88.0 the other
    assert twin.near_identical and twin.overlap_back == 88.0 and twin.synthetic
    assert not SimilarSystem.of(an_item(), 88.0, 85.0).near_identical  # both ways must reach the threshold


def test_the_summary_schema_is_closed_and_names_every_figure():
    summary = CheckPlanSummary(1, 10.0, 0, 6.6, 1, 1, 0, 50.0, 85.0, {"share": 0.66},
                               [{"input_id": "row-9", "title": "Сад"}])
    schema = SCHEMAS["CheckPlanReport"]["properties"]["summary"]
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == set(summary.to_dict())
    assert_fits(summary.to_dict(), schema)
    assert CheckPlanSummary.from_dict(summary.to_dict()) == summary
    with pytest.raises(TypeError, match="savings_total"):
        CheckPlanSummary.from_dict({"savings_total": 1.0})


def test_merged_slices_add_up():
    one, two = a_report(), a_report()
    merged = CheckPlanReport.merge([one, two])
    assert len(merged.items) == 2 and merged.summary.planned_cost == 50000.0
    assert merged.summary.items_with_match == 2
