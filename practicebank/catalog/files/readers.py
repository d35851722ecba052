"""Reading catalog files into a ParseResult: JSON, JSON Lines, CSV and XLSX."""
from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any, Callable, Iterable, Iterator

from practicebank.catalog.files.cells import ooxml_unescape
from practicebank.catalog.files.model import FileError, Limits, ParseResult, RecordError
from practicebank.catalog.files.table import COLUMNS, REGION_COLUMNS, Kind, is_blank_row, read_header, row_to_record

JSON_KEYS = ("regions", "projects")


def parse(data: bytes, fmt: str, limits: Limits) -> ParseResult:
    check_size(len(data), limits)
    return _READERS[fmt](data, limits)


def check_size(size: int, limits: Limits) -> None:
    if size > limits.max_bytes:
        raise FileError(f"the file is larger than the limit of {_size(limits.max_bytes)}", code="file_too_big",
                        params={"limit_mb": round(limits.max_bytes / 1024 / 1024, 1)})


# --- JSON and JSON Lines ---------------------------------------------------------------

def _read_json(data: bytes, limits: Limits) -> ParseResult:
    document = _load_json(_decode(data))
    if isinstance(document, dict):
        unknown = [key for key in document if key not in JSON_KEYS]
        if unknown:
            raise FileError(f"unknown key {unknown[0]!r} at the top of the file; expected {JSON_KEYS[0]!r} and {JSON_KEYS[1]!r}")
        projects, regions = document.get("projects", []), document.get("regions", [])
    elif isinstance(document, list):
        projects, regions = document, []
    else:
        raise FileError('expected a JSON list of projects or an object {"regions": [...], "projects": [...]}')
    for name, value in (("projects", projects), ("regions", regions)):
        if not isinstance(value, list):
            raise FileError(f"{name!r} must be a JSON list")
    _check_rows(len(projects), limits)
    result = ParseResult("json", regions=_objects_only(regions))
    for number, item in enumerate(projects, start=1):
        _add_object(result, number, item, "record")
    return result


def _read_jsonl(data: bytes, limits: Limits) -> ParseResult:
    result = ParseResult("jsonl")
    # Only "\n" ends a line: str.splitlines would also split at U+2028 inside a string.
    lines = [(n, line) for n, line in enumerate(_decode(data).split("\n"), start=1) if line.strip()]
    _check_rows(len(lines), limits)
    for number, line in lines:
        try:
            item = _load_json(line)
        except FileError as error:
            result.errors.append(RecordError(number, None, error.message, "line"))
            continue
        _add_object(result, number, item, "line")
    return result


def _add_object(result: ParseResult, number: int, item: Any, unit: str) -> None:
    if isinstance(item, dict):
        result.projects.append((number, item))
    else:
        result.errors.append(RecordError(number, None, f"a project must be a JSON object, not {_json_type(item)}", unit))


def _objects_only(regions: list[Any]) -> list[dict[str, Any]]:
    for number, item in enumerate(regions, start=1):
        if not isinstance(item, dict):
            raise FileError(f"region {number} must be a JSON object, not {_json_type(item)}")
    return regions


def _load_json(text: str) -> Any:
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise FileError(f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}",
                        line=error.lineno, column=error.colno, code="invalid_json",
                        params={"line": error.lineno, "column": error.colno}) from None
    except RecursionError:
        raise FileError("invalid JSON: nested too deeply") from None
    except ValueError as error:  # NaN/Infinity, or an integer with thousands of digits
        raise FileError(f"invalid JSON: {error}") from None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _json_type(value: Any) -> str:
    names = {list: "a list", str: "a string", bool: "true/false", int: "a number", float: "a number"}
    return names.get(type(value), "null")


# --- CSV -------------------------------------------------------------------------------

def _read_csv(data: bytes, limits: Limits) -> ParseResult:
    text = _decode(data)
    # csv refuses cells over its field limit (128 kB): allow what a whole upload may hold.
    csv.field_size_limit(max(csv.field_size_limit(), limits.max_bytes))
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        return _read_table(rows, "csv", limits)
    except csv.Error as error:
        raise FileError(f"malformed CSV near row {rows.line_num}: {error}", line=rows.line_num,
                        code="malformed_csv", params={"row": rows.line_num}) from None


def _delimiter(text: str) -> str:
    """Comma, or what Excel writes in locales with a decimal comma (``;``), or tab.

    Column names contain none of these, so the header line tells which one is used.
    """
    header = text.split("\n", 1)[0]
    for candidate in (",", ";", "\t"):
        if candidate in header:
            return candidate
    return ","


# --- XLSX ------------------------------------------------------------------------------

def _read_xlsx(data: bytes, limits: Limits) -> ParseResult:
    _check_zip(data, limits)
    try:
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types on a damaged file
        raise FileError(f"cannot open the XLSX file: {_reason(error)}") from None
    try:
        projects = book["projects"] if "projects" in book.sheetnames else book.worksheets[0]
        result = _read_table(_sheet_rows(projects), "xlsx", limits)
        if "regions" in book.sheetnames:
            result.regions = _read_region_sheet(book["regions"], limits)
        return result
    except FileError:
        raise
    except Exception as error:
        raise FileError(f"cannot read the XLSX file: {_reason(error)}") from None
    finally:
        book.close()


def _check_zip(data: bytes, limits: Limits) -> None:
    """Refuse archives that inflate beyond the limit, before anything is decompressed.

    The declared sizes can be trusted as bounds: zipfile stops reading a member at its
    declared size and fails on a CRC mismatch.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(member.file_size for member in archive.infolist())
    except Exception:  # zipfile raises many types on damaged archives (BadZipFile, NotImplementedError...)
        raise FileError("not an XLSX file (an XLSX file is a zip archive; save the sheet as 'Excel Workbook')",
                        code="not_xlsx") from None
    if total > limits.max_unzipped_bytes:
        raise FileError(f"the XLSX file unpacks to {_size(total)}; the limit is {_size(limits.max_unzipped_bytes)}")


def _sheet_rows(sheet: Any) -> Iterator[tuple[Any, ...]]:
    for row in sheet.iter_rows(values_only=True):
        yield tuple(ooxml_unescape(cell) if isinstance(cell, str) else cell for cell in row)


def _read_region_sheet(sheet: Any, limits: Limits) -> list[dict[str, Any]]:
    regions = []
    for number, record, problems in _table_records(_sheet_rows(sheet), REGION_COLUMNS, limits):
        if problems:
            raise FileError(f"sheet 'regions', row {number}: {problems[0][1]}")
        regions.append(record)
    return regions


# --- tables (CSV and XLSX) -------------------------------------------------------------

def _read_table(rows: Iterable[Any], fmt: str, limits: Limits) -> ParseResult:
    result = ParseResult(fmt)
    for number, record, problems in _table_records(rows, COLUMNS, limits):
        if problems:
            result.errors.extend(RecordError(number, column, reason, "row") for column, reason in problems)
        else:
            result.projects.append((number, record))
    return result


def _table_records(rows: Iterable[Any], kinds: dict[str, Kind], limits: Limits) -> Iterator[tuple[int, dict[str, Any], list[tuple[str | None, str]]]]:
    """``(row number, record, problems)`` for each non-blank row after the header."""
    rows = iter(rows)
    header = read_header(next(rows, ()), kinds)
    count = 0
    for number, cells in enumerate(rows, start=2):
        if is_blank_row(cells):
            continue
        count += 1
        _check_rows(count, limits)
        record, problems = row_to_record(header, cells, kinds)
        yield number, record, problems


# --- shared ----------------------------------------------------------------------------

def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")  # -sig: Excel's "CSV UTF-8" starts with a BOM
    except UnicodeDecodeError as error:
        byte = data[error.start]
        raise FileError(
            f"the file is not UTF-8 text: byte 0x{byte:02x} at offset {error.start} cannot be decoded; "
            "save it as UTF-8 (in Excel: 'CSV UTF-8')", code="not_utf8", params={"offset": error.start}
        ) from None


def _check_rows(count: int, limits: Limits) -> None:
    if count > limits.max_rows:
        raise FileError(f"the file has more than {limits.max_rows} records; the limit is {limits.max_rows}",
                        code="too_many_rows", params={"limit": limits.max_rows})


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n} bytes"


def _reason(error: Exception) -> str:
    return str(error) or type(error).__name__


_READERS: dict[str, Callable[[bytes, Limits], ParseResult]] = {
    "json": _read_json,
    "jsonl": _read_jsonl,
    "csv": _read_csv,
    "xlsx": _read_xlsx,
}
