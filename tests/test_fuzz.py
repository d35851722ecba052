"""Fuzzing what clients type and upload: never a 5xx, and on the API every 4xx in the one error shape.

* the search query path - /search, /api/v1/search and /api/v1/projects with arbitrary q, facet
  filters (repeated, comma-joined), page, per_page and sort: unicode, huge numbers, junk;
* the import parsers behind POST /api/v1/check-plan (and the page /check-plan): random bytes
  and damaged CSV, XLSX, JSON and JSONL files, and random JSON bodies.

The real Services on a ten-record catalog with a built index, so the engine's own query handling
is fuzzed too. ITERATIONS counts the examples each test ran (printed at the end with -s).
"""
from __future__ import annotations

import io
import json
import random
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from practicebank.catalog.files import dump_bytes
from practicebank.catalog.seeding import shipped_projects
from practicebank.catalog.taxonomy import FEDERAL_DISTRICTS, INDUSTRIES, REGION_GROUPS, STATUSES, TECHNOLOGIES
from tests.helpers import seeded_services, web_app
from practicebank.settings import COST_BANDS, FACETS, SORTS

ITERATIONS: dict[str, int] = {}
STATUSES_SEEN: dict[str, dict[int, int]] = {}
FUZZ = settings(deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
RECORDS = shipped_projects()[:10]


@pytest.fixture(scope="module")
def client(tmp_path_factory, encoder):
    services = seeded_services(tmp_path_factory.mktemp("fuzz-home"), RECORDS)
    services.build_index()
    return web_app(services).test_client()


def count(name: str) -> None:
    ITERATIONS[name] = ITERATIONS.get(name, 0) + 1


def seen(name: str, response) -> None:
    codes = STATUSES_SEEN.setdefault(name, {})
    codes[response.status_code] = codes.get(response.status_code, 0) + 1


def assert_api_answer(response) -> None:
    assert response.status_code < 500, (response.status_code, response.data[:500])
    if response.status_code >= 400:
        body = response.get_json()
        assert set(body) == {"ok", "error", "errors", "status"}, body
        assert body["ok"] is False and body["status"] == response.status_code
        assert isinstance(body["error"], str) and body["error"] and isinstance(body["errors"], list)
    else:
        assert response.mimetype in ("application/json", "text/csv")


# -- the search query ---------------------------------------------------------------------------

KNOWN = {"industry": list(INDUSTRIES), "technology": list(TECHNOLOGIES), "status": list(STATUSES),
         "federal_district": list(FEDERAL_DISTRICTS), "region_group": list(REGION_GROUPS),
         "region": ["RU-TA", "RU-MOW", "ru-ta", "RU-XX"], "cost_band": [b for b, _, _ in COST_BANDS]}
text = st.text(max_size=60)  # any unicode: surrogates, NUL, RTL, combining marks, whoosh syntax
numbers = st.one_of(st.integers(min_value=-(10 ** 30), max_value=10 ** 30).map(str),
                    st.sampled_from(["", " 1", "1.5", "1e9", "NaN", "inf", "-0", "0x10", "٣", "²", "10" * 40]),
                    text)
query_text = st.one_of(text, st.sampled_from([
    "kindergarten", "AND OR NOT", "title:(", '"unterminated', "*", "?", "a* b~2 c^3", "[a TO", "{}", "\\",
    "детский сад", "x" * 5000, " ", "\x00", "a,b,c", "(((((", "field:value:other"]))


def facet_value(facet: str):
    one = st.one_of(st.sampled_from(KNOWN[facet]), text)
    return st.one_of(one, st.lists(one, min_size=2, max_size=4).map(",".join))


@st.composite
def search_params(draw) -> list[tuple[str, str]]:
    """A query string as a list of pairs: repeated keys, any order, unknown keys too."""
    pairs: list[tuple[str, str]] = []
    if draw(st.booleans()):
        pairs += [("q", draw(query_text)) for _ in range(draw(st.integers(1, 2)))]
    for facet in draw(st.lists(st.sampled_from(FACETS), max_size=4)):
        pairs += [(facet, draw(facet_value(facet)))]
    for name in ("page", "per_page"):
        if draw(st.booleans()):
            pairs.append((name, draw(numbers)))
    if draw(st.booleans()):
        pairs.append(("sort", draw(st.one_of(st.sampled_from(SORTS), text))))
    if draw(st.booleans()):
        pairs.append((draw(text), draw(text)))
    return draw(st.permutations(pairs))


def get(client, path: str, pairs: list[tuple[str, str]]):
    # surrogates cannot be UTF-8 encoded; a browser would send them as replacement characters
    safe = [(k.encode("utf-8", "replace").decode(), v.encode("utf-8", "replace").decode()) for k, v in pairs]
    return client.get(f"{path}?{urlencode(safe)}")


@settings(FUZZ, max_examples=150)
@given(pairs=search_params(), path=st.sampled_from(["/api/v1/search", "/api/v1/projects"]))
def test_api_search_and_browse_never_fail(client, pairs, path):
    count("api search/projects query")
    response = get(client, path, pairs)
    seen(path, response)
    assert_api_answer(response)


@settings(FUZZ, max_examples=80)
@given(q=query_text, facets=st.lists(st.sampled_from([f for f in FACETS if f != "region"]), max_size=2),
       data=st.data(), page=st.integers(1, 10 ** 12), per_page=st.integers(1, 100), sort=st.sampled_from(SORTS))
def test_api_search_any_text_valid_filters(client, q, facets, data, page, per_page, sort):
    """Valid filters and paging, so that any text reaches the engine's query handling."""
    count("api search any text")
    pairs = [("q", q), ("page", str(page)), ("per_page", str(per_page)), ("sort", sort)]
    pairs += [(f, data.draw(st.sampled_from(KNOWN[f]))) for f in facets]
    response = get(client, "/api/v1/search", pairs)
    seen("/api/v1/search valid filters", response)
    assert_api_answer(response)
    if q.strip() and "\x00" not in q and response.status_code == 200:
        assert response.get_json()["page"] == page


@settings(FUZZ, max_examples=60)
@given(pairs=search_params())
def test_search_page_never_fails(client, pairs):
    count("/search page query")
    response = get(client, "/search", pairs)
    seen("/search", response)
    assert response.status_code in (200, 400), response.status_code


# -- the import parsers through the upload endpoint -----------------------------------------------

VALID = {fmt: dump_bytes(fmt, RECORDS[:2]) for fmt in ("csv", "xlsx", "json", "jsonl")}
NAMES = st.sampled_from(["draft.csv", "draft.xlsx", "draft.json", "draft.jsonl", "draft.CSV", "draft", "d.txt",
                         "../../etc/passwd.json", "черновик.csv", "a.xlsx.json"])


@st.composite
def damaged(draw) -> tuple[bytes, str]:
    """A valid file of one format, cut, flipped, spliced or fed to another format's parser."""
    fmt = draw(st.sampled_from(sorted(VALID)))
    data = bytearray(VALID[fmt])
    rng = random.Random(draw(st.integers(0, 2 ** 32)))
    kind = draw(st.sampled_from(["truncate", "flip", "splice", "insert", "wrong_name"]))
    if kind == "truncate":
        data = data[:rng.randrange(len(data) + 1)]
    elif kind == "flip":
        for _ in range(draw(st.integers(1, 20))):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif kind == "splice":
        at = rng.randrange(len(data))
        data[at:at + draw(st.integers(1, 200))] = draw(st.binary(max_size=200))
    elif kind == "insert":
        data[rng.randrange(len(data)):0] = draw(st.sampled_from(
            [b"\x00", b"\xff\xfe", b'"', b",,,,", b"\n\n", b"{", b"]", b"=cmd|' /C calc'!A0", b"1e999999", b"\r"]))
    name = f"draft.{fmt}" if kind != "wrong_name" else draw(NAMES)
    return bytes(data), name


uploads = st.one_of(damaged(), st.tuples(st.binary(max_size=2000), NAMES))


@settings(FUZZ, max_examples=120)
@given(upload=uploads, query=st.sampled_from(["", "?format=csv", "?k=3", "?k=99999999999999999999"]))
def test_check_plan_uploads_never_fail(client, upload, query):
    count("check-plan upload")
    data, name = upload
    response = client.post(f"/api/v1/check-plan{query}", data={"file": (io.BytesIO(data), name)},
                           content_type="multipart/form-data")
    seen("check-plan upload", response)
    assert_api_answer(response)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20)
project_like = st.fixed_dictionaries({}, optional={
    key: json_values for key in ("id", "title", "region", "industries", "features", "cost", "funding", "status",
                                 "start_year", "indicators", "based_on", "sources", "technologies", "synthetic")})


@settings(FUZZ, max_examples=80)
@given(body=st.one_of(json_values, st.lists(project_like, max_size=3),
                      st.lists(project_like, max_size=2).map(lambda p: {"projects": p})))
def test_check_plan_json_bodies_never_fail(client, body):
    count("check-plan JSON body")
    try:
        payload = json.dumps(body, allow_nan=True)
    except (ValueError, UnicodeEncodeError):
        return
    response = client.post("/api/v1/check-plan", data=payload.encode("utf-8", "surrogatepass"),
                           content_type="application/json")
    seen("check-plan JSON", response)
    assert_api_answer(response)


@settings(FUZZ, max_examples=40)
@given(upload=uploads)
def test_check_plan_page_uploads_never_fail(client, upload):
    count("/check-plan page upload")
    data, name = upload
    response = client.post("/check-plan", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")
    seen("/check-plan page", response)
    assert response.status_code < 500, response.status_code


def test_report_iterations():
    """Runs last in the file: the examples each fuzz test ran."""
    if ITERATIONS:
        print(f"\nfuzz iterations: {sum(ITERATIONS.values())} {ITERATIONS}\nstatuses: {STATUSES_SEEN}")
