"""Functional overlap: small hand-written lists with the real model (session ``encoder``)."""
from __future__ import annotations

import numpy as np
import pytest

from practicebank.matcher.calibration import SimilarityCalibrator, load_default
from practicebank.matcher.functions import function_statements, split_statements
from practicebank.matcher.overlap import FunctionalOverlap
from practicebank.matcher.training import expected_calibration_error
from practicebank.matcher.records import ProjectRecord

CLINIC = [
    "Book an appointment with a doctor online",
    "Issue electronic prescriptions",
    "Patients view laboratory test results online",
    "Send SMS reminders before a visit",
]
CLINIC_REWORDED = [
    "Online registration for a visit to a physician",
    "Doctors write prescriptions digitally and pharmacies receive them",
    "Access to lab analysis results in the personal account",
    "Text message reminders about a scheduled appointment",
]
ROADS = [
    "Adaptive traffic light control",
    "Photo radar enforcement of speed limits",
    "Weigh heavy trucks in motion",
    "Count passenger flows on buses",
]


@pytest.fixture(scope="module")
def overlap(encoder):
    return FunctionalOverlap(encoder=encoder)


def test_identical_lists_overlap_fully(overlap):
    assert overlap.compare(CLINIC, CLINIC).overlap == pytest.approx(100, abs=1)


def test_disjoint_domains_overlap_near_zero(overlap):
    result = overlap.compare(CLINIC, ROADS)
    assert result.overlap < 10
    assert result.matched == []
    assert result.missing == CLINIC


def test_half_shared_is_about_half(overlap):
    existing = CLINIC[:2] + ROADS[:2]
    assert overlap.compare(CLINIC, existing).overlap == pytest.approx(50, abs=10)


def test_paraphrases_are_recognised(overlap):
    result = overlap.compare(CLINIC[:3], CLINIC_REWORDED[:3])
    assert result.overlap > 55
    pairs = {(m.planned, m.existing) for m in result.matched}
    assert (CLINIC[1], CLINIC_REWORDED[1]) in pairs
    assert all(0 <= m.probability <= 1 and -1 <= m.similarity <= 1 for m in result.matched)


def test_matching_is_one_to_one(overlap):
    planned = ["Book an appointment with a doctor online", "Online registration for a visit to a physician"]
    result = overlap.compare(planned, ["Book an appointment with a doctor online"])
    assert len(result.matched) == 1
    assert result.overlap <= 60  # one existing function cannot cover two planned ones
    assert len(result.missing) == 1


def test_evidence_lists_missing_in_planned_order(overlap):
    existing = [CLINIC[2], CLINIC[0]]
    result = overlap.compare(CLINIC, existing)
    assert [m.planned for m in result.matched] == [CLINIC[0], CLINIC[2]]
    assert result.missing == [CLINIC[1], CLINIC[3]]
    assert result.to_dict()["matched_features"][0][:2] == [CLINIC[0], CLINIC[0]]


def test_overlap_is_directional(overlap):
    ab, ba = overlap.both_ways(CLINIC[:2], CLINIC)
    assert ab == pytest.approx(100, abs=1)
    assert ba == pytest.approx(50, abs=6)


def test_empty_sides(overlap):
    assert overlap.compare([], CLINIC).overlap == 0
    result = overlap.compare(CLINIC[:2], [])
    assert result.overlap == 0 and result.missing == CLINIC[:2]


def test_russian_paraphrases(overlap):
    planned = ["Запись на приём к врачу", "Электронные рецепты"]
    existing = ["Онлайн-запись к терапевту через портал", "Выписка рецептов в электронном виде",
                "Мониторинг качества воздуха"]
    assert overlap.compare(planned, existing).overlap > 50
    assert overlap.compare(planned, ["Мониторинг качества воздуха", "Оплата парковки"]).overlap < 20


def test_compare_many_and_fitted_ids_agree(overlap):
    records = [ProjectRecord(id="a", title="A", features=tuple(CLINIC)),
               ProjectRecord(id="b", title="B", features=tuple(CLINIC_REWORDED)),
               ProjectRecord(id="c", title="C", features=tuple(ROADS))]
    many = overlap.compare_many(records[0], records)
    fitted = FunctionalOverlap(encoder=overlap.encoder).fit(records)
    by_id = [fitted.overlap_by_id("a", r.id) for r in records]
    assert np.allclose([m.overlap for m in many], by_id, atol=1e-6)
    assert by_id[0] > by_id[1] > by_id[2]
    assert fitted.result_by_id("a", "c").missing == CLINIC
    with pytest.raises(KeyError):
        fitted.overlap_by_id("a", "nope")


def test_description_only_record_is_split(overlap):
    record = ProjectRecord(
        id="x", title="Regional clinic portal",
        description=("The system allows patients to book an appointment with a doctor online and "
                     "receive SMS reminders. It was funded by the regional budget in 2021. "
                     "Functions include: electronic prescriptions, lab results viewing."),
    )
    statements = function_statements(record)
    assert len(statements) == 4
    assert not any("budget" in s for s in statements)
    assert overlap.compare(record, CLINIC).overlap > 50


def test_split_statements_bullets_and_russian():
    text = "Система позволяет:\n- запись к врачу;\n- выдача электронных рецептов\n• просмотр результатов анализов"
    assert split_statements(text) == ["Запись к врачу", "Выдача электронных рецептов", "Просмотр результатов анализов"]
    # A noun list inside one function stays whole.
    assert split_statements("Online enrolment in schools and kindergartens.") == [
        "Online enrolment in schools and kindergartens"]


def test_features_win_over_description():
    record = ProjectRecord(id="x", title="t", description="Book visits. Pay bills.", features=("Feature one",))
    assert function_statements(record) == ["Feature one"]


def test_shipped_calibration_loads_and_is_monotone():
    cal = load_default()
    sims = np.linspace(0, 1, 11)
    feats = np.zeros((11, len(cal.FEATURES)))
    for name in ("similarity", "context", "mean_similarity"):
        feats[:, cal.FEATURES.index(name)] = sims
    p = cal.predict_proba(feats)
    assert np.all(np.diff(p) >= 0) and p[0] < 0.1 and p[-1] > 0.9
    assert SimilarityCalibrator.from_dict(cal.to_dict()).to_dict() == cal.to_dict()


def test_hand_labelled_pairs_do_not_contradict_each_other():
    from bench.handwritten import clusters, labelled_pairs

    for split in ("fit", "test"):
        assert clusters(split) or split == "test"  # raises on a contradiction
    assert len(labelled_pairs("fit")) >= 150


def test_a_calibration_file_of_other_features_asks_for_a_refit():
    old = {"method": "logistic", "features": ["similarity", "char"], "coef": [1, 1], "intercept": 0}
    with pytest.raises(ValueError, match="bench.calibrate"):
        SimilarityCalibrator.from_dict(old)


def test_ece():
    assert expected_calibration_error(np.array([0.0, 1.0]), np.array([0, 1])) == 0
    assert expected_calibration_error(np.array([0.9, 0.9]), np.array([0, 0])) == pytest.approx(0.9)


def test_a_fitted_record_as_the_planned_side_reuses_its_stored_statements(overlap):
    records = [ProjectRecord(id="a", title="A", features=tuple(CLINIC)),
               ProjectRecord(id="b", title="B", features=tuple(CLINIC_REWORDED)),
               ProjectRecord(id="c", title="C", features=tuple(ROADS))]
    fitted = FunctionalOverlap(encoder=overlap.encoder).fit(records)
    fresh = fitted.compare_to_records(CLINIC, records)
    reused = fitted.compare_to_records(CLINIC, records, a_id="a")
    assert [r.to_dict() for r in reused] == [r.to_dict() for r in fresh]
    # a plan that only shares the id is compared as written, not as the stored record
    other = fitted.compare_to_records(ROADS, records, a_id="a")
    assert other[2].overlap > 90 and other[0].overlap < 30
