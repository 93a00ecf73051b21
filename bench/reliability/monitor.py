"""Where the log and each view stand, sampled every 100 ms straight from the
database (the log's last notification id, each view's tracking record), so the
run can say how long each view took to converge after each fault."""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass, field

import psycopg
from psycopg import sql

VIEWS = ("caseload", "evaluation")
APPLICATION = "CaseJourneys"
EVENTS_TABLE = "casejourneys_events"
SAMPLE_SECONDS = 0.1


@dataclass(frozen=True)
class Sample:
    at: float
    log: int
    views: dict[str, int]


def positions(
    connection: psycopg.Connection[tuple[object, ...]], schema: str
) -> tuple[int, dict[str, int]]:
    """The log's last position and each view's, in one round trip."""
    parts = [
        sql.SQL("(SELECT coalesce(max(notification_id), 0) FROM {}.{})").format(
            sql.Identifier(schema), sql.Identifier(EVENTS_TABLE)
        )
    ]
    for view in VIEWS:
        parts.append(
            sql.SQL(
                "(SELECT coalesce(max(notification_id), 0) FROM {}.{} "
                "WHERE application_name = {})"
            ).format(
                sql.Identifier(schema),
                sql.Identifier(f"{view}_tracking"),
                sql.Literal(APPLICATION),
            )
        )
    row = connection.execute(sql.SQL("SELECT ") + sql.SQL(", ").join(parts)).fetchone()
    assert row is not None
    values = [int(str(value)) for value in row]
    return values[0], dict(zip(VIEWS, values[1:], strict=True))


@dataclass
class Monitor:
    """Samples positions in a thread; reconnects when the database restarts."""

    base_url: str
    schema: str
    samples: list[Sample] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="monitor", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)

    def latest(self) -> Sample | None:
        return self.samples[-1] if self.samples else None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with psycopg.connect(
                    self.base_url, autocommit=True, connect_timeout=2
                ) as connection:
                    while not self._stop.is_set():
                        log, views = positions(connection, self.schema)
                        self.samples.append(Sample(time.monotonic(), log, views))
                        self._stop.wait(SAMPLE_SECONDS)
            except psycopg.Error:
                with contextlib.suppress(Exception):
                    self._stop.wait(0.2)

    def log_at(self, moment: float) -> int:
        """The log position last sampled at or before ``moment``."""
        position = 0
        for sample in self.samples:
            if sample.at > moment:
                break
            position = sample.log
        return position

    def converged(self, view: str, target: int, since: float) -> float | None:
        """The first sample time after ``since`` when ``view`` had processed
        ``target``, or None if it never did."""
        for sample in self.samples:
            if sample.at >= since and sample.views[view] >= target:
                return sample.at
        return None

    def wait_for(self, target: int, timeout: float) -> bool:
        """Waits until every view has processed ``target``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            latest = self.latest()
            if latest is not None and min(latest.views.values()) >= target:
                return True
            time.sleep(SAMPLE_SECONDS)
        return False
