"""The tracking record of a page, written only if the view stands exactly where
the page was read from (see ``projections.tracking.batch``), on SQLite and on
PostgreSQL. Views inherit these in place of the library's tracking recorders.

On PostgreSQL a view's tables are created at most once, not on every start.
``CREATE INDEX IF NOT EXISTS`` takes a SHARE lock on its table even when the
index exists, so a process starting beside a projection worker that is writing
a page could deadlock with it (psycopg's ``DeadlockDetected``), and two
processes starting at once on a fresh schema could both try to create the same
tables. So a start first looks in the catalog (``to_regclass``): when every
table and index its statements name exists, and the tracking table holds the
library's layout record, it runs no DDL at all. Otherwise it runs the DDL in one
transaction under an advisory lock of the view's own
(``pg_advisory_xact_lock``), and looks again once it holds it, so of several
processes starting together one creates the tables and the rest find them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Any, Protocol

from eventsourcing.persistence import IntegrityError, OperationalError, Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from eventsourcing.sqlite import SQLiteTrackingRecorder
from psycopg import Cursor
from psycopg.rows import DictRow
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

    # Creating the tables, at most once

    def create_table(self) -> None:
        """The library's DDL, unless every object it would create exists."""
        with self.datastore.get_connection() as connection, connection.cursor() as curs:
            layout = _created(curs, self)
        if layout is not None:
            self._found(layout)
            return
        super().create_table()  # the DDL: see _create_table

    def _create_table(self, curs: Cursor[DictRow]) -> None:
        # One process at a time: the others wait here, then find the tables.
        self.lock_ddl(curs)
        layout = _created(curs, self)
        if layout is not None:
            self._found(layout)
            return
        # What the library read before this transaction may be out of date.
        exists, layout = _layout_record(curs, self)
        self.tracking_table_exists = exists
        self.tracking_migration_previous = self.tracking_migration_current = layout
        super()._create_table(curs)

    def _found(self, layout: int) -> None:
        """Leaves the recorder as the library leaves it after creating its table."""
        self.tracking_table_exists = True
        self.tracking_migration_previous = self.tracking_migration_current = layout
        self.datastore.register_type_adapters()

    def lock_ddl(self, curs: Any) -> None:
        """Holds the view's DDL lock until the transaction ends (also for other
        DDL a view runs at start, such as writing itself again under new
        definitions)."""
        curs.execute("SELECT pg_advisory_xact_lock(%s)", (ddl_lock_key(self),))


def ddl_lock_key(view: PostgresCompareAndSetTracking) -> int:
    """The advisory lock held while a view's DDL runs: one per schema and
    tracking table, apart from the workers' leadership locks."""
    return advisory_lock_key(
        f"waymark-view-ddl:{view.datastore.schema}.{view.tracking_table_name}"
    )


def advisory_lock_key(name: str) -> int:
    """A PostgreSQL advisory lock's key (a signed 64-bit integer) for a name."""
    digest = hashlib.sha256(name.encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


#: What a view's start creates, as its statements name it: a table (qualified
#: with the schema) or an index (named alone: it lives in its table's schema).
_CREATES = re.compile(
    r"\s*CREATE\s+(?:UNIQUE\s+)?(?:TABLE|INDEX)\s+IF\s+NOT\s+EXISTS\s+"
    r'((?:"[^"]+"|\w+)(?:\.(?:"[^"]+"|\w+))?)',
    re.IGNORECASE,
)


def created_relations(statements: Iterable[Composed], schema: str) -> list[str] | None:
    """The qualified names of the tables and indexes ``statements`` create, or
    None when one of them creates anything else (then only running them says
    whether it exists)."""
    qualifier = Identifier(schema).as_string(None)
    names: list[str] = []
    for statement in statements:
        match = _CREATES.match(statement.as_string(None))
        if match is None:
            return None
        name = match.group(1)
        names.append(name if "." in name else f"{qualifier}.{name}")
    return names


def _first(row: Any) -> Any:
    """A row's first column, whichever the cursor's row type."""
    return next(iter(row.values())) if isinstance(row, dict) else row[0]


def _created(curs: Any, view: PostgresCompareAndSetTracking) -> int | None:
    """The position of the library's layout record if every table and index of
    the view exists and the tracking table holds that record; else None."""
    names = created_relations(view.sql_create_statements, view.datastore.schema)
    if not names:
        return None
    row = curs.execute(
        "SELECT bool_and(to_regclass(name) IS NOT NULL) "
        "FROM unnest(%s::text[]) AS name",
        (names,),
    ).fetchone()
    if row is None or not _first(row):
        return None
    _, layout = _layout_record(curs, view)
    return layout


def _layout_record(
    curs: Any, view: PostgresCompareAndSetTracking
) -> tuple[bool, int | None]:
    """Whether the tracking table exists, and the position of its layout record
    (the library's ``__migration__`` row; None without one)."""
    row = curs.execute(
        "SELECT to_regclass(%s) IS NOT NULL", (view.tracking_table.as_string(None),)
    ).fetchone()
    if row is None or not _first(row):
        return False, None
    found = curs.execute(
        SQL("SELECT notification_id FROM {} WHERE application_name = %s").format(
            view.tracking_table
        ),
        (view.table_migration_identifier,),
    ).fetchone()
    return True, None if found is None else int(_first(found))


def _named(text: str) -> str:
    """``:name`` placeholders as psycopg's ``%(name)s``."""
    for name in ("application_name", "notification_id", "after"):
        text = text.replace(f":{name}", f"%({name})s")
    return text
