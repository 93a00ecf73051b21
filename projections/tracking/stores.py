"""Where a projection's view lives, given the event store's settings.

- PostgreSQL: beside the events, in the same database and schema; the view's
  tables and its tracking table are named after the projection
  (``caseload_cases``, ``caseload_tracking``), as eventsourcing names a
  projection's tracking table after the projection.
- SQLite: a file of its own beside the events file (``waymark.db`` →
  ``waymark.caseload.db``). eventsourcing's SQLite tracking table has one fixed
  name, so views in one file would share it; apart, each view has its own
  position, and catching up never takes the events file's write lock from the
  API. The file holds nothing the log cannot rebuild, but what it holds is
  case records: like the events file it is readable by its owner only.
- In-memory store: a SQLite view in memory, in the same process (the events
  live only there).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import TypeVar

from eventsourcing.persistence import InfrastructureFactory, TrackingRecorder
from eventsourcing.utils import Environment

from storage.files import owner_only_sqlite

POSTGRES = "eventsourcing.postgres"
SQLITE = "eventsourcing.sqlite"
POPO = "eventsourcing.popo"

TView = TypeVar("TView", bound=TrackingRecorder)


class UnsupportedStore(ValueError):
    """The event store's settings name a store no view is written for."""


def store_kind(persistence: Mapping[str, str]) -> str:
    """``postgres``, ``sqlite`` or ``memory``."""
    module = persistence.get("PERSISTENCE_MODULE", POPO)
    kinds = {POSTGRES: "postgres", SQLITE: "sqlite", POPO: "memory"}
    try:
        return kinds[module]
    except KeyError:
        raise UnsupportedStore(f"no views for the store {module!r}") from None


def view_env(persistence: Mapping[str, str], name: str) -> dict[str, str]:
    """eventsourcing settings for the view of the projection called ``name``."""
    kind = store_kind(persistence)
    if kind == "postgres":
        return dict(persistence)
    if kind == "sqlite":
        return {
            **persistence,
            "SQLITE_DBNAME": sibling_file(persistence["SQLITE_DBNAME"], name),
        }
    return {
        "PERSISTENCE_MODULE": SQLITE,
        "SQLITE_DBNAME": f"file:waymark-{name}-{uuid.uuid4().hex}?mode=memory"
        "&cache=shared",
        "CREATE_TABLE": "y",
    }


def sibling_file(events_file: str, name: str) -> str:
    """``/data/waymark.db`` → ``/data/waymark.caseload.db``."""
    path = Path(events_file)
    suffix = path.suffix or ".db"
    return str(path.with_name(f"{path.stem}.{name}{suffix}"))


def construct_view(
    name: str,
    persistence: Mapping[str, str],
    *,
    sqlite: type[TView],
    postgres: type[TView],
) -> TView:
    """Builds (and, if the settings say so, creates the tables of) the view."""
    env = view_env(persistence, name)
    owner_only_sqlite(env)
    view_class = postgres if store_kind(env) == "postgres" else sqlite
    factory = InfrastructureFactory[TView].construct(Environment(name, env))
    return factory.tracking_recorder(view_class)
