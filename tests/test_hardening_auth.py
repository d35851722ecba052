"""Issue 14, auth/sessions/operations: redirects, lockout per address, private history, sessions
that end, id probing, bearer reads, caching and transport headers, trusted proxies, the last
administrator, the server's name. (Backups: tests/test_backup.py.)"""
from __future__ import annotations

import threading
import urllib.request
from datetime import timedelta

import pytest

from practicebank.catalog import accounts, workflow
from practicebank.catalog.models import utcnow
from tests.helpers import PASSWORD, guarded_catalog, web_app, web_record

NEW_PASSWORD = "another horse battery"
COMMENT = "internal review note: budget figures look inflated"

rec = web_record
make = web_app


@pytest.fixture
def services(tmp_path):
    return guarded_catalog(tmp_path, ("root", "admin"))


def login(client, who: str = "ed", password: str = PASSWORD, **kw):
    return client.post("/login", data={"login": who, "password": password}, **kw)


# ------------------------------------------------------------------------ 4. open redirect
@pytest.mark.parametrize("raw_next", [
    "/%09/evil.example",          # a tab browsers drop: //evil.example
    "/%0a/evil.example", "/%0d/evil.example",
    "/%5Cevil.example",           # a backslash browsers read as a slash
    "/%5C%5Cevil.example", "%2F%2Fevil.example", "//evil.example", "///evil.example",
    "https://evil.example/", "javascript:alert(1)", "%20//evil.example", "/%E2%80%8B/evil.example",
    "/%00/evil.example", "evil.example",
])
def test_login_never_redirects_off_site(services, raw_next):
    response = login(make(services).test_client(), query_string=f"next={raw_next}")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_crlf_in_next_falls_back_home_after_login(services):
    client = make(services).test_client()
    response = login(client, query_string="next=/workspace%0d%0aSet-Cookie:%20pwned=1")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "pwned" not in response.headers.get("Set-Cookie", "")


@pytest.mark.parametrize("good", ["/workspace", "/search?q=kindergarten&industry=education",
                                  "/projects/public-one#workflow"])
def test_login_keeps_a_local_next(services, good):
    from urllib.parse import quote

    response = login(make(services).test_client(), query_string=f"next={quote(good, safe='')}")
    assert response.headers["Location"] == good


# ------------------------------------------------------------------- 5. lockout, history
def test_a_stranger_cannot_lock_the_owner_out(services):
    app = make(services)
    stranger, owner = app.test_client(), app.test_client()
    far = {"REMOTE_ADDR": "203.0.113.66"}
    for _ in range(accounts.MAX_FAILURES):
        assert login(stranger, password="wrong password", environ_base=far).status_code == 401
    # locked for the stranger's address, even with the right password ...
    assert login(stranger, environ_base=far).status_code == 401
    # ... but the owner, from their own address, signs in
    assert login(owner, environ_base={"REMOTE_ADDR": "198.51.100.7"}).status_code == 302
    assert owner.get("/workspace", environ_base={"REMOTE_ADDR": "198.51.100.7"}).status_code == 200


def test_lock_per_address_lasts_fifteen_minutes_and_success_clears_it(services):
    now = utcnow()
    with services.db.write() as s:
        for _ in range(accounts.MAX_FAILURES):
            accounts.authenticate(s, "ed", "nope", now, address="203.0.113.66")
    with services.db.write() as s:
        assert accounts.authenticate(s, "ed", PASSWORD, now + timedelta(minutes=14),
                                     address="203.0.113.66").reason == "locked"
        assert accounts.authenticate(s, "ed", PASSWORD, now + timedelta(minutes=14), address="10.1.1.1").ok
    with services.db.write() as s:
        assert accounts.authenticate(s, "ed", PASSWORD, now + timedelta(minutes=16), address="203.0.113.66").ok
    with services.db.write() as s:  # the count starts again from zero after a success
        for _ in range(accounts.MAX_FAILURES - 1):
            assert accounts.authenticate(s, "ed", "nope", now + timedelta(minutes=17),
                                         address="203.0.113.66").reason == "bad_password"


@pytest.fixture
def reviewed(services):
    """A record that went draft -> submitted -> returned (with a comment) -> submitted -> approved."""
    ed = accounts.Principal(None, "ed", "regional_editor", "RU-TA")
    cur = accounts.Principal(None, "cur", "federal_curator")
    with services.db.write() as s:
        workflow.save_draft(s, ed, rec("reviewed"), create=True)
        workflow.transition(s, ed, "reviewed", "submit")
        workflow.transition(s, cur, "reviewed", "return", COMMENT)
        workflow.transition(s, ed, "reviewed", "submit")
        workflow.transition(s, cur, "reviewed", "approve", "fine now")
    return services


def test_public_history_shows_no_logins_and_no_review_comments(reviewed):
    app = make(reviewed)
    anonymous, other_region = app.test_client(), app.test_client()
    login(other_region, "ed-ba")
    for client in (anonymous, other_region):
        body = client.get("/api/v1/projects/reviewed/history")
        assert body.status_code == 200
        text = body.get_data(as_text=True)
        assert COMMENT not in text and "fine now" not in text and '"cur"' not in text and '"ed"' not in text
        history = body.get_json()["history"]
        assert [e["to"] for e in history] == ["approved"]
        assert all(set(e) == {"action", "from", "to", "at"} for e in history)
        page = client.get("/projects/reviewed").get_data(as_text=True)
        assert COMMENT not in page and "fine now" not in page


@pytest.mark.parametrize("who", ["ed", "cur", "root"])
def test_those_who_work_on_a_record_see_its_whole_history(reviewed, who):
    client = make(reviewed).test_client()
    login(client, who)
    history = client.get("/api/v1/projects/reviewed/history").get_json()["history"]
    assert [e["action"] for e in history] == ["create", "submit", "return", "submit", "approve"]
    assert history[2]["comment"] == COMMENT and history[2]["actor"] == "cur"
    assert COMMENT in client.get("/projects/reviewed").get_data(as_text=True)


# ------------------------------------------------------------------- 7. sessions that end
def _cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def _with_cookie(app, value: str):
    client = app.test_client()
    client.set_cookie("session", value)
    return client


def test_a_cookie_saved_before_logout_does_not_work_after_it(services):
    app = make(services)
    client = app.test_client()
    assert login(client).status_code == 302
    saved = _cookie(client)
    assert _with_cookie(app, saved).get("/workspace").status_code == 200  # the copy works while signed in
    client.post("/logout")
    assert _with_cookie(app, saved).get("/workspace").status_code == 302
    assert client.get("/workspace").status_code == 302
    assert login(client).status_code == 302 and client.get("/workspace").status_code == 200  # sign in again


def test_a_password_change_ends_other_sessions(services):
    app = make(services)
    laptop = app.test_client()
    login(laptop)
    assert laptop.get("/workspace").status_code == 200
    with services.db.write() as s:
        accounts.set_password(s, "ed", NEW_PASSWORD)
    assert laptop.get("/workspace").status_code == 302
    assert login(app.test_client(), password=PASSWORD).status_code == 401
    fresh = app.test_client()
    assert login(fresh, password=NEW_PASSWORD).status_code == 302 and fresh.get("/workspace").status_code == 200


def test_disabling_a_user_ends_their_session_even_after_enabling_again(services):
    app = make(services)
    client = app.test_client()
    login(client)
    saved = _cookie(client)
    with services.db.write() as s:
        accounts.set_active(s, "ed", False)
    assert client.get("/workspace").status_code == 302
    with services.db.write() as s:
        accounts.set_active(s, "ed", True)
    assert _with_cookie(app, saved).get("/workspace").status_code == 302


def test_admin_disabling_a_user_on_the_web_ends_their_session(services):
    app = make(services)
    victim, admin = app.test_client(), app.test_client()
    login(victim)
    login(admin, "root")
    assert admin.post("/admin/users/ed/active", data={}).status_code == 302  # unchecked box: disable
    assert victim.get("/workspace").status_code == 302


def test_a_session_without_a_version_or_with_a_forged_one_is_refused(services):
    app = make(services)
    client = app.test_client()
    login(client)
    with client.session_transaction() as sess:
        sess.pop("_pb_sv")
    assert client.get("/workspace").status_code == 302
    login(client)
    with client.session_transaction() as sess:
        sess["_pb_sv"] = True  # a bool is not the version
    assert client.get("/workspace").status_code == 302


# ------------------------------------------------------------------------------ Low items
def _token(services, who: str) -> dict:
    with services.db.write() as s:
        raw, _ = accounts.create_token(s, who)
    return {"Authorization": f"Bearer {raw}"}


def test_create_does_not_tell_a_hidden_id_from_a_free_one(services):
    client = make(services).test_client()
    ba = _token(services, "ed-ba")
    # another region's hidden draft and a free id look the same: 403, not 409 "taken"
    hidden = client.post("/api/v1/projects", json=rec("hidden-draft", "RU-TA"), headers=ba)
    free = client.post("/api/v1/projects", json=rec("never-used", "RU-TA"), headers=ba)
    assert hidden.status_code == free.status_code == 403
    assert hidden.get_json()["error"] == free.get_json()["error"]
    # in one's own region a taken id is refused with one message, whether one can see it or not
    hidden_own = client.post("/api/v1/projects", json=rec("hidden-draft", "RU-BA"), headers=ba)
    visible_own = client.post("/api/v1/projects", json=rec("public-one", "RU-BA"), headers=ba)
    assert hidden_own.status_code == visible_own.status_code == 409
    assert hidden_own.get_json()["error"].replace("hidden-draft", "X") == \
        visible_own.get_json()["error"].replace("public-one", "X")


def test_the_read_api_honours_a_bearer_token(services):
    client = make(services).test_client()
    ed = _token(services, "ed")
    assert client.get("/api/v1/projects/hidden-draft").status_code == 404
    mine = client.get("/api/v1/projects/hidden-draft", headers=ed)
    assert mine.status_code == 200 and mine.get_json()["id"] == "hidden-draft"
    assert mine.headers["Cache-Control"] == "no-store"
    assert client.get("/api/v1/projects/hidden-draft/history", headers=ed).status_code == 200
    assert client.get("/api/v1/projects/hidden-draft", headers=_token(services, "ed-ba")).status_code == 404
    bad = client.get("/api/v1/projects/public-one", headers={"Authorization": "Bearer pbt_forged"})
    assert bad.status_code == 401 and bad.get_json()["ok"] is False


def test_engine_reads_of_ones_own_draft_say_it_is_not_published(services):
    client = make(services).test_client()
    ed = _token(services, "ed")
    similar = client.get("/api/v1/projects/hidden-draft/similar", headers=ed)
    assert similar.status_code == 404 and "not published" in similar.get_json()["error"]
    compared = client.get("/api/v1/compare?ids=hidden-draft,public-one", headers=ed)
    assert compared.status_code == 404 and compared.get_json()["errors"] == ["hidden-draft"]
    assert "not published" not in client.get("/api/v1/projects/hidden-draft/similar").get_json()["error"]


def test_private_pages_are_never_stored(services):
    client = make(services).test_client()
    assert client.get("/login").headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/api/v1/stats").headers.get("Cache-Control", "")
    login(client, "root")
    for url in ("/admin/users", "/admin/audit", "/workspace", "/"):
        assert client.get(url).headers["Cache-Control"] == "no-store", url
    # the page that shows a new token once
    client.post("/admin/users/ed/tokens", data={"name": "ci"})
    page = client.get("/admin/users")
    assert "pbt_" in page.get_data(as_text=True) and page.headers["Cache-Control"] == "no-store"


def test_hsts_only_over_https(services):
    client = make(services).test_client()
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", base_url="https://bank.example")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_behind_a_trusted_proxy_limits_and_lockouts_see_the_client(services):
    app = make(services, RATELIMIT_ENABLED=True, PRACTICEBANK_TRUSTED_PROXIES=1)
    client = app.test_client()
    proxy = {"REMOTE_ADDR": "10.0.0.2"}  # every request arrives from the balancer

    def post(ip: str):
        return client.post("/api/v1/check-plan", json=[rec("x")], environ_base=proxy,
                           headers={"X-Forwarded-For": ip})
    assert [post("198.51.100.1").status_code for _ in range(11)][-1] == 429
    assert post("198.51.100.2").status_code != 429  # another client behind the same balancer
    # https at the balancer counts as https here
    assert "Strict-Transport-Security" in client.get("/", environ_base=proxy,
                                                     headers={"X-Forwarded-Proto": "https"}).headers
    for _ in range(accounts.MAX_FAILURES):
        login(client, password="wrong password", environ_base=proxy, headers={"X-Forwarded-For": "198.51.100.66"})
    # the lockout is per client too
    assert login(client, environ_base=proxy, headers={"X-Forwarded-For": "198.51.100.66"}).status_code == 401
    assert login(client, environ_base=proxy, headers={"X-Forwarded-For": "198.51.100.7"}).status_code == 302


def test_without_the_setting_forwarded_headers_are_ignored(services):
    app = make(services, RATELIMIT_ENABLED=True)
    client = app.test_client()
    statuses = [client.post("/api/v1/check-plan", json=[rec("x")],
                            headers={"X-Forwarded-For": f"198.51.100.{i}"}).status_code for i in range(11)]
    assert statuses[-1] == 429  # a forged header does not buy a fresh limit
    assert "Strict-Transport-Security" not in client.get("/", headers={"X-Forwarded-Proto": "https"}).headers


def test_trusted_proxies_setting_must_be_a_small_number(services):
    with pytest.raises(ValueError, match="PRACTICEBANK_TRUSTED_PROXIES"):
        make(services, PRACTICEBANK_TRUSTED_PROXIES="yes")


def test_the_last_administrator_cannot_be_removed(services):
    with pytest.raises(accounts.AccountError, match="last active administrator"), services.db.write() as s:
        accounts.set_active(s, "root", False)
    with pytest.raises(accounts.AccountError, match="last active administrator"), services.db.write() as s:
        accounts.set_role(s, "root", "federal_curator")
    with services.db.read() as s:
        root = accounts.get_user(s, "root")
        assert root.active and root.role == "admin"
    with services.db.write() as s:  # with a second administrator, either may go
        accounts.create_user(s, "root2", PASSWORD, "admin")
    with services.db.write() as s:
        accounts.set_role(s, "root", "federal_curator")
    with pytest.raises(accounts.AccountError), services.db.write() as s:
        accounts.set_active(s, "root2", False)


def test_the_last_administrator_guard_on_the_admin_page_speaks_russian(services):
    client = make(services).test_client()
    login(client, "root")
    response = client.post("/admin/users/root/role?lang=ru", data={"role": "federal_curator"},
                           follow_redirects=True, headers={"Accept-Language": "ru"})
    assert "последний действующий администратор" in response.get_data(as_text=True)
    with services.db.read() as s:
        assert accounts.get_user(s, "root").role == "admin"


def test_waitress_does_not_name_itself(services):
    import waitress

    from practicebank.cli.serve import waitress_options

    from waitress import wasyncore

    app = make(services)
    server = waitress.create_server(app, host="127.0.0.1", port=0, **waitress_options(app, threads=1))
    port = server.socket.getsockname()[1]
    answers: list = []

    def fetch() -> None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/stats", timeout=30) as response:
                answers.append((response.status, response.headers.get("Server")))
        except Exception as error:  # noqa: BLE001 - reported below
            answers.append(error)

    client = threading.Thread(target=fetch, daemon=True)
    client.start()
    try:  # the server's loop runs here, the client in its thread: nothing to tear down mid-select
        while client.is_alive():
            wasyncore.loop(timeout=0.05, map=server._map, count=1)
    finally:
        server.close()
        server.task_dispatcher.shutdown()
    assert answers == [(200, None)]


def test_migration_adds_session_version_and_login_throttle(tmp_path):
    from sqlalchemy import inspect

    from practicebank.catalog.db import Database

    database = Database.from_env(tmp_path)
    database.upgrade()
    inspector = inspect(database.write_engine)
    assert "session_version" in {c["name"] for c in inspector.get_columns("users")}
    assert {"user_id", "address", "failures", "locked_until"} <= \
        {c["name"] for c in inspector.get_columns("login_throttle")}
    database.dispose()


def test_migration_0004_keeps_existing_users_signing_in(tmp_path):
    from sqlalchemy import text

    from practicebank.catalog.db import Database
    from practicebank.catalog.migrate import upgrade

    database = Database.from_env(tmp_path)
    upgrade(database.write_engine, "0003")
    with database.write_engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO users (login, password_hash, role, active, failed_logins, created_at) "
            "VALUES ('old', :h, 'federal_curator', 1, 0, '2026-01-01 00:00:00')"),
            {"h": accounts.generate_password_hash(PASSWORD, method=accounts.PASSWORD_METHOD)})
    database.upgrade()
    with database.write() as s:
        assert accounts.get_user(s, "old").session_version == 0
        assert accounts.authenticate(s, "old", PASSWORD, address="10.0.0.1").ok
    database.dispose()
