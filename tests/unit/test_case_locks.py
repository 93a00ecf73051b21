"""One command at a time on each case (domain.case_locks): the same case waits,
another case does not, and no lock outlives its last holder."""

from __future__ import annotations

import threading
import time
from uuid import uuid4

from domain.case_locks import CaseLocks


def _hold_at_once(locks: CaseLocks, cases: list[object], seconds: float) -> int:
    """Runs a thread a case holding its lock for ``seconds``; the most that
    held one at the same time."""
    holding, most = 0, 0
    count = threading.Lock()

    def hold(case_id: object) -> None:
        nonlocal holding, most
        with locks.held(case_id):  # type: ignore[arg-type]
            with count:
                holding += 1
                most = max(most, holding)
            time.sleep(seconds)
            with count:
                holding -= 1

    threads = [threading.Thread(target=hold, args=(case,)) for case in cases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    return most


def test_commands_on_one_case_take_turns() -> None:
    locks, case_id = CaseLocks(), uuid4()
    assert _hold_at_once(locks, [case_id] * 5, 0.01) == 1
    assert len(locks) == 0


def test_commands_on_other_cases_do_not_wait() -> None:
    locks = CaseLocks()
    assert _hold_at_once(locks, [uuid4() for _ in range(5)], 0.05) == 5
    assert len(locks) == 0


def test_a_lock_is_let_go_when_the_block_raises() -> None:
    locks, case_id = CaseLocks(), uuid4()
    try:
        with locks.held(case_id):
            raise ValueError("refused")
    except ValueError:
        pass
    with locks.held(case_id):  # would wait for ever if still held
        assert len(locks) == 1
    assert len(locks) == 0
