"""Security: lockout, session rotation, CSRF, tokens, hidden records, headers, limits, logging."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from practicebank.catalog import accounts
from practicebank.catalog.importer import import_records
from practicebank.catalog.models import utcnow
from tests.helpers import PASSWORD, guarded_catalog, web_app, web_record
from practicebank.web.app import create_app

rec = web_record
make = web_app


@pytest.fixture
def services(tmp_path):
    return guarded_catalog(tmp_path)


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"',
                     html).group(1) or ""


def test_lockout_after_five_failures(services, caplog):
    client = make(services).test_client()
    with caplog.at_level("INFO", logger="practicebank.security"):
        for _ in range(5):
            assert client.post("/login", data={"login": "ed", "password": "wrong password"}).status_code == 401
        # the right password no longer works while locked
        assert client.post("/login", data={"login": "ed", "password": PASSWORD}).status_code == 401
    assert caplog.text.count("failed login") == 6 and "reason=locked" in caplog.text
    with services.db.write() as s:  # the lock is on (account, address): see tests/test_hardening_auth.py
        from practicebank.catalog.models import LoginThrottle
        throttle = s.get(LoginThrottle, (accounts.get_user(s, "ed").id, "127.0.0.1"))
        assert throttle.locked_until is not None
        throttle.locked_until = utcnow() - timedelta(seconds=1)  # fifteen minutes later
    assert client.post("/login", data={"login": "ed", "password": PASSWORD}).status_code == 302
    with services.db.read() as s:
        assert s.get(LoginThrottle, (accounts.get_user(s, "ed").id, "127.0.0.1")) is None


def test_lock_lasts_fifteen_minutes(services):
    now = utcnow()
    with services.db.write() as s:
        for _ in range(5):
            accounts.authenticate(s, "ed", "nope", now)
    with services.db.write() as s:
        assert accounts.authenticate(s, "ed", PASSWORD, now + timedelta(minutes=14)).reason == "locked"
    with services.db.write() as s:
        assert accounts.authenticate(s, "ed", PASSWORD, now + timedelta(minutes=16)).ok


def test_unknown_and_disabled_users_cannot_log_in(services):
    client = make(services).test_client()
    assert client.post("/login", data={"login": "nobody", "password": PASSWORD}).status_code == 401
    with services.db.write() as s:
        accounts.set_active(s, "ed", False)
    assert client.post("/login", data={"login": "ed", "password": PASSWORD}).status_code == 401


def test_session_rotates_on_login_and_ends_on_logout(services, caplog):
    client = make(services).test_client()
    with client.session_transaction() as sess:
        sess["planted"] = "by an attacker"
        sess["lang"] = "ru"
    with caplog.at_level("INFO", logger="practicebank.security"):
        assert client.post("/login", data={"login": "ed", "password": PASSWORD}).status_code == 302
    assert "login: user=ed" in caplog.text
    with client.session_transaction() as sess:
        assert "planted" not in sess and sess.get("lang") == "ru" and sess.get("_user_id")
        assert sess.permanent
    assert client.get("/workspace").status_code == 200
    client.post("/logout")
    assert client.get("/workspace").status_code == 302


def test_session_cookie_flags_and_lifetime(services):
    app = make(services, SESSION_COOKIE_SECURE=True)
    client = app.test_client()
    response = client.post("/login", data={"login": "ed", "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=Lax" in cookie and "Expires=" in cookie
    assert app.permanent_session_lifetime == timedelta(hours=8)
    production = create_app({"SERVICES": services, "SECRET_KEY": "t"})
    assert production.config["SESSION_COOKIE_SECURE"] is True and production.debug is False
    assert production.config["SESSION_COOKIE_HTTPONLY"] is True


def test_csrf_rejects_forms_without_token(services):
    app = create_app({"SERVICES": services, "TESTING": True, "SECRET_KEY": "t"})  # CSRF on
    client = app.test_client()
    assert client.post("/login", data={"login": "ed", "password": PASSWORD}).status_code == 400
    token = csrf_of(client.get("/login").get_data(as_text=True))
    assert client.post("/login", data={"login": "ed", "password": PASSWORD, "csrf_token": token}).status_code == 302
    # logged in, a forged form (no token) cannot submit the record
    import_records(services.db, [rec("my-draft")], curation_state="draft")
    assert client.post("/projects/my-draft/workflow/submit").status_code == 400
    assert client.post("/logout").status_code == 400
    with services.db.read() as s:
        from practicebank.catalog.store import get_project
        assert get_project(s, "my-draft").curation_state == "draft"


def test_hidden_records_are_404_everywhere(services, caplog):
    anon = make(services).test_client()
    other = make(services).test_client()
    other.post("/login", data={"login": "ed-ba", "password": PASSWORD})
    for client in (anon, other):
        assert client.get("/projects/hidden-draft").status_code == 404
        assert client.get("/api/v1/projects/hidden-draft").status_code == 404
        assert client.get("/api/v1/projects/hidden-draft/history").status_code == 404
        ids = [p["id"] for p in client.get("/api/v1/projects").get_json()["results"]]
        assert ids == ["public-one"]
        assert client.get("/projects/public-one").status_code == 200
    with caplog.at_level("WARNING", logger="practicebank.security"):
        assert other.post("/projects/hidden-draft/workflow/submit").status_code == 404
    assert "authorisation refused: user=ed-ba" in caplog.text
    owner = make(services).test_client()
    owner.post("/login", data={"login": "ed", "password": PASSWORD})
    assert owner.get("/projects/hidden-draft").status_code == 200


def test_api_tokens_write_and_revocation(services):
    with services.db.write() as s:
        raw, token = accounts.create_token(s, "ed", "ci")
        token_id = token.id
        cur_raw, _ = accounts.create_token(s, "cur", "ci")
    with services.db.read() as s:
        from sqlalchemy import select
        from practicebank.catalog.models import ApiToken
        stored = s.scalar(select(ApiToken.token_hash).where(ApiToken.id == token_id))
        assert raw not in stored and len(stored) == 64
    client = make(services).test_client()
    body = {"id": "api-draft", "title": "Via API", "industries": ["education"]}
    assert client.post("/api/v1/projects", json=body).status_code == 401
    assert client.post("/api/v1/projects", json=body, headers={"Authorization": "Bearer pbt_forged"}).status_code == 401
    auth = {"Authorization": f"Bearer {raw}"}
    created = client.post("/api/v1/projects", json=body, headers=auth)
    assert created.status_code == 201 and created.get_json()["curation_state"] == "draft"
    assert created.get_json()["region"] == "RU-TA"
    assert client.post("/api/v1/projects/api-draft/transitions", json={"action": "approve"},
                       headers=auth).status_code == 403
    assert client.post("/api/v1/projects/api-draft/transitions", json={"action": "submit"},
                       headers=auth).get_json()["to"] == "submitted"
    cur = {"Authorization": f"Bearer {cur_raw}"}
    assert client.post("/api/v1/projects", json=body, headers=cur).status_code == 403  # curators do not create
    assert client.post("/api/v1/projects/api-draft/transitions", json={"action": "approve"},
                       headers=cur).get_json()["to"] == "approved"
    # a session cookie is no substitute for a token on the write API
    browser = make(services).test_client()
    browser.post("/login", data={"login": "ed", "password": PASSWORD})
    assert browser.post("/api/v1/projects", json={**body, "id": "other"}).status_code == 401
    with services.db.write() as s:
        accounts.revoke_token(s, token_id)
    assert client.put("/api/v1/projects/api-draft", json=body, headers=auth).status_code == 401


def test_disabling_a_user_revokes_their_tokens(services):
    with services.db.write() as s:
        raw, _ = accounts.create_token(s, "ed")
        accounts.set_active(s, "ed", False)
    with services.db.read() as s:
        assert accounts.principal_for_token(s, raw) is None
        assert all(t["revoked"] for t in accounts.list_tokens(s, "ed"))


def test_security_headers(services):
    client = make(services).test_client()
    for url in ("/", "/login", "/api/v1/stats", "/projects/hidden-draft"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp and "script-src 'self'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"


def test_rate_limits_on_public_operations(services, caplog):
    app = make(services, RATELIMIT_ENABLED=True)
    client = app.test_client()
    statuses = [client.post("/api/v1/check-plan", json=[rec("x")]).status_code for _ in range(11)]
    assert statuses[-1] == 429 and 429 not in statuses[:10]
    body = client.post("/api/v1/check-plan", json=[rec("x")]).get_json()
    assert body["ok"] is False and body["status"] == 429  # the API's one error shape
    statuses = [client.post("/api/v1/recommend", json={"text": "kindergarten"}).status_code for _ in range(61)]
    assert statuses[-1] == 429 and 429 not in statuses[:60]
    with caplog.at_level("WARNING", logger="practicebank.security"):
        for _ in range(21):
            last = client.post("/login", data={"login": "nobody", "password": "x" * 12})
    assert last.status_code == 429 and "rate limit hit" in caplog.text
    # another address is not affected
    other = client.post("/api/v1/recommend", json={"text": "x"}, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code != 429


def test_open_redirect_after_login_is_refused(services):
    client = make(services).test_client()
    response = client.post("/login?next=//evil.example/x", data={"login": "ed", "password": PASSWORD})
    assert response.headers["Location"] == "/"
    client = make(services).test_client()
    response = client.post("/login?next=/workspace", data={"login": "ed", "password": PASSWORD})
    assert response.headers["Location"] == "/workspace"


def test_passwords_are_hashed_with_a_maintained_kdf(services):
    with services.db.read() as s:
        user = accounts.get_user(s, "ed")
    assert user.password_hash.startswith("scrypt:") and PASSWORD not in user.password_hash
    with pytest.raises(accounts.AccountError), services.db.write() as s:
        accounts.create_user(s, "short", "short", "federal_curator")


def test_rate_limits_count_once_across_processes_with_a_shared_store(services, monkeypatch):
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url).flushdb()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    monkeypatch.setenv("PRACTICEBANK_RATELIMIT_STORAGE", url)
    first, second = (make(services, RATELIMIT_ENABLED=True).test_client() for _ in range(2))  # two workers
    statuses = [client.post("/api/v1/check-plan", json=[rec("x")]).status_code
                for client in [first, second] * 6]
    assert statuses[:10].count(429) == 0 and statuses[10:] == [429, 429]  # 10/minute for both together
    redis.Redis.from_url(url).flushdb()
