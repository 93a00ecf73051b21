"""Where views live and how the projections are configured: the composition root
reads WAYMARK_DRIFT_DAYS, WAYMARK_PROJECT_IN_PROCESS and
WAYMARK_PROJECTION_POLL_SECONDS."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.bootstrap import ProjectionSettings, build_journeys, build_views
from api.settings import Settings
from projections.tracking import UnsupportedStore, sibling_file, store_kind, view_env
from storage.settings import persistence_env


def settings_for(persistence: dict[str, str]) -> Settings:
    return Settings(
        persistence=persistence,
        token_secret="s" * 40,
        token_issuer="waymark",
        token_audience="waymark",
        token_public_key=None,
    )


def test_projection_settings_default_to_28_days_and_the_store_deciding() -> None:
    assert ProjectionSettings.from_environ({}) == ProjectionSettings(
        drift_days=28, in_process=None, poll_seconds=0.5
    )


def test_projection_settings_are_read_from_the_waymark_variables() -> None:
    read = ProjectionSettings.from_environ(
        {
            "WAYMARK_DRIFT_DAYS": "14",
            "WAYMARK_PROJECT_IN_PROCESS": "yes",
            "WAYMARK_PROJECTION_POLL_SECONDS": "2.5",
        }
    )
    assert (read.drift_days, read.in_process, read.poll_seconds) == (14, True, 2.5)
    assert (
        ProjectionSettings.from_environ({"WAYMARK_PROJECT_IN_PROCESS": "no"}).in_process
        is False
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("WAYMARK_DRIFT_DAYS", "0"),
        ("WAYMARK_DRIFT_DAYS", "four weeks"),
        ("WAYMARK_DRIFT_DAYS", "-3"),
        ("WAYMARK_DRIFT_DAYS", "99999"),
        ("WAYMARK_PROJECT_IN_PROCESS", "sometimes"),
        ("WAYMARK_PROJECTION_POLL_SECONDS", "never"),
        ("WAYMARK_PROJECTION_POLL_SECONDS", "0"),
    ],
)
def test_unusable_projection_settings_are_refused_by_name(
    name: str, value: str
) -> None:
    with pytest.raises(ValueError, match=name):
        ProjectionSettings.from_environ({name: value})


def test_a_sqlite_view_lives_in_a_file_beside_the_events() -> None:
    assert sibling_file("/data/waymark.db", "caseload") == "/data/waymark.caseload.db"
    assert sibling_file("waymark", "caseload") == "waymark.caseload.db"
    env = persistence_env({}, default_sqlite_path="/data/waymark.db")

    assert view_env(env, "caseload")["SQLITE_DBNAME"] == "/data/waymark.caseload.db"
    assert env["SQLITE_DBNAME"] == "/data/waymark.db"


def test_a_postgres_view_lives_beside_the_events_and_an_in_memory_one_in_memory() -> (
    None
):
    postgres = persistence_env(
        {"WAYMARK_DATABASE_URL": "postgresql://u@h:5432/db?schema=s"},
        default_sqlite_path="",
    )
    memory = persistence_env(
        {"WAYMARK_DATABASE_URL": "memory://"}, default_sqlite_path=""
    )

    assert view_env(postgres, "caseload") == postgres
    one, two = view_env(memory, "caseload"), view_env(memory, "caseload")
    assert store_kind(one) == "sqlite" and "mode=memory" in one["SQLITE_DBNAME"]
    assert one["SQLITE_DBNAME"] != two["SQLITE_DBNAME"]
    with pytest.raises(UnsupportedStore):
        store_kind({"PERSISTENCE_MODULE": "eventsourcing.dynamodb"})


def test_sqlite_and_in_memory_stores_project_in_the_serving_process_by_default(
    tmp_path: Path,
) -> None:
    sqlite = settings_for(
        persistence_env({}, default_sqlite_path=str(tmp_path / "w.db"))
    )
    memory = settings_for(
        persistence_env({"WAYMARK_DATABASE_URL": "memory://"}, default_sqlite_path="")
    )
    for settings, asked, expected in [
        (sqlite, None, True),
        (sqlite, False, False),
        (memory, None, True),
        (memory, False, True),  # its events exist only in this process
    ]:
        journeys = build_journeys(settings)
        views = build_views(settings, journeys, ProjectionSettings(in_process=asked))
        try:
            assert views.in_process is expected
            assert views.workers[0].in_process is expected
        finally:
            views.close()
            journeys.close()
    assert (tmp_path / "w.caseload.db").exists()
