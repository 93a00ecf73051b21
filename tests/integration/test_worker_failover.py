"""Projection workers on PostgreSQL outlive the database, and stand in for each
other: of several started for a view, one holds its advisory lock and projects;
when it dies or loses its connection another takes over, and a worker whose
connections are all cut resumes from its view's position, losing and doubling
nothing.

The workers connect as a role of their own, so the test cuts exactly their
sessions (``pg_terminate_backend``), never another test's; ``waymark
project`` is run as processes, one killed outright. Every case is synthetic.
"""

from __future__ import annotations

import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from api.bootstrap import ProjectionSettings, Views, build_journeys, build_views
from api.settings import Settings
from domain.application import CaseJourneys
from projections.tracking import ProjectionWorker
from projections.tracking.leadership import PostgresViewLock
from storage.settings import persistence_env
from tests.conftest import POSTGRES_URL
from tests.integration.test_caseload_cli import stop, waymark

pytestmark = pytest.mark.postgres

#: Every wait in these tests is bounded by this (generous for a busy machine).
PATIENCE = 60.0
SECRET = "test-secret-" + "x" * 32


@dataclass(frozen=True)
class Database:
    role: str
    #: The test's own session (a superuser's), opened once: the server is
    #: shared, and may have no connection to spare mid-test.
    admin: psycopg.Connection[tuple[object, ...]]
    #: The store, as the workers' role sees it.
    worker_env: dict[str, str]
    #: The store, as the test (a superuser) records into it.
    env: dict[str, str]


def _as(role: str | None, schema: str) -> dict[str, str]:
    parts = urlsplit(POSTGRES_URL)
    netloc = parts.netloc if role is None else f"{role}@{parts.hostname}:{parts.port}"
    url = urlunsplit(parts._replace(netloc=netloc, query=f"schema={schema}"))
    # One pooled connection each (more open when needed): the server is shared.
    return persistence_env(
        {"WAYMARK_DATABASE_URL": url, "WAYMARK_POOL_SIZE": "1"},
        default_sqlite_path="",
    )


@pytest.fixture
def database() -> Iterator[Database]:
    suffix = uuid.uuid4().hex[:12]
    role, schema = f"worker_{suffix}", f"test_{suffix}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(f'CREATE ROLE "{role}" LOGIN')
        connection.execute(f'CREATE SCHEMA "{schema}" AUTHORIZATION "{role}"')
    admin = psycopg.connect(POSTGRES_URL, autocommit=True)
    database = Database(role, admin, _as(role, schema), _as(None, schema))
    # The workers' role makes (and so owns) every table, as a deployment would.
    settings = _settings(database.worker_env)
    journeys = build_journeys(settings)
    build_views(settings, journeys, ProjectionSettings(in_process=False)).close()
    journeys.close()
    try:
        yield database
    finally:
        with admin:
            _cut(admin, role)
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
            admin.execute(f'DROP ROLE "{role}"')


def _cut(connection: psycopg.Connection[tuple[object, ...]], role: str) -> int:
    """Terminates every session of ``role``; returns how many."""
    row = connection.execute(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
        "WHERE usename = %s",
        (role,),
    ).fetchone()
    return int(row[0]) if row else 0


def _settings(env: dict[str, str]) -> Settings:
    return Settings(
        persistence=env,
        token_secret=SECRET,
        token_issuer="waymark",
        token_audience="waymark",
        token_public_key=None,
    )


@dataclass
class Running:
    journeys: CaseJourneys
    views: Views
    stop: threading.Event
    thread: threading.Thread

    @property
    def worker(self) -> ProjectionWorker:
        return self.views.workers[0]  # the caseload's

    def halt(self) -> None:
        self.stop.set()
        self.thread.join(PATIENCE)
        assert not self.thread.is_alive()


@contextmanager
def _workers(database: Database, count: int) -> Iterator[list[Running]]:
    """``count`` caseload workers, each a process of its own would be: its own
    application, view and connections."""
    started: list[Running] = []
    try:
        for _ in range(count):
            settings = _settings(database.worker_env)
            journeys = build_journeys(settings)
            views = build_views(
                settings,
                journeys,
                ProjectionSettings(in_process=False, poll_seconds=0.1),
            )
            stop = threading.Event()
            worker = views.workers[0]
            # Quick to resume: the shared server may briefly have no
            # connection to spare.
            worker.retry_seconds = (0.1, 1.0)
            thread = threading.Thread(target=worker.run, args=(stop,), daemon=True)
            started.append(Running(journeys, views, stop, thread))
            thread.start()
        yield started
    finally:
        for running in started:
            running.stop.set()
        for running in started:
            running.thread.join(PATIENCE)
            running.views.close()
            running.journeys.close()


def _eventually(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        assert time.monotonic() < deadline, f"not within {PATIENCE} s: {what}"
        time.sleep(0.05)


def _open_cases(journeys: CaseJourneys, first: int, count: int) -> None:
    for number in range(first, first + count):
        journeys.open_case(
            reference=f"FAIL-{number}",
            organisation_id="org-north",
            jurisdiction="scotland",
            recorded_by="adv-north-01",
        )


def _caught_up(running: Running, journeys: CaseJourneys) -> Callable[[], bool]:
    return lambda: running.worker.position() == journeys.log_position()


def _references(running: Running) -> list[str]:
    entries = running.views.caseload.caseload(organisation_id="org-north")
    return sorted(entry.reference for entry in entries)


@pytest.fixture
def recorder(database: Database) -> Iterator[CaseJourneys]:
    journeys = build_journeys(_settings(database.env))
    try:
        yield journeys
    finally:
        journeys.close()


def test_of_two_workers_one_projects_and_the_other_takes_over_when_it_goes(
    database: Database, recorder: CaseJourneys
) -> None:
    with _workers(database, 2) as (one, two):
        _eventually(lambda: one.worker.leading or two.worker.leading, "a leader")
        time.sleep(0.5)  # long enough for a second leader to appear, if it could
        assert [one.worker.leading, two.worker.leading].count(True) == 1
        leader, standby = (one, two) if one.worker.leading else (two, one)

        _open_cases(recorder, 1, 3)
        _eventually(_caught_up(leader, recorder), "the leader catches up")

        # The leader's lock session is cut: it stands down, the other takes over.
        lock = leader.worker.lock
        assert isinstance(lock, PostgresViewLock) and lock.backend_pid is not None
        database.admin.execute("SELECT pg_terminate_backend(%s)", (lock.backend_pid,))
        _eventually(lambda: standby.worker.leading, "the standby takes over")
        _eventually(lambda: not leader.worker.leading, "the old leader stands down")
        _open_cases(recorder, 4, 3)
        _eventually(_caught_up(standby, recorder), "the new leader catches up")
        assert not leader.worker.leading

        # The new leader stops (its process ends): the first takes over again.
        standby.halt()
        _eventually(lambda: leader.worker.leading, "the first worker takes over")
        _open_cases(recorder, 7, 2)
        _eventually(_caught_up(leader, recorder), "it catches up")

        assert _references(leader) == sorted(f"FAIL-{n}" for n in range(1, 9))


def test_a_worker_whose_connections_are_all_cut_resumes_without_loss_or_doubling(
    database: Database, recorder: CaseJourneys
) -> None:
    with _workers(database, 1) as (running,):
        _eventually(lambda: running.worker.leading, "the worker leads")
        _open_cases(recorder, 1, 3)
        _eventually(_caught_up(running, recorder), "it catches up")

        for cut in range(2):
            assert _cut(database.admin, database.role) >= 2  # lock, listen, pool
            _open_cases(recorder, 4 + 3 * cut, 3)
            _eventually(_caught_up(running, recorder), f"it resumes after cut {cut}")
            assert running.thread.is_alive()

        assert _references(running) == sorted(f"FAIL-{n}" for n in range(1, 10))
        assert running.worker.leading


def _url(env: dict[str, str]) -> str:
    return (
        f"postgresql://{env['POSTGRES_USER']}@{env['POSTGRES_HOST']}:"
        f"{env['POSTGRES_PORT']}/{env['POSTGRES_DBNAME']}?schema={env['POSTGRES_SCHEMA']}"
    )


def test_waymark_project_stands_in_for_a_killed_one_and_outlives_its_connections(
    database: Database,
    recorder: CaseJourneys,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WAYMARK_POOL_SIZE", "1")
    views = build_views(
        _settings(database.env), recorder, ProjectionSettings(in_process=False)
    )
    url = _url(database.worker_env)
    first = _started(tmp_path, url, database, 1)
    second: subprocess.Popen[str] | None = None
    try:
        _open_cases(recorder, 1, 2)
        caught_up = lambda: views.caseload.position() == recorder.log_position()  # noqa: E731
        _eventually(caught_up, "the first process catches up")
        second = _started(tmp_path, url, database, 2)

        first.kill()  # no goodbye: the server ends its session and lock
        first.wait(PATIENCE)
        _open_cases(recorder, 3, 2)
        _eventually(caught_up, "the second process takes over")

        assert _cut(database.admin, database.role) >= 2
        _open_cases(recorder, 5, 2)
        _eventually(caught_up, "it resumes after its connections are cut")
        assert second.poll() is None, "waymark project exited"
        assert [
            entry.reference
            for entry in sorted(
                views.caseload.caseload(organisation_id="org-north"),
                key=lambda entry: entry.reference,
            )
        ] == [f"FAIL-{n}" for n in range(1, 7)]
    finally:
        if first.poll() is None:
            first.kill()
        print("first:", first.communicate()[0])  # shown if the test fails
        code, output = stop(second) if second is not None else (0, "")
        print("second:", output)
        views.close()
    assert code == 0, output
    assert f"caseload: stopped at log position {recorder.log_position()}." in output
    said = output.splitlines()
    assert said.index(
        next(line for line in said if "caseload: another worker" in line)
    ) < (said.index(next(line for line in said if "caseload: this worker now" in line)))
    assert "caseload: lost the database" in output


def _started(
    tmp_path: Path, url: str, database: Database, sessions: int
) -> subprocess.Popen[str]:
    """A ``waymark project``, once its caseload worker is connected (leading
    or standing by) and ``sessions`` such workers are. Started again if it
    could not open the store: the shared server may have had no connection to
    spare (a worker outlives the database, but does not start without it)."""
    for _ in range(5):
        process = waymark(tmp_path, url, "project")
        try:
            _eventually(
                lambda: _sessions(database) == sessions or process.poll() is not None,  # noqa: B023
                f"{sessions} workers are connected",
            )
        except AssertionError:
            process.kill()
            process.communicate()
            raise
        if process.poll() is None:
            return process
        output = process.communicate()[0]
        assert "cannot open the event store" in output, output
        time.sleep(1)
    raise AssertionError("waymark project never started")


def _sessions(database: Database) -> int:
    row = database.admin.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE usename = %s "
        "AND application_name = 'waymark caseload worker'",
        (database.role,),
    ).fetchone()
    return int(row[0]) if row else 0
