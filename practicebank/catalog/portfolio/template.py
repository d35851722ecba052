"""The downloadable portfolio template (XLSX), in Russian or English.

The first sheet is the table the reader expects (a title, the header row, numbered empty rows;
industry and status as drop-down lists); the second explains each column with an example.
"""
from __future__ import annotations

import io

from practicebank.catalog import taxonomy
from practicebank.catalog.portfolio.vocabulary import TEMPLATE_COLUMNS

EMPTY_ROWS = 30

TEXT = {
    "ru": {
        "sheet": "Проекты", "help_sheet": "Как заполнить", "lists_sheet": "Списки",
        "title": "Перечень планируемых проектов цифровой трансформации ____________________ (укажите регион)",
        "note": "Заполните по строке на проект. Регион можно не указывать в таблице: он берётся из заголовка "
                "или выбирается на странице проверки.",
        "help_header": ("Столбец", "Что писать", "Пример"),
        "help": {
            "number": ("Порядковый номер (необязательно)", "1"),
            "title": ("Название системы или проекта (обязательно)", "Электронная регистратура"),
            "industry": ("Отрасль из списка; можно несколько через «;»", "Здравоохранение"),
            "features": ("Функции системы: через «;», с новой строки, «–» или «1) 2)»",
                         "запись к врачу; учёт вакцинации; личный кабинет пациента"),
            "period": ("Годы реализации", "2024–2026"),
            "funding_source": ("ФБ, ОБ, МБ, ВБ или словами", "ОБ"),
            "budget": ("Тыс. руб.; «–», если нет; можно по источникам", "ФБ – 15 000,0 / ОБ – 1 578,9"),
            "owner": ("Орган власти или организация", "Министерство здравоохранения"),
            "status": ("Статус из списка", "Планируется"),
            "technologies": ("Сквозные технологии через «;» (необязательно)", "Искусственный интеллект; Большие данные"),
            "region": ("Регион проекта, если в файле несколько регионов", "Рязанская область"),
        },
    },
    "en": {
        "sheet": "Projects", "help_sheet": "How to fill in", "lists_sheet": "Lists",
        "title": "Planned digital transformation projects of ____________________ (name the region)",
        "note": "One row a project. The region may be left out of the table: it is read from the title or "
                "chosen on the check page.",
        "help_header": ("Column", "What to write", "Example"),
        "help": {
            "number": ("Row number (optional)", "1"),
            "title": ("Name of the system or project (required)", "Electronic registry"),
            "industry": ("Industry from the list; several separated by «;»", "Healthcare"),
            "features": ("The system's functions: separated by «;», new lines, «–» or «1) 2)»",
                         "doctor appointments; vaccination records; patient account"),
            "period": ("Years of implementation", "2024–2026"),
            "funding_source": ("Federal, regional, local or extrabudgetary", "Regional"),
            "budget": ("Thousand rubles; «–» if none", "16 578.9"),
            "owner": ("Authority or organisation", "Ministry of Health"),
            "status": ("Status from the list", "Planned"),
            "technologies": ("Technologies separated by «;» (optional)", "Artificial intelligence; Big data"),
            "region": ("The project's region, when the file covers several", "Ryazan Oblast"),
        },
    },
}


def template_xlsx(lang: str = "ru") -> bytes:
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    lang = "ru" if lang == "ru" else "en"
    text = TEXT[lang]
    pick = 1 if lang == "ru" else 0
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = text["sheet"]
    sheet["A1"] = text["title"]
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = text["note"]
    sheet["A2"].font = Font(italic=True)
    header_row = 4
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE7F3")
    for index, (field, ru, en) in enumerate(TEMPLATE_COLUMNS, start=1):
        cell = sheet.cell(header_row, index, ru if lang == "ru" else en)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[cell.column_letter].width = {"title": 36, "features": 48, "owner": 28}.get(field, 16)
    for n in range(1, EMPTY_ROWS + 1):
        sheet.cell(header_row + n, 1, n)
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)

    lists = book.create_sheet(text["lists_sheet"])
    industries = [labels[pick] for labels in taxonomy.INDUSTRIES.values()]
    statuses = [labels[pick] for labels in taxonomy.STATUSES.values()]
    for row, value in enumerate(industries, start=1):
        lists.cell(row, 1, value)
    for row, value in enumerate(statuses, start=1):
        lists.cell(row, 2, value)
    last = header_row + EMPTY_ROWS
    columns = {field: index for index, (field, _, _) in enumerate(TEMPLATE_COLUMNS, start=1)}
    for field, column, count in (("industry", "A", len(industries)), ("status", "B", len(statuses))):
        letter = sheet.cell(1, columns[field]).column_letter
        check = DataValidation(type="list", formula1=f"'{text['lists_sheet']}'!${column}$1:${column}${count}",
                               allow_blank=True, showErrorMessage=False)
        check.add(f"{letter}{header_row + 1}:{letter}{last}")
        sheet.add_data_validation(check)

    help_sheet = book.create_sheet(text["help_sheet"], 1)
    help_sheet.append(list(text["help_header"]))
    for cell in help_sheet[1]:
        cell.font, cell.fill = bold, fill
    for field, ru, en in TEMPLATE_COLUMNS:
        what, example = text["help"][field]
        help_sheet.append([ru if lang == "ru" else en, what, example])
    for letter, width in zip("ABC", (34, 60, 50)):
        help_sheet.column_dimensions[letter].width = width
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()
