"""Erased rows leave no trace in a SQLite file.

SQLite keeps a deleted row's bytes in the file's free pages, and older copies of
its pages in the write-ahead log, until they happen to be reused. A view that
drops an erased case writes with ``secure_delete`` on (freed space is zeroed)
and then truncates the log, so no byte of the case stays in either file.
"""

from __future__ import annotations

from eventsourcing.sqlite import SQLiteCursor, SQLiteDatastore

SECURE_DELETE = "PRAGMA secure_delete = ON"


def zero_what_is_deleted(cursor: SQLiteCursor) -> None:
    """This connection zeroes the space its deletes and updates free."""
    cursor.execute(SECURE_DELETE)


def truncate_log(datastore: SQLiteDatastore) -> None:
    """Copies the write-ahead log into the file and empties it (best effort:
    a reader still holding old pages keeps them until it ends)."""
    with datastore.get_connection(commit=True) as connection:
        connection.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
