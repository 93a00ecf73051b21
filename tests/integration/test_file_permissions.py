"""The SQLite files that hold case records are readable by their owner only:
the events file, the views' files and their write-ahead logs, however permissive
the process's umask, and a file an earlier release left readable is narrowed
when opened."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.bootstrap import ProjectionSettings, build_journeys, build_views
from api.settings import Settings
from storage.settings import persistence_env

FILES = ("waymark.db", "waymark.caseload.db", "waymark.evaluation.db")


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def _settings(path: Path) -> Settings:
    return Settings(
        persistence=persistence_env({}, default_sqlite_path=str(path)),
        token_secret="test-secret-" + "x" * 32,
        token_issuer="waymark",
        token_audience="waymark",
        token_public_key=None,
    )


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _record_and_project(settings: Settings) -> None:
    journeys = build_journeys(settings)
    views = build_views(settings, journeys, ProjectionSettings(in_process=False))
    try:
        opened = journeys.open_case(
            reference="PERM-1",
            organisation_id="org-north",
            jurisdiction="scotland",
            recorded_by="adv-north-01",
        )
        journeys.give_consent(opened.id, "evaluation", recorded_by="adv-north-01")
        for worker in views.workers:
            worker.catch_up()
        # Every database's write-ahead log and shared memory exist while open.
        for name in FILES:
            for suffix in ("", "-wal", "-shm"):
                path = settings.persistence["SQLITE_DBNAME"].replace("waymark.db", name)
                file = Path(f"{path}{suffix}")
                assert file.exists(), file
                assert _mode(file) == 0o600, (file, oct(_mode(file)))
    finally:
        views.close()
        journeys.close()


@pytest.mark.usefixtures("permissive_umask")
def test_the_events_and_views_files_and_their_logs_are_owner_only(
    tmp_path: Path,
) -> None:
    _record_and_project(_settings(tmp_path / "waymark.db"))
    for name in FILES:
        assert _mode(tmp_path / name) == 0o600


@pytest.mark.usefixtures("permissive_umask")
def test_files_an_earlier_release_left_readable_are_narrowed_when_opened(
    tmp_path: Path,
) -> None:
    settings = _settings(tmp_path / "waymark.db")
    _record_and_project(settings)
    for name in FILES:
        (tmp_path / name).chmod(0o644)
    _record_and_project(settings)
    for name in FILES:
        assert _mode(tmp_path / name) == 0o600
