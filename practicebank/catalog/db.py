"""Connecting to the catalog database: SQLite embedded by default, PostgreSQL when shared.

SQLite runs in WAL mode and writers take the lock up front (``BEGIN IMMEDIATE``): with plain
``BEGIN`` concurrent writers fail with "database is locked" when they upgrade a read lock.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import Engine, create_engine, event, select, update
from sqlalchemy.orm import Session, sessionmaker

from practicebank.catalog.models import Base, CatalogRevision

DEFAULT_HOME = "instance"


def home_dir(home: str | os.PathLike | None = None) -> Path:
    path = Path(home or os.environ.get("PRACTICEBANK_HOME") or DEFAULT_HOME)
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url(home: str | os.PathLike | None = None, url: str | None = None) -> str:
    url = url or os.environ.get("PRACTICEBANK_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{(home_dir(home) / 'practicebank.sqlite3').resolve()}"


def _configure_sqlite(engine: Engine, immediate: bool) -> None:
    # The driver's own transaction handling is switched off so that we decide how BEGIN reads.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str, immediate: bool = False) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        _configure_sqlite(engine, immediate)
        return engine
    return create_engine(url, pool_pre_ping=True)


class Database:
    """The catalog database: a reader and a writer engine on the same URL."""

    def __init__(self, url: str):
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self.read_engine = make_engine(url)
        self.write_engine = make_engine(url, immediate=True) if self.is_sqlite else self.read_engine
        self._reader = sessionmaker(self.read_engine, expire_on_commit=False)
        self._writer = sessionmaker(self.write_engine, expire_on_commit=False)

    @classmethod
    def from_env(cls, home: str | os.PathLike | None = None, url: str | None = None) -> "Database":
        return cls(database_url(home, url))

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._reader() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that commits on success and rolls back on any error."""
        with self._writer() as session:
            with session.begin():
                yield session

    def upgrade(self) -> None:
        """Create or upgrade the schema to the newest migration (idempotent)."""
        from practicebank.catalog.migrate import upgrade

        upgrade(self.write_engine)

    def create_all(self) -> None:
        """Schema without migrations, for throwaway test databases."""
        Base.metadata.create_all(self.write_engine)

    def revision(self) -> int:
        with self.read() as session:
            return current_revision(session)

    def dispose(self) -> None:
        self.read_engine.dispose()
        if self.write_engine is not self.read_engine:
            self.write_engine.dispose()


def current_revision(session: Session) -> int:
    row = session.scalar(select(CatalogRevision.revision).where(CatalogRevision.id == 1))
    return int(row or 0)


@event.listens_for(Session, "before_flush")
def _bump_revision(session: Session, _context, _instances) -> None:
    # Every change to catalog data moves the revision once per transaction, in that same
    # transaction, so an index stamped with a revision is exactly as fresh as the data it saw.
    if session.info.get("revision_bumped"):
        return
    changed = [o for o in (*session.new, *session.dirty, *session.deleted) if not isinstance(o, CatalogRevision)]
    if not changed:
        return
    bump_revision(session)


def bump_revision(session: Session) -> None:
    from practicebank.catalog.models import utcnow

    result = session.execute(
        update(CatalogRevision).where(CatalogRevision.id == 1)
        .values(revision=CatalogRevision.revision + 1, changed_at=utcnow())
    )
    if result.rowcount == 0:
        session.add(CatalogRevision(id=1, revision=1))
    session.info["revision_bumped"] = True


@event.listens_for(Session, "after_transaction_end")
def _reset_revision_flag(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop("revision_bumped", None)
