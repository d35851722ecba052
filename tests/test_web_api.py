"""The JSON API: shapes, filters, and one error shape with a 4xx for every kind of bad input."""
from __future__ import annotations

import io
import json

import pytest

from tests.fakes import RECORDS, FakeServices, NoIndexServices, home, make_app  # noqa: F401  (fixture)

from practicebank.catalog.taxonomy import as_json


@pytest.fixture(scope="module")
def api(home):  # noqa: F811
    return make_app(home).test_client()


def assert_error(response, status: int, *words: str) -> dict:
    assert response.status_code == status, response.data
    body = response.get_json()
    assert set(body) == {"ok", "error", "errors", "status"}
    assert body["ok"] is False and body["status"] == status and isinstance(body["errors"], list)
    for word in words:
        assert word in body["error"], body["error"]
    return body


def test_projects_filtered_and_paginated(api):
    body = api.get("/api/v1/projects?industry=education&per_page=1").get_json()
    assert body["total"] == 2 and len(body["results"]) == 1 and body["per_page"] == 1
    assert body["facets"]["industry"]["education"] == 2
    assert body["facets"]["industry"]["transport"] == 1  # disjunctive: other industries still counted
    body = api.get("/api/v1/projects?industry=education,healthcare&sort=cost_desc").get_json()
    assert [p["id"] for p in body["results"]] == ["ba-kindergarten", "ta-kindergarten", "syn-clinic"]
    assert body["results"][2]["synthetic"] is True
    body = api.get("/api/v1/projects?cost_band=over_1b&federal_district=northwestern").get_json()
    assert [p["id"] for p in body["results"]] == ["spe-transport"]


def test_project_record(api):
    body = api.get("/api/v1/projects/syn-clinic").get_json()
    assert body["id"] == "syn-clinic" and body["synthetic"] is True
    assert api.get("/api/v1/projects/ta-gis").get_json()["synthetic"] is False


def test_reference_endpoints(api):
    assert len(api.get("/api/v1/regions").get_json()) == 85
    assert api.get("/api/v1/taxonomy").get_json() == as_json()
    assert api.get("/api/v1/stats").get_json()["projects"] == len(RECORDS)


def test_engine_endpoints_carry_synthetic(api):
    body = api.get("/api/v1/search?q=clinic").get_json()
    assert body["results"][0]["synthetic"] is True and body["facets"]["industry"]
    body = api.post("/api/v1/recommend", json={"text": "kindergarten enrolment"}).get_json()
    assert [r["synthetic"] for r in body["results"]] == [False, True]
    body = api.post("/api/v1/check-plan", json=[RECORDS[0]]).get_json()
    assert body["items"][0]["results"][0]["synthetic"] is True
    body = api.get("/api/v1/duplicates?threshold=90").get_json()
    assert body["threshold"] == 90 and body["families"][0]["synthetic"] is True
    assert api.get("/api/v1/scale-candidates?top=3").get_json()["candidates"][0]["synthetic"] is True
    assert api.get("/api/v1/compare?ids=ta-kindergarten,ba-kindergarten").get_json()["alignment"]
    assert api.post("/api/v1/compare", json={"ids": ["ta-kindergarten", "syn-clinic"]}).status_code == 200
    assert api.get("/api/v1/projects/ta-kindergarten/similar").get_json()["results"][0]["near_identical"]


def test_check_plan_upload_and_csv(api):
    data = {"file": (io.BytesIO(json.dumps(RECORDS[:2]).encode()), "draft.json")}
    response = api.post("/api/v1/check-plan?format=csv", data=data, content_type="multipart/form-data")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "ta-kindergarten" in response.data.decode("utf-8-sig")


BAD = [
    ("get", "/api/v1/projects/nope", None, 404, "nope"),
    ("get", "/api/v1/projects?industry=mining", None, 400, "allowed"),
    ("get", "/api/v1/projects?page=0", None, 400, "page"),
    ("get", "/api/v1/projects?per_page=1000", None, 400, "per_page"),
    ("get", "/api/v1/projects?sort=up", None, 400, "sort"),
    ("get", "/api/v1/search", None, 400, "missing text"),
    ("get", "/api/v1/search?q=x&status=lost", None, 400, "status"),
    ("post", "/api/v1/recommend", b"{bad json", 400, "JSON"),
    ("post", "/api/v1/recommend", {}, 400, "missing text"),
    ("post", "/api/v1/recommend", {"text": "x", "industries": ["mining"]}, 400, "industry"),
    ("post", "/api/v1/recommend", {"text": "x", "region": "Atlantis"}, 400, "region"),
    ("post", "/api/v1/recommend", {"text": "x", "budget": -5}, 400, "budget"),
    ("post", "/api/v1/recommend", {"text": "x", "colour": "red"}, 400, "colour"),
    ("post", "/api/v1/recommend?k=0", {"text": "x"}, 400, "k must"),
    ("post", "/api/v1/recommend", [1, 2], 400, "JSON object"),
    ("post", "/api/v1/check-plan", {"x": 1}, 400, "JSON list"),
    ("post", "/api/v1/check-plan", [], 400, "empty"),
    ("post", "/api/v1/check-plan", [{"id": "a"}], 400, "problem"),
    ("post", "/api/v1/check-plan", b"not json", 400, "JSON"),
    ("get", "/api/v1/compare?ids=ta-kindergarten", None, 400, "2 to 5"),
    ("get", "/api/v1/compare?ids=ta-kindergarten,ghost", None, 404, "ghost"),
    ("post", "/api/v1/compare", {"ids": "ta-kindergarten"}, 400, "ids"),
    ("get", "/api/v1/duplicates?threshold=150", None, 400, "50 to 100"),
    ("get", "/api/v1/duplicates?threshold=abc", None, 400, "50 to 100"),
    ("get", "/api/v1/scale-candidates?top=-1", None, 400, "top"),
    ("get", "/api/v1/projects/nope/similar", None, 404, "nope"),
    ("get", "/api/v1/no-such-thing", None, 404, ""),
    ("delete", "/api/v1/projects", None, 405, ""),
]


@pytest.mark.parametrize("method,url,body,status,word", BAD)
def test_bad_input_gets_the_error_shape(api, method, url, body, status, word):
    kwargs = {}
    if isinstance(body, bytes):
        kwargs = {"data": body, "content_type": "application/json"}
    elif body is not None:
        kwargs = {"json": body}
    assert_error(getattr(api, method)(url, **kwargs), status, word)


def test_check_plan_bad_uploads(api):
    def upload(content: bytes, name: str):
        return api.post("/api/v1/check-plan", data={"file": (io.BytesIO(content), name)},
                        content_type="multipart/form-data")

    assert_error(upload(b"{oops", "draft.json"), 400, "draft.json")
    assert_error(upload(b"a,b", "draft.txt"), 400, "draft.txt")
    body = assert_error(upload(b"id,title,region,industries\nx,X,Atlantis,education\n", "draft.csv"), 400)
    assert body["errors"][0]["field"] == "region"
    assert_error(api.post("/api/v1/check-plan", data="plain", content_type="text/plain"), 400, "upload")


def test_upload_too_big(home):  # noqa: F811
    client = make_app(home).test_client()
    client.application.config["MAX_CONTENT_LENGTH"] = 1000
    data = {"file": (io.BytesIO(b"x" * 5000), "draft.json")}
    assert_error(client.post("/api/v1/check-plan", data=data, content_type="multipart/form-data"), 413, "too big")


def test_no_index_is_503_not_a_fake_result(home):  # noqa: F811
    client = make_app(home, NoIndexServices).test_client()
    assert_error(client.get("/api/v1/search?q=x"), 503, "practicebank index")
    assert_error(client.post("/api/v1/recommend", json={"text": "x"}), 503, "practicebank index")
    assert_error(client.get("/api/v1/duplicates"), 503, "practicebank index")
    assert client.get("/api/v1/projects").status_code == 200  # catalog reads need no index


def test_internal_errors_keep_the_shape(home):  # noqa: F811
    class Broken(FakeServices):
        def duplicates(self, threshold=85):
            raise RuntimeError("boom")

    client = make_app(home, Broken).test_client()
    assert_error(client.get("/api/v1/duplicates"), 500, "internal error")
    assert client.get("/duplicates").status_code == 500


def test_openapi_document(api):
    response = api.get("/api/v1/openapi.json")
    doc = json.loads(response.data)
    assert doc["openapi"].startswith("3.1")
    paths = set(doc["paths"])
    for path in ("/projects", "/projects/{project_id}", "/search", "/recommend", "/check-plan", "/compare",
                 "/duplicates", "/scale-candidates", "/regions", "/taxonomy", "/stats", "/openapi.json"):
        assert path in paths
    # every route of the blueprint is documented
    rules = {r.rule.removeprefix("/api/v1").replace("<project_id>", "{project_id}")
             for r in api.application.url_map.iter_rules() if r.rule.startswith("/api/v1")}
    assert rules <= paths
    refs = json.dumps(doc)
    for name in doc["components"]["schemas"]:
        assert f"#/components/schemas/{name}" in refs or name in ("Error",)
