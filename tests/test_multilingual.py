"""Matching in Russian and across Russian and English, on a tiny catalog with the real model."""
from __future__ import annotations

import json

import pytest

from practicebank.matcher.engine import MatchingEngine
from practicebank.matcher.morphology import analyze, concepts, lemmas
from practicebank.matcher.records import ProjectRecord

KINDERGARTEN_EN = ProjectRecord(
    id="kg-en", title="Electronic kindergarten", region="RU-TA", status="in_operation",
    features=("Online application for a kindergarten place", "Queue position tracking for parents",
              "Notifications to parents about enrolment", "Allocation of vacant places"))
DOCTOR_EN = ProjectRecord(
    id="doctor-en", title="Online doctor appointments", region="RU-MOS", status="in_operation",
    features=("Book an appointment with a doctor online", "Cancel or move an appointment",
              "SMS reminders before a visit", "Electronic medical record for patients"))
PARKING_RU = ProjectRecord(
    id="parking-ru", title="Городские парковки", region="RU-SPE", status="in_operation",
    features=("Оплата парковки через мобильное приложение", "Оформление резидентных разрешений",
              "Карта свободных парковочных мест", "Контроль оплаты парковки инспекторами"))
WASTE_RU = ProjectRecord(
    id="waste-ru", title="Учёт вывоза твёрдых коммунальных отходов", region="RU-KGN", status="in_operation",
    features=("Реестр контейнерных площадок на карте", "Контроль движения мусоровозов по ГЛОНАСС",
              "Сообщения жителей о переполненных контейнерах", "Графики вывоза и контроль их выполнения"))
CATALOG = [KINDERGARTEN_EN, DOCTOR_EN, PARKING_RU, WASTE_RU]


@pytest.fixture(scope="module")
def engine(encoder):
    return MatchingEngine(encoder, families=False).fit(CATALOG)


def test_a_russian_plan_finds_the_english_system_with_most_of_its_functions(engine):
    plan = ProjectRecord(id="plan", title="Электронная запись в детские сады", features=(
        "Подача заявления на место в детском саду онлайн", "Отслеживание очереди",
        "Уведомления родителям о зачислении"))
    best, *rest = engine.recommend(plan, k=4).to_dict()["results"]
    assert best["id"] == "kg-en" and best["overlap"] >= 60
    assert all(r["overlap"] < best["overlap"] - 20 for r in rest)
    assert {pair[1] for pair in best["matched_features"]} <= set(KINDERGARTEN_EN.features)


def test_an_english_plan_finds_the_russian_system(engine):
    plan = ProjectRecord(id="plan", title="Smart parking", features=(
        "Pay for parking in a mobile app", "Map of free parking spaces", "Residents' parking permits"))
    best = engine.recommend(plan, k=4).to_dict()["results"][0]
    assert best["id"] == "parking-ru" and best["overlap"] >= 60


def test_a_russian_plan_finds_the_russian_system_worded_otherwise(engine):
    plan = ProjectRecord(id="plan", title="Мониторинг вывоза мусора", features=(
        "Электронная карта мест накопления отходов", "Отслеживание мусоровозов через спутник",
        "Жалобы граждан на переполненные баки"))
    best, *rest = engine.recommend(plan, k=4).to_dict()["results"]
    assert best["id"] == "waste-ru" and best["overlap"] >= 50
    assert max(r["overlap"] for r in rest) < 30


def test_the_title_alone_gets_no_percentage_and_ranks_by_meaning(engine):
    answer = engine.recommend("Электронная запись в детские сады", k=4).to_dict()
    assert answer["query"]["overlap_measured"] is False
    results = answer["results"]
    assert results[0]["id"] == "kg-en"  # not the doctor appointments: "запись" is not the point
    assert all(r["overlap"] is None and r["estimated_savings"] is None for r in results)
    assert all(r["notes"] == ["too_few_functions"] for r in results)


def test_russian_search_finds_inflected_forms_and_the_english_record(engine):
    record = ProjectRecord(id="sad", title="Запись детей в детские сады", region="RU-TA",
                           features=("Очередь в детских садах",))
    small = MatchingEngine(engine.encoder, families=False).fit([*CATALOG, record])
    found = [rid for rid, _ in small.search("детский сад").hits]
    assert found[0] == "sad" and "kg-en" in found


def test_lemmas_make_inflections_one_word_and_keep_abbreviations():
    assert lemmas("детских садов") == lemmas("детский сад") == ["детский", "сад"]
    assert lemmas("через ЕПГУ") == ["через", "епгу"]
    assert "детский сад" in analyze("Запись в детские сады")


def test_the_glossary_joins_russian_and_english_names_of_one_thing():
    assert set(concepts(lemmas("Подача заявления через ЕПГУ"))) == set(
        concepts(lemmas("Application via the public services portal"))) == {"concept_epgu", "concept_application"}
    russian = set(analyze("Подача заявления через портал госуслуг"))
    english = set(analyze("Submit an application via the public services portal"))
    assert "concept_epgu" in russian & english


def test_the_shipped_calibration_was_fitted_on_the_fit_split_and_reports_the_test_split():
    from practicebank.matcher.calibration import DEFAULT_PATH

    report = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))["report"]
    assert "fit split" in " ".join(report["sources"])
    assert set(report["held_out_by_setting"]) == {"en/en", "ru/ru", "en/ru", "ru/en"}


def test_the_fit_and_test_splits_share_no_domain_and_no_text():
    from bench.handwritten import labelled_pairs, plan_list_pairs, plans, systems

    domains = {split: {s["domain"] for s in systems() if s["split"] == split} for split in ("fit", "test")}
    assert domains["fit"] and domains["test"] and not domains["fit"] & domains["test"]
    texts = {split: {t for p in labelled_pairs(split) for t in (p["a"], p["b"])} for split in ("fit", "test")}
    assert not texts["fit"] & texts["test"]
    by_plan = {p.id: p for p in plans()}
    for pair in plan_list_pairs("test"):
        plan = next(p for p in by_plan.values() if [f[pair.setting[:2]] for f in p.functions] == pair.a)
        assert pair.true_overlap == pytest.approx(plan.true_overlap(), abs=1e-9)
