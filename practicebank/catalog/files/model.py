"""What reading a catalog file gives back: records, per-record errors, and the limits applied."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from practicebank.errors import Refusal

MB = 1024 * 1024


class FileError(Refusal, ValueError):
    """The file as a whole cannot be read (format, size, encoding, syntax, header): a 400.

    Problems with single records are not raised: they come back as ``RecordError`` items so
    that every one of them can be reported at once.
    """

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None,
                 code: str | None = None, params: dict[str, Any] | None = None) -> None:
        super().__init__(message)  # English, already formatted: a page renders ``code``/``params``
        self.message = message
        self.line = line
        self.column = column
        # for pages in other languages: what went wrong as a code with parameters (web/messages.py)
        self.code = code
        self.params = params or {}


@dataclass(frozen=True)
class Limits:
    """Bounds that keep a hostile or mistaken upload from exhausting memory or time."""

    max_bytes: int = 20 * MB
    max_rows: int = 50_000
    # XLSX is a zip archive: a few kilobytes can inflate to gigabytes (a "zip bomb").
    max_unzipped_bytes: int = 100 * MB


@dataclass(frozen=True)
class RecordError:
    """One problem with one record.

    ``record`` is 1-based: the index in a JSON list, the line of a JSON Lines file, the
    spreadsheet row of a CSV/XLSX file (the header is row 1). ``field`` is a dotted path
    such as ``cost.capex`` or ``indicators[0].name``; None when the whole record is wrong.
    """

    record: int
    field: str | None
    message: str
    unit: str = "record"  # "record", "line" or "row": how to name ``record`` to a person
    # what went wrong as a code with parameters (pydantic's error type, or an InvalidValue's
    # code), so that a page can say it in its language; ``message`` stays the English text
    code: str | None = None
    params: dict[str, Any] | None = field(default=None, compare=False, hash=False)

    def __str__(self) -> str:
        where = f"{self.unit} {self.record}"
        return f"{where}, {self.field}: {self.message}" if self.field else f"{where}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        """The one serialised form (API, pages, CLI, import outcome): ``text`` is ``str(self)``."""
        return {"record": self.record, "field": self.field, "message": self.message, "unit": self.unit,
                "code": self.code, "params": dict(self.params or {}), "text": str(self)}


@dataclass
class ParseResult:
    """Records read from a file, not yet validated against the schema.

    ``projects`` holds ``(record number, record dict)`` pairs; a record with a cell that
    cannot be decoded (say a malformed ``indicators`` cell) is left out and its problems are
    in ``errors`` instead.
    """

    format: str
    projects: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    regions: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)

    @property
    def unit(self) -> str:
        return {"jsonl": "line", "csv": "row", "xlsx": "row"}.get(self.format, "record")
