"""Several writers at once, on SQLite and on PostgreSQL; one embedding model per process.

Decisions (docs/scaling.md, "Concurrent writers"):

* Imports of distinct records never conflict: SQLite serialises writers (WAL + ``BEGIN
  IMMEDIATE``: no "database is locked"), PostgreSQL runs them side by side.
* Read-modify-write edits of one record (``Project.version`` is SQLAlchemy's
  ``version_id_col``) never lose an update: a stale write raises ``StaleDataError`` and the
  caller re-reads and retries. On SQLite the writers are serialised, so it never happens;
  on PostgreSQL (READ COMMITTED) it does, and the retry makes every increment count.
* Two *imports* that replace the same record at the same moment on PostgreSQL: the loser
  gets ``StaleDataError`` (the row changed under it) or ``IntegrityError`` (both inserted
  the same new id or child rows) and nothing of it is written; re-running it succeeds. The
  catalog always holds exactly one whole version of the record, never a mixture.
"""
from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from practicebank.catalog.db import Database
from practicebank.catalog.importer import import_records
from practicebank.catalog.models import Project
from practicebank.catalog.seeding import init_database
from practicebank.catalog.store import project_dict

WRITERS = 4
BATCHES = 3
PER_BATCH = 10
EDITS = 15


def _record(rid: str, title: str, n_features: int) -> dict:
    return {"id": rid, "title": title, "region": "RU-TA", "industries": ["education"],
            "features": [f"{title} function {i}" for i in range(n_features)], "cost": {"capex": 0.0}}


def _run(threads: list[threading.Thread]) -> None:
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)


def _hammer(db: Database, conflicts_allowed: bool) -> dict:
    import_records(db, [_record("shared", "shared v0", 2)])
    barrier = threading.Barrier(WRITERS * 3)
    errors: list[BaseException] = []
    stats = {"stale_edit": 0, "import_conflict": 0, "imports": 0}
    lock = threading.Lock()

    def importer(w: int) -> None:  # distinct records
        barrier.wait()
        try:
            for b in range(BATCHES):
                import_records(db, [_record(f"w{w}-b{b}-{i}", f"writer {w} batch {b} #{i}", 3)
                                    for i in range(PER_BATCH)])
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    def editor(w: int) -> None:  # read-modify-write of one record, retried on a stale write
        barrier.wait()
        try:
            for _ in range(EDITS):
                while True:
                    try:
                        with db.write() as session:
                            row = session.get(Project, "shared")
                            row.capex = (row.capex or 0) + 1
                        break
                    except StaleDataError:
                        with lock:
                            stats["stale_edit"] += 1
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    def replacer(w: int) -> None:  # whole-record imports of the same id: last one wins
        barrier.wait()
        try:
            for k in range(3):
                for attempt in range(20):
                    try:
                        import_records(db, [_record("contested", f"contested by {w} #{k}", 2 + w)])
                        break
                    except (StaleDataError, IntegrityError):
                        with lock:
                            stats["import_conflict"] += 1
                        time.sleep(0.01 * (attempt + 1))
                else:
                    raise AssertionError("an import never got through")
                with lock:
                    stats["imports"] += 1
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    _run([threading.Thread(target=f, args=(w,)) for f in (importer, editor, replacer) for w in range(WRITERS)])
    assert not [e for e in errors if isinstance(e, OperationalError)], "database is locked / operational errors"
    assert not errors, errors
    with db.read() as session:
        shared = session.get(Project, "shared")
        assert shared.capex == WRITERS * EDITS, "lost updates"
        assert shared.version == 1 + WRITERS * EDITS  # every edit went through exactly once
        for w in range(WRITERS):
            for b in range(BATCHES):
                for i in range(PER_BATCH):
                    assert len(session.get(Project, f"w{w}-b{b}-{i}").features) == 3
        contested = project_dict(session.get(Project, "contested"))
    # one whole version: the feature list belongs to the title's writer
    writer = int(contested["title"].split("contested by ")[1].split(" ")[0])
    assert len(contested["features"]) == 2 + writer
    assert all(f.startswith(contested["title"]) for f in contested["features"])
    assert stats["imports"] == WRITERS * 3
    if not conflicts_allowed:
        assert stats["stale_edit"] == stats["import_conflict"] == 0
    return stats


def test_sqlite_concurrent_writers(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    init_database(db)
    _hammer(db, conflicts_allowed=False)  # BEGIN IMMEDIATE serialises: no stale write can happen
    db.dispose()


@pytest.mark.postgres
def test_postgres_concurrent_writers(postgres_url):
    db = Database(postgres_url())
    init_database(db)
    stats = _hammer(db, conflicts_allowed=True)
    print("postgres conflicts resolved by retry:", stats)
    db.dispose()


def test_stale_write_is_refused_not_lost(tmp_path):
    """The optimistic lock itself: a write based on a version someone else has moved on fails
    with StaleDataError and changes nothing."""
    db = Database(f"sqlite:///{tmp_path / 's.sqlite3'}")
    init_database(db)
    import_records(db, [_record("p", "p", 1)])
    with pytest.raises(StaleDataError):
        with db.write() as session:
            row = session.get(Project, "p")  # read at version 1
            # another writer commits meanwhile (simulated in the same transaction)
            session.execute(Project.__table__.update().where(Project.id == "p").values(capex=5.0, version=2))
            row.capex = 7.0
    with db.read() as session:
        row = session.get(Project, "p")
        assert (row.capex, row.version) == (0.0, 1)  # the whole transaction rolled back
    db.dispose()


def test_encoder_is_created_once_across_threads(monkeypatch):
    from practicebank.matcher import encoder as encoder_module

    created = []

    class CountingEncoder(encoder_module.Encoder):
        def __init__(self, *args, **kwargs):
            created.append(1)
            time.sleep(0.05)  # widen the race window
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(encoder_module, "_shared", None)
    monkeypatch.setattr(encoder_module, "Encoder", CountingEncoder)
    barrier = threading.Barrier(16)
    seen = []

    def worker():
        barrier.wait()
        seen.append(encoder_module.shared_encoder())

    _run([threading.Thread(target=worker) for _ in range(16)])
    assert len(created) == 1 and len({id(e) for e in seen}) == 1


def test_flask_app_threads_share_one_engine_and_model(tmp_path, encoder):
    """A served app answers concurrent recommend requests with one engine and one model."""
    from practicebank.matcher import encoder as encoder_module
    from practicebank.web.app import create_app
    from practicebank.web.services import Services

    services = Services.from_env(tmp_path)
    init_database(services.db)
    import_records(services.db, [_record(f"p{i}", f"school meals system {i}", 2) for i in range(6)])
    services.build_index()
    app = create_app({"SERVICES": Services.from_env(tmp_path), "TESTING": True, "WTF_CSRF_ENABLED": False,
                      "SECRET_KEY": "test"})
    model = encoder.model
    created = []
    original_init = encoder_module.Encoder.__init__
    barrier = threading.Barrier(8)
    statuses, engines = [], []

    def spy(self, *a, **k):
        created.append(1)
        original_init(self, *a, **k)

    encoder_module.Encoder.__init__ = spy
    try:
        def worker(i):
            client = app.test_client()
            barrier.wait()
            for _ in range(3):
                response = client.post("/api/v1/recommend", json={"text": f"school meals {i}"})
                statuses.append(response.status_code)
            engines.append(id(app.extensions["practicebank"].engine()))

        _run([threading.Thread(target=worker, args=(i,)) for i in range(8)])
    finally:
        encoder_module.Encoder.__init__ = original_init
    assert statuses == [200] * 24
    assert created == [] and len(set(engines)) == 1
    assert encoder_module.shared_encoder() is encoder and encoder.model is model
