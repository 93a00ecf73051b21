"""``waymark rebuild evaluation`` as a newcomer would run it: on the demo's SQLite
file, and on a PostgreSQL schema of its own."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from api.bootstrap import ProjectionSettings, build_journeys, build_views
from api.settings import Settings
from tests.conftest import POSTGRES_URL
from tests.integration.test_caseload_cli import SECRET, cli, workdir

__all__ = ["workdir"]


@pytest.fixture
def postgres_schema() -> Iterator[str]:
    schema = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield schema
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


def rebuilt_twice(env: dict[str, str], workdir: Path) -> None:
    assert cli(env, "demo")[0] == 0
    for _ in range(2):  # the second rebuild replaces the first's tables
        code, output = cli(env, "rebuild", "evaluation")
        assert code == 0, output
        assert "switched over" in output
    settings = Settings.from_environ(env, workdir=workdir)
    journeys = build_journeys(settings)
    views = build_views(settings, journeys, ProjectionSettings(in_process=False))
    try:
        assert views.evaluation.position() == journeys.log_position()
    finally:
        views.close()
        journeys.close()


def test_rebuild_evaluation_on_sqlite_switches_over_and_tidies_up(
    workdir: Path,
) -> None:
    rebuilt_twice({"WAYMARK_TOKEN_SECRET": SECRET}, workdir)
    assert (workdir / "waymark.evaluation.db").exists()
    assert not (workdir / "waymark.evaluation_next.db").exists()


def test_rebuild_evaluation_on_postgres(workdir: Path, postgres_schema: str) -> None:
    env = {
        "WAYMARK_TOKEN_SECRET": SECRET,
        "WAYMARK_DATABASE_URL": f"{POSTGRES_URL}?schema={postgres_schema}",
    }
    rebuilt_twice(env, workdir)
    with psycopg.connect(POSTGRES_URL) as connection:
        tables = {
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = %s",
                (postgres_schema,),
            )
        }
    assert {"evaluation_cases", "evaluation_facts", "evaluation_tracking"} <= tables
    assert not any(name.startswith("evaluation_next") for name in tables)


def test_rebuild_refuses_the_in_memory_store(workdir: Path) -> None:
    code, output = cli(
        {"WAYMARK_TOKEN_SECRET": SECRET, "WAYMARK_DATABASE_URL": "memory://"},
        "rebuild",
        "evaluation",
    )
    assert code == 2 and "in-memory" in output
