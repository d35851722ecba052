"""What the CLI and the web application share: the database, the indexes, and the engine.

The database is the truth; indexes are derived from it, stamped with the catalog revision
they were built from, and can always be rebuilt.
"""
from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from catalog.db import Database, current_revision, home_dir
from catalog.importer import ImportOutcome, import_files, import_records
from catalog.seeding import init_database, shipped_projects
from catalog import store
from matcher.records import ProjectRecord


class IndexNotBuilt(NotImplementedError):
    """No usable index: the user should run `practicebank index`."""


# Web filter names -> the matcher's facet names; web sort names -> the matcher's.
FACET_NAMES = {"industry": "industries", "technology": "technologies"}
SORT_NAMES = {"newest": "year", "cost_asc": "cost", "cost_desc": "cost_desc"}


@dataclass
class Services:
    db: Database
    home: Path
    _engine: Any = field(default=None, repr=False)
    _engine_manifest: dict | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def from_env(cls, home: str | os.PathLike | None = None, url: str | None = None) -> "Services":
        path = home_dir(home)
        return cls(Database.from_env(path, url), path)

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def engine_dir(self) -> Path:
        return self.index_dir / "engine"

    @property
    def embedding_cache(self) -> Path:
        return self.index_dir / "embeddings.npz"

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
        return self.snapshot(public_only)[1]

    def snapshot(self, public_only: bool = False) -> tuple[int, list[ProjectRecord]]:
        """The revision and the records, read in one transaction so that they agree."""
        with self.db.read() as session:
            revision = current_revision(session)
            regions = {r["code"]: r for r in store.region_dicts(session)}
            reuse = store.reuse_counts(session)
            rows = store.all_projects(session, public_only)
            return revision, [_record(store.project_dict(p), p.curation_state, regions, reuse) for p in rows]

    # -- indexes ---------------------------------------------------------------------------
    def build_index(self, progress: Callable[[str], None] = lambda step: None) -> dict:
        """Fit every index on the current catalog and save it stamped with its revision."""
        from matcher import store as index_store
        from matcher.encoder import shared_encoder
        from matcher.engine import MatchingEngine

        progress("reading the catalog")
        revision, records = self.snapshot(public_only=True)  # only what anyone may see gets indexed
        encoder = shared_encoder()
        encoder.load_cache(self.embedding_cache)
        before = len(encoder.cache)
        progress(f"embedding and fitting {len(records)} projects")
        engine = MatchingEngine(encoder).fit(records)
        progress(f"embedded {len(encoder.cache) - before} new texts; saving")
        self.index_dir.mkdir(parents=True, exist_ok=True)
        encoder.save_cache(self.embedding_cache)
        manifest = index_store.save(engine, self.engine_dir, revision)
        with self._lock:
            self._engine, self._engine_manifest = engine, manifest
        return manifest

    def check_index(self) -> dict:
        """Compare the stored index with the database: missing, stale and orphan entries."""
        from matcher import store as index_store
        from matcher.engine import fingerprint

        revision, records = self.snapshot(public_only=True)
        manifest = index_store.read_manifest(self.engine_dir)
        if manifest is None:
            return {"ok": False, "built": False, "catalog_revision": revision, "index_revision": None,
                    "missing": sorted(r.id for r in records), "stale": [], "orphan": []}
        indexed = self._load_engine().fingerprints_
        current = {r.id: fingerprint(r) for r in records}
        missing = sorted(set(current) - set(indexed))
        orphan = sorted(set(indexed) - set(current))
        stale = sorted(i for i in set(current) & set(indexed) if current[i] != indexed[i])
        return {"ok": not (missing or orphan or stale) and manifest["catalog_revision"] == revision,
                "built": True, "catalog_revision": revision, "index_revision": manifest["catalog_revision"],
                "built_at": manifest.get("built_at"), "records": manifest.get("records"),
                "missing": missing, "stale": stale, "orphan": orphan}

    def index_status(self) -> dict:
        from matcher import store as index_store

        revision = self.revision()
        try:
            manifest = index_store.read_manifest(self.engine_dir)
        except index_store.StoreError:
            manifest = None
        index_revision = manifest["catalog_revision"] if manifest else None
        return {"catalog_revision": revision, "index_revision": index_revision, "built": manifest is not None,
                "stale": manifest is not None and index_revision != revision}

    def engine(self):
        """The fitted engine, loaded once per process and reloaded when a newer index is saved."""
        return self._load_engine()

    def _load_engine(self):
        from matcher import store as index_store
        from matcher.engine import MatchingEngine

        try:
            manifest = index_store.read_manifest(self.engine_dir)
        except index_store.StoreError as error:
            raise IndexNotBuilt(str(error)) from error
        if manifest is None:
            raise IndexNotBuilt("the index is not built yet: run `practicebank index`")
        with self._lock:
            if self._engine is None or self._engine_manifest != manifest:
                try:
                    self._engine = index_store.load(self.engine_dir, MatchingEngine)
                except index_store.StoreError as error:
                    raise IndexNotBuilt(str(error)) from error
                # Catalog texts were embedded at index time: a passport's "similar systems"
                # must not embed them again on every request.
                from matcher.encoder import shared_encoder

                shared_encoder().load_cache(self.embedding_cache)
                self._engine_manifest = manifest
            return self._engine

    # -- engine operations (the shapes the CLI, the pages and the API share) ----------------
    def search(self, query: str, filters: Mapping[str, Sequence[str]] | None = None, page: int = 1,
               per_page: int = 20, sort: str = "relevance") -> dict:
        engine = self.engine()
        facets = {FACET_NAMES.get(k, k): list(v) for k, v in (filters or {}).items() if v}
        result = engine.search(query, facets, page=page, per_page=per_page, sort=SORT_NAMES.get(sort, sort))
        with self.db.read() as session:
            rows = {p["id"]: p for p in store.project_dicts_by_ids(session, [i for i, _ in result.hits])}
            hits = [{**rows[i], "score": score} for i, score in result.hits if i in rows]
        facets_out = {({v: k for k, v in FACET_NAMES.items()}).get(k, k): v for k, v in result.facets.items()}
        return {"query": query, "filters": dict(filters or {}), "total": result.total, "page": page,
                "per_page": per_page, "sort": sort, "results": hits, "facets": facets_out}

    def recommend(self, planned: dict | str, k: int = 10, exclude_region: bool = False) -> dict:
        engine = self.engine()
        record = planned if isinstance(planned, str) else planned_record(planned)
        budget = None if isinstance(planned, str) else planned.get("budget")
        return self._decorate(engine.recommend(record, k=k, budget=budget, exclude_region=exclude_region))

    def check_plan(self, records: Sequence[dict], k: int = 5) -> dict:
        engine = self.engine()
        report = engine.check_plan([planned_record(r) for r in records], k=k)
        for item in report["items"]:
            self._decorate(item)
        return report

    def similar(self, project_id: str, k: int = 10) -> list[dict]:
        engine = self.engine()
        if project_id not in engine.records_:
            raise KeyError(project_id)
        return self._decorate({"results": engine.similar(project_id, k=k)})["results"]

    def compare(self, ids: Sequence[str]) -> dict:
        engine = self.engine()
        unknown = [i for i in ids if i not in engine.records_]
        if unknown:
            raise KeyError(", ".join(unknown))
        result = engine.compare(ids)
        with self.db.read() as session:
            result["projects"] = store.project_dicts_by_ids(session, ids)
        return result

    def duplicates(self, threshold: float = 85.0, evidence: bool = False) -> dict:
        return self.engine().duplicates(threshold, evidence=evidence)

    def scale_candidates(self, top: int = 20) -> dict:
        return self.engine().scale_candidates(top=top)

    def _decorate(self, document: dict) -> dict:
        """Add the catalog's facts to each result (the synthetic flag above all)."""
        from web.queries import with_catalog_facts

        with self.db.read() as session:
            document["results"] = with_catalog_facts(session, document.get("results", []))
        return document


def planned_record(planned: Mapping[str, Any]) -> ProjectRecord:
    """A plan from a form, the API or a portfolio file as a plain record for the matcher."""
    data = dict(planned)
    data.setdefault("id", "planned")
    data.setdefault("title", "")
    data.setdefault("status", "planned")
    budget = data.pop("budget", None)
    if budget is not None and not data.get("funding"):
        data["funding"] = {"regional": float(budget)}
    return ProjectRecord.from_dict(data)


def _record(d: dict, state: str, regions: dict[str, dict], reuse: dict[str, int]) -> ProjectRecord:
    region = regions.get(d["region"], {})
    d = {**d, "reused_by_count": reuse.get(d["id"], 0), "curation_state": state}
    record = ProjectRecord.from_dict(d, region_group=region.get("group"))
    extra = {"federal_district": region.get("federal_district"), "region_name": region.get("name_en")}
    object.__setattr__(record, "extra", extra)
    return record
