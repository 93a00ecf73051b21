"""The evaluation projection's event handlers: which facts each case event gives.

Sensitivity decides too: a step marked sensitive is not evaluated (its facts
are cleared, and a correction of it notes none) until it is marked otherwise.
The kinds sensitive by default give no facts anyway.

Consent decides what reaches the view. When a survivor consents to evaluation,
the case's earlier events are read again from the log (``history``) and their
facts follow the consent, so a consent given months after opening still counts
the whole journey; when consent is withdrawn, the view forgets the case. The log
is immutable, so reading the history while catching up gives the same facts
whenever the page is processed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any, Self
from uuid import UUID, uuid4

from eventsourcing.application import Application
from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking

from domain import case as events
from domain.case import ConsentPurpose
from domain.dates import uk_day
from domain.erasure import CaseErased
from domain.steps import StepReading
from projections.caseload.projection import MOVED_AREA
from projections.evaluation.changes import (
    Anonymised,
    Born,
    Change,
    Consented,
    ConsentEnded,
    FactNoted,
    Opened,
    Placed,
    SpellBegun,
    SpellEnded,
    StepCleared,
)
from projections.evaluation.metrics import facts_of
from projections.evaluation.periods import months_after
from projections.evaluation.view import EvaluationView
from projections.tracking import BatchProjection

#: The case's events before a version, oldest first.
History = Callable[[UUID, int], Iterable[Any]]
OPENED = "opened"


def _day(value: Any) -> int | None:
    return value.toordinal() if isinstance(value, date) else None


class EvaluationProjection(BatchProjection[EvaluationView]):
    name = "evaluation"
    #: Every topic, so the view's position says how current it is.
    topics: tuple[str, ...] = ()

    def __init__(self, view: EvaluationView, history: History) -> None:
        super().__init__(view)
        self.history = history
        self._page: dict[UUID, list[Any]] = {}

    @classmethod
    def of(cls, application: Application[UUID], view: EvaluationView) -> Self:
        """The projection of ``application``'s log, reading a case's history
        from it when its survivor consents."""
        return cls(
            view,
            lambda case_id, version: application.events.get(case_id, lte=version - 1),
        )

    def process_batch(
        self, domain_events: Iterable[Any], tracking: Tracking, *, after: int
    ) -> None:
        # A case's events in this page, so a consent given soon after opening
        # (the usual case) finds its history here rather than in the store.
        self._page = {}
        try:
            super().process_batch(
                (self._seen(event) for event in domain_events), tracking, after=after
            )
        finally:
            self._page = {}

    def _seen(self, event: Any) -> Any:
        self._page.setdefault(event.originator_id, []).append(event)
        return event

    def _history(self, case_id: UUID, version: int) -> Iterable[Any]:
        seen = self._page.get(case_id, [])
        if seen and seen[0].originator_version == 1:
            return [e for e in seen if e.originator_version < version]
        return self.history(case_id, version)

    def changes(self, domain_event: Any) -> Sequence[Change]:
        if isinstance(domain_event, events.ConsentGiven):
            if domain_event.purpose != ConsentPurpose.EVALUATION:
                return ()
            case_id = domain_event.originator_id
            earlier = self._history(case_id, domain_event.originator_version)
            return [
                Consented(case_id),
                *(change for e in earlier for change in self.facts(e)),
            ]
        if isinstance(domain_event, CaseErased):
            # The figures stay; nothing in the view leads back to the case.
            return [Anonymised(domain_event.originator_id, uuid4())]
        if isinstance(domain_event, events.ConsentWithdrawn):
            if domain_event.purpose != ConsentPurpose.EVALUATION:
                return ()
            return [ConsentEnded(domain_event.originator_id)]
        return self.facts(domain_event)

    @singledispatchmethod
    def facts(self, domain_event: Any) -> Sequence[Change]:
        return ()  # advocates, evidence, disputes, other consents: not evaluated

    @facts.register
    def _(self, e: events.CaseOpened) -> Sequence[Change]:
        # The day advocacy began, not the day the opening was recorded.
        opened = e.opened_on
        day = opened.toordinal()
        return [
            Opened(e.originator_id, day, months_after(opened, 6).toordinal()),
            SpellBegun(e.originator_id, e.originator_version, day),
            Placed(
                e.originator_id,
                OPENED,
                day,
                e.originator_version,
                e.organisation_id,
                e.jurisdiction,
                e.local_authority,
            ),
        ]

    @facts.register
    def _(self, e: events.DateOfBirthRecorded) -> Sequence[Change]:
        return [Born(e.originator_id, _day(e.born["earliest"]), _day(e.born["latest"]))]

    @facts.register
    def _(self, e: events.CaseClosed) -> Sequence[Change]:
        return [SpellEnded(e.originator_id, uk_day(e.timestamp).toordinal())]

    @facts.register
    def _(self, e: events.CaseReopened) -> Sequence[Change]:
        return [
            SpellBegun(
                e.originator_id, e.originator_version, uk_day(e.timestamp).toordinal()
            )
        ]

    @facts.register
    def _(self, e: events.CaseTransferred) -> Sequence[Change]:
        return [
            Placed(
                e.originator_id,
                f"transfer:{e.originator_version}",
                uk_day(e.timestamp).toordinal(),
                e.originator_version,
                e.to_organisation_id,
                None,
                None,
            )
        ]

    @facts.register
    def _(self, e: events.StepRecorded) -> Sequence[Change]:
        return self._step(e)

    @facts.register
    def _(self, e: events.StepCorrected) -> Sequence[Change]:
        cleared: list[Change] = [StepCleared(e.originator_id, e.step_id)]
        if self._standing(e.originator_id, e.originator_version, e.step_id)[1]:
            return cleared  # marked sensitive: its new reading is not evaluated
        return [*cleared, *self._step(e)]

    @facts.register
    def _(self, e: events.StepSensitivityMarked) -> Sequence[Change]:
        cleared: list[Change] = [StepCleared(e.originator_id, e.step_id)]
        if e.sensitive:
            return cleared
        current, _ = self._standing(e.originator_id, e.originator_version, e.step_id)
        return [*cleared, *self._step(current)] if current is not None else cleared

    def _standing(
        self, case_id: UUID, version: int, step_id: UUID
    ) -> tuple[events.StepRecorded | events.StepCorrected | None, bool]:
        """The step's current reading before ``version`` (None if retracted),
        and whether it is marked sensitive then. Read from the case's history:
        corrections and markings are rare, so the view keeps no step state."""
        current: events.StepRecorded | events.StepCorrected | None = None
        marked = False
        for earlier in self._history(case_id, version):
            if getattr(earlier, "step_id", None) != step_id:
                continue
            if isinstance(earlier, events.StepRecorded | events.StepCorrected):
                current = earlier
            elif isinstance(earlier, events.StepRetracted):
                current = None
            elif isinstance(earlier, events.StepSensitivityMarked):
                marked = earlier.sensitive
        return current, marked

    @facts.register
    def _(self, e: events.StepRetracted) -> Sequence[Change]:
        return [StepCleared(e.originator_id, e.step_id)]

    @staticmethod
    def _step(e: events.StepRecorded | events.StepCorrected) -> list[Change]:
        found: list[Change] = [
            FactNoted(
                e.originator_id,
                e.step_id,
                f.fact,
                f.on,
                f.amount,
                f.flag,
                f.prosecution,
                f.defendant,
            )
            for f in facts_of(e.reading)
        ]
        if e.reading["kind"] == MOVED_AREA:
            step = StepReading.from_record(e.reading)
            occurred = step.occurred
            on = (occurred.earliest or occurred.latest) if occurred else None
            jurisdiction = step.details.get("jurisdiction")
            found.append(
                Placed(
                    e.originator_id,
                    str(e.step_id),
                    (on or uk_day(e.timestamp)).toordinal(),
                    e.originator_version,
                    None,
                    str(jurisdiction) if jurisdiction else None,
                    str(step.details["local_authority"]),
                )
            )
        return found
