"""`practicebank serve`: one process under waitress, or several under gunicorn (--workers)."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from practicebank.cli import main

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="gunicorn runs on POSIX only")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def get(port: int, path: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        return response.status, response.read()


def test_several_worker_processes_serve_the_same_catalog(tmp_path):
    home = tmp_path / "home"
    assert CliRunner().invoke(main, ["init", "--home", str(home)]).exit_code == 0
    port = free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    server = subprocess.Popen([sys.executable, "-c", "from practicebank.cli import main; main()", "serve", "--workers", "2",
                               "--threads", "2", "--port", str(port), "--home", str(home)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                status, body = get(port, "/api/v1/stats")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode()
                assert time.monotonic() < deadline, "the server did not come up"
                time.sleep(0.3)
        assert status == 200 and json.loads(body)["regions"] == 85
        assert len(children(server.pid)) == 2  # gunicorn's arbiter and two workers
        status, body = get(port, "/search?q=kindergarten&lang=en")
        # no index yet: the page says so; only administrators are told what to run (issue 13)
        assert status == 200 and b"Matching results are not available yet" in body and b"practicebank index" not in body
    finally:
        server.send_signal(signal.SIGTERM)
        output = server.communicate(timeout=30)[0].decode()
    assert server.returncode == 0, output
    assert "2 processes" in output


def test_workers_must_be_at_least_one(tmp_path):
    result = CliRunner().invoke(main, ["serve", "--workers", "0", "--home", str(tmp_path)])
    assert result.exit_code == 2 and "--workers" in result.output
