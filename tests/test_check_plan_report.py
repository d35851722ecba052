"""The check-plan report as files a ministry opens: CSV for Russian Excel and XLSX (web/api/reports.py)."""
from __future__ import annotations

import csv
import io

import openpyxl

from practicebank.matcher.answers import (CheckPlanItem, CheckPlanReport, CheckPlanSummary, Recommendation,
                                          RecommendationItem)
from practicebank.web.api.reports import check_plan_csv, check_plan_xlsx

REGIONS = {"RU-TA": {"code": "RU-TA", "name_ru": "Республика Татарстан", "name_en": "Republic of Tatarstan"},
           "RU-KGN": {"code": "RU-KGN", "name_ru": "Курганская область", "name_en": "Kurgan Oblast"}}


def a_match(**changes) -> RecommendationItem:
    match = RecommendationItem(**{
        "id": "ta-kindergarten", "title": "Электронный детский сад", "region": "RU-TA", "score": 0.84, "overlap": 81.3,
        "estimated_savings": 16500.5, "status": "in_operation",
        "matched_features": [["онлайн-запись", "online enrolment", 0.9]], "missing_features": ["=1+2"],
        "region_group": "leading", "retrieval_score": 0.7, "explanation": {}, **changes})
    match.add_facts({"id": "ta-kindergarten", "synthetic": False})
    return match


def a_report() -> CheckPlanReport:
    def item(input_id: str, title: str, budget: float | None, results: list) -> CheckPlanItem:
        return CheckPlanItem(input_id, title, budget, Recommendation({}, results))

    return CheckPlanReport([
        item("row-9", "=HYPERLINK(\"http://evil\",\"click\")", 20000.0, [a_match()]),
        item("row-10", "@SUM(A1)", None, [a_match(estimated_savings=None)]),
        item("row-11", "+Портал", 500.0, []),
    ], CheckPlanSummary(planned_items=3, planned_cost=20500.0, potential_savings=16500.5, items_with_match=2,
                        items_without_budget=1))


def rows_of(data: bytes, delimiter: str) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM makes Excel read UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))


def test_formula_looking_text_is_neutralised_in_the_csv():
    text = check_plan_csv(a_report()).decode("utf-8-sig")
    for cell in (c for row in csv.reader(io.StringIO(text)) for c in row):
        assert not cell.startswith(("=", "+", "-", "@")), cell
    assert "'=HYPERLINK" in text and "'@SUM(A1)" in text and "'+Портал" in text


def test_the_russian_csv_opens_in_russian_excel():
    rows = rows_of(check_plan_csv(a_report(), lang="ru", regions=REGIONS,
                                  meta={"row-9": {"row": 9, "number": "1"}}), ";")
    header, first = rows[0], rows[1]
    assert "Проект плана" in header and "Возможная экономия, тыс. руб." in header and "Регион системы" in header
    cell = dict(zip(header, first))
    assert cell["Регион системы"] == "Республика Татарстан"
    assert cell["Совпадение функций, %"] == "81,3" and cell["Возможная экономия, тыс. руб."] == "16500,5"
    assert cell["Строка"] == "9" and cell["№ п/п"] == "1"
    assert cell["Проект плана"].startswith("'=")
    text = "\n".join(";".join(r) for r in rows)
    assert "Проектов без бюджета (экономия не оценена);1" in text and "@SUM(A1)" in text


def test_the_xlsx_report_has_the_table_and_the_summary():
    book = openpyxl.load_workbook(io.BytesIO(check_plan_xlsx(a_report(), lang="ru", regions=REGIONS)))
    table, summary = book.worksheets
    header = [c.value for c in table[1]]
    first = dict(zip(header, [c.value for c in table[2]]))
    assert first["Проект плана"].startswith("'=") and first["Регион системы"] == "Республика Татарстан"
    assert first["Возможная экономия, тыс. руб."] == 16500.5  # a number, not text
    values = [[c.value for c in row] for row in summary.iter_rows()]
    assert ["Проектов без бюджета (экономия не оценена)", 1] in values
    assert any(row[0] == "Без бюджета" and row[1] == "'@SUM(A1)" for row in values)
