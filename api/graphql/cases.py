"""Cases: one survivor's case as a summary, and pages of the caller's cases."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import strawberry

from api.auth import Role
from api.graphql.access import Gate
from api.graphql.caseload import NotYetProjected
from api.graphql.context import Information
from api.graphql.cursors import ListingCursors, Position, listing_scope
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
from projections.caseload import CaseloadReader
from projections.caseload import NotYetProjected as ViewIsBehind

MAX_PAGE = 100
DEFAULT_PAGE = 50
#: Cases examined (each folded from its stream) for one page, at most: a caller
#: who may see few of the cases listed gets short pages, never a long scan.
MAX_EXAMINED = 4 * MAX_PAGE


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
    opened_at: datetime = strawberry.field(
        description="When the case's opening was recorded."
    )
    opened_on: date = strawberry.field(
        description="The day advocacy began, as the advocate gave it."
    )
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
            opened_on=summary.opened_on,
            modified_at=summary.modified_at,
        )


@strawberry.type(description="A page of cases, in the order they were opened.")
class CasePage:
    cases: list[Case] = strawberry.field(description="The cases on this page.")
    end_cursor: str | None = strawberry.field(
        description="Pass as `after` for the next page, with the same filters "
        "(a cursor is signed, and good only for the caller and listing that got "
        "it); null when nothing follows an empty page."
    )
    has_next_page: bool = strawberry.field(
        description="Whether more cases may follow this page. A page holds fewer "
        f"than `first` cases when more than {MAX_EXAMINED} were looked at to fill "
        "it; follow `endCursor` while this is true."
    )


CaseResult = Annotated[
    Case | NotFound | NotPermitted,
    strawberry.union("CaseResult", description="A case, or why it cannot be shown."),
]
CasesResult = Annotated[
    CasePage | NotYetProjected | ValidationFailed | NotPermitted,
    strawberry.union(
        "CasesResult", description="A page of cases, or why none can be listed."
    ),
]


def _read_case(gate: Gate, case_id: UUID) -> Case:
    gate.case(case_id, Action.READ_CASE)
    case = Case.from_summary(gate.journeys.case_summary(case_id))
    gate.record(Operation.CASE, case_ids=[case_id])
    return case


def _list_cases(
    gate: Gate,
    caseload: CaseloadReader,
    cursors: ListingCursors,
    organisation_id: str | None,
    closed: bool | None,
    first: int,
    after: str | None,
    at_least_position: int | None,
) -> CasePage:
    # The caseload view lists cases (closed ones too) in the order opened, by
    # index; only the page's cases are folded from their streams, and each is
    # shown as it stands in the log, if the caller may see it as it stands.
    gate.require(Action.LIST_CASES)
    journeys, principal = gate.journeys, gate.principal
    if not 1 <= first <= MAX_PAGE:
        raise InvalidArgument("first", f"between 1 and {MAX_PAGE}")
    # Counsel's cases are those shared with them, in any organisation; everyone
    # else lists their own organisation's.
    within = (
        None
        if principal.role is Role.COUNSEL
        else gate.policy.own_organisation(principal, organisation_id)
    )
    if at_least_position is not None and at_least_position < 0:
        raise InvalidArgument("atLeastPosition", "a log position is 0 or more")
    scope = listing_scope(principal, "cases", organisation_id, closed)
    position = cursors.decode(scope, after) if after is not None else None
    caseload.position(at_least=at_least_position)
    page: list[Case] = []
    shown: list[Position] = []
    examined, more = 0, True
    while more and examined < MAX_EXAMINED:
        limit = min(first + 1, MAX_EXAMINED - examined)
        batch = caseload.in_order_opened(
            limit=limit, after=position, organisation_id=within, closed=closed
        )
        more = len(batch) == limit
        for entry in batch:
            if gate.sees(journeys.case_access(entry.case_id)):
                summary = journeys.case_summary(entry.case_id)
                if closed is None or summary.closed == closed:
                    if len(page) == first:
                        return _page(gate, cursors, scope, page, shown[-1], more=True)
                    page.append(Case.from_summary(summary))
                    shown.append((entry.opened_at, entry.case_id))
            examined += 1
            position = (entry.opened_at, entry.case_id)
    if more and position is not None:
        # Looked at as many as a page may; more may follow from where it stopped.
        more = bool(
            caseload.in_order_opened(
                limit=1, after=position, organisation_id=within, closed=closed
            )
        )
        return _page(gate, cursors, scope, page, position, more=more)
    end = shown[-1] if shown else None
    return _page(gate, cursors, scope, page, end, more=False)


def _page(
    gate: Gate,
    cursors: ListingCursors,
    scope: bytes,
    page: list[Case],
    end: Position | None,
    *,
    more: bool,
) -> CasePage:
    gate.record(Operation.CASES, case_ids=[case.id for case in page])
    return CasePage(
        cases=page,
        end_cursor=None if end is None else cursors.encode(scope, end),
        has_next_page=more,
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
    at_least_position: Annotated[
        int | None,
        strawberry.argument(
            description="Read-your-writes: answer only once the listing reflects "
            "this log position (a mutation's `position`), waiting up to 2 s; "
            "otherwise `NotYetProjected`."
        ),
    ] = None,
) -> CasesResult:
    context = info.context
    if context.caseload is None:
        raise RuntimeError("the caseload view was not built")
    try:
        return await context.in_thread(
            _list_cases,
            context.gate,
            context.caseload,
            context.cursors,
            organisation_id,
            closed,
            first,
            after,
            at_least_position,
        )
    except ViewIsBehind as error:
        return NotYetProjected(
            message=str(error), requested=error.requested, position=error.position
        )
    except (InvalidArgument, NotPermittedError) as error:
        return failure_for(error)  # type: ignore[return-value]
