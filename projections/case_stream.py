"""The shape every per-case view shares: one case's events folded in order.

A view says which events it reads (``handlers``); the fold keeps the case's
opening and the last event folded, which every view needs to say what it
reflects. ``StepHistoryFold`` also keeps each step's history (its readings,
disputes and retraction) and the documents attached, which the chronology,
the compensation evidence and the deadlines all read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.bundles import Bundle
from domain.case import (
    BundleVersionRecorded,
    CaseEvent,
    CaseOpened,
    EvidenceAttached,
    StepCorrected,
    StepDisputed,
    StepRecorded,
    StepRetracted,
    StepSensitivityMarked,
)
from domain.sensitivity import is_sensitive


class CaseStreamFold:
    def __init__(self) -> None:
        self.opened: CaseOpened | None = None
        self.last: CaseEvent | None = None
        self._handlers: dict[type[CaseEvent], Callable[[Any], None]] = {
            CaseOpened: self._case_opened,
            **self.handlers(),
        }

    def handlers(self) -> Mapping[type[CaseEvent], Callable[[Any], None]]:
        """The events this view reads besides the opening, and how."""
        return {}

    @property
    def version(self) -> int | None:
        """The case's version folded so far; None before the opening."""
        return self.last.originator_version if self.last else None

    def fold(self, event: CaseEvent) -> None:
        handler = self._handlers.get(type(event))
        if handler is not None:
            handler(event)
        self.last = event

    def opening(self) -> tuple[CaseOpened, CaseEvent]:
        """The case's opening and the last event folded, once both exist."""
        if self.opened is None or self.last is None:
            raise ValueError("a case view needs the case's opening event")
        return self.opened, self.last

    def _case_opened(self, event: CaseOpened) -> None:
        self.opened = event


@dataclass(frozen=True)
class Document:
    title: str
    bundle_ref: str | None


@dataclass(slots=True)
class StepHistory:
    """A step as folded so far: each reading (with the event that gave it and
    the correction's reason), its disputes, and its retraction if any."""

    sequence: int
    versions: list[tuple[CaseEvent, dict[str, Any], str | None]]
    disputes: list[StepDisputed] = field(default_factory=list)
    retraction: StepRetracted | None = None
    #: As marked by ``StepSensitivityMarked``; None while never marked.
    marked_sensitive: bool | None = None

    @property
    def reading(self) -> dict[str, Any]:
        """The current reading (as stored)."""
        return self.versions[-1][1]

    @property
    def kind(self) -> str:
        return str(self.reading["kind"])

    @property
    def recorded_at(self) -> datetime:
        """When the step was first recorded."""
        return self.versions[0][0].timestamp

    @property
    def sensitive(self) -> bool:
        """As marked, else as its current reading's kind says."""
        return is_sensitive(self.reading, self.marked_sensitive)

    @property
    def corrected(self) -> bool:
        return len(self.versions) > 1

    @property
    def disputed(self) -> bool:
        return bool(self.disputes)

    @property
    def retracted(self) -> bool:
        return self.retraction is not None

    def last_changed_at(self) -> datetime:
        times = [self.versions[-1][0].timestamp]
        times += [dispute.timestamp for dispute in self.disputes]
        if self.retraction is not None:
            times.append(self.retraction.timestamp)
        return max(times)


class StepHistoryFold(CaseStreamFold):
    """A fold that keeps every step's history, the documents attached and every
    version of the case's bundles."""

    def __init__(self) -> None:
        self.steps: dict[UUID, StepHistory] = {}
        self.documents: dict[str, Document] = {}
        #: Each bundle's versions, by number.
        self.bundles: dict[UUID, dict[int, Bundle]] = {}
        super().__init__()

    def bundle(self, bundle_id: UUID, version: int | None = None) -> Bundle | None:
        """A version of a bundle (the newest folded, if none is named)."""
        versions = self.bundles.get(bundle_id, {})
        if version is None:
            version = max(versions, default=0)
        return versions.get(version)

    def handlers(self) -> Mapping[type[CaseEvent], Callable[[Any], None]]:
        return {
            BundleVersionRecorded: self._bundle_version_recorded,
            EvidenceAttached: self._evidence_attached,
            StepRecorded: self._step_recorded,
            StepCorrected: self._step_corrected,
            StepRetracted: self._step_retracted,
            StepDisputed: self._step_disputed,
            StepSensitivityMarked: self._step_sensitivity_marked,
        }

    def _bundle_version_recorded(self, event: BundleVersionRecorded) -> None:
        self.bundles.setdefault(event.bundle_id, {})[event.version] = (
            Bundle.from_record(
                event.bundle_id,
                event.version,
                event.name,
                event.purpose,
                event.sections,
            )
        )

    def sensitive_steps(self) -> frozenset[UUID]:
        """The steps sensitive as the fold stands."""
        return frozenset(i for i, step in self.steps.items() if step.sensitive)

    def _evidence_attached(self, event: EvidenceAttached) -> None:
        self.documents[str(event.document_id)] = Document(event.title, event.bundle_ref)

    def _step_recorded(self, event: StepRecorded) -> None:
        self.steps[event.step_id] = StepHistory(
            sequence=len(self.steps), versions=[(event, event.reading, None)]
        )

    def _step_corrected(self, event: StepCorrected) -> None:
        self.steps[event.step_id].versions.append((event, event.reading, event.reason))

    def _step_retracted(self, event: StepRetracted) -> None:
        self.steps[event.step_id].retraction = event

    def _step_disputed(self, event: StepDisputed) -> None:
        self.steps[event.step_id].disputes.append(event)

    def _step_sensitivity_marked(self, event: StepSensitivityMarked) -> None:
        self.steps[event.step_id].marked_sensitive = event.sensitive
