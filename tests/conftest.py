"""Shared fixtures: the embedding model once per session, and throwaway PostgreSQL databases."""
from __future__ import annotations

import os
import uuid

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

POSTGRES_ADMIN_URL = os.environ.get("PRACTICEBANK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def encoder():
    from practicebank.matcher.encoder import shared_encoder

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


def pytest_configure(config):
    """`PRACTICEBANK_TEST_BACKEND=postgres` runs the suite's catalogs on PostgreSQL.

    Every test home that would get its embedded SQLite file gets a fresh PostgreSQL database
    instead (created on first use, dropped at the end), so the same tests prove both backends.
    Tests that name an SQLite URL themselves stay on SQLite.
    """
    if os.environ.get("PRACTICEBANK_TEST_BACKEND") != "postgres":
        return
    import sqlalchemy

    from practicebank.catalog import db as catalog_db

    admin = sqlalchemy.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    databases: dict[str, str] = {}
    plain = catalog_db.database_url

    def per_home_database(home=None, url=None):
        chosen = plain(home, url)
        if not chosen.startswith("sqlite"):
            return chosen
        if chosen not in databases:
            name = f"pb_suite_{uuid.uuid4().hex[:12]}"
            with admin.connect() as connection:
                connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
            databases[chosen] = admin.url.set(database=name).render_as_string(hide_password=False)
        return databases[chosen]

    catalog_db.database_url = per_home_database
    config._practicebank_pg = (admin, databases)


def pytest_unconfigure(config):
    admin, databases = getattr(config, "_practicebank_pg", (None, {}))
    if admin is None:
        return
    with admin.connect() as connection:
        for url in databases.values():
            name = sqlalchemy_url_database(url)
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def sqlalchemy_url_database(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).database
