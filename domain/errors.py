"""Why a command was refused. Every refusal names its rule; none records anything."""

from __future__ import annotations

from uuid import UUID


class CommandRefused(Exception):
    """Base for every refusal: the command broke a rule and nothing was recorded."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidField(CommandRefused):
    """A value in the command is malformed; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}", field=field)


class CaseNotFound(CommandRefused):
    def __init__(self, case_id: UUID) -> None:
        super().__init__(f"no case {case_id}", field="caseId")
        self.case_id = case_id


class StepNotFound(CommandRefused):
    def __init__(self, step_id: UUID) -> None:
        super().__init__(f"no step {step_id} on this case", field="stepId")
        self.step_id = step_id


class StepIsRetracted(CommandRefused):
    def __init__(self, step_id: UUID) -> None:
        super().__init__(
            f"step {step_id} was retracted; record a new step instead",
            field="stepId",
        )


class CaseIsClosed(CommandRefused):
    def __init__(self) -> None:
        super().__init__("the case is closed; reopen it before recording anything")


class CaseIsOpen(CommandRefused):
    def __init__(self) -> None:
        super().__init__("the case is open; only a closed case can be reopened")


class NothingToChange(CommandRefused):
    """The command would record nothing new (same advocate, consent already given)."""


class VersionConflict(CommandRefused):
    """The case moved on since the version the client read."""

    def __init__(self, expected: int, actual: int) -> None:
        super().__init__(
            f"expected the case at version {expected} but it is at {actual}; "
            "read it again and retry",
            field="expectedVersion",
        )
        self.expected = expected
        self.actual = actual


class IdempotencyKeyReused(CommandRefused):
    def __init__(self, key: str) -> None:
        super().__init__(
            f"idempotency key {key!r} was already used for a different command",
            field="idempotencyKey",
        )


class ShareNotFound(CommandRefused):
    def __init__(self, share_id: UUID) -> None:
        super().__init__(f"no share {share_id} on this case", field="shareId")
        self.share_id = share_id


class ConsentRequired(CommandRefused):
    """The command needs a consent the survivor has not given (or withdrew)."""

    def __init__(self, purpose: str) -> None:
        super().__init__(f"the survivor's consent to {purpose} is not on record")
        self.purpose = purpose
