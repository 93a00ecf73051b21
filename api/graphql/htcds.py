"""Importing a case from an HTCDS 2.0 file (``docs/htcds.md``)."""

from __future__ import annotations

from typing import Annotated, TypeAlias

import strawberry

from api.graphql.access import Gate
from api.graphql.context import Information
from api.graphql.results import (
    AnyFailure,
    CaseOpened,
    NotPermittedError,
    ValidationFailed,
    failure_for,
)
from api.policy import Action
from domain.application import CommandResult
from domain.errors import CommandRefused, InvalidField
from interchange.htcds.files import UnreadableFile
from interchange.htcds.importer import HtcdsImportRefused, import_htcds

#: A case's file is a few hundred kilobytes; a request has its own bound too.
MAX_CONTENT = 5 * 1024 * 1024


@strawberry.input(description="A case to import, from an HTCDS 2.0 file.")
class ImportHtcdsCaseInput:
    content: str = strawberry.field(
        description="The file's text: an HTCDS 2.0 case in JSON, or in CSV (a row a "
        f"record, named in the `Record` column); at most {MAX_CONTENT} characters."
    )
    organisation_id: str | None = strawberry.field(
        default=None, description="The organisation to hold it; by default yours."
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description="Importing again with the same key records nothing."
    )


@strawberry.type(description="A row or field of the file that could not be read.")
class ImportProblem:
    row: str = strawberry.field(
        description="The record, and in CSV its row: `CaseComment[2] (row 9)`."
    )
    field: str = strawberry.field(description="The HTCDS or `wmk_` field.")
    message: str = strawberry.field(description="What is wrong with it.")


@strawberry.type(description="Nothing was imported: the file has rows it cannot read.")
class ImportRejected:
    message: str = strawberry.field(description="How many problems, in words.")
    problems: list[ImportProblem] = strawberry.field(description="Each of them.")


ImportHtcdsCaseResult: TypeAlias = Annotated[
    CaseOpened | ImportRejected | AnyFailure,
    strawberry.union(
        "ImportHtcdsCaseResult",
        description="`CaseOpened` with the whole file recorded, or why nothing was.",
    ),
]


def _import(gate: Gate, data: ImportHtcdsCaseInput) -> CommandResult:
    gate.require(Action.OPEN_CASE)
    if len(data.content) > MAX_CONTENT:
        raise InvalidField("content", f"at most {MAX_CONTENT} characters")
    principal = gate.principal
    asked = (data.organisation_id or "").strip() or None
    organisation_id = gate.policy.own_organisation(principal, asked)
    return import_htcds(
        gate.journeys,
        data.content.encode(),
        organisation_id=organisation_id,
        recorded_by=principal.subject,
        idempotency_key=data.idempotency_key,
    )


async def import_htcds_case(
    info: Information,
    input: Annotated[
        ImportHtcdsCaseInput,
        strawberry.argument(description="The file and where it goes."),
    ],
) -> ImportHtcdsCaseResult:
    context = info.context
    try:
        result = await context.in_thread(_import, context.gate, input)
    except HtcdsImportRefused as refused:
        count = len(refused.problems)
        return ImportRejected(
            message=f"nothing imported: {count} problem{'s' if count != 1 else ''}",
            problems=[
                ImportProblem(row=p.row, field=p.field, message=p.message)
                for p in refused.problems
            ],
        )
    except UnreadableFile as error:
        return ValidationFailed(field="content", message=str(error))
    except (CommandRefused, NotPermittedError) as error:
        return failure_for(error)
    return CaseOpened.from_result(result)
