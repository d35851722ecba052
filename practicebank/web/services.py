"""What the CLI and the web application share: the database, the indexes, and the engine.

The database is the truth; indexes are derived from it, stamped with the catalog revision
they were built from, and can always be rebuilt.
"""
from __future__ import annotations

import json
import logging
import os
import threading
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from practicebank.catalog.db import Database, current_revision, home_dir
from practicebank.catalog.importer import ImportOutcome, import_files, import_records
from practicebank.catalog.seeding import init_database, shipped_projects
from practicebank.catalog import browse, replication, store, workflow
from practicebank.catalog.accounts import Principal
from practicebank.catalog.roles import Role
from practicebank.errors import IndexNotBuilt, NotFound, UnknownIds, gettext_noop
from practicebank import settings
from practicebank.matcher.answers import (CheckPlanReport, Comparison, Recommendation, RecommendationItem,
                                          SearchPage, SimilarSystem)
from practicebank.matcher.records import ProjectRecord


log = logging.getLogger(__name__)


# After a failed background update, requests wait this long before starting another.
REFRESH_RETRY_SECONDS = 60.0


@dataclass
class Services:
    db: Database
    home: Path
    _engine: Any = field(default=None, repr=False)
    _engine_manifest: dict | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    # Following the catalog (issue 13): "sync" brings the engine up to the catalog's revision
    # before answering (the CLI: one command, one answer); "background" answers with the engine
    # it has (withdrawn records filtered out at read time) while a thread updates it, checking
    # the revision at most every ``refresh_seconds`` (the web app); "off" never updates.
    refresh_mode: str = field(default_factory=lambda: os.environ.get("PRACTICEBANK_REFRESH", "sync"))
    refresh_seconds: float = field(
        default_factory=lambda: float(os.environ.get("PRACTICEBANK_REFRESH_SECONDS", "2")))
    save_updates: bool = True
    last_refresh: dict | None = field(default=None, repr=False)
    # the last background update that failed ({"at", "error"}), shown by index_status
    refresh_failure: dict | None = field(default=None, repr=False)
    _checked_at: float = field(default=float("-inf"), repr=False)
    _refresh_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _refresh_thread: threading.Thread | None = field(default=None, repr=False)
    _withheld: tuple | None = field(default=None, repr=False)

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

    def seed_synthetic(self, n: int, seed: int, truth_path: Path | None = None, language: str = "en") -> ImportOutcome:
        from practicebank.catalog.synthetic import generate

        catalog = generate(n, seed, self.regions(), language=language)
        if truth_path is not None:
            truth_path.parent.mkdir(parents=True, exist_ok=True)
            truth_path.write_text(json.dumps(catalog.truth, ensure_ascii=False, indent=1), encoding="utf-8")
        return import_records(self.db, catalog.records)

    def import_files(self, paths: Sequence[Path], skip_invalid: bool = False) -> ImportOutcome:
        return import_files(self.db, paths, skip_invalid=skip_invalid)

    def export_file(self, path: Path, include_synthetic: bool = True) -> int:
        from practicebank.catalog.files import write_file

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

    # -- browsing the catalog (catalog.browse: the database only, no index needed) -------------
    def regions_by_code(self) -> dict[str, dict]:
        """code -> region, cached per catalog revision; treat it as read-only."""
        with self.db.read() as session:
            return browse.regions_by_code(session)

    def browse(self, filters: Mapping[str, Sequence[str]] | None = None, page: int = 1, per_page: int = 20,
               sort: str = "relevance", limit: int | None = None) -> dict:
        """The public catalog filtered by facets (checked by ``web.params``), with facet counts."""
        with self.db.read() as session:
            return browse.browse(session, {k: list(v) for k, v in (filters or {}).items()}, page, per_page,
                                 sort, limit)

    def region_page(self, code: str) -> dict:
        """A region's public portfolio and its reuse links both ways."""
        with self.db.read() as session:
            return browse.region_page(session, code)

    def brief(self, ids: Sequence[str]) -> dict[str, dict]:
        """id -> {id, title, region, status, synthetic} of the public ones among ``ids``."""
        with self.db.read() as session:
            return browse.brief(session, ids)

    def reused_by(self, project_id: str) -> list[dict]:
        """Brief facts of the public projects based on this one, by title."""
        with self.db.read() as session:
            return browse.reused_by(session, project_id)

    def projects_by_ids(self, ids: Sequence[str]) -> list[dict]:
        """Full records, in the order of ``ids`` (exports, the desk's pages)."""
        with self.db.read() as session:
            return store.project_dicts_by_ids(session, list(ids))

    # -- records as one actor sees them (the rules: catalog.workflow) ------------------------
    # A record the actor may not see is "not there" for them: NotFound (404), never Forbidden,
    # so that a draft's existence does not leak.
    def visible_project(self, project_id: str, actor: Principal) -> dict:
        """The full record, or NotFound."""
        return self.visible_projects([project_id], actor)[0]

    def visible_projects(self, ids: Sequence[str], actor: Principal) -> list[dict]:
        """Full records in the order of ``ids``; NotFound at the first one the actor may not see."""
        with self.db.read() as session:
            return [store.project_dict(workflow.visible_project(session, actor, i)) for i in ids]

    def passport(self, project_id: str, actor: Principal) -> tuple[dict, dict]:
        """(the record, its workflow panel), read together so that they agree; NotFound if hidden."""
        with self.db.read() as session:
            row = workflow.visible_project(session, actor, project_id)
            return store.project_dict(row), workflow_panel(session, actor, row)

    def workflow_panel(self, project_id: str, actor: Principal) -> dict:
        """What a passport's workflow section shows to ``actor`` ({"visible": False} if hidden)."""
        with self.db.read() as session:
            return workflow_panel(session, actor, store.get_project(session, project_id))

    def indexed_ids(self, ids: Sequence[str], actor: Principal) -> list[str]:
        """``ids`` if the engine may be asked about them all, else NotFound naming the hidden ones
        or, for drafts their editor sees (not indexed until approved), the unpublished ones."""
        missing, unpublished = self._unindexed(ids, actor)
        if missing:
            raise _not_found(gettext_noop("no project with id %(ids)s"), missing)
        if unpublished:
            raise _not_found(gettext_noop("not published, so not compared (drafts are indexed once "
                                          "approved): %(ids)s"), unpublished)
        return list(ids)

    def indexed_project(self, project_id: str, actor: Principal) -> str:
        """``project_id`` if its similar systems may be asked for, else NotFound (as ``indexed_ids``)."""
        missing, unpublished = self._unindexed([project_id], actor)
        if missing:
            raise _not_found(gettext_noop("no project with id %(ids)s; GET /api/v1/projects lists them"),
                             missing, listed=False)
        if unpublished:
            raise _not_found(gettext_noop("project %(ids)s is not published: similar systems are found for "
                                          "published records only (drafts are indexed once approved)"),
                             unpublished, listed=False)
        return project_id

    def _unindexed(self, ids: Sequence[str], actor: Principal) -> tuple[list[str], list[str]]:
        """(ids the actor may not see, ids they see that are not published) among ``ids``."""
        with self.db.read() as session:
            rows = {i: store.get_project(session, i) for i in ids}
            missing = [i for i in ids if rows[i] is None or not workflow.can_view(actor, rows[i])]
            unpublished = [i for i in ids if i not in missing and rows[i].curation_state not in store.PUBLIC_STATES]
        return missing, unpublished

    def translations_by_id(self) -> dict[str, tuple]:
        """id -> (language, translations), cached per catalog revision; treat it as read-only."""
        with self.db.read() as session:
            return browse.translations_by_id(session)

    def records(self, public_only: bool = False) -> list[ProjectRecord]:
        """The catalog as plain records for the matcher, with region facts and reuse counts."""
        return self.snapshot(public_only)[1]

    def snapshot(self, public_only: bool = False) -> tuple[int, list[ProjectRecord]]:
        """The revision and the records, read in one transaction so that they agree."""
        with self.db.read() as session:
            revision = current_revision(session)
            regions = {r["code"]: r for r in store.region_dicts(session)}
            reuse = store.reuse_counts(session)
            # plain rows, one query per table (``project_dicts_by_ids``): building ORM objects
            # with six child collections each cost seconds at a few thousand records, and the
            # engine reads the snapshot again on every catalog revision
            states = dict(session.execute(select_states().order_by("id")).all())
            if public_only:
                states = {pid: state for pid, state in states.items() if state in store.PUBLIC_STATES}
            rows = store.project_dicts_by_ids(session, list(states))
            return revision, [_record(d, states[d["id"]], regions, reuse) for d in rows]

    # -- indexes ---------------------------------------------------------------------------
    def build_index(self, progress: Callable[[str], None] = lambda step: None,
                    advance: Callable[[int, int], None] | None = None) -> dict:
        """Fit every index on the current catalog and save it stamped with its revision.
        ``advance(done, total)`` is told how many of the texts to embed are done (a progress bar)."""
        from practicebank.matcher import store as index_store
        from practicebank.matcher.encoder import shared_encoder
        from practicebank.matcher.engine import MatchingEngine

        progress("reading the catalog")
        revision, records = self.snapshot(public_only=True)  # only what anyone may see gets indexed
        encoder = shared_encoder()
        encoder.load_cache(self.embedding_cache)
        before = len(encoder.cache)
        if advance is not None:
            progress(f"embedding new texts of {len(records)} projects")
            _embed_ahead(encoder, records, advance)
        progress(f"fitting the indexes of {len(records)} projects")
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
        from practicebank.matcher import store as index_store
        from practicebank.matcher.engine import fingerprint

        revision, records = self.snapshot(public_only=True)
        manifest = index_store.read_manifest(self.engine_dir)
        if manifest is None:
            return {"ok": False, "built": False, "catalog_revision": revision, "index_revision": None,
                    "missing": sorted(r.id for r in records), "stale": [], "orphan": []}
        indexed = self._stored_engine(manifest).fingerprints_
        current = {r.id: fingerprint(r) for r in records}
        missing = sorted(set(current) - set(indexed))
        orphan = sorted(set(indexed) - set(current))
        stale = sorted(i for i in set(current) & set(indexed) if current[i] != indexed[i])
        return {"ok": not (missing or orphan or stale) and manifest["catalog_revision"] == revision,
                "built": True, "catalog_revision": revision, "index_revision": manifest["catalog_revision"],
                "built_at": manifest.get("built_at"), "records": manifest.get("records"),
                "missing": missing, "stale": stale, "orphan": orphan}

    def _stored_engine(self, manifest: dict):
        """The engine the index on disk holds (the one in memory when it is that one)."""
        from practicebank.matcher import store as index_store
        from practicebank.matcher.engine import MatchingEngine

        with self._lock:
            if self._engine is not None and self._engine_manifest == manifest:
                return self._engine
        try:
            return index_store.load(self.engine_dir, MatchingEngine)
        except index_store.StoreError as error:
            raise IndexNotBuilt(str(error)) from error

    def index_status(self) -> dict:
        from practicebank.matcher import store as index_store

        revision = self.revision()
        try:
            manifest = index_store.read_manifest(self.engine_dir)
        except index_store.StoreError:
            manifest = None
        index_revision = manifest["catalog_revision"] if manifest else None
        return {"catalog_revision": revision, "index_revision": index_revision, "built": manifest is not None,
                "stale": manifest is not None and index_revision != revision,
                "last_update_failure": self.refresh_failure}

    def engine(self):
        """The fitted engine, loaded once per process, reloaded when a newer index is saved, and
        following the catalog by itself: when the catalog revision moves, the engine is updated
        incrementally (``refresh``), now or in the background depending on ``refresh_mode``."""
        return self._serving()[0]

    def _serving(self) -> tuple[Any, frozenset[str]]:
        """(the engine to answer with, the ids it holds that must not be served now)."""
        engine = self._load_engine()
        return engine, self.withheld(engine)

    def _load_engine(self):
        from practicebank.matcher import store as index_store
        from practicebank.matcher.engine import MatchingEngine

        with self._lock:
            engine, ours = self._engine, self._engine_manifest
        background = self.refresh_mode == "background"
        now = time.monotonic()
        if engine is not None and background and now - self._checked_at < self.refresh_seconds:
            return engine
        self._checked_at = now
        try:
            manifest = index_store.read_manifest(self.engine_dir)
        except index_store.StoreError as error:
            if engine is None:
                raise IndexNotBuilt(str(error)) from error
            manifest = None  # a broken file on disk: go on serving the engine in memory
        if engine is None and manifest is None:
            raise IndexNotBuilt()
        following = self.refresh_mode != "off"
        if manifest is not None and (engine is None or _newer(manifest, ours, following)):
            with self._lock:
                if self._engine is None or _newer(manifest, self._engine_manifest, following):
                    try:
                        self._engine = index_store.load(self.engine_dir, MatchingEngine)
                    except index_store.StoreError as error:
                        if self._engine is None:
                            raise IndexNotBuilt(str(error)) from error
                    else:
                        # Catalog texts were embedded at index time: a passport's "similar
                        # systems" must not embed them again on every request.
                        from practicebank.matcher.encoder import shared_encoder

                        shared_encoder().load_cache(self.embedding_cache)
                        self._engine_manifest = manifest
                engine = self._engine
        self._follow_catalog()
        with self._lock:
            return self._engine

    def _follow_catalog(self) -> None:
        if self.refresh_mode == "off":
            return
        with self._lock:
            manifest = self._engine_manifest
        if manifest is not None and manifest.get("catalog_revision") == self.revision():
            return
        if self.refresh_mode != "background":
            self.refresh()
            return
        failure = self.refresh_failure
        if failure is not None and time.time() - failure["at"] < REFRESH_RETRY_SECONDS:
            return  # a failing update is not retried on every request
        with self._lock:
            running = self._refresh_thread is not None and self._refresh_thread.is_alive()
            if not running:
                self._refresh_thread = threading.Thread(target=self._refresh_logged, name="pb-index-refresh",
                                                        daemon=True)
                self._refresh_thread.start()

    def _refresh_logged(self) -> None:
        try:
            self.refresh()
            self.refresh_failure = None
        except Exception as error:  # noqa: BLE001 - a failed update must not kill the thread silently
            log.exception("updating the engine to the catalog failed; serving the previous one")
            self.refresh_failure = {"at": time.time(), "error": f"{type(error).__name__}: {error}"}

    def wait_for_refresh(self, timeout: float | None = None) -> None:
        """Wait for a background update started by a request (tests, benches)."""
        thread = self._refresh_thread
        if thread is not None:
            thread.join(timeout)

    def refresh(self) -> dict | None:
        """Bring the loaded engine up to the catalog's current revision, incrementally: only the
        records whose content changed since it was fitted are embedded and re-blocked, the
        lexical and full-text indexes are refitted, and the new engine is swapped in at once
        (requests in flight finish on the old one) and saved stamped with the revision.
        Returns what was done, or None when there was nothing to do."""
        with self._refresh_lock:
            with self._lock:
                base, manifest = self._engine, self._engine_manifest
            if base is None or manifest is None:
                return None
            started = time.perf_counter()
            revision, records = self.snapshot(public_only=True)
            if manifest.get("catalog_revision") == revision:
                return None
            read = time.perf_counter()
            changed, removed = base.changes_against(records)
            engine = base.update(changed, removed) if (changed or removed) else base
            from practicebank.matcher.store import ids_hash

            updated = {**manifest, "catalog_revision": revision, "records": len(engine.ids_),
                       "ids_hash": ids_hash(engine.ids_),
                       "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                       "updated_from": manifest.get("catalog_revision")}
            with self._lock:
                if self._engine is not base:  # a full build was loaded meanwhile: it wins
                    return None
                self._engine, self._engine_manifest = engine, updated
            swapped = time.perf_counter()
            report = {"from_revision": manifest.get("catalog_revision"), "revision": revision,
                      "changed": len(changed), "removed": len(removed),
                      "read_seconds": round(read - started, 3), "update_seconds": round(swapped - read, 3),
                      "seconds": round(swapped - started, 3)}
            self.last_refresh = report
            if self.refresh_mode == "background" and engine is not base and getattr(engine, "families", False):
                # the families and the board are computed lazily; a server computes them here,
                # off the request path, so the first view of /duplicates or /scale does not wait
                warmed = time.perf_counter()
                engine.duplicates()
                engine.scale_candidates(top=None)
                report["families_seconds"] = round(time.perf_counter() - warmed, 3)
            if self.save_updates:
                saving = time.perf_counter()
                report["saved"] = self._save_updated(engine, base, manifest, updated)
                report["save_seconds"] = round(time.perf_counter() - saving, 3)
            log.info("engine updated to catalog revision %s: %s changed, %s removed in %.2f s", revision,
                     len(changed), len(removed), report["seconds"])
            return report

    def _save_updated(self, engine, base, before: dict, updated: dict) -> str:
        """Save an updated engine unless the index on disk is already as new (another process of
        this node saved it first); an unchanged engine only gets its manifest restamped."""
        from practicebank.matcher import store as index_store

        try:
            on_disk = index_store.read_manifest(self.engine_dir)
        except index_store.StoreError:
            on_disk = None
        if on_disk is not None and on_disk.get("catalog_revision", -1) >= updated["catalog_revision"]:
            if on_disk.get("catalog_revision") == updated["catalog_revision"]:
                with self._lock:
                    if self._engine is engine:
                        self._engine_manifest = on_disk  # the same catalog: adopt it, never reload
            return "newer on disk"
        try:
            if engine is base and on_disk == before:
                _write_manifest(self.engine_dir, updated)
                return "restamped"
            saved = index_store.save(engine, self.engine_dir, updated["catalog_revision"],
                                     {"updated_from": updated.get("updated_from")})  # incremental: see _newer
            _save_embeddings(self.embedding_cache)
        except OSError as error:  # another process swapping the directory at the same instant
            log.warning("could not save the updated index: %s", error)
            return "not saved"
        with self._lock:
            if self._engine is engine:
                self._engine_manifest = saved
        return "saved"

    def withheld(self, engine) -> frozenset[str]:
        """Ids the engine holds that are not public now (archived, returned to draft, deleted):
        never served, even before the engine's update lands. One query per catalog revision."""
        revision = self.revision()
        with self._lock:
            manifest = self._engine_manifest if engine is self._engine else None
        if manifest is not None and manifest.get("catalog_revision") == revision:
            return frozenset()  # the engine holds exactly the public records of this revision
        cached = self._withheld
        if cached is not None and cached[0] == revision and cached[1]() is engine:
            return cached[2]
        from sqlalchemy import select

        from practicebank.catalog.models import Project

        with self.db.read() as session:
            public = set(session.scalars(select(Project.id).where(Project.curation_state.in_(store.PUBLIC_STATES))))
        hidden = frozenset(i for i in engine.ids_ if i not in public)
        self._withheld = (revision, weakref.ref(engine), hidden)
        return hidden

    # -- engine operations: typed answers (matcher.answers) with the catalog's facts added ------
    def search(self, query: str, filters: Mapping[str, Sequence[str]] | None = None, page: int = 1,
               per_page: int = 20, sort: str = "relevance") -> SearchPage:
        engine, withheld = self._serving()
        facets = {k: list(v) for k, v in (filters or {}).items() if v}
        if withheld:
            result = engine.search_without(withheld, query, facets, page=page, per_page=per_page, sort=sort)
        else:
            result = engine.search(query, facets, page=page, per_page=per_page, sort=sort)
        with self.db.read() as session:
            rows = {p["id"]: p for p in store.project_dicts_by_ids(session, [i for i, _ in result.hits])}
        hits = [{**rows[i], "score": score} for i, score in result.hits if i in rows]
        return SearchPage(query=query, filters=dict(filters or {}), total=result.total, page=page,
                          per_page=per_page, sort=sort, results=hits, facets=result.facets)

    def recommend(self, planned: dict | str, k: int = 10, exclude_region: bool = False) -> Recommendation:
        engine, withheld = self._serving()
        record = planned if isinstance(planned, str) else planned_record(planned)
        budget = None if isinstance(planned, str) else planned.get("budget")
        found = engine.recommend(record, k=k, budget=budget, exclude_region=exclude_region,
                                 exclude_ids=sorted(withheld))
        self._add_facts(found.results)
        return found

    def check_plan(self, records: Sequence[dict], k: int = 5) -> CheckPlanReport:
        engine, withheld = self._serving()
        planned = [planned_record(r) for r in records]
        embed_at_once(planned)
        # withdrawn records are left out before the best match and the summary are worked out
        report = engine.check_plan(planned, k=k, exclude_ids=sorted(withheld))
        # the catalog's facts for the whole portfolio in one read, not one per project
        self._add_facts([r for item in report.items for r in item.results])
        # counted and named, never dropped silently: their savings cannot be estimated
        report.summary.without_budget = [{"input_id": i.input_id, "title": i.title}
                                         for i in report.without_budget]
        return report

    def similar(self, project_id: str, k: int = 10) -> list[SimilarSystem]:
        """The systems most like an indexed public record (``UnknownIds`` for any other)."""
        engine, withheld = self._serving()
        if project_id not in engine.records_ or project_id in withheld:
            raise UnknownIds([project_id])
        return self._add_facts(_without(engine.similar(project_id, k=k + len(withheld)), withheld, k))

    def similar_to_record(self, record: Mapping[str, Any], k: int = 10) -> list[SimilarSystem]:
        """The most similar public systems of a record the index does not hold (a draft under
        review, or one approved a moment ago), with overlap both ways and twin flags: "does
        this already exist?" answered on demand."""
        engine, withheld = self._serving()
        found = engine.similar_to(planned_record(record), k=k + len(withheld))
        return self._add_facts(_without(found, withheld, k))

    def similar_or_on_demand(self, project: Mapping[str, Any], k: int = 10) -> list[SimilarSystem]:
        """A record's similar systems: remembered by the index when it holds the record, computed
        on demand for a draft (or a record approved a moment ago, before the index follows)."""
        try:
            return self.similar(project["id"], k)
        except UnknownIds:
            return self.similar_to_record(project, k)

    def compare(self, ids: Sequence[str]) -> Comparison:
        """Indexed public records side by side (``UnknownIds`` names the others)."""
        engine, withheld = self._serving()
        unknown = [i for i in ids if i not in engine.records_ or i in withheld]
        if unknown:
            raise UnknownIds(unknown)
        result = engine.compare(ids)
        with self.db.read() as session:
            result.projects = store.project_dicts_by_ids(session, ids)
        return result

    def _add_facts(self, items: Sequence[RecommendationItem]) -> list:
        """Add the catalog's facts (the synthetic flag above all) to every item, in one read."""
        with self.db.read() as session:
            facts = browse.brief(session, [i.id for i in items])
        for item in items:
            item.add_facts(facts.get(item.id, {}))
        return list(items)

    def duplicates(self, threshold: float = settings.NEAR_IDENTICAL_THRESHOLD, evidence: bool = False) -> dict:
        engine, withheld = self._serving()
        found = engine.duplicates(threshold, evidence=evidence)
        if withheld:
            # A family that names a record withdrawn since it was computed is left out until the
            # engine's update (seconds away) recomputes it; the headline holds no ids.
            families = [f for f in found.get("families") or [] if not _mentions(f, withheld)]
            found = {**found, "families": families,
                     "systems_in_families": sum(len(f.get("members", [])) for f in families)}
        return found

    def scale_candidates(self, top: int = 20) -> dict:
        engine, withheld = self._serving()
        if not withheld:
            return engine.scale_candidates(top=top)
        found = engine.scale_candidates(top=None)
        candidates = [c for c in (_without_in_demand(c, withheld) for c in found.get("candidates") or [])
                      if not _mentions(c, withheld)]
        return {**found, "candidates": candidates if top is None else candidates[:top]}

    # -- the federal desk (web.desk) --------------------------------------------------------
    # The engine remembers its duplicates and board documents once per index revision; the rows
    # built from them with the catalog's facts are remembered here, keyed by the very document
    # they came from (a newer index hands out a new one), so a view only filters and pages.
    def headline(self, threshold: float = settings.NEAR_IDENTICAL_THRESHOLD):
        """The duplicates headline as its typed result (``matcher.headline.DuplicatesHeadline``)."""
        from practicebank.matcher.headline import DuplicatesHeadline

        doc = self._desk_doc(f"duplicates-{threshold}", lambda: self.duplicates(threshold))
        return DuplicatesHeadline.from_dict(doc["headline"])

    def _desk_doc(self, kind: str, compute: Callable[[], dict]) -> dict:
        """``compute()`` (the duplicates or the board document) for the engine now serving.

        When a newer engine has just been swapped in (the catalog moved) and the server follows
        the catalog in the background, its document is computed in a background thread (one per
        kind at a time) while views go on with the last one: the board takes seconds to rank
        and no reader should wait for it. Rows are rebuilt per catalog revision either way
        (``_desk_rows``), so a withdrawn record is never shown from a stale document."""
        try:
            engine = self.engine()
        except IndexNotBuilt:
            return compute()  # no index: the document says so (or a test's fixed answer is given)
        with self._lock:
            slot = self.__dict__.setdefault("_desk_docs", {}).setdefault(
                kind, {"engine": None, "doc": None, "thread": None})
            fresh = slot["engine"] is not None and slot["engine"]() is engine
            stale = slot["doc"]
        if fresh or stale is None or self.refresh_mode != "background":
            doc = compute()
            with self._lock:
                slot.update(engine=weakref.ref(engine), doc=doc)
            return doc

        def work() -> None:
            try:
                doc = compute()
            except Exception:  # noqa: BLE001 - the next view tries again
                log.exception("computing the %s document failed", kind)
                return
            with self._lock:
                slot.update(engine=weakref.ref(engine), doc=doc)

        with self._lock:
            if slot["thread"] is None or not slot["thread"].is_alive():
                slot["thread"] = threading.Thread(target=work, name=f"pb-desk-{kind}", daemon=True)
                slot["thread"].start()
        return stale

    def _desk_rows(self, kind: str, doc: dict, key: str, build: Callable[[dict, dict, dict], list]) -> list:
        from cachetools import LRUCache

        listing = doc.get(key) or []
        cache = self.__dict__.setdefault("_desk_cache", LRUCache(maxsize=16))
        revision = self.revision()
        hit = cache.get((kind, id(listing)))
        if hit is not None and hit[0] is listing and hit[2] == revision:
            return hit[1]
        ids = [i for item in listing for i in _ids_in(item)]
        with self.db.read() as session:
            public = {pid for pid, state in session.execute(select_states()) if state in store.PUBLIC_STATES}
            facts = {p["id"]: p for p in store.project_dicts_by_ids(session, [i for i in ids if i in public])}
            regions = {r["code"]: r for r in store.region_dicts(session)}
        rows = build(doc, facts, regions)
        cache[(kind, id(listing))] = (listing, rows, revision)
        return rows

    def duplicate_families(self, threshold: float = settings.NEAR_IDENTICAL_THRESHOLD,
                           filters: Mapping[str, Sequence[str]] | None = None, sort: str = "spend",
                           page: int = 1, per_page: int = 20) -> dict:
        from practicebank.web import desk

        doc = self._desk_doc(f"duplicates-{threshold}", lambda: self.duplicates(threshold))
        rows = self._desk_rows(f"families-{threshold}", doc, "families", desk.family_rows)
        return desk.families_page(rows, doc, filters, sort, page, per_page)

    def duplicate_family(self, family_id: str, threshold: float = settings.NEAR_IDENTICAL_THRESHOLD) -> dict:
        """One family with its members' functions aligned to the reference's (``UnknownFamily``)."""
        from practicebank.web import desk

        doc = self._desk_doc(f"duplicates-{threshold}", lambda: self.duplicates(threshold))
        rows = self._desk_rows(f"families-{threshold}", doc, "families", desk.family_rows)
        row = next((r for r in rows if r["id"] == family_id), None)
        if row is None:
            raise desk.UnknownFamily(family_id)
        return desk.family_detail(row, self.compare(desk.family_members(row)).to_dict())

    def scale_board(self, filters: Mapping[str, Sequence[str]] | None = None, with_no_demand: bool = False,
                    page: int = 1, per_page: int = 20) -> dict:
        """The scaling board filtered; each practice's curation state read from the database now
        (a curator's mark shows at once, before the next index)."""
        from practicebank.web import desk

        doc = self._desk_doc("scale", lambda: self.scale_candidates(top=None))
        rows = self._desk_rows("scale", doc, "candidates", desk.scale_rows)
        with self.db.read() as session:
            states = dict(session.execute(select_states()).all())
            regions = [r["code"] for r in store.region_dicts(session)]
        return desk.board_page(rows, regions, filters, with_no_demand, states, page, per_page, doc.get("weights"))


def _embed_ahead(encoder, records: Sequence[ProjectRecord], advance: Callable[[int, int], None],
                 chunk: int = 256) -> None:
    """Embed, in chunks that report progress, the texts the engine's fit will ask for that the
    encoder's content cache does not hold yet (whole records, functions, function statements);
    the fit then finds them all in the cache."""
    from practicebank.matcher.dense import record_functions
    from practicebank.matcher.encoder import content_key
    from practicebank.matcher.functions import function_statements

    texts: dict[str, str] = {}
    for record in records:
        for text in (record.text, *record_functions(record), *function_statements(record)):
            key = content_key(text)
            if key not in encoder.cache:
                texts.setdefault(key, text)
    todo = list(texts.values())
    advance(0, len(todo))
    for start in range(0, len(todo), chunk):
        encoder.encode(todo[start:start + chunk])
        advance(min(start + chunk, len(todo)), len(todo))


def _newer(manifest: dict, ours: dict | None, following: bool = False) -> bool:
    """Is the index on disk to be loaded instead of the engine in memory? A process that follows
    the catalog itself ignores its siblings' incremental saves (loading 1.6 GB costs more than
    its own update) and loads only a full build (``practicebank index``, a restore)."""
    if ours is None:
        return True
    if manifest == ours or (following and manifest.get("updated_from") is not None):
        return False
    return manifest.get("catalog_revision", -1) >= ours.get("catalog_revision", -1)


def _write_manifest(directory: Path, manifest: dict) -> None:
    """Replace an index's manifest in one rename (its payload is unchanged)."""
    tmp = directory / f".manifest-{os.getpid()}-{threading.get_ident()}.tmp"
    tmp.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, directory / "manifest.json")


def _save_embeddings(path: Path) -> None:
    """Save the process's embedding cache under a name of its own, then rename it into place
    (processes of one node may save at the same instant)."""
    import numpy as np

    from practicebank.matcher.encoder import DIMENSION, MODEL_NAME, shared_encoder

    cache = dict(shared_encoder().cache)
    keys = list(cache)
    matrix = np.stack([cache[k] for k in keys]) if keys else np.zeros((0, DIMENSION), np.float32)
    tmp = path.with_name(f".{path.stem}-{os.getpid()}-{threading.get_ident()}.npz")
    np.savez(tmp, keys=np.array(keys), vectors=matrix, model=np.array(MODEL_NAME))
    os.replace(tmp, path)


def workflow_panel(session, who: Principal, row) -> dict:
    """A passport's workflow section for ``who``, from a row read in ``session``."""
    if row is None or not workflow.can_view(who, row):
        return {"visible": False}
    return {"visible": True, "state": row.curation_state, "history": workflow.history_for(session, who, row),
            "actions": workflow.available_actions(who, row),
            "can_edit": workflow.can(who, "edit", row.curation_state, row.region_code),
            "can_request": (who.role == Role.EDITOR and who.region not in (None, row.region_code)
                            and row.curation_state in store.PUBLIC_STATES),
            "requests": replication.requests_for(session, who, row.id),
            "regions": browse.regions_by_code(session),
            "return_comment": (workflow.last_return_comment(session, row.id)
                               if row.curation_state == "returned" else None)}


def _not_found(template: str, ids: Sequence[str], listed: bool = True) -> NotFound:
    """NotFound naming ``ids`` (quoted) in its message and, when ``listed``, as its items."""
    error = NotFound(template, ids=", ".join(map(repr, ids)))
    if listed:
        error.errors = tuple(ids)
    return error


def select_states():
    """SELECT id, curation_state of every project (one plain query, no per-id parameters)."""
    from sqlalchemy import select

    from practicebank.catalog.models import Project

    return select(Project.id, Project.curation_state)


def _without(items: Sequence[RecommendationItem], withheld: frozenset[str], k: int) -> list:
    """Engine results without the withheld records, cut back to the ``k`` asked for."""
    return [i for i in items if i.id not in withheld][:k]


def _mentions(item: Any, ids: frozenset[str]) -> bool:
    """Does a JSON-like answer name any of ``ids`` (as a value or a key), anywhere inside?"""
    if isinstance(item, str):
        return item in ids
    if isinstance(item, Mapping):
        return any(k in ids or _mentions(v, ids) for k, v in item.items())
    if isinstance(item, (list, tuple)):
        return any(_mentions(v, ids) for v in item)
    return False


def _without_in_demand(candidate: dict, withheld: frozenset[str]) -> dict:
    demand = candidate.get("demand_systems")
    if not demand:
        return candidate
    return {**candidate, "demand_systems": {key: [i for i in group if i not in withheld]
                                            for key, group in demand.items()}}


def _ids_in(item: Mapping[str, Any]) -> list[str]:
    """The project ids a family or a board candidate names (members, demand systems)."""
    ids = [*(item.get("members") or []), *([item["id"]] if "members" not in item else [])]
    ids += [i for group in (item.get("demand_systems") or {}).values() for i in group]
    return ids


def embed_at_once(planned: Sequence[ProjectRecord]) -> None:
    """Embed every text a portfolio's recommendations will ask for in one encoder pass.

    Each recommendation embeds its plan's text and functions (retrieval, then overlap); one
    forward pass over a whole portfolio costs a fraction of one pass per project (60 projects:
    ~2 s instead of ~25 s on two cores). The vectors land in the encoder's memory of recent
    query texts, where the recommendations find them.
    """
    from practicebank.matcher.encoder import shared_encoder
    from practicebank.matcher.functions import function_statements

    texts: list[str] = []
    for record in planned:
        statements = function_statements(record) or [record.text]
        texts += [record.text, *(s for s in statements if s.strip())]
    encoder = shared_encoder()
    unique = list(dict.fromkeys(t for t in texts if t))
    if 1 < len(unique) <= encoder.recent_size // 2:
        encoder.encode(unique, remember=False)


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
