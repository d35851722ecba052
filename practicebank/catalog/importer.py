"""Importing records into the catalog: validate everything first, then write in one transaction.

All-or-nothing by default: one invalid record and the catalog stays as it was. With
``skip_invalid`` the valid records go in and the rest come back as errors.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from practicebank.catalog import audit
from practicebank.catalog.db import Database, current_revision
from practicebank.catalog.files import Limits, ParseResult, RecordError, read_file, validate
from practicebank.catalog.regions import make_resolver
from practicebank.catalog.schema import ProjectIn, RegionIn
from practicebank.catalog.store import region_dicts, upsert_projects, upsert_regions
from practicebank.errors import Refusal, gettext_noop


class ImportRejected(Refusal):
    """Nothing was imported: ``errors`` holds every invalid record's RecordError (a 400)."""

    def __init__(self, errors: list[RecordError]):
        one, many = gettext_noop("%(count)s invalid record"), gettext_noop("%(count)s invalid records")
        super().__init__(one if len(errors) == 1 else many, count=len(errors))
        self.errors = errors


@dataclass
class ImportOutcome:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)
    regions: int = 0
    revision: int = 0
    nothing: bool = False  # no valid project and no region: nothing was written, the revision unchanged

    NOTHING = "nothing to import: the file holds no projects (an empty file, or an empty list)"

    def to_json(self) -> dict[str, Any]:
        return {"ok": True, "created": len(self.created), "updated": len(self.updated),
                "skipped": len(self.skipped), "regions": self.regions, "revision": self.revision,
                "errors": [e.to_dict() for e in self.errors]}


def import_files(db: Database, paths: Sequence[Path], *, skip_invalid: bool = False,
                 limits: Limits | None = None, curation_state: str = "approved") -> ImportOutcome:
    named = {Path(p).name: read_file(Path(p), limits or Limits()) for p in paths}
    return _import(db, named, skip_invalid, curation_state)


def import_records(db: Database, records: Sequence[dict], *, regions: Sequence[dict] = (),
                   skip_invalid: bool = False, curation_state: str = "approved") -> ImportOutcome:
    result = ParseResult(format="json", projects=list(enumerate(records, 1)), regions=list(regions))
    return _import(db, {"": result}, skip_invalid, curation_state)


def _prefixed(errors: list[RecordError], prefix: str) -> list[RecordError]:
    return [RecordError(e.record, e.field, f"{prefix}: {e.message}", e.unit) for e in errors] if prefix else errors


def _import(db: Database, results: dict[str, ParseResult], skip_invalid: bool, curation_state: str) -> ImportOutcome:
    many = len(results) > 1
    region_errors, regions = _validate_regions([r for res in results.values() for r in res.regions])
    with db.read() as session:
        known_regions = region_dicts(session)
    resolver = make_resolver([*known_regions, *[r.model_dump() for r in regions]])
    valid: list[tuple[int, ProjectIn]] = []
    errors: list[RecordError] = list(region_errors)
    seen: dict[str, str] = {}
    for name, result in results.items():
        file_valid, file_errors = validate(result, resolver)
        errors.extend(_prefixed(file_errors, name if many else ""))
        for number, project in file_valid:
            if project.id in seen:
                errors.append(RecordError(number, "id", f"{name}: id {project.id!r} is also in {seen[project.id]}",
                                          result.unit))
                continue
            seen[project.id] = name
            valid.append((number, project))
    if errors and not skip_invalid:
        raise ImportRejected(errors)
    outcome = ImportOutcome(errors=errors, skipped=sorted({e.record for e in errors}))
    projects: list[ProjectIn] = [p for _, p in valid]
    if not projects and not regions:  # an empty file, [] or nothing valid: no write, no revision, no audit
        outcome.nothing = True
        with db.read() as session:
            outcome.revision = current_revision(session)
        return outcome
    report = _write_with_retry(db, lambda session: _write(session, outcome, regions, projects, results, curation_state))
    outcome.created, outcome.updated = report.created, report.updated
    return outcome


WRITE_ATTEMPTS = 3


def _write_with_retry(db: Database, write):
    """Run one write transaction; on PostgreSQL a concurrent writer of the same records can
    make it fail as a whole (nothing written), and running it again is then correct."""
    from sqlalchemy.exc import IntegrityError
    from sqlalchemy.orm.exc import StaleDataError

    for attempt in range(1, WRITE_ATTEMPTS + 1):
        try:
            with db.write() as session:
                return write(session)
        except (StaleDataError, IntegrityError):
            if attempt == WRITE_ATTEMPTS:
                raise


def _write(session, outcome: "ImportOutcome", regions, projects, results, curation_state: str):
    outcome.regions = upsert_regions(session, regions) if regions else 0
    report = upsert_projects(session, projects, curation_state=curation_state)
    session.flush()
    audit.record(session, "import", "catalog", None, None, {  # one entry per import, with counts
        "files": [n for n in results if n], "created": len(report.created), "updated": len(report.updated),
        "skipped": len(outcome.skipped), "regions": outcome.regions, "curation_state": curation_state})
    outcome.revision = current_revision(session)
    return report


def _validate_regions(rows: list[dict]) -> tuple[list[RecordError], list[RegionIn]]:
    from pydantic import ValidationError

    errors, regions = [], []
    for number, row in enumerate(rows, 1):
        try:
            regions.append(RegionIn.model_validate(row))
        except ValidationError as exc:
            for detail in exc.errors():
                where = ".".join(str(p) for p in detail["loc"]) or None
                errors.append(RecordError(number, f"regions.{where}" if where else "regions", detail["msg"]))
    return errors, regions
