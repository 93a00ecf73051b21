"""What clients send to change a case. Every command input may carry an
``idempotencyKey`` (a retry returns the first result, recording nothing new) and,
for an existing case, an ``expectedVersion`` (a stale one is a ``VersionConflict``).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import strawberry
from strawberry.scalars import JSON

from api.graphql.enums import ConsentPurpose, ErasureGround, Jurisdiction
from domain.commands import (
    AssignAdvocate,
    AttachEvidence,
    CaseCommand,
    CloseCase,
    CorrectStep,
    DisputeStep,
    GiveConsent,
    RecordDateOfBirth,
    RecordStep,
    ReopenCase,
    RetractStep,
    StepInput,
    TransferCase,
    WithdrawConsent,
)
from domain.errors import InvalidField

IDEMPOTENCY_KEY = (
    "Makes a retry harmless: a command repeated with the same key returns the "
    "first result (`replayed: true`) and records nothing new. At most 200 "
    "characters; a key reused for a different command is refused."
)
EXPECTED_VERSION = (
    "The case version the client last read; if the case has moved on, nothing is "
    "recorded and the answer is a `VersionConflict`."
)
CASE_ID = "The case."
STEP_ID = "The step, as returned by `recordStep` or listed on the chronology."
REASON = "Why, in neutral words; kept on the record."


@strawberry.input(description="A source for a fact: a document and a pin cite in it.")
class SourceInput:
    document: str = strawberry.field(
        description="The document: an attached document's id (then the chronology "
        "shows its title and bundle reference) or its name."
    )
    pin: str | None = strawberry.field(
        default=None, description="Where in the document: a page or paragraph."
    )


def source_records(sources: list[SourceInput] | None) -> list[dict[str, Any]] | None:
    if sources is None:
        return None
    return [{"document": s.document, "pin": s.pin} for s in sources]


@strawberry.input(description="Open a case for a survivor.")
class OpenCaseInput:
    reference: str = strawberry.field(
        description="The organisation's pseudonymous reference for the survivor."
    )
    jurisdiction: Jurisdiction = strawberry.field(
        description="Whose law governs the survivor's case."
    )
    local_authority: str | None = strawberry.field(
        default=None, description="The local authority the survivor lives in."
    )
    organisation_id: str | None = strawberry.field(
        default=None,
        description="The organisation holding the case; defaults to the caller's. "
        "Only an administrator may name another.",
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description=IDEMPOTENCY_KEY
    )


@strawberry.input(
    description="What every command on an existing case carries besides its own fields."
)
class CaseCommandInput:
    case_id: UUID = strawberry.field(description=CASE_ID)
    idempotency_key: str | None = strawberry.field(
        default=None, description=IDEMPOTENCY_KEY
    )
    expected_version: int | None = strawberry.field(
        default=None, description=EXPECTED_VERSION
    )

    def command(self) -> CaseCommand:
        raise NotImplementedError


@strawberry.input(description="Record the survivor's date of birth.")
class RecordDateOfBirthInput(CaseCommandInput):
    born: str = strawberry.field(
        description="In EDTF, as exactly as it is known: `2003-04-17`, `2003`, "
        "`2003~`; never in the future."
    )

    def command(self) -> CaseCommand:
        return RecordDateOfBirth(self.case_id, self.born)


@strawberry.input(description="A step as the client states it.")
class StepFieldsInput(CaseCommandInput):
    kind: str = strawberry.field(
        description="The step's kind from the vocabulary (`stepKinds`), e.g. "
        "`nrm.reasonable_grounds_decision`."
    )
    occurred: str | None = strawberry.field(
        default=None,
        description="When it happened, in EDTF: `2019-06-14`, `2019-06`, `2019-06~` "
        "(approximately), `2019-06?` (uncertain), `2018-03/2018-05` (between), "
        "`../2016` (on or before). Null or empty for an undated step; never wholly "
        "in the future.",
    )
    summary: str = strawberry.field(
        description="What happened, in neutral words (at most 1000 characters)."
    )
    details: JSON | None = strawberry.field(
        default=None,
        description="The kind's payload as a JSON object, with the fields "
        "`stepKinds` lists for the kind (snake_case names; amounts as strings or "
        "numbers). Omit for kinds without details.",
    )
    sources: list[SourceInput] | None = strawberry.field(
        default=None, description="Where the fact comes from."
    )
    order: int | None = strawberry.field(
        default=None,
        description="A stated order among steps on the same date (0 to 10000).",
    )

    def step(self) -> StepInput:
        return StepInput(
            kind=self.kind,
            occurred=self.occurred,
            summary=self.summary,
            details=_details(self.details),
            sources=source_records(self.sources),
            order=self.order,
        )


@strawberry.input(description="Record a step of the survivor's journey.")
class RecordStepInput(StepFieldsInput):
    def command(self) -> CaseCommand:
        return RecordStep(self.case_id, self.step())


@strawberry.input(
    description="Correct a step: a complete new reading replaces the current one; "
    "earlier readings stay in its history."
)
class CorrectStepInput(StepFieldsInput):
    step_id: UUID = strawberry.field(description=STEP_ID)
    reason: str = strawberry.field(description=REASON)

    def command(self) -> CaseCommand:
        return CorrectStep(self.case_id, self.step_id, self.step(), self.reason)


@strawberry.input(description="Retract a step recorded in error; it stays on record.")
class RetractStepInput(CaseCommandInput):
    step_id: UUID = strawberry.field(description=STEP_ID)
    reason: str = strawberry.field(description=REASON)

    def command(self) -> CaseCommand:
        return RetractStep(self.case_id, self.step_id, self.reason)


@strawberry.input(
    description="Record another version of a step; the chronology then shows both."
)
class DisputeStepInput(CaseCommandInput):
    step_id: UUID = strawberry.field(description=STEP_ID)
    disputed_by: str = strawberry.field(
        description="Who gives the other version (a role or party, not a name)."
    )
    other_version: str = strawberry.field(
        description="The other version, stated shortly and neutrally."
    )
    other_occurred: str | None = strawberry.field(
        default=None, description="When it happened in the other version, in EDTF."
    )
    sources: list[SourceInput] | None = strawberry.field(
        default=None, description="Where the other version comes from."
    )

    def command(self) -> CaseCommand:
        return DisputeStep(
            self.case_id,
            self.step_id,
            self.disputed_by,
            self.other_version,
            self.other_occurred,
            source_records(self.sources),
        )


@strawberry.input(description="Attach an evidence document to the case.")
class AttachEvidenceInput(CaseCommandInput):
    title: str = strawberry.field(description="The document's title.")
    document_kind: str = strawberry.field(
        description="What kind of document it is (e.g. `witness_statement`)."
    )
    bundle_ref: str | None = strawberry.field(
        default=None, description="Its place in the bundle, e.g. `B/345`."
    )
    sha256: str | None = strawberry.field(
        default=None, description="The file's SHA-256 digest, 64 hex characters."
    )

    def command(self) -> CaseCommand:
        return AttachEvidence(
            self.case_id, self.title, self.document_kind, self.bundle_ref, self.sha256
        )


@strawberry.input(description="The survivor's consent for a purpose.")
class ConsentInput(CaseCommandInput):
    purpose: ConsentPurpose = strawberry.field(description="What the consent is for.")
    note: str | None = strawberry.field(
        default=None, description="How and when the survivor said so."
    )


@strawberry.input(description="Record the survivor's consent for a purpose.")
class GiveConsentInput(ConsentInput):
    def command(self) -> CaseCommand:
        return GiveConsent(self.case_id, self.purpose.value, self.note)


@strawberry.input(
    description="Record that the survivor withdrew consent for a purpose."
)
class WithdrawConsentInput(ConsentInput):
    def command(self) -> CaseCommand:
        return WithdrawConsent(self.case_id, self.purpose.value, self.note)


@strawberry.input(description="Assign an advocate to the case, or hand it over.")
class AssignAdvocateInput(CaseCommandInput):
    advocate_id: str = strawberry.field(description="The advocate taking the case.")
    note: str | None = strawberry.field(default=None, description="A handover note.")

    def command(self) -> CaseCommand:
        return AssignAdvocate(self.case_id, self.advocate_id, self.note)


@strawberry.input(description="Transfer the case to another organisation.")
class TransferCaseInput(CaseCommandInput):
    to_organisation_id: str = strawberry.field(
        description="The organisation taking the case over."
    )
    reason: str = strawberry.field(description=REASON)

    def command(self) -> CaseCommand:
        return TransferCase(self.case_id, self.to_organisation_id, self.reason)


@strawberry.input(description="Close the case.")
class CloseCaseInput(CaseCommandInput):
    reason: str = strawberry.field(description=REASON)

    def command(self) -> CaseCommand:
        return CloseCase(self.case_id, self.reason)


@strawberry.input(description="Reopen a closed case.")
class ReopenCaseInput(CaseCommandInput):
    reason: str = strawberry.field(description=REASON)

    def command(self) -> CaseCommand:
        return ReopenCase(self.case_id, self.reason)


@strawberry.input(
    description="Erase a case for good: its keys are destroyed and none of its "
    "events can be read again. Managers of the organisation holding it only."
)
class EraseCaseInput:
    case_id: UUID = strawberry.field(description=CASE_ID)
    ground: ErasureGround = strawberry.field(description="Why the case is erased.")
    idempotency_key: str | None = strawberry.field(
        default=None, description=IDEMPOTENCY_KEY
    )


def _details(details: object) -> dict[str, Any] | None:
    if details is None:
        return None
    if not isinstance(details, dict):
        raise InvalidField("details", "a JSON object with the kind's fields")
    return details
