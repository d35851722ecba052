"""The root group: `--home DIR` before the command (on the group) or after it, `--database-url`,
no environment written, and a domain refusal reported on stderr (or as JSON) with exit status 1."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from practicebank.cli import main


@pytest.fixture(autouse=True)
def _restore_home(monkeypatch):
    # an ambient home or database would hide whether the options were followed
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


def test_the_options_write_no_environment(tmp_path):
    import os

    result = CliRunner().invoke(main, ["--home", str(tmp_path / "a"), "init", "--home", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    assert "PRACTICEBANK_HOME" not in os.environ and "PRACTICEBANK_DATABASE_URL" not in os.environ


def test_database_url_on_the_group(tmp_path):
    url = f"sqlite:///{tmp_path / 'elsewhere.sqlite3'}"
    result = CliRunner().invoke(main, ["--database-url", url, "init", "--json", "--home", str(tmp_path / "home")])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["database"] == url
    assert (tmp_path / "elsewhere.sqlite3").exists()


def test_a_refusal_is_a_message_on_stderr_and_status_1(tmp_path):
    result = CliRunner().invoke(main, ["search", "school", "--home", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stdout == "" and "the index is not built yet: run `practicebank index`" in result.stderr


def test_a_refusal_under_json_is_the_api_error_document(tmp_path):
    result = CliRunner().invoke(main, ["--home", str(tmp_path), "duplicates", "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"ok": False, "error": "the index is not built yet: run `practicebank index`",
                                         "errors": [], "status": 503}


def test_bad_usage_stays_status_2(tmp_path):
    result = CliRunner().invoke(main, ["search", "--no-such-option", "--home", str(tmp_path)])
    assert result.exit_code == 2 and "No such option" in result.stderr
    assert not any(tmp_path.iterdir()), "bad usage touches no database"


def test_an_account_refusal_under_json(tmp_path, monkeypatch):
    monkeypatch.setenv("PRACTICEBANK_PASSWORD", "a long enough password 1")
    result = CliRunner().invoke(main, ["users", "add", "ed", "--role", "regional_editor", "--json",
                                       "--home", str(tmp_path)])
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["ok"] is False and document["status"] == 400 and "region" in document["error"]
    assert "Error: " in result.stderr
