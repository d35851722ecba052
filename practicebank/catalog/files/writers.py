"""Writing catalog files: every format as bytes, so a file and a web download share one path."""
from __future__ import annotations

import csv
import io
import json
from typing import Any, Callable

from practicebank.catalog.files.cells import ooxml_escape
from practicebank.catalog.files.table import COLUMNS, PROJECT_FIELDS, REGION_COLUMNS, project_to_row, region_to_row

Records = list[dict[str, Any]]


def dump(fmt: str, projects: Records, regions: Records | None) -> bytes:
    return _WRITERS[fmt]([export_record(p) for p in projects], list(regions or []))


def export_record(project: dict[str, Any]) -> dict[str, Any]:
    """The SPEC fields of a record in SPEC order, without empty ones.

    Other keys (database bookkeeping such as timestamps) are not part of the file format:
    import would refuse them, so export leaves them out.
    """
    return {key: project[key] for key in PROJECT_FIELDS if project.get(key) is not None}


def _dump_json(projects: Records, regions: Records) -> bytes:
    document = {"regions": regions, "projects": projects}
    return (json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n").encode("utf-8")


def _dump_jsonl(projects: Records, regions: Records) -> bytes:
    # JSON Lines holds projects only; regions travel in JSON or XLSX.
    lines = (json.dumps(p, ensure_ascii=False, allow_nan=False) + "\n" for p in projects)
    return "".join(lines).encode("utf-8")


def _dump_csv(projects: Records, regions: Records) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(project_to_row(p) for p in projects)
    # The BOM makes Excel read the file as UTF-8 rather than the local code page.
    return buffer.getvalue().encode("utf-8-sig")


def _dump_xlsx(projects: Records, regions: Records) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheets = [("projects", list(COLUMNS), [project_to_row(p, native=True) for p in projects])]
    if regions:
        sheets.append(("regions", list(REGION_COLUMNS), [region_to_row(r) for r in regions]))
    for title, header, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.freeze_panes = "A2"
        sheet.append(header)
        for row in rows:
            sheet.append([ooxml_escape(cell) if isinstance(cell, str) else cell for cell in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


_WRITERS: dict[str, Callable[[Records, Records], bytes]] = {
    "json": _dump_json,
    "jsonl": _dump_jsonl,
    "csv": _dump_csv,
    "xlsx": _dump_xlsx,
}
