"""Fuzzing the JSON endpoints with hostile shapes (issue 14): non-finite and huge numbers, lone
surrogates, deep nesting and oversized values. Every answer is a 4xx in the one error shape
{"ok": false, "error", "errors", "status"} or a success, never a 5xx; and every answer is strict
JSON (no NaN/Infinity). Bounded examples: the module runs in well under 20 s after the index.
"""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from practicebank.catalog import accounts, limits
from practicebank.catalog.seeding import shipped_projects
from tests.helpers import seeded_services, web_app

FUZZ = settings(deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
RECORDS = shipped_projects()[:6]
IDS = [r["id"] for r in RECORDS]


@pytest.fixture(scope="module")
def app_and_token(tmp_path_factory, encoder):
    services = seeded_services(tmp_path_factory.mktemp("fuzz-hardening-home"), RECORDS,
                               users=[("ed", "regional_editor", "RU-TA")])
    with services.db.write() as s:
        raw, _ = accounts.create_token(s, "ed", "fuzz")
    services.build_index()
    return web_app(services), {"Authorization": f"Bearer {raw}"}


@pytest.fixture(scope="module")
def client(app_and_token):
    return app_and_token[0].test_client()


@pytest.fixture(scope="module")
def token(app_and_token):
    return app_and_token[1]


def _refuse_constant(name):
    raise AssertionError(f"{name} in an answer: not JSON")


def assert_shape(response) -> None:
    assert response.status_code < 500, (response.status_code, response.data[:300])
    if response.mimetype == "application/json":
        body = json.loads(response.get_data(as_text=True), parse_constant=_refuse_constant)
        if response.status_code >= 400:
            assert set(body) == {"ok", "error", "errors", "status"}, body
            assert body["ok"] is False and body["status"] == response.status_code
            assert isinstance(body["error"], str) and body["error"] and isinstance(body["errors"], list)
    else:
        assert response.status_code < 400 and response.mimetype == "text/csv", response.mimetype


# -- hostile JSON text ------------------------------------------------------------------------------

NUMBER_TEXT = st.sampled_from(["1e999", "-1e999", "NaN", "Infinity", "-Infinity", "1e308", "1.7976931348623157e308",
                               "9" * 400, "-0", "1e-400", "123456789012345678901234567890", "0.1", "1e9", "1e10"])
STRING_TEXT = st.one_of(
    st.sampled_from(['"\\ud800"', '"\\udfff"', '"a\\ud800b"', '"\\ud83d\\ude00"', '"\\u0000"', '"\\u202egnp"',
                     '"\\u200b\\u200b"', '"kindergarten queue"', '"детский сад"']),
    st.text(max_size=30).map(lambda t: json.dumps(t)))


@st.composite
def nested(draw) -> str:
    depth = draw(st.sampled_from([limits.MAX_JSON_DEPTH, limits.MAX_JSON_DEPTH + 1, 500, 5_000, 100_000]))
    opener = draw(st.sampled_from(["[", '{"a":']))
    closer = "]" if opener == "[" else "}"
    return opener * depth + draw(st.sampled_from(["1", '"x"', ""])) + closer * depth


@st.composite
def hostile_object(draw) -> str:
    """A JSON object as text, its values drawn from the hostile shapes."""
    keys = draw(st.lists(st.sampled_from(
        ["text", "title", "description", "features", "budget", "region", "industries", "ids", "k", "id",
         "indicators", "cost", "funding", "summary", "sources"]), min_size=1, max_size=5, unique=True))
    parts = []
    for key in keys:
        if key in ("budget", "k"):
            value = draw(NUMBER_TEXT)
        elif key in ("indicators",):
            value = f'[{{"name": "n", "baseline": {draw(NUMBER_TEXT)}, "target": {draw(NUMBER_TEXT)}}}]'
        elif key in ("cost", "funding"):
            value = f'{{"capex": {draw(NUMBER_TEXT)}, "regional": {draw(NUMBER_TEXT)}}}'
        elif key in ("features", "ids", "industries"):
            items = draw(st.lists(STRING_TEXT, max_size=4))
            if draw(st.booleans()):
                items = items * draw(st.sampled_from([1, 60, 200]))
            value = "[" + ", ".join(items) + "]"
        elif key == "sources":
            value = draw(nested())
        else:
            value = draw(st.one_of(STRING_TEXT, st.sampled_from(['"' + "x" * 6_000 + '"', "null", "1e999"])))
        parts.append(f'"{key}": {value}')
    return "{" + ", ".join(parts) + "}"


BODIES = st.one_of(hostile_object(), nested(), st.lists(hostile_object(), max_size=3).map(lambda x: "[" + ", ".join(x) + "]"),
                   NUMBER_TEXT, STRING_TEXT)


def post_text(client, url: str, text: str, headers: dict | None = None):
    return client.post(url, data=text.encode("utf-8", "surrogatepass"), content_type="application/json",
                       headers=headers or {})


@settings(FUZZ, max_examples=60)
@given(body=BODIES, url=st.sampled_from(["/api/v1/recommend", "/api/v1/check-plan", "/api/v1/compare",
                                         "/api/v1/check-plan?format=csv"]))
def test_engine_endpoints_answer_hostile_json_in_the_error_shape(client, body, url):
    assert_shape(post_text(client, url, body))


@settings(FUZZ, max_examples=40)
@given(body=BODIES, method=st.sampled_from(["post", "put"]))
def test_write_endpoints_answer_hostile_json_in_the_error_shape(client, token, body, method):
    url = "/api/v1/projects" if method == "post" else "/api/v1/projects/fuzz-draft"
    response = getattr(client, method)(url, data=body.encode("utf-8", "surrogatepass"),
                                       content_type="application/json", headers=token)
    assert_shape(response)


@settings(FUZZ, max_examples=30)
@given(value=NUMBER_TEXT, where=st.sampled_from(["baseline", "target", "actual", "capex", "federal", "start_year"]))
def test_a_stored_record_holds_only_finite_bounded_numbers(client, token, value, where):
    if where in ("baseline", "target", "actual"):
        extra = f'"indicators": [{{"name": "n", "{where}": {value}}}]'
    elif where == "capex":
        extra = f'"cost": {{"capex": {value}}}'
    elif where == "federal":
        extra = f'"funding": {{"federal": {value}}}'
    else:
        extra = f'"start_year": {value}'
    body = f'{{"id": "num-draft", "title": "Numbers", "industries": ["education"], {extra}}}'
    response = post_text(client, "/api/v1/projects", body, token)
    assert_shape(response)
    if response.status_code == 201:
        stored = client.get("/api/v1/projects/num-draft", headers=token)
        assert_shape(stored)
        numbers = json.dumps(stored.get_json())
        assert "Infinity" not in numbers and "NaN" not in numbers
        assert client.put("/api/v1/projects/num-draft", json={"title": "Numbers", "industries": ["education"]},
                          headers=token).status_code == 200


@settings(FUZZ, max_examples=30)
@given(pairs=st.lists(st.tuples(st.sampled_from(["page", "per_page", "k", "threshold", "top", "q", "ids"]),
                                st.one_of(NUMBER_TEXT, st.text(max_size=20))), max_size=4),
       path=st.sampled_from(["/api/v1/projects", "/api/v1/search?q=school&", f"/api/v1/projects/{IDS[0]}/similar",
                             "/api/v1/duplicates", "/api/v1/scale-candidates", "/api/v1/compare"]))
def test_numeric_parameters_never_fail(client, pairs, path):
    from urllib.parse import urlencode

    safe = [(k, v.encode("utf-8", "replace").decode()) for k, v in pairs]
    separator = "" if path.endswith("&") else "?"
    assert_shape(client.get(f"{path}{separator}{urlencode(safe)}"))


@settings(FUZZ, max_examples=15)
@given(size=st.sampled_from([limits.MAX_JSON_BODY_BYTES - 100, limits.MAX_JSON_BODY_BYTES + 1,
                             3 * limits.MAX_JSON_BODY_BYTES]),
       url=st.sampled_from(["/api/v1/recommend", "/api/v1/compare", "/api/v1/projects"]))
def test_oversized_bodies_are_a_4xx(client, token, size, url):
    body = json.dumps({"text": "x" * size})
    response = post_text(client, url, body, token)
    assert_shape(response)
    assert 400 <= response.status_code < 500
