"""The key table: each case's data keys, wrapped under a master key.

One row per case and key version: the data key encrypted (AES-GCM) under the
master key named by ``master_key_id``. The table sits beside the events (in the
events file on SQLite, in the events' schema on PostgreSQL; in memory for the
in-memory store). Erasing a case deletes its rows: nothing is flagged, and no
copy of the key stays in the store.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import InfrastructureFactory
from eventsourcing.utils import Environment

TABLE = "case_keys"


@dataclass(frozen=True)
class WrappedKey:
    case_id: UUID
    #: The key's number (random; named in the header of what it seals).
    version: int
    #: The data key, encrypted under the master key ``master_key_id``.
    wrapped: bytes
    master_key_id: str


class KeyStore(ABC):
    @abstractmethod
    def add(self, key: WrappedKey) -> WrappedKey:
        """Keeps ``key`` unless the case already has that version, and returns
        the one kept: of two processes making a case's first key at once, both
        then use the winner's."""

    @abstractmethod
    def get(self, case_id: UUID, version: int) -> WrappedKey | None: ...

    @abstractmethod
    def latest(self, case_id: UUID) -> WrappedKey | None:
        """The case's key made last."""

    @abstractmethod
    def destroy(self, case_id: UUID) -> int:
        """Deletes every key of the case; the number deleted."""

    @abstractmethod
    def not_under(self, master_key_id: str, limit: int) -> list[WrappedKey]:
        """Up to ``limit`` keys wrapped under another master key."""

    @abstractmethod
    def rewrap(self, keys: Sequence[WrappedKey]) -> None:
        """Replaces the wrapped bytes and master key id of each key given."""

    @abstractmethod
    def count_by_master(self) -> dict[str, int]: ...

    def close(self) -> None:
        return None


class MemoryKeyStore(KeyStore):
    def __init__(self) -> None:
        self._keys: dict[tuple[UUID, int], WrappedKey] = {}
        self._lock = threading.Lock()

    def add(self, key: WrappedKey) -> WrappedKey:
        with self._lock:
            return self._keys.setdefault((key.case_id, key.version), key)

    def get(self, case_id: UUID, version: int) -> WrappedKey | None:
        return self._keys.get((case_id, version))

    def latest(self, case_id: UUID) -> WrappedKey | None:
        with self._lock:
            found = [k for (c, _), k in self._keys.items() if c == case_id]
        return found[-1] if found else None  # the last made

    def destroy(self, case_id: UUID) -> int:
        with self._lock:
            doomed = [index for index in self._keys if index[0] == case_id]
            for index in doomed:
                del self._keys[index]
        return len(doomed)

    def not_under(self, master_key_id: str, limit: int) -> list[WrappedKey]:
        with self._lock:
            keys = list(self._keys.values())
        return [k for k in keys if k.master_key_id != master_key_id][:limit]

    def rewrap(self, keys: Sequence[WrappedKey]) -> None:
        with self._lock:
            for key in keys:
                if (key.case_id, key.version) in self._keys:
                    self._keys[key.case_id, key.version] = key

    def count_by_master(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for key in list(self._keys.values()):
            counts[key.master_key_id] = counts.get(key.master_key_id, 0) + 1
        return counts


class SQLKeyStore(KeyStore):
    """The table on SQLite or PostgreSQL: the dialects differ in names, types
    and placeholders only."""

    def __init__(
        self, datastore: Any, *, postgres: bool, create: bool, owned: bool = True
    ) -> None:
        self.datastore = datastore
        self.postgres = postgres
        #: Whether closing the table closes its connections (not when it shares
        #: the event store's).
        self.owned = owned
        self.table = f'"{datastore.schema}".{TABLE}' if postgres else TABLE
        if create:
            blob, moment = ("BYTEA", "TIMESTAMPTZ") if postgres else ("BLOB", "TEXT")
            self._run(
                f"CREATE TABLE IF NOT EXISTS {self.table} ("
                "case_id TEXT NOT NULL, key_version INTEGER NOT NULL, "
                f"wrapped_key {blob} NOT NULL, master_key_id TEXT NOT NULL, "
                f"created_at {moment} NOT NULL, "
                "PRIMARY KEY (case_id, key_version))"
            )

    def _sql(self, text: str) -> str:
        text = text.format(table=self.table)
        return text.replace("?", "%s") if self.postgres else text

    def _run(self, text: str, params: Sequence[Any] = ()) -> None:
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(self._sql(text), tuple(params))

    def _select(self, text: str, params: Sequence[Any] = ()) -> list[Any]:
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(self._sql(text), tuple(params))
            return list(cursor.fetchall())

    @staticmethod
    def _key(row: Mapping[str, Any]) -> WrappedKey:
        return WrappedKey(
            case_id=UUID(row["case_id"]),
            version=int(row["key_version"]),
            wrapped=bytes(row["wrapped_key"]),
            master_key_id=str(row["master_key_id"]),
        )

    _COLUMNS = "case_id, key_version, wrapped_key, master_key_id"

    def add(self, key: WrappedKey) -> WrappedKey:
        now: Any = datetime.now(UTC)
        if not self.postgres:
            now = now.isoformat()
        self._run(
            f"INSERT INTO {{table}} ({self._COLUMNS}, created_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (case_id, key_version) DO NOTHING",
            (str(key.case_id), key.version, key.wrapped, key.master_key_id, now),
        )
        kept = self.get(key.case_id, key.version)
        assert kept is not None
        return kept

    def get(self, case_id: UUID, version: int) -> WrappedKey | None:
        rows = self._select(
            f"SELECT {self._COLUMNS} FROM {{table}} "
            "WHERE case_id = ? AND key_version = ?",
            (str(case_id), version),
        )
        return self._key(rows[0]) if rows else None

    def latest(self, case_id: UUID) -> WrappedKey | None:
        rows = self._select(
            f"SELECT {self._COLUMNS} FROM {{table}} WHERE case_id = ? "
            "ORDER BY created_at DESC, key_version DESC LIMIT 1",
            (str(case_id),),
        )
        return self._key(rows[0]) if rows else None

    def destroy(self, case_id: UUID) -> int:
        with self.datastore.transaction(commit=True) as cursor:
            if not self.postgres:
                # The file's freed space is zeroed, not left holding the key.
                cursor.execute("PRAGMA secure_delete = ON")
            cursor.execute(
                self._sql("SELECT COUNT(*) AS keys FROM {table} WHERE case_id = ?"),
                (str(case_id),),
            )
            count = int(cursor.fetchone()["keys"])
            cursor.execute(
                self._sql("DELETE FROM {table} WHERE case_id = ?"), (str(case_id),)
            )
        if not self.postgres:
            # Nor the write-ahead log, which holds the page as it was.
            with self.datastore.get_connection(commit=True) as connection:
                connection.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return count

    def not_under(self, master_key_id: str, limit: int) -> list[WrappedKey]:
        rows = self._select(
            f"SELECT {self._COLUMNS} FROM {{table}} WHERE master_key_id <> ? "
            "ORDER BY case_id, key_version LIMIT ?",
            (master_key_id, limit),
        )
        return [self._key(row) for row in rows]

    def rewrap(self, keys: Sequence[WrappedKey]) -> None:
        with self.datastore.transaction(commit=True) as cursor:
            cursor.executemany(
                self._sql(
                    "UPDATE {table} SET wrapped_key = ?, master_key_id = ? "
                    "WHERE case_id = ? AND key_version = ?"
                ),
                [(k.wrapped, k.master_key_id, str(k.case_id), k.version) for k in keys],
            )

    def count_by_master(self) -> dict[str, int]:
        rows = self._select(
            "SELECT master_key_id, COUNT(*) AS keys FROM {table} GROUP BY master_key_id"
        )
        return {str(row["master_key_id"]): int(row["keys"]) for row in rows}

    def close(self) -> None:
        if self.owned:
            self.datastore.close()


def shared_key_store(factory: InfrastructureFactory[Any]) -> KeyStore | None:
    """The key table on the event store's own connections, where it has some."""
    datastore = getattr(factory, "datastore", None)
    if datastore is None:
        return None
    return SQLKeyStore(
        datastore,
        postgres=hasattr(datastore, "schema"),
        create=_creates_tables(factory.env),
        owned=False,
    )


def _creates_tables(env: Environment) -> bool:
    return env.get("CREATE_TABLE", "y").lower() in ("y", "yes", "t", "true", "1")


def key_store(env: Environment) -> KeyStore:
    """The key table of the event store that ``env`` configures, on connections
    of its own."""
    module = env.get("PERSISTENCE_MODULE", "")
    if module not in ("eventsourcing.sqlite", "eventsourcing.postgres"):
        return MemoryKeyStore()
    settings = Environment(env.name, dict(env))
    if module == "eventsourcing.postgres":
        # A small pool of its own: keys are read once per case and cached.
        settings["POSTGRES_POOL_SIZE"] = "1"
        settings["POSTGRES_MAX_OVERFLOW"] = "4"
    factory = InfrastructureFactory.construct(settings)
    datastore = factory.datastore  # type: ignore[attr-defined]
    return SQLKeyStore(
        datastore,
        postgres=module == "eventsourcing.postgres",
        create=_creates_tables(settings),
    )


def every_key_page(store: KeyStore, master_key_id: str) -> Iterator[list[WrappedKey]]:
    """Pages of the keys not yet under ``master_key_id`` (for a rotation, which
    moves each page under it before asking for the next)."""
    while True:
        page = store.not_under(master_key_id, 500)
        if not page:
            return
        yield page
