"""Commands: each checks the caller, hands one command to ``CaseJourneys`` in a
worker thread, and answers with its success type or a typed failure."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeAlias, TypeVar

import strawberry

from api.graphql.access import Gate
from api.graphql.bundles import (
    AssembleBundleInput,
    AssembleBundleResult,
    BundleAssembled,
    ChronologyServed,
    ServeChronologyInput,
    ServeChronologyResult,
)
from api.graphql.context import Information
from api.graphql.htcds import import_htcds_case
from api.graphql.inputs import (
    AssignAdvocateInput,
    AttachEvidenceInput,
    CaseCommandInput,
    CloseCaseInput,
    CorrectStepInput,
    DisputeStepInput,
    EraseCaseInput,
    GiveConsentInput,
    MarkStepSensitivityInput,
    OpenCaseInput,
    RecordDateOfBirthInput,
    RecordStepInput,
    ReopenCaseInput,
    RetractStepInput,
    RevokeShareInput,
    ShareWithCounselInput,
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
    CounselShared,
    DateOfBirthRecorded,
    EvidenceAttached,
    NotPermittedError,
    ShareRevoked,
    StepCorrected,
    StepDisputed,
    StepRecorded,
    StepRetracted,
    StepSensitivityMarked,
    failure_for,
)
from api.policy import Action
from domain.application import CommandResult
from domain.commands import CaseCommand, TransferCase
from domain.errors import CaseNotFound, CommandRefused, InvalidField
from projections.audit import Operation

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
MarkStepSensitivityResult: TypeAlias = Annotated[
    StepSensitivityMarked | AnyFailure,
    strawberry.union(
        "MarkStepSensitivityResult",
        description=_OUTCOME.format("StepSensitivityMarked"),
    ),
]
ShareWithCounselResult: TypeAlias = Annotated[
    CounselShared | AnyFailure,
    strawberry.union(
        "ShareWithCounselResult", description=_OUTCOME.format("CounselShared")
    ),
]
RevokeShareResult: TypeAlias = Annotated[
    ShareRevoked | AnyFailure,
    strawberry.union("RevokeShareResult", description=_OUTCOME.format("ShareRevoked")),
]


async def _on_case(
    info: Information,
    input: CaseCommandInput,
    success: type[S],
    action: Action = Action.RECORD,
    audited: Operation | None = None,
    first: Callable[[Gate, CaseCommand], None] | None = None,
) -> S | AnyFailure:
    """Runs a command on an existing case the caller may change; ``audited``
    commands (shares and their revocation) are recorded in the audit too;
    ``first`` checks what the command names beyond the case."""
    gate = info.context.gate

    def work() -> CommandResult:
        command = input.command()
        if first is not None:
            gate.require(action)
            first(gate, command)
        # The policy checks the very case the command changes, in the same
        # load, so nothing can move the case between the check and the change.
        result = gate.journeys.handle(
            command,
            recorded_by=gate.principal.subject,
            idempotency_key=input.idempotency_key,
            expected_version=input.expected_version,
            guard=gate.guard(action),
        )
        if audited is not None:
            gate.record(
                audited,
                case_ids=[result.case_id],
                item_ids=[result.id],
                purpose=getattr(command, "purpose", None),
            )
        return result

    try:
        result = await info.context.in_thread(work)
    except (CommandRefused, NotPermittedError) as error:
        return failure_for(error)
    return success.from_result(result)


def _known_target(gate: Gate, command: CaseCommand) -> None:
    """A transfer names an organisation that exists."""
    assert isinstance(command, TransferCase)
    gate.policy.transfer_target(command.to_organisation_id, gate.journeys.organisations)


def _open(gate: Gate, data: OpenCaseInput) -> CommandResult:
    gate.require(Action.OPEN_CASE)
    principal = gate.principal
    organisation_id = (data.organisation_id or "").strip() or principal.organisation_id
    if not organisation_id:
        raise InvalidField("organisationId", "name the organisation holding the case")
    gate.policy.own_organisation(principal, organisation_id)
    return gate.journeys.open_case(
        reference=data.reference,
        organisation_id=organisation_id,
        jurisdiction=data.jurisdiction.value,
        local_authority=data.local_authority,
        opened_on=data.opened_on,
        recorded_by=principal.subject,
        idempotency_key=data.idempotency_key,
    )


def _erase(gate: Gate, data: EraseCaseInput) -> CommandResult:
    """A manager of the organisation holding the case erases it; a case of
    another organisation answers as none (an erased one too, for a retry)."""
    gate.require(Action.ERASE)
    journeys = gate.journeys
    organisation_id = journeys.organisation_of(data.case_id)
    if organisation_id != gate.principal.organisation_id:
        raise CaseNotFound(data.case_id)
    # The domain checks the organisation again on the case it erases.
    result = journeys.erase_case(
        data.case_id,
        data.ground.value,
        erased_by=gate.principal.subject,
        idempotency_key=data.idempotency_key,
        on_behalf_of=organisation_id,
    )
    gate.record(Operation.ERASURE, case_ids=[data.case_id], purpose=data.ground.value)
    return result


@strawberry.type(
    description="Commands that change a case. Nothing is edited or deleted."
)
class Mutation:
    @strawberry.mutation(
        description="Assemble a court bundle from the case's evidence documents, "
        "in sections with page counts, or record its next version."
    )
    async def assemble_bundle(
        self, info: Information, input: Annotated[AssembleBundleInput, INPUT]
    ) -> AssembleBundleResult:
        return await _on_case(info, input, BundleAssembled)

    @strawberry.mutation(
        description="Record that the case's chronology for a purpose was served: "
        "read it back as served with `chronology(servedAs:)`."
    )
    async def serve_chronology(
        self, info: Information, input: Annotated[ServeChronologyInput, INPUT]
    ) -> ServeChronologyResult:
        return await _on_case(info, input, ChronologyServed)

    import_htcds_case = strawberry.mutation(
        resolver=import_htcds_case,
        description="Create a case from an HTCDS 2.0 file (JSON or CSV): the whole "
        "file, or nothing if any row cannot be read, each such row and field named.",
    )

    @strawberry.mutation(description="Open a case for a survivor.")
    async def open_case(
        self, info: Information, input: Annotated[OpenCaseInput, INPUT]
    ) -> OpenCaseResult:
        context = info.context
        try:
            result = await context.in_thread(_open, context.gate, input)
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

    @strawberry.mutation(
        description="Assign an advocate to the case; re-assigning a case that "
        "has an advocate (a hand-over) is a manager's."
    )
    async def assign_advocate(
        self, info: Information, input: Annotated[AssignAdvocateInput, INPUT]
    ) -> AssignAdvocateResult:
        return await _on_case(info, input, AdvocateAssigned, Action.ASSIGN_ADVOCATE)

    @strawberry.mutation(
        description="Transfer the case to another organisation that exists "
        "(named in WAYMARK_ORGANISATIONS or holding cases); a manager's. The "
        "caller's organisation then no longer sees it."
    )
    async def transfer_case(
        self, info: Information, input: Annotated[TransferCaseInput, INPUT]
    ) -> TransferCaseResult:
        return await _on_case(
            info, input, CaseTransferred, Action.TRANSFER, first=_known_target
        )

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
        description="Mark a step sensitive, or not: sensitive steps stay out of "
        "shares, exports and evaluation unless the purpose names them."
    )
    async def mark_step_sensitivity(
        self, info: Information, input: Annotated[MarkStepSensitivityInput, INPUT]
    ) -> MarkStepSensitivityResult:
        return await _on_case(
            info, input, StepSensitivityMarked, Action.MARK_SENSITIVITY
        )

    @strawberry.mutation(
        description="Share the case with one barrister for one purpose until a "
        "day (recorded in the audit); needs the survivor's consent to sharing "
        "with counsel."
    )
    async def share_with_counsel(
        self, info: Information, input: Annotated[ShareWithCounselInput, INPUT]
    ) -> ShareWithCounselResult:
        return await _on_case(info, input, CounselShared, Action.SHARE, Operation.SHARE)

    @strawberry.mutation(
        description="Revoke a share with counsel (recorded in the audit); counsel "
        "then no longer see the case."
    )
    async def revoke_share(
        self, info: Information, input: Annotated[RevokeShareInput, INPUT]
    ) -> RevokeShareResult:
        return await _on_case(
            info, input, ShareRevoked, Action.SHARE, Operation.REVOKE_SHARE
        )

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
            result = await context.in_thread(_erase, context.gate, input)
        except (CommandRefused, NotPermittedError) as error:
            return failure_for(error)
        return CaseErased.from_result(result)
