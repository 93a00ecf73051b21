"""Recording steps on PostgreSQL: the full GraphQL path against the bare save loop.

Baseline: ``CaseJourneys`` in this process; each client thread holds its own
``SurvivorCase`` in memory and calls ``case.record_step(reading, Provenance(...))``
then ``journeys.save(case)``: the library's write path alone (no HTTP, no GraphQL,
no reload, no validation; readings are built beforehand).

Subject: the API (``create_app`` on ``build_journeys``, one uvicorn worker, its own
process) on the same schema, sent ``recordStep`` mutations over HTTP with a bearer
token; each client thread has one kept-alive connection (``bench.light_client``:
``http.client`` and orjson, light on the shared cores) and records into its own
case.

Each concurrency level records a fixed number of steps after a warm-up, in rounds
that alternate the two paths (baseline, GraphQL, GraphQL, baseline, ...), so load
from elsewhere on the machine falls on both alike. Target: GraphQL at least half
the baseline's rate.
"""

from __future__ import annotations

import itertools
import math
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from api.bootstrap import build_journeys
from bench import harness, samples
from bench.light_client import LightClient
from domain.application import CaseJourneys, StepInput, command_digest
from domain.case import Provenance, SurvivorCase
from domain.steps import StepReading

#: Steps recorded at each level at --scale 1 (other levels: 100 per client).
STEPS = {1: 400, 8: 1600, 32: 3200}
TARGET_RATIO = 0.5
#: Bounds: clients waiting for each other to start, and one round's run.
START_TIMEOUT = 60.0
ROUND_TIMEOUT = 900.0
SAMPLE_STEPS = 64

OPEN_CASE = """
mutation Open($input: OpenCaseInput!) {
  openCase(input: $input) {
    __typename
    ... on CaseOpened { caseId }
    ... on Failure { message }
  }
}
"""

RECORD_STEP = """
mutation Record($input: RecordStepInput!) {
  recordStep(input: $input) {
    __typename
    ... on StepRecorded { caseId stepId caseVersion position replayed }
    ... on Failure { message }
  }
}
"""

Operation = Callable[[int], None]


@dataclass
class PathResult:
    """One path's figures at one level, gathered over its rounds."""

    steps: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    cpu_seconds: float = 0.0
    client_cpu_seconds: float | None = None

    @property
    def rate(self) -> float:
        return self.steps / self.seconds

    def summary(self) -> dict[str, Any]:
        figures: dict[str, Any] = {
            "steps": self.steps,
            "seconds": round(self.seconds, 3),
            "steps_per_s": round(self.rate, 1),
            "p50_ms": harness.ms(harness.percentile(self.latencies, 50)),
            "p99_ms": harness.ms(harness.percentile(self.latencies, 99)),
            "max_ms": harness.ms(max(self.latencies)),
            "cpu_ms_per_step": round(self.cpu_seconds * 1000 / self.steps, 3),
        }
        if self.client_cpu_seconds is not None:
            figures["client_cpu_ms_per_step"] = round(
                self.client_cpu_seconds * 1000 / self.steps, 3
            )
        return figures


def run_clients(
    pool: ThreadPoolExecutor, clients: int, per_client: int, operation: Operation
) -> tuple[float, list[float]]:
    """Runs ``per_client`` operations on each client at once; the wall time from
    the common start to the last finish, and every operation's latency.

    If one client fails, or the run is interrupted, the others stop early."""
    barrier = threading.Barrier(clients + 1, timeout=START_TIMEOUT)
    stop = threading.Event()

    def client(index: int) -> list[float]:
        latencies = []
        barrier.wait()
        try:
            for _ in range(per_client):
                if stop.is_set():
                    break
                started = time.perf_counter()
                operation(index)
                latencies.append(time.perf_counter() - started)
        except BaseException:
            stop.set()
            raise
        return latencies

    futures = [pool.submit(client, index) for index in range(clients)]
    try:
        barrier.wait()
        started = time.perf_counter()
        deadline = started + ROUND_TIMEOUT
        latencies: list[float] = []
        for future in futures:
            remaining = max(0.0, deadline - time.perf_counter())
            latencies += future.result(timeout=remaining)
        return time.perf_counter() - started, latencies
    except BaseException:
        stop.set()
        barrier.abort()
        raise


class Baseline:
    """Each client's case in memory: record a step on it, save it."""

    def __init__(
        self,
        journeys: CaseJourneys,
        steps: Sequence[StepInput],
        clients: int,
        idempotency_keys: bool,
    ) -> None:
        self.journeys = journeys
        today = journeys.today()
        self.steps = steps
        self.readings = [
            StepReading.from_input(
                kind=s.kind,
                occurred=s.occurred,
                summary=s.summary,
                details=s.details,
                sources=s.sources,
                order=s.order,
                today=today,
            )
            for s in steps
        ]
        self.idempotency_keys = idempotency_keys
        self.cases: list[SurvivorCase] = []
        self.counters = [itertools.count(i * 7) for i in range(clients)]
        for index in range(clients):
            opened = journeys.open_case(
                reference=f"BASE-{index:03d}",
                organisation_id=harness.ORGANISATION,
                jurisdiction="england_and_wales",
                recorded_by=harness.ADVOCATE,
            )
            case: SurvivorCase = journeys.repository.get(opened.case_id)
            assert isinstance(case, SurvivorCase)
            self.cases.append(case)

    def __call__(self, client: int) -> None:
        n = next(self.counters[client]) % len(self.readings)
        if self.idempotency_keys:
            by = Provenance(
                harness.ADVOCATE,
                idempotency_key=f"bench-{uuid.uuid4().hex}",
                command_digest=command_digest("record_step", {"step": self.steps[n]}),
            )
        else:
            by = Provenance(harness.ADVOCATE)
        case = self.cases[client]
        case.record_step(self.readings[n], by)
        self.journeys.save(case)


class GraphQL:
    """Each client's connection: send a ``recordStep`` mutation for its case."""

    def __init__(
        self,
        server: harness.ApiServer,
        token: str,
        steps: Sequence[StepInput],
        clients: int,
        idempotency_keys: bool,
    ) -> None:
        self.server = server
        self.inputs = [samples.graphql_input(s) for s in steps]
        self.idempotency_keys = idempotency_keys
        self.counters = [itertools.count(i * 7) for i in range(clients)]
        headers = {"Authorization": f"Bearer {token}"}
        address = urlsplit(server.url)
        assert address.hostname is not None and address.port is not None
        self.http = [
            LightClient(address.hostname, address.port, headers, timeout=30.0)
            for _ in range(clients)
        ]
        self.case_ids: list[UUID] = []
        for index in range(clients):
            data = self._call(
                self.http[0],
                OPEN_CASE,
                {
                    "reference": f"GQL-{index:03d}",
                    "jurisdiction": "ENGLAND_AND_WALES",
                },
            )["openCase"]
            if data["__typename"] != "CaseOpened":
                raise harness.BenchError(f"openCase answered {data}")
            self.case_ids.append(data["caseId"])

    def close(self) -> None:
        for client in self.http:
            client.close()

    def _call(
        self, http: LightClient, document: str, variables: dict[str, Any]
    ) -> dict[str, Any]:
        status, body = http.post_json(
            "/graphql", {"query": document, "variables": {"input": variables}}
        )
        if status != 200:
            raise harness.BenchError(f"HTTP {status}: {str(body)[:500]}")
        if body.get("errors"):
            raise harness.BenchError(f"GraphQL errors: {body['errors']}")
        return body["data"]  # type: ignore[no-any-return]

    def __call__(self, client: int) -> None:
        n = next(self.counters[client]) % len(self.inputs)
        variables = {"caseId": self.case_ids[client], **self.inputs[n]}
        if self.idempotency_keys:
            variables["idempotencyKey"] = f"bench-{uuid.uuid4().hex}"
        data = self._call(self.http[client], RECORD_STEP, variables)["recordStep"]
        if data["__typename"] != "StepRecorded":
            raise harness.BenchError(f"recordStep answered {data}")


def steps_for(clients: int, scale: float, rounds: int) -> tuple[int, int]:
    """(steps per client per round, steps in all) for a level."""
    wanted = STEPS.get(clients, max(400, 100 * clients)) * scale
    per_client = max(1, math.ceil(wanted / (clients * rounds)))
    return per_client, per_client * clients * rounds


def run_level(
    clients: int,
    args: Any,
    journeys: CaseJourneys,
    server: harness.ApiServer,
    token: str,
    steps: Sequence[StepInput],
) -> dict[str, Any]:
    per_client, total = steps_for(clients, args.scale, args.rounds)
    warm_up = max(2, math.ceil(0.1 * total / clients))
    baseline = Baseline(journeys, steps, clients, args.idempotency_keys)
    graphql = GraphQL(server, token, steps, clients, args.idempotency_keys)
    results = {"baseline": PathResult(), "graphql": PathResult()}
    try:
        with ThreadPoolExecutor(clients, thread_name_prefix="client") as pool:
            run_clients(pool, clients, warm_up, baseline)
            run_clients(pool, clients, warm_up, graphql)
            for round_ in range(args.rounds):
                order = ("baseline", "graphql")
                for name in order if round_ % 2 == 0 else reversed(order):
                    result = results[name]
                    cpu = time.process_time()
                    server_cpu = server.cpu_seconds()
                    seconds, latencies = run_clients(
                        pool,
                        clients,
                        per_client,
                        baseline if name == "baseline" else graphql,
                    )
                    result.steps += per_client * clients
                    result.seconds += seconds
                    result.latencies += latencies
                    if name == "baseline":
                        result.cpu_seconds += time.process_time() - cpu
                    else:
                        result.cpu_seconds += server.cpu_seconds() - server_cpu
                        result.client_cpu_seconds = (
                            result.client_cpu_seconds or 0.0
                        ) + (time.process_time() - cpu)
    finally:
        graphql.close()
    ratio = results["graphql"].rate / results["baseline"].rate
    return {
        "clients": clients,
        "steps": total,
        "warm_up_steps_per_client": warm_up,
        "baseline": results["baseline"].summary(),
        "graphql": results["graphql"].summary(),
        "ratio": round(ratio, 3),
        "target_ratio": TARGET_RATIO,
        "meets_target": ratio >= TARGET_RATIO,
    }


def table(levels: list[dict[str, Any]]) -> str:
    header = (
        f"{'clients':>7} {'steps':>6} | {'baseline/s':>10} {'p50 ms':>7} "
        f"{'p99 ms':>7} | {'GraphQL/s':>9} {'p50 ms':>7} {'p99 ms':>7} | "
        f"{'ratio':>5}  target"
    )
    lines = [header, "-" * len(header)]
    for level in levels:
        b, g = level["baseline"], level["graphql"]
        verdict = "met" if level["meets_target"] else "MISSED"
        lines.append(
            f"{level['clients']:>7} {level['steps']:>6} | {b['steps_per_s']:>10.1f} "
            f"{b['p50_ms']:>7.2f} {b['p99_ms']:>7.2f} | {g['steps_per_s']:>9.1f} "
            f"{g['p50_ms']:>7.2f} {g['p99_ms']:>7.2f} | {level['ratio']:>5.2f}  "
            f">= {TARGET_RATIO} {verdict}"
        )
    lines.append("")
    lines.append(
        "CPU ms per step: baseline (this process) / GraphQL server / GraphQL clients"
    )
    for level in levels:
        b, g = level["baseline"], level["graphql"]
        lines.append(
            f"{level['clients']:>7} clients: {b['cpu_ms_per_step']:.2f} / "
            f"{g['cpu_ms_per_step']:.2f} / {g['client_cpu_ms_per_step']:.2f}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    args = harness.options(argv, __doc__ or "")
    harness.stop_cleanly_on_sigterm()
    context = harness.machine()
    steps = [samples.step_input(i) for i in range(SAMPLE_STEPS)]
    secret = harness.new_token_secret()
    with harness.fresh_schema(args.postgres_url, "steps") as database_url:
        settings = harness.settings_for(database_url, secret)
        store = harness.describe_store(database_url)
        print(f"Recording steps: {store}; scale {args.scale}, {args.rounds} rounds")
        print(f"load average at start: {harness.load_average()}", flush=True)
        journeys = build_journeys(settings)  # creates the tables first
        try:
            profile = harness.server_profile(args, "record_steps")
            with harness.api_server(database_url, secret, profile) as server:
                token = harness.advocate_token(settings)
                levels = []
                for clients in args.levels:
                    print(f"  {clients} client(s) ...", flush=True)
                    levels.append(
                        run_level(clients, args, journeys, server, token, steps)
                    )
        finally:
            journeys.close()
    print(f"load average at end: {harness.load_average()}")
    print()
    print(table(levels))
    results = {
        "benchmark": "record_steps",
        "store": "postgres",
        "scale": args.scale,
        "rounds": args.rounds,
        "idempotency_keys": args.idempotency_keys,
        "machine": context,
        "load_average_at_end": harness.load_average(),
        "levels": levels,
    }
    path = harness.write_results(args.results, "record_steps.json", results)
    print(f"\nresults: {path}")
    return results


if __name__ == "__main__":
    harness.run_alone(main)
