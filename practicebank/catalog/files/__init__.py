"""Reading and writing catalog files, independent of the database.

The format follows from the file name: ``.json``, ``.jsonl``, ``.csv`` or ``.xlsx``.

    >>> result = read_file("portfolio.xlsx")               # doctest: +SKIP
    >>> valid, errors = validate(result, resolve_region)    # doctest: +SKIP
    >>> write_file("catalog.csv", [p.to_record() for _, p in valid])  # doctest: +SKIP

Reading never raises for a bad record: ``ParseResult.errors`` and the errors of
``validate_projects`` name each one by record number, field and reason. It raises
``FileError`` only when the file as a whole cannot be read (unknown suffix, too big,
not UTF-8, malformed JSON, damaged XLSX, unknown column).

Formats
-------
JSON
    A list of projects, or ``{"regions": [...], "projects": [...]}``; export writes the
    second form. Records are numbered by their position in the list, from 1.
JSON Lines
    A project a line; blank lines are skipped; errors name the line. Holds no regions.
CSV and XLSX
    One row a project under a header row of column names (any order, any subset; the
    header is row 1 and errors name the spreadsheet row). Export writes every column in
    SPEC order (``COLUMNS``). XLSX keeps projects in a sheet ``projects`` (else the first
    sheet is read) and regions in a sheet ``regions``; CSV holds no regions. CSV is
    UTF-8, written with a BOM so Excel recognises it; the separator may be ``,``, ``;``
    (Excel in Russian locales) or a tab, whichever the header line uses.

    - An empty cell means the field is absent.
    - ``features``, ``industries``, ``technologies``, ``based_on``: items separated by
      ``;`` (export writes ``"; "``; spaces around items are ignored). A ``;`` inside an
      item is written ``\\;`` and a backslash ``\\\\``; any other backslash is literal.
    - ``cost.capex``, ``cost.opex_per_year``, ``funding.regional``, ``funding.federal``,
      ``funding.local``, ``funding.extrabudgetary``: numbers. Import also reads
      ``1 234,5``: spaces group thousands, a lone comma is a decimal comma.
    - ``indicators`` and ``sources``: a JSON array in one cell, e.g.
      ``[{"name": "Waiting time", "unit": "min", "baseline": 40, "target": 10}]`` and
      ``[{"title": "Annual report", "url": "https://..."}]``. One cell a list keeps the
      sheet one row a project and its columns fixed, which indexed columns
      (``indicators.0.name``...) would not.
    - ``synthetic``: ``true`` or ``false`` (a real boolean cell in XLSX).
    - ``language``: ``ru`` or ``en``. ``translations`` take one column a field and
      language: ``translations.ru.title``, ``translations.ru.summary``,
      ``translations.ru.description``, ``translations.ru.features`` (a list as above),
      ``translations.ru.translated`` (``true`` when not written by the owner), and the same
      for ``en``.
    - Formula injection: exported text starting with ``=``, ``+``, ``-``, ``@``, a tab
      or a carriage return gets a leading ``'`` so spreadsheets show it as text; import
      removes one ``'`` before such a character, so the round trip is lossless (text that
      already starts with ``'`` before such a character gets a second one on export).
    - XLSX text uses Office's own escape for control characters (a carriage return is
      ``_x000D_``, a literal ``_x`` before four hex digits ``_x005F_x``), as Excel does; a
      number that XLSX's 16 significant digits would round (``0.30000000000000004``) is
      written as text, which import reads back exactly.

Export writes what import reads: parsing an exported file gives back the same records.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, BinaryIO

from practicebank.catalog.files.model import FileError, Limits, ParseResult, RecordError
from practicebank.catalog.files.readers import check_size, parse
from practicebank.catalog.files.table import COLUMNS, PROJECT_FIELDS
from practicebank.catalog.files.validate import RegionResolver, validate_projects, validate_regions
from practicebank.catalog.files.writers import dump, export_record
from practicebank.catalog.schema import ProjectIn

FORMATS: tuple[str, ...] = ("json", "jsonl", "csv", "xlsx")
MEDIA_TYPES: dict[str, str] = {
    "json": "application/json",
    "jsonl": "application/x-ndjson",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

__all__ = [
    "COLUMNS", "FORMATS", "MEDIA_TYPES", "PROJECT_FIELDS", "FileError", "Limits", "ParseResult",
    "RecordError", "RegionResolver", "dump_bytes", "export_record", "format_of", "parse_bytes",
    "parse_stream", "read_file", "validate", "validate_projects", "validate_regions",
    "write_file", "write_stream",
]


def format_of(name: str | os.PathLike[str]) -> str:
    """The format of a file name by its suffix: ``"json"``, ``"jsonl"``, ``"csv"`` or ``"xlsx"``."""
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        shown = f"'.{suffix}'" if suffix else "no suffix"
        raise FileError(f"cannot tell the format of {os.fspath(name)!r} ({shown}); "
                        f"supported: {', '.join('.' + f for f in FORMATS)}", code="unknown_format",
                        params={"name": os.fspath(name)})
    return suffix


def _check_format(fmt: str) -> str:
    fmt = fmt.lower().lstrip(".")
    if fmt not in FORMATS:
        raise FileError(f"unknown format {fmt!r}; supported: {', '.join(FORMATS)}")
    return fmt


# --- reading ---------------------------------------------------------------------------

def parse_bytes(data: bytes, fmt: str, limits: Limits | None = None) -> ParseResult:
    """Records of a file's content in a format (``"csv"``...); raises FileError only for the file as a whole."""
    return parse(data, _check_format(fmt), limits or Limits())


def parse_stream(stream: BinaryIO, fmt: str, limits: Limits | None = None) -> ParseResult:
    """Like ``parse_bytes`` for an open binary stream (a web upload); reads at most the size limit."""
    limits = limits or Limits()
    data = stream.read(limits.max_bytes + 1)  # one byte over is enough to know it is too big
    return parse_bytes(data, fmt, limits)


def read_file(path: str | os.PathLike[str], limits: Limits | None = None) -> ParseResult:
    """Records of a file, its format by the suffix."""
    fmt = format_of(path)
    limits = limits or Limits()
    try:
        check_size(os.path.getsize(path), limits)  # before reading any of it
        with open(path, "rb") as stream:
            return parse_stream(stream, fmt, limits)
    except OSError as error:
        raise FileError(f"cannot read {os.fspath(path)!r}: {error.strerror or error}") from None


def validate(result: ParseResult, region_resolver: RegionResolver | None) -> tuple[list[tuple[int, ProjectIn]], list[RecordError]]:
    """Validate the projects of a ParseResult; the errors include those found while parsing."""
    valid, errors = validate_projects(result.projects, region_resolver, unit=result.unit)
    return valid, sorted(result.errors + errors, key=lambda e: e.record)


# --- writing ---------------------------------------------------------------------------

def dump_bytes(fmt: str, projects: list[dict[str, Any]], regions: list[dict[str, Any]] | None = None) -> bytes:
    """The content of a file in a format (``"csv"``...), for a web download."""
    return dump(_check_format(fmt), projects, regions)


def write_stream(stream: BinaryIO, fmt: str, projects: list[dict[str, Any]], regions: list[dict[str, Any]] | None = None) -> None:
    stream.write(dump_bytes(fmt, projects, regions))


def write_file(path: str | os.PathLike[str], projects: list[dict[str, Any]], regions: list[dict[str, Any]] | None = None) -> None:
    """Write a file in the format of its suffix; an existing file is replaced only when all is written."""
    data = dump_bytes(format_of(path), projects, regions)
    folder = os.path.dirname(os.path.abspath(path))
    descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=".practicebank-", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
