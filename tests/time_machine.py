"""Recording a synthetic journey on the days it happened.

A case's closing is dated by when it was recorded (the event's timestamp), its
opening by the day advocacy began (when not given, the day it was recorded),
and no step may be dated after "today". To record a cohort whose
cases opened years apart, tests move the clock: ``TimeMachine.on(day)`` makes
both the events' timestamps and the application's today that day (noon, UK).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from unittest import mock
from zoneinfo import ZoneInfo

from domain.case import CaseEvent

UK = ZoneInfo("Europe/London")


class TimeMachine:
    def __init__(self, day: date) -> None:
        self.day = day
        self._tick = 0

    def today(self) -> date:
        return self.day

    def now(self) -> datetime:
        # Each event a microsecond after the last, so they keep their order.
        self._tick += 1
        moment = datetime.combine(self.day, time(12), UK).astimezone(ZoneInfo("UTC"))
        return moment.replace(microsecond=self._tick % 1_000_000)

    @contextmanager
    def running(self) -> Iterator[TimeMachine]:
        with mock.patch.object(CaseEvent, "create_timestamp", staticmethod(self.now)):
            yield self

    def on(self, day: date) -> TimeMachine:
        self.day = day
        return self
