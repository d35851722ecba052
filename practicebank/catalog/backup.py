"""Consistent backups of the catalog while it is being written, and verified restores.

One format for both backends: **a backup is an SQLite database file** with the catalog's
tables and a ``backup_manifest`` table (per-table row counts, a content checksum, the source
URL's backend, the catalog revision, when). SQLite files are portable, self-describing and
readable by any tool, and a backup of either backend restores into either backend.

* SQLite source: the sqlite3 *online backup API* (``Connection.backup``) copies the live
  database page by page in one read transaction: a consistent snapshot while writers go on
  (WAL mode: readers never block writers, and the copy never sees half a transaction).
* PostgreSQL source: a logical export in ONE ``REPEATABLE READ`` transaction: every table
  is read from the same snapshot and written into a fresh SQLite file with the same schema.

The checksum is computed on the finished backup file and, for PostgreSQL, also inside the
export transaction: the two must agree. It is order-independent (a sum of per-row hashes per
table), so it does not depend on either database's collation, and it normalises the values
(floats, datetimes in UTC) so that the same catalog has the same checksum on both backends.
``catalog_revision`` is counted but not checksummed: a restore moves the revision forward so
that every index built before it is seen as stale.

The manifest is **signed**: an HMAC-SHA256 over its fields (the checksum among them) with the
installation's backup key: derived from ``PRACTICEBANK_SECRET_KEY`` when that is set, else
the random key in ``<home>/backup.key`` (made on first use, readable by its owner only). A
backup edited and given a recomputed checksum no longer matches its signature and is
refused; so is an unsigned one, unless the operator says it is trusted (``trust_unsigned``,
``restore --trust-unsigned``). To restore on another machine, give it the same
``PRACTICEBANK_SECRET_KEY`` or copy ``backup.key`` into its home.

Restore checks the file against its manifest first (signature, counts and checksum), refuses to replace
a catalog that has projects unless ``force``, then in one write transaction deletes every
catalog row and inserts the backup's, and checks the restored database's checksum.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Float, Table, create_engine, func, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from practicebank.catalog.db import Database
from practicebank.catalog.models import Base, CatalogRevision, Project
from practicebank.errors import Conflict, Refusal

MANIFEST_TABLE = "backup_manifest"
FORMAT = 1
CHUNK = 5000
# rows of this table change with every write; restore sets it itself
UNCHECKED = {"catalog_revision"}


class BackupError(Refusal, RuntimeError):
    """A backup cannot be written, read or restored (message says why)."""


class CatalogNotEmpty(BackupError, Conflict):
    """Restore would replace a catalog that has projects, and ``force`` was not given (409)."""


KEY_FILE = "backup.key"
_KEY_CONTEXT = b"practicebank backup manifest v1"


@dataclass
class Manifest:
    format: int
    source: str
    created_at: str
    catalog_revision: int
    counts: dict[str, int]
    checksum: str
    key_id: str | None = None      # which key signed it (a hash of the key, not the key)
    signature: str | None = None   # HMAC-SHA256 of the fields above with the backup key

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def signed_part(self) -> bytes:
        data = {k: v for k, v in self.to_json().items() if k != "signature"}
        return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def backup_key(home: str | os.PathLike | None) -> bytes:
    """The installation's backup signing key: from PRACTICEBANK_SECRET_KEY when set, else the
    random key in ``<home>/backup.key`` (created, mode 0600, when missing)."""
    secret = os.environ.get("PRACTICEBANK_SECRET_KEY")
    if secret:
        return hmac.new(secret.encode("utf-8"), _KEY_CONTEXT, hashlib.sha256).digest()
    if home is None:
        raise BackupError("no backup key: set PRACTICEBANK_SECRET_KEY or give the home folder")
    path = Path(home) / KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # made by another process just now
            pass
        else:
            with os.fdopen(fd, "w", encoding="ascii") as out:
                out.write(os.urandom(32).hex() + "\n")
    raw = path.read_text(encoding="ascii").strip()
    try:
        key = bytes.fromhex(raw)
    except ValueError as error:
        raise BackupError(f"{path} is not a backup key (64 hexadecimal digits)") from error
    if len(key) < 16:
        raise BackupError(f"{path} is not a backup key (64 hexadecimal digits)")
    return key


def key_id(key: bytes) -> str:
    return hashlib.sha256(b"key-id:" + key).hexdigest()[:16]


def sign(manifest: Manifest, key: bytes) -> Manifest:
    manifest.key_id = key_id(key)
    manifest.signature = hmac.new(key, manifest.signed_part(), hashlib.sha256).hexdigest()
    return manifest


def check_signature(manifest: Manifest, key: bytes | None, trust_unsigned: bool = False) -> None:
    """Refuse a backup whose signature is missing (unless trusted) or does not match ``key``."""
    if trust_unsigned:
        return
    if not manifest.signature:
        raise BackupError("the backup is not signed, so it cannot be told from an edited one; restore it only "
                          "if you trust the file (--trust-unsigned)")
    if key is None:
        raise BackupError("the backup is signed but no key was given to check it")
    expected = hmac.new(key, manifest.signed_part(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, str(manifest.signature)):
        if manifest.key_id and manifest.key_id != key_id(key):
            raise BackupError(f"the backup was signed with another key ({manifest.key_id}, this installation's is "
                              f"{key_id(key)}): set the same PRACTICEBANK_SECRET_KEY or copy {KEY_FILE} from "
                              "the home it was made in; --trust-unsigned restores it unchecked")
        raise BackupError("the backup's signature does not match its manifest: the file was changed after it "
                          "was written; it is refused")


def tables() -> list[Table]:
    """The catalog's tables, parents before children."""
    return list(Base.metadata.sorted_tables)


# ---------------------------------------------------------------- checksums

def _canonical(value: Any, is_float: bool) -> Any:
    if value is None:
        return None
    if is_float:
        return repr(float(value))
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def _has_rows(connection: Connection, table: Table) -> bool:
    return connection.execute(select(1).select_from(table).limit(1)).first() is not None


def table_digest(connection: Connection, table: Table) -> tuple[int, int]:
    """(row count, order-independent digest) of one table as seen by ``connection``."""
    floats = [isinstance(c.type, Float) for c in table.columns]
    total, count = 0, 0
    result = connection.execution_options(stream_results=True).execute(select(*table.columns))
    for rows in result.partitions(CHUNK):
        for row in rows:
            data = json.dumps([_canonical(v, f) for v, f in zip(row, floats)], ensure_ascii=False, default=str)
            total = (total + int.from_bytes(hashlib.blake2b(data.encode("utf-8"), digest_size=16).digest(), "big")) \
                % (1 << 128)
            count += 1
    return count, total


def present_tables(connection: Connection) -> list[Table]:
    """The catalog tables that exist where ``connection`` points (an older backup may lack
    tables added since: they restore as empty)."""
    names = set(inspect(connection).get_table_names())
    return [t for t in tables() if t.name in names]


def content_summary(connection: Connection) -> tuple[dict[str, int], str]:
    """Per-table row counts and the content checksum of everything ``connection`` sees."""
    counts: dict[str, int] = {}
    digest = hashlib.blake2b(digest_size=20)
    for table in present_tables(connection):
        if table.name not in UNCHECKED and not _has_rows(connection, table):
            counts[table.name] = 0  # empty tables do not enter the checksum: old and new schemas agree
            continue
        count, table_sum = table_digest(connection, table)
        counts[table.name] = count
        if table.name not in UNCHECKED:
            digest.update(f"{table.name}:{count}:{table_sum:032x}\n".encode())
    return counts, digest.hexdigest()


# ---------------------------------------------------------------- backup

def backup(db: Database, path: str | os.PathLike, key: bytes | None = None) -> Manifest:
    """Write a consistent backup of ``db`` to ``path`` (atomically: a finished file or none),
    its manifest signed with ``key`` (see ``backup_key``; unsigned without one)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if db.is_sqlite:
            source_summary = None
            _sqlite_online_backup(db, tmp)
        else:
            source_summary = _logical_export(db, tmp)
        manifest = _write_manifest(tmp, "sqlite" if db.is_sqlite else db.read_engine.dialect.name, key)
        if source_summary is not None and (manifest.counts, manifest.checksum) != source_summary:
            raise BackupError("the written backup does not match the database it was read from")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return manifest


def _sqlite_file(db: Database) -> str:
    database = make_url(db.url).database
    if not database or database == ":memory:":
        raise BackupError("only file databases can be backed up")
    return database


def _sqlite_online_backup(db: Database, target: Path) -> None:
    source = sqlite3.connect(_sqlite_file(db), timeout=30)
    destination = sqlite3.connect(target)
    try:
        # all pages in one step: one read transaction, so one snapshot even while others write
        source.backup(destination)
        destination.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        destination.close()
        source.close()


def _logical_export(db: Database, target: Path) -> tuple[dict[str, int], str]:
    """Copy every table from one REPEATABLE READ snapshot into a new SQLite file."""
    out = create_engine(f"sqlite:///{target}")
    try:
        Base.metadata.create_all(out)
        with db.read_engine.connect() as source:
            source = source.execution_options(isolation_level="REPEATABLE READ")
            with source.begin():
                # the snapshot is taken at the first query; everything below reads it
                summary = content_summary(source)
                with out.begin() as sink:
                    for table in tables():
                        result = source.execution_options(stream_results=True).execute(select(*table.columns))
                        for rows in result.partitions(CHUNK):
                            sink.execute(table.insert(), [dict(r._mapping) for r in rows])
    finally:
        out.dispose()
    return summary


def _write_manifest(path: Path, source: str, key: bytes | None = None) -> Manifest:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as connection:
            counts, checksum = content_summary(connection)
            revision = connection.scalar(select(CatalogRevision.revision).where(CatalogRevision.id == 1)) or 0
            manifest = Manifest(FORMAT, source, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                                int(revision), counts, checksum)
            if key is not None:
                sign(manifest, key)
            connection.exec_driver_sql(f"DROP TABLE IF EXISTS {MANIFEST_TABLE}")
            connection.exec_driver_sql(f"CREATE TABLE {MANIFEST_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            connection.execute(text(f"INSERT INTO {MANIFEST_TABLE} (key, value) VALUES (:k, :v)"),
                               [{"k": k, "v": json.dumps(v)} for k, v in manifest.to_json().items()])
    finally:
        engine.dispose()
    return manifest


# ---------------------------------------------------------------- reading and restoring

def read_manifest(path: str | os.PathLike) -> Manifest:
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"no backup file {path}")
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = dict(con.execute(f"SELECT key, value FROM {MANIFEST_TABLE}").fetchall())
        finally:
            con.close()
        data = {k: json.loads(v) for k, v in rows.items()}
        optional = ("key_id", "signature")  # backups from before signing have neither
        return Manifest(**{k: data[k] for k in Manifest.__dataclass_fields__ if k not in optional or k in data})
    except (sqlite3.DatabaseError, KeyError, TypeError, ValueError) as error:
        raise BackupError(f"{path} is not a Practice Bank backup ({error})") from error


def verify(path: str | os.PathLike, key: bytes | None = None, trust_unsigned: bool = False) -> Manifest:
    """The manifest, after checking its signature with ``key`` (unless ``trust_unsigned``) and
    the file's counts and checksum against it."""
    manifest = read_manifest(path)
    if manifest.format != FORMAT:
        raise BackupError(f"backup format {manifest.format} is not supported (expected {FORMAT})")
    check_signature(manifest, key, trust_unsigned)
    engine = create_engine(f"sqlite:///file:{Path(path).resolve()}?mode=ro&uri=true")
    try:
        with engine.connect() as connection:
            counts, checksum = content_summary(connection)
    except (DBAPIError, sqlite3.DatabaseError) as error:  # a torn or overwritten file: say so, no traceback
        raise BackupError(f"backup {path} is damaged and cannot be read ({_first_line(error)})") from error
    finally:
        engine.dispose()
    if {k: v for k, v in counts.items() if v} != {k: v for k, v in manifest.counts.items() if v} or checksum != manifest.checksum:
        raise BackupError(f"backup {path} is damaged: its content does not match its manifest "
                          f"(counts {counts} vs {manifest.counts})")
    return manifest


def project_count(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Project)) or 0


def _first_line(error: BaseException) -> str:
    orig = getattr(error, "orig", None) or error
    return (str(orig).splitlines() or [type(orig).__name__])[0][:200]


def restore(db: Database, path: str | os.PathLike, force: bool = False, key: bytes | None = None,
            trust_unsigned: bool = False) -> dict[str, Any]:
    """Replace the catalog in ``db`` with the backup at ``path``; returns what was restored.

    The backup's signature is checked with ``key`` (see ``backup_key``); an unsigned or
    wrongly signed backup is refused unless ``trust_unsigned``.
    """
    from practicebank.catalog.seeding import init_database

    manifest = verify(path, key, trust_unsigned)
    init_database(db)  # schema (and taxonomy, regions) present on a new home
    existing = project_count(db)
    if existing and not force:
        raise CatalogNotEmpty(f"the catalog already has {existing} projects; restoring would replace them "
                              "(add --force to do so)")
    source = create_engine(f"sqlite:///file:{Path(path).resolve()}?mode=ro&uri=true")
    try:
        with source.connect() as reader, db.write() as session:
            target = session.connection()
            previous = target.scalar(select(CatalogRevision.revision).where(CatalogRevision.id == 1)) or 0
            for table in reversed(tables()):
                target.execute(table.delete())
            for table in present_tables(reader):
                if table.name in UNCHECKED:
                    continue
                result = reader.execution_options(stream_results=True).execute(select(*table.columns))
                for rows in result.partitions(CHUNK):
                    target.execute(table.insert(), [dict(r._mapping) for r in rows])
            # forward, never back: indexes built before the restore must be seen as stale
            revision = max(int(previous), manifest.catalog_revision) + 1
            target.execute(CatalogRevision.__table__.insert(), [{"id": 1, "revision": revision,
                                                                 "changed_at": datetime.now(timezone.utc)}])
            counts, checksum = content_summary(target)
            if checksum != manifest.checksum:
                raise BackupError("the restored catalog does not match the backup's checksum; nothing was changed")
    finally:
        source.dispose()
    return {"ok": True, "file": str(path), "replaced_projects": existing, "counts": counts,
            "checksum": checksum, "catalog_revision": revision, "backup": manifest.to_json()}


def summary(db: Database) -> tuple[dict[str, int], str]:
    """Counts and checksum of a live database (one read transaction)."""
    with db.read() as session:
        return content_summary(session.connection())

