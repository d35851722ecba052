"""The scaling board: every score explained term by term, flags, proof and demand."""
from __future__ import annotations

from datetime import date

import pytest

from practicebank import settings
from practicebank.matcher.families import FamilyFinder
from practicebank.matcher.scaling import rank_scale_candidates
from tests.helpers import EXTRAS, FUNCTIONS, SetOverlap, rec

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
    assert doc["weights"] == settings.SCALING_WEIGHTS
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


def test_demand_systems_name_each_region_s_systems(board):
    first = board.candidates[0]
    assert first.demand_systems == {"RU-KDA": ["partial"], "RU-MOW": ["copy1"], "RU-SPE": ["copy2"]}
    assert sorted(first.demand_systems) == first.demand_regions
    assert board.to_json()["candidates"][0]["demand_systems"]["RU-MOW"] == ["copy1"]


def test_the_board_is_computed_once_per_fitted_engine(encoder, monkeypatch):
    """/scale reads the engine's board: ranking runs once per index, not on every view."""
    from practicebank.matcher import engine as engine_module
    from practicebank.matcher.engine import MatchingEngine

    records = [
        rec("proven", FUNCTIONS[:10], "RU-TA", status="in_operation", start_year=2017, capex=100.0),
        rec("copy1", FUNCTIONS[:10], "RU-MOW", status="planned", capex=90.0),
        rec("lonely", EXTRAS, "RU-NVS", status="in_operation", start_year=2023, capex=500.0),
    ]
    engine = MatchingEngine(encoder).fit(records)
    calls = []
    real = engine_module.rank_scale_candidates
    monkeypatch.setattr(engine_module, "rank_scale_candidates", lambda *a, **k: calls.append(1) or real(*a, **k))
    first = engine.scale_candidates(top=None)
    again = engine.scale_candidates(top=None)
    top1 = engine.scale_candidates(top=1)
    assert len(calls) == 1 and first["candidates"] is again["candidates"]
    assert [c["id"] for c in first["candidates"]] == ["proven", "lonely"] and len(top1["candidates"]) == 1
    assert engine.duplicates()["families"] is engine.duplicates()["families"]  # remembered too


def test_years_in_operation_count_to_the_year_given(encoder):
    records = [rec("proven", FUNCTIONS[:10], "RU-TA", status="in_operation", start_year=2017, capex=100.0),
               rec("copy1", FUNCTIONS[:10], "RU-MOW", status="planned", capex=90.0)]
    finder = FamilyFinder(SetOverlap(encoder), screen=0.0).fit(records)

    def years(year):
        (candidate,) = rank_scale_candidates(records, finder, year=year).to_json()["candidates"]
        return candidate["terms"]["proof"]["params"]["years"]

    assert (years(2019), years(2030)) == (2, 13)
    assert years(None) == date.today().year - 2017  # not given: this year, read when asked
