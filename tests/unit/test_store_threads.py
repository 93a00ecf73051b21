"""Store threads: results and errors come back, at most ``size`` calls at once,
context variables follow, and a cancelled caller never leaves a call running
unseen (a call taken runs to its end first; one not taken never runs)."""

from __future__ import annotations

import asyncio
import contextvars
import threading
import time

import pytest

from api.store_threads import StoreThreads

REQUEST = contextvars.ContextVar("REQUEST", default="none")


@pytest.fixture
def threads() -> StoreThreads:
    return StoreThreads(2)


def test_a_call_runs_in_a_thread_and_its_result_or_error_comes_back(
    threads: StoreThreads,
) -> None:
    async def main() -> None:
        loop_thread = threading.get_ident()
        assert await threads.run(threading.get_ident) != loop_thread
        assert await threads.run(lambda: 41 + 1) == 42
        with pytest.raises(KeyError, match="missing"):
            await threads.run(lambda: {}["missing"])

    asyncio.run(main())
    threads.close()


def test_at_most_size_calls_run_at_once(threads: StoreThreads) -> None:
    running, most = 0, 0
    lock = threading.Lock()

    def work() -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.02)
        with lock:
            running -= 1

    async def main() -> None:
        await asyncio.gather(*(threads.run(work) for _ in range(8)))

    asyncio.run(main())
    threads.close()
    assert most == 2


def test_a_call_sees_its_callers_context_variables(threads: StoreThreads) -> None:
    async def caller(name: str) -> str:
        REQUEST.set(name)
        return await threads.run(REQUEST.get)

    async def main() -> list[str]:
        return await asyncio.gather(caller("a"), caller("b"), caller("c"))

    assert asyncio.run(main()) == ["a", "b", "c"]
    threads.close()


def test_a_cancelled_caller_waits_for_its_call_to_end(threads: StoreThreads) -> None:
    started, release = threading.Event(), threading.Event()
    ended: list[str] = []

    def work() -> None:
        started.set()
        release.wait(5)
        ended.append("saved")

    async def main() -> None:
        task = asyncio.ensure_future(threads.run(work))
        while not started.is_set():
            await asyncio.sleep(0.001)
        task.cancel()
        await asyncio.sleep(0.05)
        assert not task.done()  # still waiting for the call it started
        task.cancel()  # a second cancellation changes nothing
        await asyncio.sleep(0.01)
        assert not task.done()
        release.set()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert ended == ["saved"]

    asyncio.run(main())
    threads.close()


def test_a_call_cancelled_before_it_is_taken_never_runs() -> None:
    threads = StoreThreads(1)
    release = threading.Event()
    ran: list[str] = []

    async def main() -> None:
        first = asyncio.ensure_future(threads.run(lambda: release.wait(5)))
        second = asyncio.ensure_future(threads.run(lambda: ran.append("second")))
        await asyncio.sleep(0.02)
        second.cancel()
        with pytest.raises(asyncio.CancelledError):
            await second  # at once: it was still waiting its turn
        release.set()
        assert await first is True
        assert await threads.run(lambda: "after") == "after"

    asyncio.run(main())
    threads.close()
    assert ran == []


def test_close_lets_handed_over_calls_finish_then_refuses_more() -> None:
    threads = StoreThreads(1)
    ended: list[int] = []

    def work(n: int) -> None:
        time.sleep(0.02)
        ended.append(n)

    async def hand_over() -> list[asyncio.Future[None]]:
        return [
            asyncio.ensure_future(threads.run(lambda n=n: work(n))) for n in range(3)
        ]

    async def main() -> None:
        calls = await hand_over()
        await asyncio.sleep(0)  # each is handed to the queue
        await asyncio.to_thread(threads.close)
        await asyncio.gather(*calls)
        with pytest.raises(RuntimeError, match="closed"):
            await threads.run(lambda: None)

    asyncio.run(main())
    assert ended == [0, 1, 2]


def test_calls_one_after_another_go_to_the_thread_that_went_idle_last(
    threads: StoreThreads,
) -> None:
    async def main() -> set[int]:
        await asyncio.gather(*(threads.run(lambda: time.sleep(0.01)) for _ in range(2)))
        return {await threads.run(threading.get_ident) for _ in range(20)}

    assert len(asyncio.run(main())) == 1  # not handed round the threads in turn
    threads.close()
