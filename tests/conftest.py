"""The stores every persistence test runs on: in-memory, SQLite and PostgreSQL.

PostgreSQL tests each get a schema of their own, dropped afterwards, in the
database named by WAYMARK_TEST_POSTGRES_URL (default: the local ``test`` database).
If no server answers, they fail rather than skip: a green run means all three ran.
"""

from __future__ import annotations

import base64
import os
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import psycopg
import pytest

from api.bootstrap import build_journeys
from api.settings import Settings
from domain.application import CaseJourneys
from storage.settings import persistence_env

POSTGRES_URL = os.environ.get(
    "WAYMARK_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
STORES = ("memory", "sqlite", "postgres")
#: Tests run on a fixed "today", so dates in them never drift into the future.
TODAY = date(2026, 11, 26)
#: Every case sealed under its own key, as in a deployment (storage.keyring).
TEST_MASTER_KEY = base64.b64encode(b"waymark test master key 32 bytes").decode()


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, str]]:
    """eventsourcing settings for a fresh, empty store of each kind."""
    if request.param == "memory":
        yield persistence_env(
            {"WAYMARK_DATABASE_URL": "memory://"}, default_sqlite_path=""
        )
    elif request.param == "sqlite":
        yield persistence_env({}, default_sqlite_path=str(tmp_path / "waymark.db"))
    else:
        schema = f"test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
            connection.execute(f'CREATE SCHEMA "{schema}"')
        try:
            yield persistence_env(
                {"WAYMARK_DATABASE_URL": f"{POSTGRES_URL}?schema={schema}"},
                default_sqlite_path="",
            )
        finally:
            with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
                connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def settings(store: dict[str, str], tmp_path: Path) -> Settings:
    return Settings(
        persistence=store,
        token_secret="test-secret-" + "x" * 32,
        token_issuer="waymark",
        token_audience="waymark",
        token_public_key=None,
        # The deployment's organisations (WAYMARK_ORGANISATIONS): cases move
        # only between organisations that exist.
        organisations=frozenset({"org-north", "org-south"}),
        master_key=TEST_MASTER_KEY,
    )


@pytest.fixture
def today() -> Callable[[], date]:
    """The application's "today"; a module overrides this fixture to move it."""
    return lambda: TODAY


@pytest.fixture
def journeys(settings: Settings, today: Callable[[], date]) -> Iterator[CaseJourneys]:
    app = build_journeys(settings, today=today)
    try:
        yield app
    finally:
        app.close()


@pytest.fixture
def memory_journeys() -> Iterator[CaseJourneys]:
    """The in-memory store alone, for unit tests of the domain."""
    env = persistence_env({"WAYMARK_DATABASE_URL": "memory://"}, default_sqlite_path="")
    app = CaseJourneys(env=env, today=lambda: TODAY)
    try:
        yield app
    finally:
        app.close()
