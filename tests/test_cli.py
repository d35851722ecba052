"""The command line, end to end on a small catalog: what a user types and what they read."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from practicebank.cli import main

PLANNED = [
    {"id": "plan-kindergarten", "title": "Kindergarten queue", "region": "RU-KGN", "industries": ["education"],
     "features": ["parents apply online for a kindergarten place", "see the position in the waiting list"],
     "funding": {"regional": 30000}},
    {"id": "plan-fish", "title": "Fishing quota register", "region": "RU-KGN", "industries": ["agriculture"],
     "features": ["allocate fishing quotas to companies", "track the catch reported by vessels"]},
]


@pytest.fixture(scope="module")
def home(tmp_path_factory, encoder):
    """A home with the shipped catalog and a built index (the model loads once per session)."""
    path = tmp_path_factory.mktemp("home")
    runner = CliRunner()
    for args in (["init"], ["seed"], ["index"]):
        result = runner.invoke(main, [*args, "--home", str(path)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    return path


def run(home, *args, ok=True):
    result = CliRunner().invoke(main, [*args, "--home", str(home)])
    assert (result.exit_code == 0) == ok, result.output
    return result


def test_stats_json_has_the_spec_shape(home):
    data = json.loads(run(home, "stats", "--json").stdout)
    assert {"projects", "regions", "by_industry", "by_region", "by_technology", "by_status"} <= set(data)
    assert data["projects"] >= 40 and data["regions"] >= 85


def test_recommend_finds_the_kindergarten_system_with_evidence(home):
    data = json.loads(run(home, "recommend", "Kindergarten queue", "--features",
                          "online application for a kindergarten place; queue position tracking",
                          "--budget", "20000", "--json").stdout)
    best = data["results"][0]
    assert best["id"] == "ta-electronic-kindergarten"
    assert 0 <= best["score"] <= 1 and best["overlap"] >= 85
    assert [pair[0] for pair in best["matched_features"]] == [
        "online application for a kindergarten place", "queue position tracking"]
    # Tatarstan's system is still a plan in the source strategy: no savings promised against it
    assert best["status"] == "planned" and best["estimated_savings"] is None
    assert best["notes"] == ["not_in_operation"]


def test_a_russian_plan_finds_the_english_record(home):
    data = json.loads(run(home, "recommend", "Электронная запись в детские сады", "--features",
                          "подача заявления на место в детском саду онлайн; отслеживание очереди; "
                          "уведомления родителям", "--json").stdout)
    best = data["results"][0]
    assert best["id"] == "ta-electronic-kindergarten" and best["overlap"] >= 60


def test_recommend_text_output_names_matched_and_missing_functions(home):
    out = run(home, "recommend", "Kindergarten queue", "--features",
              "queue position tracking; feed the zoo animals").stdout
    assert "Electronic kindergarten" in out and "✓ queue position tracking" in out
    assert "✗ feed the zoo animals" in out


def test_recommend_rejects_an_unknown_region_with_a_hint(home):
    result = run(home, "recommend", "anything", "--region", "Atlantis", ok=False)
    assert "unknown region 'Atlantis'" in result.output and "practicebank regions" in result.output


def test_check_plan_summarises_a_portfolio(home, tmp_path):
    portfolio = tmp_path / "plan.json"
    portfolio.write_text(json.dumps(PLANNED), encoding="utf-8")
    data = json.loads(run(home, "check-plan", str(portfolio), "--json").stdout)
    assert [i["input_id"] for i in data["items"]] == ["plan-kindergarten", "plan-fish"]
    assert data["items"][0]["results"][0]["id"] == "ta-electronic-kindergarten"
    assert data["summary"]["planned_cost"] == 30000
    assert data["summary"]["items_with_match"] == 1


def test_check_plan_reports_invalid_records_by_number(home, tmp_path):
    portfolio = tmp_path / "plan.json"
    portfolio.write_text(json.dumps([{**PLANNED[0], "industries": ["schools"]}]), encoding="utf-8")
    result = run(home, "check-plan", str(portfolio), ok=False)
    assert "record 1, industries" in result.output and "'schools'" in result.output


def test_search_filters_by_facet_and_counts(home):
    data = json.loads(run(home, "search", "digital", "--industry", "education", "--json").stdout)
    assert data["total"] == len([r for r in data["results"]]) or data["total"] > 0
    assert all("education" in r["industries"] for r in data["results"])
    assert data["facets"]["industry"]["education"] == data["total"]


def test_index_check_reports_a_change_until_reindexed(home, tmp_path):
    assert json.loads(run(home, "index", "--check", "--json").stdout)["ok"] is True
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps([{**PLANNED[1], "id": "kgn-new-register", "status": "in_operation"}]))
    run(home, "import", str(changed))
    report = json.loads(run(home, "index", "--check", "--json", ok=False).stdout)
    assert report["missing"] == ["kgn-new-register"] and report["ok"] is False
    run(home, "index")
    assert json.loads(run(home, "index", "--check", "--json").stdout)["ok"] is True


def test_duplicates_json_has_the_spec_shape(home):
    data = json.loads(run(home, "duplicates", "--json").stdout)
    assert {"threshold", "systems", "families", "systems_in_families"} <= set(data)
    for family in data["families"]:
        assert {"id", "members", "overlap"} <= set(family) and len(family["members"]) >= 2


def test_import_rejects_an_invalid_file_and_changes_nothing(home, tmp_path):
    before = json.loads(run(home, "stats", "--json").stdout)["projects"]
    bad = tmp_path / "bad.csv"
    bad.write_text("id,title,region,industries\nok-1,Fine,RU-TA,education\nbad 2,Broken,RU-TA,helthcare\n")
    result = run(home, "import", str(bad), ok=False)
    assert "row 3" in result.output and "helthcare" in result.output and "--skip-invalid" in result.output
    assert json.loads(run(home, "stats", "--json").stdout)["projects"] == before


def test_unknown_file_format_is_a_clear_error(home, tmp_path):
    odd = tmp_path / "catalog.txt"
    odd.write_text("hello")
    result = run(home, "import", str(odd), ok=False)
    assert "supported: .json, .jsonl, .csv, .xlsx" in result.output


def test_recommend_needs_a_description(home):
    result = run(home, "recommend", "  ", ok=False)
    assert "describe the planned system" in result.output


def test_search_rejects_an_unknown_facet_value(home):
    result = run(home, "search", "school", "--industry", "schools", ok=False)
    assert "unknown industry schools" in result.output and "education" in result.output


def test_check_plan_reads_a_strategy_appendix_and_writes_the_russian_report(home, tmp_path):
    import openpyxl

    from test_portfolio import strategy_appendix

    appendix = tmp_path / "prilozhenie-2.xlsx"
    appendix.write_bytes(strategy_appendix())
    report = tmp_path / "otchet.xlsx"
    result = run(home, "check-plan", str(appendix), "--json", "-o", str(report), "--lang", "ru")
    data = json.loads(result.stdout)
    assert [i["input_id"] for i in data["items"]] == ["row-9", "row-10", "row-11"]
    assert data["summary"]["without_budget"] == [{"input_id": "row-11", "title": "Электронный детский сад"}]
    assert openpyxl.load_workbook(report).sheetnames == ["Отчёт", "Итоги"]
