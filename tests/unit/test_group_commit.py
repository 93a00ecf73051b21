"""Cases saved together (domain.group_commit): batches form while one is being
saved, never hold one case twice, and a failed batch of several fails each
of its commands with ``SavedTogetherFailed`` (one alone, with its own error)."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import RecordConflictError

from domain.group_commit import GroupCommit, SavedTogetherFailed


@dataclass
class Case:
    id: UUID
    label: str
    #: The version the change was decided on; saved as the next one.
    version: int = 0


@dataclass
class Event:
    originator_id: UUID
    label: str
    originator_version: int


@dataclass
class Recording:
    domain_event: Event


class SlowStore:
    """A save that takes a while, recording what each call held."""

    def __init__(
        self,
        seconds: float = 0.02,
        fail: set[str] | None = None,
        hold: threading.Event | None = None,
    ):
        self.seconds = seconds
        self.fail = fail or set()
        #: The first save waits for it.
        self.hold = hold
        self.batches: list[list[str]] = []
        self._lock = threading.Lock()

    def save(self, *cases: Case) -> Sequence[Any]:
        with self._lock:
            self.batches.append([case.label for case in cases])
            hold, self.hold = self.hold, None
        if hold is not None:
            assert hold.wait(timeout=10)
        time.sleep(self.seconds)
        if self.fail & {case.label for case in cases}:
            raise RuntimeError("the store refused")
        return [
            Recording(Event(case.id, case.label, case.version + 1)) for case in cases
        ]


def _label(recording: object) -> str:
    return str(recording.domain_event.label)  # type: ignore[attr-defined]


def _save_at_once(together: GroupCommit, cases: list[Case]) -> dict[str, Any]:
    outcomes: dict[str, Any] = {}
    start = threading.Barrier(len(cases))

    def one(case: Case) -> None:
        start.wait()
        try:
            recordings = together.save(case.id, case, case.version)
            outcomes[case.label] = [_label(r) for r in recordings]
        except Exception as error:  # the outcome is the error
            outcomes[case.label] = error

    threads = [threading.Thread(target=one, args=(case,)) for case in cases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
        assert not thread.is_alive(), "a save never came back"
    return outcomes


def test_one_case_alone_is_saved_at_once_by_itself() -> None:
    store = SlowStore(seconds=0)
    case = Case(uuid4(), "a")
    assert _label(GroupCommit(store.save).save(case.id, case, case.version)[0]) == "a"
    assert store.batches == [["a"]]


def test_cases_arriving_while_one_is_saved_are_saved_together() -> None:
    store = SlowStore()
    cases = [Case(uuid4(), f"case-{n}") for n in range(24)]

    outcomes = _save_at_once(GroupCommit(store.save), cases)

    # Each command gets its own case's recordings, and only those.
    assert outcomes == {case.label: [case.label] for case in cases}
    saved = [label for batch in store.batches for label in batch]
    assert sorted(saved) == sorted(case.label for case in cases)
    assert len(store.batches) < len(cases) / 2  # they shared transactions


def test_a_batch_holds_at_most_so_many_cases() -> None:
    store = SlowStore()
    cases = [Case(uuid4(), f"case-{n}") for n in range(20)]

    _save_at_once(GroupCommit(store.save, most=4), cases)

    assert max(len(batch) for batch in store.batches) <= 4


def test_two_changes_of_one_case_never_share_a_batch() -> None:
    store = SlowStore()
    shared = uuid4()
    # Six changes of one case decided on the same version: one can be saved.
    cases = [Case(shared, f"same-{n}") for n in range(6)]
    cases += [Case(uuid4(), f"other-{n}") for n in range(6)]

    outcomes = _save_at_once(GroupCommit(store.save), cases)

    saved_same = [k for k, v in outcomes.items() if k.startswith("same") and v == [k]]
    refused = [v for v in outcomes.values() if isinstance(v, RecordConflictError)]
    assert len(saved_same) == 1 and len(refused) == 5
    assert all(outcomes[f"other-{n}"] == [f"other-{n}"] for n in range(6))
    for batch in store.batches:
        assert sum(label.startswith("same") for label in batch) <= 1


def test_a_failed_batch_of_several_tells_each_command_nothing_was_recorded() -> None:
    hold = threading.Event()
    store = SlowStore(fail={"poison"}, hold=hold)
    first = Case(uuid4(), "first")
    rest = [Case(uuid4(), "poison"), *(Case(uuid4(), f"case-{n}") for n in range(5))]
    together = GroupCommit(store.save)
    # The first save holds the store until the rest are queued behind it.
    started = threading.Thread(target=together.save, args=(first.id, first, 0))
    started.start()
    while not store.batches:  # the first save has begun
        time.sleep(0.001)

    def release_when_queued() -> None:
        deadline = time.monotonic() + 10
        while together.waiting < len(rest) and time.monotonic() < deadline:
            time.sleep(0.001)
        hold.set()

    releaser = threading.Thread(target=release_when_queued)
    releaser.start()
    outcomes = _save_at_once(together, rest)
    started.join(timeout=10)
    releaser.join(timeout=10)

    failed = [batch for batch in store.batches if "poison" in batch]
    assert len(failed) == 1
    assert sorted(failed[0]) == sorted(case.label for case in rest)
    for label in failed[0]:
        assert isinstance(outcomes[label], SavedTogetherFailed)


def test_a_case_saved_alone_that_fails_gets_the_stores_own_error() -> None:
    store = SlowStore(seconds=0, fail={"poison"})
    case = Case(uuid4(), "poison")
    with pytest.raises(RuntimeError, match="refused"):
        GroupCommit(store.save).save(case.id, case, case.version)


def test_many_rounds_of_many_threads_all_come_back() -> None:
    store = SlowStore(seconds=0.001)
    together = GroupCommit(store.save, most=5)
    for _ in range(5):
        cases = [Case(uuid4(), str(uuid4())) for _ in range(40)]
        outcomes = _save_at_once(together, cases)
        assert outcomes == {case.label: [case.label] for case in cases}


def test_a_change_decided_on_a_version_saved_over_since_is_refused_at_once() -> None:
    store = SlowStore(seconds=0)
    together = GroupCommit(store.save)
    case_id = uuid4()
    together.save(case_id, Case(case_id, "first", version=3), 3)

    with pytest.raises(RecordConflictError):
        together.save(case_id, Case(case_id, "stale", version=3), 3)
    together.save(case_id, Case(case_id, "fresh", version=4), 4)

    assert store.batches == [["first"], ["fresh"]]  # the store never saw it
