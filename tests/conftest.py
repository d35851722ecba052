"""Shared fixtures: the embedding model once per session, and throwaway PostgreSQL databases."""
from __future__ import annotations

import os
import uuid

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

POSTGRES_ADMIN_URL = os.environ.get("PRACTICEBANK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def encoder():
    from matcher.encoder import shared_encoder

    return shared_encoder()


@pytest.fixture(scope="session")
def _postgres_admin():
    """An engine on the PostgreSQL server, or a skip when none answers."""
    sqlalchemy = pytest.importorskip("sqlalchemy")
    pytest.importorskip("psycopg")
    engine = sqlalchemy.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect():
            pass
    except Exception as error:  # noqa: BLE001 - any connection failure means "no server here"
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no PostgreSQL at {POSTGRES_ADMIN_URL}: {error.__class__.__name__}")
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_url(request):
    """A factory for a fresh, empty PostgreSQL database, dropped after the test."""
    created: list[str] = []

    def make() -> str:
        admin = request.getfixturevalue("_postgres_admin")
        name = f"pb_test_{uuid.uuid4().hex[:12]}"
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        created.append(name)
        return admin.url.set(database=name).render_as_string(hide_password=False)

    yield make
    if created:
        admin = request.getfixturevalue("_postgres_admin")
        with admin.connect() as connection:
            for name in created:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
