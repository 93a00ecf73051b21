"""An export of one case's chronology, read from the log as at a moment."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from domain.application import CaseJourneys
from domain.errors import CaseNotFound
from projections.chronology import Purpose, chronology_of
from projections.exports.table import ExportedChronology, export_table


def export_chronology(
    journeys: CaseJourneys,
    case_id: UUID,
    *,
    purpose: Purpose = Purpose.FULL,
    as_at: datetime | None = None,
    with_history: bool = False,
    now: datetime | None = None,
) -> ExportedChronology:
    """Raises ``CaseNotFound`` for no such case, or none yet opened by ``as_at``."""
    # The position first: every event the fold reads is at or before it.
    position = journeys.log_position()
    events = journeys.case_events(case_id, until=as_at)
    if not events:
        raise CaseNotFound(case_id)
    return export_table(
        chronology_of(events, purpose=purpose, as_at=as_at),
        log_position=position,
        exported_at=now or datetime.now(UTC),
        with_history=with_history,
    )
