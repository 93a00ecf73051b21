"""Commands: each checks the caller, hands one command to ``CaseJourneys`` in a
worker thread, and answers with its success type or a typed failure."""

from __future__ import annotations

from typing import Annotated, TypeAlias, TypeVar

import strawberry

from api.auth import Principal
from api.graphql.access import require_eraser, require_writer
from api.graphql.context import Information
from api.graphql.inputs import (
    AssignAdvocateInput,
    AttachEvidenceInput,
    CaseCommandInput,
    CloseCaseInput,
    CorrectStepInput,
    DisputeStepInput,
    EraseCaseInput,
    GiveConsentInput,
    OpenCaseInput,
    RecordDateOfBirthInput,
    RecordStepInput,
    ReopenCaseInput,
    RetractStepInput,
    TransferCaseInput,
    WithdrawConsentInput,
)
from api.graphql.results import (
    AdvocateAssigned,
    AnyFailure,
    CaseClosed,
    CaseErased,
    CaseOpened,
    CaseReopened,
    CaseTransferred,
    CommandSucceeded,
    ConsentGiven,
    ConsentWithdrawn,
    DateOfBirthRecorded,
    EvidenceAttached,
    NotPermittedError,
    StepCorrected,
    StepDisputed,
    StepRecorded,
    StepRetracted,
    failure_for,
)
from domain.application import CaseJourneys, CommandResult
from domain.errors import CommandRefused, InvalidField

S = TypeVar("S", bound=CommandSucceeded)

INPUT = strawberry.argument(description="The command.")

_OUTCOME = "`{}`, or why nothing was recorded."

OpenCaseResult: TypeAlias = Annotated[
    CaseOpened | AnyFailure,
    strawberry.union("OpenCaseResult", description=_OUTCOME.format("CaseOpened")),
]
RecordStepResult: TypeAlias = Annotated[
    StepRecorded | AnyFailure,
    strawberry.union("RecordStepResult", description=_OUTCOME.format("StepRecorded")),
]
CorrectStepResult: TypeAlias = Annotated[
    StepCorrected | AnyFailure,
    strawberry.union("CorrectStepResult", description=_OUTCOME.format("StepCorrected")),
]
RetractStepResult: TypeAlias = Annotated[
    StepRetracted | AnyFailure,
    strawberry.union("RetractStepResult", description=_OUTCOME.format("StepRetracted")),
]
DisputeStepResult: TypeAlias = Annotated[
    StepDisputed | AnyFailure,
    strawberry.union("DisputeStepResult", description=_OUTCOME.format("StepDisputed")),
]
AttachEvidenceResult: TypeAlias = Annotated[
    EvidenceAttached | AnyFailure,
    strawberry.union(
        "AttachEvidenceResult", description=_OUTCOME.format("EvidenceAttached")
    ),
]
RecordDateOfBirthResult: TypeAlias = Annotated[
    DateOfBirthRecorded | AnyFailure,
    strawberry.union(
        "RecordDateOfBirthResult", description=_OUTCOME.format("DateOfBirthRecorded")
    ),
]
GiveConsentResult: TypeAlias = Annotated[
    ConsentGiven | AnyFailure,
    strawberry.union("GiveConsentResult", description=_OUTCOME.format("ConsentGiven")),
]
WithdrawConsentResult: TypeAlias = Annotated[
    ConsentWithdrawn | AnyFailure,
    strawberry.union(
        "WithdrawConsentResult", description=_OUTCOME.format("ConsentWithdrawn")
    ),
]
AssignAdvocateResult: TypeAlias = Annotated[
    AdvocateAssigned | AnyFailure,
    strawberry.union(
        "AssignAdvocateResult", description=_OUTCOME.format("AdvocateAssigned")
    ),
]
TransferCaseResult: TypeAlias = Annotated[
    CaseTransferred | AnyFailure,
    strawberry.union(
        "TransferCaseResult", description=_OUTCOME.format("CaseTransferred")
    ),
]
CloseCaseResult: TypeAlias = Annotated[
    CaseClosed | AnyFailure,
    strawberry.union("CloseCaseResult", description=_OUTCOME.format("CaseClosed")),
]
EraseCaseResult: TypeAlias = Annotated[
    CaseErased | AnyFailure,
    strawberry.union("EraseCaseResult", description=_OUTCOME.format("CaseErased")),
]
ReopenCaseResult: TypeAlias = Annotated[
    CaseReopened | AnyFailure,
    strawberry.union("ReopenCaseResult", description=_OUTCOME.format("CaseReopened")),
]


async def _on_case(
    info: Information, input: CaseCommandInput, success: type[S]
) -> S | AnyFailure:
    """Runs a command on an existing case the caller may change."""
    journeys, principal = info.context.journeys, info.context.principal

    def work() -> CommandResult:
        require_writer(principal)
        # The domain checks the organisation on the case it changes, in the same
        # load, so nothing can move the case between the check and the change.
        return journeys.handle(
            input.command(),
            recorded_by=principal.subject,
            idempotency_key=input.idempotency_key,
            expected_version=input.expected_version,
            on_behalf_of=principal.acts_for,
        )

    try:
        result = await info.context.in_thread(work)
    except (CommandRefused, NotPermittedError) as error:
        return failure_for(error)
    return success.from_result(result)


def _open(
    journeys: CaseJourneys, principal: Principal, data: OpenCaseInput
) -> CommandResult:
    require_writer(principal)
    organisation_id = (data.organisation_id or "").strip() or principal.organisation_id
    if not organisation_id:
        raise InvalidField("organisationId", "name the organisation holding the case")
    if not principal.may_change(organisation_id):
        raise NotPermittedError("cases may be opened only for your own organisation")
    return journeys.open_case(
        reference=data.reference,
        organisation_id=organisation_id,
        jurisdiction=data.jurisdiction.value,
        local_authority=data.local_authority,
        recorded_by=principal.subject,
        idempotency_key=data.idempotency_key,
    )


def _erase(
    journeys: CaseJourneys, principal: Principal, data: EraseCaseInput
) -> CommandResult:
    organisation_id = require_eraser(journeys, principal, data.case_id)
    # The domain checks the organisation again on the case it erases.
    return journeys.erase_case(
        data.case_id,
        data.ground.value,
        erased_by=principal.subject,
        idempotency_key=data.idempotency_key,
        on_behalf_of=organisation_id,
    )


@strawberry.type(
    description="Commands that change a case. Nothing is edited or deleted."
)
class Mutation:
    @strawberry.mutation(description="Open a case for a survivor.")
    async def open_case(
        self, info: Information, input: Annotated[OpenCaseInput, INPUT]
    ) -> OpenCaseResult:
        context = info.context
        try:
            result = await context.in_thread(
                _open, context.journeys, context.principal, input
            )
        except (CommandRefused, NotPermittedError) as error:
            return failure_for(error)
        return CaseOpened.from_result(result)

    @strawberry.mutation(description="Record a step of the survivor's journey.")
    async def record_step(
        self, info: Information, input: Annotated[RecordStepInput, INPUT]
    ) -> RecordStepResult:
        return await _on_case(info, input, StepRecorded)

    @strawberry.mutation(
        description="Correct a step with a complete new reading and a reason."
    )
    async def correct_step(
        self, info: Information, input: Annotated[CorrectStepInput, INPUT]
    ) -> CorrectStepResult:
        return await _on_case(info, input, StepCorrected)

    @strawberry.mutation(description="Retract a step recorded in error, with a reason.")
    async def retract_step(
        self, info: Information, input: Annotated[RetractStepInput, INPUT]
    ) -> RetractStepResult:
        return await _on_case(info, input, StepRetracted)

    @strawberry.mutation(
        description="Record another version of a step; both stand on the chronology."
    )
    async def dispute_step(
        self, info: Information, input: Annotated[DisputeStepInput, INPUT]
    ) -> DisputeStepResult:
        return await _on_case(info, input, StepDisputed)

    @strawberry.mutation(description="Attach an evidence document to the case.")
    async def attach_evidence(
        self, info: Information, input: Annotated[AttachEvidenceInput, INPUT]
    ) -> AttachEvidenceResult:
        return await _on_case(info, input, EvidenceAttached)

    @strawberry.mutation(description="Record the survivor's date of birth.")
    async def record_date_of_birth(
        self, info: Information, input: Annotated[RecordDateOfBirthInput, INPUT]
    ) -> RecordDateOfBirthResult:
        return await _on_case(info, input, DateOfBirthRecorded)

    @strawberry.mutation(description="Record the survivor's consent for a purpose.")
    async def give_consent(
        self, info: Information, input: Annotated[GiveConsentInput, INPUT]
    ) -> GiveConsentResult:
        return await _on_case(info, input, ConsentGiven)

    @strawberry.mutation(
        description="Record that the survivor withdrew consent for a purpose."
    )
    async def withdraw_consent(
        self, info: Information, input: Annotated[WithdrawConsentInput, INPUT]
    ) -> WithdrawConsentResult:
        return await _on_case(info, input, ConsentWithdrawn)

    @strawberry.mutation(description="Assign an advocate to the case, or hand it over.")
    async def assign_advocate(
        self, info: Information, input: Annotated[AssignAdvocateInput, INPUT]
    ) -> AssignAdvocateResult:
        return await _on_case(info, input, AdvocateAssigned)

    @strawberry.mutation(
        description="Transfer the case to another organisation; the caller's "
        "organisation then no longer sees it."
    )
    async def transfer_case(
        self, info: Information, input: Annotated[TransferCaseInput, INPUT]
    ) -> TransferCaseResult:
        return await _on_case(info, input, CaseTransferred)

    @strawberry.mutation(description="Close the case, with a reason.")
    async def close_case(
        self, info: Information, input: Annotated[CloseCaseInput, INPUT]
    ) -> CloseCaseResult:
        return await _on_case(info, input, CaseClosed)

    @strawberry.mutation(description="Reopen a closed case, with a reason.")
    async def reopen_case(
        self, info: Information, input: Annotated[ReopenCaseInput, INPUT]
    ) -> ReopenCaseResult:
        return await _on_case(info, input, CaseReopened)

    @strawberry.mutation(
        description="Erase a case (crypto-shredding): its keys are destroyed, so "
        "none of its events can be read again, and it leaves every view; "
        "anonymous evaluation figures stay. The erasure is recorded without "
        "personal data. Managers of the case's organisation only."
    )
    async def erase_case(
        self, info: Information, input: Annotated[EraseCaseInput, INPUT]
    ) -> EraseCaseResult:
        context = info.context
        try:
            result = await context.in_thread(
                _erase, context.journeys, context.principal, input
            )
        except (CommandRefused, NotPermittedError) as error:
            return failure_for(error)
        return CaseErased.from_result(result)
