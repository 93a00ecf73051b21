"""A judged clock, and the report of all of a case's clocks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from uuid import UUID

from domain.case import Jurisdiction
from domain.clocks.rules import ClockKind, Rule


class ClockStatus(StrEnum):
    RUNNING = "running"
    MET = "met"
    MISSED = "missed"
    EXTENDED = "extended"
    NO_LONGER_RELEVANT = "no_longer_relevant"
    #: The window has not opened: what starts it is not on record yet (a child's
    #: CICA window under para 88(1)(b) opens with the first report to the police).
    NOT_STARTED = "not_started"


@dataclass(frozen=True)
class JurisdictionSpell:
    """Where the case was, from a day on."""

    jurisdiction: Jurisdiction
    #: From this day on; None for the jurisdiction the case was opened in.
    since: date | None
    #: The move that began it; None for the jurisdiction the case was opened in.
    step_id: UUID | None
    local_authority: str | None = None


@dataclass(frozen=True)
class Clock:
    kind: ClockKind
    #: The step that started it.
    started_by: UUID
    #: The day it runs from: the start step's earliest possible day.
    started_on: date
    #: The start step's date in words (``2019``, ``c. June 2019``).
    started_when: str
    #: The last day the act is in time, or the last day of a period (for an
    #: extended clock, as extended); None while the window has not started.
    due_on: date | None
    rule: Rule
    #: The jurisdiction whose rules and bank holidays it follows.
    jurisdiction: Jurisdiction
    status: ClockStatus
    explanation: str
    stopped_by: tuple[UUID, ...] = ()
    #: The day the step that stopped it is judged by.
    stopped_on: date | None = None
    extended_by: tuple[UUID, ...] = ()
    #: The due day before any extension.
    original_due_on: date | None = None
    #: What can be done now, for a missed clock.
    needs: tuple[str, ...] = ()
    #: Days from the day judged to the due day, while it runs (0: due that day).
    days_left: int | None = None

    @property
    def label(self) -> str:
        return self.kind.label


@dataclass(frozen=True)
class ClockReport:
    as_of: date
    clocks: tuple[Clock, ...]
    #: Where the case was, earliest first.
    jurisdictions: tuple[JurisdictionSpell, ...]
    #: What could not be judged, and why.
    notes: tuple[str, ...]
