"""The audit store on every store: records append, read back by case and by
person, and the database itself refuses to alter or remove one."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import psycopg
import pytest
from eventsourcing.persistence import PersistenceError

from projections.audit import AuditStore, AuditUnavailable, Operation, audit_store
from projections.audit.postgres import PostgresAuditStore

START = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


@pytest.fixture
def audit(store: dict[str, str]) -> Iterator[AuditStore]:
    ticks = iter(START + timedelta(minutes=n) for n in range(1000))
    trail = audit_store(store, clock=lambda: next(ticks))
    try:
        yield trail
    finally:
        trail.close()


def look(audit: AuditStore, subject: str, operation: Operation, *cases: object) -> None:
    audit.record(
        subject=subject,
        role="counsel",
        organisation_id=None,
        operation=operation,
        purpose="cica",
        case_ids=list(cases),  # type: ignore[arg-type]
        item_ids=["step-1"],
    )


def test_records_are_read_back_by_case_and_by_person_in_order(
    audit: AuditStore,
) -> None:
    first, second = uuid4(), uuid4()
    look(audit, "counsel-1", Operation.CHRONOLOGY, first)
    look(audit, "advocate-1", Operation.CASELOAD, first, second)
    look(audit, "counsel-1", Operation.CHRONOLOGY, second)

    by_case = audit.for_case(first)
    by_person = audit.for_subject("counsel-1")

    assert [(r.subject, r.operation) for r in by_case] == [
        ("counsel-1", Operation.CHRONOLOGY),
        ("advocate-1", Operation.CASELOAD),
    ]
    assert set(by_case[1].case_ids) == {first, second}
    assert [r.case_ids for r in by_person] == [(first,), (second,)]
    assert by_person[0].item_ids == ("step-1",)
    assert by_person[0].at == START
    assert audit.last_look("counsel-1", second, Operation.CHRONOLOGY) == START + (
        timedelta(minutes=2)
    )
    assert audit.last_look("counsel-1", first, Operation.CASELOAD) is None
    assert [r.case_ids for r in audit.for_subject("counsel-1", limit=1)] == [(second,)]


def test_the_database_refuses_to_alter_or_remove_an_audit_record(
    audit: AuditStore,
) -> None:
    case_id = uuid4()
    look(audit, "counsel-1", Operation.CHRONOLOGY, case_id)
    attempts = (
        "UPDATE {records} SET subject = 'someone-else'",
        "DELETE FROM {records}",
        "UPDATE {cases} SET case_id = 'x'",
        "DELETE FROM {cases}",
    )
    # eventsourcing's datastores raise their own errors for the driver's.
    refused = (PersistenceError, sqlite3.DatabaseError, psycopg.Error)
    for attempt in attempts:
        with (
            pytest.raises(refused, match="append-only"),
            audit.transaction(commit=True) as cursor,
        ):
            cursor.execute(audit.statement(attempt))
    if isinstance(audit, PostgresAuditStore):
        with (
            pytest.raises(refused, match="append-only"),
            audit.transaction(commit=True) as cursor,
        ):
            cursor.execute(audit.statement("TRUNCATE {records}"))

    (kept,) = audit.for_case(case_id)
    assert kept.subject == "counsel-1"


def test_a_record_that_cannot_be_written_is_an_audit_failure(
    audit: AuditStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> int:
        raise OSError("disk full")

    monkeypatch.setattr(audit, "_append", broken)

    with pytest.raises(AuditUnavailable, match="OSError"):
        look(audit, "counsel-1", Operation.CHRONOLOGY, uuid4())
