"""The engine's reasons and the validation errors as codes with parameters, and their rendering
in the page's language (web/explain.py, web/messages.py); the CLI and the API keep English."""
from __future__ import annotations

import pytest

from practicebank.catalog.files import validate
from practicebank.catalog.files.model import ParseResult
from practicebank.catalog.regions import make_resolver
from practicebank.matcher.families import reference_choice
from practicebank.matcher.records import ProjectRecord
from practicebank.matcher.scaling import cost_term, demand_term, group_term, proof_term
from practicebank.web import explain, messages
from practicebank.web.app import create_app
from practicebank.web.services import Services

ACHIEVED = ({"name": "share online", "unit": "%", "baseline": 10, "target": 80, "actual": 90},)


def rec(pid: str, **kw) -> ProjectRecord:
    return ProjectRecord(id=pid, title=kw.pop("title", pid), region=kw.pop("region", "RU-TA"), **kw)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    services = Services.from_env(tmp_path_factory.mktemp("explain-home"))
    services.ensure_database()
    return create_app({"SERVICES": services, "TESTING": True, "SECRET_KEY": "t"})


def test_a_tie_is_said_as_a_tie_not_first_by_id():
    a = rec("a", status="in_operation", start_year=2018, region_group="leading")
    b = rec("b", status="in_operation", start_year=2018, region_group="leading")
    ref, why, reasons = reference_choice([b, a], {})
    assert ref == "a"
    assert "first by id" not in why and "tied with b on every criterion" in why
    assert reasons[-1] == {"code": "tied_with", "params": {"id": "b"}}
    assert reasons[0] == {"code": "in_operation_since", "params": {"year": 2018}}


def test_reference_reasons_name_the_deciding_criterion():
    old = rec("old", status="in_operation", start_year=2016, indicators=ACHIEVED, region_group="developing")
    plan = rec("plan", status="planned", region_group="leading")
    ref, why, reasons = reference_choice([plan, old], {"plan": 5})
    assert ref == "old" and "ahead of plan on in operation" in why
    codes = [r["code"] for r in reasons]
    assert codes == ["in_operation_since", "indicators_achieved", "region_group", "ahead_of"]
    assert reasons[-1]["params"] == {"id": "plan", "criterion": "in_operation"}


def test_family_json_carries_reasons_beside_the_english_why():
    from practicebank.matcher.families import Family

    ref, why, reasons = reference_choice([rec("a", status="planned")], {})
    family = Family(id="f", core="a", members=["a"], regions=["RU-TA"], overlap=90.0, min_overlap=90.0,
                    capex_total=0.0, opex_total=0.0, reference=ref, reference_why=why, duplicate_capex=0.0,
                    duplicate_opex=0.0, savings={}, reference_reasons=reasons)
    assert family.to_dict()["reference"] == {"id": "a", "why": "status planned; no measured indicators",
                                             "reasons": reasons}


def test_scaling_terms_have_codes_and_english():
    practice = rec("p", status="in_operation", start_year=2020, capex=1000.0, region_group="leading")
    terms = [demand_term(["RU-BA", "RU-MOW"], 1, 0.4), proof_term(practice, 2, 0.35, 2026),
             cost_term(practice, 1000.0, 0.15), cost_term(rec("q"), None, 0.15), group_term(practice, 0.1)]
    assert [t.code for t in terms] == ["demand_regions", "proof_facts", "cost_vs_median", "cost_unknown",
                                       "source_region_group"]
    assert terms[0].params == {"regions": 2, "family_regions": 1, "full": 20}
    assert terms[3].explanation == "cost unknown: neutral 0.5"
    d = terms[0].to_dict()
    assert d["code"] == "demand_regions" and "2 other region(s)" in d["explanation"]


@pytest.mark.parametrize("lang, expected", [
    ("ru", "равноценна системе «Второй сад» по всем критериям"),
    ("en", "as good as «Второй сад» on every criterion"),
])
def test_reference_why_in_the_page_language(app, lang, expected):
    a, b = rec("a", status="in_operation", start_year=2018), rec("b", status="in_operation", start_year=2018)
    _, why, reasons = reference_choice([a, b], {})
    with app.test_request_context(f"/?lang={lang}"):
        text = explain.reference_why({"id": "a", "why": why, "reasons": reasons}, {"b": "Второй сад"})
    assert expected in text
    if lang == "ru":
        assert "в эксплуатации с 2018 года" in text


def test_terms_in_russian_and_old_results_fall_back_to_english(app):
    with app.test_request_context("/?lang=ru"):
        assert explain.term_text(cost_term(rec("q"), None, 0.15).to_dict()) == \
            "стоимость неизвестна: нейтральное значение 0,5"
        text = explain.term_text(demand_term([], 0, 0.4).to_dict())
        assert text.startswith("других регионов, где похожая система построена или планируется: 0")
        assert explain.term_text({"explanation": "reused by 2 regions"}) == "reused by 2 regions"
        assert explain.reference_why({"why": "oldest, reused"}) == "oldest, reused"


def _errors(records):
    resolver = make_resolver([{"code": "RU-TA", "name_en": "Republic of Tatarstan", "name_ru": "Республика Татарстан",
                               "federal_district": "volga", "group": "leading"}])
    _, errors = validate(ParseResult(format="csv", projects=list(enumerate(records, 2))), resolver)
    return errors


def test_record_errors_carry_codes_and_read_in_russian(app):
    errors = _errors([{"title": "Сад", "region": "Курганская обл.", "industries": ["education"]},
                      {"id": "b", "title": "x" * 600, "region": "RU-TA", "industries": ["детство"], "status": "soon"}])
    by_code = {e.code: e for e in errors}
    assert {"missing", "unknown_region", "string_too_long", "unknown_code", "literal_error"} <= set(by_code)
    assert str(by_code["missing"]) == "row 2, id: field required"  # the CLI and the API keep English
    assert by_code["unknown_region"].to_dict()["params"] == {"region": "Курганская обл."}
    with app.test_request_context("/?lang=ru"):
        texts = {code: messages.record_error_text(e.to_dict() | {"text": str(e)}) for code, e in by_code.items()}
    assert texts["missing"] == "строка 2, идентификатор: обязательное поле: заполните его"
    assert texts["unknown_region"].startswith("строка 2, регион: неизвестный регион «Курганская обл.»")
    assert texts["string_too_long"] == "строка 3, название: слишком длинно: не более 500 символов"
    assert "неизвестное значение «детство»; допустимые: Здравоохранение («healthcare»)" in texts["unknown_code"]
    assert "недопустимое значение «soon»; допустимые: Планируется («planned»)" in texts["literal_error"]
    with app.test_request_context("/?lang=en"):
        assert messages.record_error_text(by_code["missing"]) == "row 2, id: field required"


def test_field_labels(app):
    with app.test_request_context("/?lang=ru"):
        assert messages.field_label("indicators[0].target") == "показатели № 1, целевое значение"
        assert messages.field_label("cost.capex") == "стоимость, капитальные затраты"
        assert messages.field_label("colour") == "colour"
