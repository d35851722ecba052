"""Records in the page's language: the Russian translation of an English record (and the
reverse) on the passport, the cards, compare and the plan answer; the API carries both."""
from __future__ import annotations

import pytest

from practicebank.catalog.importer import import_records
from practicebank.catalog.seeding import init_database, shipped_projects
from practicebank.catalog.language import localized
from practicebank.matcher.answers import SearchPage
from practicebank.web.services import Services

from tests.fakes import FakeServices, make_app, match, recommendation

KINDERGARTEN = {
    "id": "ta-kindergarten", "title": "Electronic kindergarten", "summary": "Online queue for kindergartens",
    "region": "RU-TA", "industries": ["education"], "status": "in_operation",
    "features": ["online enrolment in kindergartens", "queue position tracking"],
    "translations": {"ru": {"title": "Электронный детский сад", "summary": "Электронная очередь в детские сады",
                            "features": ["электронная запись в детские сады", "отслеживание места в очереди"],
                            "translated": True}},
}
# Written in Russian by its owner, with an English text the owner wrote too (not "translated").
QUEUE = {
    "id": "ba-queue", "title": "Очередь в детские сады", "summary": "Электронная очередь",
    "region": "RU-BA", "industries": ["education"], "features": ["постановка на учёт"],
    "translations": {"en": {"title": "Kindergarten queue", "features": ["registration in the queue"]}},
}
PLAIN = {"id": "ta-plain", "title": "Urban GIS", "region": "RU-TA", "industries": ["urban_environment"]}


class Engine(FakeServices):
    def recommend(self, planned, k=10, exclude_region=False):  # an engine result: no translations, only the id
        return recommendation([match("ta-kindergarten", "Electronic kindergarten", "RU-TA")])

    def search(self, query, filters=None, page=1, per_page=20, sort="relevance"):
        with self.db.read() as session:
            from practicebank.catalog import store
            results = [{**r, "score": 0.5} for r in store.project_dicts(session)]
        return SearchPage(query=query, filters=dict(filters or {}), total=len(results), page=page,
                          per_page=per_page, sort=sort, results=results, facets={})


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    home = tmp_path_factory.mktemp("web-localized")
    services = Services.from_env(home)
    init_database(services.db)
    import_records(services.db, [KINDERGARTEN, QUEUE, PLAIN])
    services.db.dispose()
    return make_app(home, Engine).test_client()


def page(client, url: str, lang: str) -> str:
    sep = "&" if "?" in url else "?"
    response = client.get(f"{url}{sep}lang={lang}")
    assert response.status_code == 200, response.data[:300]
    return response.get_data(as_text=True)


def test_the_passport_in_russian_shows_the_russian_title_marked_as_a_translation(client):
    html = page(client, "/projects/ta-kindergarten", "ru")
    assert "<title>Электронный детский сад" in html and '<span lang="ru">Электронный детский сад</span>' in html
    assert "Электронная очередь в детские сады" in html and "отслеживание места в очереди" in html
    assert "перевод" in html
    assert "Electronic kindergarten" not in html.split("<main", 1)[1].split("Похожие", 1)[0]


def test_the_passport_in_english_shows_the_english_title(client):
    html = page(client, "/projects/ta-kindergarten", "en")
    assert '<span lang="en">Electronic kindergarten</span>' in html and "queue position tracking" in html
    assert "Электронный детский сад" not in html and "badge-translated" not in html


def test_a_russian_record_shows_its_owners_english_text_without_a_translation_mark(client):
    html = page(client, "/projects/ba-queue", "en")
    assert '<span lang="en">Kindergarten queue</span>' in html and "registration in the queue" in html
    assert "badge-translated" not in html
    assert '<span lang="ru">Очередь в детские сады</span>' in page(client, "/projects/ba-queue", "ru")


def test_a_record_without_a_translation_shows_its_own_text(client):
    assert '<span lang="en">Urban GIS</span>' in page(client, "/projects/ta-plain", "ru")


def test_cards_compare_and_the_plan_answer_use_the_pages_language(client):
    assert "Электронный детский сад" in page(client, "/search?q=x", "ru")
    assert "Электронная очередь в детские сады" in page(client, "/search?q=x", "ru")
    compare = page(client, "/compare?ids=ta-kindergarten,ba-queue", "ru")
    assert "Электронный детский сад" in compare and "электронная запись в детские сады" in compare
    plan = page(client, "/plan?title=Детский+сад&features=запись", "ru")  # engine result: looked up by id
    assert "Электронный детский сад" in plan
    assert "Electronic kindergarten" in page(client, "/plan?title=Kindergarten&features=enrolment", "en")


def test_the_api_gives_the_record_with_language_and_translations(client):
    record = client.get("/api/v1/projects/ta-kindergarten").get_json()
    assert record["language"] == "en" and record["translations"] == KINDERGARTEN["translations"]
    assert client.get("/api/v1/projects/ba-queue").get_json()["language"] == "ru"  # detected


def test_localized_falls_back_field_by_field():
    record = {"id": "x", "title": "Title", "summary": "Summary", "features": ["a", "b"], "language": "en",
              "translations": {"ru": {"title": "Название", "translated": True}}}
    assert localized(record, "ru") == {"title": "Название", "summary": "Summary", "description": None,
                                       "features": ["a", "b"], "language": "ru", "translated": True}
    assert localized(record, "en")["title"] == "Title" and not localized(record, "en")["translated"]
    # an engine result without translations gets them by id
    assert localized({"id": "x", "title": "Title"}, "ru", {"x": ("en", record["translations"])})["title"] == "Название"


def test_the_shipped_passport_shows_the_russian_title_and_document_titles(tmp_path):
    services = Services.from_env(tmp_path)
    init_database(services.db)
    import_records(services.db, shipped_projects())
    services.db.dispose()
    client = make_app(tmp_path, FakeServices).test_client()
    html = page(client, "/projects/khm-region-management-center", "ru")
    assert "Центр управления регионом" in html and "сбор жалоб и предложений граждан" in html
    assert "во исполнение поручения Президента" in html  # the description too
    assert "The Government of the Russian Federation encourages regional authorities" in html
    assert ".txt" not in html
    assert "Region Management Center" in page(client, "/projects/khm-region-management-center", "en")
