"""Issue 14, numbers and bounds: finite numbers only, bounded records, bounded engine work per
request, realistic money with safe sums, limits on the write API, a streamed audit with diffs,
and the low items (nesting, surrogates, huge pages, empty imports, invisible and RTL text).

Every limit comes from catalog.limits; the tests read it from there rather than repeating it.
"""
from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner

from practicebank.catalog import accounts, audit, limits
from practicebank.catalog.files import validate_projects
from practicebank.catalog.importer import import_records
from practicebank.catalog.models import AuditEntry, Project
from practicebank.catalog.seeding import init_database, shipped_projects
from practicebank.web.app import create_app
from practicebank.web.services import Services

PASSWORD = "correct horse battery"
RECORDS = shipped_projects()[:10]
BASE = {"id": "rec", "title": "System", "region": "RU-TA", "industries": ["education"]}


def strict_json(text: str):
    """json.loads that refuses NaN/Infinity (what a strict JSON client does)."""
    def refuse(name):
        raise ValueError(f"{name} is not JSON")
    return json.loads(text, parse_constant=refuse)


def assert_error_shape(response, status: int | tuple[int, ...]) -> dict:
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, (response.status_code, response.data[:300])
    body = strict_json(response.get_data(as_text=True))
    assert set(body) == {"ok", "error", "errors", "status"} and body["ok"] is False
    assert body["status"] == response.status_code and body["error"]
    return body


def twin(pid: str, region: str, capex: float | None = None) -> dict:
    """Two of these in different regions are near-identical: a duplicate family."""
    record = {"id": pid, "title": "Electronic queue to kindergartens", "region": region,
              "industries": ["education"], "status": "in_operation",
              "features": ["online application for a kindergarten place", "queue position tracking",
                           "notifications to parents about the queue"]}
    if capex is not None:
        record["cost"] = {"capex": capex}
    return record


@pytest.fixture(scope="module")
def services(tmp_path_factory, encoder):
    home = tmp_path_factory.mktemp("hardening-home")
    services = Services.from_env(home)
    init_database(services.db)
    import_records(services.db, [*RECORDS, twin("twin-a", "RU-BA", 1e9), twin("twin-b", "RU-KGN", 1e9)])
    with services.db.write() as s:
        accounts.create_user(s, "ed", PASSWORD, "regional_editor", "RU-TA")
        accounts.create_user(s, "admin", PASSWORD, "admin")
    services.build_index()
    return services


def make(services, **config):
    return create_app({"SERVICES": services, "TESTING": True, "SECRET_KEY": "t", "WTF_CSRF_ENABLED": False,
                       **config})


@pytest.fixture(scope="module")
def client(services):
    return make(services).test_client()


@pytest.fixture(scope="module")
def token(services):
    with services.db.write() as s:
        raw, _ = accounts.create_token(s, "ed", "tests")
    return {"Authorization": f"Bearer {raw}"}


def raw_post(client, url: str, text: str, headers: dict | None = None):
    return client.post(url, data=text.encode("utf-8", "surrogatepass"), content_type="application/json",
                       headers=headers or {})


# -- 1. non-finite numbers -----------------------------------------------------------------------

@pytest.mark.parametrize("value", ["1e999", "-1e999", "NaN", "Infinity", "-Infinity"])
def test_non_finite_indicator_values_are_refused_by_the_write_api(client, token, value):
    body = ('{"id": "nonfinite", "title": "Indicators", "industries": ["education"], '
            f'"indicators": [{{"name": "Waiting time", "baseline": {value}}}]}}')
    error = assert_error_shape(raw_post(client, "/api/v1/projects", body, token), 400)
    assert "JSON" in error["error"] or "finite" in error["error"]
    assert client.get("/api/v1/projects/nonfinite", headers=token).status_code == 404


@pytest.mark.parametrize("field", ["baseline", "target", "actual"])
@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan, 1e13])
def test_non_finite_and_absurd_indicator_values_are_refused_on_import(field, value):
    record = {**BASE, "indicators": [{"name": "Waiting time", field: value}]}
    valid, errors = validate_projects([(1, record)], None)
    assert not valid and errors[0].field == f"indicators[0].{field}"


@pytest.mark.parametrize("text", ['{"text": "kindergarten", "budget": 1e999}', '{"text": "kindergarten", "budget": NaN}',
                                  '{"text": "kindergarten", "budget": 1e10}', '{"text": "kindergarten", "budget": -1}'])
def test_a_budget_out_of_range_is_a_400(client, text):
    error = assert_error_shape(raw_post(client, "/api/v1/recommend", text), 400)
    assert "budget" in error["error"] or "JSON" in error["error"]


def test_every_number_the_api_emits_is_valid_json(services, client, token):
    """Legacy data stored before money was bounded (1.7e308 twice: a sum overflows to inf) and
    the largest valid amounts still give strict JSON everywhere."""
    with services.db.write() as s:
        for pid in ("twin-a", "twin-b"):
            row = s.get(Project, pid)
            row.capex = row.opex_per_year = row.funding_regional = row.funding_federal = 1.7e308
    services.build_index()
    try:
        urls = ["/api/v1/duplicates?threshold=50", "/api/v1/duplicates", "/api/v1/projects", "/api/v1/projects/twin-a",
                "/api/v1/compare?ids=twin-a,twin-b", "/api/v1/projects/twin-a/similar", "/api/v1/stats",
                "/api/v1/scale-candidates", "/api/v1/search?q=kindergarten", "/api/v1/regions", "/api/v1/openapi.json",
                "/search/export.json?q=kindergarten"]
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            strict_json(response.get_data(as_text=True))
        families = client.get("/api/v1/duplicates?threshold=50").get_json()["families"]
        twins = [f for f in families if {"twin-a", "twin-b"} <= set(f["members"])]
        assert twins and all(math.isfinite(f["capex_total"]) for f in twins)
        for body in ({"text": "kindergarten queue", "budget": limits.MAX_MONEY},
                     {"features": ["online application for a kindergarten place"], "budget": 0}):
            strict_json(client.post("/api/v1/recommend", json=body).get_data(as_text=True))
        report = client.post("/api/v1/check-plan", json=[{**twin("plan-1", "RU-TA"),
                                                          "funding": {"regional": limits.MAX_MONEY}}])
        assert report.status_code == 200
        strict_json(report.get_data(as_text=True))
        # pages with those sums: no 500 (babel cannot format 1.7e308 as a decimal)
        for url in ("/projects/twin-a", "/duplicates?threshold=50", "/regions/RU-BA", "/compare?ids=twin-a,twin-b"):
            assert client.get(url).status_code == 200, url
    finally:
        with services.db.write() as s:
            for pid in ("twin-a", "twin-b"):
                row = s.get(Project, pid)
                row.capex, row.opex_per_year, row.funding_regional, row.funding_federal = 1e9, None, None, None
        services.build_index()


# -- 2. bounded records --------------------------------------------------------------------------

@pytest.mark.parametrize("change, field", [
    ({"features": [f"function number {i}" for i in range(limits.MAX_FEATURES + 1)]}, "features"),
    ({"features": ["x" * (limits.MAX_FEATURE_CHARS + 1)]}, "features[0]"),
    ({"title": "x" * (limits.MAX_TITLE_CHARS + 1)}, "title"),
    ({"summary": "x" * (limits.MAX_SUMMARY_CHARS + 1)}, "summary"),
    ({"description": "x" * (limits.MAX_DESCRIPTION_CHARS + 1)}, "description"),
    ({"owner": "x" * (limits.MAX_SHORT_TEXT_CHARS + 1)}, "owner"),
    ({"indicators": [{"name": f"i{i}"} for i in range(limits.MAX_INDICATORS + 1)]}, "indicators"),
    ({"indicators": [{"name": "x" * (limits.MAX_SHORT_TEXT_CHARS + 1)}]}, "indicators[0].name"),
    ({"sources": [{"title": f"s{i}"} for i in range(limits.MAX_SOURCES + 1)]}, "sources"),
    ({"sources": [{"title": "s", "url": "https://x/" + "a" * limits.MAX_URL_CHARS}]}, "sources[0].url"),
    ({"based_on": [f"p{i}" for i in range(limits.MAX_BASED_ON + 1)]}, "based_on"),
    ({"translations": {"ru": {"title": "Т", "features": ["ф"] * (limits.MAX_FEATURES + 1)}}}, "translations.ru.features"),
    ({"cost": {"capex": limits.MAX_MONEY * 10}}, "cost.capex"),
    ({"funding": {"federal": 1e30}}, "funding.federal"),
])
def test_records_are_bounded(change, field):
    valid, errors = validate_projects([(1, {**BASE, **change})], None)
    assert not valid and [e.field for e in errors] == [field], errors


def test_the_whole_record_is_bounded():
    # every field within its own limit, the whole record over MAX_RECORD_CHARS
    record = {**BASE, "description": "d" * limits.MAX_DESCRIPTION_CHARS,
              "features": ["f" * limits.MAX_FEATURE_CHARS] * limits.MAX_FEATURES,
              "translations": {lang: {"title": "Т", "features": ["ф" * limits.MAX_FEATURE_CHARS] * limits.MAX_FEATURES}
                               for lang in ("ru", "en")}}
    valid, errors = validate_projects([(1, record)], None)
    assert not valid and errors[0].field is None and f"{limits.MAX_RECORD_CHARS:,}" in errors[0].message


def test_records_at_the_limits_are_valid():
    record = {**BASE, "features": [f"function number {i}" for i in range(limits.MAX_FEATURES)],
              "cost": {"capex": limits.MAX_MONEY, "opex_per_year": 0},
              "indicators": [{"name": "n", "baseline": -limits.MAX_INDICATOR_ABS, "target": limits.MAX_INDICATOR_ABS}]}
    valid, errors = validate_projects([(1, record)], None)
    assert valid and not errors


def test_money_message_names_the_unit():
    _, errors = validate_projects([(1, {**BASE, "cost": {"capex": 1e30}})], None)
    assert "thousand rubles" in errors[0].message and "trillion" in errors[0].message


def test_the_write_api_refuses_an_unbounded_record(client, token):
    body = {"id": "huge-draft", "title": "Huge", "industries": ["education"],
            "features": [f"function {i}" for i in range(limits.MAX_FEATURES * 10)]}
    error = assert_error_shape(client.post("/api/v1/projects", json=body, headers=token), 400)
    assert any("features" in json.dumps(e) for e in error["errors"])


def test_the_draft_form_refuses_an_unbounded_record(services):
    client = make(services).test_client()
    client.post("/login", data={"login": "ed", "password": PASSWORD})
    features = "\n".join(f"function {i}" for i in range(limits.MAX_FEATURES + 1))
    response = client.post("/projects/new", data={"id": "form-huge", "title": "Huge", "industries": "education",
                                                  "features": features})
    assert response.status_code == 400
    with services.db.read() as s:
        assert s.get(Project, "form-huge") is None


@pytest.mark.parametrize("title, word", [("Bad\x00title", "NUL"), ("\u200b\u200b\u200d", "visible"),
                                         ("\u2060 \ufeff", "visible"), ("Pay \u202egnp.exe", "direction"),
                                         ("Isolate \u2067x", "direction")])
def test_nul_invisible_and_rtl_override_text_is_refused(client, token, title, word):
    body = {"id": "text-check", "title": title, "industries": ["education"]}
    error = assert_error_shape(client.post("/api/v1/projects", json=body, headers=token), 400)
    assert word in json.dumps(error, ensure_ascii=False)
    _, errors = validate_projects([(1, {**BASE, "features": ["ok function", title]})], None)
    assert errors and errors[0].field == "features"


def test_ordinary_text_with_joiners_and_right_to_left_letters_is_kept():
    # a zero-width joiner inside visible text and Arabic/Hebrew letters are text, not a trick
    valid, errors = validate_projects([(1, {**BASE, "title": "Emoji 👩\u200d💻 and עברית"})], None)
    assert valid and not errors


# -- 3. anonymous CPU cost -----------------------------------------------------------------------

@pytest.mark.parametrize("body, word", [
    ({"features": [f"function {i}" for i in range(limits.MAX_PLAN_FEATURES + 1)]}, "functions"),
    ({"features": "\n".join(f"function {i}" for i in range(limits.MAX_PLAN_FEATURES + 1))}, "functions"),
    ({"features": "x" * (limits.MAX_PLAN_FEATURES * limits.MAX_FEATURE_CHARS + 1)}, "functions"),
    ({"features": ["x" * (limits.MAX_FEATURE_CHARS + 1)]}, "characters"),
    ({"description": "x" * (limits.MAX_PLAN_TEXT_CHARS + 1)}, "description"),
    ({"text": "x" * (limits.MAX_PLAN_TEXT_CHARS + 1)}, "text"),
    ({"title": "x" * (limits.MAX_PLAN_TITLE_CHARS + 1)}, "title"),
])
def test_recommend_bounds_the_plan(client, body, word):
    error = assert_error_shape(client.post("/api/v1/recommend", json=body), 400)
    assert word in error["error"] or any(word in e for e in error["errors"])


def test_recommend_at_the_bounds_answers(client):
    body = {"title": "Kindergarten queue", "description": "queue " * (limits.MAX_PLAN_TEXT_CHARS // 6),
            "features": [f"function number {i}" for i in range(limits.MAX_PLAN_FEATURES)]}
    assert client.post("/api/v1/recommend", json=body).status_code == 200


def test_check_plan_bounds_the_rows(client):
    rows = [{**BASE, "id": f"p{i}"} for i in range(limits.MAX_CHECK_PLAN_ROWS + 1)]
    error = assert_error_shape(client.post("/api/v1/check-plan", json=rows), 400)
    assert str(limits.MAX_CHECK_PLAN_ROWS) in error["error"]
    from practicebank.catalog.files import dump_bytes
    import io
    upload = dump_bytes("csv", rows)
    response = client.post("/api/v1/check-plan", data={"file": (io.BytesIO(upload), "draft.csv")},
                           content_type="multipart/form-data")
    assert str(limits.MAX_CHECK_PLAN_ROWS) in assert_error_shape(response, 400)["error"]


def test_the_plan_page_bounds_the_plan_in_russian(client):
    features = "\n".join(f"функция {i}" for i in range(limits.MAX_PLAN_FEATURES + 1))
    response = client.post("/plan?lang=ru", data={"title": "Очередь", "features": features})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f"не более {limits.MAX_PLAN_FEATURES} функций" in html
    response = client.post("/plan?lang=ru", data={"title": "Очередь",
                                                  "description": "x" * (limits.MAX_PLAN_TEXT_CHARS + 1)})
    assert response.status_code == 400 and f"Не более {limits.MAX_PLAN_TEXT_CHARS} символов" in response.get_data(as_text=True)
    for budget in ("NaN", "Infinity", "1e999", "1e10"):
        response = client.post("/plan?lang=ru", data={"title": "Очередь", "budget": budget})
        assert response.status_code == 400, budget


def test_the_matcher_bounds_what_it_considers_whatever_the_caller():
    from practicebank.matcher.dense import record_functions
    from practicebank.matcher.functions import MAX_FEATURES, function_statements, split_statements
    from practicebank.matcher.records import ProjectRecord

    assert MAX_FEATURES == limits.MAX_FEATURES
    record = ProjectRecord(id="x", title="x", features=tuple(f"function number {i}" for i in range(10_000)))
    assert len(function_statements(record)) == MAX_FEATURES
    assert len(function_statements([f"function number {i}" for i in range(10_000)])) == MAX_FEATURES
    assert len(record_functions(record)) == MAX_FEATURES
    assert len(split_statements("Track the queue position of every child. " * 100_000)) <= 30


def test_every_engine_path_is_rate_limited(services):
    client = make(services, RATELIMIT_ENABLED=True).test_client()
    plan = [client.get("/plan?title=kindergarten").status_code for _ in range(30)]
    plan += [client.post("/plan", data={"title": "kindergarten"}).status_code for _ in range(31)]
    assert plan[-1] == 429 and 429 not in plan[:60]
    compare = [client.get("/api/v1/compare?ids=twin-a,twin-b").status_code for _ in range(61)]
    assert compare[-1] == 429 and 429 not in compare[:60]
    assert_error_shape(client.get("/api/v1/compare?ids=twin-a,twin-b"), 429)
    assert [client.get("/compare?ids=twin-a,twin-b").status_code for _ in range(61)][-1] == 429
    assert [client.get("/api/v1/projects/twin-a/similar").status_code for _ in range(61)][-1] == 429
    # another address is not affected
    assert client.post("/plan", data={"title": "kindergarten"},
                       environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code < 400


# -- 8. money -------------------------------------------------------------------------------------

def test_matcher_records_clamp_legacy_money():
    from practicebank.matcher.records import ProjectRecord

    record = ProjectRecord.from_dict({"id": "x", "cost": {"capex": 1.7e308, "opex_per_year": math.inf},
                                      "funding": {"regional": 1.7e308, "federal": 1.7e308}})
    assert record.capex == limits.MAX_MONEY and record.opex_per_year is None
    assert math.isfinite(record.planned_budget)


# -- 9. write API limits, audit -------------------------------------------------------------------

def test_write_api_bodies_are_bounded_and_rate_limited(services, token):
    client = make(services).test_client()
    big = {"id": "too-big", "title": "Big", "industries": ["education"],
           "description": "x" * (limits.MAX_JSON_BODY_BYTES + 1)}
    error = assert_error_shape(client.post("/api/v1/projects", json=big, headers=token), 413)
    assert f"{limits.MAX_JSON_BODY_BYTES:,}" in error["error"]
    assert_error_shape(client.post("/api/v1/recommend", json={"text": "x" * (limits.MAX_JSON_BODY_BYTES + 1)}), 413)
    limited = make(services, RATELIMIT_ENABLED=True).test_client()
    body = {"id": "rate-draft", "title": "Rate", "industries": ["education"]}
    statuses = [limited.put("/api/v1/projects/rate-draft", json=body, headers=token).status_code for _ in range(31)]
    assert statuses[-1] == 429 and 429 not in statuses[:30]


def test_the_audit_of_an_edit_keeps_only_what_changed(services, client, token):
    body = {"id": "audited", "title": "Audited", "industries": ["education"],
            "description": "a long description " * 200, "features": ["online application", "queue tracking"]}
    assert client.post("/api/v1/projects", json=body, headers=token).status_code == 201
    assert client.put("/api/v1/projects/audited", json={**body, "title": "Audited, renamed"},
                      headers=token).status_code == 200
    with services.db.read() as s:
        edit = audit.entries(s, entity_type="project", entity_id="audited")[-1]
    assert edit["action"] == "project.edit"
    assert edit["before"] == {"title": "Audited"} and edit["after"] == {"title": "Audited, renamed"}


def test_audit_diff():
    assert audit.diff({"a": 1, "b": [1], "c": 3}, {"a": 1, "b": [2], "d": 4}) == ({"b": [1], "c": 3}, {"b": [2], "d": 4})
    assert audit.diff(None, {"a": 1}) == (None, {"a": 1})


def test_the_audit_download_streams(services):
    client = make(services).test_client()
    client.post("/login", data={"login": "admin", "password": PASSWORD})
    response = client.get("/admin/audit.jsonl")
    assert response.status_code == 200 and response.is_streamed
    lines = response.get_data(as_text=True).splitlines()
    with services.db.read() as s:
        assert len(lines) == s.query(AuditEntry).count()
        assert [json.loads(line)["id"] for line in lines] == [e["id"] for e in audit.entries(s)]


def test_the_audit_export_reads_in_batches(services):
    with services.db.read() as s:
        lines = list(audit.iter_jsonl(s, batch=2))
        assert [json.loads(line)["id"] for line in lines] == [e["id"] for e in audit.entries(s)]


# -- low items ------------------------------------------------------------------------------------

DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize("url", ["/api/v1/recommend", "/api/v1/check-plan", "/api/v1/compare", "/api/v1/projects"])
@pytest.mark.parametrize("text", [DEEP, '{"a":' * 50_000 + "1" + "}" * 50_000, '{"text": "\\ud800"}',
                                  '["\\udfff"]', '{"title": "x", "features": ["\\ud800"]}'])
def test_nesting_and_lone_surrogates_are_a_400(client, token, url, text):
    error = assert_error_shape(raw_post(client, url, text, token), 400)
    assert "JSON" in error["error"]


def test_a_surrogate_pair_is_fine(client):
    assert client.post("/api/v1/recommend", data='{"text": "kindergarten \\ud83d\\ude00"}',
                       content_type="application/json").status_code == 200


def test_huge_page_numbers_are_a_400(client):
    for url in ("/api/v1/projects?page=99999999999999999999", "/api/v1/search?q=school&page=99999999999999999999",
                f"/api/v1/projects?page={limits.MAX_PAGE + 1}"):
        assert_error_shape(client.get(url), 400)
    assert client.get("/search?q=school&page=99999999999999999999").status_code == 400


def test_revoking_a_huge_token_id_is_a_404(services):
    client = make(services).test_client()
    client.post("/login", data={"login": "admin", "password": PASSWORD})
    assert client.post("/admin/tokens/99999999999999999999/revoke").status_code == 404


def test_a_body_over_the_upload_limit_gets_the_json_error_shape(services):
    client = make(services, MAX_CONTENT_LENGTH=1024).test_client()
    assert_error_shape(raw_post(client, "/api/v1/check-plan", json.dumps([BASE] * 100)), 413)


def test_waitress_lets_the_app_answer_a_body_just_over_the_limit(services):
    from practicebank.cli.serve import waitress_options

    app = make(services)
    assert waitress_options(app)["max_request_body_size"] > app.config["MAX_CONTENT_LENGTH"]


@pytest.fixture
def cli_home(tmp_path):
    from practicebank.cli import main

    CliRunner().invoke(main, ["init", "--home", str(tmp_path)], catch_exceptions=False)
    return tmp_path


def test_import_json_reports_invalid_records(cli_home, tmp_path):
    from practicebank.cli import main

    bad = tmp_path / "bad.csv"
    bad.write_text("id,title,region,industries\nBAD ID,x,RU-TA,education\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(bad), "--json", "--home", str(cli_home)])
    assert result.exit_code == 1, result.output
    document = json.loads(result.stdout)
    assert document["ok"] is False and document["errors"][0]["field"] == "id" and document["errors"][0]["record"] == 2


@pytest.mark.parametrize("name, content", [("empty.json", "[]"), ("empty.jsonl", ""), ("empty.csv", ""),
                                           ("header.csv", "id,title,region,industries\n"),
                                           ("empty-object.json", '{"projects": []}')])
def test_an_empty_import_changes_nothing(cli_home, tmp_path, name, content):
    from practicebank.catalog.db import Database
    from practicebank.cli import main
    from practicebank.web.services import Services

    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    db: Database = Services.from_env(cli_home).db
    before_revision = db.revision()
    with db.read() as s:
        before_audit = s.query(AuditEntry).count()
    for extra in ([], ["--json"]):
        result = CliRunner().invoke(main, ["import", str(path), *extra, "--home", str(cli_home)])
        assert result.exit_code == 1 and "nothing to import" in result.output.lower(), result.output
        if extra:
            assert json.loads(result.stdout)["ok"] is False
    assert db.revision() == before_revision
    with db.read() as s:
        assert s.query(AuditEntry).count() == before_audit


def test_import_records_of_nothing_writes_nothing(cli_home):
    from practicebank.web.services import Services

    db = Services.from_env(cli_home).db
    revision = db.revision()
    outcome = import_records(db, [])
    assert outcome.nothing and db.revision() == revision


def test_the_check_plan_page_bounds_the_rows_in_russian(client):
    import io

    from practicebank.catalog.files import dump_bytes

    rows = [{**BASE, "id": f"p{i}"} for i in range(limits.MAX_CHECK_PLAN_ROWS + 1)]
    response = client.post("/check-plan?lang=ru", data={"file": (io.BytesIO(dump_bytes("csv", rows)), "draft.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "за один раз" in html and str(limits.MAX_CHECK_PLAN_ROWS) in html
    # the catalog's own JSON formats too
    response = client.post("/check-plan?lang=ru", data={"file": (io.BytesIO(json.dumps(rows).encode()), "d.json")},
                           content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "за один раз" in html and str(limits.MAX_CHECK_PLAN_ROWS) in html


def test_rtl_text_is_refused_on_the_draft_form(services):
    client = make(services).test_client()
    client.post("/login", data={"login": "ed", "password": PASSWORD})
    response = client.post("/projects/new", data={"id": "rtl-draft", "title": "Оплата \u202eexe.txt",
                                                  "industries": "education"})
    assert response.status_code == 400 and "U+202E" in response.get_data(as_text=True)
    with services.db.read() as s:
        assert s.get(Project, "rtl-draft") is None


def test_text_refusals_carry_codes_for_pages():
    _, errors = validate_projects([(1, {**BASE, "title": "a\u202eb"}), (2, {**BASE, "id": "r2", "title": "\u200b"}),
                                   (3, {**BASE, "id": "r3", "title": "a\x00"})], None)
    assert [(e.code, e.params.get("char")) for e in errors] == [
        ("direction_character", "U+202E"), ("invisible_text", None), ("nul_character", "U+0000")]


@pytest.mark.parametrize("budget", ["nan", "inf", "1e999", "1e10", "-1"])
def test_the_cli_budget_is_finite_and_bounded(cli_home, budget):
    from practicebank.cli import main

    result = CliRunner().invoke(main, ["recommend", "Kindergarten queue", "--budget", budget, "--json",
                                       "--home", str(cli_home)])
    assert result.exit_code == 2 and "budget" in result.output.lower(), result.output
