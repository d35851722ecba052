"""The catalog database: schema, revision counter, import rules, round trip."""
from __future__ import annotations

import json

import pytest

from practicebank.catalog import store
from practicebank.catalog.db import Database
from practicebank.catalog.files import write_file
from practicebank.catalog.importer import ImportRejected, import_files, import_records
from practicebank.catalog.seeding import init_database

KINDERGARTEN = {
    "id": "ta-kindergarten",
    "title": "Electronic kindergarten",
    "summary": "Online queue for preschool places",
    "features": ["online enrolment in kindergartens", "queue position tracking"],
    "region": "Tatarstan",
    "industries": ["education"],
    "technologies": ["cloud"],
    "status": "in_operation",
    "start_year": 2015,
    "cost": {"capex": 12000.5, "opex_per_year": 1500},
    "funding": {"regional": 10000, "federal": 2000.5},
    "indicators": [{"name": "Share of applications filed online", "unit": "%", "baseline": 40,
                    "target": 95, "target_year": 2024, "actual": None}],
    "owner": "Ministry of Education and Science of Tatarstan",
    "license": "government_owned",
    "based_on": ["mos-kindergarten"],
    "sources": [{"title": "003_c9610e9e7c956468.txt: Tatarstan"}],
    "translations": {"ru": {"title": "Электронный детский сад", "summary": "Электронная очередь в детские сады",
                            "features": ["запись в детский сад онлайн", "отслеживание места в очереди"],
                            "translated": True}},
}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request, tmp_path, postgres_url):
    if request.param == "postgres":
        url = postgres_url()
    else:
        url = f"sqlite:///{tmp_path / 'catalog.sqlite3'}"
    database = Database(url)
    init_database(database)
    yield database
    database.dispose()


def test_init_is_idempotent_and_loads_every_region(db):
    revision = db.revision()
    assert init_database(db) >= 85
    assert db.revision() == revision


def test_a_region_name_is_stored_as_its_code(db):
    import_records(db, [KINDERGARTEN])
    with db.read() as session:
        assert store.get_project(session, "ta-kindergarten").region_code == "RU-TA"


def test_a_stored_record_reads_back_as_it_was_given(db):
    import_records(db, [KINDERGARTEN])
    with db.read() as session:
        record = store.project_dict(store.get_project(session, "ta-kindergarten"))
    expected = {**KINDERGARTEN, "region": "RU-TA", "synthetic": False, "language": "en"}
    expected["indicators"] = [{k: v for k, v in expected["indicators"][0].items() if v is not None}]
    assert record == expected


def test_every_change_moves_the_revision(db):
    before = db.revision()
    import_records(db, [KINDERGARTEN])
    after_create = db.revision()
    import_records(db, [{**KINDERGARTEN, "title": "Electronic kindergarten 2.0"}])
    assert before < after_create < db.revision()


def test_reimporting_a_known_id_updates_it(db):
    import_records(db, [KINDERGARTEN])
    outcome = import_records(db, [{**KINDERGARTEN, "features": ["a single feature"]}])
    assert outcome.updated == ["ta-kindergarten"] and outcome.created == []
    with db.read() as session:
        assert [f.text for f in store.get_project(session, "ta-kindergarten").features] == ["a single feature"]


def test_one_invalid_record_rejects_the_whole_import(db):
    bad = {**KINDERGARTEN, "id": "bad-one", "industries": ["helthcare"]}
    with pytest.raises(ImportRejected) as rejected:
        import_records(db, [KINDERGARTEN, bad])
    (error,) = rejected.value.errors
    assert error.record == 2 and error.field == "industries"
    assert "helthcare" in error.message and "healthcare" in error.message
    with db.read() as session:
        assert store.all_projects(session) == []


def test_skip_invalid_imports_the_valid_records(db):
    bad = {**KINDERGARTEN, "id": "bad-one", "region": "Atlantis"}
    outcome = import_records(db, [KINDERGARTEN, bad], skip_invalid=True)
    assert outcome.created == ["ta-kindergarten"]
    assert [(e.record, e.field) for e in outcome.errors] == [(2, "region")]


@pytest.mark.parametrize("suffix", ["json", "jsonl", "csv", "xlsx"])
def test_export_then_import_is_lossless(db, tmp_path, suffix):
    import_records(db, [KINDERGARTEN, {**KINDERGARTEN, "id": "ta-copy", "title": "=cmd|' /C calc'!A0"}])
    with db.read() as session:
        exported = store.project_dicts(session)
        regions = store.region_dicts(session)
    path = tmp_path / f"catalog.{suffix}"
    write_file(path, exported, regions)

    other = Database(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    init_database(other)
    import_files(other, [path])
    with other.read() as session:
        assert store.project_dicts(session) == exported
    other.dispose()


def test_a_json_export_carries_every_region(db, tmp_path):
    path = tmp_path / "catalog.json"
    with db.read() as session:
        write_file(path, store.project_dicts(session), store.region_dicts(session))
    document = json.loads(path.read_text(encoding="utf-8"))
    assert len(document["regions"]) >= 85 and document["projects"] == []


def test_stats_count_by_facet(db):
    import_records(db, [KINDERGARTEN])
    with db.read() as session:
        counts = store.stats(session)
    assert counts["projects"] == 1
    assert counts["by_industry"] == {"education": 1}
    assert counts["by_region"] == {"RU-TA": 1}
    assert counts["by_status"] == {"in_operation": 1}


@pytest.mark.parametrize("spelling, code", [
    ("RU-TA", "RU-TA"), ("ru-ta", "RU-TA"), ("Republic of Tatarstan", "RU-TA"), ("Татарстан", "RU-TA"),
    ("Moscow", "RU-MOW"), ("Moscow region", "RU-MOS"), ("Ugra", "RU-KHM"), ("Курганская область", "RU-KGN"),
    ("Altai", None), ("Atlantis", None),
])
def test_regions_resolve_by_code_or_name_and_ambiguity_is_refused(spelling, code):
    from practicebank.catalog.regions import shipped_resolver

    assert shipped_resolver()(spelling) == code


def test_the_shipped_catalog_is_valid_and_cites_the_seed_documents(db):
    from practicebank.catalog.seeding import shipped_projects

    outcome = import_records(db, shipped_projects())
    assert len(outcome.created) >= 40
    with db.read() as session:
        records = store.project_dicts(session)
    assert all(not r["synthetic"] and r["sources"] for r in records)
    # sources name the document, not the seed file it is stored in
    assert all(s["title"].startswith(SEED_DOCUMENT_TITLES) and ".txt" not in s["title"]
               for r in records for s in r["sources"])


SEED_DOCUMENT_TITLES = (
    'TAdviser: "2021: Published strategies for digital transformation of 84 regions of Russia.',  # 003
    '"The Government of the Russian Federation encourages regional authorities to conduct digital '  # 004
    'transformation as soon as possible and better"',
)


def test_every_shipped_record_has_a_russian_translation_with_every_feature():
    from practicebank.catalog.language import detect_language
    from practicebank.catalog.seeding import shipped_projects

    records = shipped_projects()
    assert len(records) == 84
    for record in records:
        ru = record["translations"]["ru"]
        assert record["language"] == "en" and ru["translated"] is True, record["id"]
        assert len(ru["features"]) == len(record["features"]), record["id"]
        assert ru["title"] and ru["summary"] and ru["description"] and ru["title"] != record["title"], record["id"]
        assert detect_language(ru["title"], ru["summary"], ru["features"]) == "ru", record["id"]
        assert detect_language(record["title"], record.get("summary"), record["features"]) == "en", record["id"]


@pytest.mark.parametrize("title, summary, features, language", [
    ("Электронный детский сад", None, [], "ru"),
    ("Electronic kindergarten", "Online queue", ["queue position tracking"], "en"),
    ("CRM-система для МСП", "Единый учёт клиентов", ["API", "SaaS"], "ru"),  # Cyrillic majority
    ("Vika", "AI assistant", ["ответы"], "en"),  # Latin majority
    ("2024", None, ["42"], "en"),  # no letters at all
    ("", "", [], "en"),
])
def test_language_is_detected_from_the_share_of_cyrillic_letters(title, summary, features, language):
    from practicebank.catalog.language import detect_language

    assert detect_language(title, summary, features) == language


def test_language_is_detected_when_absent_and_kept_when_given(db):
    russian = {**KINDERGARTEN, "id": "ru-record", "title": "Электронный детский сад",
               "summary": "Электронная очередь", "features": ["запись онлайн"], "translations": {}}
    import_records(db, [russian, {**KINDERGARTEN, "id": "given", "language": "ru"}, KINDERGARTEN])
    with db.read() as session:
        got = {r["id"]: r.get("language") for r in store.project_dicts(session)}
    assert got == {"ru-record": "ru", "given": "ru", "ta-kindergarten": "en"}


def test_reading_many_records_at_once_gives_the_same_records_as_one_by_one(db):
    from practicebank.catalog.seeding import shipped_projects

    import_records(db, [*shipped_projects(), KINDERGARTEN])
    with db.read() as session:
        one_by_one = {p.id: store.project_dict(p) for p in store.all_projects(session)}
        ids = ["ta-kindergarten", "no-such-id", *sorted(one_by_one)[:30]]
        at_once = store.project_dicts_by_ids(session, ids)
    assert [p["id"] for p in at_once] == [i for i in dict.fromkeys(ids) if i in one_by_one]
    assert at_once == [one_by_one[p["id"]] for p in at_once]


def test_rows_without_a_language_get_it_detected_when_read(db):
    # rows written before migration 0003 have no language
    from sqlalchemy import update

    from practicebank.catalog.models import Project

    russian = {**KINDERGARTEN, "id": "ru-old", "title": "Электронный детский сад", "summary": "Очередь",
               "features": ["запись онлайн"]}
    import_records(db, [russian, KINDERGARTEN])
    with db.write() as session:
        session.execute(update(Project).values(language=None))
    with db.read() as session:
        one_by_one = [store.project_dict(store.get_project(session, i)) for i in ("ru-old", "ta-kindergarten")]
        at_once = store.project_dicts_by_ids(session, ["ru-old", "ta-kindergarten"])
    assert [r["language"] for r in one_by_one] == ["ru", "en"] and at_once == one_by_one
