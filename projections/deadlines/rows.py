"""What a case's deadlines view is made of: its clocks, and each step's part in them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from uuid import UUID

from domain.clocks import Clock, JurisdictionSpell


class ClockRole(StrEnum):
    """What a step did to a clock."""

    STARTED = "started"
    STOPPED = "stopped"
    EXTENDED = "extended"


@dataclass(frozen=True)
class StepClock:
    """One clock a step started, stopped or extended."""

    clock: Clock
    role: ClockRole


@dataclass(frozen=True)
class Deadlines:
    case_id: UUID
    reference: str
    #: The day the clocks are judged as at.
    as_of: date
    #: The case's version the view reflects.
    version: int
    clocks: tuple[Clock, ...]
    #: Where the case was, earliest first: which nation's rules applied when.
    jurisdictions: tuple[JurisdictionSpell, ...]
    #: What could not be judged, and why.
    notes: tuple[str, ...]

    def by_step(self) -> dict[UUID, list[StepClock]]:
        """Each step's clocks, with what the step did to each."""
        steps: dict[UUID, list[StepClock]] = {}
        for clock in self.clocks:
            steps.setdefault(clock.started_by, []).append(
                StepClock(clock, ClockRole.STARTED)
            )
            for step_id in clock.stopped_by:
                steps.setdefault(step_id, []).append(
                    StepClock(clock, ClockRole.STOPPED)
                )
            for step_id in clock.extended_by:
                steps.setdefault(step_id, []).append(
                    StepClock(clock, ClockRole.EXTENDED)
                )
        return steps
