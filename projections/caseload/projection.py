"""The caseload projection's event handlers: what each case event changes.

Handlers read only the event (never the application, nor today); the view keeps
whatever else a change needs (a contact's first recording, a move's place in the
log, the steps the legal clocks are judged from), so a page of events can be
written in one transaction, and one event at a time gives the same rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from eventsourcing.dispatch import singledispatchmethod

from domain import case as events
from domain.dates import uk_day
from domain.erasure import CaseErased
from domain.steps import StepReading
from projections.caseload.clocks import born_of, fact_of
from projections.caseload.view import (
    AdvocateChanged,
    AreaForgotten,
    AreaNoted,
    BornNoted,
    CaseAdded,
    CaseForgotten,
    CaseloadView,
    Change,
    ContactForgotten,
    ContactNoted,
    MarkedClosed,
    MarkedReopened,
    OrganisationChanged,
    StepForgotten,
    StepNoted,
)
from projections.tracking import BatchProjection

CONTACT = "engagement.contact"
MOVED_AREA = "transition.moved_area"


def _occurred(reading: Mapping[str, Any]) -> Mapping[str, Any] | None:
    occurred = reading.get("occurred")
    return occurred if isinstance(occurred, Mapping) else None


class CaseloadProjection(BatchProjection[CaseloadView]):
    name = "caseload"
    #: Every topic: a view that has processed position N reflects every event up
    #: to N, so read-your-writes works whatever the last write was.
    topics: tuple[str, ...] = ()

    def changes(self, domain_event: Any) -> Sequence[Change]:
        return [*self.case_changes(domain_event), *self.clock_changes(domain_event)]

    @singledispatchmethod
    def clock_changes(self, domain_event: Any) -> Sequence[Change]:
        """What the legal clocks and the warnings need of the event: each step's
        kind and (for the kinds the clocks read) reading, and the date of birth.
        The view judges the case's clocks again from them (``view.CLOCKING``);
        the jurisdiction history is the opening's and the moves' steps."""
        return ()

    @clock_changes.register
    def _(self, e: events.StepRecorded) -> Sequence[Change]:
        return [self._step(e)]

    @clock_changes.register
    def _(self, e: events.StepCorrected) -> Sequence[Change]:
        return [self._step(e)]

    @clock_changes.register
    def _(self, e: events.StepRetracted) -> Sequence[Change]:
        return [StepForgotten(e.originator_id, e.step_id)]

    @clock_changes.register
    def _(self, e: events.DateOfBirthRecorded) -> Sequence[Change]:
        return [BornNoted(e.originator_id, born_of(e.born))]

    @staticmethod
    def _step(e: events.StepRecorded | events.StepCorrected) -> StepNoted:
        return StepNoted(
            case_id=e.originator_id,
            step_id=e.step_id,
            kind=str(e.reading["kind"]),
            sequence=e.originator_version,
            fact=fact_of(e.reading),
        )

    @singledispatchmethod
    def case_changes(self, domain_event: Any) -> Sequence[Change]:
        return ()  # consent, evidence, date of birth, disputes: not on a caseload

    @case_changes.register
    def _(self, e: events.CaseOpened) -> Sequence[Change]:
        return [
            CaseAdded(
                case_id=e.originator_id,
                reference=e.reference,
                organisation_id=e.organisation_id,
                jurisdiction=e.jurisdiction,
                local_authority=e.local_authority,
                opened_at=e.timestamp,
                # The day advocacy began, which may be before it was entered.
                opened_on=e.opened_on,
            )
        ]

    @case_changes.register
    def _(self, e: CaseErased) -> Sequence[Change]:
        return [CaseForgotten(e.originator_id)]

    @case_changes.register
    def _(self, e: events.AdvocateAssigned) -> Sequence[Change]:
        return [AdvocateChanged(e.originator_id, e.advocate_id, e.timestamp)]

    @case_changes.register
    def _(self, e: events.CaseTransferred) -> Sequence[Change]:
        return [
            OrganisationChanged(
                e.originator_id,
                e.to_organisation_id,
                e.from_organisation_id,
                e.timestamp,
            )
        ]

    @case_changes.register
    def _(self, e: events.CaseClosed) -> Sequence[Change]:
        return [MarkedClosed(e.originator_id, e.timestamp)]

    @case_changes.register
    def _(self, e: events.CaseReopened) -> Sequence[Change]:
        return [MarkedReopened(e.originator_id, uk_day(e.timestamp))]

    @case_changes.register
    def _(self, e: events.StepRecorded) -> Sequence[Change]:
        kind = e.reading["kind"]
        if kind == CONTACT:
            return [self._contact(e, e.reading)]
        if kind == MOVED_AREA:
            return [self._move(e, e.reading)]
        return ()

    @case_changes.register
    def _(self, e: events.StepCorrected) -> Sequence[Change]:
        # The corrected reading replaces the step's: it may have become, or
        # ceased to be, a contact or a move.
        kind = e.reading["kind"]
        return [
            self._contact(e, e.reading)
            if kind == CONTACT
            else ContactForgotten(e.originator_id, e.step_id),
            self._move(e, e.reading)
            if kind == MOVED_AREA
            else AreaForgotten(e.originator_id, e.step_id),
        ]

    @case_changes.register
    def _(self, e: events.StepRetracted) -> Sequence[Change]:
        return [
            ContactForgotten(e.originator_id, e.step_id),
            AreaForgotten(e.originator_id, e.step_id),
        ]

    # Readings

    @staticmethod
    def _contact(
        e: events.StepRecorded | events.StepCorrected, reading: Mapping[str, Any]
    ) -> ContactNoted:
        occurred = _occurred(reading)
        return ContactNoted(
            case_id=e.originator_id,
            step_id=e.step_id,
            on=occurred["earliest"] if occurred else None,
            recorded_at=e.timestamp,
        )

    @staticmethod
    def _move(
        e: events.StepRecorded | events.StepCorrected, reading: Mapping[str, Any]
    ) -> AreaNoted:
        # Read as the vocabulary reads it now: older payloads are upgraded.
        step = StepReading.from_record(reading)
        occurred = step.occurred
        on = ((occurred.earliest or occurred.latest) if occurred else None) or uk_day(
            e.timestamp
        )
        jurisdiction = step.details.get("jurisdiction")
        return AreaNoted(
            case_id=e.originator_id,
            step_id=e.step_id,
            on=on,
            order=step.order or 0,
            version=e.originator_version,
            local_authority=str(step.details["local_authority"]),
            jurisdiction=str(jurisdiction) if jurisdiction else None,
        )
