"""``waymark project`` keeps the views current beside the API, and ``waymark serve``
on SQLite keeps them current itself. Run as a newcomer would: the command line on
a SQLite file in a temporary directory, and as separate processes on SQLite and
PostgreSQL. Every case and fact is synthetic."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest
from typer.testing import CliRunner

from api.auth import mint_token
from api.bootstrap import ProjectionSettings, build_journeys, build_views
from api.cli import app
from api.settings import Settings
from domain.application import StepInput
from tests.conftest import POSTGRES_URL

SECRET = "caseload-cli-secret-" + "z" * 32
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("WAYMARK_DATABASE_URL", "WAYMARK_TOKEN_PUBLIC_KEY"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def cli(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        result.exception
    )
    return result.exit_code, result.output


def test_project_once_catches_the_caseload_up_and_rebuild_replays_it(
    workdir: Path,
) -> None:
    env = {"WAYMARK_TOKEN_SECRET": SECRET}
    cli(env, "demo")

    first_code, first = cli(env, "project", "--once")
    again_code, again = cli(env, "project", "--once")
    rebuilt_code, rebuilt = cli(env, "project", "--once", "--rebuild")

    assert (first_code, again_code, rebuilt_code) == (0, 0, 0)
    position = first.rsplit("at log position ", 1)[1].split(" ")[0]
    assert f"({position} events read" in first
    assert "(0 events read)" in again
    assert f"at log position {position} ({position} events read" in rebuilt
    assert (workdir / "waymark.caseload.db").exists()
    settings = Settings.from_environ(env, workdir=workdir)
    journeys = build_journeys(settings)
    views = build_views(settings, journeys, ProjectionSettings(in_process=False))
    try:
        assert views.caseload.position() == journeys.log_position()
        assert len(views.caseload.caseload(organisation_id="org-north")) == 2
    finally:
        views.close()
        journeys.close()


def test_project_refuses_the_in_memory_store(workdir: Path) -> None:
    code, output = cli(
        {"WAYMARK_TOKEN_SECRET": SECRET, "WAYMARK_DATABASE_URL": "memory://"},
        "project",
    )

    assert code == 2
    assert "waymark serve" in output and "Traceback" not in output


def test_an_unusable_drift_setting_is_a_clear_error(workdir: Path) -> None:
    code, output = cli(
        {"WAYMARK_TOKEN_SECRET": SECRET, "WAYMARK_DRIFT_DAYS": "a month"},
        "project",
        "--once",
    )

    assert code == 2
    assert "WAYMARK_DRIFT_DAYS" in output and "Traceback" not in output


# As separate processes


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'waymark.db'}"
        return
    schema = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{POSTGRES_URL}?schema={schema}"
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


def waymark(workdir: Path, database_url: str, *args: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "WAYMARK_DATABASE_URL": database_url,
        "WAYMARK_TOKEN_SECRET": SECRET,
        "WAYMARK_PROJECTION_POLL_SECONDS": "0.05",
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "api.cli", *args],
        cwd=workdir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stop(process: subprocess.Popen[str]) -> tuple[int, str]:
    process.send_signal(signal.SIGTERM)
    try:
        output, _ = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    return process.returncode, output


def test_waymark_project_follows_the_log_until_stopped(
    workdir: Path, database_url: str
) -> None:
    settings = Settings.from_environ(
        {"WAYMARK_DATABASE_URL": database_url, "WAYMARK_TOKEN_SECRET": SECRET},
        workdir=workdir,
    )
    journeys = build_journeys(settings)
    views = build_views(
        settings, journeys, ProjectionSettings(in_process=False, wait_seconds=15)
    )
    worker = waymark(workdir, database_url, "project")
    try:
        case_id = journeys.open_case(
            reference="PROJECT-1",
            organisation_id="org-north",
            jurisdiction="england_and_wales",
            recorded_by="adv-1",
        ).case_id
        written = journeys.record_step(
            case_id,
            StepInput("engagement.contact", "2026-10-01", "Met", {"mode": "phone"}),
            recorded_by="adv-1",
        )

        assert views.caseload.position(at_least=written.position) >= written.position
        (entry,) = views.caseload.caseload(organisation_id="org-north")
        assert str(entry.last_contact_on) == "2026-10-01"
        # The worker catches up every view before it follows the log (and takes
        # SIGTERM as a request to stop): stopped sooner, it is simply killed.
        deadline = time.monotonic() + 15
        while views.evaluation.position() < written.position:
            assert time.monotonic() < deadline, "the evaluation view never caught up"
            time.sleep(0.05)
    finally:
        code, output = stop(worker)
        views.close()
        journeys.close()
    assert code == 0, output
    assert "Following the log" in output
    assert f"caseload: stopped at log position {written.position}." in output


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_waymark_serve_on_sqlite_keeps_the_caseload_current_itself(
    workdir: Path,
) -> None:
    port = free_port()
    server = waymark(
        workdir, f"sqlite:///{workdir / 'waymark.db'}", "serve", "--port", str(port)
    )
    settings = Settings.from_environ({"WAYMARK_TOKEN_SECRET": SECRET}, workdir=workdir)
    token = mint_token(
        settings, subject="adv-1", role="advocate", organisation_id="org-north"
    )
    try:
        with httpx.Client(
            base_url=f"http://127.0.0.1:{port}",
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        ) as http:
            for _ in range(300):
                try:
                    if http.get("/readyz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.05)
            opened = http.post(
                "/graphql",
                json={
                    "query": 'mutation { openCase(input: {reference: "SERVE-1", '
                    "jurisdiction: SCOTLAND}) { ... on CaseOpened { position } } }"
                },
            ).json()["data"]["openCase"]
            answer = http.post(
                "/graphql",
                json={
                    "query": "query($p: Int) { caseload(atLeastPosition: $p) { "
                    "__typename ... on Caseload { position cases { reference } } } }",
                    "variables": {"p": opened["position"]},
                },
            ).json()["data"]["caseload"]
    finally:
        _, output = stop(server)
    assert answer == {
        "__typename": "Caseload",
        "position": opened["position"],
        "cases": [{"reference": "SERVE-1"}],
    }, output
    assert "Views:     kept current by this process." in output
