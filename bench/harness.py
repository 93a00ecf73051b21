"""What both benchmarks share: options, a fresh PostgreSQL schema, the API server
in its own process, statistics, and the machine's context for the results."""

from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import json
import math
import os
import platform
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg
from psycopg import sql

from api.auth import mint_token
from api.settings import Settings
from storage.keyring import new_master_key
from storage.settings import persistence_env

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
HOST = "127.0.0.1"
ORGANISATION = "org-bench"
ADVOCATE = "adv-bench"
#: Bounds on waiting for the server: to answer /readyz, and to stop.
SERVER_START_SECONDS = 60.0
SERVER_STOP_SECONDS = 10.0


class BenchError(RuntimeError):
    """The benchmark could not run as designed; the message says why."""


def options(argv: Sequence[str] | None, description: str) -> argparse.Namespace:
    """One set of options for every benchmark; each uses those it needs."""
    parser = argparse.ArgumentParser(prog="bin/bench", description=description)
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="multiplies the steps recorded per concurrency level (default 1)",
    )
    parser.add_argument(
        "--clients",
        default="1,8,32",
        help="record_steps: concurrency levels, comma-separated (default 1,8,32)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=2,
        help="record_steps: each level alternates baseline and GraphQL in this "
        "many rounds (baseline, GraphQL, GraphQL, baseline, ...; default 2)",
    )
    parser.add_argument(
        "--idempotency-keys",
        action="store_true",
        help="record_steps: every mutation carries an idempotency key",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=21,
        help="chronology: timed runs of each measure (at least 15; default 21)",
    )
    parser.add_argument(
        "--case-steps",
        type=int,
        default=1000,
        help="chronology: steps in the benchmark case (default 1000)",
    )
    parser.add_argument(
        "--stores",
        default="sqlite,postgres",
        help="chronology: stores to run on, comma-separated (default both)",
    )
    parser.add_argument(
        "--cases",
        type=int,
        default=100_000,
        help="evaluation: synthetic cases to generate (default 100000)",
    )
    parser.add_argument(
        "--cohort-url",
        default=None,
        help="evaluation: a Waymark database URL holding a cohort made beforehand "
        "with `python -m demo.cohort` (used as it is, not dropped)",
    )
    parser.add_argument(
        "--queries-only",
        action="store_true",
        help="evaluation, with --cohort-url: skip the baseline and the rebuild "
        "(the view is already built)",
    )
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("WAYMARK_BENCH_POSTGRES_URL")
        or os.environ.get("WAYMARK_TEST_POSTGRES_URL")
        or DEFAULT_POSTGRES_URL,
        help="the PostgreSQL database; each benchmark makes a schema in it and "
        "drops it afterwards (default WAYMARK_BENCH_POSTGRES_URL, else "
        f"WAYMARK_TEST_POSTGRES_URL, else {DEFAULT_POSTGRES_URL})",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        default=None,
        metavar="DIR",
        help="profile the API server (cProfile, every thread) and write its stats "
        "to DIR/<benchmark>-server.prof (read with `python -m bench.profiling`); "
        "the profiler slows the server, so its figures are not comparable",
    )
    parser.add_argument(
        "--results",
        type=Path,
        default=RESULTS,
        help=f"directory for the JSON results (default {RESULTS.relative_to(ROOT)})",
    )
    args = parser.parse_args(argv)
    if args.scale <= 0:
        parser.error("--scale must be positive")
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if args.runs < 15:
        parser.error("--runs must be at least 15 (medians need them)")
    if args.cases < 100:
        parser.error("--cases must be at least 100")
    if args.case_steps < 10:
        parser.error("--case-steps must be at least 10")
    try:
        args.levels = sorted({int(c) for c in args.clients.split(",") if c.strip()})
    except ValueError:
        parser.error("--clients takes whole numbers, e.g. 1,8,32")
    if not args.levels or min(args.levels) < 1 or max(args.levels) > 256:
        parser.error("--clients levels are between 1 and 256")
    args.store_names = [s.strip() for s in args.stores.split(",") if s.strip()]
    if not set(args.store_names) <= {"sqlite", "postgres"} or not args.store_names:
        parser.error("--stores takes sqlite and/or postgres")
    return args


def stop_cleanly_on_sigterm() -> None:
    """SIGTERM ends the run as Ctrl-C does: through the ``finally`` blocks that
    stop the server and drop the schema."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, handler)
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


# Stores


def _ensure_database(url: str) -> None:
    """Creates the database if the server answers but it does not exist."""
    try:
        psycopg.connect(url, connect_timeout=5).close()
        return
    except psycopg.OperationalError as error:
        if "does not exist" not in str(error):
            raise BenchError(
                "PostgreSQL does not answer at the benchmark URL: "
                f"{str(error).strip().splitlines()[-1]}"
            ) from None
    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
        connection.execute(
            sql.SQL("CREATE DATABASE {}").format(sql.Identifier(parts.path.lstrip("/")))
        )


@contextlib.contextmanager
def fresh_schema(url: str, label: str) -> Iterator[str]:
    """A new, empty schema; yields the Waymark database URL naming it."""
    if urlsplit(url).query:
        raise BenchError("give --postgres-url without a query (the schema is made)")
    _ensure_database(url)
    schema = f"bench_{label}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url, autocommit=True, connect_timeout=5) as connection:
        connection.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    try:
        yield f"{url}?schema={schema}"
    finally:
        with psycopg.connect(url, autocommit=True, connect_timeout=5) as connection:
            connection.execute(
                sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema))
            )


#: A benchmark's one caller makes thousands of requests a second: the rate limit
#: stays on (its cost is measured) but far above them.
UNLIMITED_RATE = {"WAYMARK_RATE_PER_SECOND": "1000000", "WAYMARK_RATE_BURST": "1000000"}


def settings_for(database_url: str, token_secret: str) -> Settings:
    """Settings as ``Settings.from_environ`` reads them from these two variables
    (and ``UNLIMITED_RATE``, and this run's master key, which the API server is
    given too)."""
    return Settings.from_environ(
        {
            "WAYMARK_DATABASE_URL": database_url,
            "WAYMARK_TOKEN_SECRET": token_secret,
            **UNLIMITED_RATE,
            "WAYMARK_MASTER_KEY": master_key(),
        },
        workdir=Path(tempfile.gettempdir()),
    )


@functools.cache
def master_key() -> str:
    """One master key for a run's stores and servers."""
    return new_master_key()


def new_token_secret() -> str:
    return secrets.token_urlsafe(48)


def advocate_token(settings: Settings) -> str:
    return mint_token(
        settings, subject=ADVOCATE, role="advocate", organisation_id=ORGANISATION
    )


def describe_store(database_url: str) -> str:
    env = persistence_env(
        {"WAYMARK_DATABASE_URL": database_url}, default_sqlite_path=""
    )
    module = env["PERSISTENCE_MODULE"].rpartition(".")[2]
    if module == "postgres":
        return (
            f"PostgreSQL {env['POSTGRES_HOST']}:{env['POSTGRES_PORT']}/"
            f"{env['POSTGRES_DBNAME']} schema {env.get('POSTGRES_SCHEMA', 'public')}"
        )
    return f"SQLite {env.get('SQLITE_DBNAME', '')}"


# The API server, in its own process


@dataclass
class ApiServer:
    """``python -m bench.server`` on 127.0.0.1, on a port the OS chose."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def cpu_seconds(self) -> float:
        """The server process's CPU time so far (user + system)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rpartition(")")[2]
        utime, stime = (int(v) for v in fields.split()[11:13])
        return (utime + stime) / os.sysconf("SC_CLK_TCK")

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


@contextlib.contextmanager
def api_server(
    database_url: str, token_secret: str, profile: Path | None = None
) -> Iterator[ApiServer]:
    """Starts the API on the given store, waits for /readyz, stops it at the end;
    with ``profile``, the server writes its cProfile stats there when it stops."""
    with contextlib.ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="wb-")))
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        stack.callback(sock.close)
        sock.bind((HOST, 0))
        sock.listen(2048)
        port = sock.getsockname()[1]
        env = {
            **os.environ,
            "WAYMARK_DATABASE_URL": database_url,
            "WAYMARK_TOKEN_SECRET": token_secret,
            **UNLIMITED_RATE,
            "WAYMARK_MASTER_KEY": master_key(),
            "PYTHONPATH": str(ROOT),
            "WAYMARK_BENCH_PARENT_PID": str(os.getpid()),
        }
        if profile is not None:
            env["WAYMARK_BENCH_PROFILE"] = str(profile.resolve())
        log = workdir / "server.log"
        with log.open("wb") as log_file:
            process = subprocess.Popen(
                [sys.executable, "-m", "bench.server", "--fd", str(sock.fileno())],
                cwd=workdir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                pass_fds=(sock.fileno(),),
            )
        sock.close()  # the server holds its own copy
        server = ApiServer(f"http://{HOST}:{port}", process, log)
        try:
            _wait_ready(server)
            yield server
        finally:
            _stop(process)


def _wait_ready(server: ApiServer) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    last = "no answer"
    with httpx.Client(base_url=server.url, timeout=2.0) as client:
        while time.monotonic() < deadline:
            if server.process.poll() is not None:
                raise BenchError(
                    f"the API server exited ({server.process.returncode}):\n"
                    + server.log_tail()
                )
            try:
                response = client.get("/readyz")
            except httpx.TransportError as error:
                last = type(error).__name__
            else:
                if response.status_code == 200:
                    return
                last = f"{response.status_code} {response.text[:200]}"
            time.sleep(0.1)
    raise BenchError(
        f"the API server was not ready within {SERVER_START_SECONDS:.0f} s "
        f"({last}):\n{server.log_tail()}"
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=SERVER_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=SERVER_STOP_SECONDS)


def server_profile(args: argparse.Namespace, benchmark: str) -> Path | None:
    """Where ``--profile`` has the server write its stats, if it was given."""
    if args.profile is None:
        return None
    return Path(args.profile) / f"{benchmark}-server.prof"


# Statistics and reporting


def percentile(samples: Sequence[float], p: float) -> float:
    """The nearest-rank percentile (p in 0..100) of non-empty samples."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def median(samples: Sequence[float]) -> float:
    ordered = sorted(samples)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def machine() -> dict[str, Any]:
    """What the figures depend on, for the results file."""
    versions = {}
    for package in (
        "eventsourcing",
        "strawberry-graphql",
        "fastapi",
        "uvicorn",
        "httpx",
        "psycopg",
    ):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[package] = metadata.version(package)
    return {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average": [round(v, 2) for v in os.getloadavg()],
        "versions": versions,
        "code": code_state(),
    }


def code_state() -> dict[str, Any]:
    """The commit checked out (read from .git, never by running git) and a digest
    of the source as it was run, since the working tree may differ from it."""
    head: str | None = None
    with contextlib.suppress(OSError):
        git = ROOT / ".git"
        ref = (git / "HEAD").read_text().strip()
        if ref.startswith("ref: "):
            name = ref[5:]
            loose = git / name
            if loose.exists():
                head = loose.read_text().strip()
            else:
                for line in (git / "packed-refs").read_text().splitlines():
                    if line.endswith(" " + name):
                        head = line.split()[0]
        else:
            head = ref
    digest = hashlib.sha256()
    for package in ("domain", "projections", "api", "storage"):
        for path in sorted((ROOT / package).rglob("*.py")):
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0")
            digest.update(path.read_bytes())
    return {"git_head": head, "source_sha256": digest.hexdigest()[:16]}


def load_average() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def write_results(directory: Path, name: str, data: dict[str, Any]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(json.dumps(data, indent=2, default=str) + "\n")
    return path


def run_alone(main: Callable[[list[str]], object]) -> None:
    """Runs one benchmark as ``python -m bench.NAME``: its failures and Ctrl-C as
    one line, after its ``finally`` blocks have stopped the server and dropped
    the schema."""
    try:
        main(sys.argv[1:])
    except BenchError as error:
        sys.exit(f"error: {error}")
    except KeyboardInterrupt:
        sys.exit("interrupted; the server was stopped and the schema dropped")


def run_per_store(
    args: argparse.Namespace,
    *,
    benchmark: str,
    heading: str,
    run_store: Callable[[str, argparse.Namespace], dict[str, Any]],
    table: Callable[[Sequence[dict[str, Any]]], str],
    **target: object,
) -> dict[str, Any]:
    """Runs a benchmark on each store asked for, prints its table and writes its
    JSON (``bench/results/<benchmark>.json``) with the machine and the load."""
    stop_cleanly_on_sigterm()
    context = machine()
    print(heading)
    print(f"load average at start: {load_average()}", flush=True)
    results = [run_store(name, args) for name in args.store_names]
    print(f"load average at end: {load_average()}")
    print()
    print(table(results))
    data = {
        "benchmark": benchmark,
        **target,
        "machine": context,
        "load_average_at_end": load_average(),
        "stores": {result["store"]: result for result in results},
    }
    path = write_results(args.results, f"{benchmark}.json", data)
    print(f"\nresults: {path}")
    return data
