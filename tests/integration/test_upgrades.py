"""A store written by an older release still reads the same under this one.

Release 0.1.0's events for a synthetic journey are kept in
``tests/fixtures/release_0_1/events.jsonl``, exactly as that release stored them.
Loaded into a store of today's release, they pass through today's upcasters and
payload upgrades, and must give the same chronology (every purpose) and the same
legal clocks as the same journey recorded by today's code, with the hash chain
intact and open to new events.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from uuid import UUID

import orjson
import pytest
from eventsourcing.persistence import StoredEvent

from api.bootstrap import build_journeys
from api.settings import Settings
from domain.application import CaseJourneys, StepInput
from projections.chronology import Chronology, Purpose, chronology_of
from projections.deadlines import Deadlines, deadlines_of
from storage.settings import persistence_env
from tests.fixtures.release_0_1 import journey
from tests.time_machine import TimeMachine

RELEASE_0_1 = Path(journey.__file__).with_name("events.jsonl")


def stored_events(path: Path) -> list[StoredEvent]:
    events = []
    for line in path.read_bytes().splitlines():
        row = orjson.loads(line)
        events.append(
            StoredEvent(
                originator_id=UUID(row["originator_id"]),
                originator_version=row["originator_version"],
                topic=row["topic"],
                state=row["state"].encode(),
            )
        )
    return events


@pytest.fixture
def upgraded(settings: Settings) -> Iterator[CaseJourneys]:
    """Today's application over a store holding release 0.1.0's events."""
    app = build_journeys(settings, today=lambda: journey.JUDGED_ON)
    app.recorder.insert_events(stored_events(RELEASE_0_1))
    try:
        yield app
    finally:
        app.close()


@pytest.fixture
def recorded_today() -> Iterator[tuple[CaseJourneys, UUID]]:
    """The same journey recorded by today's code, on the in-memory store."""
    env = persistence_env({"WAYMARK_DATABASE_URL": "memory://"}, default_sqlite_path="")
    machine = TimeMachine(date(2020, 1, 6))
    app = CaseJourneys(env=env, today=machine.today)
    with machine.running(), journey.deterministic_ids():
        case_id = journey.record_journey(app, machine)
    try:
        yield app, case_id
    finally:
        app.close()


def readings(
    app: CaseJourneys, case_id: UUID
) -> tuple[dict[Purpose, Chronology], Deadlines]:
    events = app.case_events(case_id)
    chronologies = {
        # The chain head covers the events as stored, which today's release
        # stores in another shape; everything the chronology shows must agree.
        purpose: replace(chronology_of(events, purpose=purpose), chain_head="")
        for purpose in Purpose
    }
    return chronologies, deadlines_of(events, journey.JUDGED_ON)


def test_an_old_release_s_journey_reads_as_the_same_journey_recorded_today(
    upgraded: CaseJourneys, recorded_today: tuple[CaseJourneys, UUID]
) -> None:
    today_app, case_id = recorded_today

    old_chronologies, old_deadlines = readings(upgraded, case_id)
    new_chronologies, new_deadlines = readings(today_app, case_id)

    assert old_chronologies[Purpose.FULL].rows, "the fixture holds a journey"
    for purpose in Purpose:
        assert old_chronologies[purpose] == new_chronologies[purpose], purpose
    assert old_deadlines == new_deadlines
    assert old_deadlines.clocks, "the fixture's journey starts legal clocks"


def test_an_old_release_s_case_keeps_an_intact_chain_and_takes_new_steps(
    upgraded: CaseJourneys,
) -> None:
    case_id = stored_events(RELEASE_0_1)[0].originator_id
    assert upgraded.verify_chain(case_id).intact
    steps_before = upgraded.case_summary(case_id).step_count

    upgraded.record_step(
        case_id,
        StepInput(
            "engagement.contact", "2026-11-20", "Met at the office.", {"mode": "phone"}
        ),
        recorded_by=journey.ADVOCATE,
    )

    assert upgraded.verify_chain(case_id).intact
    assert upgraded.case_summary(case_id).step_count == steps_before + 1
