"""A ministry's portfolio spreadsheet (XLSX or CSV) as planned project records.

The table may sit anywhere on the sheet: the header row is the first row whose cells name at
least two known columns, one of them the project name. Above it: the document's title,
«Приложение № 2 к Стратегии…», «ПРОЕКТ». Below the header there may be a second header row
under merged cells («Финансовое обеспечение» over «Источник» and «Объём, тыс. руб.»), a row of
column numbers «1 2 3 …», group rows naming an industry over the projects below them, an
«Итого» row and footnotes; all are recognised and skipped. Merged cells count for every cell
they cover (an industry merged down over a group of projects), and in a CSV an empty
industry cell repeats the one above.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from practicebank.catalog import limits
from practicebank.catalog.files.cells import ooxml_unescape
from practicebank.catalog.portfolio.values import (BadValue, industry_of_heading, parse_amount, parse_industries,
                                      parse_period, parse_sources, parse_status, parse_technologies, parse_year,
                                      split_functions, text_of)
from practicebank.catalog.portfolio.vocabulary import (COLUMNS, FOOTNOTE_WORDS, STEMS, TOTAL_WORDS, UNITS, normalise)
from practicebank.catalog.schema import ID_PATTERN
from practicebank.errors import InvalidValue

MAX_BYTES = 20 * 1024 * 1024
# a strategy appendix of 500 projects unpacks to a few MB; the whole workbook is loaded (merged
# cells need it), so the bound is lower than the catalog import's streaming 100 MB
MAX_UNZIPPED_BYTES = 20 * 1024 * 1024
MAX_SHEET_ROWS = limits.MAX_CHECK_PLAN_ROWS * 4 + 100  # the projects, group rows, titles and notes
HEADER_SEARCH_ROWS = 40
MONEY_FIELDS = ("budget", "funding.federal", "funding.regional", "funding.local", "funding.extrabudgetary")


@dataclass(frozen=True)
class Issue:
    """One problem (or one thing skipped) in a portfolio file: where, a code, its parameters and
    the English sentence (``template % params``); pages translate the template."""

    row: int | None
    column: str | None
    code: str
    template: str
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def message(self) -> str:
        return self.template % self.params

    def __str__(self) -> str:
        where = ", ".join(p for p in (f"row {self.row}" if self.row else "", f"column {self.column!r}"
                                      if self.column else "") if p)
        return f"{where}: {self.message}" if where else self.message

    def to_dict(self) -> dict[str, Any]:
        # "field": what the column holds (region, budget…), as the catalog import's errors name it
        return {"row": self.row, "column": self.column, "field": column_field(self.column) if self.column else None,
                "code": self.code, "params": dict(self.params), "message": self.message, "text": str(self)}


class PortfolioError(InvalidValue):
    """The file as a whole cannot be read as a portfolio (400); the problem is its one item."""

    def __init__(self, code: str, template: str, **params: Any):
        super().__init__(code, template, **params)
        self.issue = Issue(None, None, code, template, params)
        self.errors = (self.issue,)


@dataclass
class Portfolio:
    """Planned projects read from a file, with what was assumed and what is wrong.

    ``projects``: ``(spreadsheet row, record)`` in the catalog's record format (an ``id`` is
    generated where the file has none). ``meta``: by record id, what the report shows beside
    it (row, the file's number «№ п/п», the budget as read). ``errors`` keep the file from
    being checked; ``notes`` say what was skipped or assumed.
    """

    projects: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    meta: dict[str, dict[str, Any]] = field(default_factory=dict)
    errors: list[Issue] = field(default_factory=list)
    notes: list[Issue] = field(default_factory=list)
    heading: str = ""
    header_row: int | None = None
    columns: dict[str, str] = field(default_factory=dict)
    region: str | None = None
    region_source: str | None = None  # "chosen", "title" or None
    sheet: str | None = None

    @property
    def records(self) -> list[dict[str, Any]]:
        return [record for _, record in self.projects]

    @property
    def without_budget(self) -> list[dict[str, Any]]:
        return [r for r in self.records if self.meta.get(r["id"], {}).get("budget") is None]

    def summary(self) -> dict[str, Any]:
        """What the page says before the report: how much was read and from where."""
        rows = [n for n, _ in self.projects]
        return {"projects": len(self.projects), "first_row": min(rows, default=None),
                "last_row": max(rows, default=None), "header_row": self.header_row, "sheet": self.sheet,
                "region": self.region, "region_source": self.region_source, "heading": self.heading,
                "columns": dict(self.columns), "without_budget": len(self.without_budget)}


# --- reading a file into a grid of cells -------------------------------------------------------------------

@dataclass
class Grid:
    rows: list[list[Any]]
    merged_across: set[int]  # 0-based rows holding a cell merged over several columns
    sheet: str | None = None


def read_grid(data: bytes, fmt: str) -> Grid:
    if len(data) > MAX_BYTES:
        raise PortfolioError("too_big", "the file is larger than %(limit)s MB", limit=MAX_BYTES // (1024 * 1024))
    if fmt == "xlsx":
        return _xlsx_grid(data)
    if fmt == "csv":
        return _csv_grid(data)
    raise PortfolioError("unknown_format", "a portfolio is read from .xlsx or .csv files, not %(format)s",
                         format=f".{fmt}")


def _xlsx_grid(data: bytes) -> Grid:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(member.file_size for member in archive.infolist())
    except Exception:  # noqa: BLE001 - zipfile raises many types on damaged archives
        raise PortfolioError("not_xlsx", "not an XLSX file; save the sheet as an Excel workbook (.xlsx)") from None
    if total > MAX_UNZIPPED_BYTES:
        raise PortfolioError("too_big", "the file is larger than %(limit)s MB", limit=MAX_UNZIPPED_BYTES // 2**20)
    try:
        import openpyxl

        _check_rows_streaming(data)
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except PortfolioError:
        raise
    except Exception as error:  # noqa: BLE001 - openpyxl raises many types on a damaged file
        raise PortfolioError("not_xlsx", "cannot open the XLSX file (%(reason)s); save it again as .xlsx",
                             reason=str(error) or type(error).__name__) from None
    grids = []
    for sheet in book.worksheets:
        if sheet.max_row > MAX_SHEET_ROWS:
            raise PortfolioError("too_many_rows", "the file has %(rows)s rows; a portfolio is checked "
                                 "%(limit)s projects at a time", rows=sheet.max_row, limit=limits.MAX_CHECK_PLAN_ROWS)
        rows = [[ooxml_unescape(c) if isinstance(c, str) else c for c in row]
                for row in sheet.iter_rows(values_only=True, max_col=min(sheet.max_column, 60))]
        across: set[int] = set()
        for merged in sheet.merged_cells.ranges:
            top = merged.min_row - 1
            if top >= len(rows) or merged.min_col > 60:
                continue
            value = rows[top][merged.min_col - 1]
            if merged.max_col > merged.min_col:
                across.update(range(top, min(merged.max_row, len(rows))))
            for r in range(top, min(merged.max_row, len(rows))):
                for c in range(merged.min_col - 1, min(merged.max_col, len(rows[r]))):
                    rows[r][c] = value
        grids.append(Grid(rows, across, sheet.title))
    book.close()
    # the first sheet holding a table of projects (a template may start with instructions)
    for grid in grids:
        if _find_header(grid.rows) is not None:
            return grid
    return grids[0] if grids else Grid([], set())


def _check_rows_streaming(data: bytes) -> None:
    """Refuse a sheet with too many rows before loading the whole workbook into memory."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for sheet in book.worksheets:
            for count, _ in enumerate(sheet.iter_rows(values_only=True), start=1):
                if count > MAX_SHEET_ROWS:
                    raise PortfolioError("too_many_rows", "the file has %(rows)s rows; a portfolio is checked "
                                         "%(limit)s projects at a time", rows=f"{MAX_SHEET_ROWS}+",
                                         limit=limits.MAX_CHECK_PLAN_ROWS)
    finally:
        book.close()


def _csv_grid(data: bytes) -> Grid:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1251", errors="replace")  # Excel's "CSV (разделители — запятые)" in Russia
    csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES))
    delimiter = _delimiter(text)
    try:
        rows = [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as error:
        raise PortfolioError("bad_csv", "cannot read the CSV file: %(reason)s", reason=str(error)) from None
    if len(rows) > MAX_SHEET_ROWS:
        raise PortfolioError("too_many_rows", "the file has %(rows)s rows; a portfolio is checked %(limit)s "
                             "projects at a time", rows=len(rows), limit=limits.MAX_CHECK_PLAN_ROWS)
    return Grid(rows, set())


def _delimiter(text: str) -> str:
    """The separator that splits the first lines into the most rows of one width (``;`` in
    Russian Excel, ``,`` elsewhere, or a tab)."""
    sample = "\n".join(text.splitlines()[:60])
    best, best_score = ";", -1
    for candidate in (";", ",", "\t"):
        try:
            widths = [len(r) for r in csv.reader(io.StringIO(sample), delimiter=candidate) if len(r) > 1]
        except csv.Error:
            continue
        if not widths:
            continue
        mode = max(set(widths), key=widths.count)
        score = widths.count(mode) * mode
        if score > best_score:
            best, best_score = candidate, score
    return best


# --- the header ---------------------------------------------------------------------------------------------

def column_field(name: Any) -> str | None:
    """The field a column name means («Объём финансирования, тыс. руб.» -> ``budget``), else None."""
    key = normalise(text_of(name))
    if not key or len(key) > 200:
        return None
    for candidate in (key, _without_units(key)):
        for field_name, spellings in COLUMNS.items():
            if candidate in spellings:
                return field_name
    words = key.split()
    for field_name, stem in STEMS:
        parts = stem.split()
        for i in range(len(words) - len(parts) + 1):
            if all(w.startswith(p) for w, p in zip(words[i:], parts)):
                return field_name
    return None


def _without_units(key: str) -> str:
    key = re.sub(r"\b(тыс|млн|млрд)\b.*$", "", key)
    return re.sub(r"\b(thousand|million|rubles|rub|руб|рублей|гг|г)\b", "", key).strip()


def _unit(name: str) -> float:
    key = normalise(name)
    for words, multiplier in UNITS:
        if words in key:
            return multiplier
    return 1.0


def _row_fields(cells: list[Any]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        if isinstance(cell, str):
            name = column_field(cell)
            if name and name != "ignored" and name not in found:
                found[name] = index
    return found


def _find_header(rows: list[list[Any]]) -> int | None:
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = _row_fields(cells)
        if "title" in found and len(found) >= 2:
            return index
    return None


@dataclass
class Column:
    index: int
    field: str
    name: str  # as the file writes it ("Финансовое обеспечение / Объём, тыс. руб.")
    multiplier: float = 1.0
    total: bool = False  # «Всего» among several amount columns


def _columns(rows: list[list[Any]], header: int, merged_across: set[int]) -> tuple[list[Column], int, list[str]]:
    """The columns, the index of the first row after the header, and the names of ignored columns."""
    top = [text_of(c) for c in rows[header]]
    below = [text_of(c) for c in rows[header + 1]] if header + 1 < len(rows) else []
    two_levels = _is_subheader(top, below, rows[header + 1] if below else [], header in merged_across)
    width = max(len(top), len(below) if two_levels else 0)
    top += [""] * (width - len(top))
    if two_levels:
        below += [""] * (width - len(below))
        # a CSV writes a merged cell once: its text counts for the empty cells to its right that have a sub-name
        for i in range(1, width):
            if not top[i] and below[i]:
                top[i] = top[i - 1]
    columns: list[Column] = []
    ignored: list[str] = []
    for i in range(width):
        parent, child = top[i], below[i] if two_levels else ""
        sub = child if child and child != parent else ""
        if not parent and not sub:
            continue
        name = f"{parent} / {sub}" if sub and parent else (sub or parent)
        field_name = column_field(sub) if sub else column_field(parent)
        if sub and field_name is None:
            # amounts by year under «Объём финансирования» are summed; otherwise the group's name says it
            field_name = column_field(parent)
        if field_name in (None, "ignored"):
            ignored.append(name)
            continue
        columns.append(Column(i, field_name, name, _unit(f"{parent} {sub}")))
    budgets = [c for c in columns if c.field == "budget"]
    for column in budgets:  # «Всего» beside amounts by year: a row's total, when it gives one, wins
        column.total = len(budgets) > 1 and normalise(column.name).split()[-1:] in (["всего"], ["итого"], ["total"])
    return columns, header + (2 if two_levels else 1), ignored


def _is_subheader(top: list[str], below: list[str], raw: list[Any], merged: bool) -> bool:
    """Is the row under the header a second header row (names under merged cells)?"""
    filled = [(i, t) for i, t in enumerate(below) if t]
    if not filled or _is_numbers_row(raw):
        return False
    title_index = next((i for i, t in enumerate(top) if column_field(t) == "title"), None)
    if title_index is not None and title_index < len(below) and below[title_index] \
            and below[title_index] != top[title_index]:
        return False  # a project's name: this is data
    new = [(i, t) for i, t in filled if i >= len(top) or t != top[i]]
    if not new:
        return bool(merged)
    known = [t for _, t in new if column_field(t) or re.fullmatch(r"(19|20)\d\d( год| г\.?)?", t)]
    return len(known) == len(new) or (merged and len(known) >= 1)


# --- rows ---------------------------------------------------------------------------------------------------

def _is_numbers_row(cells: list[Any]) -> bool:
    """The row of column numbers under a header: «1 2 3 4 …» (numbers or digit strings)."""
    values = []
    for cell in cells:
        text = text_of(cell)
        if not text:
            continue
        if not re.fullmatch(r"\d{1,2}", text):
            return False
        values.append(int(text))
    return len(values) >= 3 and values[0] in (0, 1) and all(b > a for a, b in zip(values, values[1:]))


def _first_text(cells: list[Any]) -> str:
    return next((text_of(c) for c in cells if text_of(c)), "")


def _starts_with(text: str, words: Iterable[str]) -> bool:
    raw = text.strip().casefold()
    key = normalise(text)
    return any(raw.startswith(w) if not w[0].isalnum() else (key == w or key.startswith(w + " ")
               or (len(w) > 5 and key.startswith(w))) for w in words)


def read_portfolio(data: bytes, fmt: str, *, resolve_region: Callable[[str], str | None],
                   find_region: Callable[[str], str | None] | None = None, region: str | None = None) -> Portfolio:
    """Read a portfolio file; ``region`` (any spelling) applies to every row without its own.

    Raises ``PortfolioError`` when the file as a whole cannot be read; problems of single rows
    come back in ``Portfolio.errors``.
    """
    grid = read_grid(data, fmt.lower().lstrip("."))
    result = Portfolio(sheet=grid.sheet)
    if region:
        result.region = resolve_region(region)
        if result.region is None:
            raise PortfolioError("unknown_region", "unknown region %(region)r; choose one of the list", region=region)
        result.region_source = "chosen"
    rows = grid.rows
    header = _find_header(rows)
    if header is None:
        raise PortfolioError(
            "no_header", "no header row found in the first %(rows)s rows: the table needs a column of project names "
            "(«Наименование проекта» or «Project name») and at least one more known column (download the template)",
            rows=HEADER_SEARCH_ROWS)
    result.header_row = header + 1
    result.heading = "\n".join(t for t in dict.fromkeys(_first_text(r) for r in rows[:header]) if t)
    if result.region is None and find_region is not None and result.heading:
        result.region = find_region(result.heading)
        result.region_source = "title" if result.region else None
    columns, first, ignored = _columns(rows, header, grid.merged_across)
    by_field: dict[str, list[Column]] = {}
    for column in columns:
        by_field.setdefault(column.field, []).append(column)
    result.columns = {name: cols[0].name for name, cols in by_field.items()}
    for name in ignored:
        result.notes.append(Issue(None, name, "column_ignored", "column not used by the check"))
    _read_rows(rows, first, by_field, result, resolve_region)
    if len(result.projects) > limits.MAX_CHECK_PLAN_ROWS:
        raise PortfolioError("too_many_projects", "the file lists %(count)s projects; check at most %(limit)s at a "
                             "time (split the file)", count=len(result.projects), limit=limits.MAX_CHECK_PLAN_ROWS)
    if not result.projects and not result.errors:
        raise PortfolioError("no_projects", "the table under the header row (row %(row)s) lists no projects",
                             row=result.header_row)
    return result


def _read_rows(rows: list[list[Any]], first: int, by_field: dict[str, list[Column]], result: Portfolio,
               resolve_region: Callable[[str], str | None]) -> None:
    number_col = by_field.get("number", [None])[0]
    title_col = by_field["title"][0]
    industry_col = by_field.get("industry", [None])[0]
    group_industry: str | None = None
    last_industry_cell: Any = None
    after_total = False
    seen_ids: set[str] = set()
    for index in range(first, len(rows)):
        cells = rows[index]
        row = index + 1
        texts = [text_of(c) for c in cells]
        filled = [(i, t) for i, t in enumerate(texts) if t]
        if not filled:
            continue
        if _is_numbers_row(cells):
            result.notes.append(Issue(row, None, "numbers_row", "the row of column numbers: skipped"))
            continue
        first_text = filled[0][1]
        if _starts_with(first_text, TOTAL_WORDS):
            after_total = True
            result.notes.append(Issue(row, None, "total_row", "a total row: skipped"))
            continue
        if _starts_with(first_text, FOOTNOTE_WORDS):
            result.notes.append(Issue(row, None, "footnote", "a footnote: skipped"))
            continue
        # a group row may carry a section number («1», «2.») beside its heading
        content = [(i, t) for i, t in filled
                   if number_col is None or i != number_col.index or re.search(r"[^\W\d_]{3}", t)]
        distinct = {t for _, t in content}
        title = texts[title_col.index] if title_col.index < len(texts) else ""
        if len(distinct) == 1:
            only_title = len(content) == 1 and content[0][0] == title_col.index
            heading = industry_of_heading(content[0][1])  # also after a group's subtotal
            if heading:
                group_industry, last_industry_cell = heading, None
                result.notes.append(Issue(row, None, "group_row", "a group row: industry %(industry)s for the "
                                          "projects below", {"industry": heading}))
                continue
            if after_total or not only_title:
                result.notes.append(Issue(row, None, "note_row", "a row that names no project: skipped"))
                continue
        if after_total and not title:
            result.notes.append(Issue(row, None, "footnote", "a footnote: skipped"))
            continue
        if number_col is not None and all(i == number_col.index for i, _ in filled):
            continue  # a numbered empty row of a template
        if not title:
            result.errors.append(Issue(row, title_col.name, "no_title",
                                       "the project has no name; write it in this column"))
            continue
        if industry_col is not None:
            cell = cells[industry_col.index] if industry_col.index < len(cells) else None
            if text_of(cell):
                last_industry_cell = cell
            elif last_industry_cell is not None:
                cell = last_industry_cell  # merged down over a group (a CSV keeps only the first)
        else:
            cell = None
        record, meta, problems = _record(cells, row, by_field, cell, group_industry, result.region, resolve_region)
        result.errors.extend(problems)
        if problems:
            continue
        record_id = record.get("id")
        if not record_id or record_id in seen_ids:
            record_id = record["id"] = f"row-{row}"
        seen_ids.add(record_id)
        after_total = False  # that «Всего» was a group's subtotal
        result.projects.append((row, record))
        result.meta[record_id] = meta


def _cell(cells: list[Any], column: Column | None) -> Any:
    if column is None or column.index >= len(cells):
        return None
    value = cells[column.index]
    return None if isinstance(value, str) and not value.strip() else value


def _record(cells: list[Any], row: int, by_field: dict[str, list[Column]], industry_cell: Any,
            group_industry: str | None, region: str | None, resolve_region: Callable[[str], str | None]
            ) -> tuple[dict[str, Any], dict[str, Any], list[Issue]]:
    record: dict[str, Any] = {"status": "planned"}
    problems: list[Issue] = []

    def col(name: str) -> Column | None:
        return by_field.get(name, [None])[0]

    def attempt(column: Column | None, parse: Callable[[Any], Any], value: Any = None) -> Any:
        cell = _cell(cells, column) if value is None else value
        if cell is None:
            return None
        try:
            return parse(cell)
        except BadValue as error:
            problems.append(Issue(row, column.name if column else None, error.code, error.template, error.params))
            return None

    title = text_of(_cell(cells, col("title")))
    record["title"] = " ".join(title.split())
    if len(record["title"]) > limits.MAX_PLAN_TITLE_CHARS:
        problems.append(Issue(row, col("title").name, "too_long", "%(length)s characters; at most %(limit)s",
                              {"length": len(record["title"]), "limit": limits.MAX_PLAN_TITLE_CHARS}))
    given_id = text_of(_cell(cells, col("id")))
    if given_id and ID_PATTERN.match(given_id):
        record["id"] = given_id
    features: list[str] = []
    for name in ("features", "description"):
        column = col(name)
        text = text_of(_cell(cells, column))
        if not text:
            continue
        if len(text) > limits.MAX_PLAN_TEXT_CHARS:
            problems.append(Issue(row, column.name, "too_long", "%(length)s characters; at most %(limit)s",
                                  {"length": len(text), "limit": limits.MAX_PLAN_TEXT_CHARS}))
            continue
        items = split_functions(text)
        if name == "features" or len(items) >= 2:
            features += [f for f in items if f not in features]
        if name == "description" or (len(items) < 2 and text not in features):
            record["description"] = text if name == "description" else record.get("description", text)
    if len(features) > limits.MAX_PLAN_FEATURES:
        problems.append(Issue(row, (col("features") or col("description")).name, "too_many_functions",
                              "%(count)s functions; at most %(limit)s a project",
                              {"count": len(features), "limit": limits.MAX_PLAN_FEATURES}))
    if features:
        record["features"] = features
    industries = attempt(col("industry"), parse_industries, industry_cell) if industry_cell is not None else None
    record["industries"] = industries or ([group_industry] if group_industry else [])
    technologies = text_of(_cell(cells, col("technologies")))
    if technologies:
        codes, _unknown = parse_technologies(technologies)
        record["technologies"] = codes
    status = attempt(col("status"), parse_status)
    if status:
        record["status"] = status
    start, end = attempt(col("period"), parse_period) or (None, None)
    start = attempt(col("start_year"), parse_year) or start
    end = attempt(col("end_year"), parse_year) or end
    if start is not None and end is not None and end < start:
        start, end = end, start
    if start is not None:
        record["start_year"] = start
    if end is not None:
        record["end_year"] = end
    owner = text_of(_cell(cells, col("owner")))
    if owner:
        record["owner"] = owner[:limits.MAX_SHORT_TEXT_CHARS]
    own_region = text_of(_cell(cells, col("region")))
    if own_region:
        code = resolve_region(own_region)
        if code is None:
            problems.append(Issue(row, col("region").name, "unknown_region",
                                  "unknown region %(region)r; write the region's name (Курганская область, "
                                  "г. Москва, ХМАО) or its code (RU-KGN)", {"region": own_region}))
        region = code or region
    if region:
        record["region"] = region
    budget, funding = _money(cells, row, by_field, problems)
    if funding:
        record["funding"] = funding
    elif budget is not None:
        sources = attempt(col("funding_source"), parse_sources) or []
        if len(sources) == 1:
            record["funding"] = {sources[0]: budget}
        else:
            record["cost"] = {"capex": budget}
    if budget is not None and budget > limits.MAX_MONEY:
        problems.append(Issue(row, col("budget").name if col("budget") else None, "too_much",
                              "%(value)s thousand rubles is beyond any real project", {"value": budget}))
    meta = {"row": row, "number": text_of(_cell(cells, col("number"))) or None, "budget": budget,
            "source": text_of(_cell(cells, col("funding_source"))) or None}
    return record, meta, problems


def _money(cells: list[Any], row: int, by_field: dict[str, list[Column]], problems: list[Issue]
           ) -> tuple[float | None, dict[str, float]]:
    """The budget in thousand rubles, and its split by source where the file gives one."""
    total: float | None = None
    funding: dict[str, float] = {}
    given_total = [c for c in by_field.get("budget", []) if c.total and _cell(cells, c) is not None]
    for name in MONEY_FIELDS:
        columns = by_field.get(name, [])
        if name == "budget" and given_total:
            columns = given_total[:1]
        for column in columns:
            cell = _cell(cells, column)
            if cell is None:
                continue
            try:
                amount, parts = parse_amount(cell, column.multiplier)
            except BadValue as error:
                problems.append(Issue(row, column.name, error.code, error.template, error.params))
                continue
            if amount is None:
                continue
            if name == "budget":
                total = (total or 0.0) + amount
                for source, value in parts.items():
                    funding[source] = round(funding.get(source, 0.0) + value, 3)
            else:
                source = name.split(".")[1]
                funding[source] = round(funding.get(source, 0.0) + amount, 3)
    if funding and total is None:
        total = round(sum(funding.values()), 3)
    return (round(total, 3) if total is not None else None), funding
