"""The audit trail: who looked at a case (for its organisation's managers), or
everything one person looked at (for administrators). Read-only: no interface
alters or removes a record."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import strawberry

from api.graphql.access import Gate
from api.graphql.context import Information
from api.graphql.results import (
    InvalidArgument,
    NotFound,
    NotPermitted,
    NotPermittedError,
    ValidationFailed,
    failure_for,
)
from api.policy import Action
from domain.errors import CommandRefused
from projections.audit import AuditRecord, Operation
from projections.audit.store import MAX_TRAIL

strawberry.enum(
    Operation,
    name="AuditedOperation",
    description="What was done: a read (of a case, list, chronology, deadlines, "
    "evidence pack, caseload, evaluation table, cohort, export, shares or audit "
    "trail), or a share, revocation or erasure.",
)


@strawberry.type(description="One audited operation; ids only, never content.")
class AuditEntry:
    at: datetime = strawberry.field(description="When.")
    subject: str = strawberry.field(description="Who: the token's subject.")
    role: str = strawberry.field(description="In which role.")
    organisation_id: str | None = strawberry.field(
        description="For which organisation, as their token says."
    )
    operation: Operation = strawberry.field(description="What they did.")
    purpose: str | None = strawberry.field(
        description="For which purpose (a chronology's or share's purpose, an "
        "evaluation period, a caseload's part)."
    )
    case_ids: list[UUID] = strawberry.field(
        description="The cases it returned or concerned (in a case's trail, that "
        "case alone)."
    )
    item_ids: list[str] = strawberry.field(
        description="What it returned within them: step ids of a chronology, "
        "share ids, metrics, pseudonyms."
    )

    @classmethod
    def of(cls, record: AuditRecord, case_id: UUID | None = None) -> AuditEntry:
        # A case's trail names that case alone: a record listing several cases
        # must not tell one organisation's managers of another's.
        alone = case_id is None or record.case_ids == (case_id,)
        return cls(
            at=record.at,
            subject=record.subject,
            role=record.role,
            organisation_id=record.organisation_id,
            operation=record.operation,
            purpose=record.purpose,
            case_ids=list(record.case_ids) if case_id is None else [case_id],
            item_ids=list(record.item_ids) if alone else [],
        )


@strawberry.type(description="Audited operations, oldest first.")
class AuditTrail:
    case_id: UUID | None = strawberry.field(description="The case, if asked by case.")
    subject: str | None = strawberry.field(
        description="The person, if asked by subject."
    )
    entries: list[AuditEntry] = strawberry.field(
        description=f"The operations, oldest first: the latest {MAX_TRAIL} at most."
    )


AuditTrailResult = Annotated[
    AuditTrail | ValidationFailed | NotFound | NotPermitted,
    strawberry.union(
        "AuditTrailResult", description="An audit trail, or why it cannot be shown."
    ),
]


def _read_trail(gate: Gate, case_id: UUID | None, subject: str | None) -> AuditTrail:
    if (case_id is None) == (subject is None):
        raise InvalidArgument("caseId", "give a caseId or a subject, not both")
    if case_id is not None:
        gate.case(case_id, Action.READ_CASE_AUDIT)
        records = gate.audit.for_case(case_id)
        gate.record(Operation.AUDIT_TRAIL, case_ids=[case_id])
        entries = [AuditEntry.of(record, case_id) for record in records]
        return AuditTrail(case_id=case_id, subject=None, entries=entries)
    assert subject is not None
    gate.require(Action.READ_SUBJECT_AUDIT)
    if len(subject) > 200:
        raise InvalidArgument("subject", "at most 200 characters")
    records = gate.audit.for_subject(subject)
    gate.record(Operation.AUDIT_TRAIL, item_ids=[f"subject:{subject}"])
    return AuditTrail(
        case_id=None, subject=subject, entries=[AuditEntry.of(r) for r in records]
    )


async def resolve_audit_trail(
    info: Information,
    case_id: Annotated[
        UUID | None,
        strawberry.argument(
            description="A case's trail: who looked at it, for the managers of "
            "the organisation holding it."
        ),
    ] = None,
    subject: Annotated[
        str | None,
        strawberry.argument(
            description="A person's trail: everything they looked at, for "
            "administrators."
        ),
    ] = None,
) -> AuditTrailResult:
    context = info.context
    try:
        return await context.in_thread(_read_trail, context.gate, case_id, subject)
    except (CommandRefused, NotPermittedError, InvalidArgument) as error:
        return failure_for(error)  # type: ignore[return-value]
