"""Retention: how long a case is kept after it closes.

A case closed (and not reopened since) more than the retention period ago is due
for erasure on the ground ``retention_expired`` (storage limitation, UK GDPR art.
5(1)(e)). Days count in the UK, from the day the case last closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from domain.application import CaseJourneys
from domain.dates import uk_day


@dataclass(frozen=True)
class RetentionDue:
    case_id: UUID
    closed_on: date
    #: Days since the retention period ended.
    days_past: int


def past_retention(
    journeys: CaseJourneys, retention_days: int, today: date
) -> list[RetentionDue]:
    """The cases closed more than ``retention_days`` days before ``today``, the
    longest closed first."""
    if retention_days < 1:
        raise ValueError("the retention period is at least one day")
    due = []
    for case_id, closed_at in journeys.closed_cases().items():
        closed_on = uk_day(closed_at)
        past = (today - closed_on).days - retention_days
        if past > 0:
            due.append(RetentionDue(case_id, closed_on, past))
    return sorted(due, key=lambda case: (case.closed_on, str(case.case_id)))
