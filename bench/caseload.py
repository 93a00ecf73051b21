"""The caseload of an organisation with 2,000 open cases, on PostgreSQL.

Synthetic data, generated afresh in a new schema: the benchmark organisation holds
2,000 open cases (x ``--scale``) shared by 20 advocates, and a second organisation
as many again, so every query must pick its cases out. Each case is opened and
assigned, has six contacts dated up to 150 days back (so about three cases in ten
have drifted past 28 days), three other steps (one an NRM referral, whose
reasonable grounds target is long overdue unless a decision follows), and now and
then a CICA decision up to 70 days back (one case in three: its review clock is
open), a positive reasonable grounds decision (one in five: its recovery period
runs), a move of area, a hand-over, a corrected contact and a retracted one:
about 12 events a case. The
cases are recorded through ``CaseJourneys.save`` (the library's write path) in
batches of 50 cases.

Catch-up, in events per second over the whole log, in rounds that alternate:

(a) baseline: reading the notification log alone (``select_notifications``, pages
    of 500);
(b) baseline: reading it and decoding every event (``mapper.to_domain_event``);
(c) the projection's catch-up from scratch: ``ProjectionWorker.rebuild()`` into the
    PostgreSQL caseload view (read, decode, handle, and write each page's rows and
    tracking record in one transaction);
(d) for comparison, one transaction per event, as eventsourcing's
    ``ProjectionRunner`` calls ``process_event`` (first 5,000 events only).

Queries, as medians over ``--runs`` runs taken in turn:

(e) the organisation's caseload: every open case (``CaseloadReader.caseload``);
(f) the organisation's drift, 28 days (``CaseloadReader.drift``);
(g) one advocate's caseload;
(h) the ``caseload`` GraphQL query, every field of every case (the API in this
    process through ``httpx.ASGITransport``: the whole stack but the network);
(i) the ``caseload`` GraphQL query asking for ``drifting`` only;
(j) the organisation's deadlines upcoming within 14 days
    (``CaseloadReader.upcoming``);
(k) the organisation's overdue deadlines (``CaseloadReader.overdue``);
(l) the ``caseload`` GraphQL query asking for ``upcoming`` (14 days) only;
(m) the ``caseload`` GraphQL query asking for ``overdue`` only.

Target: catch-up of at least 5,000 events/s into the PostgreSQL views.

Run: ``bin/bench caseload`` (or ``.venv/bin/python -m bench caseload``), with
``--postgres-url`` or WAYMARK_BENCH_POSTGRES_URL for the database.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
from eventsourcing.persistence import Tracking

from api.app import create_app
from api.bootstrap import ProjectionSettings, build_journeys, build_views
from bench import harness
from domain.application import CaseJourneys
from domain.case import Provenance, SurvivorCase
from domain.dates import UK
from domain.steps import StepReading
from projections.tracking import ProjectionWorker

TARGET_EVENTS_PER_SECOND = 5_000
CASES = 2_000
ADVOCATES = 20
OTHER_ORGANISATION = "org-bench-other"
SAVE_BATCH = 50
ONE_BY_ONE_EVENTS = 5_000
#: "Today" for the data: a year after the cases were opened, so they can drift.
TODAY = datetime.now(UK).date() + timedelta(days=365)
AUTHORITIES = (
    "Northtown",
    "Southborough",
    "Eastham",
    "Westfield",
    "Glasgow",
    "Leeds",
    "Bradford",
    "Cardiff",
    "Belfast",
    "Dundee",
)
OTHER_STEPS: tuple[tuple[str, dict[str, object]], ...] = (
    ("nrm.referred", {}),
    ("housing.advocacy", {}),
    ("account.disclosure", {"to_whom": "police"}),
)

MEASURES = {
    "a": "read the notification log (baseline)",
    "b": "read and decode it (baseline)",
    "c": "projection catch-up (rebuild)",
    "d": "one transaction per event",
    "e": "organisation caseload (view)",
    "f": "organisation drift, 28 days (view)",
    "g": "one advocate's caseload (view)",
    "h": "GraphQL caseload, every field",
    "i": "GraphQL drifting only",
    "j": "organisation upcoming, 14 days (view)",
    "k": "organisation overdue (view)",
    "l": "GraphQL upcoming only, 14 days",
    "m": "GraphQL overdue only",
}

CASELOAD_QUERY = """
query Caseload($organisationId: String) {
  caseload(organisationId: $organisationId) {
    __typename
    ... on Caseload {
      position
      cases {
        caseId reference organisationId advocateId advocateSince jurisdiction
        localAuthority openedAt closed closedAt lastContactOn
        lastContactRecordedAt daysSinceContact quietSince drifting
        transferredFrom transferredAt nextDeadlineOn nextDeadlineClock
        openWarnings
      }
    }
  }
}
"""

DRIFT_QUERY = """
query Drift($organisationId: String) {
  caseload(organisationId: $organisationId) {
    __typename
    ... on Caseload {
      drifting { caseId reference advocateId lastContactOn daysSinceContact }
    }
  }
}
"""

CLOCK_FIELDS = """
        case { caseId reference advocateId nextDeadlineOn openWarnings }
        clock label startedBy dueOn daysLeft overdue extended period ruleId citation
"""

UPCOMING_QUERY = (
    """
query Upcoming($organisationId: String) {
  caseload(organisationId: $organisationId, upcomingDays: 14) {
    __typename
    ... on Caseload { upcoming {"""
    + CLOCK_FIELDS
    + """} }
  }
}
"""
)

OVERDUE_QUERY = (
    """
query Overdue($organisationId: String) {
  caseload(organisationId: $organisationId) {
    __typename
    ... on Caseload { overdue {"""
    + CLOCK_FIELDS
    + """} }
  }
}
"""
)


def reading(kind: str, occurred: str | None, details: dict[str, Any]) -> StepReading:
    return StepReading.from_input(
        kind=kind,
        occurred=occurred,
        summary="Synthetic step for the caseload benchmark.",
        details=details,
        sources=[{"document": "Advocate contact log", "pin": "p. 2"}],
        order=None,
        today=TODAY,
    )


def build_case(
    rng: random.Random, organisation_id: str, number: int, by: Provenance
) -> SurvivorCase:
    case = SurvivorCase.open(
        reference=f"{organisation_id.upper()}-{number:05}",
        organisation_id=organisation_id,
        jurisdiction="scotland" if number % 7 == 0 else "england_and_wales",
        local_authority=AUTHORITIES[number % len(AUTHORITIES)],
        opened_on=TODAY,
        by=by,
    )
    case.assign_advocate(f"{organisation_id}-adv-{number % ADVOCATES:02}", None, by)
    contacts: list[UUID] = []
    for _ in range(6):
        day = TODAY - timedelta(days=rng.randint(1, 150))
        contacts.append(
            case.record_step(
                reading("engagement.contact", day.isoformat(), {"mode": "phone"}), by
            )
        )
    for kind, details in OTHER_STEPS:
        day = TODAY - timedelta(days=rng.randint(100, 900))
        case.record_step(reading(kind, day.strftime("%Y-%m"), details), by)
    if number % 3 == 0:
        day = TODAY - timedelta(days=rng.randint(1, 70))
        details = {"outcome": "refused", "amount": None}
        case.record_step(
            reading("compensation.cica_decision", day.isoformat(), details), by
        )
    if number % 5 == 0:
        day = TODAY - timedelta(days=rng.randint(1, 60))
        details = {"outcome": "positive"}
        case.record_step(
            reading("nrm.reasonable_grounds_decision", day.isoformat(), details), by
        )
    if number % 4 == 0:
        moved = (TODAY - timedelta(days=rng.randint(10, 300))).isoformat()
        to = AUTHORITIES[(number + 3) % len(AUTHORITIES)]
        case.record_step(
            reading("transition.moved_area", moved, {"local_authority": to}), by
        )
    if number % 10 == 0:
        handed = f"{organisation_id}-adv-{(number + 1) % ADVOCATES:02}"
        case.assign_advocate(handed, "Caseload rebalanced", by)
    if number % 20 == 0:
        corrected = (TODAY - timedelta(days=rng.randint(1, 30))).isoformat()
        case.correct_step(
            contacts[0],
            reading("engagement.contact", corrected, {"mode": "video"}),
            "The call log gives another date.",
            by,
        )
    if number % 25 == 0:
        case.retract_step(contacts[1], "Recorded on the wrong case.", by)
    return case


def record_cases(journeys: CaseJourneys, cases_per_organisation: int) -> int:
    rng = random.Random(20261126)
    by = Provenance(harness.ADVOCATE)
    pending: list[SurvivorCase] = []
    for organisation_id in (harness.ORGANISATION, OTHER_ORGANISATION):
        for number in range(cases_per_organisation):
            pending.append(build_case(rng, organisation_id, number, by))
            if len(pending) == SAVE_BATCH:
                journeys.save(*pending)
                pending.clear()
    if pending:
        journeys.save(*pending)
    return journeys.log_position()


def read_log(journeys: CaseJourneys, *, decode: bool) -> int:
    read, start = 0, 0
    mapper = journeys.mapper
    while True:
        page = journeys.recorder.select_notifications(
            start, limit=500, inclusive_of_start=False
        )
        if decode:
            for notification in page:
                mapper.to_domain_event(notification)
        read += len(page)
        if len(page) < 500:
            return read
        start = page[-1].id


def one_by_one(journeys: CaseJourneys, worker: ProjectionWorker, events: int) -> int:
    """Like ``ProjectionRunner``: ``process_event``, one transaction per event."""
    worker.projection.view.forget(journeys.name)
    done, start = 0, 0
    while done < events:
        page = journeys.recorder.select_notifications(
            start, limit=500, inclusive_of_start=False
        )
        for notification in page[: events - done]:
            worker.projection.process_event(
                journeys.mapper.to_domain_event(notification),
                Tracking(journeys.name, notification.id),
            )
            done += 1
        if len(page) < 500:
            break
        start = page[-1].id
    return done


def rate(events: int, seconds: float) -> float:
    return events / seconds if seconds > 0 else 0.0


def measure_catch_up(
    journeys: CaseJourneys, worker: ProjectionWorker, rounds: int, events: int
) -> dict[str, list[float]]:
    """Events/s per round, the measures in turn each round."""
    operations: dict[str, Callable[[], int]] = {
        "a": lambda: read_log(journeys, decode=False),
        "b": lambda: read_log(journeys, decode=True),
        "c": worker.rebuild,
        "d": lambda: one_by_one(journeys, worker, min(ONE_BY_ONE_EVENTS, events)),
    }
    rates: dict[str, list[float]] = {key: [] for key in operations}
    for round_ in range(rounds):
        order = list(operations) if round_ % 2 == 0 else list(reversed(operations))
        for key in order:
            started = time.perf_counter()
            processed = operations[key]()
            seconds = time.perf_counter() - started
            rates[key].append(rate(processed, seconds))
            print(
                f"  round {round_ + 1} ({key}) {processed} events in {seconds:.2f} s "
                f"= {rate(processed, seconds):,.0f}/s",
                flush=True,
            )
    worker.rebuild()  # leave the view whole for the queries
    return rates


def measure_queries(
    journeys: CaseJourneys, settings: Any, views: Any, runs: int
) -> tuple[dict[str, list[float]], dict[str, int]]:
    reader = views.caseload
    advocate = f"{harness.ORGANISATION}-adv-03"
    token = harness.advocate_token(settings)
    variables = {"organisationId": harness.ORGANISATION}
    app = create_app(journeys, settings, views)

    async def run() -> tuple[dict[str, list[float]], dict[str, int]]:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(
                transport=transport,
                base_url="http://bench",
                headers={"Authorization": f"Bearer {token}"},
                timeout=60,
            ) as client:

                async def post(query: str) -> httpx.Response:
                    response = await client.post(
                        "/graphql", json={"query": query, "variables": variables}
                    )
                    if response.status_code != 200 or "errors" in response.json():
                        raise harness.BenchError(f"GraphQL: {response.text[:500]}")
                    return response

                operations: dict[str, Callable[[], Any]] = {
                    "e": lambda: reader.caseload(organisation_id=harness.ORGANISATION),
                    "f": lambda: reader.drift(organisation_id=harness.ORGANISATION),
                    "g": lambda: reader.caseload(advocate_id=advocate),
                    "j": lambda: reader.upcoming(organisation_id=harness.ORGANISATION),
                    "k": lambda: reader.overdue(organisation_id=harness.ORGANISATION),
                }
                graphql = {
                    "h": CASELOAD_QUERY,
                    "i": DRIFT_QUERY,
                    "l": UPCOMING_QUERY,
                    "m": OVERDUE_QUERY,
                }
                timings: dict[str, list[float]] = {
                    key: [] for key in [*operations, *graphql]
                }
                for operation in operations.values():  # one untimed run
                    operation()
                for query in graphql.values():
                    await post(query)
                for _ in range(runs):
                    for key, operation in operations.items():
                        started = time.perf_counter()
                        operation()
                        timings[key].append(time.perf_counter() - started)
                    for key, query in graphql.items():
                        started = time.perf_counter()
                        await post(query)
                        timings[key].append(time.perf_counter() - started)
                timings = {key: timings[key] for key in sorted(timings)}
                checks = {
                    "open_cases": len(
                        reader.caseload(organisation_id=harness.ORGANISATION)
                    ),
                    "drifting": len(reader.drift(organisation_id=harness.ORGANISATION)),
                    "advocate_cases": len(reader.caseload(advocate_id=advocate)),
                    "upcoming": len(
                        reader.upcoming(organisation_id=harness.ORGANISATION)
                    ),
                    "overdue": len(
                        reader.overdue(organisation_id=harness.ORGANISATION)
                    ),
                }
                upcoming = (await post(UPCOMING_QUERY)).json()["data"]["caseload"]
                checks["graphql_upcoming"] = len(upcoming["upcoming"])
                overdue = (await post(OVERDUE_QUERY)).json()["data"]["caseload"]
                checks["graphql_overdue"] = len(overdue["overdue"])
                body = (await post(CASELOAD_QUERY)).json()["data"]["caseload"]
                checks["graphql_cases"] = len(body["cases"])
                drift = (await post(DRIFT_QUERY)).json()["data"]["caseload"]
                checks["graphql_drifting"] = len(drift["drifting"])
                checks["graphql_caseload_bytes"] = len(
                    (await post(CASELOAD_QUERY)).content
                )
                return timings, checks

    return asyncio.run(run())


def summary(samples: Sequence[float], *, seconds: bool) -> dict[str, float]:
    middle = harness.median(samples)
    if seconds:
        return {
            "median_ms": harness.ms(middle),
            "min_ms": harness.ms(min(samples)),
            "max_ms": harness.ms(max(samples)),
        }
    return {
        "median_per_s": round(middle),
        "min_per_s": round(min(samples)),
        "max_per_s": round(max(samples)),
    }


def table(result: dict[str, Any]) -> str:
    lines = [
        f"{'measure':<44} {'median':>12} {'min':>10} {'max':>10}",
        "-" * 79,
    ]
    for key, m in result["catch_up"].items():
        lines.append(
            f"({key}) {m['what']:<40} {m['median_per_s']:>10,}/s "
            f"{m['min_per_s']:>8,}/s {m['max_per_s']:>8,}/s"
        )
    c = result["catch_up"]
    batched = c["c"]["median_per_s"] / c["d"]["median_per_s"]
    lines.append(
        f"    catch-up (c) / read+decode (b): {c['c']['ratio_to_b']:.2f}; "
        f"(c) / one per event (d): {batched:.1f}x;"
        f" target >= {TARGET_EVENTS_PER_SECOND:,}/s: "
        f"{'met' if c['c']['met_target'] else 'MISSED'}"
    )
    for key, m in result["queries"].items():
        lines.append(
            f"({key}) {m['what']:<40} {m['median_ms']:>10.1f}ms "
            f"{m['min_ms']:>8.1f}ms {m['max_ms']:>8.1f}ms"
        )
    k = result["checks"]
    lines.append(
        f"    {k['open_cases']} open cases ({k['drifting']} drifting), one advocate "
        f"{k['advocate_cases']}; GraphQL returned {k['graphql_cases']} cases, "
        f"{k['graphql_drifting']} drifting, "
        f"{k['graphql_caseload_bytes'] / 1024:.0f} KiB"
    )
    lines.append(
        f"    deadlines: {k['upcoming']} upcoming within 14 days, {k['overdue']} "
        f"overdue; GraphQL returned {k['graphql_upcoming']} and "
        f"{k['graphql_overdue']}"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    args = harness.options(argv, __doc__ or "")
    harness.stop_cleanly_on_sigterm()
    context = harness.machine()
    cases = max(1, round(CASES * args.scale))
    rounds = max(args.rounds, 3)
    print(
        f"Caseload of an organisation with {cases:,} open cases on PostgreSQL "
        f"(and {cases:,} in another); catch-up in {rounds} rounds, queries as "
        f"medians of {args.runs} runs"
    )
    print(f"load average at start: {harness.load_average()}", flush=True)
    secret = harness.new_token_secret()
    with harness.fresh_schema(args.postgres_url, "caseload") as database_url:
        settings = harness.settings_for(database_url, secret)
        print(f"  {harness.describe_store(database_url)}: recording ...", flush=True)
        journeys = build_journeys(settings, today=lambda: TODAY)
        views = build_views(settings, journeys, ProjectionSettings(in_process=False))
        try:
            started = time.perf_counter()
            events = record_cases(journeys, cases)
            record_seconds = time.perf_counter() - started
            print(f"  {events:,} events in {record_seconds:.1f} s", flush=True)
            worker = views.workers[0]
            rates = measure_catch_up(journeys, worker, rounds, events)
            timings, checks = measure_queries(journeys, settings, views, args.runs)
        finally:
            views.close()
            journeys.close()
    if checks["open_cases"] != cases or checks["graphql_cases"] != cases:
        raise harness.BenchError(f"expected {cases} open cases, read {checks}")
    if (checks["upcoming"], checks["overdue"]) != (
        checks["graphql_upcoming"],
        checks["graphql_overdue"],
    ) or not (checks["upcoming"] and checks["overdue"]):
        raise harness.BenchError(f"deadlines read differently: {checks}")
    baseline = harness.median(rates["b"])
    catch_up: dict[str, dict[str, object]] = {}
    for key, samples in rates.items():
        catch_up[key] = {"what": MEASURES[key], **summary(samples, seconds=False)}
        catch_up[key]["ratio_to_b"] = round(harness.median(samples) / baseline, 2)
    catch_up["c"]["met_target"] = harness.median(rates["c"]) >= TARGET_EVENTS_PER_SECOND
    queries = {
        key: {"what": MEASURES[key], **summary(samples, seconds=True)}
        for key, samples in timings.items()
    }
    result = {
        "benchmark": "caseload",
        "target_events_per_second": TARGET_EVENTS_PER_SECOND,
        "machine": context,
        "load_average_at_end": harness.load_average(),
        "data": {
            "open_cases_in_organisation": cases,
            "cases_in_all": 2 * cases,
            "events": events,
            "record_seconds": round(record_seconds, 1),
            "today": TODAY.isoformat(),
        },
        "rounds": rounds,
        "runs": args.runs,
        "catch_up": catch_up,
        "queries": queries,
        "checks": checks,
    }
    print(f"load average at end: {harness.load_average()}")
    print()
    print(table(result))
    path = harness.write_results(args.results, "caseload.json", result)
    print(f"\nresults: {path}")
    return result


if __name__ == "__main__":
    harness.run_alone(main)
