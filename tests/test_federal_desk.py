"""The federal desk pages: the duplicates headline, /duplicates paged and filtered, a family's
page and its export, and the scaling board with its filters, export and the curator's mark.

Pages run on the five-record catalog of ``tests/fakes.py`` with its FakeServices,
whose duplicates headline is built from ``matcher.headline.DuplicatesHeadline``.
"""
from __future__ import annotations

import csv
import io
import json

import pytest

from tests.helpers import PASSWORD, seeded_services, web_app
from tests.fakes import RECORDS, make_app
from practicebank.web.services import Services


@pytest.fixture(scope="module")
def desk_home(tmp_path_factory):
    path = tmp_path_factory.mktemp("desk-home")
    services = seeded_services(path, RECORDS, users=[("kurator", "federal_curator"),
                                                     ("redaktor", "regional_editor", "RU-TA")])
    services.db.dispose()
    return path


@pytest.fixture
def client(desk_home):
    return make_app(desk_home).test_client()


def text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.data[:300])
    return response.get_data(as_text=True)


def test_home_shows_spend_on_copies_savings_and_what_is_unknown(client):
    html = text(client, "/?lang=ru")
    assert "Потрачено на копии" in html and 'data-figure="duplicate_capex">30,5' in html
    assert "Повторное использование сэкономило бы" in html and 'data-figure="savings_capex">21,0' in html
    assert "не учтены в суммах" in html  # one copy without a recorded cost is said, not priced at 0


def test_duplicates_family_named_by_reference_title_and_map_in_russian(client):
    html = text(client, "/duplicates?lang=ru")
    assert "Electronic kindergarten" in html and "Семейство f1" not in html
    assert ">Татар<" in html and ">TA<" not in html  # tiles: short Russian names, not codes
    assert 'href="/duplicates/f1"' in html


@pytest.mark.parametrize("query, shown", [("industry=education", 1), ("industry=transport", 0),
                                          ("region=RU-BA", 1), ("region=RU-SPE", 0), ("district=volga", 1),
                                          ("district=far_eastern", 0), ("sort=size", 1), ("sort=overlap", 1)])
def test_duplicates_filters_live_in_the_url(client, query, shown):
    html = text(client, f"/duplicates?{query}&lang=en")
    assert f'data-total="{shown}"' in html
    assert html.count('class="card family"') == shown


def test_duplicates_bad_sort_and_page(client):
    assert client.get("/duplicates?sort=sideways").status_code == 400
    assert client.get("/duplicates?page=0").status_code == 400


def test_family_page_side_by_side_and_export(client):
    html = text(client, "/duplicates/f1?lang=ru")
    assert "Electronic kindergarten" in html and "Kindergarten queue" in html
    assert "Функции, сопоставленные с эталоном" in html or "online enrolment in kindergartens" in html
    assert client.get("/duplicates/nope").status_code == 404
    rows = list(csv.reader(io.StringIO(client.get("/duplicates/f1/export.csv?lang=en").data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["family", "id", "title"] and {r[1] for r in rows[1:]} >= {"ta-kindergarten"}
    doc = json.loads(client.get("/duplicates/f1/export.json?lang=en").data)
    assert any(r["reference"] for r in doc)
    xlsx = client.get("/duplicates/f1/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    assert client.get("/duplicates/f1/export.pdf").status_code == 404


def test_scale_board_hides_no_demand_and_names_regions(client):
    html = text(client, "/scale?lang=ru")
    assert 'data-practice="syn-clinic"' in html and 'data-practice="ta-gis"' not in html
    assert "Построили похожую систему" in html or "Built a similar system" not in html
    assert "/regions/RU-BA" in html  # a region with a copy
    html = text(client, "/scale?no_demand=1&lang=en")
    assert 'data-practice="ta-gis"' in html and "No demand yet" in html
    assert 'data-total="0"' in text(client, "/scale?status=federal_standard&lang=en")
    assert 'data-total="1"' in text(client, "/scale?district=central&lang=en")  # RU-MOS


def test_scale_board_exports(client):
    rows = list(csv.reader(io.StringIO(client.get("/scale/export.csv?lang=en").data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["rank", "id", "title"] and [r[1] for r in rows[1:]] == ["syn-clinic"]
    ru = client.get("/scale/export.csv?lang=ru").data.decode("utf-8-sig")
    assert ru.startswith("место;id;название")
    assert client.get("/scale/export.xlsx").data[:2] == b"PK"


def login(client, who: str) -> None:
    assert client.post("/login", data={"login": who, "password": PASSWORD}).status_code == 302


def test_curator_marks_from_the_board(desk_home):
    client = make_app(desk_home).test_client()
    assert "Рекомендовать к тиражированию" not in text(client, "/scale?lang=ru")  # anonymous: no action
    assert client.post("/scale/syn-clinic/recommend").status_code in (302, 401, 403)
    editor = make_app(desk_home).test_client()
    login(editor, "redaktor")
    assert editor.post("/scale/syn-clinic/recommend").status_code in (302, 403)
    curator = make_app(desk_home).test_client()
    login(curator, "kurator")
    html = text(curator, "/scale?lang=ru")
    assert "Рекомендовать к тиражированию" in html
    response = curator.post("/scale/syn-clinic/recommend", data={"next": "/scale?lang=ru"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/scale")
    html = text(curator, "/scale?lang=ru")
    assert "Рекомендован к тиражированию" in html and "Признать федеральным стандартом" in html
    assert curator.post("/scale/syn-clinic/archive").status_code == 404  # only the board's two marks
    assert "syn-clinic" in text(curator, "/scale?status=recommended_for_scaling&lang=en")


# ----- end to end on the real engine: what the API sends is what the pages show ----------------
@pytest.fixture(scope="module")
def real_app(tmp_path_factory, encoder):
    from practicebank.catalog.seeding import shipped_projects

    records = shipped_projects()[:9]
    records[0] = {**records[0], "status": "in_operation", "start_year": 2019}  # a proven practice
    twin = {**records[0], "id": records[0]["id"] + "-copy", "region": "RU-BA", "status": "planned",
            "cost": {"capex": 12345.0}}
    services = seeded_services(tmp_path_factory.mktemp("desk-real"), [*records, twin])
    services.build_index()
    return web_app(services)


def test_headline_money_reaches_the_pages_and_the_cli_shape(real_app):
    from practicebank.matcher.headline import DuplicatesHeadline

    client = real_app.test_client()
    api = client.get("/api/v1/duplicates").get_json()
    head = DuplicatesHeadline.from_dict(api["headline"])  # the API sends exactly the typed shape
    assert head.families >= 1 and head.duplicate_capex > 0
    shown = f'data-figure="duplicate_capex">{head.duplicate_capex / 1000:,.1f}'.replace(",", " ").replace(".", ",")
    home = text(client, "/?lang=ru")
    assert "Потрачено на копии" in home
    assert shown.replace(" ", "") in home.replace("\u00a0", "").replace("\u202f", "").replace(" ", "") or \
        f"{head.duplicate_capex / 1000:.1f}".replace(".", ",") in home
    page = text(client, "/duplicates?lang=ru")
    family = api["families"][0]
    assert f'href="/duplicates/{family["id"]}"' in page
    detail = text(client, f"/duplicates/{family['id']}?lang=ru")
    assert "Функции, сопоставленные с эталоном" in detail
    assert client.get(f"/duplicates/{family['id']}/export.csv").status_code == 200
    board = text(client, "/scale?lang=ru")
    assert f'data-practice="{family["reference"]["id"]}"' in board  # its copy is demand
    assert "Планируют или разрабатывают" in board and "/regions/RU-BA" in board


def test_cli_prints_the_spend_on_copies_and_openapi_describes_the_sent_shape(real_app):
    from click.testing import CliRunner

    from practicebank.matcher.headline import DuplicatesHeadline
    from practicebank.web.api.openapi import document
    from practicebank.cli import main

    services = real_app.extensions["practicebank"]
    head = services.headline()
    result = CliRunner().invoke(main, ["duplicates", "--home", str(services.home)])
    assert result.exit_code == 0, result.output
    assert f"spent on copies: {head.duplicate_capex:,.0f} thousand rubles" in result.output
    assert head.duplicate_capex > 0
    schema = document()["components"]["schemas"]["Duplicates"]["properties"]["headline"]
    assert schema == DuplicatesHeadline.json_schema() and schema["additionalProperties"] is False
    sent = real_app.test_client().get("/api/v1/duplicates").get_json()["headline"]
    assert set(sent) == set(schema["properties"]) == set(schema["required"])


def test_a_new_engine_s_board_is_ranked_in_the_background(desk_home):
    """After the catalog moves, views keep the last board while the new one is ranked."""
    import threading
    import time

    class Engine:  # any object the services can hold a weak reference to
        pass

    services = Services.from_env(desk_home)
    services.refresh_mode = "background"
    serving = [Engine()]
    services.engine = lambda: serving[0]
    gate, calls = threading.Event(), []

    def rank():
        calls.append(1)
        if len(calls) == 2:
            gate.wait(10)  # the new engine's board takes its time
        return {"board": len(calls)}

    assert services._desk_doc("scale", rank) == {"board": 1}
    serving[0] = Engine()  # a newer engine was swapped in
    started = time.perf_counter()
    assert services._desk_doc("scale", rank) == {"board": 1}  # the last board, at once
    assert time.perf_counter() - started < 1
    gate.set()
    services._desk_docs["scale"]["thread"].join(10)
    assert services._desk_docs["scale"]["doc"] == {"board": 2}
    services.refresh_mode = "sync"  # a command computes what it answers
    serving[0] = Engine()
    assert services._desk_doc("scale", rank) == {"board": 3}
