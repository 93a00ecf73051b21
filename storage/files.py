"""SQLite files readable by their owner only.

The events file and the views' files hold case records: other users of the
machine must not read them. SQLite creates a database's ``-wal`` and ``-shm``
files with the database file's own permissions, so the database file is created
owner-only (0600) before SQLite opens it, and a file an earlier release left
readable (with its ``-wal`` and ``-shm``) is narrowed to 0600 when opened.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from pathlib import Path

OWNER_ONLY = 0o600
SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def owner_only_sqlite_file(path: str) -> None:
    """Creates (if absent) the SQLite database file ``path`` owner-only, and
    narrows it and its companions to owner-only. In-memory names are left."""
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, OWNER_ONLY))
    for suffix in SQLITE_COMPANIONS:
        companion = Path(f"{path}{suffix}")
        with contextlib.suppress(FileNotFoundError, PermissionError):
            if companion.stat().st_mode & 0o777 != OWNER_ONLY:
                companion.chmod(OWNER_ONLY)


def owner_only_sqlite(persistence: Mapping[str, str]) -> None:
    """The same, for the SQLite file eventsourcing settings name, if any."""
    if persistence.get("PERSISTENCE_MODULE") == "eventsourcing.sqlite":
        owner_only_sqlite_file(persistence.get("SQLITE_DBNAME", ""))
