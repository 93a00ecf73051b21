"""Checking an exported chronology against the record."""

from __future__ import annotations

from typing import Annotated

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
from projections.audit import Operation
from projections.exports import Proof
from projections.exports.verify import check_record

#: A proof is a few hundred bytes; anything far larger is not one.
MAX_PROOF_LENGTH = 4_096


@strawberry.type(description="A row of an exported chronology, as its three cells.")
class ExportedRow:
    date: str = strawberry.field(description="When, as the chronology prints it.")
    event: str = strawberry.field(
        description="What happened, with disputes and corrections stated shortly."
    )
    source: str = strawberry.field(description="Its sources, or `No source recorded`.")


@strawberry.type(
    description="Whether the record still holds exactly the chronology an export "
    "names, and what changed since."
)
class ExportVerification:
    reference: str = strawberry.field(description="The case's reference.")
    case_version: int = strawberry.field(description="The version the export names.")
    chain_head_matches: bool = strawberry.field(
        description="The record's chain at that version ends in the export's chain "
        "head."
    )
    rows_match: bool = strawberry.field(
        description="Folded afresh at that version, the chronology gives exactly the "
        "export's rows (by their SHA-256)."
    )
    matches: bool = strawberry.field(description="Both of the above.")
    current_version: int = strawberry.field(description="The case's version now.")
    changed_since: list[ExportedRow] = strawberry.field(
        description="Rows of the export's purpose changed after that version."
    )


ExportVerificationResult = Annotated[
    ExportVerification | ValidationFailed | NotFound | NotPermitted,
    strawberry.union(
        "ExportVerificationResult",
        description="The verification, or why it cannot be made.",
    ),
]


def _verify(gate: Gate, proof_text: str) -> ExportVerification:
    gate.require(Action.READ_CHRONOLOGY)
    if len(proof_text) > MAX_PROOF_LENGTH:
        raise InvalidArgument("proof", f"at most {MAX_PROOF_LENGTH} characters")
    try:
        proof = Proof.from_json(proof_text)
    except (ValueError, KeyError, TypeError) as error:
        raise InvalidArgument(
            "proof", f"not a Waymark export's proof ({error})"
        ) from None
    gate.case(proof.case_id, Action.READ_CHRONOLOGY, proof.purpose.value)
    record = check_record(gate.journeys, proof)
    gate.record(
        Operation.EXPORT_CHECK, case_ids=[proof.case_id], purpose=proof.purpose.value
    )
    return ExportVerification(
        reference=proof.reference,
        case_version=proof.case_version,
        chain_head_matches=record.chain_head_matches,
        rows_match=record.rows_match,
        matches=record.matches,
        current_version=record.current_version,
        changed_since=[
            ExportedRow(date=row.date, event=row.event, source=row.source)
            for row in record.changed_since
        ],
    )


async def resolve_verify_export(
    info: Information,
    proof: Annotated[
        str,
        strawberry.argument(
            description="The export's proof: the JSON after `Proof` in a CSV, in "
            "the last paragraph of a Word file, or attached to a PDF "
            f"(`waymark verify --export` reads it for you); at most "
            f"{MAX_PROOF_LENGTH} characters."
        ),
    ],
) -> ExportVerificationResult:
    context = info.context
    try:
        return await context.in_thread(_verify, context.gate, proof)
    except (CommandRefused, NotPermittedError, InvalidArgument) as error:
        return failure_for(error)  # type: ignore[return-value]
