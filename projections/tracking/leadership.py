"""Which of several workers keeps a view current: one at a time, for failover.

On PostgreSQL, the worker that keeps a view current holds a session-level
advisory lock keyed by the view (its schema and projection name), on a
connection of its own. Several ``waymark project`` processes may be started:
one takes the lock and projects; the others poll for it and the first to find it
free takes over when the holder dies (its session ends, and the lock with it) or
loses its connection. The lock is for efficiency, not for safety: two workers
that both wrote would still never write a notification twice, as every page is
written only if the view is still where the page was read from
(``projections.tracking.batch``).

SQLite and the in-memory store need no lock (``Unshared``): a SQLite view is
written by the processes that share its file, one transaction at a time, and
the in-memory store lives in one process.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from typing import Any, Protocol

import psycopg
from eventsourcing.postgres import PostgresDatastore

logger = logging.getLogger(__name__)

#: How long a worker waits for the server when connecting for its lock.
CONNECT_SECONDS = 5


class ViewLock(Protocol):
    """Leadership of one view's projection."""

    def acquire(self, stop: threading.Event, poll_seconds: float) -> bool:
        """Waits until this worker holds the lock (True) or ``stop`` is set
        (False), trying every ``poll_seconds``. Raises ``psycopg.Error`` when the
        server cannot be reached."""

    def held(self) -> bool:
        """Whether the lock is still this worker's (its connection is alive)."""

    def close(self) -> None:
        """Gives the lock up."""


class Unshared:
    """No lock: the store is not shared by workers that could both follow it."""

    def acquire(self, stop: threading.Event, poll_seconds: float) -> bool:
        return not stop.is_set()

    def held(self) -> bool:
        return True

    def close(self) -> None:
        pass


def lock_key(schema: str, view_name: str) -> int:
    """The advisory lock's key (a signed 64-bit integer) for one view."""
    digest = hashlib.sha256(f"waymark-view:{schema}.{view_name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class PostgresViewLock:
    """A session-level advisory lock on a connection of its own."""

    def __init__(self, connection_kwargs: dict[str, Any], schema: str, name: str):
        self.connection_kwargs = connection_kwargs
        self.key = lock_key(schema, name)
        self.name = name
        self._connection: psycopg.Connection[Any] | None = None

    @property
    def backend_pid(self) -> int | None:
        """The server process holding (or trying for) the lock, if connected."""
        return None if self._connection is None else self._connection.info.backend_pid

    def acquire(self, stop: threading.Event, poll_seconds: float) -> bool:
        if self._connection is not None and self.held():
            return True
        waiting = False
        while not stop.is_set():
            connection = self._connect()
            try:
                row = connection.execute(
                    "SELECT pg_try_advisory_lock(%s)", (self.key,)
                ).fetchone()
            except psycopg.Error:
                self.close()
                raise
            if row is not None and row[0]:
                logger.info("%s: this worker now keeps the view current", self.name)
                return True
            if not waiting:
                logger.info(
                    "%s: another worker keeps the view current; standing by", self.name
                )
                waiting = True
            stop.wait(poll_seconds)
        return False

    def held(self) -> bool:
        connection = self._connection
        if connection is None or connection.closed:
            return False
        try:
            connection.execute("SELECT 1")
        except psycopg.Error:
            self.close()
            return False
        return True

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()  # the session ends, and its lock with it

    def _connect(self) -> psycopg.Connection[Any]:
        if self._connection is None or self._connection.closed:
            settings = {
                "application_name": f"waymark {self.name} worker"[:63],
                "connect_timeout": CONNECT_SECONDS,
                **self.connection_kwargs,
            }
            self._connection = psycopg.connect(**settings, autocommit=True)
        return self._connection


def view_lock(view: Any, name: str) -> ViewLock:
    """The lock for a view: an advisory lock when it lives in PostgreSQL."""
    datastore = getattr(view, "datastore", None)
    if not isinstance(datastore, PostgresDatastore):
        return Unshared()
    given = datastore.pool.kwargs if isinstance(datastore.pool.kwargs, dict) else {}
    kwargs: dict[str, Any] = {
        key: given[key]
        for key in ("dbname", "host", "port", "user", "password", "application_name")
        if key in given
    }
    return PostgresViewLock(kwargs, datastore.schema, name)
