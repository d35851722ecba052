"""The HTML pages on a five-record catalog, with the engine replaced by fixed answers.

The engine's own behaviour is tested elsewhere; here a FakeServices (tests/fakes.py) returns
the real result classes so that the pages are tested without the embedding model.
"""
from __future__ import annotations

import csv
import io
import json
import re

import pytest

from practicebank.catalog.files import parse_bytes
from practicebank.web.app import create_app
from tests.fakes import RECORDS, FakeServices, NoIndexServices, home, make_app  # noqa: F401  (home: a fixture)


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
