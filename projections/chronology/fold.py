"""Folds a case's events into its chronology.

The chronology is folded live from the case's own stream: always consistent with
the log, and "as at" any past moment is the same fold stopped at that moment.
Rows are gathered in mutable drafts and frozen once, at the end, so a long case
costs one pass over its events.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.bundles import Placement
from domain.case import (
    CaseEvent,
    StepDisputed,
)
from domain.dates import UncertainDate
from domain.errors import CommandRefused
from domain.steps import StepReading
from domain.vocabulary import plausibility_warnings, step_kind
from projections.case_stream import Document, StepHistory, StepHistoryFold
from projections.chronology.rows import (
    Chronology,
    ChronologyRow,
    Dispute,
    Retraction,
    SourceCite,
    StepVersion,
)
from projections.chronology.selection import LeftOut, Purpose, selection_for


@dataclass(frozen=True)
class BundleChoice:
    """The bundle whose pagination a chronology's references follow: a version,
    or the newest one."""

    bundle_id: UUID
    version: int | None = None


class UnknownBundle(CommandRefused):
    """The case holds no such bundle, or no such version of it."""

    def __init__(self, choice: BundleChoice) -> None:
        version = "" if choice.version is None else f" version {choice.version}"
        super().__init__(
            f"no bundle {choice.bundle_id}{version} on this case", field="bundleId"
        )


class ChronologyFold(StepHistoryFold):
    """Mutable state while folding; frozen into a ``Chronology`` at the end."""

    def freeze(
        self,
        purpose: Purpose,
        as_at: datetime | None,
        changed_since: datetime | None,
        bundle: BundleChoice | None = None,
        *,
        include_sensitive: bool = True,
        sensitive_now: Collection[UUID] | None = None,
    ) -> Chronology:
        """The chronology as folded. Sensitive steps are left out (and counted)
        unless ``include_sensitive``; which steps are sensitive is as the fold
        stands, or ``sensitive_now`` (a past moment's chronology still leaves
        out what is marked sensitive today)."""
        opened, last = self.opening()
        chosen = self.bundle(bundle.bundle_id, bundle.version) if bundle else None
        if bundle is not None and chosen is None:
            raise UnknownBundle(bundle)
        self._placements = chosen.placements() if chosen else None
        hidden: Collection[UUID] = ()
        if not include_sensitive:
            hidden = self.sensitive_steps() if sensitive_now is None else sensitive_now
        rows, left_out, sensitive_left_out = self.rows(purpose, changed_since, hidden)
        return Chronology(
            case_id=opened.originator_id,
            reference=opened.reference,
            jurisdiction=opened.jurisdiction,
            purpose=purpose,
            as_at=as_at,
            changed_since=changed_since,
            rows=tuple(rows),
            selection=selection_for(purpose).stated(left_out),
            version=last.originator_version,
            chain_head=last.chain_hash(),
            bundle=chosen,
            sensitive_left_out=sensitive_left_out,
        )

    def rows(
        self,
        purpose: Purpose,
        changed_since: datetime | None,
        hidden: Collection[UUID] = (),
    ) -> tuple[list[ChronologyRow], Counter[LeftOut], int]:
        """The rows the purpose shows, in order; how many steps each of its
        reasons left out; and how many of the rest were ``hidden`` as sensitive
        (of those ``changed_since`` would list)."""
        selection = selection_for(purpose)
        on_record = {
            draft.kind for draft in self.steps.values() if draft.retraction is None
        }
        rows = []
        left_out: Counter[LeftOut] = Counter()
        sensitive_left_out = 0
        for step_id, draft in self.steps.items():
            if changed_since is not None and draft.last_changed_at() <= changed_since:
                continue
            reason = selection.reason_left_out(step_kind(draft.kind))
            if reason is not None:
                left_out[reason] += 1
                continue
            if step_id in hidden:
                sensitive_left_out += 1
                continue
            rows.append((self._row(step_id, draft, on_record), draft.sequence))
        rows.sort(key=lambda pair: pair[0].sort_key(pair[1]))
        return [row for row, _ in rows], left_out, sensitive_left_out

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

    _placements: dict[UUID, Placement] | None = None

    def _bundle_ref(
        self, source: dict[str, Any], document: Document | None
    ) -> str | None:
        """The page reference in the chosen bundle, or the one the document was
        attached with when no bundle is chosen."""
        if self._placements is None:
            return document.bundle_ref if document else None
        try:
            placement = self._placements.get(UUID(source["document"]))
        except ValueError:
            return None
        return placement.reference(source["pin"]) if placement else None

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
                    bundle_ref=self._bundle_ref(source, document),
                )
            )
        return tuple(cites)


def chronology_of(
    events: Iterable[CaseEvent],
    *,
    purpose: Purpose = Purpose.FULL,
    as_at: datetime | None = None,
    changed_since: datetime | None = None,
    bundle: BundleChoice | None = None,
    include_sensitive: bool = True,
    sensitive_now: Collection[UUID] | None = None,
) -> Chronology:
    """The chronology of one case from its events, earliest first; its sources'
    page references follow ``bundle`` when one is chosen."""
    state = ChronologyFold()
    for event in events:
        if as_at is not None and event.timestamp > as_at:
            break
        state.fold(event)
    return state.freeze(
        purpose,
        as_at,
        changed_since,
        bundle,
        include_sensitive=include_sensitive,
        sensitive_now=sensitive_now,
    )
