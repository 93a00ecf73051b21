"""Commands that finish together are saved together (domain.group_commit), on
the in-memory, SQLite and PostgreSQL stores: every command recorded exactly
once, each case's versions in order and its chain intact; and a batch that
fails on one stale case records nothing, then each command is tried again
alone, so only the stale one is decided afresh."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from uuid import UUID

import pytest

from api.bootstrap import build_journeys
from api.settings import Settings
from domain.application import CaseJourneys, CommandResult, StepInput
from domain.group_commit import GroupCommit
from tests.integration.cases import open_north_case

ADVOCATE = "advocate-rowan"
CONTACT = StepInput(
    "engagement.contact",
    "2026-01-05",
    "Met at the drop-in; talked through the next steps",
    details={"mode": "in_person"},
)


def _open(journeys: CaseJourneys, reference: str) -> UUID:
    return open_north_case(journeys, reference, ADVOCATE)


def _record(journeys: CaseJourneys, case_id: UUID, key: str) -> CommandResult:
    return journeys.record_step(
        case_id, CONTACT, recorded_by=ADVOCATE, idempotency_key=key
    )


def test_commands_at_once_are_each_recorded_once(journeys: CaseJourneys) -> None:
    cases = [_open(journeys, f"TOGETHER-{n}") for n in range(24)]
    batches: list[int] = []
    save = journeys.save

    def counted(*saved: Any) -> Any:
        batches.append(len(saved))
        return save(*saved)

    def six_steps(case_id: UUID) -> list[CommandResult]:
        return [_record(journeys, case_id, f"{case_id}-{n}") for n in range(6)]

    journeys.saving_together = GroupCommit(counted)
    # A thread a case, each recording in turn, all at once; and two more
    # threads recording on the first case at the same time as its own.
    with ThreadPoolExecutor(max_workers=len(cases) + 2) as pool:
        runs = [pool.submit(six_steps, case_id) for case_id in cases]
        extra = [
            pool.submit(_record, journeys, cases[0], f"extra-{n}") for n in range(2)
        ]
        results = [r for run in runs for r in run.result(timeout=60)]
        results += [e.result(timeout=60) for e in extra]

    assert len({result.position for result in results}) == len(results)
    for case_id in cases:
        versions = [e.originator_version for e in journeys.case_events(case_id)]
        assert versions == list(range(1, len(versions) + 1))
        assert len(versions) == 1 + 6 + (2 if case_id == cases[0] else 0)
        assert journeys.verify_chain(case_id).intact
    assert sum(batches) >= len(results)  # every command saved (some tried again)


#: Another process writing: not the in-memory store.
@pytest.mark.parametrize("store", ["sqlite", "postgres"], indirect=True)
def test_a_batch_failing_on_a_stale_case_is_tried_again_command_by_command(
    settings: Settings, journeys: CaseJourneys
) -> None:
    first, stale, *others = [_open(journeys, f"BATCH-{n}") for n in range(6)]
    journeys.case_summary(stale)  # cached here...
    other = build_journeys(settings)
    try:
        _record(other, stale, "elsewhere")  # ...and changed by another process
    finally:
        other.close()

    batches: list[list[UUID]] = []
    hold = threading.Event()
    save = journeys.save

    def held(*cases: Any) -> Any:
        batches.append([case.id for case in cases])
        if len(batches) == 1:
            assert hold.wait(timeout=10)  # the rest queue behind the first
        return save(*cases)

    together = journeys.saving_together = GroupCommit(held)
    rest = [stale, *others]
    with ThreadPoolExecutor(max_workers=len(rest) + 1) as pool:
        leader = pool.submit(_record, journeys, first, "first")
        _wait_for(lambda: bool(batches))
        queued = [pool.submit(_record, journeys, case_id, "here") for case_id in rest]
        _wait_for(lambda: together.waiting == len(rest))
        hold.set()
        results = [leader.result(timeout=30)] + [q.result(timeout=30) for q in queued]

    assert sorted(batches[1]) == sorted(rest)  # tried together, and failed
    assert len(batches) == 2  # then each again alone, straight to the store
    assert {result.case_id for result in results} == {first, *rest}
    stale_steps = [
        e for e in journeys.case_events(stale) if type(e).__name__ == "StepRecorded"
    ]
    assert len(stale_steps) == 2  # the other process's, then this one
    for case_id in {first, *rest}:
        assert journeys.verify_chain(case_id).intact
        steps = [
            e
            for e in journeys.case_events(case_id)
            if type(e).__name__ == "StepRecorded"
        ]
        assert len(steps) == (2 if case_id == stale else 1)


def _wait_for(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.001)
