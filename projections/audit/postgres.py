"""The audit in PostgreSQL: ``audit_records`` and ``audit_cases`` beside the
events in their schema, guarded by a trigger refusing UPDATE, DELETE and
TRUNCATE."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from eventsourcing.postgres import PostgresDatastore
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Composed, Identifier

from projections.audit.store import (
    INSERT_RECORD,
    AuditRecord,
    AuditStore,
    record_values,
)
from projections.tracking.compare_and_set import advisory_lock_key, created_relations

_APPEND = (
    "WITH r AS (" + INSERT_RECORD + "), c AS (INSERT INTO {cases} (case_id, record_id) "
    "SELECT unnest(?::text[]), r.id FROM r) SELECT id FROM r"
)


class PostgresAuditStore(AuditStore):
    prefix = "audit"

    def __init__(
        self,
        datastore: PostgresDatastore,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(clock)
        self.datastore = datastore
        self._statements: dict[str, Composed] = {}
        schema = Identifier(datastore.schema)
        refuse = Identifier(f"{self.prefix}_append_only")
        with self.transaction(commit=True) as cursor:
            # As the views do (projections.tracking.compare_and_set): no DDL
            # when it is all there, since CREATE OR REPLACE TRIGGER locks the
            # table against the audit records other workers are writing. So a
            # release that changes the trigger function's body must replace it
            # itself: a start that finds the triggers will not.
            if self._created(cursor):
                return
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", (self._ddl_key(),))
            if self._created(cursor):
                return
            for statement in self.create_statements():
                cursor.execute(SQL(statement).format())
            cursor.execute(
                SQL(
                    "CREATE OR REPLACE FUNCTION {}.{}() RETURNS trigger "
                    "LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION "
                    "'audit records are append-only: they cannot be altered or "
                    "removed'; END $$"
                ).format(schema, refuse)
            )
            for table in ("records", "cases"):
                cursor.execute(
                    SQL(
                        "CREATE OR REPLACE TRIGGER {} BEFORE UPDATE OR DELETE OR "
                        "TRUNCATE ON {}.{} FOR EACH STATEMENT EXECUTE FUNCTION {}.{}()"
                    ).format(
                        Identifier(f"{self.prefix}_{table}_append_only"),
                        schema,
                        Identifier(f"{self.prefix}_{table}"),
                        schema,
                        refuse,
                    )
                )

    def _trigger_names(self) -> list[str]:
        return [f"{self.prefix}_{table}_append_only" for table in ("records", "cases")]

    def _created(self, cursor: Cursor[DictRow]) -> bool:
        """Whether every table and index its statements create, and both
        append-only triggers, exist."""
        relations = created_relations(
            (SQL(statement).format() for statement in self.create_statements()),
            self.datastore.schema,
        )
        if relations is None:  # a statement of another kind: run them all
            return False
        tables = self.tables()
        row = cursor.execute(
            "SELECT bool_and(to_regclass(name) IS NOT NULL) "
            "FROM unnest(%(relations)s::text[]) AS name",
            {"relations": relations},
        ).fetchone()
        if not (row and next(iter(row.values()))):
            return False
        row = cursor.execute(
            "SELECT count(*) AS triggers FROM pg_trigger WHERE tgname = ANY(%(names)s) "
            "AND tgrelid IN (to_regclass(%(records)s), to_regclass(%(cases)s))",
            {
                "names": self._trigger_names(),
                "records": tables["records"],
                "cases": tables["cases"],
            },
        ).fetchone()
        return bool(row and row["triggers"] == len(self._trigger_names()))

    def _ddl_key(self) -> int:
        """The advisory lock held while the audit's DDL runs, one per schema."""
        return advisory_lock_key(
            f"waymark-audit-ddl:{self.datastore.schema}.{self.prefix}"
        )

    def _append(self, record: AuditRecord) -> int:
        # The record and its cases in one statement: one round trip, not one
        # per case.
        with self.transaction(commit=True) as cursor:
            cursor.execute(
                self.statement(_APPEND),
                (*record_values(record), [str(case_id) for case_id in record.case_ids]),
            )
            row = cursor.fetchone()
            assert row is not None
            return int(row["id"])

    def tables(self) -> Mapping[str, str]:
        def qualified(name: str) -> str:
            return (
                SQL("{}.{}")
                .format(
                    Identifier(self.datastore.schema),
                    Identifier(f"{self.prefix}_{name}"),
                )
                .as_string(None)
            )

        return {
            "records": qualified("records"),
            "cases": qualified("cases"),
            "prefix": self.prefix,
            "serial": "BIGSERIAL",
        }

    @contextmanager
    def transaction(self, *, commit: bool) -> Iterator[Cursor[DictRow]]:
        with self.datastore.transaction(commit=commit) as cursor:
            yield cursor

    def statement(self, text: str) -> Any:
        prepared = self._statements.get(text)
        if prepared is None:
            sql = self._named(text).replace("%", "%%").replace("?", "%s")
            prepared = self._statements[text] = SQL(sql).format()
        return prepared

    def close(self) -> None:
        self.datastore.close()
