"""What the run checks afterwards, against the log itself.

- Every acknowledged command is in the log exactly once (by its idempotency
  key: each command the clients send records one event), with the id the
  answer gave; a command refused with a typed failure is not in it at all; one
  never acknowledged (the client gave up) is in it at most once; no key is in
  it that no client sent.
- Every case's hash chain verifies (``CaseJourneys.verify_chain``).
- Every view equals a rebuild from the log: the events are copied into a fresh
  schema, ``waymark project --once`` (the deployment's own projection code)
  builds the views there from nothing, and each view table is compared row for
  row with the live one (tracking aside: both must stand at the log's end;
  ``PAGE_DEPENDENT`` columns aside: they record paging, not the log).
"""

from __future__ import annotations

import subprocess
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql

from bench.reliability.cluster import WAYMARK
from bench.reliability.load import Command
from bench.reliability.monitor import EVENTS_TABLE, VIEWS, positions
from domain.application import CaseJourneys
from storage.keys import TABLE as KEYS_TABLE


@dataclass
class Check:
    name: str
    passed: bool
    detail: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Logged:
    case_id: str
    version: int
    topic: str
    result_id: str


def logged_keys(journeys: CaseJourneys, prefix: str) -> dict[str, list[Logged]]:
    """Every event in the log whose idempotency key starts with ``prefix``."""
    found: dict[str, list[Logged]] = defaultdict(list)
    start: int | None = None
    while True:
        page = journeys.recorder.select_notifications(
            start, limit=500, inclusive_of_start=False
        )
        for notification in page:
            event: Any = journeys.mapper.to_domain_event(notification)
            key = getattr(event, "idempotency_key", None)
            if key and key.startswith(prefix):
                found[key].append(
                    Logged(
                        str(event.originator_id),
                        event.originator_version,
                        notification.topic,
                        str(event.result_id()),
                    )
                )
        if len(page) < 500:
            return found
        start = page[-1].id


def check_commands(
    commands: Iterable[Command], logged: dict[str, list[Logged]]
) -> tuple[list[Check], dict[str, int]]:
    commands = list(commands)
    sent = {command.key: command for command in commands}
    outcomes = Counter(command.outcome for command in commands)
    acknowledged = [c for c in commands if c.outcome == "acknowledged"]
    lost = [c.key for c in acknowledged if not logged.get(c.key)]
    doubled = [c.key for c in commands if len(logged.get(c.key, ())) > 1]
    wrong_id = [
        c.key
        for c in acknowledged
        if len(logged.get(c.key, ())) == 1 and logged[c.key][0].result_id != c.result_id
    ]
    refused_recorded = [
        c.key for c in commands if c.outcome == "refused" and logged.get(c.key)
    ]
    unknown = [key for key in logged if key not in sent]
    gave_up = [c for c in commands if c.outcome == "gave_up"]
    figures = {
        "sent": len(commands),
        "acknowledged": len(acknowledged),
        "in_log": sum(1 for c in acknowledged if logged.get(c.key)),
        "duplicates": len(doubled),
        "lost": len(lost),
        "refused": outcomes["refused"],
        "gave_up": len(gave_up),
        "gave_up_in_log": sum(1 for c in gave_up if logged.get(c.key)),
        "replayed": sum(1 for c in acknowledged if c.replayed),
        "retried": sum(1 for c in commands if c.attempts > 1),
        "attempts": sum(c.attempts for c in commands),
    }
    refusals = Counter(
        str((c.answer or {}).get("__typename") or (c.answer or {}).get("status"))
        for c in commands
        if c.outcome == "refused"
    )
    checks = [
        Check(
            "every acknowledged command is in the log",
            not lost,
            f"{figures['in_log']} of {len(acknowledged)} acknowledged in the log"
            + (f"; lost: {', '.join(lost[:5])}" if lost else ""),
        ),
        Check(
            "no command is in the log twice",
            not doubled,
            f"{len(doubled)} keys with more than one event"
            + (f": {', '.join(doubled[:5])}" if doubled else ""),
        ),
        Check(
            "each acknowledged answer names the event the log holds",
            not wrong_id,
            f"{len(wrong_id)} answers whose id differs from the logged event's",
        ),
        Check(
            "no refused command is in the log",
            not refused_recorded,
            f"{outcomes['refused']} refused ({dict(refusals) or 'none'}), "
            f"{len(refused_recorded)} of them in the log",
        ),
        Check(
            "nothing is in the log that no client sent",
            not unknown,
            f"{len(unknown)} unknown keys",
        ),
        Check(
            "every command was settled (acknowledged or refused) within the retries",
            not gave_up,
            f"{len(gave_up)} given up, {figures['gave_up_in_log']} of them in the log"
            + (f"; last problems: {gave_up[0].problems[-3:]}" if gave_up else ""),
        ),
    ]
    return checks, figures


def check_chains(journeys: CaseJourneys) -> Check:
    cases = broken = 0
    broken_ids: list[str] = []
    for case_id in journeys.case_ids():
        cases += 1
        if not journeys.verify_chain(case_id).intact:
            broken += 1
            broken_ids.append(str(case_id))
    return Check(
        "every case's chain verifies",
        broken == 0 and cases > 0,
        f"{cases} cases, {broken} broken"
        + (f": {', '.join(broken_ids[:5])}" if broken_ids else ""),
    )


def _view_tables(
    connection: psycopg.Connection[tuple[Any, ...]], schema: str
) -> list[str]:
    rows = connection.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = %s "
        "AND table_type = 'BASE TABLE' ORDER BY table_name",
        (schema,),
    ).fetchall()
    return [
        str(name)
        for (name,) in rows
        if any(str(name).startswith(f"{view}_") for view in VIEWS)
        and not str(name).endswith("_tracking")
    ]


#: Columns that depend on how the log was paged into the view, not on what it
#: holds: ``evaluation_cases.changed`` is the position of the page that last
#: touched the case (the reader refreshes cases changed after a position), so
#: a view followed live and one rebuilt in pages of 500 differ there alone.
PAGE_DEPENDENT = {("evaluation_cases", "changed")}


def _columns(
    connection: psycopg.Connection[tuple[Any, ...]], schema: str, table: str
) -> list[str]:
    rows = connection.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position",
        (schema, table),
    ).fetchall()
    return [str(name) for (name,) in rows if (table, str(name)) not in PAGE_DEPENDENT]


def _differing(
    connection: psycopg.Connection[tuple[Any, ...]], left: str, right: str, table: str
) -> tuple[int, int, int]:
    """Rows only in the live table, rows only in the rebuilt one, and the live
    table's row count (a multiset comparison)."""
    columns = sql.SQL(", ").join(
        sql.Identifier(c) for c in _columns(connection, left, table)
    )
    a = sql.SQL("{}.{}").format(sql.Identifier(left), sql.Identifier(table))
    b = sql.SQL("{}.{}").format(sql.Identifier(right), sql.Identifier(table))
    query = sql.SQL(
        "SELECT"
        " (SELECT count(*) FROM"
        "  (SELECT {c} FROM {a} EXCEPT ALL SELECT {c} FROM {b}) x),"
        " (SELECT count(*) FROM"
        "  (SELECT {c} FROM {b} EXCEPT ALL SELECT {c} FROM {a}) y),"
        " (SELECT count(*) FROM {a})"
    ).format(a=a, b=b, c=columns)
    row = connection.execute(query).fetchone()
    assert row is not None
    return int(row[0]), int(row[1]), int(row[2])


def check_views_rebuild(
    base_url: str, live: str, env: dict[str, str], workdir: str
) -> list[Check]:
    """Rebuilds both views from a copy of the log in a fresh schema and compares."""
    fresh = f"{live}_rebuilt"
    fresh_env = {**env, "WAYMARK_DATABASE_URL": f"{base_url}?schema={fresh}"}
    with psycopg.connect(base_url, autocommit=True, connect_timeout=5) as connection:
        connection.execute(
            sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(fresh))
        )
        connection.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(fresh)))
        try:
            _project_once(fresh_env, workdir)  # the tables, empty
            # The log, and the key table its cases are sealed under.
            for table in (EVENTS_TABLE, KEYS_TABLE):
                connection.execute(
                    sql.SQL("INSERT INTO {}.{} SELECT * FROM {}.{}").format(
                        sql.Identifier(fresh),
                        sql.Identifier(table),
                        sql.Identifier(live),
                        sql.Identifier(table),
                    )
                )
            _project_once(fresh_env, workdir)  # the views, from the whole log
            log, live_views = positions(connection, live)
            _, rebuilt_views = positions(connection, fresh)
            checks = []
            for view in VIEWS:
                tables = [
                    t for t in _view_tables(connection, live) if t.startswith(view)
                ]
                differences = {
                    table: _differing(connection, live, fresh, table)
                    for table in tables
                }
                bad = {t: d for t, d in differences.items() if d[0] or d[1]}
                rows = sum(d[2] for d in differences.values())
                at_end = live_views[view] == log == rebuilt_views[view]
                checks.append(
                    Check(
                        f"the {view} view equals a rebuild from the log",
                        not bad and at_end and bool(tables),
                        f"{len(tables)} tables, {rows} rows; "
                        f"live view at {live_views[view]}, "
                        f"rebuilt at {rebuilt_views[view]}, log at {log}"
                        + (
                            "; differing (live only, rebuilt only): "
                            + ", ".join(f"{t} {d[0]}/{d[1]}" for t, d in bad.items())
                            if bad
                            else ""
                        ),
                        {"tables": {t: list(d) for t, d in differences.items()}},
                    )
                )
            return checks
        finally:
            connection.execute(
                sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(fresh))
            )


def _project_once(env: dict[str, str], workdir: str) -> None:
    done = subprocess.run(
        [WAYMARK, "project", "--once"],
        env=env,
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"waymark project --once failed ({done.returncode}): {done.stderr[-500:]}"
        )
