"""An export of one case's chronology, read from the log: now, as at a moment,
or exactly as it was served."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from uuid import UUID

from domain.application import CaseJourneys
from domain.errors import CaseNotFound
from projections.case_stream import StepHistoryFold
from projections.chronology import Purpose, chronology_of
from projections.chronology.fold import BundleChoice
from projections.chronology.served import as_served
from projections.exports.table import ExportedChronology, export_table


def export_chronology(
    journeys: CaseJourneys,
    case_id: UUID,
    *,
    purpose: Purpose = Purpose.FULL,
    as_at: datetime | None = None,
    with_history: bool = False,
    bundle: BundleChoice | None = None,
    served: UUID | None = None,
    include_sensitive: bool = False,
    now: datetime | None = None,
) -> ExportedChronology:
    """Raises ``CaseNotFound`` for no such case, or none yet opened by ``as_at``;
    with ``served``, the purpose and bundle are the service's own. Sensitive
    steps (as marked now, even for a past moment) are left out unless
    ``include_sensitive``."""
    # The position first: every event the fold reads is at or before it.
    position = journeys.log_position()
    everything = journeys.case_events(case_id)
    events = [e for e in everything if as_at is None or e.timestamp <= as_at]
    if not events:
        raise CaseNotFound(case_id)
    sensitive: frozenset[UUID] | None = None
    if not include_sensitive:
        fold = StepHistoryFold()
        for event in everything:
            fold.fold(event)
        sensitive = fold.sensitive_steps()
    served_words = None
    if served is not None:
        service, chronology = as_served(
            everything, served, include_sensitive=include_sensitive
        )
        # As at the last event served, so the heading says when it stood so.
        chronology = replace(
            chronology, as_at=events[service.case_version - 1].timestamp
        )
        served_words = f"on {day_of(service.served_on)} to {service.served_to}"
    else:
        chronology = chronology_of(
            events,
            purpose=purpose,
            as_at=as_at,
            bundle=bundle,
            include_sensitive=include_sensitive,
            sensitive_now=sensitive,
        )
    return export_table(
        chronology,
        log_position=position,
        exported_at=now or datetime.now(UTC),
        with_history=with_history,
        service_id=served,
        served=served_words,
        sensitive_steps=None if sensitive is None else tuple(sensitive),
    )


def day_of(served_on: date) -> str:
    return f"{served_on.day} {served_on:%B %Y}"
