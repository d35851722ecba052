"""ApiToken.last_used_at: written when a token authorises a write, at most once a minute."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from practicebank.catalog import accounts
from practicebank.catalog.models import ApiToken, utcnow
from practicebank.catalog.seeding import init_database
from practicebank.web.app import create_app
from practicebank.web.services import Services


def _last_used(services, token_id):
    with services.db.read() as s:
        return s.scalar(select(ApiToken.last_used_at).where(ApiToken.id == token_id))


def test_a_token_write_records_when_the_token_was_last_used(tmp_path):
    services = Services.from_env(tmp_path)
    init_database(services.db)
    with services.db.write() as s:
        accounts.create_user(s, "ed", "correct horse battery", "regional_editor", "RU-TA")
        raw, token = accounts.create_token(s, "ed", "ci")
        token_id = token.id
    assert _last_used(services, token_id) is None
    client = create_app({"SERVICES": services, "TESTING": True, "SECRET_KEY": "t",
                         "WTF_CSRF_ENABLED": False}).test_client()
    body = {"id": "api-draft", "title": "Via API", "industries": ["education"]}
    assert client.post("/api/v1/projects", json=body, headers={"Authorization": f"Bearer {raw}"}).status_code == 201
    first = _last_used(services, token_id)
    assert first is not None
    with services.db.read() as s:
        listed = accounts.list_tokens(s, "ed")
    assert listed[0]["last_used_at"] is not None
    # within the resolution a second use writes nothing; once it has passed, the time moves on
    with services.db.write() as s:
        assert accounts.principal_for_token(s, raw, touch=True).login == "ed"
    assert _last_used(services, token_id) == first
    with services.db.write() as s:
        s.get(ApiToken, token_id).last_used_at = utcnow() - timedelta(minutes=5)
    with services.db.write() as s:
        accounts.principal_for_token(s, raw, touch=True)
    assert _last_used(services, token_id) >= first
    # a read transaction never writes
    with services.db.write() as s:
        s.get(ApiToken, token_id).last_used_at = None
    with services.db.read() as s:
        assert accounts.principal_for_token(s, raw).login == "ed"
    assert _last_used(services, token_id) is None
