"""The API as a benchmark serves it: ``create_app`` on ``build_journeys``, one
uvicorn worker, listening on a socket the benchmark bound (127.0.0.1) and passed in.

Run by ``bench.harness.ApiServer`` as ``python -m bench.server --fd N``; the store
comes from ``WAYMARK_DATABASE_URL`` and the token secret from
``WAYMARK_TOKEN_SECRET``, exactly as ``waymark serve`` reads them. Unlike
``waymark serve`` it writes no access log (a benchmark's thousands of lines would
measure the terminal), and it stops on SIGTERM. With ``WAYMARK_BENCH_PROFILE``
set to a path (``bin/bench --profile``) it profiles every thread with cProfile
and writes the stats there when it stops.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import signal
import socket
from pathlib import Path

import uvicorn

from api.app import create_app
from api.bootstrap import build_journeys
from api.http_protocol import http_protocol
from api.settings import Settings
from bench.profiling import ThreadProfiles


def _die_with_parent() -> None:
    """Linux: this server gets SIGTERM if the benchmark that started it dies."""
    parent = os.environ.get("WAYMARK_BENCH_PARENT_PID")
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)
    if parent and os.getppid() != int(parent):
        raise SystemExit("the benchmark that started this server has gone")


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(0)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fd", type=int, required=True, help="a bound TCP socket")
    args = parser.parse_args(argv)
    _die_with_parent()
    sock = socket.socket(fileno=args.fd)
    host = sock.getsockname()[0]
    if host != "127.0.0.1":
        raise SystemExit(f"refusing to serve on {host}: benchmarks bind 127.0.0.1")
    settings = Settings.from_environ()
    profile = os.environ.get("WAYMARK_BENCH_PROFILE")
    profiles = ThreadProfiles() if profile else None
    if profiles is not None:
        profiles.start()
    journeys = build_journeys(settings)
    # uvicorn stops on SIGTERM, then raises it again under the handler it found:
    # this one, so the ``finally`` below still runs (closing the store, writing
    # the profile) rather than the process dying on the signal.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        app = create_app(journeys, settings)
        config = uvicorn.Config(
            app,
            lifespan="on",
            log_level="warning",
            access_log=False,
            http=http_protocol(),  # as `waymark serve` reads requests
        )
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        journeys.close()
        if profiles is not None and profile:
            profiles.dump(Path(profile))


if __name__ == "__main__":
    main()
