"""The caseload view: one row per case, with what an advocate's list needs.

Each row holds the case's organisation, advocate, jurisdiction and local authority
as they stand now, when it was opened, whether it is closed, and its last contact:
the latest ``engagement.contact`` step's date (its earliest possible day) and when
that step was recorded. Rows stay when a case is handed over, transferred or
closed; queries choose the open cases of an advocate or an organisation.

Two tables of facts sit behind the row, so that a correction or retraction can be
undone exactly: the case's contacts, and its moves (``transition.moved_area``
steps). After every write the row's last contact and area are recomputed from
them for the cases touched: the local authority is the latest move's (by the day
it happened, then stated order, then as recorded), else the one the case was
opened with; the jurisdiction is the latest move's that names one, else the
opening's.

**The legal clocks.** A third table of facts keeps every step's current kind
and, for the kinds the clocks read, its current reading (a correction replaces
it, a retraction marks it); a fourth, the survivor's date of birth. After every
write the clocks of each case touched are judged again, from those facts and the
jurisdiction the case was opened in, by the domain's ``clocks_of``
(``projections.caseload.clocks``); its open clocks are kept in a fifth table,
and its row's ``next_deadline_on``, ``next_deadline_clock`` and ``open_warnings``
are set through a ``ClocksSummarised`` change. Nothing there depends on the day
the write happens: whether an open clock is running or overdue is decided by the
query, from its due day.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from domain.clocks import RuleBook
from projections.tracking import BatchView

# Changes: what the projection's handlers return, and the views write.


@dataclass(frozen=True)
class CaseAdded:
    case_id: UUID
    reference: str
    organisation_id: str
    jurisdiction: str
    local_authority: str | None
    opened_at: datetime
    #: The day it was opened, in the UK: drift counts from it until a contact.
    opened_on: date


@dataclass(frozen=True)
class AdvocateChanged:
    case_id: UUID
    advocate_id: str
    at: datetime


@dataclass(frozen=True)
class OrganisationChanged:
    case_id: UUID
    organisation_id: str
    from_organisation_id: str
    at: datetime


@dataclass(frozen=True)
class MarkedClosed:
    case_id: UUID
    at: datetime


@dataclass(frozen=True)
class MarkedReopened:
    case_id: UUID
    #: The day it was reopened, in the UK: drift counts from it until a contact.
    on: date


@dataclass(frozen=True)
class ContactNoted:
    """A contact step recorded, or corrected (it keeps when it was first noted)."""

    case_id: UUID
    step_id: UUID
    #: The contact's earliest possible day; None when undated or open-started.
    on: date | None
    recorded_at: datetime


@dataclass(frozen=True)
class ContactForgotten:
    """The step is not (or no longer) a contact: retracted or corrected."""

    case_id: UUID
    step_id: UUID


@dataclass(frozen=True)
class AreaNoted:
    """A move of area recorded, or corrected (it keeps its place in the log)."""

    case_id: UUID
    step_id: UUID
    #: The day it counts from: the earliest possible day, else the latest, else
    #: (undated) the day it was recorded.
    on: date
    order: int
    #: The case's version when the step was first recorded: same-day facts
    #: with the same stated order count in the order recorded.
    version: int
    local_authority: str
    #: Set when the move names a jurisdiction; else the jurisdiction stands.
    jurisdiction: str | None


@dataclass(frozen=True)
class AreaForgotten:
    case_id: UUID
    step_id: UUID


@dataclass(frozen=True)
class StepNoted:
    """A step recorded, or corrected (it keeps its place: the case's version
    when it was first recorded), as the clocks and the warnings need it."""

    case_id: UUID
    step_id: UUID
    kind: str
    #: The case's version when the step was recorded: orders same-day steps.
    sequence: int
    #: For the kinds the clocks read, the reading they need, as JSON
    #: (``projections.caseload.clocks.fact_of``); None for the rest.
    fact: str | None


@dataclass(frozen=True)
class StepForgotten:
    """A step retracted: it no longer counts for the clocks nor the warnings."""

    case_id: UUID
    step_id: UUID


@dataclass(frozen=True)
class BornNoted:
    """The survivor's date of birth (an ``UncertainDate``), as JSON."""

    case_id: UUID
    born: str


@dataclass(frozen=True)
class CaseForgotten:
    """The case was erased: every row of it goes (``domain.erasure``)."""

    case_id: UUID


@dataclass(frozen=True)
class ClocksSummarised:
    """The case's next deadline and open warnings, judged from its facts."""

    case_id: UUID
    next_deadline_on: date | None
    next_deadline_clock: str | None
    open_warnings: int | None


Change = (
    CaseAdded
    | AdvocateChanged
    | OrganisationChanged
    | MarkedClosed
    | MarkedReopened
    | ContactNoted
    | ContactForgotten
    | AreaNoted
    | AreaForgotten
    | StepNoted
    | StepForgotten
    | BornNoted
    | ClocksSummarised
    | CaseForgotten
)

#: Changes after which the case's last contact and area are recomputed.
RECOMPUTING = (ContactNoted, ContactForgotten, AreaNoted, AreaForgotten, MarkedReopened)
#: Changes after which the case's clocks and warnings are judged again.
CLOCKING = (CaseAdded, StepNoted, StepForgotten, BornNoted)


@dataclass(frozen=True)
class OpenClock:
    """A legal clock of a case that nothing on record has stopped: running,
    extended, or missed and still open. Judged from the log alone; whether it is
    overdue depends on the day asked about (``CaseloadReader``)."""

    case_id: UUID
    #: The step that started it.
    started_by: UUID
    #: Its ``ClockKind`` (``cica_review_request``).
    clock: str
    started_on: date
    #: The day it falls due (as extended, for an extended clock).
    due_on: date
    rule_id: str
    citation: str
    #: True for a deadline, which falls overdue when its day passes with nothing
    #: on record; False for a period of protection (the NRM recovery period),
    #: which simply ends: it is upcoming, never overdue nor the next deadline.
    deadline: bool
    #: Extended (a tribunal extension granted).
    extended: bool


@dataclass(frozen=True)
class CaseDeadline:
    """An open clock, with the case on whose caseload it stands."""

    entry: CaseloadEntry
    clock: OpenClock


@dataclass(frozen=True)
class CaseloadEntry:
    """A case on a caseload, as the view holds it."""

    case_id: UUID
    reference: str
    organisation_id: str
    advocate_id: str | None
    advocate_since: datetime | None
    jurisdiction: str
    local_authority: str | None
    opened_at: datetime
    closed: bool
    closed_at: datetime | None
    last_contact_on: date | None
    last_contact_recorded_at: datetime | None
    #: The later of the last contact and the day the case was (re)opened:
    #: the case has been quiet since this day.
    quiet_since: date
    transferred_from: str | None
    transferred_at: datetime | None
    #: The earliest due day of the case's open deadlines (past, when overdue).
    next_deadline_on: date | None
    next_deadline_clock: str | None
    open_warnings: int | None


class CaseloadView(BatchView):
    """The caseload, materialised with exactly-once tracking."""

    #: The rules the legal clocks are judged by.
    rules: RuleBook

    @abstractmethod
    def caseload(
        self,
        *,
        organisation_id: str | None = None,
        advocate_id: str | None = None,
        include_closed: bool = False,
        quiet_since_on_or_before: date | None = None,
    ) -> list[CaseloadEntry]:
        """Cases matching every filter given, the longest quiet first (then by
        reference). ``quiet_since_on_or_before`` keeps only the cases that have
        been quiet since that day or earlier: drift."""

    def drift(
        self,
        *,
        quiet_since_on_or_before: date,
        organisation_id: str | None = None,
        advocate_id: str | None = None,
    ) -> list[CaseloadEntry]:
        """Open cases with no contact since the given day (inclusive)."""
        return self.caseload(
            organisation_id=organisation_id,
            advocate_id=advocate_id,
            quiet_since_on_or_before=quiet_since_on_or_before,
        )

    @abstractmethod
    def entry(self, case_id: UUID) -> CaseloadEntry | None:
        """One case's row, open or closed."""

    @abstractmethod
    def in_order_opened(
        self,
        *,
        limit: int,
        after: tuple[datetime, UUID] | None = None,
        organisation_id: str | None = None,
        closed: bool | None = None,
    ) -> list[CaseloadEntry]:
        """Up to ``limit`` cases, open and closed, in the order opened (then by
        id), from just after the position ``after`` (when opened, case id):
        a page of a listing, read by index."""

    @abstractmethod
    def deadlines(
        self,
        *,
        due_on_or_after: date | None = None,
        due_on_or_before: date | None = None,
        deadlines_only: bool = False,
        organisation_id: str | None = None,
        advocate_id: str | None = None,
    ) -> list[CaseDeadline]:
        """The open clocks of open cases matching every filter given, the
        earliest due first (then by reference and clock). ``deadlines_only``
        leaves out periods of protection."""

    @abstractmethod
    def open_clocks(self, case_id: UUID) -> list[OpenClock]:
        """One case's open clocks, open or closed case, the earliest due first."""


def clocked(changes: Sequence[Change]) -> list[UUID]:
    """The cases whose clocks and warnings must be judged again, in order."""
    return _kept(changes, CLOCKING)


def touched(changes: Sequence[Change]) -> list[UUID]:
    """The cases whose last contact and area must be recomputed, in order."""
    return _kept(changes, RECOMPUTING)


def _kept(changes: Sequence[Change], kinds: tuple[type[Any], ...]) -> list[UUID]:
    # An erased case has no rows left to recompute.
    forgotten = {c.case_id for c in changes if isinstance(c, CaseForgotten)}
    return list(
        dict.fromkeys(
            c.case_id
            for c in changes
            if isinstance(c, kinds) and c.case_id not in forgotten
        )
    )
