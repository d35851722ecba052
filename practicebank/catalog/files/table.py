"""A project as one spreadsheet row and back: the columns, their kinds and cell conversion.

Both CSV and XLSX go through here. CSV cells are always text; XLSX cells may already be
numbers, booleans or dates, so every conversion accepts either.
"""
from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any, Iterable, Literal

from practicebank.catalog.files.cells import join_list, neutralise, parse_number, split_list, unneutralise
from practicebank.catalog.files.model import FileError

Kind = Literal["text", "list", "int", "number", "json", "bool"]

# Every field of the SPEC record, in SPEC order; nested objects flattened one level.
COLUMNS: dict[str, Kind] = {
    "id": "text",
    "title": "text",
    "summary": "text",
    "description": "text",
    "features": "list",
    "region": "text",
    "industries": "list",
    "technologies": "list",
    "status": "text",
    "start_year": "int",
    "end_year": "int",
    "cost.capex": "number",
    "cost.opex_per_year": "number",
    "funding.regional": "number",
    "funding.federal": "number",
    "funding.local": "number",
    "funding.extrabudgetary": "number",
    "indicators": "json",
    "owner": "text",
    "vendor": "text",
    "contact": "text",
    "license": "text",
    "based_on": "list",
    "sources": "json",
    "synthetic": "bool",
    "language": "text",
}
# translations.<lang>.<field>: the record's texts in each other language, one column a field.
for _lang in ("ru", "en"):
    COLUMNS.update({
        f"translations.{_lang}.title": "text",
        f"translations.{_lang}.summary": "text",
        f"translations.{_lang}.description": "text",
        f"translations.{_lang}.features": "list",
        f"translations.{_lang}.translated": "bool",
    })

# Top-level fields of a project, in SPEC order (what every writer emits).
PROJECT_FIELDS: tuple[str, ...] = tuple(dict.fromkeys(c.split(".")[0] for c in COLUMNS))
NESTED_FIELDS: dict[str, tuple[str, ...]] = {
    "cost": ("capex", "opex_per_year"),
    "funding": ("regional", "federal", "local", "extrabudgetary"),
}
REGION_COLUMNS: dict[str, Kind] = {
    "code": "text",
    "name_en": "text",
    "name_ru": "text",
    "federal_district": "text",
    "group": "text",
}


class CellError(ValueError):
    """A cell that cannot be decoded; becomes a RecordError naming its column."""


# --- export ----------------------------------------------------------------------------

def project_to_row(project: dict[str, Any], *, native: bool = False) -> list[Any]:
    """The cells of a project in ``COLUMNS`` order; None for an empty cell.

    ``native`` keeps numbers and booleans as such (XLSX); otherwise every cell is text (CSV).
    """
    return [_export_cell(_lookup(project, column), kind, native) for column, kind in COLUMNS.items()]


def region_to_row(region: dict[str, Any]) -> list[Any]:
    return [_export_cell(region.get(column), "text", True) for column in REGION_COLUMNS]


def _lookup(record: dict[str, Any], column: str) -> Any:
    value: Any = record
    for part in column.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _export_cell(value: Any, kind: Kind, native: bool) -> Any:
    if value is None or value == [] or value == "":
        return None
    if kind == "list":
        return neutralise(join_list([str(v) for v in value]))
    if kind == "json":
        return neutralise(json.dumps(value, ensure_ascii=False, allow_nan=False))
    if kind == "bool":
        return bool(value) if native else ("true" if value else "false")
    if kind in ("int", "number") and isinstance(value, (int, float)) and not isinstance(value, bool):
        return value if native and _exact_in_xlsx(value) else repr(value)
    return neutralise(str(value))


def _exact_in_xlsx(value: int | float) -> bool:
    # openpyxl writes numbers with 16 significant digits; 0.1 + 0.2 would come back as 0.3.
    # Such a number goes out as text, which import reads as the exact number.
    if isinstance(value, int):
        return abs(value) < 10**15
    return math.isfinite(value) and float("%.16g" % value) == value


# --- import ----------------------------------------------------------------------------

def read_header(cells: Iterable[Any], known: dict[str, Kind]) -> list[str | None]:
    """Column names of a header row, checked; None marks a column without a header."""
    names: list[str | None] = []
    for cell in cells:
        name = _plain(cell).strip().lower() or None
        if name is not None and name not in known:
            raise FileError(f"unknown column {name!r} in the header row; known columns: {', '.join(known)}",
                            code="unknown_column", params={"column": name})
        if name is not None and name in names:
            raise FileError(f"column {name!r} appears twice in the header row", code="column_twice",
                            params={"column": name})
        names.append(name)
    while names and names[-1] is None:
        names.pop()
    return names


def row_to_record(header: list[str | None], cells: Iterable[Any], kinds: dict[str, Kind]) -> tuple[dict[str, Any], list[tuple[str | None, str]]]:
    """A record from one row, and the ``(column, reason)`` of every cell that failed."""
    record: dict[str, Any] = {}
    problems: list[tuple[str | None, str]] = []
    for index, cell in enumerate(cells):
        if _is_empty(cell):
            continue
        if index >= len(header) or header[index] is None:
            problems.append((None, f"a value in column {index + 1}, which has no header"))
            continue
        column = header[index]
        try:
            _store(record, column, import_cell(cell, kinds[column]))
        except CellError as error:
            problems.append((column, str(error)))
    return record, problems


def is_blank_row(cells: Iterable[Any]) -> bool:
    return all(_is_empty(cell) for cell in cells)


def _is_empty(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _store(record: dict[str, Any], column: str, value: Any) -> None:
    *heads, last = column.split(".")
    for head in heads:
        record = record.setdefault(head, {})
    record[last] = value


def import_cell(cell: Any, kind: Kind) -> Any:
    """The record value of a non-empty cell.

    A value that does not convert is passed on unchanged so that schema validation reports
    it with its usual message ("Input should be a valid integer", ...).
    """
    if isinstance(cell, str):
        cell = unneutralise(cell)
    if kind == "list":
        return split_list(_plain(cell))
    if kind == "json":
        return _json_list(cell)
    if kind in ("int", "number"):
        return _number(cell, kind)
    if kind == "bool":
        return _bool(cell)
    return _plain(cell)


def _plain(cell: Any) -> str:
    """Text of a cell as a person sees it: 2021 not 2021.0, dates in ISO form."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, (dt.date, dt.time)):
        return cell.isoformat()
    return str(cell)


def _number(cell: Any, kind: Kind) -> Any:
    value = parse_number(cell) if isinstance(cell, str) else cell
    if value is None:
        return cell
    if kind == "int" and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _bool(cell: Any) -> Any:
    if isinstance(cell, str) and cell.strip().lower() in ("true", "false"):
        return cell.strip().lower() == "true"
    return cell  # pydantic also takes yes/no/1/0 and reports anything else


def _json_list(cell: Any) -> list[Any]:
    if not isinstance(cell, str):
        raise CellError(f"expected a JSON array of objects, got {_plain(cell)!r}")
    try:
        value = json.loads(cell, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise CellError(f"not valid JSON at character {error.pos + 1}: {error.msg}; expected a JSON array such as "
                        '[{"name": "...", ...}]') from None
    except (ValueError, RecursionError) as error:
        raise CellError(f"not valid JSON: {error}") from None
    if not isinstance(value, list):
        raise CellError("expected a JSON array (in square brackets) of objects")
    return value


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")
