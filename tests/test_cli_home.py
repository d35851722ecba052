"""`--home DIR` is accepted before the command (on the group) and after it, as the README says."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from practicebank.web.cli import main


@pytest.fixture(autouse=True)
def _restore_home(monkeypatch):
    # the option sets PRACTICEBANK_HOME for the process; monkeypatch puts it back afterwards
    monkeypatch.delenv("PRACTICEBANK_HOME", raising=False)
    monkeypatch.delenv("PRACTICEBANK_DATABASE_URL", raising=False)


@pytest.mark.parametrize("where", ["before", "after"])
def test_home_before_or_after_the_command(tmp_path, where):
    home = tmp_path / "home"
    args = ["--home", str(home), "init", "--json"] if where == "before" else ["init", "--json", "--home", str(home)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ok"] and data["regions"] >= 85
    assert str(home) in data["database"]
    assert any(home.iterdir()), "the database lives in the folder given"


def test_home_after_the_command_wins_over_before(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    result = CliRunner().invoke(main, ["--home", str(first), "init", "--json", "--home", str(second)])
    assert result.exit_code == 0, result.output
    assert str(second) in json.loads(result.stdout)["database"]


def test_group_help_lists_home():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0 and "--home" in result.output
