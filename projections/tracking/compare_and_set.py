"""The tracking record of a page, written only if the view stands exactly where
the page was read from (see ``projections.tracking.batch``), on SQLite and on
PostgreSQL. Views inherit these in place of the library's tracking recorders."""

from __future__ import annotations

from typing import Any

from eventsourcing.persistence import IntegrityError, OperationalError, Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from eventsourcing.sqlite import SQLiteCursor, SQLiteTrackingRecorder
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Composed, Identifier


def _params(tracking: Tracking, after: int) -> dict[str, Any]:
    return {
        "application_name": tracking.application_name,
        "notification_id": tracking.notification_id,
        "after": after,
    }


def _refused(tracking: Tracking, after: int) -> IntegrityError:
    return IntegrityError(
        f"the view is not at position {after} of {tracking.application_name}"
    )


class SQLiteCompareAndSetTracking(SQLiteTrackingRecorder):
    def _insert_tracking_after(
        self, cursor: SQLiteCursor, tracking: Tracking, after: int | None
    ) -> None:
        """The tracking record, if the view is exactly at ``after`` (or, with
        None, anywhere before it: eventsourcing's own check)."""
        if after is None:
            self._insert_tracking(cursor, tracking)
            return
        if not self.datastore.single_row_tracking:
            raise OperationalError("a batch view needs single-row tracking")
        if after == 0:
            cursor.execute(
                "INSERT INTO tracking VALUES (:application_name, :notification_id) "
                "ON CONFLICT (application_name) DO NOTHING RETURNING notification_id",
                _params(tracking, after),
            )
        else:
            cursor.execute(
                "UPDATE tracking SET notification_id = :notification_id "
                "WHERE application_name = :application_name "
                "AND notification_id = :after RETURNING notification_id",
                _params(tracking, after),
            )
        if cursor.fetchone() is None:
            raise _refused(tracking, after)


class PostgresCompareAndSetTracking(PostgresTrackingRecorder):
    def __init__(
        self, datastore: PostgresDatastore, *, tracking_table_name: str, **kwargs: Any
    ) -> None:
        super().__init__(datastore, tracking_table_name=tracking_table_name, **kwargs)
        self._tracking = SQL("{}.{}").format(
            Identifier(self.datastore.schema), Identifier(self.tracking_table_name)
        )
        self._track_first = SQL(
            "INSERT INTO {} VALUES (%(application_name)s, %(notification_id)s) "
            "ON CONFLICT (application_name) DO NOTHING RETURNING notification_id"
        ).format(self._tracking)
        self._track_after = SQL(
            "UPDATE {} SET notification_id = %(notification_id)s "
            "WHERE application_name = %(application_name)s "
            "AND notification_id = %(after)s RETURNING notification_id"
        ).format(self._tracking)

    @property
    def tracking_table(self) -> Composed:
        return self._tracking

    def _insert_tracking_after(
        self, cursor: Cursor[DictRow], tracking: Tracking, after: int | None
    ) -> None:
        """The tracking record, if the view is exactly at ``after`` (or, with
        None, anywhere before it: eventsourcing's own check)."""
        if after is None:
            self._insert_tracking(cursor, tracking)
            return
        if not self.datastore.single_row_tracking:
            raise OperationalError("a batch view needs single-row tracking")
        cursor.execute(
            self._track_first if after == 0 else self._track_after,
            _params(tracking, after),
        )
        if cursor.fetchone() is None:
            raise _refused(tracking, after)
