"""Reads chronologies, keeping each recently read case's fold warm
(``projections.warm``): each read folds only the events recorded since, and an
unchanged case's chronology is not frozen again. "As at" a past moment is
always folded afresh: it must be exactly what the record said then.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from domain.application import CaseJourneys
from projections.chronology.fold import BundleChoice, ChronologyFold, chronology_of
from projections.chronology.rows import Chronology
from projections.chronology.selection import Purpose
from projections.warm import WarmFolds


class ChronologyReader:
    def __init__(self, journeys: CaseJourneys, *, warm_cases: int = 256) -> None:
        self.journeys = journeys
        self.warm_cases = warm_cases
        self._folds = WarmFolds(journeys, ChronologyFold, cases=warm_cases)

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
        with self._folds.current(case_id) as warm:
            if as_at is None:
                return warm.frozen(
                    (purpose, changed_since, bundle, include_sensitive),
                    lambda fold: fold.freeze(
                        purpose,
                        None,
                        changed_since,
                        bundle,
                        include_sensitive=include_sensitive,
                    ),
                )
            sensitive_now = warm.fold.sensitive_steps()
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
