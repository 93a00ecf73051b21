"""The evaluation view in SQLite, in a file of its own beside the events
(``waymark.evaluation.db``; a rebuild fills ``waymark.evaluation_next.db``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from eventsourcing.sqlite import SQLiteCursor, SQLiteDatastore

from projections.evaluation.view import EvaluationView
from projections.tracking.compare_and_set import SQLiteCompareAndSetTracking


class SQLiteEvaluationView(SQLiteCompareAndSetTracking, EvaluationView):
    #: The same in every file: a rebuild fills a file of its own.
    prefix = "evaluation"

    def __init__(self, datastore: SQLiteDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)

    def table(self, name: str) -> str:
        return f"{self.prefix}_{name}"

    def statement(self, text: str) -> str:
        return self.sql(text)

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), *self.create_statements()]

    @contextmanager
    def writing(self) -> Iterator[SQLiteCursor]:
        with self.datastore.transaction(commit=True) as cursor:
            yield cursor

    @contextmanager
    def reading(self) -> Iterator[SQLiteCursor]:
        with self.datastore.transaction(commit=False) as cursor:
            yield cursor

    def _forget_tracking(self, cursor: SQLiteCursor, application_name: str) -> None:
        cursor.execute(
            "DELETE FROM tracking WHERE application_name = ?", (application_name,)
        )

    def tracking_position_statement(self) -> str:
        return "SELECT notification_id FROM tracking WHERE application_name = ?"

    def close(self) -> None:
        self.datastore.close()
