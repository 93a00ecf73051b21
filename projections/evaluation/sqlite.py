"""The evaluation view in SQLite, in a file of its own beside the events
(``waymark.evaluation.db``; a rebuild fills ``waymark.evaluation_next.db``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import Tracking
from eventsourcing.sqlite import SQLiteCursor, SQLiteDatastore

from projections.evaluation.changes import Anonymised
from projections.evaluation.view import CHUNK_ROWS, TABLES, EvaluationView, Reading
from projections.tracking.compare_and_set import SQLiteCompareAndSetTracking
from projections.tracking.scrub import truncate_log, zero_what_is_deleted


class SQLiteReading(Reading):
    def __init__(self, cursor: SQLiteCursor) -> None:
        self.cursor = cursor

    def rows(self, statement: Any, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        self.cursor.execute(statement, params)
        return [tuple(row) for row in self.cursor.fetchall()]

    def chunks(
        self, statement: Any, params: Sequence[Any] = ()
    ) -> Iterator[list[tuple[Any, ...]]]:
        # SQLite steps through a result as it is fetched.
        cursor = self.cursor.sqlite_cursor
        cursor.execute(statement, params)
        while chunk := cursor.fetchmany(CHUNK_ROWS):
            yield [tuple(row) for row in chunk]


class SQLiteEvaluationView(SQLiteCompareAndSetTracking, EvaluationView):
    #: The same in every file: a rebuild fills a file of its own.
    prefix = "evaluation"
    random_id = "lower(hex(randomblob(16)))"

    def __init__(self, datastore: SQLiteDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)

    def table(self, name: str) -> str:
        return f"{self.prefix}_{name}"

    def statement(self, text: str) -> str:
        return self.sql(text)

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), *self.create_statements()]

    def create_table(self) -> None:
        super().create_table()
        self.settle_version()

    def _forget_all_tracking(self, cursor: SQLiteCursor) -> None:
        # The library's own row, saying how the table is laid out, stays.
        cursor.execute(
            "DELETE FROM tracking WHERE application_name != ?",
            (self.table_migration_identifier,),
        )

    @contextmanager
    def writing(self) -> Iterator[SQLiteCursor]:
        with self.datastore.transaction(commit=True) as cursor:
            zero_what_is_deleted(cursor)
            yield cursor

    def apply(
        self, changes: Sequence[Any], tracking: Tracking, *, after: int | None = None
    ) -> None:
        super().apply(changes, tracking, after=after)
        if any(isinstance(change, Anonymised) for change in changes):
            truncate_log(self.datastore)  # the case's old ids leave the file

    @contextmanager
    def reading(self) -> Iterator[Reading]:
        with self.datastore.transaction(commit=False) as cursor:
            yield SQLiteReading(cursor)

    def _tracked(self, cursor: SQLiteCursor) -> bool:
        cursor.execute(
            "SELECT 1 FROM tracking WHERE application_name != ? LIMIT 1",
            (self.table_migration_identifier,),
        )
        return cursor.fetchone() is not None

    def _forget_tracking(self, cursor: SQLiteCursor, application_name: str) -> None:
        cursor.execute(
            "DELETE FROM tracking WHERE application_name = ?", (application_name,)
        )

    def tracking_position_statement(self) -> str:
        return "SELECT notification_id FROM tracking WHERE application_name = ?"

    @property
    def file(self) -> str:
        return str(self.datastore.pool.db_name)

    def switch_to(self, fresh: EvaluationView) -> None:
        if not isinstance(fresh, SQLiteEvaluationView):
            raise TypeError("a SQLite view switches to a SQLite view")
        self.refuse_older(fresh.definitions)
        # A connection of its own: ATTACH cannot run inside the library's
        # transactions. WAL lets readers go on reading the old rows meanwhile.
        connection = sqlite3.connect(self.file, timeout=30, isolation_level=None)
        try:
            connection.execute("ATTACH DATABASE ? AS fresh", (fresh.file,))
            connection.execute("BEGIN IMMEDIATE")
            for name in TABLES:
                table = self.table(name)
                connection.execute(f"DELETE FROM main.{table}")
                connection.execute(
                    f"INSERT INTO main.{table} SELECT * FROM fresh.{table}"
                )
            connection.execute("DELETE FROM main.tracking")
            connection.execute("INSERT INTO main.tracking SELECT * FROM fresh.tracking")
            connection.execute("COMMIT")
            connection.execute("DETACH DATABASE fresh")
        finally:
            connection.close()

    def close(self) -> None:
        self.datastore.close()
