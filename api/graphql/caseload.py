"""The caseload: an advocate's or an organisation's open cases, with last contact,
and drift (open cases with no contact for N days), from the materialised view."""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from typing import Annotated
from uuid import UUID

import strawberry

from api.auth import Principal, Role
from api.graphql.context import Information
from api.graphql.enums import Jurisdiction
from api.graphql.results import (
    Failure,
    InvalidArgument,
    NotPermitted,
    NotPermittedError,
    ValidationFailed,
    failure_for,
)
from projections.caseload import MAX_DRIFT_DAYS, CaseloadReader
from projections.caseload import CaseloadEntry as EntryView
from projections.caseload import NotYetProjected as ViewIsBehind

#: Roles that may read a caseload; counsel and evaluators may not.
CASELOAD_ROLES = frozenset({Role.ADVOCATE, Role.MANAGER, Role.ADMINISTRATOR})


@strawberry.type(
    description="A case on a caseload: who holds it, where the survivor lives, and "
    "when the advocate was last in contact."
)
class CaseloadEntry:
    case_id: UUID = strawberry.field(description="The case's id.")
    reference: str = strawberry.field(description="The case's reference.")
    organisation_id: str = strawberry.field(
        description="The organisation holding the case now (after any transfer)."
    )
    advocate_id: str | None = strawberry.field(
        description="The advocate assigned now (after any hand-over), if any."
    )
    advocate_since: datetime | None = strawberry.field(
        description="When that advocate was assigned."
    )
    jurisdiction: Jurisdiction = strawberry.field(
        description="The jurisdiction now: the latest move's that names one, else "
        "the one the case was opened under."
    )
    local_authority: str | None = strawberry.field(
        description="The local authority now: the latest move's, else the one the "
        "case was opened with."
    )
    opened_at: datetime = strawberry.field(description="When the case was opened.")
    closed: bool = strawberry.field(description="Whether the case is closed.")
    closed_at: datetime | None = strawberry.field(
        description="When it was closed, if it is."
    )
    last_contact_on: date | None = strawberry.field(
        description="The latest contact with the survivor (`engagement.contact`): "
        "the earliest day its date can mean. Null when no dated contact is on "
        "record."
    )
    last_contact_recorded_at: datetime | None = strawberry.field(
        description="When that contact was recorded (a late record shows here)."
    )
    days_since_contact: int | None = strawberry.field(
        description="Days from `lastContactOn` to `asOf`; null with no contact."
    )
    quiet_since: date = strawberry.field(
        description="The later of the last contact and the day the case was opened "
        "(or last reopened): drift counts from it."
    )
    drifting: bool = strawberry.field(
        description="Open, and quiet for at least `within` days."
    )
    transferred_from: str | None = strawberry.field(
        description="The organisation it was last transferred from, if any."
    )
    transferred_at: datetime | None = strawberry.field(
        description="When it was last transferred."
    )
    next_deadline_on: date | None = strawberry.field(
        description="The due day of the case's next running legal clock. Null "
        "until the legal clocks are computed for caseloads."
    )
    next_deadline_clock: str | None = strawberry.field(
        description="Which clock `nextDeadlineOn` belongs to. Null until the "
        "legal clocks are computed for caseloads."
    )
    open_warnings: int | None = strawberry.field(
        description="How many warnings stand open on the case. Null until the "
        "legal clocks are computed for caseloads."
    )

    @classmethod
    def of(cls, entry: EntryView, reader: CaseloadReader, within: int) -> CaseloadEntry:
        return cls(
            case_id=entry.case_id,
            reference=entry.reference,
            organisation_id=entry.organisation_id,
            advocate_id=entry.advocate_id,
            advocate_since=entry.advocate_since,
            jurisdiction=Jurisdiction(entry.jurisdiction),
            local_authority=entry.local_authority,
            opened_at=entry.opened_at,
            closed=entry.closed,
            closed_at=entry.closed_at,
            last_contact_on=entry.last_contact_on,
            last_contact_recorded_at=entry.last_contact_recorded_at,
            days_since_contact=reader.days_since(entry.last_contact_on),
            quiet_since=entry.quiet_since,
            drifting=reader.is_drifting(entry, within),
            transferred_from=entry.transferred_from,
            transferred_at=entry.transferred_at,
            next_deadline_on=entry.next_deadline_on,
            next_deadline_clock=entry.next_deadline_clock,
            open_warnings=entry.open_warnings,
        )


@strawberry.type(
    description="A caseload: the open cases of an advocate or an organisation, "
    "the longest without contact first."
)
class Caseload:
    organisation_id: str | None = strawberry.field(
        description="The organisation whose cases these are (null: any)."
    )
    advocate_id: str | None = strawberry.field(
        description="The advocate whose cases these are (null: any)."
    )
    as_of: date = strawberry.field(description="The day days are counted to.")
    within: int = strawberry.field(
        description="The drift window: a case quiet for at least this many days "
        "is drifting."
    )
    position: int = strawberry.field(
        description="The log position the caseload reflects: every change up to "
        "at least this position."
    )
    include_closed: strawberry.Private[bool]
    reader: strawberry.Private[CaseloadReader]

    @strawberry.field(
        description="The cases (open ones, unless `includeClosed`), the longest "
        "without contact first."
    )
    async def cases(self, info: Information) -> list[CaseloadEntry]:
        entries = await info.context.in_thread(
            partial(
                self.reader.caseload,
                organisation_id=self.organisation_id,
                advocate_id=self.advocate_id,
                include_closed=self.include_closed,
            )
        )
        return [CaseloadEntry.of(e, self.reader, self.within) for e in entries]

    @strawberry.field(
        description="Drift: the open cases with no contact (nor opening) for at "
        "least `within` days, the longest first."
    )
    async def drifting(self, info: Information) -> list[CaseloadEntry]:
        entries = await info.context.in_thread(
            partial(
                self.reader.drift,
                within=self.within,
                organisation_id=self.organisation_id,
                advocate_id=self.advocate_id,
            )
        )
        return [CaseloadEntry.of(e, self.reader, self.within) for e in entries]


@strawberry.type(
    description="The view has not yet processed the log position asked for; "
    "nothing is answered rather than something stale. Ask again shortly."
)
class NotYetProjected(Failure):
    requested: int = strawberry.field(description="The position asked for.")
    position: int = strawberry.field(
        description="The position the view had reached when the wait ended."
    )


CaseloadResult = Annotated[
    Caseload | NotYetProjected | ValidationFailed | NotPermitted,
    strawberry.union(
        "CaseloadResult", description="A caseload, or why it cannot be shown."
    ),
]


def _scope(
    principal: Principal, organisation_id: str | None, advocate_id: str | None
) -> tuple[str | None, str | None]:
    """Whose caseload the caller may read: advocates and managers their own
    organisation's (any of its advocates), administrators anyone's."""
    if principal.role not in CASELOAD_ROLES:
        raise NotPermittedError(f"a {principal.role.value} may not read caseloads")
    if principal.role is Role.ADMINISTRATOR:
        if organisation_id is None and advocate_id is None:
            raise InvalidArgument(
                "organisationId", "name an organisation or an advocate"
            )
        return organisation_id, advocate_id
    if organisation_id is not None and organisation_id != principal.organisation_id:
        raise NotPermittedError("only your own organisation's caseload can be read")
    return principal.organisation_id, advocate_id


def _read_caseload(
    reader: CaseloadReader,
    principal: Principal,
    organisation_id: str | None,
    advocate_id: str | None,
    within: int | None,
    include_closed: bool,
    at_least_position: int | None,
) -> Caseload:
    organisation_id, advocate_id = _scope(principal, organisation_id, advocate_id)
    if within is not None and not 1 <= within <= MAX_DRIFT_DAYS:
        raise InvalidArgument("within", f"between 1 and {MAX_DRIFT_DAYS} days")
    if at_least_position is not None and at_least_position < 0:
        raise InvalidArgument("atLeastPosition", "a log position is 0 or more")
    position = reader.position(at_least=at_least_position)
    return Caseload(
        organisation_id=organisation_id,
        advocate_id=advocate_id,
        as_of=reader.today(),
        within=reader.window(within),
        position=position,
        include_closed=include_closed,
        reader=reader,
    )


async def resolve_caseload(
    info: Information,
    advocate_id: Annotated[
        str | None,
        strawberry.argument(description="Only this advocate's cases."),
    ] = None,
    organisation_id: Annotated[
        str | None,
        strawberry.argument(
            description="Only this organisation's cases; advocates and managers "
            "read their own organisation's (the default), administrators any."
        ),
    ] = None,
    within: Annotated[
        int | None,
        strawberry.argument(
            description="The drift window in days: a case with no contact for at "
            "least this many days is drifting (default: the WAYMARK_DRIFT_DAYS "
            "setting, 28 unless set)."
        ),
    ] = None,
    include_closed: Annotated[
        bool,
        strawberry.argument(description="Also list closed cases under `cases`."),
    ] = False,
    at_least_position: Annotated[
        int | None,
        strawberry.argument(
            description="Read-your-writes: answer only once the caseload reflects "
            "this log position (a mutation's `position`), waiting up to 2 s; "
            "otherwise `NotYetProjected`."
        ),
    ] = None,
) -> CaseloadResult:
    context = info.context
    if context.caseload is None:
        raise RuntimeError("the caseload view was not built")
    try:
        return await context.in_thread(
            _read_caseload,
            context.caseload,
            context.principal,
            organisation_id,
            advocate_id,
            within,
            include_closed,
            at_least_position,
        )
    except ViewIsBehind as error:
        return NotYetProjected(
            message=str(error), requested=error.requested, position=error.position
        )
    except (NotPermittedError, InvalidArgument) as error:
        return failure_for(error)  # type: ignore[return-value]
