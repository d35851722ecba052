"""The HTML pages on a five-record catalog, with the engine replaced by fixed answers.

The engine's own behaviour is tested elsewhere; here a FakeServices returns dicts of the
agreed shapes so that the pages are tested without the embedding model.
"""
from __future__ import annotations

import csv
import io
import json
import re

import pytest

from practicebank.catalog.files import parse_bytes
from practicebank.errors import IndexNotBuilt
from practicebank.matcher.headline import DuplicatesHeadline, HeadlineRow
from tests.helpers import seeded_services, web_app
from practicebank.web.app import create_app
from practicebank.web.services import Services

RECORDS = [
    {"id": "ta-kindergarten", "title": "Electronic kindergarten", "region": "RU-TA", "industries": ["education"],
     "features": ["online enrolment in kindergartens", "queue position tracking"], "status": "in_operation",
     "cost": {"capex": 25000, "opex_per_year": 3000}, "funding": {"regional": 20000, "federal": 5000},
     "indicators": [{"name": "Enrolment online", "unit": "%", "baseline": 10, "target": 90, "actual": 85}],
     "sources": [{"title": "Regional report", "url": "https://example.org/report"}], "license": "government_owned"},
    {"id": "ba-kindergarten", "title": "Kindergarten queue", "region": "RU-BA", "industries": ["education"],
     "features": ["online enrolment in kindergartens", "queue position tracking", "notifications"],
     "status": "in_operation", "cost": {"capex": 30000}, "based_on": ["ta-kindergarten"]},
    {"id": "syn-clinic", "title": "Clinic appointments (demo)", "region": "RU-MOS", "industries": ["healthcare"],
     "features": ["online appointment booking"], "status": "planned", "synthetic": True, "cost": {"capex": 500}},
    {"id": "spe-transport", "title": "Smart traffic lights", "region": "RU-SPE", "industries": ["transport"],
     "technologies": ["iot", "ai"], "status": "in_development", "cost": {"capex": 2_000_000}},
    {"id": "ta-gis", "title": "Urban GIS", "region": "RU-TA", "industries": ["urban_environment"],
     "technologies": ["gis_maps"], "description": "Maps of the city for every department."},
]


def match(pid: str, title: str, region: str, overlap: float = 90.0, **extra) -> dict:
    return {"id": pid, "title": title, "region": region, "score": 0.8, "overlap": overlap,
            "matched_features": [["online enrolment", "online enrolment in kindergartens", 0.93]],
            "missing_features": ["payments"], "estimated_savings": 12000.0, "status": "in_operation",
            "region_group": "leading", "explanation": "Performs 9 of 10 functions",
            "savings_assumptions": {"reuse_share": "70% of capex"}, **extra}


class FakeServices(Services):
    """The engine methods with fixed answers in the agreed shapes."""

    def index_status(self):
        return {"catalog_revision": 3, "index_revision": 2, "stale": True}

    def search(self, query, filters, page, per_page, sort):
        results = [{**r, "score": 0.5} for r in RECORDS if query.lower() in r["title"].lower()]
        return {"total": len(results), "page": page, "per_page": per_page, "results": results[:per_page],
                "facets": {"industries": {"education": len(results)}, "status": {"in_operation": 1}}}

    def recommend(self, planned, k=10):
        return {"query": planned, "results": [match("ta-kindergarten", "Electronic kindergarten", "RU-TA"),
                                              match("syn-clinic", "Clinic appointments (demo)", "RU-MOS", 40)]}

    def check_plan(self, records, k=5):
        return {"items": [{"input_id": r["id"], "title": r["title"],
                           "results": [match("syn-clinic", "Clinic appointments (demo)", "RU-MOS")]} for r in records],
                "summary": {"planned_cost": 1000.0, "potential_savings": 700.0, "items_with_match": len(records)}}

    def similar(self, project_id, k=10):
        return [match("ba-kindergarten", "Kindergarten queue", "RU-BA", 95, overlap_back=88, near_identical=True),
                match("syn-clinic", "Clinic appointments (demo)", "RU-MOS", 60, overlap_back=30, near_identical=False)]

    def compare(self, ids):
        return {"projects": [{"id": i} for i in ids],
                "alignment": [["online enrolment in kindergartens", "online enrolment in kindergartens", 0.99],
                              ["queue position tracking", None, 0.0]]}

    def duplicates(self, threshold=85):
        # the headline is built from its class: a renamed field breaks this fake, not just the engine
        return {"threshold": threshold, "systems": 5, "systems_in_families": 3,
                "families": [{"id": "f1", "members": ["ta-kindergarten", "ba-kindergarten", "syn-clinic"],
                              "overlap": 91.0, "regions": ["RU-TA", "RU-BA", "RU-MOS"], "capex_total": 55500,
                              "opex_total": 3000, "duplicate_capex": 30500.0,
                              "savings": {"capex_saved": 21000.0, "members_without_capex": 0},
                              "reference": {"id": "ta-kindergarten", "why": "oldest, reused"}}],
                "headline": HEADLINE.to_dict()}

    def scale_candidates(self, top=20):
        return {"candidates": [{"id": "syn-clinic", "title": "Clinic appointments (demo)", "region": "RU-MOS",
                                "curation_state": "approved", "demand_regions": ["RU-BA", "RU-TA"],
                                "demand_systems": {"RU-BA": ["ba-kindergarten"], "RU-TA": ["ta-gis"]},
                                "score": 0.7, "terms": {"reuse": {"value": 2, "weight": 0.5, "contribution": 0.35,
                                                                  "explanation": "reused by 2 regions"}}},
                               {"id": "ta-gis", "title": "Urban GIS", "region": "RU-TA", "curation_state": "approved",
                                "demand_regions": [], "score": 0.2, "terms": {}}]}


def _row(systems, with_twin, copies=0, without=0, spend=0.0):
    return HeadlineRow(systems=systems, with_twin=with_twin, copies=copies, copies_without_capex=without,
                       duplicate_capex=spend)


HEADLINE = DuplicatesHeadline(
    systems=5, with_twin=2, share_with_twin=0.4, systems_in_families=3, families=1, copies=2,
    copies_without_capex=1, duplicate_capex=30500.0, duplicate_opex_per_year=0.0, savings_capex=21000.0,
    adaptation_rate=0.15, by_industry={"education": _row(2, 2, 1, 0, 30000.0), "healthcare": _row(1, 0, 1, 1)},
    by_region={"RU-TA": _row(2, 1), "RU-BA": _row(1, 1, 1, 0, 30000.0), "RU-MOS": _row(1, 0, 1, 1)})


class NoIndexServices(Services):
    """The engine is wired but the index is not built."""

    def _no_index(self, *args, **kwargs):
        raise IndexNotBuilt()

    search = recommend = check_plan = similar = compare = duplicates = scale_candidates = index_status = _no_index


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    path = tmp_path_factory.mktemp("web-home")
    seeded_services(path, RECORDS).db.dispose()
    return path


def make_app(home, cls=FakeServices):
    return web_app(cls.from_env(home), SECRET_KEY="test")


@pytest.fixture(scope="module")
def client(home):
    return make_app(home).test_client()


@pytest.fixture
def fresh_client(home):
    return make_app(home).test_client()


@pytest.fixture(scope="module")
def no_index_client(home):
    return make_app(home, NoIndexServices).test_client()


PAGES = ["/", "/search", "/search?q=kindergarten", "/search?industry=education&status=in_operation",
         "/projects/ta-kindergarten", "/projects/syn-clinic", "/plan", "/check-plan",
         "/compare?ids=ta-kindergarten,ba-kindergarten", "/duplicates", "/duplicates?metric=share",
         "/regions", "/regions/RU-TA", "/regions/ru-mos", "/scale", "/api/docs"]


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("url", PAGES)
def test_every_page_renders_in_both_languages(fresh_client, url, lang):
    sep = "&" if "?" in url else "?"
    response = fresh_client.get(f"{url}{sep}lang={lang}")
    assert response.status_code == 200, response.data[:500]
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    assert 'href="#main"' in html and 'id="main"' in html
    assert "<script>" not in html and " onclick=" not in html and ' style="' not in html


@pytest.mark.parametrize("url", PAGES)
def test_pages_without_index_say_so(no_index_client, url):
    response = no_index_client.get(url)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    # readers are never told to run a command (issue 13): the index is the operator's concern
    assert "practicebank index" not in html
    if url.startswith(("/search?q", "/projects", "/compare", "/duplicates", "/scale")):
        assert "Matching results are not available yet" in html or "Результаты подбора пока недоступны" in html


def test_language_from_browser_then_remembered(home):
    client = make_app(home).test_client()
    assert '<html lang="ru">' in client.get("/", headers={"Accept-Language": "ru-RU,ru;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in client.get("/", headers={"Accept-Language": "en-GB"}).get_data(as_text=True)
    assert "Найдите" in client.get("/?lang=ru", headers={"Accept-Language": "en"}).get_data(as_text=True)
    # remembered in the session although the browser asks for English
    html = client.get("/search", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="ru">' in html and "Поиск" in html


SYNTHETIC_PAGES = ["/search", "/search?q=clinic", "/projects/syn-clinic", "/projects/ta-kindergarten",
                   "/regions/RU-MOS", "/duplicates", "/scale", "/compare?ids=syn-clinic,ta-kindergarten"]


@pytest.mark.parametrize("url", SYNTHETIC_PAGES)
def test_synthetic_records_are_marked(client, url):
    html = client.get(url + ("&" if "?" in url else "?") + "lang=en").get_data(as_text=True)
    assert "badge-synthetic" in html


def test_plan_and_check_plan_show_badge(client):
    # The form posts and is sent on to the plan's own GET address (shareable), which answers.
    html = client.post("/plan?lang=en", data={"title": "Kindergarten enrolment", "features": "online enrolment\nqueue"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Electronic kindergarten" in html and "badge-synthetic" in html and "payments" in html
    assert "How the savings are estimated" in html and "for adaptation" in html  # savings assumptions shown
    upload = (io.BytesIO(json.dumps([RECORDS[0]]).encode()), "draft.json")
    response = client.post("/check-plan?lang=en", data={"file": upload}, content_type="multipart/form-data")
    assert response.status_code == 200
    assert "badge-synthetic" in response.get_data(as_text=True)


def test_plan_form_rejects_empty_input(client):
    response = client.post("/plan?lang=en", data={"title": "", "description": "", "features": ""})
    assert response.status_code == 400
    assert "missing text" in response.get_data(as_text=True)


def test_passport_shows_every_part(client):
    html = client.get("/projects/ta-kindergarten?lang=en").get_data(as_text=True)
    for part in ("Enrolment online", "Regional budget", "https://example.org/report", "Kindergarten queue",
                 "queue position tracking", "<svg", "twin", "95%", "Government owned"):
        assert part in html, part
    assert "Reused by" in html and "/projects/ba-kindergarten" in html


def test_facets_live_in_the_url(client):
    html = client.get("/search?industry=education&lang=en").get_data(as_text=True)
    assert 'name="industry" value="education" checked' in html
    assert "Electronic kindergarten" in html and "Smart traffic lights" not in html
    assert "2 projects" in html
    assert client.get("/search?industry=nonsense").status_code == 400
    assert client.get("/search?sort=sideways").status_code == 400


def test_search_pagination_keeps_filters(client):
    html = client.get("/search?per_page=1&status=in_operation&lang=en").get_data(as_text=True)
    assert re.search(r'href="[^"]*page=2[^"]*"', html) and "status=in_operation" in html


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_export_parses_back(client, fmt):
    response = client.get(f"/search/export.{fmt}?industry=education")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    parsed = parse_bytes(response.data, fmt)
    ids = sorted(p["id"] for _, p in parsed.projects)
    assert ids == ["ba-kindergarten", "ta-kindergarten"]
    assert not parsed.errors


def test_export_carries_synthetic_flag(client):
    parsed = parse_bytes(client.get("/search/export.json?industry=healthcare").data, "json")
    assert [p.get("synthetic") for _, p in parsed.projects] == [True]


def test_check_plan_report_downloads(client):
    upload = (io.BytesIO(json.dumps(RECORDS[:2]).encode()), "draft.json")
    html = client.post("/check-plan", data={"file": upload}, content_type="multipart/form-data").get_data(as_text=True)
    links = re.findall(r'href="(/check-plan/report/[^"]+)"', html)
    assert sorted(link.rsplit(".", 1)[1] for link in links) == ["csv", "json", "xlsx"]
    report = json.loads(client.get(next(l for l in links if l.endswith(".json"))).data)
    assert report["summary"]["items_with_match"] == 2
    rows = list(csv.DictReader(io.StringIO(client.get(next(l for l in links if l.endswith(".csv")) + "?lang=en").data
                                           .decode("utf-8-sig"))))
    assert {r["input_id"] for r in rows} == {"ta-kindergarten", "ba-kindergarten"}
    assert rows[0]["synthetic"] == "true"


def test_check_plan_bad_file(client):
    upload = (io.BytesIO(b"{not json"), "draft.json")
    response = client.post("/check-plan", data={"file": upload}, content_type="multipart/form-data")
    assert response.status_code == 400
    upload = (io.BytesIO(b"x"), "draft.txt")
    assert client.post("/check-plan", data={"file": upload}, content_type="multipart/form-data").status_code == 400


def test_duplicates_map_links_every_region(client):
    html = client.get("/duplicates?lang=en").get_data(as_text=True)
    assert html.count('href="/regions/RU-') >= 85
    assert 'class="cell c5"' in html  # RU-BA has the largest duplicated spend


def test_compare_and_unknown_things(client):
    html = client.get("/compare?ids=ta-kindergarten,ba-kindergarten&lang=en").get_data(as_text=True)
    assert "— no match" in html and "99%" in html
    assert client.get("/compare?ids=ta-kindergarten").status_code == 400
    assert client.get("/compare?ids=ta-kindergarten,nope").status_code == 404
    assert client.get("/projects/nope").status_code == 404
    assert client.get("/regions/RU-XX").status_code == 404
    assert client.get("/duplicates?threshold=5").status_code == 400


def test_stale_index_banner_is_for_administrators_only(client, home):
    from practicebank.catalog import accounts

    assert "catalog revision 3" not in client.get("/duplicates?lang=en").get_data(as_text=True)
    app = make_app(home)
    services = app.extensions["practicebank"]
    with services.db.write() as session:
        if accounts.get_user(session, "banner-root") is None:
            accounts.create_user(session, "banner-root", "correct horse battery", "admin")
    admin = app.test_client()
    assert admin.post("/login", data={"login": "banner-root", "password": "correct horse battery"}).status_code == 302
    assert "catalog revision 3" in admin.get("/duplicates?lang=en").get_data(as_text=True)


def test_security_headers(client):
    response = client.get("/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get("/static/css/app.css").status_code == 200
    assert client.get("/static/js/app.js").status_code == 200


def test_csrf_protects_forms(home):
    app = create_app({"SERVICES": FakeServices.from_env(home), "SECRET_KEY": "test"})
    response = app.test_client().post("/plan", data={"title": "x"})
    assert response.status_code == 400
