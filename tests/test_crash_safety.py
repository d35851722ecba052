"""Crash safety: `practicebank import` SIGKILLed at random points never leaves half an import.

The real command line runs in subprocesses on files of a few hundred records (tiny synthetic
catalogs) and is killed with SIGKILL (no cleanup, no atexit) at random moments: some during
start-up, many inside the write transaction (triggered by the SQLite WAL file starting to
grow, plus a random delay), some after the commit. Two imports run at once, so kills also land
while one process waits for the other's write lock.

An import counts as *reported committed* when its "Imported ..." line reached stdout (the
CLI prints it only after the commit) or it exited 0. Afterwards:

* every reported import is fully present: all its ids, each with its feature count;
* no import is half there: for every file, its ids are all present or none (a re-import that
  updates a batch is all-new or all-old);
* ``PRAGMA integrity_check`` is ``ok``;
* ``practicebank index --check`` reports the committed-but-unindexed records as missing and
  ``practicebank index`` repairs the index (the check is clean afterwards).
"""
from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from practicebank.cli import main

ROOT = Path(__file__).resolve().parents[1]
BATCH = 150            # records per import file
NAMES = ["b00", "b01", "b02", "b03"]  # batches: each imported (v1) or updated (v2) again and again
ROUNDS = 14            # waves of two concurrent imports: >= 20 killed processes
TIME_BUDGET = 45.0     # seconds for all the kill rounds, whatever the machine's load


def _cli(home: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1", "HF_HUB_OFFLINE": "1",
           "PRACTICEBANK_HOME": str(home)}
    env.pop("PRACTICEBANK_DATABASE_URL", None)
    return subprocess.Popen([sys.executable, "-c", "from practicebank.cli import main; main()", *args, "--home", str(home)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _batch(base: list[dict], name: str, version: int) -> list[dict]:
    """The same content under the ids ``name-...``: embeddings are shared between batches, so
    re-indexing after the kills embeds nothing new. Version 2 changes titles and drops a feature."""
    out = []
    for record in base:
        r = json.loads(json.dumps(record))
        r["id"] = f"{name}-{record['id']}"
        r["based_on"] = [f"{name}-{b}" for b in record.get("based_on", [])]
        if version == 2:
            r["title"] = r["title"] + " (v2)"
            r["features"] = r["features"][:-1] or r["features"]
        out.append(r)
    return out


def _expected(records: list[dict]) -> dict[str, tuple[str, int]]:
    return {r["id"]: (r["title"], len(r.get("features", []))) for r in records}


def _state(db_path: Path) -> dict[str, tuple[str, int]]:
    con = sqlite3.connect(db_path)
    try:
        rows = con.execute("SELECT p.id, p.title, (SELECT count(*) FROM project_features f WHERE f.project_id = p.id) "
                           "FROM projects p").fetchall()
    finally:
        con.close()
    return {i: (t, n) for i, t, n in rows}


@pytest.fixture(scope="module")
def crashed_home(tmp_path_factory, encoder):
    """A home whose imports were SIGKILLed at random, with what each import reported."""
    from practicebank.catalog.regions import shipped_regions
    from practicebank.catalog.synthetic import generate

    home = tmp_path_factory.mktemp("crash")
    files = tmp_path_factory.mktemp("crash-files")
    base = generate(BATCH, 11, shipped_regions()).records
    runner = CliRunner()
    # batch 0 goes in cleanly and is indexed: the later check must find the others missing
    first = files / "b00.json"
    first.write_text(json.dumps(_batch(base, "b00", 1), ensure_ascii=False), encoding="utf-8")
    for args in (["init"], ["import", str(first)], ["index"]):
        result = runner.invoke(main, [*args, "--home", str(home)], catch_exceptions=False)
        assert result.exit_code == 0, result.output

    # how long one clean import takes here (start-up dominates), to spread the kill delays
    warm = files / "warm.json"
    warm.write_text(json.dumps(_batch(base[:5], "warm", 1), ensure_ascii=False), encoding="utf-8")
    started = time.monotonic()
    proc = _cli(home, "import", str(warm))
    assert proc.wait(60) == 0, proc.stderr.read().decode()
    duration = time.monotonic() - started

    rng = random.Random(20240611)
    wal = home / "practicebank.sqlite3-wal"
    versions = {name: {v: _batch(base, name, v) for v in (1, 2)} for name in NAMES}
    # per batch name, every import tried in order: (version, reported committed)
    history: dict[str, list[tuple[int, bool]]] = {name: [] for name in NAMES}
    history["b00"].append((1, True))
    kills = 0
    deadline = time.monotonic() + TIME_BUDGET
    for wave in range(ROUNDS):
        if time.monotonic() > deadline and kills >= 20:
            break
        procs = []
        for name in rng.sample(NAMES, 2):  # two writers at once, on different batches
            version = rng.choice((1, 2))
            path = files / f"{name}-v{version}.json"
            if not path.exists():
                path.write_text(json.dumps(versions[name][version], ensure_ascii=False), encoding="utf-8")
            procs.append((name, version, _cli(home, "import", str(path))))
        mode = rng.choice(["delay", "in_transaction", "in_transaction"])
        wal_size = wal.stat().st_size if wal.exists() else 0
        wal_mtime = wal.stat().st_mtime_ns if wal.exists() else 0
        start = time.monotonic()
        if mode == "delay":
            time.sleep(rng.uniform(0.2, 1.3) * duration)
        else:  # wait until a writer touches the WAL, then kill a few milliseconds later
            while time.monotonic() - start < 2.5 * duration:
                st = wal.stat() if wal.exists() else None
                if st is not None and (st.st_size != wal_size or st.st_mtime_ns != wal_mtime):
                    break
                time.sleep(0.002)
            time.sleep(rng.uniform(0.0, 0.12))
        for name, version, proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                kills += 1
        for name, version, proc in procs:
            out, _err = proc.communicate(timeout=60)
            history[name].append((version, proc.returncode == 0 or b"Imported" in out))
    expected = {name: {v: _expected(records) for v, records in vs.items()} for name, vs in versions.items()}
    return home, expected, history, kills


def test_killed_imports_leave_no_half_import(crashed_home):
    home, expected, history, kills = crashed_home
    assert kills >= 20
    db_path = home / "practicebank.sqlite3"
    con = sqlite3.connect(db_path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        con.close()
    state = _state(db_path)
    for name, tried in history.items():
        ids = expected[name][1].keys()
        present = [i for i in ids if i in state]
        # all or nothing: never part of a batch
        assert len(present) in (0, len(ids)), f"{name}: {len(present)} of {len(ids)} ids present"
        # the batch is in the state of the last reported import or of a later (unreported) one
        reported = [k for k, (_, ok) in enumerate(tried) if ok]
        allowed = {v for v, _ in tried[reported[-1]:]} if reported else {v for v, _ in tried}
        if not present:
            assert not reported, f"{name} reported committed but is missing"
            continue
        matches = {v for v, exp in expected[name].items() if all(state[i] == exp[i] for i in ids)}
        assert matches, f"{name}: a mixture of versions or wrong feature counts"
        assert matches & allowed, f"{name}: holds version {matches}, expected one of {allowed}"
    known = {i for by_version in expected.values() for i in by_version[1]}
    assert {i for i in state if not i.startswith("warm-")} <= known


def test_index_check_finds_missing_and_index_repairs(crashed_home):
    home, _, _, _ = crashed_home
    runner = CliRunner()
    check = runner.invoke(main, ["index", "--check", "--json", "--home", str(home)])
    report = json.loads(check.stdout)
    state = _state(home / "practicebank.sqlite3")
    unindexed = sorted(i for i in state if not i.startswith("b00-"))
    assert check.exit_code == 1 and report["missing"] == unindexed and report["orphan"] == []
    assert runner.invoke(main, ["index", "--home", str(home)]).exit_code == 0
    check = runner.invoke(main, ["index", "--check", "--json", "--home", str(home)])
    assert check.exit_code == 0, check.stdout
    assert json.loads(check.stdout)["ok"] is True
