"""The audit in SQLite: a file of its own beside the events
(``waymark.audit.db``), or in memory beside the in-memory store."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime

from eventsourcing.sqlite import SQLiteCursor, SQLiteDatastore

from projections.audit.store import AuditStore

_GUARDS = (
    "CREATE TRIGGER IF NOT EXISTS {prefix}_{table}_no_{verb} BEFORE {verb} ON "
    "{prefix}_{table} BEGIN SELECT RAISE(ABORT, 'audit records are append-only: "
    "they cannot be altered or removed'); END"
)


class SQLiteAuditStore(AuditStore):
    prefix = "audit"

    def __init__(
        self,
        datastore: SQLiteDatastore,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(clock)
        self.datastore = datastore
        with self.transaction(commit=True) as cursor:
            for statement in self.create_statements():
                cursor.execute(statement)

    def tables(self) -> Mapping[str, str]:
        return {
            "records": f"{self.prefix}_records",
            "cases": f"{self.prefix}_cases",
            "prefix": self.prefix,
            "serial": "INTEGER",
        }

    def create_statements(self) -> list[str]:
        return [
            *super().create_statements(),
            *(
                _GUARDS.format(prefix=self.prefix, table=table, verb=verb)
                for table in ("records", "cases")
                for verb in ("UPDATE", "DELETE")
            ),
        ]

    @contextmanager
    def transaction(self, *, commit: bool) -> Iterator[SQLiteCursor]:
        with self.datastore.transaction(commit=commit) as cursor:
            yield cursor

    def statement(self, text: str) -> str:
        return self._named(text)

    def close(self) -> None:
        self.datastore.close()
