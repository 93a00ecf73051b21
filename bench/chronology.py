"""The chronology of a 1,000-step case, on SQLite and on PostgreSQL.

The case has steps of every kind, uncertain EDTF dates of every form, sources
citing named and attached documents, and a few corrections, disputes and
retractions. Measured, as medians over the runs, taken in turn so that load from
elsewhere on the machine falls on all of them alike:

(a) baseline: loading the case's events, ``journeys.case_events(case_id)``;
(b) cold chronology: ``chronology_of(journeys.case_events(case_id))``;
(c) warm chronology: ``ChronologyReader.chronology(case_id)`` after one read;
(d) the ``chronology`` GraphQL query over HTTP (the whole response) against the API
    in its own process on the same store;
(e) "as at" halfway: ``ChronologyReader.chronology(case_id, as_at=...)`` at the
    moment the middle event was recorded;
(f) the workspace's timeline over HTTP: its ``CaseTimeline`` query, read from
    ``web/src/timeline/timeline.graphql`` (the case, and the chronology with the
    fields the workspace shows, legal clocks included), for the FULL purpose.

Targets: a chronology in under 50 ms; the workspace's timeline in under 100 ms.
"""

from __future__ import annotations

import dataclasses
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx

from api.bootstrap import build_journeys
from bench import harness, samples
from domain.application import CaseJourneys
from projections.chronology import ChronologyReader, chronology_of

TARGET_MS = 50.0
#: Measures with a target of their own.
TARGETS_MS = {"f": 100.0}
#: The workspace's timeline query, as the workspace sends it.
WORKSPACE_TIMELINE = harness.ROOT / "web" / "src" / "timeline" / "timeline.graphql"
DOCUMENTS = 8
#: Every so many steps: correct an earlier step, dispute one, retract one.
CORRECT_EVERY, DISPUTE_EVERY, RETRACT_EVERY = 50, 97, 199

CHRONOLOGY = """
query Chronology($caseId: UUID!, $asAt: DateTime) {
  chronology(caseId: $caseId, asAt: $asAt) {
    __typename
    ... on Chronology {
      caseId reference purpose asAt changedSince caseVersion chainHead position
      rows {
        stepId kind label area when occurred earliest latest order summary details
        sources { document pin title bundleRef cite }
        status recordedAt recordedBy lastChangedAt
        history { kind when occurred summary details reason recordedAt recordedBy }
        disputes {
          recordedVersion recordedWhen disputedBy otherVersion otherWhen
          otherOccurred sources { cite } recordedBy
        }
        retraction { reason recordedBy }
        warnings
      }
    }
    ... on Failure { message }
  }
}
"""

MEASURES = {
    "a": "load events (baseline)",
    "b": "cold chronology_of(events)",
    "c": "warm ChronologyReader",
    "d": "GraphQL chronology over HTTP",
    "e": "as at halfway (reader)",
    "f": "workspace CaseTimeline over HTTP",
}


@dataclasses.dataclass(frozen=True)
class BenchCase:
    case_id: UUID
    steps: int
    events: int
    corrections: int
    disputes: int
    retractions: int
    #: When the middle event was recorded: the "as at" moment for (e).
    halfway: Any
    halfway_version: int


def build_case(journeys: CaseJourneys, steps: int) -> BenchCase:
    """Records the case through ``CaseJourneys``, as the API would."""
    by = harness.ADVOCATE
    case_id = journeys.open_case(
        reference="CHRONO-1000",
        organisation_id=harness.ORGANISATION,
        jurisdiction="england_and_wales",
        recorded_by=by,
    ).case_id
    documents = [
        str(
            journeys.attach_evidence(
                case_id,
                title=f"Bundle document {i + 1}",
                document_kind="witness_statement",
                bundle_ref=f"B/{100 + 37 * i}",
                recorded_by=by,
            ).id
        )
        for i in range(DOCUMENTS)
    ]
    step_ids: list[UUID] = []
    retracted: set[UUID] = set()
    counts = {"corrections": 0, "disputes": 0, "retractions": 0}
    for i in range(steps):
        step = samples.step_input(i, documents)
        step_ids.append(journeys.record_step(case_id, step, recorded_by=by).id)
        if i % CORRECT_EVERY == CORRECT_EVERY - 1:
            target = step_ids[i - 10]
            if target not in retracted:
                corrected = dataclasses.replace(
                    samples.step_input(i - 10, documents),
                    occurred="2016-05-03",
                    summary="The date was confirmed by the referral form.",
                )
                journeys.correct_step(
                    case_id,
                    target,
                    corrected,
                    reason="The referral form gives the exact date.",
                    recorded_by=by,
                )
                counts["corrections"] += 1
        if i % DISPUTE_EVERY == DISPUTE_EVERY - 1:
            target = step_ids[i - 5]
            if target not in retracted:
                journeys.dispute_step(
                    case_id,
                    target,
                    disputed_by="the defendant's solicitor",
                    other_version="The meeting took place later, in the autumn.",
                    other_occurred=samples.occurred(i + 3),
                    sources=[{"document": documents[i % DOCUMENTS], "pin": "p. 4"}],
                    recorded_by=by,
                )
                counts["disputes"] += 1
        if i % RETRACT_EVERY == RETRACT_EVERY - 1:
            target = step_ids[i - 3]
            journeys.retract_step(
                case_id,
                target,
                reason="Recorded on the wrong case.",
                recorded_by=by,
            )
            retracted.add(target)
            counts["retractions"] += 1
    events = journeys.case_events(case_id)
    middle = events[len(events) // 2]
    return BenchCase(
        case_id=case_id,
        steps=steps,
        events=len(events),
        halfway=middle.timestamp,
        halfway_version=middle.originator_version,
        **counts,
    )


@contextmanager
def store(name: str, postgres_url: str) -> Iterator[str]:
    """A fresh store's Waymark database URL, removed afterwards."""
    if name == "sqlite":
        with tempfile.TemporaryDirectory(prefix="wb-chronology-") as directory:
            yield f"sqlite:///{Path(directory) / 'waymark.db'}"
    else:
        with harness.fresh_schema(postgres_url, "chronology") as url:
            yield url


def measure(
    runs: int, operations: dict[str, Callable[[], object]]
) -> dict[str, list[float]]:
    """Times every operation once per run, in turn; one untimed run first."""
    for operation in operations.values():
        operation()
    timings: dict[str, list[float]] = {key: [] for key in operations}
    for _ in range(runs):
        for key, operation in operations.items():
            started = time.perf_counter()
            operation()
            timings[key].append(time.perf_counter() - started)
    return timings


def run_store(name: str, args: Any) -> dict[str, Any]:
    secret = harness.new_token_secret()
    with store(name, args.postgres_url) as database_url:
        print(f"  {harness.describe_store(database_url)}: recording the case ...")
        settings = harness.settings_for(database_url, secret)
        journeys = build_journeys(settings)
        try:
            started = time.perf_counter()
            case = build_case(journeys, args.case_steps)
            build_seconds = time.perf_counter() - started
            print(
                f"  {case.events} events in {build_seconds:.1f} s; measuring "
                f"{args.runs} runs ...",
                flush=True,
            )
            profile = harness.server_profile(args, f"chronology-{name}")
            with harness.api_server(database_url, secret, profile) as server:
                result = measure_case(journeys, server, settings, case, args.runs)
        finally:
            journeys.close()
    result.update(
        store=name,
        case={
            key: value
            for key, value in dataclasses.asdict(case).items()
            if key not in {"case_id", "halfway"}
        },
        build_seconds=round(build_seconds, 2),
    )
    return result


def measure_case(
    journeys: CaseJourneys,
    server: harness.ApiServer,
    settings: Any,
    case: BenchCase,
    runs: int,
) -> dict[str, Any]:
    reader = ChronologyReader(journeys)
    token = harness.advocate_token(settings)
    checks: dict[str, int] = {}
    with httpx.Client(
        base_url=server.url,
        headers={"Authorization": f"Bearer {token}"},
        timeout=30.0,
    ) as http:
        payload = {"query": CHRONOLOGY, "variables": {"caseId": str(case.case_id)}}
        timeline = {
            "query": WORKSPACE_TIMELINE.read_text(),
            "operationName": "CaseTimeline",
            "variables": {"caseId": str(case.case_id), "purpose": "FULL"},
        }

        def graphql() -> httpx.Response:
            return http.post("/graphql", json=payload)

        def workspace() -> httpx.Response:
            return http.post("/graphql", json=timeline)

        operations: dict[str, Callable[[], object]] = {
            "a": lambda: journeys.case_events(case.case_id),
            "b": lambda: chronology_of(journeys.case_events(case.case_id)),
            "c": lambda: reader.chronology(case.case_id),
            "d": graphql,
            "e": lambda: reader.chronology(case.case_id, as_at=case.halfway),
            "f": workspace,
        }
        timings = measure(runs, operations)
        # Check every path answered the same case, outside the timings.
        response = graphql()
        if response.status_code != 200:
            raise harness.BenchError(f"HTTP {response.status_code}: {response.text}")
        body = response.json()
        chronology = (body.get("data") or {}).get("chronology") or {}
        if chronology.get("__typename") != "Chronology":
            raise harness.BenchError(f"the chronology query answered {body}")
        checks["graphql_rows"] = len(chronology["rows"])
        checks["graphql_response_bytes"] = len(response.content)
        checks["workspace_rows"], checks["workspace_response_bytes"] = _timeline_read(
            workspace()
        )
    checks["rows"] = len(reader.chronology(case.case_id).rows)
    checks["rows_as_at_halfway"] = len(
        reader.chronology(case.case_id, as_at=case.halfway).rows
    )
    if {checks["rows"], checks["graphql_rows"], checks["workspace_rows"]} != {
        case.steps
    }:
        raise harness.BenchError(f"expected {case.steps} rows, read {checks}")
    baseline = harness.median(timings["a"])
    measures = {}
    for key, samples_ in timings.items():
        middle = harness.median(samples_)
        measures[key] = {
            "what": MEASURES[key],
            "median_ms": harness.ms(middle),
            "min_ms": harness.ms(min(samples_)),
            "max_ms": harness.ms(max(samples_)),
            "ratio_to_a": round(middle / baseline, 2),
        }
        if key != "a":
            target = TARGETS_MS.get(key, TARGET_MS)
            measures[key]["target_ms"] = target
            measures[key]["under_target"] = middle * 1000 < target
    return {"runs": runs, "measures": measures, "checks": checks}


def _timeline_read(response: httpx.Response) -> tuple[int, int]:
    """The rows of a ``CaseTimeline`` answer, and its size; a refusal or an error
    ends the benchmark."""
    if response.status_code != 200:
        raise harness.BenchError(f"HTTP {response.status_code}: {response.text}")
    body = response.json()
    data = body.get("data") or {}
    chronology = data.get("chronology") or {}
    if (
        body.get("errors")
        or (data.get("case") or {}).get("__typename") != "Case"
        or chronology.get("__typename") != "Chronology"
    ):
        raise harness.BenchError(f"the CaseTimeline query answered {body}")
    return len(chronology["rows"]), len(response.content)


def table(results: Sequence[dict[str, Any]]) -> str:
    header = (
        f"{'store':<10} {'measure':<36} {'median ms':>9} {'min ms':>8} "
        f"{'max ms':>8} {'x (a)':>6}  target"
    )
    lines = [header, "-" * len(header)]
    for result in results:
        for key, m in result["measures"].items():
            verdict = (
                ""
                if key == "a"
                else f"< {m['target_ms']:.0f} ms "
                + ("met" if m["under_target"] else "MISSED")
            )
            lines.append(
                f"{result['store'] if key == 'a' else '':<10} "
                f"({key}) {m['what']:<32} {m['median_ms']:>9.1f} {m['min_ms']:>8.1f} "
                f"{m['max_ms']:>8.1f} {m['ratio_to_a']:>6.2f}  {verdict}"
            )
        c, k = result["case"], result["checks"]
        lines.append(
            f"{'':<10} case: {c['steps']} steps, {c['events']} events "
            f"({c['corrections']} corrections, {c['disputes']} disputes, "
            f"{c['retractions']} retractions); {k['rows_as_at_halfway']} rows as at "
            f"halfway; GraphQL response {k['graphql_response_bytes'] / 1024:.0f} KiB, "
            f"the workspace's {k['workspace_response_bytes'] / 1024:.0f} KiB"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    args = harness.options(argv, __doc__ or "")
    return harness.run_per_store(
        args,
        benchmark="chronology",
        heading=(
            f"Chronology of a {args.case_steps}-step case: "
            f"{', '.join(args.store_names)}; medians of {args.runs} runs"
        ),
        run_store=run_store,
        table=table,
        target_ms=TARGET_MS,
        targets_ms=TARGETS_MS,
    )


if __name__ == "__main__":
    harness.run_alone(main)
