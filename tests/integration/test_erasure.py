"""Encryption at rest and erasure, on the in-memory, SQLite and PostgreSQL stores.

Every case's events are sealed under its own key; erasing a case destroys the key,
so none of its rows can be opened by any key the system holds, no view mentions
it, and every other case still reads and verifies. Every case is synthetic.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import replace
from typing import Any
from uuid import UUID

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.persistence import StoredEvent

from api.bootstrap import ProjectionSettings, Views, build_journeys, build_views
from api.settings import Settings
from domain.application import CaseJourneys, StepInput
from domain.erasure import (
    CaseErased,
    ErasureUnavailable,
    KeyOfAnErasedCase,
    PlaintextEvents,
    SealedEvent,
)
from domain.errors import CaseNotFound, InvalidField
from projections.chronology import ChronologyReader
from storage.encryption import CaseEncryptingMapper, _place
from storage.keyring import HEADER_SIZE, NONCE_SIZE, CaseKeyring, is_sealed
from storage.keys import SQLKeyStore
from tests.integration.cases import open_north_case

ADVOCATE = "advocate-rowan"
MANAGER = "manager-north"
REFERENCE = "ERASE-7Q2"
SUMMARY = "Met the survivor at the drop-in; sentinel-summary-4471"
CONTACT = StepInput(
    "engagement.contact", "2026-01-05", SUMMARY, details={"mode": "in_person"}
)


def _keyring(journeys: CaseJourneys) -> CaseKeyring:
    mapper = journeys.mapper
    assert isinstance(mapper, CaseEncryptingMapper) and mapper.keyring is not None
    return mapper.keyring


def _open(journeys: CaseJourneys, reference: str, *, consent: bool = True) -> UUID:
    case_id = open_north_case(journeys, reference, ADVOCATE)
    if consent:
        journeys.give_consent(case_id, "evaluation", recorded_by=ADVOCATE)
    journeys.record_step(case_id, CONTACT, recorded_by=ADVOCATE)
    return case_id


def _stored(journeys: CaseJourneys, case_id: UUID) -> list[StoredEvent]:
    return list(journeys.recorder.select_events(case_id))


@pytest.fixture
def views(settings: Settings, journeys: CaseJourneys) -> Iterator[Views]:
    built = build_views(settings, journeys, ProjectionSettings(in_process=False))
    try:
        yield built
    finally:
        built.close()


def _catch_up(views: Views) -> None:
    for worker in views.workers:
        worker.catch_up()


def _view_text(view: Any) -> str:
    """Every value in every table of a view, as one text to search."""
    datastore = view.datastore
    found: list[str] = []
    if hasattr(datastore, "schema"):  # PostgreSQL: the view's tables in the schema
        with datastore.transaction(commit=False) as cursor:
            cursor.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = %s",
                (datastore.schema,),
            )
            names = [
                row["table_name"]
                for row in cursor.fetchall()
                if row["table_name"].startswith(("caseload", "evaluation"))
            ]
            for name in names:
                cursor.execute(f'SELECT * FROM "{datastore.schema}"."{name}"')
                found += [repr(tuple(row.values())) for row in cursor.fetchall()]
        return "\n".join(found)
    with datastore.transaction(commit=False) as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        names = [row[0] for row in cursor.fetchall()]
        for name in names:
            cursor.execute(f'SELECT * FROM "{name}"')
            found += [repr(tuple(row)) for row in cursor.fetchall()]
    return "\n".join(found)


def _facts(views: Views) -> int:
    view = views.evaluation.view
    with view.reading() as reading:
        ((count,),) = reading.rows(view.statement("SELECT COUNT(*) FROM {facts}"))
    return int(count)


def _mentions(text: str, case_id: UUID) -> bool:
    return str(case_id) in text or case_id.hex in text


def test_every_stored_state_is_ciphertext_with_nothing_of_the_case_in_plain_text(
    journeys: CaseJourneys,
) -> None:
    case_id = _open(journeys, REFERENCE)
    journeys.close_case(case_id, reason="Support ended", recorded_by=ADVOCATE)

    stored = _stored(journeys, case_id)

    assert len(stored) == 4
    for event in stored:
        assert is_sealed(event.state)
        assert REFERENCE.encode() not in event.state
        assert b"sentinel-summary-4471" not in event.state
        assert b"org-north" not in event.state and b"Eastshire" not in event.state
    assert journeys.case_summary(case_id).reference == REFERENCE


@pytest.mark.parametrize("store", ["sqlite", "postgres"], indirect=True)
def test_the_key_table_beside_the_events_holds_the_case_key_wrapped_not_in_plain(
    journeys: CaseJourneys,
) -> None:
    case_id = _open(journeys, REFERENCE)
    keyring = _keyring(journeys)
    assert isinstance(keyring.store, SQLKeyStore)

    (key,) = [k for k in keyring.store.not_under("", 1000) if k.case_id == case_id]

    assert key.master_key_id == keyring.master_key_id
    # Wrapped: 12 bytes of nonce, 32 of key, 16 of tag.
    assert len(key.wrapped) == NONCE_SIZE + 32 + 16
    assert keyring.unwrap(key) not in key.wrapped


def test_an_erased_case_cannot_be_opened_by_any_key_the_system_holds(
    journeys: CaseJourneys,
) -> None:
    case_id = _open(journeys, REFERENCE)
    kept = _open(journeys, "KEEP-1")
    keyring = _keyring(journeys)

    result = journeys.erase_case(case_id, "erasure_request", erased_by=MANAGER)

    assert result.version == 4 and not result.replayed
    held = keyring.store.not_under("", 10_000)
    assert held and all(key.case_id != case_id for key in held)
    data_keys = [AESGCM(keyring.unwrap(key)) for key in held]
    sealed = [e for e in _stored(journeys, case_id) if e.originator_version < 4]
    assert len(sealed) == 3
    for event in sealed:
        header = event.state[:HEADER_SIZE]
        nonce = event.state[HEADER_SIZE : HEADER_SIZE + NONCE_SIZE]
        body = event.state[HEADER_SIZE + NONCE_SIZE :]
        place = _place(case_id, event.originator_version, event.topic)
        for aead in data_keys:
            with pytest.raises(InvalidTag):
                aead.decrypt(nonce, body, header + place)
    # Read back, the erased case's events are placeholders; the erasure is legible.
    *placeholders, erasure = journeys.events.get(case_id)
    assert all(isinstance(e, SealedEvent) for e in placeholders)
    assert isinstance(erasure, CaseErased)
    assert (erasure.ground, erasure.erased_by, erasure.organisation_id) == (
        "erasure_request",
        MANAGER,
        "org-north",
    )
    assert journeys.verify_chain(kept).intact


def test_an_erased_case_answers_not_found_and_takes_no_more_commands(
    journeys: CaseJourneys,
) -> None:
    case_id = _open(journeys, REFERENCE)
    journeys.case_summary(case_id)  # cached

    journeys.erase_case(case_id, "consent_withdrawn", erased_by=MANAGER)

    with pytest.raises(CaseNotFound):
        journeys.case_summary(case_id)
    with pytest.raises(CaseNotFound):
        journeys.case_events(case_id)
    with pytest.raises(CaseNotFound):
        journeys.record_step(case_id, CONTACT, recorded_by=ADVOCATE)


def test_a_chronology_kept_warm_is_not_served_once_its_case_is_erased(
    journeys: CaseJourneys,
) -> None:
    case_id = _open(journeys, REFERENCE)
    reader = ChronologyReader(journeys)
    assert len(reader.chronology(case_id).rows) == 1

    journeys.erase_case(case_id, "erasure_request", erased_by=MANAGER)

    with pytest.raises(CaseNotFound):
        reader.chronology(case_id)


#: Another process, or the store reopened: not the in-memory store.
@pytest.mark.parametrize("store", ["sqlite", "postgres"], indirect=True)
def test_another_process_that_cached_the_case_finds_it_gone_after_erasure(
    settings: Settings, journeys: CaseJourneys
) -> None:
    case_id = _open(journeys, REFERENCE)
    other = build_journeys(settings)
    try:
        other.case_summary(case_id)  # cached there, with its key
        journeys.erase_case(case_id, "erasure_request", erased_by=MANAGER)

        with pytest.raises(CaseNotFound):
            other.record_step(case_id, CONTACT, recorded_by=ADVOCATE)
        with pytest.raises(CaseNotFound):
            other.case_summary(case_id)
        assert not _keyring(other).holds_key(case_id)
    finally:
        other.close()


def test_verify_reports_an_erased_case_as_erased_and_every_other_as_intact(
    journeys: CaseJourneys,
) -> None:
    erased = _open(journeys, REFERENCE)
    others = [_open(journeys, f"KEEP-{n}") for n in range(3)]

    journeys.erase_case(erased, "retention_expired", erased_by=MANAGER)

    report = journeys.verify_chain(erased)
    assert report.erased and not report.breaks
    assert all(journeys.verify_chain(case_id).intact for case_id in others)


def test_erasing_twice_records_the_erasure_once(journeys: CaseJourneys) -> None:
    case_id = _open(journeys, REFERENCE)
    first = journeys.erase_case(
        case_id, "erasure_request", erased_by=MANAGER, idempotency_key="erase-1"
    )
    position = journeys.log_position()

    again = journeys.erase_case(
        case_id, "erasure_request", erased_by=MANAGER, idempotency_key="erase-1"
    )
    later = journeys.erase_case(case_id, "retention_expired", erased_by="manager-2")

    assert (again.version, again.replayed) == (first.version, True)
    assert later.replayed
    assert journeys.log_position() == position
    assert [type(e) for e in journeys.events.get(case_id)][-2:] == [
        SealedEvent,
        CaseErased,
    ]


def test_an_idempotency_key_that_opened_an_erased_case_opens_nothing_again(
    journeys: CaseJourneys,
) -> None:
    opening = {
        "reference": REFERENCE,
        "organisation_id": "org-north",
        "jurisdiction": "england_and_wales",
        "recorded_by": ADVOCATE,
        "idempotency_key": "open-1",
    }
    case_id = journeys.open_case(**opening).case_id
    journeys.erase_case(case_id, "erasure_request", erased_by=MANAGER)
    position = journeys.log_position()

    with pytest.raises(KeyOfAnErasedCase):
        journeys.open_case(**opening)
    assert journeys.log_position() == position


def test_a_refused_erasure_records_nothing(journeys: CaseJourneys) -> None:
    case_id = _open(journeys, REFERENCE)
    position = journeys.log_position()

    with pytest.raises(InvalidField):
        journeys.erase_case(case_id, "because", erased_by=MANAGER)
    with pytest.raises(CaseNotFound):
        journeys.erase_case(
            case_id, "erasure_request", erased_by=MANAGER, on_behalf_of="org-south"
        )
    with pytest.raises(CaseNotFound):
        journeys.erase_case(UUID(int=7), "erasure_request", erased_by=MANAGER)

    assert journeys.log_position() == position
    assert _keyring(journeys).holds_key(case_id)
    assert journeys.case_summary(case_id).reference == REFERENCE


def test_a_store_without_a_master_key_refuses_to_erase(store: dict[str, str]) -> None:
    plaintext = CaseJourneys(env=dict(store))
    try:
        case_id = _open(plaintext, REFERENCE)
        position = plaintext.log_position()
        with pytest.raises(ErasureUnavailable):
            plaintext.erase_case(case_id, "erasure_request", erased_by=MANAGER)
        assert plaintext.log_position() == position
    finally:
        plaintext.close()


#: Another process, or the store reopened: not the in-memory store.
@pytest.mark.parametrize("store", ["sqlite", "postgres"], indirect=True)
def test_a_case_written_before_encryption_still_reads_and_refuses_erasure(
    settings: Settings, store: dict[str, str]
) -> None:
    before = CaseJourneys(env=dict(store))
    try:
        case_id = _open(before, "OLD-1")
    finally:
        before.close()
    assert all(not is_sealed(e.state) for e in _stored_in(store, case_id))

    journeys = build_journeys(settings)
    try:
        assert journeys.case_summary(case_id).reference == "OLD-1"
        journeys.record_step(case_id, CONTACT, recorded_by=ADVOCATE)
        assert journeys.verify_chain(case_id).intact
        newest = _stored(journeys, case_id)[-1]
        assert is_sealed(newest.state)
        position = journeys.log_position()
        with pytest.raises(PlaintextEvents):
            journeys.erase_case(case_id, "erasure_request", erased_by=MANAGER)
        assert journeys.log_position() == position
    finally:
        journeys.close()


def _stored_in(store: dict[str, str], case_id: UUID) -> list[StoredEvent]:
    app = CaseJourneys(env=dict(store))
    try:
        return _stored(app, case_id)
    finally:
        app.close()


#: Another process, or the store reopened: not the in-memory store.
@pytest.mark.parametrize("store", ["sqlite", "postgres"], indirect=True)
def test_a_new_master_key_rewraps_the_data_keys_and_old_events_still_read(
    settings: Settings, store: dict[str, str]
) -> None:
    old_key = settings.master_key
    assert old_key is not None
    new_key = base64.b64encode(b"another test master key 32 bytes").decode()
    first = build_journeys(settings)
    try:
        case_id = _open(first, REFERENCE)
    finally:
        first.close()

    rotating = build_journeys(
        replace(settings, master_key=new_key, previous_master_keys=(old_key,))
    )
    try:
        keyring = _keyring(rotating)
        assert keyring.rotate_master() == 1
        assert keyring.keys_by_master() == {keyring.master_key_id: 1}
        # A new data key: later events use it, earlier ones keep theirs.
        renewed = keyring.renew(case_id)
        rotating.record_step(case_id, CONTACT, recorded_by=ADVOCATE)
    finally:
        rotating.close()

    after = build_journeys(replace(settings, master_key=new_key))
    try:
        assert after.case_summary(case_id).step_count == 2
        assert after.verify_chain(case_id).intact
        versions = [
            int.from_bytes(e.state[5:9], "big") for e in _stored(after, case_id)
        ]
        assert versions[-1] == renewed != versions[0]
    finally:
        after.close()


def test_views_drop_an_erased_case_and_keep_its_evaluation_figures_anonymous(
    journeys: CaseJourneys, views: Views
) -> None:
    erased = _open(journeys, REFERENCE)
    kept = _open(journeys, "KEEP-1")
    _catch_up(views)
    before = views.evaluation.snapshot(fresh=True)
    facts = _facts(views)
    assert str(erased) in before.number
    assert views.caseload.view.entry(erased) is not None

    journeys.erase_case(erased, "erasure_request", erased_by=MANAGER)
    _catch_up(views)

    for view in (views.caseload.view, views.evaluation.view):
        text = _view_text(view)
        assert not _mentions(text, erased)
        assert REFERENCE not in text
    assert views.caseload.view.entry(erased) is None
    assert views.caseload.view.entry(kept) is not None
    after = views.evaluation.snapshot(fresh=True)
    assert str(erased) not in after.number and str(kept) in after.number
    assert after.cases == before.cases
    assert int(after.consented.sum()) == int(before.consented.sum()) == 2
    assert len(after.rows.spell_case) == len(before.rows.spell_case) == 2
    assert _facts(views) == facts > 0


def test_the_views_keep_no_summary_source_or_free_text_detail_of_a_step(
    journeys: CaseJourneys, views: Views
) -> None:
    case_id = _open(journeys, REFERENCE)
    journeys.record_step(
        case_id,
        StepInput(
            "criminal_justice.crime_reported",
            "2025-03",
            "Reported to the police; sentinel-summary-5512",
            details={"crime_reference": "CR/SENTINEL/9"},
            sources=[{"document": "sentinel-document-77", "pin": "p. 3"}],
        ),
        recorded_by=ADVOCATE,
    )
    _catch_up(views)

    for view in (views.caseload.view, views.evaluation.view):
        text = _view_text(view)
        assert "sentinel-summary" not in text and "sentinel-document" not in text
        assert "CR/SENTINEL/9" not in text
    assert _mentions(_view_text(views.caseload.view), case_id)  # the case is there


def test_a_rebuild_after_an_erasure_reads_past_the_sealed_events(
    journeys: CaseJourneys, views: Views
) -> None:
    erased = _open(journeys, REFERENCE)
    kept = _open(journeys, "KEEP-1")
    journeys.erase_case(erased, "erasure_request", erased_by=MANAGER)

    for worker in views.workers:
        worker.rebuild()

    assert views.caseload.view.entry(erased) is None
    assert views.caseload.view.entry(kept) is not None
    snapshot = views.evaluation.snapshot(fresh=True)
    # Rebuilt from the log, the erased case can no longer be counted.
    assert int(snapshot.consented.sum()) == 1
    assert not _mentions(_view_text(views.evaluation.view), erased)
