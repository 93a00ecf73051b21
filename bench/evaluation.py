"""Evaluation statistics over 100,000 synthetic cases (about 5 million events), on
PostgreSQL.

1. **Generate** the cohort into a fresh schema with ``demo.cohort`` (the real
   aggregate's events, bulk-inserted), or reuse one given by ``--cohort-url``
   (made beforehand with ``python -m demo.cohort``; it is not dropped).
2. **Baseline**: read and decode the first million events of the log
   (``select_notifications`` in pages of 500, ``mapper.to_domain_event``).
3. **Rebuild**: ``rebuild_evaluation`` replays the whole log into a fresh view
   and switches over (``waymark rebuild evaluation``): events/s, and its ratio to
   the baseline's rate.
4. **Tables**, in this process: loading the view into a snapshot (once); the
   canonical table for financial year 2024/25 made cold from the snapshot
   (every metric, the total and every breakdown, under disclosure control);
   then through ``EvaluationReader`` (which keeps the canonical table) the full
   table across all organisations (every metric, the total), by organisation,
   by region and local authority together; and a pseudonymous cohort export
   (CSV) for the year. Medians over ``--runs``.
5. **The API**: ``bench.server`` (one uvicorn worker) in its own process on the
   same schema; an evaluator's ``evaluation`` query for the year over HTTP,
   median ms over ``--runs`` after a first request that loads the snapshot, and
   the server's resident memory (VmRSS) and peak (VmHWM) after serving them.

Targets: rebuild at least 5,000 events/s; the full table for one financial year
under 200 ms; the API under 300 MB resident while serving it.

Run: ``bin/bench evaluation`` (``--cases 100000`` by default; ``--cases 10000``
for a quick look).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

from api.auth import mint_token
from api.bootstrap import build_journeys
from bench import harness
from demo.cohort import generate
from projections.evaluation import evaluation_view
from projections.evaluation.figures import Dimension, Request, canonical_table
from projections.evaluation.periods import named_period
from projections.evaluation.reader import EvaluationReader
from projections.evaluation.rebuild import rebuild_evaluation

TARGET_EVENTS_PER_SECOND = 5_000
TARGET_TABLE_MS = 200
TARGET_RSS_MB = 300
BASELINE_EVENTS = 1_000_000
YEAR = "2024/25"

QUERY = """
query Evaluation($filter: EvaluationFilter!) {
  evaluation(filter: $filter) {
    __typename
    ... on EvaluationTable {
      position
      suppressedCells
      rows {
        dimension
        value
        figures {
          metric
          numerator { value suppressed }
          denominator { value suppressed }
          share
          totalAmount
          days { lower median upper }
        }
      }
    }
  }
}
"""


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    args = harness.options(argv, __doc__ or "")
    harness.stop_cleanly_on_sigterm()
    if args.cohort_url:
        return run(args, args.cohort_url, generated=None)
    with harness.fresh_schema(args.postgres_url, "evaluation") as url:
        return run(args, url, generated=True)


def run(args: Any, url: str, generated: bool | None) -> dict[str, Any]:
    secret = harness.new_token_secret()
    settings = harness.settings_for(url, secret)
    journeys = build_journeys(settings)
    results: dict[str, Any] = {"machine": harness.machine(), "store": url}
    try:
        if generated:
            print(f"Generating {args.cases:,} cases into {harness.describe_store(url)}")
            stats = generate(
                journeys, cases=args.cases, seed=1, progress=_generation_progress()
            )
            results["generation"] = {
                "cases": stats.cases,
                "events": stats.events,
                "seconds": round(stats.seconds, 1),
                "events_per_second": round(stats.events_per_second),
            }
            print(
                f"  {stats.events:,} events, {stats.events / max(stats.cases, 1):.1f} "
                f"a case, {stats.events_per_second:,.0f} events/s"
            )
        log_size = journeys.log_position()
        results["events"] = log_size
        if not (args.queries_only and args.cohort_url):
            results["baseline"] = _baseline(journeys)
            results["rebuild"] = _rebuild(journeys, settings.persistence, results)
        results["tables"] = _tables(journeys, settings, args.runs)
    finally:
        journeys.close()
    results["api"] = _api(url, secret, args.runs)
    _report(results)
    harness.write_results(args.results, "evaluation.json", results)
    return results


def _generation_progress() -> Any:
    started, last = time.perf_counter(), [0.0]

    def progress(cases: int, events: int) -> None:
        now = time.perf_counter()
        if now - last[0] >= 15:
            last[0] = now
            rate = events / (now - started)
            print(f"  {cases:,} cases, {events:,} events, {rate:,.0f} events/s")

    return progress


def _baseline(journeys: Any) -> dict[str, Any]:
    started, read, position = time.perf_counter(), 0, 0
    mapper, recorder = journeys.mapper, journeys.recorder
    while read < BASELINE_EVENTS:
        page = recorder.select_notifications(
            position, limit=500, inclusive_of_start=False
        )
        if not page:
            break
        for notification in page:
            mapper.to_domain_event(notification)
        read += len(page)
        position = page[-1].id
    seconds = time.perf_counter() - started
    rate = read / seconds
    print(f"Baseline: read and decode {read:,} events: {rate:,.0f} events/s")
    return {
        "events": read,
        "seconds": round(seconds, 1),
        "events_per_second": round(rate),
    }


def _rebuild(
    journeys: Any, persistence: Any, results: dict[str, Any]
) -> dict[str, Any]:
    total = results["events"]
    started, shown = time.perf_counter(), [0.0]

    def progress(position: int) -> None:
        now = time.perf_counter()
        if now - shown[0] >= 30:
            shown[0] = now
            rate = position / (now - started)
            print(f"  rebuilding: {position:,} of {total:,} ({rate:,.0f} events/s)")

    rebuilt = rebuild_evaluation(journeys, persistence, progress=progress)
    seconds = time.perf_counter() - started
    rate = rebuilt.events / seconds
    ratio = rate / results["baseline"]["events_per_second"]
    print(
        f"Rebuild: {rebuilt.events:,} events in {seconds:,.1f} s: {rate:,.0f} events/s "
        f"(target {TARGET_EVENTS_PER_SECOND:,}), {ratio:.2f} of the baseline's rate"
    )
    return {
        "events": rebuilt.events,
        "seconds": round(seconds, 1),
        "events_per_second": round(rate),
        "ratio_to_baseline": round(ratio, 3),
        "target_events_per_second": TARGET_EVENTS_PER_SECOND,
    }


def _tables(journeys: Any, settings: Any, runs: int) -> dict[str, Any]:
    view = evaluation_view(settings.persistence)
    reader = EvaluationReader(
        view,
        journeys.name,
        threshold=settings.evaluation_threshold,
        pseudonym_key=settings.pseudonym_key_bytes(),
        refresh_seconds=3600,
    )
    try:
        started = time.perf_counter()
        snapshot = reader.snapshot()
        load_seconds = time.perf_counter() - started
        year = named_period(YEAR)
        measures = {
            "full_table": Request(year),
            "by_organisation": Request(year, by=(Dimension.ORGANISATION,)),
            "by_region_and_local_authority": Request(
                year, by=(Dimension.REGION, Dimension.LOCAL_AUTHORITY)
            ),
        }
        timings: dict[str, Any] = {
            "cases_in_view": snapshot.cases,
            "snapshot_load_ms": harness.ms(load_seconds),
        }
        # Cold: the period's canonical table made from the snapshot, every
        # metric by every breakdown under disclosure control.
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            whole = canonical_table(snapshot, year, reader.threshold)
            samples.append(time.perf_counter() - started)
        timings["canonical_table_cold"] = {
            "median_ms": harness.ms(harness.median(samples)),
            "p90_ms": harness.ms(harness.percentile(samples, 90)),
            "rows": len(whole.rows),
            "suppressed_cells": whole.suppressed_cells,
        }
        for name, request in measures.items():
            samples = []
            for _ in range(runs):
                started = time.perf_counter()
                table = reader.evaluation(request)
                samples.append(time.perf_counter() - started)
            timings[name] = {
                "median_ms": harness.ms(harness.median(samples)),
                "p90_ms": harness.ms(harness.percentile(samples, 90)),
                "rows": len(table.rows),
                "suppressed_cells": table.suppressed_cells,
            }
        samples = []
        for _ in range(max(3, runs // 4)):
            started = time.perf_counter()
            export = reader.cohort(Request(year), "evaluator-bench")
            export.as_csv()
            samples.append(time.perf_counter() - started)
        timings["cohort_export_csv"] = {
            "median_ms": harness.ms(harness.median(samples)),
            "rows": len(export.rows),
            "generalised_rows": export.generalised,
        }
        clients = table.rows[0].figures[0].numerator.value
        timings["clients_in_year"] = clients
        return timings
    finally:
        view.close()


def _api(url: str, secret: str, runs: int) -> dict[str, Any]:
    settings = harness.settings_for(url, secret)
    token = mint_token(
        settings, subject="evaluator-bench", role="evaluator", organisation_id=None
    )
    body = {"query": QUERY, "variables": {"filter": {"period": YEAR}}}
    headers = {"Authorization": f"Bearer {token}"}
    with (
        harness.api_server(url, secret) as server,
        httpx.Client(base_url=server.url, headers=headers, timeout=600) as client,
    ):
        started = time.perf_counter()
        first = client.post("/graphql", json=body)
        first_seconds = time.perf_counter() - started
        answer = first.json()
        if answer.get("errors") or answer["data"]["evaluation"]["__typename"] != (
            "EvaluationTable"
        ):
            raise harness.BenchError(f"the evaluation query failed: {answer}")
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            client.post("/graphql", json=body).raise_for_status()
            samples.append(time.perf_counter() - started)
        memory = _memory(server.process.pid)
    return {
        "first_request_ms": harness.ms(first_seconds),
        "median_ms": harness.ms(harness.median(samples)),
        "p90_ms": harness.ms(harness.percentile(samples, 90)),
        "response_bytes": len(first.content),
        **memory,
        "target_rss_mb": TARGET_RSS_MB,
    }


def _memory(pid: int) -> dict[str, float]:
    status = Path(f"/proc/{pid}/status").read_text().splitlines()
    values = {
        line.split(":")[0]: int(line.split()[1]) / 1024
        for line in status
        if line.startswith(("VmRSS", "VmHWM"))
    }
    return {
        "rss_mb": round(values["VmRSS"], 1),
        "peak_rss_mb": round(values["VmHWM"], 1),
    }


def _report(results: dict[str, Any]) -> None:
    tables, api = results["tables"], results["api"]
    print(
        f"Tables for {YEAR} ({tables['clients_in_year']} clients; view holds "
        f"{tables['cases_in_view']:,} consenting cases; snapshot load "
        f"{tables['snapshot_load_ms']:,.0f} ms):"
    )
    for name in (
        "canonical_table_cold",
        "full_table",
        "by_organisation",
        "by_region_and_local_authority",
    ):
        t = tables[name]
        print(
            f"  {name}: median {t['median_ms']:.1f} ms, p90 {t['p90_ms']:.1f} ms "
            f"({t['rows']} rows, {t['suppressed_cells']} suppressed counts)"
        )
    c = tables["cohort_export_csv"]
    print(f"  cohort export (CSV): median {c['median_ms']:.0f} ms, {c['rows']:,} rows")
    print(
        f"API: evaluation for {YEAR} over HTTP: "
        f"first {api['first_request_ms']:,.0f} ms, "
        f"then median {api['median_ms']:.1f} ms; resident {api['rss_mb']:.0f} MB "
        f"(peak {api['peak_rss_mb']:.0f} MB; target < {TARGET_RSS_MB} MB)"
    )


if __name__ == "__main__":
    harness.run_alone(main)
