"""A Russian minister checks the region's strategy appendix as the ministry has it: the template
link, the upload, the row count and the progress bar, the report with the projects without a
budget, and the XLSX download.

Screenshots (looked at by a person): tests/screenshots/check-plan-progress-ru.png,
check-plan-report-ru.png, check-plan-errors-ru.png.
"""
from __future__ import annotations

import io
import sys
from pathlib import Path

import openpyxl
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.helpers import strategy_appendix  # noqa: E402

pytestmark = pytest.mark.browser


def long_appendix(count: int) -> bytes:
    projects = [(i, f"Электронная запись в детские сады, этап {i}", None,
                 "подача заявления онлайн; отслеживание очереди; уведомления родителям", "2024–2026", "ОБ",
                 "–" if i == 3 else f"{i * 1000}", "Министерство образования", "планируется")
                for i in range(1, count + 1)]
    return strategy_appendix([("Образование", projects)])


def test_check_a_strategy_appendix(new_page, live_app, screenshots, tmp_path):
    page = new_page("ru-RU")
    page.goto("/check-plan")
    assert page.locator("a[href$='template.ru.xlsx']").is_visible()
    file = tmp_path / "prilozhenie-2.xlsx"
    file.write_bytes(long_appendix(25))
    page.set_input_files("#file", str(file))
    page.click("form.check-plan-form button[type=submit]")
    page.wait_for_selector(".reading")
    assert "Прочитано 25 проектов" in page.locator(".reading").inner_text()
    assert "Рязанская область" in page.locator(".reading").inner_text()
    if not live_app.engine_ready:
        assert "practicebank index" in page.content()
        return
    if page.locator(".progress-panel").count():
        page.screenshot(path=screenshots / "check-plan-progress-ru.png")
    page.wait_for_selector("#report-h", timeout=120_000)
    banner = page.locator(".without-budget").inner_text()
    assert "1 проект без бюджета: экономия не оценена" in banner and "этап 3" in banner
    assert page.locator(".plan-item").count() == 25
    page.screenshot(path=screenshots / "check-plan-report-ru.png", full_page=False)
    with page.expect_download() as download:
        page.click("a[href$='.xlsx']:has-text('XLSX')")
    book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert book.sheetnames == ["Отчёт", "Итоги"]


def test_a_file_with_mistakes_says_what_to_fix_in_russian(new_page, screenshots, tmp_path):
    page = new_page("ru-RU")
    page.goto("/check-plan")
    file = tmp_path / "perechen.csv"
    file.write_bytes("Наименование проекта;Отрасль;Объём финансирования, тыс. руб.\nПортал;Космос;много\n"
                     .encode("cp1251"))
    page.set_input_files("#file", str(file))
    page.click("form.check-plan-form button[type=submit]")
    errors = page.locator(".banner-error").inner_text()
    assert "Строка 2, столбец «Отрасль»: неизвестная отрасль «Космос»" in errors
    page.screenshot(path=screenshots / "check-plan-errors-ru.png")
    assert strategy_appendix()  # the fixture builder is importable here too
