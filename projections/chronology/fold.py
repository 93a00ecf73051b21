"""Folds a case's events into its chronology.

The chronology is folded live from the case's own stream: always consistent with
the log, and "as at" any past moment is the same fold stopped at that moment.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from domain.case import (
    CaseEvent,
    CaseOpened,
    CaseTransferred,
    EvidenceAttached,
    StepCorrected,
    StepDisputed,
    StepRecorded,
    StepRetracted,
)
from domain.dates import UncertainDate
from domain.hashchain import GENESIS
from domain.steps import StepReading
from domain.vocabulary import STEP_KINDS, step_kind
from projections.chronology.rows import (
    Chronology,
    ChronologyRow,
    Dispute,
    Purpose,
    Retraction,
    SourceCite,
    StepVersion,
)


@dataclass
class _Document:
    title: str
    bundle_ref: str | None


@dataclass
class _ChronologyFold:
    """Mutable state while folding; frozen into a ``Chronology`` at the end."""

    case_id: UUID | None = None
    reference: str = ""
    jurisdiction: str = ""
    version: int = 0
    chain_head: str = GENESIS
    rows: dict[UUID, ChronologyRow] = field(default_factory=dict)
    sequence: dict[UUID, int] = field(default_factory=dict)
    documents: dict[str, _Document] = field(default_factory=dict)

    def fold(self, event: CaseEvent) -> None:
        self.apply(event)
        self.version = event.originator_version
        self.chain_head = event.chain_hash()

    @singledispatchmethod
    def apply(self, event: CaseEvent) -> None:
        """Case facts that do not change the chronology's rows."""

    @apply.register
    def _(self, event: CaseOpened) -> None:
        self.case_id = event.originator_id
        self.reference = event.reference
        self.jurisdiction = event.jurisdiction

    @apply.register
    def _(self, event: CaseTransferred) -> None:
        """A transfer keeps the chronology whole; nothing to fold."""

    @apply.register
    def _(self, event: EvidenceAttached) -> None:
        self.documents[str(event.document_id)] = _Document(
            event.title, event.bundle_ref
        )

    @apply.register
    def _(self, event: StepRecorded) -> None:
        version = self._version(event, event.reading, reason=None)
        kind = step_kind(version.kind)
        self.sequence[event.step_id] = len(self.sequence)
        self.rows[event.step_id] = ChronologyRow(
            step_id=event.step_id,
            label=kind.label,
            area=kind.area,
            history=(version,),
            disputes=(),
            retraction=None,
            warnings=(),
        )

    @apply.register
    def _(self, event: StepCorrected) -> None:
        row = self.rows[event.step_id]
        version = self._version(event, event.reading, reason=event.reason)
        kind = step_kind(version.kind)
        self.rows[event.step_id] = replace(
            row, label=kind.label, area=kind.area, history=(*row.history, version)
        )

    @apply.register
    def _(self, event: StepRetracted) -> None:
        row = self.rows[event.step_id]
        retraction = Retraction(event.reason, event.timestamp, event.recorded_by)
        self.rows[event.step_id] = replace(row, retraction=retraction)

    @apply.register
    def _(self, event: StepDisputed) -> None:
        row = self.rows[event.step_id]
        dispute = Dispute(
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
        self.rows[event.step_id] = replace(row, disputes=(*row.disputes, dispute))

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

    @staticmethod
    def _cites(sources: Iterable[dict[str, Any]]) -> tuple[SourceCite, ...]:
        return tuple(
            SourceCite(source["document"], source["pin"]) for source in sources
        )

    def finish(self) -> list[ChronologyRow]:
        """Rows with their sources resolved to evidence and their warnings."""
        on_record = {
            row.current.kind for row in self.rows.values() if row.retraction is None
        }
        return [
            replace(
                row,
                history=tuple(
                    replace(v, sources=self._resolve(v.sources)) for v in row.history
                ),
                disputes=tuple(
                    replace(d, sources=self._resolve(d.sources)) for d in row.disputes
                ),
                warnings=_plausibility(row, on_record),
            )
            for row in self.rows.values()
        ]

    def _resolve(self, cites: tuple[SourceCite, ...]) -> tuple[SourceCite, ...]:
        # A source may name attached evidence by id, attached before or after it.
        resolved = []
        for cite in cites:
            document = self.documents.get(cite.document)
            if document is not None:
                cite = replace(
                    cite, title=document.title, bundle_ref=document.bundle_ref
                )
            resolved.append(cite)
        return tuple(resolved)


def _plausibility(row: ChronologyRow, on_record: set[str]) -> tuple[str, ...]:
    """Warnings, never refusals: advocates often join a journey midway."""
    if row.retraction is not None:
        return ()
    expects = step_kind(row.current.kind).expects
    if not expects or on_record.intersection(expects):
        return ()
    missing = " or ".join(f"“{STEP_KINDS[code].label}”" for code in expects)
    return (f"{row.label} recorded, but no {missing} step is on record",)


def chronology_of(
    events: Iterable[CaseEvent],
    *,
    purpose: Purpose = Purpose.FULL,
    as_at: datetime | None = None,
    changed_since: datetime | None = None,
) -> Chronology:
    """The chronology of one case from its events, earliest first."""
    state = _ChronologyFold()
    for event in events:
        if as_at is not None and event.timestamp > as_at:
            break
        state.fold(event)
    if state.case_id is None:
        raise ValueError("a chronology needs the case's opening event")
    rows = [
        row
        for row in state.finish()
        if purpose.includes(row.area)
        and (changed_since is None or row.last_changed_at > changed_since)
    ]
    rows.sort(key=lambda row: row.sort_key(state.sequence[row.step_id]))
    return Chronology(
        case_id=state.case_id,
        reference=state.reference,
        jurisdiction=state.jurisdiction,
        purpose=purpose,
        as_at=as_at,
        changed_since=changed_since,
        rows=tuple(rows),
        version=state.version,
        chain_head=state.chain_head,
    )
