"""The audit store: every look at a case, and every share, revocation and
erasure, recorded beside the events and never altered or removed.

A record says who (the token's subject), in which role and organisation, when,
for which purpose, which operation, and which ids it returned: the cases, and
within them the rows (steps, shares) shown. Never any content.

Where it lives, as the views do (``projections.tracking.stores``): on
PostgreSQL, tables ``audit_records`` and ``audit_cases`` beside the events; on
SQLite, a file of its own beside the events file (``waymark.audit.db``); for the
in-memory store, SQLite in memory. Unlike a view, it cannot be rebuilt from the
log: it is a record of its own. So the database itself refuses to change it: a
trigger refuses every UPDATE and DELETE (and, on PostgreSQL, TRUNCATE), and no
interface offers either.

One SQL text serves both dialects: ``?`` placeholders (rewritten for psycopg)
and table names filled in per dialect.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import InfrastructureFactory
from eventsourcing.utils import Environment

from projections.tracking.stores import store_kind, view_env

#: At most this many records (the latest) are answered by one trail query.
MAX_TRAIL = 1000


class Operation(StrEnum):
    """What was done: each read and each access change the audit records."""

    CASE = "case"
    CASES = "cases"
    CHRONOLOGY = "chronology"
    DEADLINES = "deadlines"
    EVIDENCE_PACK = "compensation_evidence"
    CASELOAD = "caseload"
    EVALUATION = "evaluation"
    COHORT_EXPORT = "cohort_export"
    #: A chronology exported as a document (Word, PDF, CSV), or a case in HTCDS.
    EXPORT = "export"
    #: An export's proof checked against the record (rows changed since).
    EXPORT_CHECK = "export_check"
    #: A case's bundles and services.
    BUNDLES = "bundles"
    SHARED_WITH_ME = "shared_with_me"
    AUDIT_TRAIL = "audit_trail"
    SHARE = "share"
    REVOKE_SHARE = "revoke_share"
    ERASURE = "erasure"


class AuditUnavailable(Exception):
    """The audit could not be written: the read it records is not answered."""


@dataclass(frozen=True)
class AuditRecord:
    at: datetime
    subject: str
    role: str
    organisation_id: str | None
    operation: Operation
    #: The purpose of the read (a chronology's, a share's), if it has one.
    purpose: str | None
    #: The cases the operation returned or concerned.
    case_ids: tuple[UUID, ...]
    #: The ids of what it returned within them (steps, shares), never content.
    item_ids: tuple[str, ...] = ()
    #: The store's sequence number; 0 until stored.
    sequence: int = 0


_TABLES = (
    """
    CREATE TABLE IF NOT EXISTS {records} (
        id {serial} PRIMARY KEY,
        at TEXT NOT NULL,
        subject TEXT NOT NULL,
        role TEXT NOT NULL,
        organisation_id TEXT,
        operation TEXT NOT NULL,
        purpose TEXT,
        item_ids TEXT NOT NULL
    )
    """,
    "CREATE INDEX IF NOT EXISTS {prefix}_records_subject ON {records} (subject, id)",
    """
    CREATE TABLE IF NOT EXISTS {cases} (
        case_id TEXT NOT NULL,
        record_id BIGINT NOT NULL,
        PRIMARY KEY (case_id, record_id)
    )
    """,
)
INSERT_RECORD = (
    "INSERT INTO {records} (at, subject, role, organisation_id, operation, "
    "purpose, item_ids) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id"
)
_INSERT_CASE = "INSERT INTO {cases} (case_id, record_id) VALUES (?, ?)"
_COLUMNS = "r.id, r.at, r.subject, r.role, r.organisation_id, r.operation, r.purpose"
_BY_CASE = (
    f"SELECT {_COLUMNS}, r.item_ids FROM {{records}} r JOIN {{cases}} c "
    "ON c.record_id = r.id WHERE c.case_id = ? ORDER BY r.id DESC LIMIT ?"
)
_BY_SUBJECT = (
    f"SELECT {_COLUMNS}, r.item_ids FROM {{records}} r WHERE r.subject = ? "
    "ORDER BY r.id DESC LIMIT ?"
)
_LAST_LOOK = (
    "SELECT MAX(r.at) FROM {records} r JOIN {cases} c ON c.record_id = r.id "
    "WHERE c.case_id = ? AND r.subject = ? AND r.operation = ?"
)
_CASES_OF = "SELECT record_id, case_id FROM {cases} WHERE record_id IN ({marks})"


def record_values(record: AuditRecord) -> tuple[Any, ...]:
    """The record's columns, in ``INSERT_RECORD``'s order."""
    return (
        _moment(record.at),
        record.subject,
        record.role,
        record.organisation_id,
        record.operation.value,
        record.purpose,
        orjson.dumps(list(record.item_ids)).decode(),
    )


def _moment(at: datetime) -> str:
    # Fixed width, in UTC: text order is time order on both dialects.
    return at.astimezone(UTC).isoformat(timespec="microseconds")


class AuditStore(ABC):
    """Appends and reads audit records; offers no way to change one."""

    def __init__(self, clock: Callable[[], datetime] | None = None) -> None:
        self.clock = clock or (lambda: datetime.now(UTC))

    # The dialect

    @abstractmethod
    def tables(self) -> Mapping[str, str]:
        """``records``, ``cases`` and ``prefix``, as this dialect names them."""

    @abstractmethod
    def transaction(self, *, commit: bool) -> AbstractContextManager[Any]:
        """A cursor in a transaction."""

    @abstractmethod
    def statement(self, text: str) -> Any:
        """The SQL text with tables named and placeholders as the driver wants."""

    @abstractmethod
    def close(self) -> None: ...

    # The audit

    def record(
        self,
        *,
        subject: str,
        role: str,
        organisation_id: str | None,
        operation: Operation,
        purpose: str | None,
        case_ids: Sequence[UUID],
        item_ids: Sequence[str] = (),
    ) -> AuditRecord:
        """Appends a record, or raises ``AuditUnavailable``."""
        record = AuditRecord(
            at=self.clock(),
            subject=subject,
            role=role,
            organisation_id=organisation_id,
            operation=operation,
            purpose=purpose,
            case_ids=tuple(dict.fromkeys(case_ids)),
            item_ids=tuple(item_ids),
        )
        try:
            sequence = self._append(record)
        except Exception as error:  # any failure to record refuses the read
            raise AuditUnavailable(
                f"the audit could not be written ({error!r})"
            ) from error
        return AuditRecord(**{**vars(record), "sequence": sequence})

    def _append(self, record: AuditRecord) -> int:
        with self.transaction(commit=True) as cursor:
            cursor.execute(self.statement(INSERT_RECORD), record_values(record))
            sequence = int(_first(cursor.fetchone()))
            for case_id in record.case_ids:
                cursor.execute(self.statement(_INSERT_CASE), (str(case_id), sequence))
        return sequence

    def for_case(self, case_id: UUID, limit: int = MAX_TRAIL) -> list[AuditRecord]:
        """The latest ``limit`` records that returned or concerned the case,
        oldest first."""
        return self._read(_BY_CASE, (str(case_id), limit))

    def for_subject(self, subject: str, limit: int = MAX_TRAIL) -> list[AuditRecord]:
        """The latest ``limit`` things one person did, oldest first."""
        return self._read(_BY_SUBJECT, (subject, limit))

    def last_look(
        self, subject: str, case_id: UUID, operation: Operation
    ) -> datetime | None:
        """When ``subject`` last did ``operation`` on the case, if ever."""
        with self.transaction(commit=False) as cursor:
            cursor.execute(
                self.statement(_LAST_LOOK), (str(case_id), subject, operation.value)
            )
            at = _first(cursor.fetchone())
        return datetime.fromisoformat(at) if at else None

    def _read(self, query: str, params: Sequence[Any]) -> list[AuditRecord]:
        with self.transaction(commit=False) as cursor:
            cursor.execute(self.statement(query), params)
            rows = [tuple(_values(row)) for row in cursor.fetchall()][::-1]
            cases: dict[int, list[UUID]] = {}
            if rows:
                marks = ", ".join("?" for _ in rows)
                cursor.execute(
                    self.statement(_CASES_OF.replace("{marks}", marks)),
                    [row[0] for row in rows],
                )
                for record_id, case_id in (
                    tuple(_values(row)) for row in cursor.fetchall()
                ):
                    cases.setdefault(int(record_id), []).append(UUID(case_id))
        return [
            AuditRecord(
                at=datetime.fromisoformat(at),
                subject=subject,
                role=role,
                organisation_id=organisation_id,
                operation=Operation(operation),
                purpose=purpose,
                case_ids=tuple(sorted(cases.get(int(sequence), []), key=str)),
                item_ids=tuple(orjson.loads(item_ids)),
                sequence=int(sequence),
            )
            for (
                sequence,
                at,
                subject,
                role,
                organisation_id,
                operation,
                purpose,
                item_ids,
            ) in rows
        ]

    def create_statements(self) -> list[str]:
        return [self._named(text) for text in _TABLES]

    def _named(self, text: str) -> str:
        names = self.tables()
        for name, value in names.items():
            text = text.replace("{" + name + "}", value)
        return text


def _values(row: Any) -> Iterator[Any]:
    """A row's values, whether the driver gives tuples, rows or dicts."""
    if isinstance(row, Mapping):
        return iter(row.values())
    return iter(row)


def _first(row: Any) -> Any:
    return next(_values(row))


def audit_store(
    persistence: Mapping[str, str], clock: Callable[[], datetime] | None = None
) -> AuditStore:
    """The audit store beside the event store these settings name; its tables
    and guards are created if missing."""
    env = view_env(persistence, "audit")
    if store_kind(env) == "postgres":
        # Each append is one short transaction: one connection held open, more
        # opened only under concurrent reads (PostgreSQL's pool opens its
        # minimum eagerly, and connections are the server's scarcest resource).
        env = {**env, "POSTGRES_POOL_SIZE": "1", "POSTGRES_MAX_OVERFLOW": "9"}
    factory: Any = InfrastructureFactory.construct(Environment("audit", env))
    if store_kind(env) == "postgres":
        from projections.audit.postgres import PostgresAuditStore

        return PostgresAuditStore(factory.datastore, clock)
    from projections.audit.sqlite import SQLiteAuditStore

    return SQLiteAuditStore(factory.datastore, clock)
