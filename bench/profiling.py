"""cProfile of every thread of a process, for ``bin/bench --profile``.

cProfile profiles only the thread that enables it, and the API does its store
work in worker threads (``anyio.to_thread``) beside the event loop's. So each
thread started after ``start`` enables a profiler of its own on its first call;
``dump`` merges them all (and the starting thread's) into one stats file that
``python -m pstats`` or ``bench.profiling`` reads, and writes the starting
thread's alone beside it (``NAME-main.prof``: for the API server, the event
loop's thread, where HTTP and GraphQL run; the rest is the store work).

Each profiler counts its thread's CPU time (``time.thread_time``), not the wall
clock: a thread waiting for a lock, the database or the next request costs
nothing, so the stats say where the server's CPU goes.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import threading
import time
from pathlib import Path
from types import FrameType
from typing import Any


class ThreadProfiles:
    def __init__(self) -> None:
        self._profiles: list[cProfile.Profile] = []
        self._lock = threading.Lock()

    def _enable_here(self) -> None:
        profile = cProfile.Profile(time.thread_time)
        with self._lock:
            self._profiles.append(profile)
        profile.enable()

    def start(self) -> None:
        def first_call(frame: FrameType, event: str, arg: Any) -> None:
            sys.setprofile(None)
            self._enable_here()

        threading.setprofile(first_call)  # threads started from now on
        self._enable_here()  # and this one

    def dump(self, path: Path) -> None:
        threading.setprofile(None)
        with self._lock:
            profiles = list(self._profiles)
        for profile in profiles:
            profile.disable()  # only stops its own thread's; the stats are kept
        path.parent.mkdir(parents=True, exist_ok=True)
        main_path = path.with_name(f"{path.stem}-main{path.suffix}")
        pstats.Stats(profiles[0]).dump_stats(str(main_path))
        stats = pstats.Stats(str(main_path))
        for profile in profiles[1:]:
            try:
                stats.add(profile)
            except TypeError:  # a thread that never made a call
                continue
        stats.dump_stats(str(path))


def report(path: Path, limit: int = 40, sort: str = "cumulative") -> None:
    stats = pstats.Stats(str(path))
    stats.strip_dirs().sort_stats(sort).print_stats(limit)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Prints a --profile stats file.")
    parser.add_argument("path", type=Path)
    parser.add_argument("--limit", type=int, default=40)
    parser.add_argument("--sort", default="cumulative", help="e.g. tottime")
    args = parser.parse_args(argv)
    report(args.path, args.limit, args.sort)


if __name__ == "__main__":
    main()
