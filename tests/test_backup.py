"""Backups taken while imports run are consistent, verified, and restore to the same content."""
from __future__ import annotations

import json
import sqlite3
import threading

import pytest
from click.testing import CliRunner

from practicebank.catalog.backup import BackupError, backup, read_manifest, restore, summary, verify
from practicebank.catalog.db import Database
from practicebank.catalog.importer import import_records
from practicebank.catalog.seeding import init_database
from practicebank.cli import main

BATCH = 20
KEY = bytes(range(32))  # the installation's backup key (catalog.backup.backup_key)


@pytest.fixture(scope="module")
def base_records():
    from practicebank.catalog.regions import shipped_regions
    from practicebank.catalog.synthetic import generate

    return generate(BATCH, 5, shipped_regions()).records


def _batch(base, name):
    return [{**r, "id": f"{name}-{r['id']}", "based_on": []} for r in base]


def _database(url: str, base) -> Database:
    db = Database(url)
    init_database(db)
    import_records(db, _batch(base, "base"))
    return db


def _backups_during_imports(db: Database, base, tmp_path, n_backups: int = 3) -> list:
    """Take backups while a thread imports batch after batch; the backups' manifests."""
    stop, errors, done = threading.Event(), [], []

    def writer():
        k = 0
        try:
            while not stop.is_set() and k < 60:
                import_records(db, _batch(base, f"t{k:03d}"))
                done.append(k)
                k += 1
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)

    thread = threading.Thread(target=writer)
    thread.start()
    manifests = []
    try:
        while len(done) < 1:
            stop.wait(0.01)
        for i in range(n_backups):
            manifests.append((tmp_path / f"b{i}.pbbak", backup(db, tmp_path / f"b{i}.pbbak", key=KEY)))
            stop.wait(0.05)
    finally:
        stop.set()
        thread.join()
    assert not errors, errors
    return manifests


def _check_consistent(manifests) -> None:
    for path, manifest in manifests:
        assert verify(path, KEY) == manifest and manifest.signature
        counts = manifest.counts
        # whole imports only: every batch brings BATCH projects and all their features
        assert counts["projects"] % BATCH == 0 and counts["projects"] >= 2 * BATCH
        con = sqlite3.connect(path)
        try:
            per_batch = con.execute("SELECT substr(id, 1, instr(id, '-')), count(*) FROM projects GROUP BY 1").fetchall()
            orphans = con.execute("SELECT count(*) FROM project_features f LEFT JOIN projects p "
                                  "ON p.id = f.project_id WHERE p.id IS NULL").fetchone()[0]
        finally:
            con.close()
        assert all(n == BATCH for _, n in per_batch) and orphans == 0


def _check_restores(manifests, make_url) -> None:
    for path, manifest in manifests:
        target = Database(make_url())
        report = restore(target, path, key=KEY)
        counts, checksum = summary(target)
        assert checksum == manifest.checksum == report["checksum"]
        assert {k: v for k, v in counts.items() if k != "catalog_revision"} == \
            {k: v for k, v in manifest.counts.items() if k != "catalog_revision"}
        assert target.revision() > manifest.catalog_revision - 1
        target.dispose()


def test_sqlite_backup_during_imports_is_consistent_and_restores_identically(tmp_path, base_records):
    db = _database(f"sqlite:///{tmp_path / 'live.sqlite3'}", base_records)
    manifests = _backups_during_imports(db, base_records, tmp_path)
    _check_consistent(manifests)
    urls = iter(f"sqlite:///{tmp_path / f'restored{i}.sqlite3'}" for i in range(10))
    _check_restores(manifests, lambda: next(urls))


@pytest.mark.postgres
def test_postgres_backup_during_imports_restores_into_sqlite_and_postgres(tmp_path, base_records, postgres_url):
    db = _database(postgres_url(), base_records)
    manifests = _backups_during_imports(db, base_records, tmp_path, n_backups=2)
    assert manifests[0][1].source == "postgresql"
    _check_consistent(manifests)
    urls = iter(f"sqlite:///{tmp_path / f'restored{i}.sqlite3'}" for i in range(10))
    _check_restores(manifests, lambda: next(urls))
    _check_restores(manifests[:1], postgres_url)
    db.dispose()


def test_restore_refuses_a_damaged_backup(tmp_path, base_records):
    db = _database(f"sqlite:///{tmp_path / 'live.sqlite3'}", base_records)
    path = tmp_path / "b.pbbak"
    backup(db, path, key=KEY)
    con = sqlite3.connect(path)
    con.execute("UPDATE project_features SET text = 'tampered' WHERE rowid = 1")
    con.commit()
    con.close()
    with pytest.raises(BackupError, match="damaged"):
        restore(Database(f"sqlite:///{tmp_path / 'other.sqlite3'}"), path, key=KEY)
    with pytest.raises(BackupError, match="not a Practice Bank backup"):
        read_manifest(tmp_path / "live.sqlite3")


def test_cli_backup_and_restore(tmp_path, base_records, monkeypatch):
    from practicebank.web.services import Services

    monkeypatch.setenv("PRACTICEBANK_SECRET_KEY", "the same secret on both machines")

    home, other = tmp_path / "home", tmp_path / "other"
    runner = _cli_home(tmp_path, base_records, home)
    out = tmp_path / "catalog.pbbak"
    result = runner.invoke(main, ["backup", "-o", str(out), "--json", "--home", str(home)])
    assert result.exit_code == 0, result.output
    made = json.loads(result.stdout)
    assert made["counts"]["projects"] == BATCH and made["checksum"]

    indexed = []
    monkeypatch.setattr(Services, "build_index", lambda self, *a, **k: indexed.append(self.home) or
                        {"records": BATCH, "catalog_revision": 0})
    # into a new home: restored and re-indexed
    result = runner.invoke(main, ["restore", str(out), "--json", "--home", str(other)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["checksum"] == made["checksum"] and report["counts"]["projects"] == BATCH
    assert len(indexed) == 1
    # a non-empty catalog is not replaced without --force
    result = runner.invoke(main, ["restore", str(out), "--home", str(home)])
    assert result.exit_code == 1 and "--force" in result.stderr
    result = runner.invoke(main, ["restore", str(out), "--force", "--no-index", "--home", str(home)])
    assert result.exit_code == 0 and "Restored 20 projects" in result.stdout
    assert len(indexed) == 1


# ------------------------------------------------------------------ signed manifests (issue 14)
def _tamper(path, recompute_with_key: bytes | None = None, keep_signature: bool = False) -> None:
    """What an attacker with the file does: change the content (a user becomes admin, a title
    changes) and write a manifest whose checksum matches again."""
    from practicebank.catalog.backup import _write_manifest

    old = read_manifest(path)
    con = sqlite3.connect(path)
    con.execute("UPDATE projects SET title = 'tampered' WHERE rowid = 1")
    con.commit()
    con.close()
    _write_manifest(path, old.source, recompute_with_key)
    if keep_signature:
        con = sqlite3.connect(path)
        con.execute("UPDATE backup_manifest SET value = ? WHERE key = 'signature'", (json.dumps(old.signature),))
        con.execute("UPDATE backup_manifest SET value = ? WHERE key = 'key_id'", (json.dumps(old.key_id),))
        con.commit()
        con.close()
    assert read_manifest(path).checksum != old.checksum


@pytest.mark.parametrize("attack", ["unsigned", "old_signature", "other_key"])
def test_an_edited_backup_with_a_recomputed_manifest_is_refused(tmp_path, base_records, attack):
    db = _database(f"sqlite:///{tmp_path / 'live.sqlite3'}", base_records)
    path = tmp_path / "b.pbbak"
    backup(db, path, key=KEY)
    _tamper(path, recompute_with_key=b"x" * 32 if attack == "other_key" else None,
            keep_signature=attack == "old_signature")
    target = Database(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    expected = {"unsigned": "not signed", "old_signature": "signature does not match",
                "other_key": "another key"}[attack]
    with pytest.raises(BackupError, match=expected):
        restore(target, path, key=KEY)
    with pytest.raises(BackupError, match=expected):
        verify(path, KEY)
    target.dispose()


def test_an_unsigned_backup_restores_only_when_trusted(tmp_path, base_records):
    db = _database(f"sqlite:///{tmp_path / 'live.sqlite3'}", base_records)
    path = tmp_path / "b.pbbak"
    manifest = backup(db, path)  # no key: unsigned
    assert manifest.signature is None
    target = Database(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    with pytest.raises(BackupError, match="not signed"):
        restore(target, path, key=KEY)
    assert restore(target, path, key=KEY, trust_unsigned=True)["checksum"] == manifest.checksum
    target.dispose()


def test_backup_key_comes_from_the_secret_or_a_private_key_file(tmp_path, monkeypatch):
    import os
    import stat

    from practicebank.catalog.backup import backup_key

    monkeypatch.delenv("PRACTICEBANK_SECRET_KEY", raising=False)
    first = backup_key(tmp_path)
    assert backup_key(tmp_path) == first and len(first) == 32
    assert stat.S_IMODE(os.stat(tmp_path / "backup.key").st_mode) == 0o600
    assert backup_key(tmp_path / "elsewhere") != first
    monkeypatch.setenv("PRACTICEBANK_SECRET_KEY", "s3cret")
    assert backup_key(tmp_path) == backup_key(tmp_path / "elsewhere") != first


def _cli_home(tmp_path, base_records, home):
    """A CliRunner after `init` and `import` of a batch into ``home``."""
    data = tmp_path / "records.json"
    data.write_text(json.dumps(_batch(base_records, "cli")), encoding="utf-8")
    runner = CliRunner()
    for args in (["init"], ["import", str(data)]):
        assert runner.invoke(main, [*args, "--home", str(home)]).exit_code == 0
    return runner


def _cli_backup(tmp_path, base_records, home):
    runner = _cli_home(tmp_path, base_records, home)
    out = tmp_path / "catalog.pbbak"
    assert runner.invoke(main, ["backup", "-o", str(out), "--home", str(home)]).exit_code == 0
    return runner, out


def test_cli_restore_of_a_damaged_file_says_so_without_a_traceback(tmp_path, base_records, monkeypatch):
    monkeypatch.delenv("PRACTICEBANK_SECRET_KEY", raising=False)
    home = tmp_path / "home"
    runner, out = _cli_backup(tmp_path, base_records, home)
    raw = bytearray(out.read_bytes())
    for damaged, how in ((raw[: len(raw) // 2], "truncated"),
                         (raw[:8192] + b"\xff" * 8192 + raw[16384:], "overwritten pages"),
                         (b"\x00" * len(raw), "zeroed")):
        bad = tmp_path / f"{how}.pbbak"
        bad.write_bytes(bytes(damaged))
        result = runner.invoke(main, ["restore", str(bad), "--force", "--no-index", "--home", str(home)])
        assert result.exit_code == 1, (how, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), (how, result.exception)
        assert "Traceback" not in result.output and "OperationalError" not in result.output
        assert "damaged" in result.stderr or "not a Practice Bank backup" in result.stderr, (how, result.stderr)


def test_cli_restore_checks_the_signature_with_this_installations_key(tmp_path, base_records, monkeypatch):
    monkeypatch.delenv("PRACTICEBANK_SECRET_KEY", raising=False)
    home, other = tmp_path / "home", tmp_path / "other"
    runner, out = _cli_backup(tmp_path, base_records, home)
    assert (home / "backup.key").exists()
    # another home has another key: refused, with what to do about it
    result = runner.invoke(main, ["restore", str(out), "--no-index", "--home", str(other)])
    assert result.exit_code == 1 and "another key" in result.stderr and "backup.key" in result.stderr
    (other / "backup.key").write_bytes((home / "backup.key").read_bytes())
    assert runner.invoke(main, ["restore", str(out), "--no-index", "--home", str(other)]).exit_code == 0
    # an edited copy with a recomputed manifest is refused by the CLI too
    _tamper(out)
    result = runner.invoke(main, ["restore", str(out), "--force", "--no-index", "--home", str(home)])
    assert result.exit_code == 1 and "not signed" in result.stderr
