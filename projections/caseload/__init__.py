"""The caseload: open cases per advocate and organisation, with last contact,
drift and the legal clocks (next deadline, upcoming, overdue, open warnings),
materialised with exactly-once tracking in SQLite and PostgreSQL."""

from collections.abc import Mapping

from domain.clocks import DEFAULT_RULES, RuleBook
from projections.caseload.postgres import PostgresCaseloadView
from projections.caseload.projection import CaseloadProjection
from projections.caseload.reader import (
    DRIFT_DAYS,
    MAX_DRIFT_DAYS,
    MAX_UPCOMING_DAYS,
    UPCOMING_DAYS,
    CaseloadReader,
    Freshness,
    NotYetProjected,
)
from projections.caseload.sqlite import SQLiteCaseloadView
from projections.caseload.view import (
    CaseDeadline,
    CaseloadEntry,
    CaseloadView,
    ClocksSummarised,
    OpenClock,
)
from projections.tracking import construct_view


def caseload_view(
    persistence: Mapping[str, str], rules: RuleBook = DEFAULT_RULES
) -> CaseloadView:
    """The caseload view for the event store these settings name, judging the
    legal clocks by ``rules`` (a change of rules needs a rebuild)."""
    view = construct_view(
        CaseloadProjection.name,
        persistence,
        sqlite=SQLiteCaseloadView,
        postgres=PostgresCaseloadView,
    )
    view.rules = rules
    return view


__all__ = [
    "DRIFT_DAYS",
    "MAX_DRIFT_DAYS",
    "MAX_UPCOMING_DAYS",
    "UPCOMING_DAYS",
    "CaseDeadline",
    "CaseloadEntry",
    "CaseloadProjection",
    "CaseloadReader",
    "CaseloadView",
    "ClocksSummarised",
    "Freshness",
    "NotYetProjected",
    "OpenClock",
    "PostgresCaseloadView",
    "SQLiteCaseloadView",
    "caseload_view",
]
