"""Cases: one survivor's case as a summary, and pages of the caller's cases."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Annotated
from uuid import UUID

import strawberry

from api.graphql.access import Gate
from api.graphql.context import Information
from api.graphql.enums import ConsentPurpose, Jurisdiction
from api.graphql.results import (
    InvalidArgument,
    NotFound,
    NotPermitted,
    NotPermittedError,
    ValidationFailed,
    failure_for,
)
from api.policy import Action
from domain.application import CaseSummary
from domain.errors import CommandRefused
from projections.audit import Operation

MAX_PAGE = 100
DEFAULT_PAGE = 50
_CURSOR_PREFIX = "case:"


@strawberry.type(description="A survivor's case, as it stands now.")
class Case:
    id: UUID = strawberry.field(description="The case's id.")
    reference: str = strawberry.field(
        description="The organisation's pseudonymous reference for the survivor."
    )
    organisation_id: str = strawberry.field(
        description="The organisation holding the case."
    )
    jurisdiction: Jurisdiction = strawberry.field(
        description="The legal system the case falls under."
    )
    local_authority: str | None = strawberry.field(
        description="The local authority the survivor lives in, if recorded."
    )
    born: str | None = strawberry.field(
        description="The survivor's date of birth in EDTF, as exactly as known; "
        "legal clocks run from it."
    )
    advocate_id: str | None = strawberry.field(
        description="The advocate assigned, if any."
    )
    consents: list[ConsentPurpose] = strawberry.field(
        description="The purposes the survivor has consented to, now."
    )
    closed: bool = strawberry.field(description="Whether the case is closed.")
    version: int = strawberry.field(
        description="The case's version; send it as `expectedVersion` to guard a "
        "command against changes made since."
    )
    step_count: int = strawberry.field(
        description="Steps on record, not counting retracted ones."
    )
    opened_at: datetime = strawberry.field(description="When the case was opened.")
    modified_at: datetime = strawberry.field(description="When it last changed.")

    @classmethod
    def from_summary(cls, summary: CaseSummary) -> Case:
        return cls(
            id=summary.id,
            reference=summary.reference,
            organisation_id=summary.organisation_id,
            jurisdiction=Jurisdiction(summary.jurisdiction),
            local_authority=summary.local_authority,
            born=summary.born,
            advocate_id=summary.advocate_id,
            consents=[ConsentPurpose(purpose) for purpose in summary.consents],
            closed=summary.closed,
            version=summary.version,
            step_count=summary.step_count,
            opened_at=summary.opened_at,
            modified_at=summary.modified_at,
        )


@strawberry.type(description="A page of cases, in the order they were opened.")
class CasePage:
    cases: list[Case] = strawberry.field(description="The cases on this page.")
    end_cursor: str | None = strawberry.field(
        description="Pass as `after` for the next page; null on an empty page."
    )
    has_next_page: bool = strawberry.field(
        description="Whether more cases follow this page."
    )


CaseResult = Annotated[
    Case | NotFound | NotPermitted,
    strawberry.union("CaseResult", description="A case, or why it cannot be shown."),
]
CasesResult = Annotated[
    CasePage | ValidationFailed | NotPermitted,
    strawberry.union(
        "CasesResult", description="A page of cases, or why none can be listed."
    ),
]


def _encode_cursor(case_id: UUID) -> str:
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{case_id}".encode()).decode()


def _decode_cursor(cursor: str) -> UUID:
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        if not text.startswith(_CURSOR_PREFIX):
            raise ValueError(cursor)
        return UUID(text.removeprefix(_CURSOR_PREFIX))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidArgument("after", "not a cursor this API gave") from None


def _read_case(gate: Gate, case_id: UUID) -> Case:
    gate.case(case_id, Action.READ_CASE)
    case = Case.from_summary(gate.journeys.case_summary(case_id))
    gate.record(Operation.CASE, case_ids=[case_id])
    return case


def _list_cases(
    gate: Gate,
    organisation_id: str | None,
    closed: bool | None,
    first: int,
    after: UUID | None,
) -> CasePage:
    # A scan of every case, folded from its own stream, so it is never stale and
    # lists closed cases too; the caseload query answers open caseloads by index.
    gate.require(Action.LIST_CASES)
    journeys = gate.journeys
    if not 1 <= first <= MAX_PAGE:
        raise InvalidArgument("first", f"between 1 and {MAX_PAGE}")
    gate.policy.own_organisation(gate.principal, organisation_id)
    page: list[Case] = []
    has_next_page = False
    started = after is None
    for case_id in journeys.case_ids():
        if not started:
            started = case_id == after
            continue
        if not gate.sees(journeys.case_access(case_id)):
            continue
        summary = journeys.case_summary(case_id)
        if closed is not None and summary.closed != closed:
            continue
        if len(page) == first:
            has_next_page = True
            break
        page.append(Case.from_summary(summary))
    if not started:
        raise InvalidArgument("after", "not a cursor this API gave")
    gate.record(Operation.CASES, case_ids=[case.id for case in page])
    return CasePage(
        cases=page,
        end_cursor=_encode_cursor(page[-1].id) if page else None,
        has_next_page=has_next_page,
    )


async def resolve_case(
    info: Information,
    id: Annotated[UUID, strawberry.argument(description="The case's id.")],
) -> CaseResult:
    context = info.context
    try:
        return await context.in_thread(_read_case, context.gate, id)
    except (CommandRefused, NotPermittedError) as error:
        return failure_for(error)  # type: ignore[return-value]


async def resolve_cases(
    info: Information,
    organisation_id: Annotated[
        str | None,
        strawberry.argument(
            description="Only this organisation's cases: your own (the default); "
            "naming another is refused."
        ),
    ] = None,
    closed: Annotated[
        bool | None,
        strawberry.argument(description="Only closed (true) or open (false) cases."),
    ] = None,
    first: Annotated[
        int, strawberry.argument(description=f"Page size, 1 to {MAX_PAGE}.")
    ] = DEFAULT_PAGE,
    after: Annotated[
        str | None,
        strawberry.argument(description="The `endCursor` of the previous page."),
    ] = None,
) -> CasesResult:
    context = info.context
    try:
        after_id = _decode_cursor(after) if after is not None else None
        return await context.in_thread(
            _list_cases,
            context.gate,
            organisation_id,
            closed,
            first,
            after_id,
        )
    except (InvalidArgument, NotPermittedError) as error:
        return failure_for(error)  # type: ignore[return-value]
