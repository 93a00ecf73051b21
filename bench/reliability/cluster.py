"""The processes a run starts and kills: ``waymark serve`` workers and the
``waymark project`` worker on loopback, each its own process, and (only when
the run owns it) the PostgreSQL cluster.

Every process is started from the run's main thread with a parent-death signal
(``setpriv --pdeathsig``), so none outlives a run that is itself killed; the
signal follows the thread that started the child, hence the main thread only.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.harness import ROOT, BenchError, master_key

HOST = "127.0.0.1"
WAYMARK = str(Path(sys.executable).with_name("waymark"))
#: How long a started process may take to answer (an API worker's /readyz).
START_SECONDS = 60.0
STOP_SECONDS = 10.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _guarded(argv: list[str]) -> list[str]:
    setpriv = shutil.which("setpriv")
    return [setpriv, "--pdeathsig", "TERM", "--", *argv] if setpriv else argv


@dataclass
class Service:
    """One process of the deployment, restartable after a kill."""

    name: str
    argv: list[str]
    env: dict[str, str]
    workdir: Path
    port: int | None = None
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0
    #: Exits the run did not cause, with their exit codes.
    unexpected_exits: list[int] = field(default_factory=list)
    #: Starts that exited before the process was ready (and were retried).
    failed_starts: int = 0
    #: The last line each unexpected exit left in the log.
    exit_reasons: list[str] = field(default_factory=list)
    _log_offset: int = 0

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def log(self) -> Path:
        return self.workdir / f"{self.name}.log"

    def start(self) -> None:
        self.starts += 1
        with self.log.open("ab") as log:
            log.write(f"\n--- start {self.starts} at {time.time():.3f}\n".encode())
            log.flush()
            self._log_offset = log.tell()
            self.process = subprocess.Popen(
                _guarded(self.argv),
                cwd=self.workdir,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def exited_by_itself(self) -> int | None:
        """The exit code if the process ended without the run killing it."""
        if self.process is None or self.process.poll() is None:
            return None
        code = self.process.returncode
        self.unexpected_exits.append(code)
        last = [line for line in self.output_since_start().splitlines() if line]
        self.exit_reasons.append(last[-1][:300] if last else "no output")
        self.process = None
        return code

    def kill9(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=STOP_SECONDS)
        self.process = None

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            self.process = None
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=STOP_SECONDS)
        self.process = None

    def wait_ready(self, timeout: float = START_SECONDS) -> float:
        """Waits for /readyz (an API worker) or a first line of output (the
        projection worker); returns the seconds waited."""
        started = time.monotonic()
        deadline = started + timeout
        told = started
        while time.monotonic() < deadline:
            if time.monotonic() - told >= 10:
                told = time.monotonic()
                print(
                    f"  ... waiting for {self.name} ({told - started:.0f} s)",
                    flush=True,
                )
            if not self.alive():
                raise BenchError(f"{self.name} exited while starting:\n{self.tail()}")
            if self.port is None:
                if "Following the log" in self.output_since_start():
                    return time.monotonic() - started
            else:
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                        return time.monotonic() - started
            time.sleep(0.1)
        raise BenchError(f"{self.name} not ready in {timeout:.0f} s:\n{self.tail()}")

    def start_ready(self, attempts: int = 5) -> float:
        """Starts the process and waits until it is ready, starting it again
        (as a supervisor would) if it exits while starting, e.g. when the
        database is slow to take a new connection; returns the seconds taken."""
        started = time.monotonic()
        for attempt in range(1, attempts + 1):
            self.start()
            try:
                self.wait_ready()
                return time.monotonic() - started
            except BenchError:
                if self.alive() or attempt == attempts:
                    raise
                self.failed_starts += 1
                self.process = None
                time.sleep(2.0)
        raise AssertionError("unreachable")

    def output_since_start(self) -> str:
        """What the process has written since it was last started."""
        try:
            with self.log.open("rb") as log:
                log.seek(self._log_offset)
                return log.read().decode(errors="replace")
        except OSError:
            return ""

    def tail(self, lines: int = 20) -> str:
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


#: Each worker process holds a pool for the events and one for each view, so
#: the default of 5 would have five processes hold some 75 connections idle, a
#: PostgreSQL's default max_connections (100) being shared with other test
#: runs. Under load each pool still grows by its overflow (10).
POOL_SIZE = "2"


def service_env(database_url: str, token_secret: str) -> dict[str, str]:
    return {
        "WAYMARK_POOL_SIZE": POOL_SIZE,
        **os.environ,
        "WAYMARK_DATABASE_URL": database_url,
        "WAYMARK_TOKEN_SECRET": token_secret,
        # Every process of the run seals and opens cases under one master key.
        "WAYMARK_MASTER_KEY": master_key(),
        "WAYMARK_PROJECT_IN_PROCESS": "no",
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
    }


def api_worker(name: str, env: dict[str, str], workdir: Path) -> Service:
    port = free_port()
    argv = [WAYMARK, "serve", "--host", HOST, "--port", str(port)]
    return Service(name, argv, env, workdir, port=port)


def projection_worker(env: dict[str, str], workdir: Path) -> Service:
    return Service("projector", [WAYMARK, "project"], env, workdir)


def restart_postgres(port: int) -> float:
    """Restarts the local cluster serving ``port`` (the run owns it, so says
    ``--restart-postgres``); returns the seconds the restart took."""
    if not shutil.which("pg_lsclusters") or not shutil.which("pg_ctlcluster"):
        raise BenchError("--restart-postgres needs pg_lsclusters and pg_ctlcluster")
    listed = subprocess.run(
        ["pg_lsclusters", "--no-header"],
        check=True,
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout
    clusters = [line.split()[:3] for line in listed.splitlines() if line.strip()]
    matching = [(v, name) for v, name, p in clusters if p == str(port)]
    if not matching:
        raise BenchError(f"--restart-postgres: no local cluster serves port {port}")
    version, name = matching[0]
    started = time.monotonic()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "restart"],
        check=True,
        timeout=120,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    return time.monotonic() - started
