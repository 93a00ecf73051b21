"""Folds a case's events into its chronology.

The chronology is folded live from the case's own stream: always consistent with
the log, and "as at" any past moment is the same fold stopped at that moment.
Rows are gathered in mutable drafts and frozen once, at the end, so a long case
costs one pass over its events.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.case import (
    CaseEvent,
    StepDisputed,
)
from domain.dates import UncertainDate
from domain.steps import StepReading
from domain.vocabulary import plausibility_warnings, step_kind
from projections.case_stream import StepHistory, StepHistoryFold
from projections.chronology.rows import (
    Chronology,
    ChronologyRow,
    Dispute,
    Purpose,
    Retraction,
    SourceCite,
    StepVersion,
)


class ChronologyFold(StepHistoryFold):
    """Mutable state while folding; frozen into a ``Chronology`` at the end."""

    def freeze(
        self,
        purpose: Purpose,
        as_at: datetime | None,
        changed_since: datetime | None,
        *,
        include_sensitive: bool = True,
        sensitive_now: Collection[UUID] | None = None,
    ) -> Chronology:
        """The chronology as folded. Sensitive steps are left out (and counted)
        unless ``include_sensitive``; which steps are sensitive is as the fold
        stands, or ``sensitive_now`` (a past moment's chronology still leaves
        out what is marked sensitive today)."""
        opened, last = self.opening()
        sensitive = self.sensitive_steps() if sensitive_now is None else sensitive_now
        selected = self.in_purpose(purpose)
        selected, sensitive_left_out = leave_out_sensitive(
            selected, sensitive, include=include_sensitive
        )
        return Chronology(
            case_id=opened.originator_id,
            reference=opened.reference,
            jurisdiction=opened.jurisdiction,
            purpose=purpose,
            as_at=as_at,
            changed_since=changed_since,
            rows=tuple(self.rows(selected, changed_since)),
            version=last.originator_version,
            chain_head=last.chain_hash(),
            sensitive_left_out=sensitive_left_out,
        )

    def in_purpose(self, purpose: Purpose) -> list[UUID]:
        """The steps of the areas the purpose selects, in the order recorded."""
        return [
            step_id
            for step_id, draft in self.steps.items()
            if purpose.includes(step_kind(draft.kind).area)
        ]

    def rows(
        self, selected: Iterable[UUID], changed_since: datetime | None
    ) -> list[ChronologyRow]:
        on_record = {
            draft.kind for draft in self.steps.values() if draft.retraction is None
        }
        rows = []
        for step_id in selected:
            draft = self.steps[step_id]
            if changed_since is not None and draft.last_changed_at() <= changed_since:
                continue
            rows.append((self._row(step_id, draft, on_record), draft.sequence))
        rows.sort(key=lambda pair: pair[0].sort_key(pair[1]))
        return [row for row, _ in rows]

    def _row(
        self, step_id: UUID, draft: StepHistory, on_record: set[str]
    ) -> ChronologyRow:
        kind = step_kind(draft.kind)
        retraction = draft.retraction
        return ChronologyRow(
            step_id=step_id,
            label=kind.label,
            area=kind.area,
            history=tuple(
                self._version(event, record, reason)
                for event, record, reason in draft.versions
            ),
            disputes=tuple(self._dispute(event) for event in draft.disputes),
            retraction=(
                Retraction(
                    retraction.reason, retraction.timestamp, retraction.recorded_by
                )
                if retraction is not None
                else None
            ),
            warnings=()
            if retraction is not None
            else plausibility_warnings(kind.code, on_record),
        )

    def _version(
        self, event: CaseEvent, record: dict[str, Any], reason: str | None
    ) -> StepVersion:
        reading = StepReading.from_record(record)
        return StepVersion(
            kind=reading.kind,
            occurred=reading.occurred,
            summary=reading.summary,
            details=reading.details,
            sources=self._cites(record["sources"]),
            order=reading.order,
            recorded_at=event.timestamp,
            recorded_by=event.recorded_by,
            reason=reason,
        )

    def _dispute(self, event: StepDisputed) -> Dispute:
        return Dispute(
            disputed_by=event.disputed_by,
            other_version=event.other_version,
            other_occurred=(
                UncertainDate.from_record(event.other_occurred)
                if event.other_occurred
                else None
            ),
            sources=self._cites(event.sources),
            recorded_at=event.timestamp,
            recorded_by=event.recorded_by,
        )

    def _cites(self, sources: Iterable[dict[str, Any]]) -> tuple[SourceCite, ...]:
        # A source may name attached evidence by id, attached before or after it.
        cites = []
        for source in sources:
            document = self.documents.get(source["document"])
            cites.append(
                SourceCite(
                    document=source["document"],
                    pin=source["pin"],
                    title=document.title if document else None,
                    bundle_ref=document.bundle_ref if document else None,
                )
            )
        return tuple(cites)


def leave_out_sensitive(
    selected: list[UUID], sensitive: Collection[UUID], *, include: bool
) -> tuple[list[UUID], int]:
    """The selection without its sensitive steps (unless ``include``), and how
    many were left out."""
    if include:
        return selected, 0
    kept = [step_id for step_id in selected if step_id not in sensitive]
    return kept, len(selected) - len(kept)


def chronology_of(
    events: Iterable[CaseEvent],
    *,
    purpose: Purpose = Purpose.FULL,
    as_at: datetime | None = None,
    changed_since: datetime | None = None,
    include_sensitive: bool = True,
    sensitive_now: Collection[UUID] | None = None,
) -> Chronology:
    """The chronology of one case from its events, earliest first."""
    state = ChronologyFold()
    for event in events:
        if as_at is not None and event.timestamp > as_at:
            break
        state.fold(event)
    return state.freeze(
        purpose,
        as_at,
        changed_since,
        include_sensitive=include_sensitive,
        sensitive_now=sensitive_now,
    )
