"""Deadlines: every legal clock of a case, folded from its stream, judged as at
a day."""

from projections.deadlines.fold import DeadlinesFold, deadlines_of
from projections.deadlines.reader import DeadlinesReader
from projections.deadlines.rows import ClockRole, Deadlines, StepClock

__all__ = [
    "ClockRole",
    "Deadlines",
    "DeadlinesFold",
    "DeadlinesReader",
    "StepClock",
    "deadlines_of",
]
