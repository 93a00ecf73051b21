"""The caseload view in PostgreSQL: rows and tracking in one transaction.

Its tables sit beside the events, in the same schema: ``caseload_cases``,
``caseload_contacts``, ``caseload_moves``, ``caseload_steps``,
``caseload_births``, ``caseload_clocks`` and ``caseload_tracking``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import fields
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresDatastore
from psycopg import Cursor
from psycopg.rows import DictRow, args_row, tuple_row
from psycopg.sql import SQL, Composed, Identifier

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
from projections.tracking.compare_and_set import PostgresCompareAndSetTracking
from projections.tracking.rounds import in_rounds

TRACKING_TABLE = "caseload_tracking"
#: The columns a query reads: a ``CaseloadEntry``'s fields, in order.
ENTRY_COLUMNS = ", ".join(field.name for field in fields(CaseloadEntry))

CREATE_TABLES = [
    """
    CREATE TABLE IF NOT EXISTS {schema}.caseload_cases (
        case_id uuid PRIMARY KEY,
        reference text NOT NULL,
        organisation_id text NOT NULL,
        advocate_id text,
        advocate_since timestamptz,
        jurisdiction text NOT NULL,
        local_authority text,
        opening_jurisdiction text NOT NULL,
        opening_local_authority text,
        opened_at timestamptz NOT NULL,
        active_since date NOT NULL,
        closed boolean NOT NULL DEFAULT false,
        closed_at timestamptz,
        last_contact_on date,
        last_contact_recorded_at timestamptz,
        quiet_since date NOT NULL,
        transferred_from text,
        transferred_at timestamptz,
        next_deadline_on date,
        next_deadline_clock text,
        open_warnings integer
    )
    """,
    "CREATE INDEX IF NOT EXISTS caseload_by_organisation "
    "ON {schema}.caseload_cases (organisation_id, closed, quiet_since, reference)",
    "CREATE INDEX IF NOT EXISTS caseload_by_advocate "
    "ON {schema}.caseload_cases (advocate_id, closed, quiet_since, reference)",
    "CREATE INDEX IF NOT EXISTS caseload_in_order_opened "
    "ON {schema}.caseload_cases (opened_at, case_id)",
    "CREATE INDEX IF NOT EXISTS caseload_by_organisation_in_order_opened "
    "ON {schema}.caseload_cases (organisation_id, opened_at, case_id)",
    """
    CREATE TABLE IF NOT EXISTS {schema}.caseload_contacts (
        step_id uuid PRIMARY KEY,
        case_id uuid NOT NULL,
        contact_on date,
        recorded_at timestamptz NOT NULL
    )
    """,
    "CREATE INDEX IF NOT EXISTS caseload_contacts_by_case "
    "ON {schema}.caseload_contacts (case_id, contact_on)",
    """
    CREATE TABLE IF NOT EXISTS {schema}.caseload_moves (
        step_id uuid PRIMARY KEY,
        case_id uuid NOT NULL,
        moved_on date NOT NULL,
        stated_order integer NOT NULL,
        version integer NOT NULL,
        local_authority text,
        jurisdiction text
    )
    """,
    "CREATE INDEX IF NOT EXISTS caseload_moves_by_case "
    "ON {schema}.caseload_moves (case_id, moved_on, stated_order, version)",
    """
    CREATE TABLE IF NOT EXISTS {schema}.caseload_steps (
        step_id uuid PRIMARY KEY,
        case_id uuid NOT NULL,
        kind text NOT NULL,
        sequence integer NOT NULL,
        retracted boolean NOT NULL DEFAULT false,
        fact text
    )
    """,
    "CREATE INDEX IF NOT EXISTS caseload_steps_by_case "
    "ON {schema}.caseload_steps (case_id, sequence)",
    """
    CREATE TABLE IF NOT EXISTS {schema}.caseload_births (
        case_id uuid PRIMARY KEY,
        born text NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS {schema}.caseload_clocks (
        case_id uuid NOT NULL,
        started_by uuid NOT NULL,
        clock text NOT NULL,
        started_on date NOT NULL,
        due_on date NOT NULL,
        rule_id text NOT NULL,
        citation text NOT NULL,
        deadline boolean NOT NULL,
        extended boolean NOT NULL,
        PRIMARY KEY (case_id, started_by, clock)
    )
    """,
    "CREATE INDEX IF NOT EXISTS caseload_clocks_by_due "
    "ON {schema}.caseload_clocks (due_on, case_id)",
]

TABLES = (
    "caseload_cases",
    "caseload_contacts",
    "caseload_moves",
    "caseload_steps",
    "caseload_births",
    "caseload_clocks",
)
#: The columns of an ``OpenClock``, in order.
CLOCK_COLUMNS = [field.name for field in fields(OpenClock)]
INSERT_CLOCK = (
    f"INSERT INTO {{schema}}.caseload_clocks ({', '.join(CLOCK_COLUMNS)}) "
    f"VALUES ({', '.join(['%s'] * len(CLOCK_COLUMNS))})"
)
SELECT_FACTS = [
    "SELECT case_id, opening_jurisdiction FROM {schema}.caseload_cases "
    "WHERE case_id = ANY(%s)",
    "SELECT case_id, born FROM {schema}.caseload_births WHERE case_id = ANY(%s)",
    "SELECT case_id, step_id, kind, sequence, retracted, fact "
    "FROM {schema}.caseload_steps WHERE case_id = ANY(%s) ORDER BY sequence",
]

_LATEST_AREA = (
    "FROM {schema}.caseload_moves a WHERE a.case_id = c.case_id{extra} "
    "ORDER BY a.moved_on DESC, a.stated_order DESC, a.version DESC LIMIT 1"
)
_LAST_CONTACT = (
    "(SELECT max(k.contact_on) FROM {schema}.caseload_contacts k "
    "WHERE k.case_id = c.case_id)"
)
#: The touched cases' last contact and area, from their facts.
RECOMPUTE = (
    "UPDATE {schema}.caseload_cases AS c SET "
    "local_authority = COALESCE((SELECT a.local_authority "
    f"{_LATEST_AREA.replace('{extra}', '')}), c.opening_local_authority), "
    "jurisdiction = COALESCE((SELECT a.jurisdiction "
    f"{_LATEST_AREA.replace('{extra}', ' AND a.jurisdiction IS NOT NULL')}), "
    "c.opening_jurisdiction), "
    f"last_contact_on = {_LAST_CONTACT}, "
    "last_contact_recorded_at = (SELECT k.recorded_at "
    "FROM {schema}.caseload_contacts k "
    "WHERE k.case_id = c.case_id AND k.contact_on IS NOT NULL "
    "ORDER BY k.contact_on DESC, k.recorded_at DESC LIMIT 1), "
    f"quiet_since = GREATEST(c.active_since, {_LAST_CONTACT}) "
    "WHERE c.case_id = ANY(%s)"
)

Params = Mapping[str, Any]
Statement = tuple[str, Callable[[Any], Params]]

STATEMENTS: dict[type[Any], list[Statement]] = {
    CaseAdded: [
        (
            "INSERT INTO {schema}.caseload_cases (case_id, reference, "
            "organisation_id, jurisdiction, local_authority, "
            "opening_jurisdiction, opening_local_authority, opened_at, "
            "active_since, quiet_since) VALUES (%(case_id)s, %(reference)s, "
            "%(organisation_id)s, %(jurisdiction)s, %(local_authority)s, "
            "%(jurisdiction)s, %(local_authority)s, %(opened_at)s, "
            "%(opened_on)s, %(opened_on)s)",
            lambda c: {
                "case_id": c.case_id,
                "reference": c.reference,
                "organisation_id": c.organisation_id,
                "jurisdiction": c.jurisdiction,
                "local_authority": c.local_authority,
                "opened_at": c.opened_at,
                "opened_on": c.opened_on,
            },
        ),
    ],
    AdvocateChanged: [
        (
            "UPDATE {schema}.caseload_cases SET advocate_id = %(advocate_id)s, "
            "advocate_since = %(at)s WHERE case_id = %(case_id)s",
            lambda c: {
                "case_id": c.case_id,
                "advocate_id": c.advocate_id,
                "at": c.at,
            },
        )
    ],
    OrganisationChanged: [
        (
            "UPDATE {schema}.caseload_cases SET organisation_id = "
            "%(organisation_id)s, transferred_from = %(from_organisation_id)s, "
            "transferred_at = %(at)s WHERE case_id = %(case_id)s",
            lambda c: {
                "case_id": c.case_id,
                "organisation_id": c.organisation_id,
                "from_organisation_id": c.from_organisation_id,
                "at": c.at,
            },
        )
    ],
    MarkedClosed: [
        (
            "UPDATE {schema}.caseload_cases SET closed = true, closed_at = %(at)s "
            "WHERE case_id = %(case_id)s",
            lambda c: {"case_id": c.case_id, "at": c.at},
        )
    ],
    MarkedReopened: [
        (
            "UPDATE {schema}.caseload_cases SET closed = false, closed_at = NULL, "
            "active_since = %(on)s WHERE case_id = %(case_id)s",
            lambda c: {"case_id": c.case_id, "on": c.on},
        )
    ],
    ContactNoted: [
        (
            "INSERT INTO {schema}.caseload_contacts VALUES (%(step_id)s, "
            "%(case_id)s, %(on)s, %(recorded_at)s) ON CONFLICT (step_id) "
            "DO UPDATE SET contact_on = excluded.contact_on",
            lambda c: {
                "step_id": c.step_id,
                "case_id": c.case_id,
                "on": c.on,
                "recorded_at": c.recorded_at,
            },
        )
    ],
    ContactForgotten: [
        (
            "DELETE FROM {schema}.caseload_contacts WHERE step_id = %(step_id)s",
            lambda c: {"step_id": c.step_id},
        )
    ],
    AreaNoted: [
        (
            "INSERT INTO {schema}.caseload_moves VALUES (%(step_id)s, %(case_id)s, "
            "%(on)s, %(order)s, %(version)s, %(local_authority)s, "
            "%(jurisdiction)s) ON CONFLICT (step_id) DO UPDATE SET "
            "moved_on = excluded.moved_on, stated_order = excluded.stated_order, "
            "local_authority = excluded.local_authority, "
            "jurisdiction = excluded.jurisdiction",
            lambda c: {
                "step_id": c.step_id,
                "case_id": c.case_id,
                "on": c.on,
                "order": c.order,
                "version": c.version,
                "local_authority": c.local_authority,
                "jurisdiction": c.jurisdiction,
            },
        )
    ],
    AreaForgotten: [
        (
            "DELETE FROM {schema}.caseload_moves WHERE step_id = %(step_id)s",
            lambda c: {"step_id": c.step_id},
        )
    ],
    StepNoted: [
        (
            "INSERT INTO {schema}.caseload_steps (step_id, case_id, kind, "
            "sequence, fact) VALUES (%(step_id)s, %(case_id)s, %(kind)s, "
            "%(sequence)s, %(fact)s) ON CONFLICT (step_id) DO UPDATE SET "
            "kind = excluded.kind, fact = excluded.fact",
            lambda c: {
                "step_id": c.step_id,
                "case_id": c.case_id,
                "kind": c.kind,
                "sequence": c.sequence,
                "fact": c.fact,
            },
        )
    ],
    StepForgotten: [
        (
            "UPDATE {schema}.caseload_steps SET retracted = true "
            "WHERE step_id = %(step_id)s",
            lambda c: {"step_id": c.step_id},
        )
    ],
    BornNoted: [
        (
            "INSERT INTO {schema}.caseload_births VALUES (%(case_id)s, %(born)s) "
            "ON CONFLICT (case_id) DO UPDATE SET born = excluded.born",
            lambda c: {"case_id": c.case_id, "born": c.born},
        )
    ],
    ClocksSummarised: [
        (
            "UPDATE {schema}.caseload_cases SET "
            "next_deadline_on = %(next_deadline_on)s, "
            "next_deadline_clock = %(next_deadline_clock)s, "
            "open_warnings = %(open_warnings)s WHERE case_id = %(case_id)s",
            lambda c: {
                "case_id": c.case_id,
                "next_deadline_on": c.next_deadline_on,
                "next_deadline_clock": c.next_deadline_clock,
                "open_warnings": c.open_warnings,
            },
        )
    ],
    CaseForgotten: [
        (
            f"DELETE FROM {{schema}}.{table} WHERE case_id = %(case_id)s",
            lambda c: {"case_id": c.case_id},
        )
        for table in TABLES
    ],
}


class PostgresCaseloadView(PostgresCompareAndSetTracking, CaseloadView):
    def __init__(
        self,
        datastore: PostgresDatastore,
        *,
        tracking_table_name: str = TRACKING_TABLE,
        rules: RuleBook = DEFAULT_RULES,
        **kwargs: Any,
    ) -> None:
        super().__init__(datastore, tracking_table_name=tracking_table_name, **kwargs)
        self.rules = rules
        schema = Identifier(self.datastore.schema)
        self.sql_create_statements.extend(
            self._sql(statement) for statement in CREATE_TABLES
        )
        self._statements: dict[
            type[Any], list[tuple[Composed, Callable[[Any], Params]]]
        ]
        self._statements = {
            change_type: [(self._sql(text), params) for text, params in statements]
            for change_type, statements in STATEMENTS.items()
        }
        self._recompute = self._sql(RECOMPUTE)
        self._select_facts = [self._sql(text) for text in SELECT_FACTS]
        self._forget_clocks = self._sql(
            "DELETE FROM {schema}.caseload_clocks WHERE case_id = ANY(%s)"
        )
        self._insert_clock = self._sql(INSERT_CLOCK)
        self._tables = [
            SQL("{}.{}").format(schema, Identifier(table)) for table in TABLES
        ]

    def _sql(self, text: str) -> Composed:
        return SQL(text).format(schema=Identifier(self.datastore.schema))

    def apply(
        self, changes: Sequence[Change], tracking: Tracking, *, after: int | None = None
    ) -> None:
        with self.datastore.transaction(commit=True) as cursor:
            self._insert_tracking_after(cursor, tracking, after)
            self._write(cursor, changes)

    def _write(self, cursor: Cursor[DictRow], changes: Sequence[Change]) -> None:
        # One pipeline: the statements go to the server without waiting for each
        # other's results (a page is one round trip, not one per statement).
        with cursor.connection.pipeline():
            for change_type, batch in in_rounds(changes):
                for statement, params in self._statements[change_type]:
                    cursor.executemany(statement, [params(change) for change in batch])
            cases = touched(changes)
            if cases:
                cursor.execute(self._recompute, (cases,))
        judged = clocked(changes)
        if judged:
            self._judge(cursor, judged)

    def _judge(self, cursor: Cursor[DictRow], cases: list[UUID]) -> None:
        """The cases' clocks and warnings, judged again from their facts."""
        select_opened, select_born, select_steps = self._select_facts
        # The same transaction, read as tuples.
        with cursor.connection.cursor(row_factory=tuple_row) as reading:
            opened: dict[UUID, str] = dict(
                reading.execute(select_opened, (cases,)).fetchall()
            )
            born: dict[UUID, str] = dict(
                reading.execute(select_born, (cases,)).fetchall()
            )
            steps: dict[UUID, list[StoredStep]] = {}
            for case_id, *step in reading.execute(select_steps, (cases,)).fetchall():
                steps.setdefault(case_id, []).append(StoredStep(*step))
        clocks, summaries = summarise_all(cases, opened, born, steps, self.rules)
        ((statement, params),) = self._statements[ClocksSummarised]
        with cursor.connection.pipeline():
            cursor.execute(self._forget_clocks, (cases,))
            if clocks:
                cursor.executemany(
                    self._insert_clock,
                    [tuple(getattr(c, n) for n in CLOCK_COLUMNS) for c in clocks],
                )
            cursor.executemany(statement, [params(summary) for summary in summaries])

    def forget(self, application_name: str) -> None:
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(SQL("TRUNCATE {}").format(SQL(", ").join(self._tables)))
            cursor.execute(
                SQL("DELETE FROM {} WHERE application_name = %s").format(
                    self._tracking
                ),
                (application_name,),
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
        where: list[str] = []
        params: dict[str, Any] = {}
        if organisation_id is not None:
            where.append("organisation_id = %(organisation_id)s")
            params["organisation_id"] = organisation_id
        if advocate_id is not None:
            where.append("advocate_id = %(advocate_id)s")
            params["advocate_id"] = advocate_id
        if not include_closed:
            where.append("NOT closed")
        if quiet_since_on_or_before is not None:
            where.append("quiet_since <= %(cutoff)s")
            params["cutoff"] = quiet_since_on_or_before
        statement = self._sql(
            f"SELECT {ENTRY_COLUMNS} FROM {{schema}}.caseload_cases"
            + (f" WHERE {' AND '.join(where)}" if where else "")
            + " ORDER BY quiet_since, reference, case_id"
        )
        return self._entries(statement, params)

    def in_order_opened(
        self,
        *,
        limit: int,
        after: tuple[datetime, UUID] | None = None,
        organisation_id: str | None = None,
        closed: bool | None = None,
    ) -> list[CaseloadEntry]:
        where: list[str] = []
        params: dict[str, Any] = {"limit": limit}
        if organisation_id is not None:
            where.append("organisation_id = %(organisation_id)s")
            params["organisation_id"] = organisation_id
        if closed is not None:
            where.append("closed = %(closed)s")
            params["closed"] = closed
        if after is not None:
            where.append("(opened_at, case_id) > (%(opened_at)s, %(case_id)s)")
            params["opened_at"], params["case_id"] = after
        statement = self._sql(
            f"SELECT {ENTRY_COLUMNS} FROM {{schema}}.caseload_cases"
            + (f" WHERE {' AND '.join(where)}" if where else "")
            + " ORDER BY opened_at, case_id LIMIT %(limit)s"
        )
        return self._entries(statement, params)

    def entry(self, case_id: UUID) -> CaseloadEntry | None:
        statement = self._sql(
            f"SELECT {ENTRY_COLUMNS} FROM {{schema}}.caseload_cases "
            "WHERE case_id = %(case_id)s"
        )
        found = self._entries(statement, {"case_id": case_id})
        return found[0] if found else None

    def deadlines(
        self,
        *,
        due_on_or_after: date | None = None,
        due_on_or_before: date | None = None,
        deadlines_only: bool = False,
        organisation_id: str | None = None,
        advocate_id: str | None = None,
    ) -> list[CaseDeadline]:
        where = ["NOT c.closed"]
        params: dict[str, Any] = {}
        if organisation_id is not None:
            where.append("c.organisation_id = %(organisation_id)s")
            params["organisation_id"] = organisation_id
        if advocate_id is not None:
            where.append("c.advocate_id = %(advocate_id)s")
            params["advocate_id"] = advocate_id
        if due_on_or_after is not None:
            where.append("k.due_on >= %(due_from)s")
            params["due_from"] = due_on_or_after
        if due_on_or_before is not None:
            where.append("k.due_on <= %(due_to)s")
            params["due_to"] = due_on_or_before
        if deadlines_only:
            where.append("k.deadline")
        columns = ", ".join(
            [f"c.{name}" for name in ENTRY_COLUMNS.split(", ")]
            + [f"k.{name}" for name in CLOCK_COLUMNS]
        )
        statement = self._sql(
            f"SELECT {columns} FROM {{schema}}.caseload_clocks k "
            "JOIN {schema}.caseload_cases c ON c.case_id = k.case_id "
            f"WHERE {' AND '.join(where)} "
            "ORDER BY k.due_on, c.reference, c.case_id, k.clock, k.started_by"
        )
        split = len(ENTRY_COLUMNS.split(", "))
        with (
            self.datastore.get_connection() as connection,
            connection.cursor(row_factory=tuple_row) as cursor,
        ):
            rows = cursor.execute(statement, params).fetchall()
        return [
            CaseDeadline(CaseloadEntry(*row[:split]), OpenClock(*row[split:]))
            for row in rows
        ]

    def open_clocks(self, case_id: UUID) -> list[OpenClock]:
        statement = self._sql(
            f"SELECT {', '.join(CLOCK_COLUMNS)} FROM {{schema}}.caseload_clocks "
            "WHERE case_id = %s ORDER BY due_on, clock, started_by"
        )
        with (
            self.datastore.get_connection() as connection,
            connection.cursor(row_factory=args_row(OpenClock)) as cursor,
        ):
            return cursor.execute(statement, (case_id,)).fetchall()

    def _entries(self, statement: Composed, params: Params) -> list[CaseloadEntry]:
        with (
            self.datastore.get_connection() as connection,
            connection.cursor(row_factory=args_row(CaseloadEntry)) as cursor,
        ):
            return cursor.execute(statement, params).fetchall()
