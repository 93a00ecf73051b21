"""The tracking record of a page, written only if the view stands exactly where
the page was read from (see ``projections.tracking.batch``), on SQLite and on
PostgreSQL. Views inherit these in place of the library's tracking recorders."""

from __future__ import annotations

from typing import Any, Protocol

from eventsourcing.persistence import IntegrityError, OperationalError, Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from eventsourcing.sqlite import SQLiteTrackingRecorder
from psycopg.sql import SQL, Composed, Identifier

#: Statements given ``application_name``, ``notification_id`` and ``after``:
#: the first record (the view at 0), or a move from exactly ``after``. Each
#: returns a row only if it wrote.
_FIRST = (
    "INSERT INTO {tracking} VALUES (:application_name, :notification_id) "
    "ON CONFLICT (application_name) DO NOTHING RETURNING notification_id"
)
_AFTER = (
    "UPDATE {tracking} SET notification_id = :notification_id "
    "WHERE application_name = :application_name "
    "AND notification_id = :after RETURNING notification_id"
)


class _TrackingRecorder(Protocol):
    """What the mixin needs of the library's tracking recorder it is mixed with."""

    @property
    def datastore(self) -> Any: ...

    @property
    def _track_first(self) -> Any: ...

    @property
    def _track_after(self) -> Any: ...

    def _insert_tracking(self, cursor: Any, tracking: Tracking) -> None: ...


class CompareAndSetTracking:
    """``_insert_tracking_after`` over a dialect's two statements."""

    def _insert_tracking_after(
        self: _TrackingRecorder, cursor: Any, tracking: Tracking, after: int | None
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
            {
                "application_name": tracking.application_name,
                "notification_id": tracking.notification_id,
                "after": after,
            },
        )
        if cursor.fetchone() is None:
            raise IntegrityError(
                f"the view is not at position {after} of {tracking.application_name}"
            )


class SQLiteCompareAndSetTracking(CompareAndSetTracking, SQLiteTrackingRecorder):
    _track_first = _FIRST.format(tracking="tracking")
    _track_after = _AFTER.format(tracking="tracking")


class PostgresCompareAndSetTracking(CompareAndSetTracking, PostgresTrackingRecorder):
    def __init__(
        self, datastore: PostgresDatastore, *, tracking_table_name: str, **kwargs: Any
    ) -> None:
        super().__init__(datastore, tracking_table_name=tracking_table_name, **kwargs)
        self._tracking = SQL("{}.{}").format(
            Identifier(self.datastore.schema), Identifier(self.tracking_table_name)
        )
        self._track_first, self._track_after = (
            SQL(_named(text).replace("{tracking}", "{}")).format(self._tracking)
            for text in (_FIRST, _AFTER)
        )

    @property
    def tracking_table(self) -> Composed:
        return self._tracking


def _named(text: str) -> str:
    """``:name`` placeholders as psycopg's ``%(name)s``."""
    for name in ("application_name", "notification_id", "after"):
        text = text.replace(f":{name}", f"%({name})s")
    return text
