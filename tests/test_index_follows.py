"""Indexes follow the catalog by themselves (issue 13).

* Nothing withdrawn is ever served: a record archived after the index was built is dropped
  from every engine answer at read time, before any update of the engine.
* The engine follows the catalog: an approve (or archive, edit, import) is in search and
  recommend without `practicebank index`; ``MatchingEngine.update`` answers like a refit.
* Public numbers count public records only.
"""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from practicebank.catalog import accounts, store, workflow
from practicebank.catalog.accounts import Principal
from practicebank.catalog.importer import import_records
from practicebank.catalog.seeding import init_database
from practicebank.matcher.engine import MatchingEngine
from practicebank.matcher.records import ProjectRecord
from practicebank.web.app import create_app
from practicebank.web.services import Services

PASSWORD = "correct horse battery"
EDITOR = Principal(1, "ed-ta", "regional_editor", "RU-TA")
CURATOR = Principal(3, "cur", "federal_curator", None)
KG = ["online application to a kindergarten", "queue position tracking", "notification of the parents",
      "allocation of places by the municipality"]
WITHDRAWN = "zz-withdrawn-kindergarten"


def kg(pid: str, region: str, title: str = "Kindergarten enrolment", **extra) -> dict:
    return {"id": pid, "title": title, "region": region, "industries": ["education"], "features": KG,
            "status": "in_operation", "start_year": 2018, "cost": {"capex": 20000},
            "summary": "Electronic queue for kindergartens", **extra}


CATALOG = [
    kg("kg-tatarstan", "RU-TA"),
    kg(WITHDRAWN, "RU-BA", based_on=["kg-tatarstan"]),
    kg("kg-kurgan", "RU-KGN", title="Kindergarten queue"),
    {"id": "bus-tracking", "title": "Bus tracking", "region": "RU-MOS", "industries": ["transport"],
     "features": ["bus location on a map", "arrival forecast at the stop"], "status": "in_operation",
     "start_year": 2019},
]


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.setenv("PRACTICEBANK_HOME", str(tmp_path))
    services = Services.from_env(tmp_path)
    init_database(services.db)
    import_records(services.db, CATALOG)
    with services.db.write() as s:
        accounts.create_user(s, "ed-ta", PASSWORD, "regional_editor", "RU-TA")
        accounts.create_user(s, "cur", PASSWORD, "federal_curator")
    services.build_index()
    app = create_app({"SERVICES": services, "TESTING": True, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "t"})
    yield services, app
    services.db.dispose()


def engine_answers(services, app) -> dict[str, str]:
    """Every engine answer the web app, the API and the CLI serve, as text."""
    client = app.test_client()
    plan = {"title": "Kindergarten enrolment", "features": KG, "industries": ["education"], "region": "RU-MOS"}
    out = {
        "api search": client.get("/api/v1/search?q=kindergarten"),
        "api recommend": client.post("/api/v1/recommend", json=plan),
        "api check-plan": client.post("/api/v1/check-plan", json=[{**plan, "id": "p1"}]),
        "api similar": client.get("/api/v1/projects/kg-tatarstan/similar"),
        "api duplicates": client.get("/api/v1/duplicates"),
        "api scale": client.get("/api/v1/scale-candidates"),
        "api compare": client.get("/api/v1/compare?ids=kg-tatarstan,kg-kurgan"),
        "search page": client.get("/search?q=kindergarten&lang=en"),
        "search export": client.get("/search/export.json?q=kindergarten"),
        "passport": client.get("/projects/kg-tatarstan?lang=en"),
        "plan page": client.post("/plan?lang=en", data={"title": plan["title"], "features": "\n".join(KG)},
                                  follow_redirects=True),
        "duplicates page": client.get("/duplicates?lang=en"),
        "scale page": client.get("/scale?lang=en"),
        "region page": client.get("/regions/RU-TA?lang=en"),
    }
    texts = {}
    for name, response in out.items():
        assert response.status_code == 200, (name, response.status_code)
        texts[name] = response.get_data(as_text=True)
    runner = CliRunner()
    from practicebank.cli import main

    for name, args in {"cli search": ["search", "kindergarten", "--json"],
                       "cli recommend": ["recommend", "Kindergarten enrolment", "--features", "; ".join(KG), "--json"],
                       "cli duplicates": ["duplicates", "--json"],
                       "cli scale": ["scale-candidates", "--json"]}.items():
        result = runner.invoke(main, args)
        assert result.exit_code == 0, (name, result.output)
        texts[name] = result.output
    return texts


def test_a_withdrawn_record_is_never_served_even_before_the_engine_is_updated(site, monkeypatch):
    services, app = site
    before = engine_answers(services, app)
    assert WITHDRAWN in before["api search"] and WITHDRAWN in before["api recommend"]
    assert WITHDRAWN in before["api duplicates"]
    services.refresh_mode = "off"  # the update has not landed: only the read-time filter works
    monkeypatch.setenv("PRACTICEBANK_REFRESH", "off")
    with services.db.write() as s:
        workflow.transition(s, CURATOR, WITHDRAWN, "archive")
    after = engine_answers(services, app)
    served = [name for name, text in after.items() if WITHDRAWN in text]
    assert served == [], served
    assert services.engine().records_.get(WITHDRAWN) is not None  # still in the (old) engine
    client = app.test_client()
    assert client.get(f"/api/v1/projects/{WITHDRAWN}/similar").status_code == 404
    assert client.get(f"/api/v1/compare?ids=kg-tatarstan,{WITHDRAWN}").status_code in (400, 404)
    found = json.loads(after["api search"])
    assert found["total"] == len(found["results"]) == 2  # the total and the facets do not count it
    assert sum(found["facets"]["industry"].values()) == 2


def test_an_approve_is_in_search_and_recommend_without_running_index(site):
    services, app = site
    editor_record = {"id": "bus-new", "title": "Tram arrival boards", "region": "RU-TA",
                     "industries": ["transport"], "features": ["tram arrival forecast", "boards at the stops"]}
    with services.db.write() as s:
        workflow.save_draft(s, EDITOR, editor_record, create=True)
        workflow.transition(s, EDITOR, "bus-new", "submit")
    client = app.test_client()
    assert "bus-new" not in client.get("/api/v1/search?q=tram").get_data(as_text=True)
    with services.db.write() as s:
        workflow.transition(s, CURATOR, "bus-new", "approve")
    found = client.get("/api/v1/search?q=tram").get_json()
    assert [r["id"] for r in found["results"]] == ["bus-new"]
    plan = {"title": "Tram arrival", "features": ["tram arrival forecast"], "industries": ["transport"]}
    assert "bus-new" in [r["id"] for r in client.post("/api/v1/recommend", json=plan).get_json()["results"]]
    assert services.last_refresh["changed"] == 1 and services.last_refresh["removed"] == 0
    from practicebank.cli import main

    cli = json.loads(CliRunner().invoke(main, ["search", "tram", "--json"]).output)  # a new process's view
    assert [r["id"] for r in cli["results"]] == ["bus-new"]
    # saved stamped with the new revision: the operator's check agrees, a new process loads it
    assert services.check_index()["ok"]
    assert services.index_status()["stale"] is False
    other = Services.from_env(services.home)
    assert "bus-new" in other.engine().records_ and other.last_refresh is None


def test_archive_and_edit_follow_in_the_background(site):
    services, app = site
    services.refresh_mode, services.refresh_seconds = "background", 0
    with services.db.write() as s:
        workflow.transition(s, CURATOR, WITHDRAWN, "archive")
        row = store.get_project(s, "bus-tracking")
        row.title = "Bus and trolleybus tracking"
        from practicebank.catalog.db import bump_revision

        bump_revision(s)
    client = app.test_client()
    client.get("/api/v1/search?q=trolleybus")  # notices the revision, starts the update
    services.wait_for_refresh(60)
    assert services.last_refresh["families_seconds"] >= 0  # families recomputed off the request path
    assert WITHDRAWN not in services.engine().records_
    assert services.engine().records_["bus-tracking"].title == "Bus and trolleybus tracking"
    found = client.get("/api/v1/search?q=trolleybus").get_json()
    assert [r["id"] for r in found["results"]] == ["bus-tracking"]


def test_the_stale_banner_is_for_operators_only(site):
    services, app = site
    services.refresh_mode = "off"
    with services.db.write() as s:
        workflow.save_draft(s, EDITOR, {"id": "draft-x", "title": "Draft", "region": "RU-TA",
                                        "industries": ["education"]}, create=True)
    html = app.test_client().get("/search?q=kindergarten&lang=en").get_data(as_text=True)
    assert "practicebank index" not in html and "out of date" not in html


def records_of(catalog: list[dict]) -> list[ProjectRecord]:
    return [ProjectRecord.from_dict(r) for r in catalog]


def test_update_answers_like_a_refit(encoder):
    base = MatchingEngine(encoder, families=False).fit(records_of(CATALOG))
    edited = {**CATALOG[3], "title": "Bus and tram tracking", "features": ["tram location on a map"]}
    added = kg("kg-new", "RU-MOS", title="Nursery school queue")
    target = [CATALOG[0], CATALOG[2], edited, added]
    updated = base.update(records_of([edited, added]), [WITHDRAWN])
    refit = MatchingEngine(encoder, families=False).fit(records_of(target))
    assert sorted(updated.ids_) == sorted(refit.ids_) and updated.fingerprints_ == {
        i: refit.fingerprints_[i] for i in updated.ids_}
    assert base.changes_against(records_of(target))[1] == [WITHDRAWN]
    for query in ("kindergarten", "tram", "queue"):
        assert dict(updated.search(query).hits) == pytest.approx(dict(refit.search(query).hits))
    plan = ProjectRecord.from_dict({"id": "plan", "title": "Kindergarten", "region": "RU-MOS", "features": KG})
    got = [(r["id"], r["overlap"]) for r in updated.recommend(plan, k=5).to_dict()["results"]]
    want = [(r["id"], r["overlap"]) for r in refit.recommend(plan, k=5).to_dict()["results"]]
    assert dict(got) == pytest.approx(dict(want))
    assert [s.to_dict() for s in updated.similar("kg-new", 3)] == [s.to_dict() for s in refit.similar("kg-new", 3)]
    assert WITHDRAWN in base.records_  # the old engine is untouched, it may still be serving


# ------------------------------------------------------------------------- public numbers
def test_public_numbers_count_public_records_only(site):
    services, app = site
    with services.db.write() as s:
        for n in range(5):  # five drafts "based on" a practice must not lift it
            workflow.save_draft(s, EDITOR, {**kg(f"draft-{n}", "RU-TA"), "based_on": ["kg-kurgan"]}, create=True)
        workflow.transition(s, CURATOR, "bus-tracking", "archive")
    with services.db.read() as s:
        counts = store.stats(s)
        assert store.reuse_counts(s) == {"kg-tatarstan": 1}
    assert counts["projects"] == 3 and counts["by_region"] == {"RU-TA": 1, "RU-BA": 1, "RU-KGN": 1}
    assert "transport" not in counts["by_industry"] and counts["by_industry"]["education"] == 3
    client = app.test_client()
    assert client.get("/api/v1/stats").get_json()["projects"] == 3
    result = CliRunner().invoke(__import__("practicebank.cli", fromlist=["main"]).main, ["stats", "--json"])
    assert json.loads(result.output)["projects"] == 3
    home = client.get("/?lang=en").get_data(as_text=True)
    assert "draft-0" not in home
    assert client.get("/regions?lang=en").status_code == 200
    assert "draft-0" not in client.get("/regions/RU-TA?lang=en").get_data(as_text=True)
    reuse = {r.id: r.reused_by_count for r in services.records(public_only=True)}
    assert reuse["kg-kurgan"] == 0 and reuse["kg-tatarstan"] == 1
    board = services.scale_candidates(top=None)  # the engine followed the catalog: drafts lift nothing
    assert "draft-" not in json.dumps(board)
    kurgan = next(c for c in board["candidates"] if c["id"] == "kg-kurgan")
    tatarstan = next(c for c in board["candidates"] if c["id"] == "kg-tatarstan")
    # same age, same evidence: only the (public) reuse sets them apart in the proof term
    assert kurgan["terms"]["proof"]["contribution"] < tatarstan["terms"]["proof"]["contribution"]


def test_a_small_update_keeps_the_tfidf_vocabulary_and_finds_the_change(encoder):
    catalog = [kg(f"kg-{n:03d}", "RU-TA", title=f"Kindergarten number {n}") for n in range(40)]
    base = MatchingEngine(encoder, families=False).fit(records_of(catalog))
    edited = {**catalog[5], "title": "Kindergarten tram shuttle", "features": ["tram shuttle for children"]}
    updated = base.update(records_of([edited]))
    retriever = updated.retriever_
    assert retriever.tfidf_drift_ == 1  # rows reused, vocabulary kept
    word, old_word = retriever.tfidf_word_.matrix_.tocsr(), base.retriever_.tfidf_word_.matrix_.tocsr()
    assert word.shape == old_word.shape and (word[6] != old_word[6]).nnz == 0 and (word[5] != old_word[5]).nnz > 0
    assert [i for i, _ in updated.search("tram").hits] == ["kg-005"]
    plan = ProjectRecord.from_dict({"id": "p", "title": "Tram shuttle", "region": "RU-MOS",
                                    "features": ["tram shuttle for children"]})
    assert updated.recommend(plan, k=3).results[0].id == "kg-005"
    again = updated.update(records_of([{**catalog[7], "title": "Kindergarten seven"},
                                       {**catalog[8], "title": "Kindergarten eight"}]))
    assert again.retriever_.tfidf_drift_ == 0  # 3 of 40 changed: above 5 %, refitted in full


# ------------------------------------------------------------- "does this already exist?"
def login(app, user):
    client = app.test_client()
    assert client.post("/login", data={"login": user, "password": PASSWORD}).status_code == 302
    return client


def test_a_draft_shows_the_similar_approved_systems_both_ways(site):
    services, app = site
    ed, cur = login(app, "ed-ta"), login(app, "cur")
    assert ed.post("/projects/new", data={"id": "kg-copy", "title": "Kindergarten enrolment", "industries": "education",
                                          "features": "\n".join(KG)}).status_code == 302
    for client in (ed, cur):  # the editor's draft page and the curator's review page
        html = client.get("/projects/kg-copy?lang=en").get_data(as_text=True)
        assert "appear once the index is built" not in html
        assert "kg-tatarstan" in html and "Overlap back" in html and "twin" in html
    assert "kg-copy" not in services.engine().records_  # computed on demand, not indexed


def test_submitting_a_copy_of_a_system_in_operation_asks_first(site):
    services, app = site
    ed = login(app, "ed-ta")
    ed.post("/projects/new", data={"id": "kg-copy", "title": "Kindergarten enrolment", "industries": "education",
                                   "features": "\n".join(KG)})
    page = ed.post("/projects/kg-copy/workflow/submit?lang=en")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Does this already exist?" in html
    assert "kg-tatarstan" in html and 'name="adopting_project_id" value="kg-copy"' in html
    with services.db.read() as s:
        assert store.get_project(s, "kg-copy").curation_state == "draft"  # nothing submitted yet
    assert ed.post("/projects/kg-copy/workflow/submit", data={"confirm": "1"}).status_code == 302
    with services.db.read() as s:
        assert store.get_project(s, "kg-copy").curation_state == "submitted"
    # the Russian page too
    ed.post("/projects/new", data={"id": "kg-copy-2", "title": "Kindergarten enrolment", "industries": "education",
                                   "features": "\n".join(KG)})
    assert "Такая система уже есть?" in ed.post("/projects/kg-copy-2/workflow/submit?lang=ru").get_data(as_text=True)


def test_an_original_draft_is_submitted_at_once(site):
    services, app = site
    ed = login(app, "ed-ta")
    ed.post("/projects/new", data={"id": "museum", "title": "Virtual museum tours", "industries": "culture",
                                   "features": "panoramic tours of the halls\nbooking of guided visits"})
    assert ed.post("/projects/museum/workflow/submit").status_code == 302
    with services.db.read() as s:
        assert store.get_project(s, "museum").curation_state == "submitted"


def test_a_small_update_adds_to_the_full_text_index_without_rewriting_it(encoder, tmp_path):
    from practicebank.matcher import store as index_store

    catalog = [kg(f"kg-{n:03d}", "RU-TA", title=f"Kindergarten number {n}") for n in range(40)]
    base = MatchingEngine(encoder, families=False).fit(records_of(catalog))
    edited = {**catalog[5], "title": "Kindergarten tram shuttle"}
    added = {**catalog[6], "id": "zz-new", "title": "Trolleybus depot"}
    updated = base.update(records_of([edited, added]), ["kg-007"])
    bm25 = updated.search_.bm25_
    assert bm25.segments_ == 2 and bm25.drift_ == 2
    assert [i for i, _ in updated.search("tram").hits] == ["kg-005"]
    assert [i for i, _ in updated.search("trolleybus").hits] == ["zz-new"]
    assert "kg-007" not in [i for i, _ in updated.search("kindergarten", per_page=100).hits]
    assert updated.search("kindergarten", per_page=100).total == 40  # 39 kept and the new one
    assert [i for i, _ in base.search("tram").hits] == []  # the old engine is untouched
    index_store.save(updated, tmp_path / "engine", 1)  # it saves and loads like a fitted one
    loaded = index_store.load(tmp_path / "engine", MatchingEngine)
    assert [i for i, _ in loaded.search("trolleybus").hits] == ["zz-new"]


def test_a_withdrawn_record_never_counts_in_a_portfolio_summary(site):
    services, _ = site
    services.refresh_mode = "off"  # only the read-time filter stands between it and the answer
    with services.db.write() as s:
        workflow.transition(s, CURATOR, WITHDRAWN, "archive")
    plan = {"id": "p1", "title": "Kindergarten enrolment", "features": KG, "industries": ["education"],
            "region": "RU-MOS", "funding": {"regional": 1000.0}}
    report = services.check_plan([plan], k=5)
    assert WITHDRAWN not in report.to_json()
    assert report.summary.items_with_match == 1


def test_an_update_never_replaces_a_newer_engine_loaded_meanwhile(site, monkeypatch):
    services, _ = site
    base = services.engine()
    newer = MatchingEngine(base.encoder, families=False)
    with services.db.write() as s:
        workflow.transition(s, CURATOR, "bus-tracking", "archive")

    def update_while_a_full_build_lands(changed, removed):
        services._engine = newer  # `practicebank index` finished and a request loaded it
        return MatchingEngine.update(base, changed, removed)

    monkeypatch.setattr(base, "update", update_while_a_full_build_lands)
    assert services.refresh() is None
    assert services._engine is newer  # the full build stays; the update is thrown away
