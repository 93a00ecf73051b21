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

**Hook for the legal clocks**: ``next_deadline_on``, ``next_deadline_clock`` and
``open_warnings`` are null until the legal clocks fill them, through
``ClocksSummarised`` changes returned by ``CaseloadProjection.clock_changes``.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

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
class ClocksSummarised:
    """HOOK for the legal clocks: the case's next deadline and open warnings."""

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
    | ClocksSummarised
)

#: Changes after which the case's last contact and area are recomputed.
RECOMPUTING = (ContactNoted, ContactForgotten, AreaNoted, AreaForgotten, MarkedReopened)


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
    #: Filled by the legal clocks; null until they are computed.
    next_deadline_on: date | None
    next_deadline_clock: str | None
    open_warnings: int | None


class CaseloadView(BatchView):
    """The caseload, materialised with exactly-once tracking."""

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


def in_rounds(changes: Sequence[Change]) -> list[tuple[type[Change], list[Change]]]:
    """The changes grouped for writing in few statements, each case's in order.

    Changes to different cases touch different rows, so they commute; one
    case's must stay in order. Each case's changes split into runs of one type;
    the k-th runs of all cases make round k, written after round k - 1, one
    group per type. A page of events thus needs a statement per type per round,
    not one per change.
    """
    runs: dict[UUID, tuple[int, type[Change]]] = {}
    rounds: list[dict[type[Change], list[Change]]] = []
    for change in changes:
        kind = type(change)
        index, last = runs.get(change.case_id, (-1, None))
        if last is not kind:
            index += 1
            runs[change.case_id] = (index, kind)
            if index == len(rounds):
                rounds.append({})
        rounds[index].setdefault(kind, []).append(change)
    return [group for round_ in rounds for group in round_.items()]


def touched(changes: Sequence[Change]) -> list[UUID]:
    """The cases whose last contact and area must be recomputed, in order."""
    return list(dict.fromkeys(c.case_id for c in changes if isinstance(c, RECOMPUTING)))
