"""What a chronology is made of: rows, their versions, disputes and sources."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from domain.bundles import Bundle
from domain.dates import UncertainDate, described
from domain.steps import chronological_order
from projections.chronology.selection import Purpose, SelectionStatement

#: What a chronology prints for a fact no source is recorded for.
NO_SOURCE_RECORDED = "No source recorded"


class RowStatus(StrEnum):
    CURRENT = "current"
    CORRECTED = "corrected"
    DISPUTED = "disputed"
    RETRACTED = "retracted"


@dataclass(frozen=True)
class SourceCite:
    document: str
    pin: str | None
    #: The attached evidence the source names, when it names one by id.
    title: str | None = None
    bundle_ref: str | None = None

    @property
    def cite(self) -> str:
        words = self.title or self.document
        if self.pin:
            words = f"{words}, {self.pin}"
        if self.bundle_ref:
            words = f"{words} [{self.bundle_ref}]"
        return words


def cited(sources: tuple[SourceCite, ...]) -> str:
    """Sources as a chronology prints them; a fact without one says so."""
    return "; ".join(source.cite for source in sources) or NO_SOURCE_RECORDED


@dataclass(frozen=True)
class StepVersion:
    """One reading of a step, as recorded or as corrected."""

    kind: str
    occurred: UncertainDate | None
    summary: str
    details: dict[str, Any]
    sources: tuple[SourceCite, ...]
    order: int | None
    recorded_at: datetime
    recorded_by: str
    #: Why it was corrected; None for the first recording.
    reason: str | None

    @property
    def when(self) -> str:
        return described(self.occurred)

    @property
    def citation(self) -> str:
        return cited(self.sources)


@dataclass(frozen=True)
class Dispute:
    disputed_by: str
    other_version: str
    other_occurred: UncertainDate | None
    sources: tuple[SourceCite, ...]
    recorded_at: datetime
    recorded_by: str

    @property
    def citation(self) -> str:
        return cited(self.sources)


@dataclass(frozen=True)
class Retraction:
    reason: str
    recorded_at: datetime
    recorded_by: str


@dataclass(frozen=True)
class ChronologyRow:
    step_id: UUID
    label: str
    area: str
    #: Every reading of the step, first recorded first; the last is current.
    history: tuple[StepVersion, ...]
    disputes: tuple[Dispute, ...]
    retraction: Retraction | None
    warnings: tuple[str, ...]

    @property
    def current(self) -> StepVersion:
        return self.history[-1]

    @property
    def status(self) -> RowStatus:
        if self.retraction is not None:
            return RowStatus.RETRACTED
        if self.disputes:
            return RowStatus.DISPUTED
        if len(self.history) > 1:
            return RowStatus.CORRECTED
        return RowStatus.CURRENT

    @property
    def first_recorded_at(self) -> datetime:
        return self.history[0].recorded_at

    @property
    def last_changed_at(self) -> datetime:
        times = [self.current.recorded_at]
        times += [dispute.recorded_at for dispute in self.disputes]
        if self.retraction is not None:
            times.append(self.retraction.recorded_at)
        return max(times)

    def sort_key(self, sequence: int) -> tuple[int, date, int, int]:
        return chronological_order(self.current.occurred, self.current.order, sequence)


@dataclass(frozen=True)
class Chronology:
    case_id: UUID
    reference: str
    jurisdiction: str
    purpose: Purpose
    #: The moment the chronology reflects; None means now.
    as_at: datetime | None
    changed_since: datetime | None
    rows: tuple[ChronologyRow, ...]
    #: What the purpose includes and leaves out, with how many steps it left out.
    selection: SelectionStatement
    #: The case's version and the head of its hash chain at ``as_at``.
    version: int
    chain_head: str
    #: The bundle version whose pages the references follow; None: each
    #: document's own reference, as attached.
    bundle: Bundle | None = None
    #: Steps of the purpose's areas left out because they are sensitive (the
    #: purpose does not name sensitive steps).
    sensitive_left_out: int = 0
