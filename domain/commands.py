"""Commands on a survivor case: what a caller asks for, before any rule is checked.

Each command is an immutable dataclass that knows how to apply itself to a loaded
case. Its fields are its whole input, so they also fingerprint it: a retry with the
same idempotency key must carry the same fields.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from domain.case import Provenance, SurvivorCase
from domain.errors import InvalidField
from domain.steps import StepReading, parse_occurred, parse_sources, past_day


@dataclass(frozen=True)
class StepInput:
    """A step as a client states it, before validation."""

    kind: str
    occurred: str | None
    summary: str
    details: Mapping[str, Any] | None = None
    sources: Sequence[Mapping[str, Any]] | None = None
    order: int | None = None

    def reading(self, today: date) -> StepReading:
        return StepReading.from_input(
            kind=self.kind,
            occurred=self.occurred,
            summary=self.summary,
            details=self.details,
            sources=self.sources,
            order=self.order,
            today=today,
        )


@dataclass(frozen=True)
class CaseCommand:
    case_id: UUID

    def apply(self, case: SurvivorCase, by: Provenance, today: date) -> UUID:
        """Checks the rules, changes the case, returns the id it made or concerned."""
        raise NotImplementedError


@dataclass(frozen=True)
class RecordDateOfBirth(CaseCommand):
    #: EDTF, as exactly as it is known (``2003``, ``2003-04~``).
    born: str

    def apply(self, case: SurvivorCase, by: Provenance, today: date) -> UUID:
        born = parse_occurred(self.born, today, "born")
        if born is None:
            raise InvalidField("born", "give the date of birth, as exactly as known")
        case.record_date_of_birth(born, by)
        return case.id


@dataclass(frozen=True)
class RecordStep(CaseCommand):
    step: StepInput

    def apply(self, case: SurvivorCase, by: Provenance, today: date) -> UUID:
        return case.record_step(self.step.reading(today), by)


@dataclass(frozen=True)
class CorrectStep(CaseCommand):
    step_id: UUID
    step: StepInput
    reason: str

    def apply(self, case: SurvivorCase, by: Provenance, today: date) -> UUID:
        case.correct_step(self.step_id, self.step.reading(today), self.reason, by)
        return self.step_id


@dataclass(frozen=True)
class RetractStep(CaseCommand):
    step_id: UUID
    reason: str

    def apply(self, case: SurvivorCase, by: Provenance, today: date) -> UUID:
        case.retract_step(self.step_id, self.reason, by)
        return self.step_id


@dataclass(frozen=True)
class DisputeStep(CaseCommand):
    step_id: UUID
    disputed_by: str
    other_version: str
    other_occurred: str | None = None
    sources: Sequence[Mapping[str, Any]] | None = None

    def apply(self, case: SurvivorCase, by: Provenance, today: date) -> UUID:
        occurred = parse_occurred(self.other_occurred, today, "otherOccurred")
        case.dispute_step(
            self.step_id,
            disputed_by=self.disputed_by,
            other_version=self.other_version,
            other_occurred=occurred.as_record() if occurred else None,
            sources=parse_sources(self.sources, "sources"),
            by=by,
        )
        return self.step_id


@dataclass(frozen=True)
class AttachEvidence(CaseCommand):
    title: str
    document_kind: str
    bundle_ref: str | None = None
    sha256: str | None = None

    def apply(self, case: SurvivorCase, by: Provenance, today: date) -> UUID:
        return case.attach_evidence(
            title=self.title,
            document_kind=self.document_kind,
            bundle_ref=self.bundle_ref,
            sha256=self.sha256,
            by=by,
        )


@dataclass(frozen=True)
class GiveConsent(CaseCommand):
    purpose: str
    note: str | None = None
    #: The day the survivor gave it (today when not given).
    given_on: date | None = None

    def apply(self, case: SurvivorCase, by: Provenance, today: date) -> UUID:
        given_on = past_day(self.given_on, today, "givenOn")
        case.give_consent(self.purpose, self.note, given_on, by)
        return case.id


@dataclass(frozen=True)
class WithdrawConsent(CaseCommand):
    purpose: str
    note: str | None = None
    #: The day the survivor withdrew it (today when not given).
    withdrawn_on: date | None = None

    def apply(self, case: SurvivorCase, by: Provenance, today: date) -> UUID:
        withdrawn_on = past_day(self.withdrawn_on, today, "withdrawnOn")
        case.withdraw_consent(self.purpose, self.note, withdrawn_on, by)
        return case.id


@dataclass(frozen=True)
class AssignAdvocate(CaseCommand):
    advocate_id: str
    note: str | None = None

    def apply(self, case: SurvivorCase, by: Provenance, today: date) -> UUID:
        case.assign_advocate(self.advocate_id, self.note, by)
        return case.id


@dataclass(frozen=True)
class TransferCase(CaseCommand):
    to_organisation_id: str
    reason: str

    def apply(self, case: SurvivorCase, by: Provenance, today: date) -> UUID:
        case.transfer(self.to_organisation_id, self.reason, by)
        return case.id


@dataclass(frozen=True)
class CloseCase(CaseCommand):
    reason: str

    def apply(self, case: SurvivorCase, by: Provenance, today: date) -> UUID:
        case.close(self.reason, by)
        return case.id


@dataclass(frozen=True)
class ReopenCase(CaseCommand):
    reason: str

    def apply(self, case: SurvivorCase, by: Provenance, today: date) -> UUID:
        case.reopen(self.reason, by)
        return case.id


@dataclass(frozen=True)
class AssembleBundle(CaseCommand):
    """A new court bundle, or (with ``bundle_id``) its next version."""

    name: str
    purpose: str
    #: ``[{letter, title, documents: [{document_id, pages}]}]``, sections A, B, ...
    sections: Sequence[Mapping[str, Any]]
    bundle_id: UUID | None = None

    def apply(self, case: SurvivorCase, by: Provenance, today: date) -> UUID:
        return case.assemble_bundle(
            self.bundle_id,
            name=self.name,
            purpose=self.purpose,
            sections=self.sections,
            by=by,
        )


@dataclass(frozen=True)
class MarkStepSensitivity(CaseCommand):
    step_id: UUID
    sensitive: bool
    reason: str

    def apply(self, case: SurvivorCase, by: Provenance, today: date) -> UUID:
        case.mark_step_sensitivity(self.step_id, self.sensitive, self.reason, by)
        return self.step_id


@dataclass(frozen=True)
class ShareWithCounsel(CaseCommand):
    #: The barrister's subject (a person, not an organisation).
    counsel: str
    #: A ``SharePurpose`` value.
    purpose: str
    #: The last day the share is live.
    expires_on: date
    include_sensitive: bool = False

    def apply(self, case: SurvivorCase, by: Provenance, today: date) -> UUID:
        return case.share_with_counsel(
            counsel=self.counsel,
            purpose=self.purpose,
            expires_on=self.expires_on,
            include_sensitive=self.include_sensitive,
            today=today,
            by=by,
        )


@dataclass(frozen=True)
class ServeChronology(CaseCommand):
    """Records that the case's chronology for ``purpose``, as it stands, was
    served on ``served_to`` on ``served_on`` (its references following the
    bundle version named, the newest if none)."""

    purpose: str
    served_on: date
    served_to: str
    bundle_id: UUID | None = None
    bundle_version: int | None = None

    def apply(self, case: SurvivorCase, by: Provenance, today: date) -> UUID:
        if self.served_on > today:
            raise InvalidField(
                "servedOn", "a chronology cannot be served in the future"
            )
        return case.serve_chronology(
            purpose=self.purpose,
            bundle_id=self.bundle_id,
            bundle_version=self.bundle_version,
            served_on=self.served_on,
            served_to=self.served_to,
            by=by,
        )


@dataclass(frozen=True)
class RevokeShare(CaseCommand):
    share_id: UUID
    reason: str

    def apply(self, case: SurvivorCase, by: Provenance, today: date) -> UUID:
        case.revoke_share(self.share_id, self.reason, today, by)
        return self.share_id
