"""The practice workflow, its history, replication requests, the audit log and the migration."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import inspect

from practicebank.catalog import accounts, audit, replication, store, workflow
from practicebank.catalog.accounts import Principal
from practicebank.catalog.db import Database
from practicebank.catalog.importer import import_records
from practicebank.catalog.seeding import init_database
from practicebank.web.app import create_app
from practicebank.web.services import Services
from tests.helpers import login, workflow_site

PASSWORD = "correct horse battery"
EDITOR = Principal(1, "ed-ta", "regional_editor", "RU-TA")
EDITOR_BA = Principal(2, "ed-ba", "regional_editor", "RU-BA")
CURATOR = Principal(3, "cur", "federal_curator", None)


def rec(pid: str, region: str = "RU-TA", **extra) -> dict:
    return {"id": pid, "title": f"System {pid}", "region": region, "industries": ["education"],
            "features": ["online enrolment", "queue tracking"], **extra}


@pytest.fixture
def db(tmp_path):
    database = Database.from_env(tmp_path)
    init_database(database)
    yield database
    database.dispose()


def test_full_path_with_history_and_revision(db):
    with db.write() as s:
        workflow.save_draft(s, EDITOR, rec("kg"), create=True)
    steps = [(EDITOR, "submit", None, "submitted"), (CURATOR, "return", "add indicators", "returned"),
             (EDITOR, "submit", None, "submitted"), (CURATOR, "approve", None, "approved"),
             (CURATOR, "recommend", None, "recommended_for_scaling"),
             (CURATOR, "make_standard", None, "federal_standard"), (CURATOR, "archive", "superseded", "archived")]
    for who, action, comment, to in steps:
        before = db.revision()
        with db.write() as s:
            event = workflow.transition(s, who, "kg", action, comment)
            assert event.to_state == to
        assert db.revision() == before + 1  # each transition changes the record
    with db.read() as s:
        history = workflow.history(s, "kg")
        log = audit.entries(s, entity_type="project", entity_id="kg")
    assert [h["to"] for h in history] == ["draft"] + [to for *_, to in steps]
    assert history[2]["comment"] == "add indicators" and history[2]["actor"] == "cur"
    assert history[2]["from"] == "submitted"
    assert [e["action"] for e in log][:2] == ["project.create", "project.submit"]
    assert log[1]["before"] == {"curation_state": "draft"} and log[1]["after"]["curation_state"] == "submitted"


def test_return_needs_a_comment_and_wrong_state_is_refused(db):
    with db.write() as s:
        workflow.save_draft(s, EDITOR, rec("kg"), create=True)
        workflow.transition(s, EDITOR, "kg", "submit")
    with pytest.raises(workflow.InvalidTransition, match="comment"), db.write() as s:
        workflow.transition(s, CURATOR, "kg", "return", "  ")
    with pytest.raises(workflow.InvalidTransition, match="submitted"), db.write() as s:
        workflow.transition(s, CURATOR, "kg", "recommend")
    with pytest.raises(workflow.Forbidden), db.write() as s:
        workflow.transition(s, EDITOR, "kg", "approve")
    with pytest.raises(workflow.NotFound), db.write() as s:  # another region's draft: not there for them
        workflow.transition(s, EDITOR_BA, "kg", "submit")


def test_editors_create_and_edit_only_their_region(db):
    with pytest.raises(workflow.Forbidden), db.write() as s:
        workflow.save_draft(s, EDITOR, rec("ba-one", "RU-BA"), create=True)
    with db.write() as s:
        workflow.save_draft(s, EDITOR, rec("kg"), create=True)
    with pytest.raises(workflow.Forbidden), db.write() as s:  # region of a record cannot move
        workflow.save_draft(s, EDITOR, rec("kg", "RU-BA"), create=False)
    with pytest.raises(workflow.RecordInvalid), db.write() as s:
        workflow.save_draft(s, EDITOR, {"id": "x", "title": "x", "region": "RU-TA", "industries": ["nope"]}, True)
    with db.write() as s:
        workflow.save_draft(s, EDITOR, rec("kg", title="Renamed"), create=False)
        workflow.transition(s, EDITOR, "kg", "submit")
    with pytest.raises(workflow.Forbidden), db.write() as s:  # submitted: no longer editable
        workflow.save_draft(s, EDITOR, rec("kg"), create=False)


def test_replication_lifecycle_links_and_counts(db):
    import_records(db, [rec("practice", "RU-TA")])
    with db.write() as s:
        request = replication.create_request(s, EDITOR_BA, "practice", "we need it")
        rid = request.id
    with pytest.raises(workflow.InvalidTransition), db.write() as s:  # one open request per region
        replication.create_request(s, EDITOR_BA, "practice")
    with pytest.raises(workflow.InvalidTransition), db.write() as s:  # own practice
        replication.create_request(s, EDITOR, "practice")
    with pytest.raises(workflow.Forbidden), db.write() as s:  # the asking region cannot agree itself
        replication.advance(s, EDITOR_BA, rid, "agree")
    with db.read() as s:
        assert [r["id"] for r in replication.requests_for(s, EDITOR, "practice")] == [rid]  # owner sees it
        assert replication.requests_for(s, Principal(5, "x", "regional_editor", "RU-MOS")) == []
    with db.write() as s:
        replication.advance(s, EDITOR, rid, "agree")
        replication.advance(s, EDITOR_BA, rid, "start_pilot")
        done = replication.advance(s, CURATOR, rid, "put_in_operation")
        adopted = done.adopting_project_id
    with db.read() as s:
        row = store.get_project(s, adopted)
        assert row.region_code == "RU-BA" and row.curation_state == "draft"
        assert [b.based_on_id for b in row.based_on] == ["practice"]
        assert store.reuse_counts(s)["practice"] == 1
        assert [e["action"] for e in audit.entries(s, entity_type="replication_request")] == [
            "replication.request", "replication.agree", "replication.start_pilot", "replication.put_in_operation"]
    services = Services(db, db.url and None)  # the matcher's records carry the reuse count
    services.db = db
    counts = {r.id: r.reused_by_count for r in services.records()}
    assert counts["practice"] == 1


def test_replication_links_an_existing_record(db):
    import_records(db, [rec("practice"), rec("ba-own", "RU-BA")])
    with db.write() as s:
        rid = replication.create_request(s, EDITOR_BA, "practice", adopting_project_id="ba-own").id
        replication.advance(s, CURATOR, rid, "agree")
        replication.advance(s, CURATOR, rid, "start_pilot")
        replication.advance(s, EDITOR_BA, rid, "put_in_operation")
    with db.read() as s:
        assert store.reused_by(s, "practice") == ["ba-own"]


def test_import_and_accounts_are_audited_accounts_do_not_move_revision(db):
    import_records(db, [rec("a"), rec("b")])
    revision = db.revision()
    with audit.acting_as("admin"), db.write() as s:
        accounts.create_user(s, "ed", PASSWORD, "regional_editor", "RU-TA")
        accounts.set_role(s, "ed", "federal_curator")
        accounts.set_active(s, "ed", False)
    assert db.revision() == revision
    with db.read() as s:
        log = audit.entries(s)
    imports = [e for e in log if e["action"] == "import"]
    assert len(imports) == 1 and imports[0]["after"]["created"] == 2
    users = [e for e in log if e["entity_type"] == "user"]
    assert [e["action"] for e in users] == ["user.create", "user.set_role", "user.disable"]
    assert users[1]["before"]["role"] == "regional_editor" and users[1]["after"]["role"] == "federal_curator"
    assert all(e["actor"] == "admin" for e in users)
    assert "password" not in json.dumps(users[0]).replace('"password": "changed"', "")


def test_audit_export_cli(tmp_path, monkeypatch):
    from practicebank.cli import main

    monkeypatch.setenv("PRACTICEBANK_HOME", str(tmp_path))
    monkeypatch.setenv("PRACTICEBANK_PASSWORD", PASSWORD)
    runner = CliRunner()
    assert runner.invoke(main, ["users", "add", "ed", "--role", "regional_editor", "--region", "RU-TA"]).exit_code == 0
    result = runner.invoke(main, ["users", "token-create", "ed", "--json"])
    token = json.loads(result.output)["token"]
    assert runner.invoke(main, ["users", "set-role", "ed", "admin"]).exit_code == 0
    assert runner.invoke(main, ["users", "add", "bad", "--role", "regional_editor"]).exit_code == 1  # no region
    out = tmp_path / "audit.jsonl"
    assert runner.invoke(main, ["audit", "export", "-o", str(out)]).exit_code == 0
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["action"] for line in lines] == ["user.create", "token.create", "user.set_role"]
    assert token not in out.read_text()  # the token itself is never stored or logged
    listed = json.loads(runner.invoke(main, ["users", "list", "--json"]).output)
    assert listed["users"][0]["role"] == "admin"


def test_migration_creates_the_new_tables(tmp_path):
    database = Database.from_env(tmp_path)
    database.upgrade()
    tables = set(inspect(database.write_engine).get_table_names())
    assert {"users", "api_tokens", "workflow_events", "replication_requests", "audit_log"} <= tables
    database.dispose()


@pytest.mark.postgres
def test_migration_on_postgres(postgres_url):
    database = Database(postgres_url())
    init_database(database)
    tables = set(inspect(database.write_engine).get_table_names())
    assert {"users", "api_tokens", "workflow_events", "replication_requests", "audit_log"} <= tables
    with database.write() as s:
        accounts.create_user(s, "ed", PASSWORD, "regional_editor", "RU-TA")
        workflow.save_draft(s, EDITOR, rec("kg"), create=True)
        workflow.transition(s, EDITOR, "kg", "submit")
    database.dispose()


# ------------------------------------------------------------------------------------ web pages
@pytest.fixture
def site(tmp_path):
    return workflow_site(tmp_path)


def test_web_draft_to_approval_and_history_on_passport(site):
    services, app = site
    ed, cur, anon = login(app, "ed-ta"), login(app, "cur"), app.test_client()
    response = ed.post("/projects/new", data={"id": "new-kg", "title": "New kindergarten", "industries": "education",
                                              "features": "enrolment\nqueue"})
    assert response.status_code == 302
    assert anon.get("/projects/new-kg").status_code == 404
    assert "Curation and history" in ed.get("/projects/new-kg?lang=en").get_data(as_text=True)
    assert ed.post("/projects/new-kg/edit", data={"id": "new-kg", "title": "Renamed", "industries": "education"}
                   ).status_code == 302
    ed.post("/projects/new-kg/workflow/submit")
    cur.post("/projects/new-kg/workflow/return", data={"comment": "Add the indicators"})
    ed.post("/projects/new-kg/workflow/submit")
    cur.post("/projects/new-kg/workflow/approve")
    html = anon.get("/projects/new-kg?lang=en").get_data(as_text=True)
    # the public sees the record and when it was approved, not the review (issue 14)
    assert "Renamed" in html and "Approved" in html
    assert "Add the indicators" not in html and "Returned with comment" not in html
    assert "<script>" not in html and ' style="' not in html
    html = cur.get("/projects/new-kg?lang=en").get_data(as_text=True)
    assert "Add the indicators" in html and "Returned with comment" in html
    workspace = cur.get("/workspace?lang=en")
    assert workspace.status_code == 200
    admin = login(app, "root")
    page = admin.get("/admin/users?lang=en").get_data(as_text=True)
    assert "ed-ta" in page and "cur" in page
    log = admin.get("/admin/audit.jsonl")
    assert log.status_code == 200
    actions = [json.loads(line)["action"] for line in log.get_data(as_text=True).splitlines()]
    assert "project.create" in actions and "project.edit" in actions and "project.approve" in actions
    assert ed.get("/admin/users").status_code == 403


def test_web_replication_through_pages(site):
    services, app = site
    ba, ta = login(app, "ed-ba"), login(app, "ed-ta")
    assert ba.post("/projects/practice/replicate", data={"comment": "please"}).status_code == 302
    with services.db.read() as s:
        rid = replication.requests_for(s, CURATOR)[0]["id"]
    assert "Agree" in ta.get("/workspace?lang=en").get_data(as_text=True)
    assert ba.post(f"/replication/{rid}/agree").status_code == 403
    ta.post(f"/replication/{rid}/agree")
    ba.post(f"/replication/{rid}/start_pilot")
    ba.post(f"/replication/{rid}/put_in_operation")
    with services.db.read() as s:
        assert store.reuse_counts(s) == {"practice": 1}


def test_admin_pages_manage_users_and_tokens(site):
    services, app = site
    admin = login(app, "root")
    assert admin.post("/admin/users", data={"login": "new-ed", "password": PASSWORD, "role": "regional_editor",
                                            "region": "RU-MOS"}).status_code == 302
    admin.post("/admin/users/new-ed/role", data={"role": "federal_curator", "region": ""})
    admin.post("/admin/users/new-ed/tokens", data={"name": "ci"})
    page = admin.get("/admin/users?lang=en").get_data(as_text=True)
    assert "pbt_" in page  # shown once ...
    assert "pbt_" not in admin.get("/admin/users?lang=en").get_data(as_text=True).split("API tokens")[0]  # ... then gone
    with services.db.read() as s:
        user = accounts.get_user(s, "new-ed")
        assert user.role == "federal_curator"
        assert len(accounts.list_tokens(s, "new-ed")) == 1


# ---------------------------------------------------------------------- refusals in two languages
def test_refusals_are_translated_on_pages_and_stay_english_in_the_api_and_cli(site, tmp_path, monkeypatch):
    """catalog/ raises a refusal as an English template with parameters; a Russian page shows it
    in Russian, with states, actions and roles by their Russian labels; the API and CLI keep English."""
    from html import unescape

    from practicebank.cli import main

    services, app = site
    ed, admin = login(app, "ed-ta"), login(app, "root")

    def text(response) -> str:
        return unescape(response.get_data(as_text=True))

    # The id is taken: the form says so in the page's language.
    taken = {"id": "practice", "title": "Another one", "industries": "education"}
    response = ed.post("/projects/new?lang=ru", data=taken)
    assert response.status_code == 400
    assert "Запись с идентификатором 'practice' уже существует" in text(response)
    assert "a record with id 'practice' already exists" in text(ed.post("/projects/new?lang=en", data=taken))

    # Submitting twice: the action and the state are shown by their Russian labels.
    assert ed.post("/projects/new?lang=ru", data={"id": "kg", "title": "Kindergartens",
                                                  "industries": "education"}).status_code == 302
    ed.post("/projects/kg/workflow/submit")
    page = text(ed.post("/projects/kg/workflow/submit", follow_redirects=True))
    assert "Действие «Отправить на рассмотрение» недоступно для записи в состоянии «На рассмотрении»" in page
    assert "cannot submit" not in page

    # The administrator's pages too.
    page = text(admin.post("/admin/users?lang=ru", data={"login": "no-region", "password": PASSWORD,
                                                         "role": "regional_editor"}, follow_redirects=True))
    assert "Для регионального редактора нужно указать регион (код ISO, например RU-TA)" in page

    # The JSON API answers in stable English, whatever the client's language.
    with services.db.write() as s:
        token, _row = accounts.create_token(s, "ed-ta", "ci")
    response = app.test_client().post("/api/v1/projects?lang=ru", json={**taken, "industries": ["education"]},
                                      headers={"Authorization": f"Bearer {token}", "Accept-Language": "ru"})
    assert response.status_code == 409
    assert response.get_json()["error"] == "a record with id 'practice' already exists"

    # And so does the command line, which has no request and no language.
    monkeypatch.setenv("PRACTICEBANK_HOME", str(tmp_path / "cli"))
    monkeypatch.setenv("PRACTICEBANK_PASSWORD", PASSWORD)
    result = CliRunner().invoke(main, ["users", "add", "bad", "--role", "regional_editor"])
    assert result.exit_code == 1
    assert "a regional editor needs a region (ISO code such as RU-TA)" in result.output
