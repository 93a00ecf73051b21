"""A view's tables are created once, not on every start (PostgreSQL).

``CREATE INDEX IF NOT EXISTS`` takes a SHARE lock on its table even when the
index exists, so an API worker starting beside a projection worker that was
writing a page could deadlock with it. Now a start that finds every table and
index in the catalog runs no DDL: these tests hold locks on every view table
that any DDL (or any write) would wait for, and open the views again.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
from psycopg import sql

from projections.audit.store import audit_store
from projections.caseload import caseload_view
from projections.evaluation import evaluation_view
from storage.settings import persistence_env
from tests.conftest import POSTGRES_URL

pytestmark = pytest.mark.postgres

#: A start that runs no DDL takes well under this, even on a busy machine.
PATIENCE = 20.0

VIEWS: dict[str, Callable[[dict[str, str]], Any]] = {
    "caseload": caseload_view,
    "evaluation": evaluation_view,
}


@pytest.fixture
def schema() -> Iterator[str]:
    name = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
    try:
        yield name
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(name))
            )


def _env(schema: str) -> dict[str, str]:
    return persistence_env(
        {"WAYMARK_DATABASE_URL": f"{POSTGRES_URL}?schema={schema}"},
        default_sqlite_path="",
    )


def _open_and_close(name: str, schema: str) -> None:
    VIEWS[name](_env(schema)).close()


def _tables(schema: str, prefix: str) -> list[str]:
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        rows = connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s "
            "AND tablename LIKE %s ORDER BY tablename",
            (schema, f"{prefix}\\_%"),
        ).fetchall()
    return [str(name) for (name,) in rows]


def _in_thread(
    work: Callable[[], None],
) -> tuple[threading.Thread, list[BaseException]]:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as error:  # reported by the test
            errors.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, errors


def _starts_while_locked(
    schema: str, tables: list[str], start: Callable[[], None]
) -> None:
    """``start`` runs to its end while another transaction holds ``tables``
    in EXCLUSIVE mode, which admits only reads: every write, every CREATE
    INDEX (SHARE) and every other DDL on them waits for that transaction."""
    holder = psycopg.connect(POSTGRES_URL)
    try:
        holder.execute(
            sql.SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(
                sql.SQL(", ").join(
                    sql.SQL("{}.{}").format(sql.Identifier(schema), sql.Identifier(t))
                    for t in tables
                )
            )
        )
        thread, errors = _in_thread(start)
        thread.join(PATIENCE)
        blocked = thread.is_alive()
    finally:
        holder.rollback()  # lets a blocked start finish before the schema goes
        holder.close()
    thread.join(PATIENCE)
    assert not blocked, "the second start waited for the locked tables (it ran DDL)"
    assert not errors, errors


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_a_second_start_runs_no_ddl_while_every_view_table_is_locked(
    name: str, schema: str
) -> None:
    _open_and_close(name, schema)  # a fresh schema: the tables are created
    tables = _tables(schema, name)
    assert f"{name}_tracking" in tables and len(tables) > 2
    _starts_while_locked(schema, tables, lambda: _open_and_close(name, schema))
    assert _tables(schema, name) == tables


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_processes_starting_together_on_a_fresh_schema_all_start(
    name: str, schema: str
) -> None:
    barrier = threading.Barrier(4)

    def start() -> None:
        barrier.wait(PATIENCE)
        _open_and_close(name, schema)

    started = [_in_thread(start) for _ in range(4)]
    for thread, _ in started:
        thread.join(PATIENCE * 2)
    assert not any(thread.is_alive() for thread, _ in started)
    assert [error for _, errors in started for error in errors] == []
    # The view works: its tracking holds the layout record once.
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        rows = connection.execute(
            sql.SQL("SELECT application_name, notification_id FROM {}.{}").format(
                sql.Identifier(schema), sql.Identifier(f"{name}_tracking")
            )
        ).fetchall()
    assert rows == [("__migration__", 1)]


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_every_statement_a_view_runs_at_start_names_what_it_creates(
    name: str, schema: str
) -> None:
    """So a start can tell from the catalog that there is nothing to create;
    a statement of another kind (which would make every start run the DDL
    again) fails this test."""
    from projections.tracking.compare_and_set import created_relations

    view = VIEWS[name](_env(schema))
    try:
        names = created_relations(view.sql_create_statements, schema)
    finally:
        view.close()
    assert names is not None
    assert f'"{schema}"."{name}_tracking"' in names
    assert f'"{schema}".{name}_cases' in names or f'"{schema}"."{name}_cases"' in names


def test_the_audit_runs_no_ddl_at_a_second_start(schema: str) -> None:
    """Not a view, but created beside them at every start: its append-only
    triggers' CREATE OR REPLACE locked the tables other workers append to."""
    audit_store(_env(schema)).close()
    tables = _tables(schema, "audit")
    assert tables == ["audit_cases", "audit_records"]
    _starts_while_locked(schema, tables, lambda: audit_store(_env(schema)).close())
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        triggers = connection.execute(
            "SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s "
            "AND NOT t.tgisinternal ORDER BY tgname",
            (schema,),
        ).fetchall()
    assert [name for (name,) in triggers] == [
        "audit_cases_append_only",
        "audit_records_append_only",
    ]


def test_audit_stores_starting_together_on_a_fresh_schema_all_start(
    schema: str,
) -> None:
    barrier = threading.Barrier(4)

    def start() -> None:
        barrier.wait(PATIENCE)
        audit_store(_env(schema)).close()

    started = [_in_thread(start) for _ in range(4)]
    for thread, _ in started:
        thread.join(PATIENCE * 2)
    assert all(not errors for _, errors in started), [e for _, e in started]
    assert _tables(schema, "audit") == ["audit_cases", "audit_records"]
