"""Rebuilding the evaluation view: the whole log replayed into a fresh view
beside the live one, then one switch-over, so queries see the old view until
the new one is complete and never a half-built one.

- PostgreSQL: the fresh view's tables (``evaluation_next_...``) replace the live
  ones by renaming, in one transaction.
- SQLite: the fresh view's file (``waymark.evaluation_next.db``) is copied into
  the live file in one transaction, then deleted.
- The in-memory store: its view lives in the serving process only, so it is
  rebuilt in place.

The live view's worker keeps running throughout: after the switch its next page
is refused (the view's position moved under it) and it resumes from the
rebuilt view's position.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.application import Application

from projections.evaluation import NAME, EvaluationView, evaluation_view
from projections.evaluation.projection import EvaluationProjection
from projections.tracking import ProjectionWorker, store_kind

NEXT = f"{NAME}_next"


@dataclass(frozen=True)
class Rebuilt:
    events: int
    position: int


def rebuild_evaluation(
    application: Application[UUID],
    persistence: Mapping[str, str],
    *,
    live: EvaluationView | None = None,
    progress: Callable[[int], None] | None = None,
) -> Rebuilt:
    """Replays ``application``'s log into a fresh evaluation view and switches
    the live view (``live``, or the one the settings name) over to it."""
    live = live or evaluation_view(persistence)
    # Before the whole log is read: a view newer code stamped is not this code's.
    live.refuse_older(live.definitions)
    if store_kind(persistence) == "memory":
        worker = ProjectionWorker(
            application, EvaluationProjection.of(application, live)
        )
        read = worker.rebuild(progress)
        return Rebuilt(read, worker.position())
    fresh = evaluation_view(persistence, NEXT)
    try:
        worker = ProjectionWorker(
            application, EvaluationProjection.of(application, fresh)
        )
        read = worker.rebuild(progress)
        position = worker.position()
        live.switch_to(fresh)
    finally:
        fresh.close()
    _discard(fresh)
    return Rebuilt(read, position)


def _discard(fresh: Any) -> None:
    path = getattr(fresh, "file", None)
    if path:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
