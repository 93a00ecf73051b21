"""Reads the caseload view: an advocate's or an organisation's open cases, drift
(open cases with no contact for N days), and their legal clocks: deadlines
upcoming within N days and overdue ones, as at a day, as fresh as the caller
asks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Protocol
from uuid import UUID

from projections.caseload.view import CaseDeadline, CaseloadEntry, CaseloadView

#: Drift: an open case with no contact for this many days (WAYMARK_DRIFT_DAYS).
DRIFT_DAYS = 28
#: Upcoming: an open clock due within this many days (inclusive of today).
UPCOMING_DAYS = 14
#: The longest upcoming window a query may ask for (ten years).
MAX_UPCOMING_DAYS = 3653
#: How long a read-your-writes query waits for the view, at most.
WAIT_SECONDS = 2.0
#: The longest drift window a query may ask for (ten years).
MAX_DRIFT_DAYS = 3653


class Freshness(Protocol):
    """How current a view is, and waiting for it (``ProjectionWorker``)."""

    def position(self) -> int: ...

    def wait_for(self, position: int, timeout: float) -> bool: ...


class NotYetProjected(Exception):
    """The view had not processed the asked-for log position in time."""

    def __init__(self, requested: int, position: int) -> None:
        super().__init__(
            f"the caseload reflects the log up to position {position}, not yet "
            f"{requested}; ask again shortly"
        )
        self.requested = requested
        self.position = position


class CaseloadReader:
    def __init__(
        self,
        view: CaseloadView,
        freshness: Freshness,
        *,
        today: Callable[[], date],
        drift_days: int = DRIFT_DAYS,
        wait_seconds: float = WAIT_SECONDS,
    ) -> None:
        if not 1 <= drift_days <= MAX_DRIFT_DAYS:
            raise ValueError(f"drift_days must be between 1 and {MAX_DRIFT_DAYS}")
        self.view = view
        self.freshness = freshness
        self.today = today
        self.drift_days = drift_days
        self.wait_seconds = wait_seconds

    def position(self, at_least: int | None = None) -> int:
        """The log position the view reflects, having waited (boundedly) for it to
        reach ``at_least``; raises ``NotYetProjected`` if it did not."""
        if at_least is not None and not self.freshness.wait_for(
            at_least, self.wait_seconds
        ):
            raise NotYetProjected(at_least, self.freshness.position())
        return self.freshness.position()

    def caseload(
        self,
        *,
        organisation_id: str | None = None,
        advocate_id: str | None = None,
        include_closed: bool = False,
    ) -> list[CaseloadEntry]:
        """The cases, the longest without contact first."""
        return self.view.caseload(
            organisation_id=organisation_id,
            advocate_id=advocate_id,
            include_closed=include_closed,
        )

    def in_order_opened(
        self,
        *,
        limit: int,
        after: tuple[datetime, UUID] | None = None,
        organisation_id: str | None = None,
        closed: bool | None = None,
    ) -> list[CaseloadEntry]:
        """Cases open and closed, in the order opened, from after a position
        (when opened, case id): a page of a listing."""
        return self.view.in_order_opened(
            limit=limit, after=after, organisation_id=organisation_id, closed=closed
        )

    def drift(
        self,
        *,
        within: int | None = None,
        organisation_id: str | None = None,
        advocate_id: str | None = None,
    ) -> list[CaseloadEntry]:
        """Open cases with no contact (nor opening) within ``within`` days."""
        return self.view.drift(
            quiet_since_on_or_before=self.cutoff(within),
            organisation_id=organisation_id,
            advocate_id=advocate_id,
        )

    def upcoming(
        self,
        *,
        days: int = UPCOMING_DAYS,
        as_of: date | None = None,
        organisation_id: str | None = None,
        advocate_id: str | None = None,
    ) -> list[CaseDeadline]:
        """Open clocks of open cases due from ``as_of`` (default today) to
        ``days`` days after it, both inclusive, the earliest first. Periods of
        protection (the recovery period) count: their end is upcoming."""
        if not 0 <= days <= MAX_UPCOMING_DAYS:
            raise ValueError(f"days must be between 0 and {MAX_UPCOMING_DAYS}")
        day = as_of or self.today()
        return self.view.deadlines(
            due_on_or_after=day,
            due_on_or_before=day + timedelta(days=days),
            organisation_id=organisation_id,
            advocate_id=advocate_id,
        )

    def overdue(
        self,
        *,
        as_of: date | None = None,
        organisation_id: str | None = None,
        advocate_id: str | None = None,
    ) -> list[CaseDeadline]:
        """Open deadlines of open cases whose due day is before ``as_of``
        (default today), with nothing on record that stops them: the longest
        overdue first. A period of protection that has run is not overdue."""
        day = as_of or self.today()
        return self.view.deadlines(
            due_on_or_before=day - timedelta(days=1),
            deadlines_only=True,
            organisation_id=organisation_id,
            advocate_id=advocate_id,
        )

    def cutoff(self, within: int | None = None) -> date:
        """A case quiet since this day or earlier has drifted."""
        return self.today() - timedelta(days=self.window(within))

    def window(self, within: int | None = None) -> int:
        days = self.drift_days if within is None else within
        if not 1 <= days <= MAX_DRIFT_DAYS:
            raise ValueError(f"within must be between 1 and {MAX_DRIFT_DAYS} days")
        return days

    def is_drifting(self, entry: CaseloadEntry, within: int | None = None) -> bool:
        return not entry.closed and entry.quiet_since <= self.cutoff(within)

    def days_since(self, day: date | None) -> int | None:
        return None if day is None else (self.today() - day).days
