"""The caseload: open cases per advocate and organisation, with last contact and
drift, materialised with exactly-once tracking in SQLite and PostgreSQL."""

from collections.abc import Mapping

from projections.caseload.postgres import PostgresCaseloadView
from projections.caseload.projection import CaseloadProjection
from projections.caseload.reader import (
    DRIFT_DAYS,
    MAX_DRIFT_DAYS,
    CaseloadReader,
    Freshness,
    NotYetProjected,
)
from projections.caseload.sqlite import SQLiteCaseloadView
from projections.caseload.view import CaseloadEntry, CaseloadView, ClocksSummarised
from projections.tracking import construct_view


def caseload_view(persistence: Mapping[str, str]) -> CaseloadView:
    """The caseload view for the event store these settings name."""
    return construct_view(
        CaseloadProjection.name,
        persistence,
        sqlite=SQLiteCaseloadView,
        postgres=PostgresCaseloadView,
    )


__all__ = [
    "DRIFT_DAYS",
    "MAX_DRIFT_DAYS",
    "CaseloadEntry",
    "CaseloadProjection",
    "CaseloadReader",
    "CaseloadView",
    "ClocksSummarised",
    "Freshness",
    "NotYetProjected",
    "PostgresCaseloadView",
    "SQLiteCaseloadView",
    "caseload_view",
]
