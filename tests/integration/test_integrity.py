"""Stored events are contracts: old ones still read, tampering shows, races resolve."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import psycopg
import pytest
from eventsourcing.persistence import StoredEvent

from api.bootstrap import build_journeys
from api.settings import Settings
from domain.application import CaseJourneys, StepInput
from domain.case import CaseOpened, SurvivorCase
from domain.errors import VersionConflict
from domain.hashchain import GENESIS, event_hash
from tests.conftest import POSTGRES_URL

ADVOCATE = "advocate-rowan"
REFERRED = StepInput("nrm.referred", "2019-06~", "Referred into the NRM")


def test_a_case_opened_under_version_1_of_its_event_is_read_and_extended(
    journeys: CaseJourneys,
) -> None:
    case_id = UUID("0f0e0d0c-0b0a-4908-8706-050403020100")
    # Exactly what version 1 of CaseOpened stored: no local authority, no class_version.
    v1_state: dict[str, Any] = {
        "timestamp": _timestamp(),
        "originator_topic": SurvivorCase.TOPIC,  # type: ignore[attr-defined]
        "reference": "LEGACY-1",
        "organisation_id": "org-north",
        "jurisdiction": "england_and_wales",
        "recorded_by": ADVOCATE,
        "previous_hash": GENESIS,
        "idempotency_key": None,
        "command_digest": None,
    }
    journeys.recorder.insert_events(
        [
            StoredEvent(
                originator_id=case_id,
                originator_version=1,
                topic=CaseOpened.TOPIC,
                state=journeys.mapper.transcoder.encode(v1_state),
            )
        ]
    )

    summary = journeys.case_summary(case_id)
    assert (summary.reference, summary.local_authority) == ("LEGACY-1", None)

    journeys.record_step(case_id, REFERRED, recorded_by=ADVOCATE)
    report = journeys.verify_chain(case_id)
    assert report.intact, "upcasting an old event must not break the hash chain"
    (_, recorded) = journeys.case_events(case_id)
    assert recorded.previous_hash == event_hash(CaseOpened.TOPIC, case_id, 1, v1_state)


@pytest.mark.parametrize("store", ["sqlite", "postgres"], indirect=True)
def test_an_event_altered_in_the_database_breaks_the_chain_after_it(
    journeys: CaseJourneys, store: dict[str, str]
) -> None:
    case_id = journeys.open_case(
        reference="TAMPER-1",
        organisation_id="org-north",
        jurisdiction="england_and_wales",
        recorded_by=ADVOCATE,
    ).case_id
    journeys.record_step(case_id, REFERRED, recorded_by=ADVOCATE)
    journeys.record_step(case_id, REFERRED, recorded_by=ADVOCATE)
    assert journeys.verify_chain(case_id).intact

    def rewrite(state: bytes) -> bytes:
        return state.replace(
            b"Referred into the NRM", b"Referred into the NRM by nobody"
        )

    _tamper(store, journeys, case_id, version=2, rewrite=rewrite)

    report = journeys.verify_chain(case_id)
    assert report.breaks == (3,)


@pytest.mark.parametrize("store", ["sqlite", "postgres"], indirect=True)
def test_an_append_that_loses_a_race_is_retried_on_the_fresh_case(
    settings: Settings, journeys: CaseJourneys, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = journeys.open_case(
        reference="RACE-1",
        organisation_id="org-north",
        jurisdiction="england_and_wales",
        recorded_by=ADVOCATE,
    ).case_id
    other_writer = build_journeys(settings)
    load = journeys._load
    raced = []

    def load_then_lose_the_race(loaded_id: UUID) -> SurvivorCase:
        case = load(loaded_id)
        if not raced:
            raced.append(
                other_writer.record_step(case_id, REFERRED, recorded_by="advocate-2")
            )
        return case

    monkeypatch.setattr(journeys, "_load", load_then_lose_the_race)
    try:
        result = journeys.record_step(case_id, REFERRED, recorded_by=ADVOCATE)
        assert result.version == 3 and raced[0].version == 2

        raced.clear()
        with pytest.raises(VersionConflict):
            journeys.record_step(
                case_id, REFERRED, recorded_by=ADVOCATE, expected_version=3
            )
        assert (
            journeys.case_summary(case_id).version == 4
        )  # only the other writer's step
    finally:
        other_writer.close()


def _timestamp() -> datetime:
    return datetime(2020, 1, 6, 9, 30, tzinfo=UTC)


def _tamper(
    store: dict[str, str],
    journeys: CaseJourneys,
    case_id: UUID,
    version: int,
    rewrite: Callable[[bytes], bytes],
) -> None:
    """Rewrites one stored event behind the application's back, as an intruder would."""
    table = journeys.recorder.events_table_name  # type: ignore[attr-defined]
    if store["PERSISTENCE_MODULE"] == "eventsourcing.sqlite":
        with sqlite3.connect(store["SQLITE_DBNAME"]) as connection:
            (state,) = connection.execute(
                f"SELECT state FROM {table} "
                "WHERE originator_id = ? AND originator_version = ?",
                (case_id.hex, version),
            ).fetchone()
            connection.execute(
                f"UPDATE {table} SET state = ? "
                "WHERE originator_id = ? AND originator_version = ?",
                (rewrite(state), case_id.hex, version),
            )
        return
    table = f'"{store["POSTGRES_SCHEMA"]}"."{table}"'
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        row = connection.execute(
            f"SELECT state FROM {table} WHERE originator_id = %s AND originator_version = %s",
            (case_id, version),
        ).fetchone()
        assert row is not None
        connection.execute(
            f"UPDATE {table} SET state = %s WHERE originator_id = %s AND originator_version = %s",
            (rewrite(bytes(row[0])), case_id, version),
        )
