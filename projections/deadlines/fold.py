"""Folds a case's events into its legal clocks.

Like the chronology, the deadlines of a case are folded live from its own stream:
always consistent with the log. The fold keeps each step's current reading (a
correction replaces it, a retraction removes it), the date of birth and the
jurisdiction the case was opened in; the clocks are judged from those, as at a
day, by the pure ``domain.clocks.clocks_of``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from domain.case import (
    CaseEvent,
    DateOfBirthRecorded,
    Jurisdiction,
)
from domain.clocks import (
    CLOCK_STEP_KINDS,
    DEFAULT_RULES,
    CaseFacts,
    RuleBook,
    Step,
    clocks_of,
)
from domain.dates import UncertainDate
from domain.steps import StepReading
from projections.case_stream import StepHistoryFold
from projections.deadlines.rows import Deadlines


class DeadlinesFold(StepHistoryFold):
    """Mutable state while folding; judged into ``Deadlines`` as at a day."""

    def __init__(self) -> None:
        self.born: UncertainDate | None = None
        super().__init__()

    def handlers(self) -> Mapping[type[CaseEvent], Callable[[Any], None]]:
        return {**super().handlers(), DateOfBirthRecorded: self._born}

    def facts(self) -> CaseFacts:
        opened, _ = self.opening()
        steps = []
        for step_id, draft in self.steps.items():
            if draft.retracted or draft.reading["kind"] not in CLOCK_STEP_KINDS:
                continue  # only these kinds can start, stop or place a clock
            reading = StepReading.from_record(draft.reading)
            steps.append(
                Step(
                    step_id=step_id,
                    kind=reading.kind,
                    occurred=reading.occurred,
                    details=reading.details,
                    sequence=draft.sequence,
                )
            )
        return CaseFacts(
            jurisdiction=Jurisdiction(opened.jurisdiction),
            steps=tuple(steps),
            born=self.born,
        )

    def freeze(self, as_of: date, rules: RuleBook = DEFAULT_RULES) -> Deadlines:
        facts = self.facts()
        opened, last = self.opening()
        report = clocks_of(facts, as_of, rules)
        return Deadlines(
            case_id=opened.originator_id,
            reference=opened.reference,
            as_of=as_of,
            version=last.originator_version,
            clocks=report.clocks,
            jurisdictions=report.jurisdictions,
            notes=report.notes,
        )

    def _born(self, event: DateOfBirthRecorded) -> None:
        self.born = UncertainDate.from_record(event.born)


def deadlines_of(
    events: Iterable[CaseEvent], as_of: date, *, rules: RuleBook = DEFAULT_RULES
) -> Deadlines:
    """The clocks of one case from its events, judged as at ``as_of``."""
    state = DeadlinesFold()
    for event in events:
        state.fold(event)
    return state.freeze(as_of, rules)
