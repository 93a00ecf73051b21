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
