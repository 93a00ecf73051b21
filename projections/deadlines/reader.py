"""Reads a case's legal clocks, keeping each recently read case's fold warm
(``projections.warm``), as the chronology's reader does: each read folds only
the events recorded since, and an unchanged case's clocks judged as at the same
day by the same rules are not judged again. "As at" a past moment is folded
afresh from the stream up to it."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from domain.application import CaseJourneys
from domain.clocks import DEFAULT_RULES, RuleBook
from projections.deadlines.fold import DeadlinesFold, deadlines_of
from projections.deadlines.rows import Deadlines
from projections.warm import WarmFolds


class DeadlinesReader:
    def __init__(self, journeys: CaseJourneys, *, warm_cases: int = 256) -> None:
        self.journeys = journeys
        self._folds = WarmFolds(journeys, DeadlinesFold, cases=warm_cases)

    def deadlines(
        self,
        case_id: UUID,
        as_of: date,
        *,
        rules: RuleBook = DEFAULT_RULES,
        as_at: datetime | None = None,
    ) -> Deadlines:
        """The case's clocks judged as at ``as_of``, from the record as it stands
        (or as it stood at ``as_at``)."""
        if as_at is not None:
            events = self.journeys.case_events(case_id, until=as_at)
            return deadlines_of(events, as_of, rules=rules)
        with self._folds.current(case_id) as warm:
            return warm.frozen((as_of, rules), lambda fold: fold.freeze(as_of, rules))
