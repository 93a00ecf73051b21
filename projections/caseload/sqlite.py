"""The caseload view in SQLite: rows and tracking in one transaction.

Dates and times are kept as ISO 8601 text (times in UTC, to the microsecond), so
they sort as they compare.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Tracking
from eventsourcing.sqlite import SQLiteCursor, SQLiteDatastore

from domain.clocks import DEFAULT_RULES, RuleBook
from projections.caseload.clocks import StoredStep, summarise_all
from projections.caseload.view import (
    AdvocateChanged,
    AreaForgotten,
    AreaNoted,
    BornNoted,
    CaseAdded,
    CaseDeadline,
    CaseForgotten,
    CaseloadEntry,
    CaseloadView,
    Change,
    ClocksSummarised,
    ContactForgotten,
    ContactNoted,
    MarkedClosed,
    MarkedReopened,
    OpenClock,
    OrganisationChanged,
    StepForgotten,
    StepNoted,
    clocked,
    touched,
)
from projections.tracking.compare_and_set import SQLiteCompareAndSetTracking
from projections.tracking.rounds import in_rounds
from projections.tracking.scrub import truncate_log, zero_what_is_deleted

CREATE_TABLES = [
    """
    CREATE TABLE IF NOT EXISTS caseload_cases (
        case_id TEXT PRIMARY KEY,
        reference TEXT NOT NULL,
        organisation_id TEXT NOT NULL,
        advocate_id TEXT,
        advocate_since TEXT,
        jurisdiction TEXT NOT NULL,
        local_authority TEXT,
        opening_jurisdiction TEXT NOT NULL,
        opening_local_authority TEXT,
        opened_at TEXT NOT NULL,
        active_since TEXT NOT NULL,
        closed INTEGER NOT NULL DEFAULT 0,
        closed_at TEXT,
        last_contact_on TEXT,
        last_contact_recorded_at TEXT,
        quiet_since TEXT NOT NULL,
        transferred_from TEXT,
        transferred_at TEXT,
        next_deadline_on TEXT,
        next_deadline_clock TEXT,
        open_warnings INTEGER
    )
    """,
    "CREATE INDEX IF NOT EXISTS caseload_by_organisation "
    "ON caseload_cases (organisation_id, closed, quiet_since, reference)",
    "CREATE INDEX IF NOT EXISTS caseload_by_advocate "
    "ON caseload_cases (advocate_id, closed, quiet_since, reference)",
    "CREATE INDEX IF NOT EXISTS caseload_in_order_opened "
    "ON caseload_cases (opened_at, case_id)",
    "CREATE INDEX IF NOT EXISTS caseload_by_organisation_in_order_opened "
    "ON caseload_cases (organisation_id, opened_at, case_id)",
    """
    CREATE TABLE IF NOT EXISTS caseload_contacts (
        step_id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL,
        contact_on TEXT,
        recorded_at TEXT NOT NULL
    )
    """,
    "CREATE INDEX IF NOT EXISTS caseload_contacts_by_case "
    "ON caseload_contacts (case_id, contact_on)",
    """
    CREATE TABLE IF NOT EXISTS caseload_moves (
        step_id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL,
        moved_on TEXT NOT NULL,
        stated_order INTEGER NOT NULL,
        version INTEGER NOT NULL,
        local_authority TEXT,
        jurisdiction TEXT
    )
    """,
    "CREATE INDEX IF NOT EXISTS caseload_moves_by_case "
    "ON caseload_moves (case_id, moved_on, stated_order, version)",
    """
    CREATE TABLE IF NOT EXISTS caseload_steps (
        step_id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        sequence INTEGER NOT NULL,
        retracted INTEGER NOT NULL DEFAULT 0,
        fact TEXT
    )
    """,
    "CREATE INDEX IF NOT EXISTS caseload_steps_by_case "
    "ON caseload_steps (case_id, sequence)",
    """
    CREATE TABLE IF NOT EXISTS caseload_births (
        case_id TEXT PRIMARY KEY,
        born TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS caseload_clocks (
        case_id TEXT NOT NULL,
        started_by TEXT NOT NULL,
        clock TEXT NOT NULL,
        started_on TEXT NOT NULL,
        due_on TEXT NOT NULL,
        rule_id TEXT NOT NULL,
        citation TEXT NOT NULL,
        deadline INTEGER NOT NULL,
        extended INTEGER NOT NULL,
        PRIMARY KEY (case_id, started_by, clock)
    )
    """,
    "CREATE INDEX IF NOT EXISTS caseload_clocks_by_due "
    "ON caseload_clocks (due_on, case_id)",
]

TABLES = (
    "caseload_cases",
    "caseload_contacts",
    "caseload_moves",
    "caseload_steps",
    "caseload_births",
    "caseload_clocks",
)
#: The cases named by a JSON list of ids.
_CASES = "case_id IN (SELECT value FROM json_each(?))"
CLOCK_COLUMNS = (
    "case_id, started_by, clock, started_on, due_on, rule_id, citation, "
    "deadline, extended"
)
INSERT_CLOCK = (
    f"INSERT INTO caseload_clocks ({CLOCK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)

_LATEST_AREA = (
    "FROM caseload_moves a WHERE a.case_id = caseload_cases.case_id{} "
    "ORDER BY a.moved_on DESC, a.stated_order DESC, a.version DESC LIMIT 1"
)
_LAST_CONTACT = (
    "(SELECT MAX(k.contact_on) FROM caseload_contacts k "
    "WHERE k.case_id = caseload_cases.case_id)"
)
#: A case's last contact and area, from its facts.
RECOMPUTE = (
    "UPDATE caseload_cases SET "
    "local_authority = COALESCE((SELECT a.local_authority "
    f"{_LATEST_AREA.format('')}), opening_local_authority), "
    "jurisdiction = COALESCE((SELECT a.jurisdiction "
    f"{_LATEST_AREA.format(' AND a.jurisdiction IS NOT NULL')}), "
    "opening_jurisdiction), "
    f"last_contact_on = {_LAST_CONTACT}, "
    "last_contact_recorded_at = (SELECT k.recorded_at FROM caseload_contacts k "
    "WHERE k.case_id = caseload_cases.case_id AND k.contact_on IS NOT NULL "
    "ORDER BY k.contact_on DESC, k.recorded_at DESC LIMIT 1), "
    f"quiet_since = MAX(active_since, COALESCE({_LAST_CONTACT}, active_since)) "
    "WHERE case_id = ?"
)

Params = Mapping[str, Any]
Statement = tuple[str, Callable[[Any], Params]]


def _text(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _day(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


STATEMENTS: dict[type[Any], list[Statement]] = {
    CaseAdded: [
        (
            "INSERT INTO caseload_cases (case_id, reference, organisation_id, "
            "jurisdiction, local_authority, opening_jurisdiction, "
            "opening_local_authority, opened_at, active_since, quiet_since) "
            "VALUES (:case_id, :reference, :organisation_id, :jurisdiction, "
            ":local_authority, :jurisdiction, :local_authority, :opened_at, "
            ":opened_on, :opened_on)",
            lambda c: {
                "case_id": str(c.case_id),
                "reference": c.reference,
                "organisation_id": c.organisation_id,
                "jurisdiction": c.jurisdiction,
                "local_authority": c.local_authority,
                "opened_at": _text(c.opened_at),
                "opened_on": _day(c.opened_on),
            },
        ),
    ],
    AdvocateChanged: [
        (
            "UPDATE caseload_cases SET advocate_id = :advocate_id, "
            "advocate_since = :at WHERE case_id = :case_id",
            lambda c: {
                "case_id": str(c.case_id),
                "advocate_id": c.advocate_id,
                "at": _text(c.at),
            },
        )
    ],
    OrganisationChanged: [
        (
            "UPDATE caseload_cases SET organisation_id = :organisation_id, "
            "transferred_from = :from_organisation_id, transferred_at = :at "
            "WHERE case_id = :case_id",
            lambda c: {
                "case_id": str(c.case_id),
                "organisation_id": c.organisation_id,
                "from_organisation_id": c.from_organisation_id,
                "at": _text(c.at),
            },
        )
    ],
    MarkedClosed: [
        (
            "UPDATE caseload_cases SET closed = 1, closed_at = :at "
            "WHERE case_id = :case_id",
            lambda c: {"case_id": str(c.case_id), "at": _text(c.at)},
        )
    ],
    MarkedReopened: [
        (
            "UPDATE caseload_cases SET closed = 0, closed_at = NULL, "
            "active_since = :on WHERE case_id = :case_id",
            lambda c: {"case_id": str(c.case_id), "on": _day(c.on)},
        )
    ],
    ContactNoted: [
        (
            "INSERT INTO caseload_contacts VALUES (:step_id, :case_id, :on, "
            ":recorded_at) ON CONFLICT (step_id) DO UPDATE "
            "SET contact_on = excluded.contact_on",
            lambda c: {
                "step_id": str(c.step_id),
                "case_id": str(c.case_id),
                "on": _day(c.on),
                "recorded_at": _text(c.recorded_at),
            },
        )
    ],
    ContactForgotten: [
        (
            "DELETE FROM caseload_contacts WHERE step_id = :step_id",
            lambda c: {"step_id": str(c.step_id)},
        )
    ],
    AreaNoted: [
        (
            "INSERT INTO caseload_moves VALUES (:step_id, :case_id, :on, :order, "
            ":version, :local_authority, :jurisdiction) "
            "ON CONFLICT (step_id) DO UPDATE SET moved_on = excluded.moved_on, "
            "stated_order = excluded.stated_order, "
            "local_authority = excluded.local_authority, "
            "jurisdiction = excluded.jurisdiction",
            lambda c: {
                "step_id": str(c.step_id),
                "case_id": str(c.case_id),
                "on": _day(c.on),
                "order": c.order,
                "version": c.version,
                "local_authority": c.local_authority,
                "jurisdiction": c.jurisdiction,
            },
        )
    ],
    AreaForgotten: [
        (
            "DELETE FROM caseload_moves WHERE step_id = :step_id",
            lambda c: {"step_id": str(c.step_id)},
        )
    ],
    StepNoted: [
        (
            "INSERT INTO caseload_steps (step_id, case_id, kind, sequence, fact) "
            "VALUES (:step_id, :case_id, :kind, :sequence, :fact) "
            "ON CONFLICT (step_id) DO UPDATE SET kind = excluded.kind, "
            "fact = excluded.fact",
            lambda c: {
                "step_id": str(c.step_id),
                "case_id": str(c.case_id),
                "kind": c.kind,
                "sequence": c.sequence,
                "fact": c.fact,
            },
        )
    ],
    StepForgotten: [
        (
            "UPDATE caseload_steps SET retracted = 1 WHERE step_id = :step_id",
            lambda c: {"step_id": str(c.step_id)},
        )
    ],
    BornNoted: [
        (
            "INSERT INTO caseload_births VALUES (:case_id, :born) "
            "ON CONFLICT (case_id) DO UPDATE SET born = excluded.born",
            lambda c: {"case_id": str(c.case_id), "born": c.born},
        )
    ],
    ClocksSummarised: [
        (
            "UPDATE caseload_cases SET next_deadline_on = :next_deadline_on, "
            "next_deadline_clock = :next_deadline_clock, "
            "open_warnings = :open_warnings WHERE case_id = :case_id",
            lambda c: {
                "case_id": str(c.case_id),
                "next_deadline_on": _day(c.next_deadline_on),
                "next_deadline_clock": c.next_deadline_clock,
                "open_warnings": c.open_warnings,
            },
        )
    ],
    CaseForgotten: [
        (
            f"DELETE FROM {table} WHERE case_id = :case_id",
            lambda c: {"case_id": str(c.case_id)},
        )
        for table in TABLES
    ],
}


class SQLiteCaseloadView(SQLiteCompareAndSetTracking, CaseloadView):
    def __init__(
        self,
        datastore: SQLiteDatastore,
        *,
        rules: RuleBook = DEFAULT_RULES,
        **kwargs: Any,
    ) -> None:
        super().__init__(datastore, **kwargs)
        self.rules = rules

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), *CREATE_TABLES]

    def apply(
        self, changes: Sequence[Change], tracking: Tracking, *, after: int | None = None
    ) -> None:
        with self.datastore.transaction(commit=True) as cursor:
            zero_what_is_deleted(cursor)
            self._insert_tracking_after(cursor, tracking, after)
            self._write(cursor, changes)
        if any(isinstance(change, CaseForgotten) for change in changes):
            truncate_log(self.datastore)

    def _write(self, cursor: SQLiteCursor, changes: Sequence[Change]) -> None:
        for change_type, batch in in_rounds(changes):
            for statement, params in STATEMENTS[change_type]:
                cursor.executemany(statement, [params(change) for change in batch])
        cases = touched(changes)
        if cases:
            cursor.executemany(RECOMPUTE, [(str(case_id),) for case_id in cases])
        judged = clocked(changes)
        if judged:
            self._judge(cursor, judged)

    def _judge(self, cursor: SQLiteCursor, cases: Sequence[UUID]) -> None:
        """The cases' clocks and warnings, judged again from their facts."""
        ids = json.dumps([str(case_id) for case_id in cases])
        cursor.execute(
            f"SELECT case_id, opening_jurisdiction FROM caseload_cases WHERE {_CASES}",
            (ids,),
        )
        opened = {
            UUID(row["case_id"]): row["opening_jurisdiction"]
            for row in cursor.fetchall()
        }
        cursor.execute(
            f"SELECT case_id, born FROM caseload_births WHERE {_CASES}", (ids,)
        )
        born = {UUID(row["case_id"]): row["born"] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT case_id, step_id, kind, sequence, retracted, fact "
            f"FROM caseload_steps WHERE {_CASES} ORDER BY sequence",
            (ids,),
        )
        steps: dict[UUID, list[StoredStep]] = {}
        for row in cursor.fetchall():
            steps.setdefault(UUID(row["case_id"]), []).append(
                StoredStep(
                    UUID(row["step_id"]),
                    row["kind"],
                    row["sequence"],
                    bool(row["retracted"]),
                    row["fact"],
                )
            )
        clocks, summaries = summarise_all(cases, opened, born, steps, self.rules)
        cursor.execute(f"DELETE FROM caseload_clocks WHERE {_CASES}", (ids,))
        cursor.executemany(INSERT_CLOCK, [_clock_row(clock) for clock in clocks])
        ((statement, params),) = STATEMENTS[ClocksSummarised]
        cursor.executemany(statement, [params(summary) for summary in summaries])

    def forget(self, application_name: str) -> None:
        with self.datastore.transaction(commit=True) as cursor:
            for table in TABLES:
                cursor.execute(f"DELETE FROM {table}")
            cursor.execute(
                "DELETE FROM tracking WHERE application_name = ?", (application_name,)
            )

    def close(self) -> None:
        self.datastore.close()

    # Queries

    def caseload(
        self,
        *,
        organisation_id: str | None = None,
        advocate_id: str | None = None,
        include_closed: bool = False,
        quiet_since_on_or_before: date | None = None,
    ) -> list[CaseloadEntry]:
        where, params = ["1 = 1"], {}
        if organisation_id is not None:
            where.append("organisation_id = :organisation_id")
            params["organisation_id"] = organisation_id
        if advocate_id is not None:
            where.append("advocate_id = :advocate_id")
            params["advocate_id"] = advocate_id
        if not include_closed:
            where.append("closed = 0")
        if quiet_since_on_or_before is not None:
            where.append("quiet_since <= :cutoff")
            params["cutoff"] = quiet_since_on_or_before.isoformat()
        statement = (
            f"SELECT * FROM caseload_cases WHERE {' AND '.join(where)} "
            "ORDER BY quiet_since, reference, case_id"
        )
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(statement, params)
            return [_entry(row) for row in cursor.fetchall()]

    def entry(self, case_id: UUID) -> CaseloadEntry | None:
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(
                "SELECT * FROM caseload_cases WHERE case_id = ?", (str(case_id),)
            )
            row = cursor.fetchone()
        return None if row is None else _entry(row)

    def in_order_opened(
        self,
        *,
        limit: int,
        after: tuple[datetime, UUID] | None = None,
        organisation_id: str | None = None,
        closed: bool | None = None,
    ) -> list[CaseloadEntry]:
        where: list[str] = ["1 = 1"]
        params: dict[str, Any] = {"limit": limit}
        if organisation_id is not None:
            where.append("organisation_id = :organisation_id")
            params["organisation_id"] = organisation_id
        if closed is not None:
            where.append("closed = :closed")
            params["closed"] = int(closed)
        if after is not None:
            where.append("(opened_at, case_id) > (:opened_at, :case_id)")
            params["opened_at"] = _text(after[0])
            params["case_id"] = str(after[1])
        statement = (
            f"SELECT * FROM caseload_cases WHERE {' AND '.join(where)} "
            "ORDER BY opened_at, case_id LIMIT :limit"
        )
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(statement, params)
            return [_entry(row) for row in cursor.fetchall()]

    def deadlines(
        self,
        *,
        due_on_or_after: date | None = None,
        due_on_or_before: date | None = None,
        deadlines_only: bool = False,
        organisation_id: str | None = None,
        advocate_id: str | None = None,
    ) -> list[CaseDeadline]:
        where, params = ["c.closed = 0"], {}
        if organisation_id is not None:
            where.append("c.organisation_id = :organisation_id")
            params["organisation_id"] = organisation_id
        if advocate_id is not None:
            where.append("c.advocate_id = :advocate_id")
            params["advocate_id"] = advocate_id
        if due_on_or_after is not None:
            where.append("k.due_on >= :due_from")
            params["due_from"] = due_on_or_after.isoformat()
        if due_on_or_before is not None:
            where.append("k.due_on <= :due_to")
            params["due_to"] = due_on_or_before.isoformat()
        if deadlines_only:
            where.append("k.deadline = 1")
        clock_columns = ", ".join(
            f"k.{name} AS k_{name}" for name in CLOCK_COLUMNS.split(", ")
        )
        statement = (
            f"SELECT c.*, {clock_columns} FROM caseload_clocks k "
            "JOIN caseload_cases c ON c.case_id = k.case_id "
            f"WHERE {' AND '.join(where)} "
            "ORDER BY k.due_on, c.reference, c.case_id, k.clock, k.started_by"
        )
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(statement, params)
            return [
                CaseDeadline(_entry(row), _open_clock(row, "k_"))
                for row in cursor.fetchall()
            ]

    def open_clocks(self, case_id: UUID) -> list[OpenClock]:
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(
                f"SELECT {CLOCK_COLUMNS} FROM caseload_clocks WHERE case_id = ? "
                "ORDER BY due_on, clock, started_by",
                (str(case_id),),
            )
            return [_open_clock(row) for row in cursor.fetchall()]


def _clock_row(clock: OpenClock) -> tuple[Any, ...]:
    return (
        str(clock.case_id),
        str(clock.started_by),
        clock.clock,
        clock.started_on.isoformat(),
        clock.due_on.isoformat(),
        clock.rule_id,
        clock.citation,
        int(clock.deadline),
        int(clock.extended),
    )


def _open_clock(row: Mapping[str, Any], prefix: str = "") -> OpenClock:
    return OpenClock(
        case_id=UUID(row[f"{prefix}case_id"]),
        started_by=UUID(row[f"{prefix}started_by"]),
        clock=row[f"{prefix}clock"],
        started_on=date.fromisoformat(row[f"{prefix}started_on"]),
        due_on=date.fromisoformat(row[f"{prefix}due_on"]),
        rule_id=row[f"{prefix}rule_id"],
        citation=row[f"{prefix}citation"],
        deadline=bool(row[f"{prefix}deadline"]),
        extended=bool(row[f"{prefix}extended"]),
    )


def _moment(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _date(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _entry(row: Mapping[str, Any]) -> CaseloadEntry:
    return CaseloadEntry(
        case_id=UUID(row["case_id"]),
        reference=row["reference"],
        organisation_id=row["organisation_id"],
        advocate_id=row["advocate_id"],
        advocate_since=_moment(row["advocate_since"]),
        jurisdiction=row["jurisdiction"],
        local_authority=row["local_authority"],
        opened_at=datetime.fromisoformat(row["opened_at"]),
        closed=bool(row["closed"]),
        closed_at=_moment(row["closed_at"]),
        last_contact_on=_date(row["last_contact_on"]),
        last_contact_recorded_at=_moment(row["last_contact_recorded_at"]),
        quiet_since=date.fromisoformat(row["quiet_since"]),
        transferred_from=row["transferred_from"],
        transferred_at=_moment(row["transferred_at"]),
        next_deadline_on=_date(row["next_deadline_on"]),
        next_deadline_clock=row["next_deadline_clock"],
        open_warnings=row["open_warnings"],
    )
