"""Folds a case's events into its legal clocks.

Like the chronology, the deadlines of a case are folded live from its own stream:
always consistent with the log. The fold keeps each step's current reading (a
correction replaces it, a retraction removes it), the date of birth and the
jurisdiction the case was opened in; the clocks are judged from those, as at a
day, by the pure ``domain.clocks.clocks_of``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from domain.case import (
    CaseEvent,
    DateOfBirthRecorded,
    Jurisdiction,
    StepCorrected,
    StepRecorded,
    StepRetracted,
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
from projections.case_stream import CaseStreamFold
from projections.deadlines.rows import Deadlines


@dataclass(slots=True)
class _StepDraft:
    sequence: int
    reading: dict[str, Any]
    retracted: bool = False


class DeadlinesFold(CaseStreamFold):
    """Mutable state while folding; judged into ``Deadlines`` as at a day."""

    def __init__(self) -> None:
        self.born: UncertainDate | None = None
        self.steps: dict[UUID, _StepDraft] = {}
        super().__init__()

    def handlers(self) -> Mapping[type[CaseEvent], Callable[[Any], None]]:
        return {
            DateOfBirthRecorded: self._born,
            StepRecorded: self._step_recorded,
            StepCorrected: self._step_corrected,
            StepRetracted: self._step_retracted,
        }

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

    def _step_recorded(self, event: StepRecorded) -> None:
        self.steps[event.step_id] = _StepDraft(len(self.steps), event.reading)

    def _step_corrected(self, event: StepCorrected) -> None:
        self.steps[event.step_id].reading = event.reading

    def _step_retracted(self, event: StepRetracted) -> None:
        self.steps[event.step_id].retracted = True


def deadlines_of(
    events: Iterable[CaseEvent], as_of: date, *, rules: RuleBook = DEFAULT_RULES
) -> Deadlines:
    """The clocks of one case from its events, judged as at ``as_of``."""
    state = DeadlinesFold()
    for event in events:
        state.fold(event)
    return state.freeze(as_of, rules)
