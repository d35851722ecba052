"""/check-plan with a ministry's own file: the page in Russian, the progress steps, the downloads
and the API (the engine replaced by fixed answers, as in test_web_pages)."""
from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest

from tests.helpers import PROJECTS, strategy_appendix
from practicebank.matcher.answers import CheckPlanItem, CheckPlanReport, CheckPlanSummary, Recommendation
from tests.fakes import FakeServices, home, make_app  # noqa: F401  (fixture)


class BudgetServices(FakeServices):
    """Fixed answers that carry each planned project's budget, as the engine's do."""

    def check_plan(self, records, k=5):
        report = super().check_plan(records, k)
        for item, record in zip(report.items, records):
            money = sum((record.get("funding") or {}).values()) or (record.get("cost") or {}).get("capex")
            item.budget = money
            item.results[0].estimated_savings = None if money is None else money * 0.5
        return report


@pytest.fixture
def client(home):  # noqa: F811
    return make_app(home, BudgetServices).test_client()


def upload(client, data: bytes, name: str = "prilozhenie-2.xlsx", url: str = "/check-plan?lang=ru", **fields):
    return client.post(url, data={"file": (io.BytesIO(data), name), **fields}, content_type="multipart/form-data")


def test_a_russian_minister_checks_the_strategy_appendix(client):
    response = upload(client, strategy_appendix())
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    assert "Прочитано 3 проекта" in html and "строки 9–11" in html and "лист «Приложение 2»" in html
    assert "Регион: Рязанская область" in html and "по заголовку файла" in html
    assert "строка с номерами столбцов" in html and "строка «Итого»" in html and "сноски (2)" in html
    assert "1 проект без бюджета: экономия не оценена" in html and "Электронный детский сад" in html
    assert "Электронная регистратура" in html and "(строка 9)" in html
    links = dict((fmt, link) for link, fmt in re.findall(r'href="(/check-plan/report/[^"]+\.(xlsx|csv|json))"', html))
    assert set(links) == {"xlsx", "csv", "json"}

    rows = list(csv.reader(io.StringIO(client.get(links["csv"]).data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Строка", "№ п/п", "Проект плана"]
    assert rows[1][:4] == ["9", "1", "Электронная регистратура", "12500,0"]
    assert ["Проектов без бюджета (экономия не оценена)", "1"] in rows

    book = openpyxl.load_workbook(io.BytesIO(client.get(links["xlsx"]).data))
    assert book.sheetnames == ["Отчёт", "Итоги"]
    assert book["Отчёт"]["C2"].value == "Электронная регистратура" and book["Отчёт"]["D2"].value == 12500.0


def test_errors_are_said_in_russian_with_row_column_and_what_to_fix(client):
    data = "Наименование проекта;Отрасль;Объём финансирования, тыс. руб.\nПортал;Космос;много\n".encode("cp1251")
    response = upload(client, data, "perechen.csv")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Строка 2, столбец «Отрасль»: неизвестная отрасль «Космос»; укажите одну из: Здравоохранение" in html
    assert "Строка 2, столбец «Объём финансирования, тыс. руб.»: «много» — не сумма" in html
    response = upload(client, b"just words", "perechen.csv")
    assert response.status_code == 400 and "не найдена строка заголовков" in response.get_data(as_text=True)


def test_the_region_chosen_on_the_page(client):
    html = upload(client, strategy_appendix(), region="RU-KGN").get_data(as_text=True)
    assert "Регион: Курганская область" in html and "по заголовку файла" not in html


def long_appendix(count: int) -> bytes:
    projects = [(i, f"Проект {i}", None, "запись; учёт", "2024", "ОБ", 100 * i, "Минцифры", "планируется")
                for i in range(1, count + 1)]
    return strategy_appendix([("Государственное управление", projects)])


def test_a_long_file_is_checked_a_few_rows_at_a_time_behind_a_progress_bar(client):
    from practicebank.web.views.portfolio import STEP_ROWS

    count = 2 * STEP_ROWS + 5
    html = upload(client, long_appendix(count), progress="1").get_data(as_text=True)
    assert f"Прочитано {count} проектов" in html and f'<progress id="check-progress" max="{count}"' in html
    step = re.search(r'data-step="([^"]+)"', html).group(1)
    states = [client.post(step).get_json() for _ in range(3)]
    assert [(s["done"], s["complete"]) for s in states] == [(STEP_ROWS, False), (2 * STEP_ROWS, False), (count, True)]
    report = client.get(states[-1]["url"]).get_data(as_text=True)
    assert report.count('class="plan-item"') == count and f"Проект {count}" in report


def test_without_javascript_the_answer_comes_at_once(client):
    html = upload(client, long_appendix(30)).get_data(as_text=True)
    assert "data-step" not in html and html.count('class="plan-item"') == 30


@pytest.mark.parametrize("lang, header", [("ru", "Наименование проекта"), ("en", "Project name")])
def test_the_template_is_linked_and_downloads(client, lang, header):
    assert f"/check-plan/template.{lang}.xlsx" in client.get("/check-plan?lang=ru").get_data(as_text=True)
    response = client.get(f"/check-plan/template.{lang}.xlsx")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).worksheets[0]
    assert header in [c.value for c in sheet[4]]


def test_the_api_reads_the_ministry_file_and_answers_in_english(client):
    data = {"file": (io.BytesIO(strategy_appendix()), "appendix.xlsx")}
    body = client.post("/api/v1/check-plan", data=data, content_type="multipart/form-data").get_json()
    assert [i["title"] for i in body["items"]] == [p[1] for _, group in PROJECTS for p in group]
    assert body["reading"]["region"] == "RU-RYA" and body["items"][0]["row"] == 9
    data = {"file": (io.BytesIO("Project name;Industry\nPortal;Space\n".encode()), "plan.csv")}
    response = client.post("/api/v1/check-plan", data=data, content_type="multipart/form-data")
    body = response.get_json()
    assert response.status_code == 400 and body["errors"][0]["column"] == "Industry"
    assert body["errors"][0]["text"].startswith("row 2, column 'Industry': unknown industry 'Space'")
    data = {"file": (io.BytesIO(strategy_appendix()), "appendix.xlsx")}
    response = client.post("/api/v1/check-plan?format=csv&lang=ru&region=Курганская обл.", data=data,
                           content_type="multipart/form-data")
    assert response.status_code == 200 and "Строка;№ п/п;Проект плана" in response.data.decode("utf-8-sig")


def test_reports_of_slices_merge_into_one():
    from practicebank.web.views.portfolio import merge

    def item(input_id: str, title: str = "") -> CheckPlanItem:
        return CheckPlanItem(input_id, title, None, Recommendation({}, []))

    parts = [CheckPlanReport([item("row-9")], CheckPlanSummary(planned_items=1, planned_cost=10.0, threshold=85,
                                                               without_budget=[])),
             CheckPlanReport([item("row-10"), item("row-11", "Сад")],
                             CheckPlanSummary(planned_items=2, planned_cost=5.5, threshold=85,
                                              without_budget=[{"input_id": "row-11", "title": "Сад"}]))]
    report = merge(parts)
    assert [i.input_id for i in report.items] == ["row-9", "row-10", "row-11"]
    assert report.summary.planned_items == 3 and report.summary.planned_cost == 15.5
    assert report.summary.threshold == 85 and report.summary.without_budget == [
        {"input_id": "row-11", "title": "Сад"}]


def test_a_json_portfolio_beyond_the_limit_is_refused_in_russian(client):
    import json

    from practicebank.catalog import limits

    rows = [{"id": f"p{i}", "title": "Сад", "region": "RU-TA", "industries": ["education"]}
            for i in range(limits.MAX_CHECK_PLAN_ROWS + 1)]
    response = upload(client, json.dumps(rows).encode(), "plan.json")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "за один раз можно проверить не" in html and str(limits.MAX_CHECK_PLAN_ROWS) in html
