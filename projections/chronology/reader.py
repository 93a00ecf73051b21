"""Reads chronologies, keeping each recently read case's fold warm.

A chronology is a fold of the case's own stream. Refolding a long case on every
read repeats work, so the reader keeps the fold of recently read cases and, on
each read, folds only the events recorded since. "As at" a past moment is always
folded afresh: it must be exactly what the record said then.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import datetime
from uuid import UUID

from domain.application import CaseJourneys
from projections.chronology.fold import BundleChoice, ChronologyFold, chronology_of
from projections.chronology.rows import Chronology
from projections.chronology.selection import Purpose


class ChronologyReader:
    def __init__(self, journeys: CaseJourneys, *, warm_cases: int = 256) -> None:
        self.journeys = journeys
        self.warm_cases = warm_cases
        self._folds: OrderedDict[UUID, tuple[threading.Lock, ChronologyFold]] = (
            OrderedDict()
        )
        self._folds_lock = threading.Lock()

    def chronology(
        self,
        case_id: UUID,
        *,
        purpose: Purpose = Purpose.FULL,
        as_at: datetime | None = None,
        changed_since: datetime | None = None,
        bundle: BundleChoice | None = None,
        include_sensitive: bool = True,
    ) -> Chronology:
        """``include_sensitive=False`` leaves out the steps sensitive now (even
        as at a past moment), saying how many."""
        lock, fold = self._warm_fold(case_id)
        with lock:
            for event in self.journeys.case_events(case_id, after_version=fold.version):
                fold.fold(event)
            if as_at is None:
                return fold.freeze(
                    purpose,
                    None,
                    changed_since,
                    bundle,
                    include_sensitive=include_sensitive,
                )
            sensitive_now = fold.sensitive_steps()
        events = self.journeys.case_events(case_id, until=as_at)
        return chronology_of(
            events,
            purpose=purpose,
            as_at=as_at,
            changed_since=changed_since,
            bundle=bundle,
            include_sensitive=include_sensitive,
            sensitive_now=sensitive_now,
        )

    def _warm_fold(self, case_id: UUID) -> tuple[threading.Lock, ChronologyFold]:
        with self._folds_lock:
            entry = self._folds.get(case_id)
            if entry is None:
                entry = self._folds[case_id] = (threading.Lock(), ChronologyFold())
                while len(self._folds) > self.warm_cases:
                    self._folds.popitem(last=False)
            else:
                self._folds.move_to_end(case_id)
            return entry
