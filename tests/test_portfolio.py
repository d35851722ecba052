"""Reading a ministry's draft portfolio as strategy appendices really look (catalog/portfolio).

The fixtures are built with openpyxl the way a ministry's file is: a title and «ПРОЕКТ» above
the table, a two-level merged header, the row of column numbers, industries merged down over
their projects, an «Итого» row and footnotes under it.
"""
from __future__ import annotations

import io

import openpyxl
import pytest

from practicebank.catalog.portfolio import PortfolioError, column_field, read_portfolio
from practicebank.catalog.portfolio.values import parse_amount, parse_period, parse_status, split_functions
from practicebank.catalog.regions import find_region_in_text, shipped_resolver
from tests.helpers import NBSP, PROJECTS, strategy_appendix

def read(data: bytes, fmt: str = "xlsx", **kwargs):
    return read_portfolio(data, fmt, resolve_region=shipped_resolver(), find_region=find_region_in_text, **kwargs)


def test_a_strategy_appendix_reads_as_planned_projects():
    portfolio = read(strategy_appendix())
    assert portfolio.errors == []
    assert portfolio.header_row == 6
    assert [row for row, _ in portfolio.projects] == [9, 10, 11]
    first, second, third = portfolio.records
    assert first["title"] == "Электронная регистратура"
    assert first["features"] == ["запись к врачу через портал", "учёт вакцинации", "личный кабинет пациента"]
    assert first["industries"] == ["healthcare"] and second["industries"] == ["healthcare"]  # merged down
    assert third["industries"] == ["education"]
    assert (first["start_year"], first["end_year"]) == (2022, 2024)
    assert (second["start_year"], second["end_year"]) == (2023, 2024)
    assert first["funding"] == {"regional": 12500.0}
    assert second["funding"] == {"federal": 15000.0, "regional": 1578.9}
    assert "funding" not in third and "cost" not in third  # «–»: no budget, and not zero
    assert [r["status"] for r in portfolio.records] == ["planned", "in_development", "in_development"]
    assert all(r["region"] == "RU-RYA" for r in portfolio.records)  # from the title «…Рязанской области»
    assert portfolio.region_source == "title"
    assert [r["id"] for r in portfolio.records] == ["row-9", "row-10", "row-11"]  # generated
    assert portfolio.meta["row-10"]["number"] == "2" and portfolio.meta["row-10"]["budget"] == 16578.9
    assert [r["title"] for r in portfolio.without_budget] == ["Электронный детский сад"]


def test_what_was_skipped_is_said():
    codes = [n.code for n in read(strategy_appendix()).notes]
    assert "numbers_row" in codes and "total_row" in codes and codes.count("footnote") == 2


def test_the_region_chosen_on_the_page_wins_over_the_title():
    portfolio = read(strategy_appendix(), region="Курганская обл.")
    assert {r["region"] for r in portfolio.records} == {"RU-KGN"} and portfolio.region_source == "chosen"
    with pytest.raises(PortfolioError) as error:
        read(strategy_appendix(), region="Атлантида")
    assert error.value.code == "unknown_region"


def test_a_title_without_a_region_leaves_the_region_open():
    portfolio = read(strategy_appendix(title="Перечень проектов"))
    assert portfolio.region is None and all("region" not in r for r in portfolio.records)


def test_a_group_row_spanning_the_table_sets_the_industry():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Проекты цифровой трансформации Курганской области"])
    sheet.append(["№", "Наименование проекта", "Описание", "Объём финансирования, тыс. руб.", "Статус"])
    sheet.append(["Социальная сфера"])
    sheet.merge_cells("A3:E3")
    sheet.append([1, "Социальный навигатор", "Подбор мер поддержки; заявление онлайн", "2 000", "планируется"])
    sheet.append(["2. Транспорт"])
    sheet.append([2, "Умные остановки", "Табло прибытия", "–", "планируется"])
    stream = io.BytesIO()
    book.save(stream)
    portfolio = read(stream.getvalue())
    assert [(r["title"], r["industries"]) for r in portfolio.records] == [
        ("Социальный навигатор", ["social"]), ("Умные остановки", ["transport"])]
    assert portfolio.records[0]["region"] == "RU-KGN"


def csv_bytes(lines: list[str], encoding: str = "cp1251", sep: str = ";") -> bytes:
    return "\r\n".join(line.replace(";", sep) if sep != ";" else line for line in lines).encode(encoding)


def test_a_russian_excel_csv_in_cp1251_with_semicolons():
    data = csv_bytes([
        "Приложение № 2;;;;",
        "ПРОЕКТ;;;;",
        "№ п/п;Наименование проекта;Направление;Основные функции;Объём финансирования, тыс. руб.;Регион",
        "1;2;3;4;5;6",
        "1;Цифровая поликлиника;Здравоохранение;запись к врачу; 12 500,0;Респ. Татарстан",
        "2;Мобильная поликлиника;;выездные приёмы;1 000;ХМАО",
        "3;Школьный портал;education;электронный дневник;;г. Москва",
        "Итого;;;;13 500,0;",
    ])
    portfolio = read(data, "csv")
    assert portfolio.errors == []
    assert [(r["title"], r["industries"], r["region"]) for r in portfolio.records] == [
        ("Цифровая поликлиника", ["healthcare"], "RU-TA"),
        ("Мобильная поликлиника", ["healthcare"], "RU-KHM"),  # the empty cell repeats the one above
        ("Школьный портал", ["education"], "RU-MOW")]
    assert portfolio.records[0]["cost"] == {"capex": 12500.0}


def test_an_english_utf8_csv_with_commas():
    data = ("\ufeffProject name,Industry,Functions,Period,Budget,Status\n"
            "Kindergarten queue,Education and science,online enrolment; queue position,2024-2025,\"1,500.5\",planned\n"
            ).encode("utf-8")
    portfolio = read(data, "csv")
    record = portfolio.records[0]
    assert record["features"] == ["online enrolment", "queue position"]
    assert record["industries"] == ["education"] and record["cost"] == {"capex": 1500.5}
    assert (record["start_year"], record["end_year"]) == (2024, 2025)


def test_errors_name_the_row_the_column_and_what_to_fix():
    data = csv_bytes([
        "Наименование проекта;Отрасль;Объём финансирования, тыс. руб.;Срок реализации;Статус;Регион",
        "Проект А;Космос;по согласованию;когда-нибудь;отложен;Атлантида",
        ";Здравоохранение;100;2024;планируется;",
    ])
    portfolio = read(data, "csv")
    assert portfolio.records == []
    found = {(e.row, e.column, e.code) for e in portfolio.errors}
    assert found == {
        (2, "Отрасль", "unknown_industry"), (2, "Объём финансирования, тыс. руб.", "not_an_amount"),
        (2, "Срок реализации", "not_a_period"), (2, "Статус", "unknown_status"), (2, "Регион", "unknown_region"),
        (3, "Наименование проекта", "no_title")}
    assert "row 2, column 'Отрасль': unknown industry 'Космос'" in [str(e) for e in portfolio.errors][0] or \
        any(str(e).startswith("row 2, column 'Отрасль': unknown industry 'Космос'") for e in portfolio.errors)


def test_a_file_without_a_table_is_refused_with_the_reason():
    with pytest.raises(PortfolioError) as error:
        read("просто текст\nещё текст\n".encode("utf-8"), "csv")
    assert error.value.code == "no_header"
    with pytest.raises(PortfolioError) as error:
        read(b"PK not really a zip", "xlsx")
    assert error.value.code == "not_xlsx"


@pytest.mark.parametrize("name, field", [
    ("№ п/п", "number"), ("Наименование проекта", "title"), ("Отрасль", "industry"), ("Направление", "industry"),
    ("Описание / основные функции", "features"), ("Срок реализации", "period"),
    ("Источник финансирования", "funding_source"), ("Объём финансирования, тыс. руб.", "budget"),
    ("Ответственный исполнитель", "owner"), ("Статус", "status"), ("Project name", "title"),
    ("Наименование проекта (мероприятия)", "title"), ("Сроки реализации, гг.", "period"), ("Примечание", "ignored"), ("Финансовое обеспечение", None),
])
def test_column_names_in_either_language(name, field):
    assert column_field(name) == field


@pytest.mark.parametrize("text, functions", [
    ("запись; учёт; отчёты", ["запись", "учёт", "отчёты"]),
    ("– запись\n– учёт", ["запись", "учёт"]),
    ("1) запись 2) учёт", ["запись", "учёт"]),
    ("Функции:\n• запись\n• учёт", ["запись", "учёт"]),
])
def test_functions_split_as_people_write_lists(text, functions):
    assert split_functions(text) == functions


def test_amounts_periods_and_statuses_as_written():
    assert parse_amount(f"12{NBSP}500,0") == (12500.0, {})
    assert parse_amount("–") == (None, {})
    assert parse_amount("ФБ – 15 000,0 / ОБ – 1 578,9") == (16578.9, {"federal": 15000.0, "regional": 1578.9})
    assert parse_amount("2024 г. – 1 000,0; 2025 г. – 2 000,0") == (3000.0, {})
    assert parse_amount("1,5 млн руб.") == (1500.0, {}) and parse_amount(2024) == (2024.0, {})
    assert parse_period("2023–2024 гг.") == (2023, 2024) and parse_period("2022-2024") == (2022, 2024)
    assert [parse_status(s) for s in ("ПЛАНИРУЕТСЯ", "в разработке", "Реализуется", "в эксплуатации")] == [
        "planned", "in_development", "in_development", "in_operation"]


@pytest.mark.parametrize("spelling, code", [
    ("Курганская обл.", "RU-KGN"), ("г. Москва", "RU-MOW"), ("ХМАО", "RU-KHM"), ("Респ. Татарстан", "RU-TA"),
    ("Рязанской области", "RU-RYA"), ("Пермского края", "RU-PER"), ("Altai", None),
])
def test_regions_in_common_russian_forms(spelling, code):
    assert shipped_resolver()(spelling) == code


def test_a_title_names_its_region():
    assert find_region_in_text("Стратегия цифровой трансформации Республики Татарстан") == "RU-TA"
    assert find_region_in_text("Приложение № 2 к Стратегии") is None
    assert find_region_in_text("Проекты г. Москвы и Московской области") is None  # two regions: neither


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_template_reads_back_once_filled_in(lang):
    from practicebank.catalog.portfolio.template import template_xlsx

    book = openpyxl.load_workbook(io.BytesIO(template_xlsx(lang)))
    sheet = book.worksheets[0]
    with pytest.raises(PortfolioError) as error:  # as downloaded: a header and numbered empty rows
        read(template_xlsx(lang))
    assert error.value.code == "no_projects"
    sheet["B5"], sheet["C5"], sheet["D5"] = "Электронная регистратура", "Здравоохранение", "запись к врачу; учёт"
    sheet["G5"], sheet["I5"] = "ФБ – 15 000,0 / ОБ – 1 578,9", "Планируется" if lang == "ru" else "Planned"
    stream = io.BytesIO()
    book.save(stream)
    portfolio = read(stream.getvalue(), region="Рязанская область")
    assert portfolio.errors == []
    record = portfolio.records[0]
    assert record["industries"] == ["healthcare"] and record["features"] == ["запись к врачу", "учёт"]
    assert record["funding"] == {"federal": 15000.0, "regional": 1578.9} and record["region"] == "RU-RYA"


def test_the_command_line_names_each_problem_in_english(tmp_path):
    from click.testing import CliRunner

    from practicebank.cli import main

    plan = tmp_path / "perechen.csv"
    plan.write_bytes("Наименование проекта;Отрасль\nПортал;Космос\n".encode("cp1251"))
    result = CliRunner().invoke(main, ["check-plan", str(plan), "--home", str(tmp_path / "home")])
    assert result.exit_code != 0
    assert "row 2, column 'Отрасль': unknown industry 'Космос'" in result.output
    assert "1 problem(s) in" in result.output
    result = CliRunner().invoke(main, ["check-plan", str(plan), "--region", "Атлантида", "--home", str(tmp_path)])
    assert result.exit_code != 0 and "unknown region 'Атлантида'" in result.output


def test_a_file_far_beyond_a_portfolio_is_refused_before_it_is_loaded():
    from practicebank.catalog import limits

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Наименование проекта", "Отрасль"])
    for i in range(limits.MAX_CHECK_PLAN_ROWS * 4 + 200):
        sheet.append([f"Проект {i}", "Здравоохранение"])
    stream = io.BytesIO()
    book.save(stream)
    with pytest.raises(PortfolioError) as error:
        read(stream.getvalue())
    assert error.value.code == "too_many_rows"
    rows = ["Наименование проекта;Отрасль"] + [f"Проект {i};Здравоохранение" for i in range(limits.MAX_CHECK_PLAN_ROWS + 1)]
    with pytest.raises(PortfolioError) as error:
        read("\n".join(rows).encode("utf-8"), "csv")
    assert error.value.code == "too_many_projects"


def test_the_appendix_saved_as_csv_keeps_merged_cells_only_in_their_first_cell():
    lines = [
        "Приложение № 2;;;;;;;;",
        "к Стратегии цифровой трансформации Курганской области;;;;;;;;",
        "ПРОЕКТ;;;;;;;;",
        "№ п/п;Наименование проекта;Отрасль;Описание / основные функции;Срок реализации;Финансовое обеспечение;;"
        "Ответственный исполнитель;Статус",
        ";;;;;Источник;Объём, тыс. руб.;;",
        "1;2;3;4;5;6;7;8;9",
        '1.;Электронная регистратура;Здравоохранение;"– запись к врачу\n– учёт вакцинации";2022–2024;ОБ;12 500,0;'
        "Минздрав;планируется",
        "2.;Телемедицина;;1) видеоконсультации 2) протоколы;2023–2024 гг.;ФБ, ОБ;ФБ – 15 000,0 / ОБ – 1 578,9;"
        "Минздрав;в разработке",
        "Итого;;;;;;29 078,9;;",
        "* ФБ – федеральный бюджет;;;;;;;;",
    ]
    portfolio = read("\r\n".join(lines).encode("cp1251"), "csv")
    assert portfolio.errors == [] and portfolio.region == "RU-KGN"
    assert portfolio.columns["budget"] == "Финансовое обеспечение / Объём, тыс. руб."
    first, second = portfolio.records
    assert first["features"] == ["запись к врачу", "учёт вакцинации"] and first["funding"] == {"regional": 12500.0}
    assert second["industries"] == ["healthcare"] and second["funding"] == {"federal": 15000.0, "regional": 1578.9}


def test_amounts_by_year_add_up_unless_the_row_gives_its_total():
    lines = [
        "Проекты цифровой трансформации ХМАО – Югры",
        "№,Наименование,Направление,Объём финансирования (тыс. руб.),,,,Статус",
        ",,,Всего,2024,2025,2026,",
        '1,Портал,Государственное управление,"3 000,0",1000,1000,1000,реализуется',
        "2,Карта,ЖКХ,,500,500,,планируется",
    ]
    portfolio = read("\n".join(lines).encode("utf-8"), "csv")
    assert [r["cost"] for r in portfolio.records] == [{"capex": 3000.0}, {"capex": 1000.0}]
    assert {r["region"] for r in portfolio.records} == {"RU-KHM"}


def test_numbered_section_rows_name_the_industry_of_their_projects():
    data = csv_bytes([
        "№ п/п;Наименование проекта;Основные функции",
        "1.;Здравоохранение;",
        "1.1;Электронная регистратура;запись к врачу",
        "2.;Образование;",
        "2.1;Электронный дневник;оценки; домашние задания",
    ])
    portfolio = read(data, "csv")
    assert [(r["title"], r["industries"]) for r in portfolio.records] == [
        ("Электронная регистратура", ["healthcare"]), ("Электронный дневник", ["education"])]
    assert portfolio.meta["row-3"]["number"] == "1.1"


def test_the_catalogs_own_csv_export_is_read_too():
    from practicebank.catalog.files import dump_bytes

    record = {"id": "plan-kindergarten", "title": "Kindergarten queue", "region": "RU-TA", "industries": ["education"],
              "features": ["online enrolment", "queue position"], "status": "planned",
              "cost": {"capex": 25000, "opex_per_year": 3000}, "indicators": [{"name": "Queue", "unit": "days"}]}
    portfolio = read(dump_bytes("csv", [record]), "csv")
    assert portfolio.errors == []
    got = portfolio.records[0]
    assert got["id"] == "plan-kindergarten" and got["region"] == "RU-TA" and got["cost"] == {"capex": 25000.0}
    assert got["features"] == ["online enrolment", "queue position"] and got["industries"] == ["education"]


def test_subtotals_between_groups_do_not_end_the_table():
    data = csv_bytes([
        "№;Наименование проекта;Объём финансирования, тыс. руб.",
        ";Здравоохранение;",
        "1;Электронная регистратура;100",
        ";Всего по разделу;100",
        ";Образование;",
        "2;Электронный дневник;200",
        ";Итого;300",
        ";* по данным министерства;",
    ])
    portfolio = read(data, "csv")
    assert [(r["title"], r["industries"]) for r in portfolio.records] == [
        ("Электронная регистратура", ["healthcare"]), ("Электронный дневник", ["education"])]
    assert [n.code for n in portfolio.notes].count("total_row") == 2
