"""The scaling board: every score explained term by term, flags, proof and demand."""
from __future__ import annotations

import pytest

from matcher.families import FamilyFinder
from matcher.scaling import DEFAULT_WEIGHTS, rank_scale_candidates
from tests.test_families import EXTRAS, FUNCTIONS, SetOverlap, rec

PROVEN = ({"name": "online share", "unit": "%", "baseline": 10, "target": 80, "actual": 95},)


@pytest.fixture(scope="module")
def board(encoder):
    records = [
        rec("proven", FUNCTIONS[:10], "RU-TA", status="in_operation", start_year=2017, capex=100.0,
            opex_per_year=10.0, indicators=PROVEN, region_group="leading", curation_state="federal_standard"),
        rec("copy1", FUNCTIONS[:10], "RU-MOW", status="planned", capex=90.0, region_group="leading"),
        rec("copy2", FUNCTIONS[:10], "RU-SPE", status="in_development", capex=120.0, region_group="developing"),
        rec("partial", FUNCTIONS[:6] + EXTRAS[:3], "RU-KDA", status="planned", capex=60.0),
        rec("lonely", EXTRAS, "RU-NVS", status="in_operation", start_year=2023, capex=500.0,
            opex_per_year=50.0, region_group="needs_support"),
    ]
    finder = FamilyFinder(SetOverlap(encoder), screen=0.0).fit(records)
    return rank_scale_candidates(records, finder, top=5)


def test_explanation_sums_to_score_and_names_each_term(board):
    doc = board.to_json()
    assert doc["weights"] == DEFAULT_WEIGHTS
    for cand in doc["candidates"]:
        assert set(cand["terms"]) == {"demand", "proof", "cost", "region_group"}
        for term in cand["terms"].values():
            assert {"value", "weight", "contribution", "explanation"} <= set(term) and term["explanation"]
            assert term["contribution"] == pytest.approx(term["value"] * term["weight"], abs=1e-4)
        assert cand["score"] == pytest.approx(sum(t["contribution"] for t in cand["terms"].values()), abs=1e-9)
        assert 0.0 <= cand["score"] <= 1.0


def test_proven_practice_with_demand_ranks_first_and_is_flagged(board):
    first = board.candidates[0]
    assert first.record.id == "proven"
    assert set(first.demand_regions) == {"RU-MOW", "RU-SPE", "RU-KDA"}  # copies + the 60% one
    assert first.flagged and board.to_json()["candidates"][0]["already_recommended"]
    assert [c.record.id for c in board.candidates] == ["proven", "lonely"]  # only systems in operation
