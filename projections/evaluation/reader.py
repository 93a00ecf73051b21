"""What evaluators may ask: tables under disclosure control, the metrics'
definitions and pseudonymous cohorts. The only way to the evaluation view.

The view is read into a snapshot once and refreshed (changed cases only) when
the view has moved on and the snapshot is older than ``refresh_seconds``; every
answer says the log position it is as at. A period's canonical table is kept
until the snapshot moves on, so asking again, or for other rows of it, costs
nothing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from projections.evaluation.cohort import CohortExport, cohort_export
from projections.evaluation.disclosure import DEFAULT_THRESHOLD
from projections.evaluation.figures import Request, Table, canonical_table, shown
from projections.evaluation.metrics import DEFINITIONS, Definition
from projections.evaluation.periods import Period
from projections.evaluation.snapshot import Snapshot, load, refreshed
from projections.evaluation.view import EvaluationView

#: The smallest threshold a deployment may set.
MIN_THRESHOLD = 3
#: Canonical tables kept, by period; the oldest made goes first.
TABLES_KEPT = 16


class EvaluationReader:
    def __init__(
        self,
        view: EvaluationView,
        application_name: str,
        *,
        threshold: int = DEFAULT_THRESHOLD,
        pseudonym_key: bytes,
        refresh_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if threshold < MIN_THRESHOLD:
            raise ValueError(f"the threshold must be at least {MIN_THRESHOLD}")
        self.view = view
        self.application_name = application_name
        self.threshold = threshold
        self.pseudonym_key = pseudonym_key
        self.refresh_seconds = refresh_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._taken = 0.0
        #: Canonical tables of the current snapshot, by period (a few).
        self._tables: dict[Period, Table] = {}

    def snapshot(self, *, fresh: bool = False) -> Snapshot:
        """The view as loaded; read again if older than ``refresh_seconds`` (or
        ``fresh``) and the view has moved since."""
        with self._lock:
            now = self._clock()
            if self._snapshot is None:
                self._snapshot = load(self.view, self.application_name)
                self._taken = now
            elif fresh or now - self._taken >= self.refresh_seconds:
                self._snapshot = refreshed(
                    self._snapshot, self.view, self.application_name
                )
                self._taken = now
            return self._snapshot

    def position(self) -> int:
        return self.view.position(self.application_name)

    def evaluation(self, request: Request, *, fresh: bool = False) -> Table:
        snapshot = self.snapshot(fresh=fresh)
        with self._lock:
            whole = self._tables.get(request.period)
            if whole is None or whole.position != snapshot.position:
                whole = canonical_table(snapshot, request.period, self.threshold)
                if len(self._tables) >= TABLES_KEPT:
                    self._tables.pop(next(iter(self._tables)))
                self._tables[request.period] = whole
        return shown(whole, request)

    def cohort(
        self, request: Request, evaluator: str, *, fresh: bool = False
    ) -> CohortExport:
        return cohort_export(
            self.snapshot(fresh=fresh),
            request,
            evaluator=evaluator,
            key=self.pseudonym_key,
            threshold=self.threshold,
        )

    @staticmethod
    def definitions() -> tuple[Definition, ...]:
        return DEFINITIONS
