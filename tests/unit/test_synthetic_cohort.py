"""The synthetic cohort: real, readable cases, the same for a seed, all in the past."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, time

import pytest

import domain.case
from demo.cohort import FIRST_OPENING, HORIZON, LAST_OPENING, UK, generate
from domain.application import CaseJourneys
from domain.case import (
    CaseEvent,
    CaseOpened,
    StepCorrected,
    StepRecorded,
    SurvivorCase,
)
from domain.steps import StepReading
from domain.vocabulary import step_kind, validate_details
from storage.settings import persistence_env

CASES = 50
SEED = 7


def memory_store() -> CaseJourneys:
    env = persistence_env({"WAYMARK_DATABASE_URL": "memory://"}, default_sqlite_path="")
    return CaseJourneys(env=env)


@pytest.fixture(scope="module")
def cohort() -> Iterator[CaseJourneys]:
    journeys = memory_store()
    try:
        generate(journeys, cases=CASES, seed=SEED, batch_events=500)
        yield journeys
    finally:
        journeys.close()


def stored_events(journeys: CaseJourneys) -> list[tuple[object, ...]]:
    return [
        (n.id, n.originator_id, n.originator_version, n.topic, n.state)
        for n in journeys.recorder.select_notifications(1, limit=1_000_000)
    ]


def test_every_case_reads_back_through_the_application_with_its_chain_intact(
    cohort: CaseJourneys,
) -> None:
    case_ids = list(cohort.case_ids())
    assert len(case_ids) == CASES
    events = 0
    for case_id in case_ids:
        case: SurvivorCase = cohort.repository.get(case_id)
        assert case.reference.startswith("EV-") and case.chain_breaks == []
        report = cohort.verify_chain(case_id)
        assert report.intact and report.head == case.chain_head
        events += report.events
    assert events == len(stored_events(cohort))
    # About fifty events a case; the bound only catches a cohort gone thin.
    assert 25 * CASES < events < 100 * CASES


def test_every_step_reads_back_with_a_payload_the_vocabulary_accepts(
    cohort: CaseJourneys,
) -> None:
    steps = 0
    for case_id in cohort.case_ids():
        for event in cohort.case_events(case_id):
            if isinstance(event, (StepRecorded, StepCorrected)):
                reading = StepReading.from_record(event.reading)
                kind = step_kind(reading.kind)
                assert validate_details(kind, reading.details) == reading.details
                steps += 1
    assert steps > 20 * CASES


def test_events_are_stamped_in_the_past_on_the_days_they_were_recorded(
    cohort: CaseJourneys,
) -> None:
    horizon = datetime.combine(HORIZON, time(), tzinfo=UTC)
    for case_id in cohort.case_ids():
        events = cohort.case_events(case_id)
        opened = events[0]
        assert isinstance(opened, CaseOpened)
        # Opened at 10:00 UK time, within the cohort's years.
        opened_at = opened.timestamp.astimezone(UK)
        assert opened_at.time() == time(10, 0)
        assert FIRST_OPENING <= opened_at.date() <= LAST_OPENING
        stamps = [event.timestamp for event in events]
        assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
        assert stamps[-1] < horizon
        for event in events:
            if isinstance(event, (StepRecorded, StepCorrected)):
                earliest: date = event.reading["occurred"]["earliest"]
                assert earliest <= event.timestamp.astimezone(UK).date()


def test_a_seed_writes_the_same_events_whether_built_in_a_child_or_not(
    cohort: CaseJourneys,
) -> None:
    again = memory_store()
    other_seed = memory_store()
    try:
        generate(again, cases=CASES, seed=SEED, in_child_process=False)
        generate(other_seed, cases=CASES, seed=SEED + 1)
        assert stored_events(again) == stored_events(cohort)
        assert stored_events(other_seed) != stored_events(cohort)
    finally:
        again.close()
        other_seed.close()


def test_generating_in_this_process_restores_the_clock_and_ids_afterwards() -> None:
    journeys = memory_store()
    try:
        stats = generate(journeys, cases=3, seed=SEED, in_child_process=False)
    finally:
        journeys.close()
    assert stats.cases == 3 and stats.events == stats.events_per_case * 3
    assert "create_timestamp" not in vars(CaseEvent)
    assert vars(domain.case)["uuid4"] is uuid.uuid4
