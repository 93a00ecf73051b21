"""bin/bench --profile: every thread's calls are in the stats, the starting
thread's alone beside them."""

from __future__ import annotations

import pstats
import threading
from pathlib import Path

from bench.profiling import ThreadProfiles


def _in_a_worker() -> int:
    return sum(range(1000))


def _in_the_main_thread() -> int:
    return sum(range(1000))


def test_profiles_every_thread_started_after_start(tmp_path: Path) -> None:
    profiles = ThreadProfiles()
    profiles.start()
    worker = threading.Thread(target=_in_a_worker)
    worker.start()
    worker.join()
    _in_the_main_thread()
    path = tmp_path / "server.prof"
    profiles.dump(path)

    every = {name for _, _, name in pstats.Stats(str(path)).stats}
    main = {
        name for _, _, name in pstats.Stats(str(tmp_path / "server-main.prof")).stats
    }
    assert {"_in_a_worker", "_in_the_main_thread"} <= every
    assert "_in_the_main_thread" in main
    assert "_in_a_worker" not in main
