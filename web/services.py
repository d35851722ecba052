"""What the CLI and the web application share: the database, the indexes, and the engine.

The database is the truth; indexes are derived from it, stamped with the catalog revision
they were built from, and can always be rebuilt.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from catalog.db import Database, current_revision, home_dir
from catalog.importer import ImportOutcome, import_files, import_records
from catalog.seeding import init_database, shipped_projects
from catalog import store
from matcher.records import ProjectRecord


@dataclass
class Services:
    db: Database
    home: Path

    @classmethod
    def from_env(cls, home: str | os.PathLike | None = None, url: str | None = None) -> "Services":
        path = home_dir(home)
        return cls(Database.from_env(path, url), path)

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    def ensure_database(self) -> None:
        """Create or upgrade the schema when needed, so every command works on a new home."""
        init_database(self.db)

    # -- catalog -------------------------------------------------------------------------
    def seed_shipped(self) -> ImportOutcome:
        return import_records(self.db, shipped_projects())

    def seed_synthetic(self, n: int, seed: int, truth_path: Path | None = None) -> ImportOutcome:
        from catalog.synthetic import generate

        catalog = generate(n, seed, self.regions())
        if truth_path is not None:
            truth_path.parent.mkdir(parents=True, exist_ok=True)
            truth_path.write_text(json.dumps(catalog.truth, ensure_ascii=False, indent=1), encoding="utf-8")
        return import_records(self.db, catalog.records)

    def import_files(self, paths: Sequence[Path], skip_invalid: bool = False) -> ImportOutcome:
        return import_files(self.db, paths, skip_invalid=skip_invalid)

    def export_file(self, path: Path, include_synthetic: bool = True) -> int:
        from catalog.files import write_file

        with self.db.read() as session:
            projects = store.project_dicts(session)
            regions = store.region_dicts(session)
        if not include_synthetic:
            projects = [p for p in projects if not p.get("synthetic")]
        write_file(path, projects, regions)
        return len(projects)

    def stats(self) -> dict:
        with self.db.read() as session:
            data = store.stats(session)
            data["revision"] = current_revision(session)
        return data

    def regions(self) -> list[dict]:
        with self.db.read() as session:
            return store.region_dicts(session)

    def revision(self) -> int:
        return self.db.revision()

    def records(self, public_only: bool = False) -> list[ProjectRecord]:
        """The catalog as plain records for the matcher, with region facts and reuse counts."""
        with self.db.read() as session:
            regions = {r["code"]: r for r in store.region_dicts(session)}
            reuse = store.reuse_counts(session)
            rows = store.all_projects(session, public_only)
            return [_record(store.project_dict(p), p.curation_state, regions, reuse) for p in rows]


def _record(d: dict, state: str, regions: dict[str, dict], reuse: dict[str, int]) -> ProjectRecord:
    region = regions.get(d["region"], {})
    d = {**d, "reused_by_count": reuse.get(d["id"], 0), "curation_state": state}
    record = ProjectRecord.from_dict(d, region_group=region.get("group"))
    extra = {"federal_district": region.get("federal_district"), "region_name": region.get("name_en")}
    object.__setattr__(record, "extra", extra)
    return record
