"""The matcher's family, overlap and scale answers as typed results, one statement splitter,
training that leaves the caller's engine alone, and the families package in small modules.

Each answer has one ``to_dict`` (the only way out), a ``from_dict`` that refuses a missing or
unknown field, and a ``json_schema`` with ``additionalProperties: false`` that the OpenAPI
document uses; a renamed field breaks these tests, not a page nobody looks at.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from practicebank.matcher.dense import record_functions
from practicebank.matcher.families import Family, PairOverlap, reason
from practicebank.matcher.functions import function_statements
from practicebank.matcher.overlap import FunctionalOverlap, Match, OverlapResult
from practicebank.matcher.records import ProjectRecord
from practicebank.matcher.scaling import ScaleBoard, ScaleCandidate, Term, demand_term, group_term
from practicebank.matcher.training import ListPair, choose_char_weight, fit_calibrator

FAMILIES = Path(__file__).resolve().parents[1] / "practicebank" / "matcher" / "families"


def a_family() -> Family:
    return Family(
        id="family-a", core="a", members=["a", "b"], regions=["RU-BA", "RU-TA"], overlap=91.25, min_overlap=90.0,
        capex_total=300.0, opex_total=20.0, reference="a", reference_why="in operation; ahead of b on reuse",
        reference_reasons=[reason("in_operation"), reason("ahead_of", id="b", criterion="reuse")],
        duplicate_capex=100.0, duplicate_opex=10.0,
        savings={"capex_saved": 76.0, "per_member": {"b": 76.0}, "adaptation_rate": 0.15,
                 "formula": "max(0, capex * overlap / 100 - capex * adaptation_rate)", "members_without_capex": 0},
        pairs=[PairOverlap("a", "b", 92.5, 90.0)], synthetic=False)


def a_candidate() -> ScaleCandidate:
    record = ProjectRecord(id="p", title="Practice", region="RU-TA", region_group="leading", status="in_operation",
                           curation_state="approved")
    terms = {"demand": demand_term(["RU-BA"], 1, 0.5), "region_group": group_term(record, 0.5)}
    return ScaleCandidate(record, terms, ["RU-BA"], "family-p", False, {"RU-BA": ["q"]})


def valid(schema: dict, instance) -> bool:
    jsonschema_rs = pytest.importorskip("jsonschema_rs")
    return jsonschema_rs.Draft202012Validator(schema).is_valid(instance)


# ----- Family ---------------------------------------------------------------------------------
def test_family_round_trips_and_its_schema_is_closed():
    family = a_family()
    sent = family.to_dict()
    assert Family.from_dict(sent).to_dict() == sent
    schema = Family.json_schema()
    assert schema["additionalProperties"] is False and set(schema["properties"]) == set(sent)
    assert valid(schema, sent)
    assert not valid(schema, {**sent, "duplicate_spend": 1.0})  # the field that was never shown


def test_family_refuses_unknown_and_missing_fields():
    sent = a_family().to_dict()
    with pytest.raises(TypeError, match="duplicate_spend"):
        Family.from_dict({**sent, "duplicate_spend": 1.0})
    with pytest.raises(TypeError, match="savings"):
        Family.from_dict({k: v for k, v in sent.items() if k != "savings"})


def test_a_family_with_evidence_fits_the_schema():
    family = a_family()
    evidence = {("a", "b"): {"overlap_ab": 92.5, "overlap_ba": 90.0, "matched": [["x", "x", 1.0, 1.0]],
                             "missing_in_b": [], "missing_in_a": ["y"]}}
    sent = family.to_dict(evidence)
    assert valid(Family.json_schema(), sent)
    assert Family.from_dict(sent).pairs == family.pairs


# ----- OverlapResult ----------------------------------------------------------------------------
def test_overlap_result_round_trips_without_probabilities():
    result = OverlapResult(66.7, [Match("book a visit", "visit booking", 0.912, 0.97)], ["pay a fine"])
    sent = result.to_dict()
    back = OverlapResult.from_dict(sent)
    assert back.to_dict() == sent and np.isnan(back.matched[0].probability)
    assert valid(OverlapResult.json_schema(), sent)
    with pytest.raises(TypeError):
        OverlapResult.from_dict({**sent, "matched": []})


# ----- ScaleCandidate ---------------------------------------------------------------------------
def test_scale_candidate_round_trips_and_adds_up():
    candidate = a_candidate()
    sent = candidate.to_dict()
    assert ScaleCandidate.from_dict(sent).to_dict() == sent
    assert sent["score"] == pytest.approx(sum(t["contribution"] for t in sent["terms"].values()), abs=1e-9)
    schema = ScaleCandidate.json_schema()
    assert schema["additionalProperties"] is False and set(schema["properties"]) == set(sent)
    assert valid(schema, sent)
    with pytest.raises(TypeError, match="rank"):
        ScaleCandidate.from_dict({**sent, "rank": 1})
    with pytest.raises(TypeError):
        Term.from_dict({**sent["terms"]["demand"], "why": "?"})


def test_the_board_document_fits_the_openapi_document():
    from practicebank.web.api.openapi import document

    schemas = document()["components"]["schemas"]
    assert schemas["ScaleCandidates"]["properties"]["candidates"]["items"] == ScaleCandidate.json_schema()
    assert schemas["Duplicates"]["properties"]["families"]["items"] == Family.json_schema()
    board = ScaleBoard([a_candidate()], {"demand": 0.5, "region_group": 0.5}).to_json()
    assert valid(schemas["ScaleCandidates"], board)


# ----- one statement splitter -------------------------------------------------------------------
@pytest.mark.parametrize("record", [
    ProjectRecord(id="f", title="Clinic", features=("Book a visit", " book a visit ", "Issue e-prescriptions")),
    ProjectRecord(id="d", title="Clinic", summary="The system allows patients to book visits and send reminders.",
                  description="Запись к врачу; выдача электронных рецептов. Funded in 2021 for 3 million rubles."),
    ProjectRecord(id="t", title="Only a title"),
])
def test_retrieval_and_overlap_see_the_same_functions(record):
    """The feature index (``record_functions``) and the overlap engine (``function_statements``)
    decide a record's functions with one splitter: they agree, the title standing in for none."""
    statements = function_statements(record)
    assert record_functions(record) == (statements or [record.title])


# ----- training leaves the caller's engine alone ------------------------------------------------
class HashEncoder:
    """Deterministic unit vectors per text: equal texts are identical, others nearly orthogonal."""

    def encode(self, texts, remember=True):
        rows = []
        for t in texts:
            seed = int.from_bytes(hashlib.blake2b(t.encode(), digest_size=8).digest(), "little")
            v = np.random.default_rng(seed).normal(size=16)
            rows.append(v / np.linalg.norm(v))
        return np.array(rows, dtype=np.float32).reshape(len(rows), 16)


def test_fitting_the_calibration_does_not_touch_the_callers_overlap():
    overlap = FunctionalOverlap(encoder=HashEncoder())
    calibrator = overlap.calibrator_
    pairs = [ListPair(["book a visit", "cancel a visit", "pay a fine online"],
                      ["book a visit", "issue a building permit", "pay a fine online"],
                      ["book", "cancel", "fine"], ["book", "permit", "fine"], "en/en")] * 3
    choose_char_weight(overlap, pairs)
    fitted, report = fit_calibrator(overlap, pairs, pairs)
    assert overlap.calibrator is calibrator  # neither function installed a map of its own
    assert fitted is not calibrator and report["method"] == "logistic"


# ----- the families package reads like the algorithm --------------------------------------------
def test_every_families_module_is_short():
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in FAMILIES.glob("*.py")}
    assert {"facts.py", "geometry.py", "reference.py", "candidates.py", "finder.py", "report.py"} <= set(sizes)
    assert all(n < 300 for n in sizes.values()), sizes
