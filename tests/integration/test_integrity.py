"""Stored events are contracts: old ones still read, tampering shows, races resolve."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import psycopg
import pytest
from eventsourcing.persistence import MapperDeserialisationError, StoredEvent

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
    # Upcast through version 2 to 3: it opened on the UK day it was recorded.
    assert summary.opened_on == date(2020, 1, 6)

    journeys.record_step(case_id, REFERRED, recorded_by=ADVOCATE)
    report = journeys.verify_chain(case_id)
    assert report.intact, "upcasting an old event must not break the hash chain"
    (_, recorded) = journeys.case_events(case_id)
    assert recorded.previous_hash == event_hash(CaseOpened.TOPIC, case_id, 1, v1_state)


@pytest.fixture
def plaintext_journeys(store: dict[str, str]) -> Iterator[CaseJourneys]:
    """The application as it was before encryption: events stored in plaintext."""
    app = CaseJourneys(env=dict(store))
    try:
        yield app
    finally:
        app.close()


@pytest.mark.parametrize("store", ["sqlite", "postgres"], indirect=True)
def test_a_plaintext_event_altered_in_the_database_breaks_the_chain_after_it(
    plaintext_journeys: CaseJourneys, store: dict[str, str]
) -> None:
    journeys = plaintext_journeys
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
def test_a_sealed_event_altered_in_the_database_is_refused_not_read(
    journeys: CaseJourneys, store: dict[str, str]
) -> None:
    case_id = _open(journeys, "TAMPER-2")
    journeys.record_step(case_id, REFERRED, recorded_by=ADVOCATE)

    def flip_last_byte(state: bytes) -> bytes:
        return state[:-1] + bytes([state[-1] ^ 1])

    _tamper(store, journeys, case_id, version=2, rewrite=flip_last_byte)

    with pytest.raises(MapperDeserialisationError, match="integrity check"):
        journeys.verify_chain(case_id)


@pytest.fixture
def other_writer(settings: Settings) -> Iterator[CaseJourneys]:
    """A second process's application on the same store."""
    app = build_journeys(settings)
    try:
        yield app
    finally:
        app.close()


def _open(app: CaseJourneys, reference: str) -> UUID:
    return app.open_case(
        reference=reference,
        organisation_id="org-north",
        jurisdiction="england_and_wales",
        recorded_by=ADVOCATE,
    ).case_id


@pytest.mark.parametrize("store", ["sqlite", "postgres"], indirect=True)
def test_an_append_that_loses_a_race_is_retried_on_the_fresh_case(
    journeys: CaseJourneys, other_writer: CaseJourneys
) -> None:
    case_id = _open(journeys, "RACE-1")
    # The other process records a step; this one's cached copy is now behind.
    assert (
        other_writer.record_step(case_id, REFERRED, recorded_by="advocate-2").version
        == 2
    )

    assert journeys.record_step(case_id, REFERRED, recorded_by=ADVOCATE).version == 3

    other_writer.record_step(case_id, REFERRED, recorded_by="advocate-2")
    with pytest.raises(VersionConflict) as conflict:
        journeys.record_step(
            case_id, REFERRED, recorded_by=ADVOCATE, expected_version=3
        )
    assert (conflict.value.expected, conflict.value.actual) == (3, 4)
    assert journeys.case_summary(case_id).version == 4


@pytest.mark.parametrize("store", ["sqlite", "postgres"], indirect=True)
def test_a_stale_copy_never_refuses_what_the_store_allows(
    journeys: CaseJourneys, other_writer: CaseJourneys
) -> None:
    case_id = _open(journeys, "STALE-1")
    journeys.close_case(case_id, reason="Support ended", recorded_by=ADVOCATE)
    other_writer.reopen_case(case_id, reason="Re-referred", recorded_by="advocate-2")
    other_writer.transfer_case(
        case_id, "org-south", reason="Moved south", recorded_by="advocate-2"
    )
    step_id = other_writer.record_step(case_id, REFERRED, recorded_by="advocate-2").id

    # This process last saw the case closed, with org-north and no steps.
    result = journeys.retract_step(
        case_id,
        step_id,
        reason="Recorded twice",
        recorded_by="advocate-3",
        on_behalf_of="org-south",
    )
    assert result.version == 6
    assert journeys.case_summary(case_id).organisation_id == "org-south"


@pytest.mark.parametrize("store", ["sqlite", "postgres"], indirect=True)
def test_a_retry_answered_by_another_process_is_replayed_not_repeated(
    journeys: CaseJourneys, other_writer: CaseJourneys
) -> None:
    case_id = _open(journeys, "RETRY-1")
    journeys.case_summary(case_id)  # cached here at version 1
    first = other_writer.record_step(
        case_id, REFERRED, recorded_by=ADVOCATE, idempotency_key="once"
    )
    retry = journeys.record_step(
        case_id, REFERRED, recorded_by=ADVOCATE, idempotency_key="once"
    )
    assert (retry.id, retry.replayed) == (first.id, True)
    assert journeys.case_summary(case_id).version == 2


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
