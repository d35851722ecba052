"""The check-plan report as a table: one row per (planned project, matching system).

Two languages, two file kinds:

- English CSV (the API's ``?format=csv``, the default): ``,`` separated, decimal points, codes
  (region codes, status codes): for scripts.
- Russian CSV (the Russian page's download): what Russian Excel opens in columns: ``;``
  separated, decimal commas, UTF-8 with a BOM, Russian headers with units, region names; the
  summary follows the table, projects without a budget counted and named.
- XLSX in either language: the table on one sheet (numbers as numbers), the summary on another.

Text cells starting with ``= + - @`` (a formula to a spreadsheet) are neutralised the same way
the catalog export does it (``catalog.files.cells.neutralise``).
"""
from __future__ import annotations

import csv
import io
from typing import Any

from practicebank.catalog.files.cells import neutralise
from practicebank.catalog.taxonomy import STATUSES
from practicebank.matcher.answers import CheckPlanItem, CheckPlanReport, RecommendationItem

# (key, English header, Russian header); the English headers are the API's stable column names
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("input_id", "input_id", "Идентификатор проекта"),
    ("input_title", "input_title", "Проект плана"),
    ("rank", "rank", "Место"),
    ("match_id", "match_id", "Идентификатор системы"),
    ("match_title", "match_title", "Система для повторного использования"),
    ("match_region", "match_region", "Регион системы"),
    ("overlap", "overlap", "Совпадение функций, %"),
    ("score", "score", "Рейтинг соответствия (0–1)"),
    ("estimated_savings", "estimated_savings", "Возможная экономия, тыс. руб."),
    ("synthetic", "synthetic", "Демонстрационная запись"),
    ("matched_features", "matched_features", "Совпавшие функции"),
    ("missing_features", "missing_features", "Недостающие функции"),
    ("budget", "budget", "Бюджет проекта плана, тыс. руб."),
    ("match_status", "match_status", "Статус системы"),
    ("input_row", "input_row", "Строка"),
    ("input_number", "input_number", "№ п/п"),
)
# the Russian table leads with where the project is in the minister's own file
RU_ORDER = ("input_row", "input_number", "input_title", "budget", "rank", "match_title", "match_region",
            "match_status", "overlap", "estimated_savings", "score", "matched_features", "missing_features",
            "synthetic", "match_id", "input_id")
NUMBERS = {"overlap": 1, "score": 2, "estimated_savings": 1, "budget": 1}

SUMMARY: tuple[tuple[str, str, str], ...] = (
    ("planned_items", "Planned projects", "Проектов в плане"),
    ("items_with_match", "Projects with a reusable system", "Проектов с подходящей системой"),
    ("planned_cost", "Planned cost, thousand rubles", "Плановая стоимость, тыс. руб."),
    ("potential_savings", "Potential savings, thousand rubles", "Возможная экономия, тыс. руб."),
    ("without_budget", "Projects without a budget (savings not estimated)",
     "Проектов без бюджета (экономия не оценена)"),
)
WITHOUT_BUDGET_ROW = ("Without a budget", "Без бюджета")
SHEETS = {"en": ("Report", "Summary"), "ru": ("Отчёт", "Итоги")}
NO_DATA = {"en": "no data", "ru": "нет данных"}


def without_budget(report: CheckPlanReport) -> list[CheckPlanItem]:
    """The planned projects that give no budget: their savings cannot be estimated."""
    return report.without_budget


def summary_figures(report: CheckPlanReport) -> dict[str, Any]:
    s = report.summary
    planned_items = len(report.items) if s.planned_items is None else s.planned_items
    return {"planned_items": planned_items, "items_with_match": s.items_with_match,
            "planned_cost": s.planned_cost, "potential_savings": s.potential_savings,
            "without_budget": len(report.without_budget)}


def table(report: CheckPlanReport, lang: str = "en", regions: dict[str, dict] | None = None,
          meta: dict[str, dict] | None = None) -> tuple[list[str], list[list[Any]]]:
    """Headers and rows of typed values (numbers stay numbers, text is neutralised)."""
    ru = lang == "ru"
    keys = list(RU_ORDER) if ru else [key for key, _, _ in COLUMNS]
    names = {key: (name_ru if ru else name_en) for key, name_en, name_ru in COLUMNS}
    rows = []
    for item in report.items:
        info = (meta or {}).get(item.input_id, {})
        planned = {"input_id": item.input_id, "input_title": item.title, "input_row": info.get("row"),
                   "input_number": info.get("number"), "budget": item.budget}
        for rank, result in enumerate(item.results or [None], 1):
            values = {**planned, **(_match_cells(result, rank, regions, ru) if result else {})}
            rows.append([_cell(values.get(key)) for key in keys])
    return [names[key] for key in keys], rows


def _match_cells(result: RecommendationItem, rank: int, regions: dict[str, dict] | None, ru: bool) -> dict[str, Any]:
    d = result.to_dict()  # the figures rounded as the JSON report has them
    return {"rank": rank, "match_id": result.id, "match_title": result.title,
            "match_region": _region(result.region, regions, ru), "match_status": _status(result.status, ru),
            "overlap": d["overlap"], "score": d["score"], "estimated_savings": result.estimated_savings,
            "synthetic": _flag(result.synthetic if result.facts is not None else None, ru),
            "matched_features": "; ".join(f"{pair[0]} {'≈' if ru else '='} {pair[1]}"
                                          for pair in result.matched_features or [] if len(pair) >= 2),
            "missing_features": "; ".join(result.missing_features or [])}


def summary_rows(report: CheckPlanReport, lang: str = "en") -> list[list[Any]]:
    ru = lang == "ru"
    figures = summary_figures(report)
    rows: list[list[Any]] = [[name_ru if ru else name_en, figures[key]] for key, name_en, name_ru in SUMMARY]
    label = WITHOUT_BUDGET_ROW[1 if ru else 0]
    rows += [[label, _cell(item.title)] for item in report.without_budget]
    return rows


def check_plan_csv(report: CheckPlanReport, lang: str = "en", regions: dict[str, dict] | None = None,
                   meta: dict[str, dict] | None = None) -> bytes:
    ru = lang == "ru"
    header, rows = table(report, lang, regions, meta)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";" if ru else ",", lineterminator="\r\n")
    writer.writerow(header)
    keys = list(RU_ORDER) if ru else [key for key, _, _ in COLUMNS]
    for row in rows:
        writer.writerow([_csv_value(value, key, ru) for key, value in zip(keys, row)])
    if ru:
        writer.writerow([])
        for name, value in summary_rows(report, lang):
            writer.writerow([name, _csv_value(value, "estimated_savings", ru) if isinstance(value, float) else value])
    return buffer.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def check_plan_xlsx(report: CheckPlanReport, lang: str = "en", regions: dict[str, dict] | None = None,
                    meta: dict[str, dict] | None = None) -> bytes:
    import openpyxl
    from openpyxl.styles import Alignment, Font

    header, rows = table(report, lang, regions, meta)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title, summary_title = SHEETS["ru" if lang == "ru" else "en"]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font, cell.alignment = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(row)
    keys = list(RU_ORDER) if lang == "ru" else [key for key, _, _ in COLUMNS]
    for index, key in enumerate(keys, start=1):
        letter = sheet.cell(1, index).column_letter
        sheet.column_dimensions[letter].width = {"input_title": 40, "match_title": 40, "matched_features": 60,
                                                 "missing_features": 40}.get(key, 16)
        if key in NUMBERS:
            for cell in sheet[letter][1:]:
                cell.number_format = "#,##0.0" if NUMBERS[key] == 1 else "0.00"
    sheet.freeze_panes = "A2"
    summary = book.create_sheet(summary_title)
    for row in summary_rows(report, lang):
        summary.append(row)
    summary.column_dimensions["A"].width, summary.column_dimensions["B"].width = 48, 60
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def _cell(value: Any) -> Any:
    return neutralise(value) if isinstance(value, str) else value


def _csv_value(value: Any, key: str, ru: bool) -> Any:
    if value is None:
        return ""
    if isinstance(value, float) and ru:
        return f"{value:.{NUMBERS.get(key, 1)}f}".replace(".", ",")
    return value


def _region(code: str | None, regions: dict[str, dict] | None, ru: bool) -> str | None:
    if not code or not regions or code not in regions:
        return code
    region = regions[code]
    return (region.get("name_ru") or code) if ru else code  # English keeps the code: for scripts


def _status(code: str | None, ru: bool) -> str | None:
    if not code:
        return None
    return STATUSES.get(code, (code, code))[1] if ru else code


def _flag(value: Any, ru: bool) -> str:
    if value is None:
        return ""
    return ("да" if value else "нет") if ru else ("true" if value else "false")
