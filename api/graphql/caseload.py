"""The caseload: an advocate's or an organisation's open cases, with last contact,
drift (open cases with no contact for N days), the next deadline and open
warnings, and the legal clocks upcoming within N days or overdue, from the
materialised view."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from functools import partial
from typing import Annotated, TypeVar
from uuid import UUID

import strawberry

from api.graphql.access import Gate
from api.graphql.context import Information
from api.graphql.enums import ClockKind, Jurisdiction
from api.graphql.results import (
    Failure,
    InvalidArgument,
    NotPermitted,
    NotPermittedError,
    ValidationFailed,
    failure_for,
)
from domain.errors import InvalidField
from domain.text import IDENTIFIER_LIMIT, TextKind, checked_text
from projections.audit import Operation
from projections.caseload import (
    MAX_DRIFT_DAYS,
    MAX_UPCOMING_DAYS,
    UPCOMING_DAYS,
    CaseloadReader,
)
from projections.caseload import CaseDeadline as DeadlineView
from projections.caseload import CaseloadEntry as EntryView
from projections.caseload import NotYetProjected as ViewIsBehind

T = TypeVar("T", EntryView, DeadlineView)


def _audited(gate: Gate, part: str, read: Callable[[], Sequence[T]]) -> Sequence[T]:
    """A part of the caseload, recorded in the audit with the cases it lists."""
    found = read()
    gate.record(
        Operation.CASELOAD,
        case_ids=[
            item.case_id if isinstance(item, EntryView) else item.entry.case_id
            for item in found
        ],
        purpose=part,
    )
    return found


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
        description="The earliest due day of the case's open deadlines: legal "
        "clocks nothing on record has stopped (running, extended, or missed and "
        "still open; before `asOf` it is overdue). Periods of protection (the "
        "recovery period) are listed under `upcoming`, never here. Null when no "
        "deadline is open."
    )
    next_deadline_clock: str | None = strawberry.field(
        description="Which clock `nextDeadlineOn` belongs to (a `ClockKind` "
        "value, such as `cica_review_request`)."
    )
    open_warnings: int | None = strawberry.field(
        description="How many plausibility warnings stand on the case's steps "
        "(the chronology's: a step recorded without the step it expects, such as "
        "a decision with no referral). Null only for a view not yet rebuilt."
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
    description="An open legal clock of a case on the caseload: nothing on record "
    "has stopped it. Judged from the log alone; whether it is overdue is decided "
    "as at the caseload's `asOf`."
)
class CaseDeadline:
    case: CaseloadEntry = strawberry.field(description="The case.")
    clock: ClockKind = strawberry.field(description="Which clock.")
    label: str = strawberry.field(description="The clock's name, in words.")
    started_by: UUID = strawberry.field(description="The step that started it.")
    started_on: date = strawberry.field(description="The day it runs from.")
    due_on: date = strawberry.field(
        description="The day it falls due (as extended, for an extended clock); "
        "for a period of protection, the day it ends."
    )
    days_left: int = strawberry.field(
        description="Days from `asOf` to `dueOn`: 0 when due that day, negative "
        "when overdue."
    )
    overdue: bool = strawberry.field(
        description="A deadline whose due day is before `asOf`, with nothing on "
        "record that meets it."
    )
    extended: bool = strawberry.field(
        description="Extended (a tribunal extension of time granted)."
    )
    period: bool = strawberry.field(
        description="A period of protection (the NRM recovery period) rather than "
        "a deadline: it ends by itself and is never overdue."
    )
    rule_id: str = strawberry.field(description="The rule it follows.")
    citation: str = strawberry.field(
        description="The rule's source; rules found only in secondary sources say "
        "*(check)*."
    )

    @classmethod
    def of(
        cls, found: DeadlineView, reader: CaseloadReader, as_of: date, within: int
    ) -> CaseDeadline:
        clock = found.clock
        left = (clock.due_on - as_of).days
        kind = ClockKind(clock.clock)
        return cls(
            case=CaseloadEntry.of(found.entry, reader, within),
            clock=kind,
            label=kind.label,
            started_by=clock.started_by,
            started_on=clock.started_on,
            due_on=clock.due_on,
            days_left=left,
            overdue=clock.deadline and left < 0,
            extended=clock.extended,
            period=not clock.deadline,
            rule_id=clock.rule_id,
            citation=clock.citation,
        )


@strawberry.type(
    description="A caseload: the open cases of an advocate or an organisation, "
    "the longest without contact first, with drift and the legal clocks."
)
class Caseload:
    organisation_id: str | None = strawberry.field(
        description="The organisation whose cases these are (null: any)."
    )
    advocate_id: str | None = strawberry.field(
        description="The advocate whose cases these are (null: any)."
    )
    as_of: date = strawberry.field(
        description="The day days are counted to, and deadlines judged as at "
        "(upcoming or overdue)."
    )
    within: int = strawberry.field(
        description="The drift window: a case quiet for at least this many days "
        "is drifting."
    )
    upcoming_days: int = strawberry.field(
        description="The upcoming window: a clock due within this many days of "
        "`asOf` is upcoming."
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
            _audited,
            info.context.gate,
            "cases",
            partial(
                self.reader.caseload,
                organisation_id=self.organisation_id,
                advocate_id=self.advocate_id,
                include_closed=self.include_closed,
            ),
        )
        return [CaseloadEntry.of(e, self.reader, self.within) for e in entries]

    @strawberry.field(
        description="Drift: the open cases with no contact (nor opening) for at "
        "least `within` days, the longest first."
    )
    async def drifting(self, info: Information) -> list[CaseloadEntry]:
        entries = await info.context.in_thread(
            _audited,
            info.context.gate,
            "drifting",
            partial(
                self.reader.drift,
                within=self.within,
                organisation_id=self.organisation_id,
                advocate_id=self.advocate_id,
            ),
        )
        return [CaseloadEntry.of(e, self.reader, self.within) for e in entries]

    @strawberry.field(
        description="The open legal clocks of the open cases due from `asOf` to "
        "`upcomingDays` days after it (both inclusive), the earliest first; a "
        "case with several such clocks appears once for each. The end of a "
        "recovery period counts."
    )
    async def upcoming(self, info: Information) -> list[CaseDeadline]:
        found = await info.context.in_thread(
            _audited,
            info.context.gate,
            "upcoming",
            partial(
                self.reader.upcoming,
                days=self.upcoming_days,
                as_of=self.as_of,
                organisation_id=self.organisation_id,
                advocate_id=self.advocate_id,
            ),
        )
        return [CaseDeadline.of(f, self.reader, self.as_of, self.within) for f in found]

    @strawberry.field(
        description="The open deadlines of the open cases due before `asOf` with "
        "nothing on record that meets them, the longest overdue first."
    )
    async def overdue(self, info: Information) -> list[CaseDeadline]:
        found = await info.context.in_thread(
            _audited,
            info.context.gate,
            "overdue",
            partial(
                self.reader.overdue,
                as_of=self.as_of,
                organisation_id=self.organisation_id,
                advocate_id=self.advocate_id,
            ),
        )
        return [CaseDeadline.of(f, self.reader, self.as_of, self.within) for f in found]


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


def _checked_ids(organisation_id: str | None, advocate_id: str | None) -> None:
    """Held to the rule every recorded id is, so nothing a view cannot be asked
    about (a NUL) reaches its query."""
    for field, value in (
        ("organisationId", organisation_id),
        ("advocateId", advocate_id),
    ):
        if value is not None:
            try:
                checked_text(value, field, IDENTIFIER_LIMIT, TextKind.IDENTIFIER)
            except InvalidField as refusal:
                raise InvalidArgument(field, refusal.message) from None


def _read_caseload(
    reader: CaseloadReader,
    gate: Gate,
    organisation_id: str | None,
    advocate_id: str | None,
    within: int | None,
    upcoming_days: int,
    include_closed: bool,
    at_least_position: int | None,
) -> Caseload:
    _checked_ids(organisation_id, advocate_id)
    organisation_id, advocate_id = gate.policy.caseload_scope(
        gate.principal, organisation_id, advocate_id
    )
    if within is not None and not 1 <= within <= MAX_DRIFT_DAYS:
        raise InvalidArgument("within", f"between 1 and {MAX_DRIFT_DAYS} days")
    if not 0 <= upcoming_days <= MAX_UPCOMING_DAYS:
        raise InvalidArgument("upcomingDays", f"between 0 and {MAX_UPCOMING_DAYS} days")
    if at_least_position is not None and at_least_position < 0:
        raise InvalidArgument("atLeastPosition", "a log position is 0 or more")
    position = reader.position(at_least=at_least_position)
    return Caseload(
        organisation_id=organisation_id,
        advocate_id=advocate_id,
        as_of=reader.today(),
        within=reader.window(within),
        upcoming_days=upcoming_days,
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
            description="Only this organisation's cases: your own (the default); "
            "naming another is refused."
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
    upcoming_days: Annotated[
        int,
        strawberry.argument(
            description="The upcoming window in days, 0 to "
            f"{MAX_UPCOMING_DAYS}: `upcoming` lists the open clocks due within it "
            f"(default {UPCOMING_DAYS}; 0: due today only)."
        ),
    ] = UPCOMING_DAYS,
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
            context.gate,
            organisation_id,
            advocate_id,
            within,
            upcoming_days,
            include_closed,
            at_least_position,
        )
    except ViewIsBehind as error:
        return NotYetProjected(
            message=str(error), requested=error.requested, position=error.position
        )
    except (NotPermittedError, InvalidArgument) as error:
        return failure_for(error)  # type: ignore[return-value]
