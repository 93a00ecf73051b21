"""What commands answer: a success type per mutation, or a typed failure.

Expected failures are results, never GraphQL errors. Every mutation's result is
its own success type or one of the five failures below, all implementing
``Failure``; queries answer with the failures that can befall them. Refusals from
the domain map as follows:

- a malformed or missing value (``InvalidField``) → ``ValidationFailed`` naming
  the input field (dotted for nested values: ``details.outcome``, ``sources[0].pin``);
- a stale ``expectedVersion`` → ``VersionConflict``;
- an unknown case or step, or a case the caller may not see → ``NotFound``;
- a role that may not do this → ``NotPermitted``;
- every other rule (the case is closed, nothing would change, an idempotency key
  reused for another command, ...) → ``Refused`` with a ``reason`` code.
"""

from __future__ import annotations

from enum import Enum
from typing import Self, TypeAlias
from uuid import UUID

import strawberry

from api.policy import NotPermittedError as NotPermittedError
from domain.application import CommandResult, TooManyConcurrentWrites
from domain.errors import (
    CaseIsClosed,
    CaseIsOpen,
    CaseNotFound,
    CommandRefused,
    ConsentRequired,
    IdempotencyKeyReused,
    InvalidField,
    NothingToChange,
    ShareNotFound,
    StepIsRetracted,
    StepNotFound,
)
from domain.errors import VersionConflict as VersionClash


class NotFoundError(Exception):
    """Nothing the caller may see answers the query (answered as ``NotFound``)."""


class InvalidArgument(Exception):
    """A query argument is unusable (answered as ``ValidationFailed``)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@strawberry.interface(description="Why an operation was not carried out.")
class Failure:
    message: str = strawberry.field(description="What went wrong, for a person.")


@strawberry.type(description="A value in the input is missing or malformed.")
class ValidationFailed(Failure):
    field: str = strawberry.field(
        description=(
            "The input field at fault, as named in the input; nested values are "
            "dotted (`details.outcome`, `sources[0].document`)."
        )
    )


@strawberry.type(
    description="The case moved on since the version the client read; nothing was "
    "recorded. Read the case again and retry."
)
class VersionConflict(Failure):
    expected_version: int = strawberry.field(
        description="The version the client expected."
    )
    actual_version: int = strawberry.field(description="The case's version now.")


@strawberry.type(
    description="No such case or step, or none the caller may see (the two are "
    "indistinguishable on purpose)."
)
class NotFound(Failure):
    pass


@strawberry.type(description="The caller's role may not do this.")
class NotPermitted(Failure):
    pass


@strawberry.enum(description="Why a well-formed command broke a rule of the case.")
class RefusalReason(Enum):
    CASE_IS_CLOSED = strawberry.enum_value(
        "case_is_closed", description="The case is closed; reopen it first."
    )
    CASE_IS_OPEN = strawberry.enum_value(
        "case_is_open", description="Only a closed case can be reopened."
    )
    STEP_IS_RETRACTED = strawberry.enum_value(
        "step_is_retracted",
        description="The step was retracted; record a new step instead.",
    )
    NOTHING_TO_CHANGE = strawberry.enum_value(
        "nothing_to_change", description="The command would record nothing new."
    )
    IDEMPOTENCY_KEY_REUSED = strawberry.enum_value(
        "idempotency_key_reused",
        description="The idempotency key was used for a different command.",
    )
    CONSENT_REQUIRED = strawberry.enum_value(
        "consent_required",
        description="The survivor's consent the command needs is not on record "
        "(sharing with counsel needs consent to sharing with counsel).",
    )
    TOO_MANY_CONCURRENT_WRITES = strawberry.enum_value(
        "too_many_concurrent_writes",
        description="The case kept changing under the command; retry it.",
    )
    OTHER = strawberry.enum_value("other", description="Another rule of the case.")


@strawberry.type(
    description="The command broke a rule of the case; nothing was recorded."
)
class Refused(Failure):
    reason: RefusalReason = strawberry.field(description="Which rule.")


_REASONS: tuple[tuple[type[CommandRefused], RefusalReason], ...] = (
    (CaseIsClosed, RefusalReason.CASE_IS_CLOSED),
    (CaseIsOpen, RefusalReason.CASE_IS_OPEN),
    (StepIsRetracted, RefusalReason.STEP_IS_RETRACTED),
    (NothingToChange, RefusalReason.NOTHING_TO_CHANGE),
    (IdempotencyKeyReused, RefusalReason.IDEMPOTENCY_KEY_REUSED),
    (ConsentRequired, RefusalReason.CONSENT_REQUIRED),
    (TooManyConcurrentWrites, RefusalReason.TOO_MANY_CONCURRENT_WRITES),
)

AnyFailure: TypeAlias = (
    ValidationFailed | VersionConflict | NotFound | NotPermitted | Refused
)


def failure_for(error: Exception) -> AnyFailure:
    """The typed result for an expected failure; anything else is re-raised."""
    if isinstance(error, NotPermittedError):
        return NotPermitted(message=str(error))
    if isinstance(error, NotFoundError):
        return NotFound(message=str(error))
    if isinstance(error, InvalidArgument):
        return ValidationFailed(message=error.message, field=error.field)
    if not isinstance(error, CommandRefused):
        raise error
    if isinstance(error, VersionClash):
        return VersionConflict(
            message=error.message,
            expected_version=error.expected,
            actual_version=error.actual,
        )
    if isinstance(error, CaseNotFound | StepNotFound | ShareNotFound):
        return NotFound(message=error.message)
    if isinstance(error, InvalidField):
        return ValidationFailed(message=error.message, field=error.field or "input")
    for refusal, reason in _REASONS:
        if isinstance(error, refusal):
            return Refused(message=error.message, reason=reason)
    if error.field:  # a bare refusal naming a field is a malformed value
        return ValidationFailed(message=error.message, field=error.field)
    return Refused(message=error.message, reason=RefusalReason.OTHER)


# Successes


@strawberry.interface(
    description="A command that was carried out (or answered again, for a retry)."
)
class CommandSucceeded:
    case_id: UUID = strawberry.field(description="The case the command concerned.")
    case_version: int = strawberry.field(
        description="The case's version after the command; send it as "
        "`expectedVersion` to guard the next one."
    )
    position: int = strawberry.field(
        description="A log position at which the change is visible, for "
        "read-your-writes."
    )
    replayed: bool = strawberry.field(
        description="True when an idempotent retry was answered with the first "
        "result and nothing new was recorded."
    )

    @classmethod
    def from_result(cls, result: CommandResult) -> Self:
        return cls(
            case_id=result.case_id,
            case_version=result.version,
            position=result.position,
            replayed=result.replayed,
        )


@strawberry.interface(description="A command concerning one step of the case.")
class StepCommandSucceeded(CommandSucceeded):
    step_id: UUID = strawberry.field(description="The step made or concerned.")

    @classmethod
    def from_result(cls, result: CommandResult) -> Self:
        return cls(
            case_id=result.case_id,
            step_id=result.id,
            case_version=result.version,
            position=result.position,
            replayed=result.replayed,
        )


@strawberry.type(description="A case was opened.")
class CaseOpened(CommandSucceeded):
    pass


@strawberry.type(description="A step was recorded.")
class StepRecorded(StepCommandSucceeded):
    pass


@strawberry.type(description="A step was corrected; its earlier versions remain.")
class StepCorrected(StepCommandSucceeded):
    pass


@strawberry.type(description="A step was retracted; it stays on record as such.")
class StepRetracted(StepCommandSucceeded):
    pass


@strawberry.type(description="Another version of a step was recorded beside it.")
class StepDisputed(StepCommandSucceeded):
    pass


@strawberry.type(description="An evidence document was attached to the case.")
class EvidenceAttached(CommandSucceeded):
    document_id: UUID = strawberry.field(
        description="The document's id; name it as a step source's `document`."
    )

    @classmethod
    def from_result(cls, result: CommandResult) -> Self:
        return cls(
            case_id=result.case_id,
            document_id=result.id,
            case_version=result.version,
            position=result.position,
            replayed=result.replayed,
        )


@strawberry.type(description="The survivor's date of birth was recorded.")
class DateOfBirthRecorded(CommandSucceeded):
    pass


@strawberry.type(description="The survivor's consent for a purpose was recorded.")
class ConsentGiven(CommandSucceeded):
    pass


@strawberry.type(description="The survivor's consent for a purpose was withdrawn.")
class ConsentWithdrawn(CommandSucceeded):
    pass


@strawberry.type(description="An advocate was assigned (or the case handed over).")
class AdvocateAssigned(CommandSucceeded):
    pass


@strawberry.type(description="The case was transferred to another organisation.")
class CaseTransferred(CommandSucceeded):
    pass


@strawberry.type(description="The case was closed.")
class CaseClosed(CommandSucceeded):
    pass


@strawberry.type(description="The case was reopened.")
class CaseReopened(CommandSucceeded):
    pass


@strawberry.type(description="A step was marked sensitive, or not sensitive.")
class StepSensitivityMarked(StepCommandSucceeded):
    pass


@strawberry.interface(description="A command concerning one share with counsel.")
class ShareCommandSucceeded(CommandSucceeded):
    share_id: UUID = strawberry.field(description="The share made or concerned.")

    @classmethod
    def from_result(cls, result: CommandResult) -> Self:
        return cls(
            case_id=result.case_id,
            share_id=result.id,
            case_version=result.version,
            position=result.position,
            replayed=result.replayed,
        )


@strawberry.type(description="The case was shared with counsel.")
class CounselShared(ShareCommandSucceeded):
    pass


@strawberry.type(description="A share with counsel was revoked.")
class ShareRevoked(ShareCommandSucceeded):
    pass


@strawberry.type(
    description="The case was erased: its keys are destroyed, none of its events "
    "can be read again, and the erasure itself is on record."
)
class CaseErased(CommandSucceeded):
    pass
