"""``python -m bench.reliability [--short] [options]``: the reliability run.

Waymark on PostgreSQL as deployed (several ``waymark serve`` workers and a
``waymark project`` worker, each its own process, on 127.0.0.1, in a fresh
schema) under concurrent clients for a bounded time, with a ``kill -9`` of an
API worker and of the projection worker mid-load (and a PostgreSQL restart only
with ``--restart-postgres``); then checks the log, the chains and the views,
fuzzes the API from schema.graphql and tries the abuse cases. Prints a summary,
writes JSON to bench/results/, and exits 1 if any check failed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from api.auth import mint_token
from api.bootstrap import build_journeys
from bench import harness
from bench.reliability import abuse, checks, cluster, fuzz, load
from bench.reliability.checks import Check
from bench.reliability.monitor import VIEWS, Monitor

#: At most this long without a line of progress (CI needs one every 30 s).
PROGRESS_SECONDS = 10.0
RETRY_GRACE = 30.0
CONVERGE_SECONDS = 60.0
PROJECTOR_PAUSE = 2.0
REBUILD_ATTEMPTS = 4


def options(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bin/reliability", description=__doc__)
    parser.add_argument(
        "--short", action="store_true", help="the CI form: 60 s of load, 300 fuzz cases"
    )
    parser.add_argument(
        "--seconds",
        type=float,
        default=None,
        help="seconds of load (default 600; 60 with --short)",
    )
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--api-workers", type=int, default=3)
    parser.add_argument(
        "--fuzz-cases",
        type=int,
        default=None,
        help="fuzz cases (default 2000; 300 with --short)",
    )
    parser.add_argument(
        "--fuzz-seconds",
        type=float,
        default=None,
        help="time bound on fuzzing (default 900; 150 with --short)",
    )
    parser.add_argument(
        "--seed", type=int, default=10, help="the fuzz cases' seed (default 10)"
    )
    parser.add_argument(
        "--restart-postgres",
        action="store_true",
        help="also restart, mid-load, the local cluster serving the database's "
        "port (pg_ctlcluster); only where this run owns it: others using it are "
        "cut off",
    )
    parser.add_argument(
        "--postgres-url",
        default=None,
        help="the database (default WAYMARK_BENCH_POSTGRES_URL, else "
        "WAYMARK_TEST_POSTGRES_URL, else the local test database)",
    )
    args = parser.parse_args(argv)
    args.seconds = args.seconds or (60.0 if args.short else 600.0)
    args.fuzz_cases = args.fuzz_cases or (300 if args.short else 2000)
    args.fuzz_seconds = args.fuzz_seconds or (150.0 if args.short else 900.0)
    if not 1 <= args.clients <= 256 or not 2 <= args.api_workers <= 8:
        parser.error("--clients 1..256 and --api-workers 2..8")
    if not 5 <= args.seconds <= 24 * 3600:
        parser.error("--seconds from 5 to 86400")
    return args


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


@contextlib.contextmanager
def heartbeat(label: str) -> Iterator[None]:
    """Says every ``PROGRESS_SECONDS`` that ``label`` is still under way, so a
    long step (a rebuild, a wait for the views) never leaves the run silent."""
    done = threading.Event()
    started = time.monotonic()

    def beat() -> None:
        while not done.wait(PROGRESS_SECONDS):
            say(f"{label}: still under way ({time.monotonic() - started:.0f} s)")

    beating = threading.Thread(target=beat, name="heartbeat", daemon=True)
    beating.start()
    try:
        yield
    finally:
        done.set()
        beating.join()


@dataclass
class Fault:
    name: str
    at: float
    fault: float | None = None
    recovered: float | None = None
    seconds_to_recover: float | None = None
    skipped: str | None = None


@contextlib.contextmanager
def logs_directory() -> Iterator[str]:
    """Where the workers run and write their logs: bench/results/reliability-logs,
    emptied first, kept afterwards for reading."""
    directory = harness.RESULTS / "reliability-logs"
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    yield str(directory)


def main(argv: list[str]) -> int:
    args = options(argv)
    base_url = args.postgres_url or os.environ.get(
        "WAYMARK_BENCH_POSTGRES_URL",
        os.environ.get("WAYMARK_TEST_POSTGRES_URL", harness.DEFAULT_POSTGRES_URL),
    )
    args.database_url = base_url
    run = f"rel{uuid.uuid4().hex[:8]}"
    results: dict[str, Any] = {
        "form": "short" if args.short else "full",
        "run": run,
        "options": {
            k: v
            for k, v in vars(args).items()
            if k not in {"postgres_url", "database_url"}
        },
        "machine": harness.machine(),
    }
    with (
        harness.fresh_schema(base_url, "reliability") as database_url,
        logs_directory() as workdir,
    ):
        schema = parse_qs(urlsplit(database_url).query)["schema"][0]
        secret = harness.new_token_secret()
        settings = harness.settings_for(database_url, secret)
        env = cluster.service_env(database_url, secret)
        apis = [
            cluster.api_worker(f"api-{i}", env, Path(workdir))
            for i in range(args.api_workers)
        ]
        projector = cluster.projection_worker(env, Path(workdir))
        abuser = cluster.api_worker("api-abuse", env, Path(workdir))
        services = [*apis, projector]
        journeys = build_journeys(settings)
        monitor = Monitor(base_url, schema)
        try:
            say(
                f"schema {schema}: starting {len(apis)} API workers and the "
                "projection worker"
            )
            for service in services:
                service.start_ready()
            monitor.start()
            all_checks = run_all(
                args,
                run,
                settings,
                apis,
                projector,
                abuser,
                journeys,
                monitor,
                base_url,
                schema,
                env,
                workdir,
                results,
            )
        finally:
            monitor.stop()
            for service in [*services, abuser]:
                service.stop()
            journeys.close()
    results["checks"] = [asdict(c) for c in all_checks]
    failed = [c for c in all_checks if not c.passed]
    name = "reliability-short.json" if args.short else "reliability.json"
    path = harness.write_results(harness.RESULTS, name, results)
    print()
    print(summary(results, all_checks))
    print(
        f"\nResults: {path.relative_to(harness.ROOT)}; the workers' logs in "
        "bench/results/reliability-logs/"
    )
    print(f"reliability: {len(all_checks) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


def run_all(
    args: argparse.Namespace,
    run: str,
    settings: Any,
    apis: list[cluster.Service],
    projector: cluster.Service,
    abuser: cluster.Service,
    journeys: Any,
    monitor: Monitor,
    base_url: str,
    schema: str,
    env: dict[str, str],
    workdir: str,
    results: dict[str, Any],
) -> list[Check]:
    all_checks: list[Check] = []
    services = [*apis, projector]
    tokens = [
        mint_token(
            settings,
            subject=f"adv-rel-{i}",
            role="advocate",
            organisation_id=f"org-rel-{i % load.ORGANISATIONS}",
        )
        for i in range(args.clients)
    ]
    # The load, with its faults
    start = time.monotonic()
    faults = [
        Fault("kill -9 of an API worker", 0.25),
        Fault("kill -9 of the projection worker", 0.5),
        Fault("PostgreSQL restart", 0.75),
    ]
    say(
        f"load: {args.clients} clients for {args.seconds:.0f} s over "
        f"{len(apis)} API workers"
    )
    servers = load.Servers([api.url for api in apis])
    stop = load.Stop(RETRY_GRACE)
    tally, threads = load.run_clients(args.clients, run, tokens, servers, stop)
    last = time.monotonic()
    pending = list(faults)
    # Until the time is up and every fault is injected (a slow restart on a
    # busy machine must not push a fault past the end).
    while pending or time.monotonic() - start < args.seconds:
        now = time.monotonic()
        if pending and now - start >= pending[0].at * args.seconds:
            inject(pending.pop(0), args, apis, projector, services)
        for service in services:
            code = service.exited_by_itself()
            if code is not None:
                say(
                    f"{service.name} exited by itself ({code}); restarting it:\n"
                    f"{service.tail(8)}"
                )
                service.start_ready()
        if now - last >= PROGRESS_SECONDS:
            last = now
            progress(tally, monitor, now - start)
        time.sleep(0.1)
    stop.now()
    load_end = time.monotonic()
    say("load: time is up; waiting for the clients' last commands")
    for thread in threads:
        while thread.is_alive():
            thread.join(PROGRESS_SECONDS)
            if thread.is_alive():
                progress(tally, monitor, time.monotonic() - start)
    final_position = journeys.log_position()
    say(f"load: waiting for the views to reach the log's end ({final_position})")
    with heartbeat("load: waiting for the views"):
        converged = monitor.wait_for(final_position, CONVERGE_SECONDS)
    settled = time.monotonic()
    results["load"] = load_figures(tally, load_end - start)
    results["faults"] = fault_figures(faults, monitor)
    results["final_convergence_seconds"] = (
        round(settled - load_end, 2) if converged else None
    )
    all_checks.append(
        Check(
            "every view converged after each fault and at the end",
            converged
            and all(
                entry.get("skipped")
                or all(
                    v is not None
                    for v in entry.get(
                        "converged_seconds_after_fault", {None: None}
                    ).values()
                )
                for entry in results["faults"]
            ),
            f"views at the log's end ({final_position}) "
            + (
                f"{settled - load_end:.1f} s after the load"
                if converged
                else f"not within {CONVERGE_SECONDS:.0f} s"
            ),
        )
    )
    for service in services:
        if service.exited_by_itself() is not None:
            say(f"{service.name} exited by itself after the load:\n{service.tail(8)}")
    exits = {
        s.name: list(zip(s.unexpected_exits, s.exit_reasons, strict=True))
        for s in services
        if s.unexpected_exits
    }
    all_checks.append(
        Check(
            "no worker exited unless killed",
            not exits,
            f"unexpected exits: {exits}" if exits else "none",
        )
    )
    # The log, the chains, the views; the load's other API workers are done,
    # and their connections go back for the rebuild
    for api in apis[1:]:
        api.stop()
    say("checks: the log against every command sent")
    with heartbeat("checks: reading the log"):
        command_checks, figures = checks.check_commands(
            tally.commands, checks.logged_keys(journeys, run + "-")
        )
    results["commands"] = figures
    all_checks += command_checks
    say("checks: every chain")
    with heartbeat("checks: verifying the chains"):
        all_checks.append(checks.check_chains(journeys))
    say("checks: every view against a rebuild from the log")
    with heartbeat("checks: rebuilding the views"):
        all_checks += rebuild_checks(base_url, schema, env, workdir)
    # Fuzzing, on the first API worker alone
    acknowledged = [c for c in tally.commands if c.outcome == "acknowledged"]
    known = sorted({c.result_id for c in acknowledged if c.result_id})[:300]
    cases = [
        c.result_id
        for c in acknowledged
        if c.name == "openCase" and c.client == 0 and c.result_id
    ]
    organisation = "org-rel-0"
    role_tokens = {
        role: mint_token(
            settings,
            subject=f"fuzz-{role}",
            role=role,
            organisation_id=organisation
            if role in {"advocate", "manager", "counsel"}
            else None,
        )
        for role in ("advocate", "manager", "counsel", "evaluator", "administrator")
    }
    say(f"fuzz: up to {args.fuzz_cases} cases from schema.graphql, every role")
    fuzzed = fuzz.fuzz(
        apis[0].url,
        role_tokens,
        known,
        journeys.log_position,
        cases=args.fuzz_cases,
        seconds=args.fuzz_seconds,
        seed_value=args.seed,
        progress=say,
    )
    results["fuzz"] = {
        "cases": fuzzed.cases,
        "queries": fuzzed.queries,
        "mutations": fuzzed.mutations,
        "seconds": round(fuzzed.seconds, 1),
        "statuses": dict(fuzzed.statuses),
        "answers": dict(fuzzed.answers.most_common()),
        "failures": dict(fuzzed.failures),
        "examples": fuzzed.examples,
    }
    for kind in (
        "5xx",
        "masked unexpected error",
        "refused command recorded",
        "unanswered",
        "connection failed",
    ):
        count = fuzzed.failures.get(kind, 0)
        example = next((e for e in fuzzed.examples if e["kind"] == kind), None)
        all_checks.append(
            Check(
                f"fuzz: no {kind} case" if kind == "unanswered" else f"fuzz: no {kind}",
                count == 0,
                f"{count} of {fuzzed.cases} cases"
                + (
                    f"; e.g. as {example['role']}: {example['detail'][:160]}"
                    if example
                    else ""
                ),
            )
        )
    all_checks.append(
        Check(
            "fuzz: ran the cases asked for",
            fuzzed.cases >= min(args.fuzz_cases, 50),
            f"{fuzzed.cases} cases ({fuzzed.queries} queries, {fuzzed.mutations} "
            f"mutations) in {fuzzed.seconds:.0f} s",
        )
    )
    # The abuse cases
    say("abuse: each case against a worker of its own, /healthz probed")
    abuser.start_ready()

    def restart_abuser() -> None:
        abuser.kill9()
        abuser.start_ready()

    abused = abuse.run_abuse(
        abuser.url,
        role_tokens["advocate"],
        cases[0] if cases else str(uuid.uuid4()),
        journeys.log_position,
        restart_abuser,
        say,
    )
    results["abuse"] = [asdict(a) for a in abused]
    for case in abused:
        all_checks.append(
            Check(
                f"abuse: {case.name}",
                case.passed,
                (f"{case.seconds:.2f} s, " if case.seconds is not None else "")
                + f"{case.answer}; /healthz worst "
                + (
                    f"{case.healthz_worst:.2f} s"
                    if case.healthz_worst is not None
                    else "-"
                )
                + ("; " + "; ".join(case.problems) if case.problems else ""),
            )
        )
    # Whatever the log accepted, the views must keep up with
    target = journeys.log_position()
    with heartbeat("checks: waiting for the views"):
        kept_up = monitor.wait_for(target, 30.0)
    code = projector.exited_by_itself()
    latest = monitor.latest()
    all_checks.append(
        Check(
            "the views keep up with everything the log accepted (after fuzzing)",
            kept_up and code is None,
            f"log at {target}; views at {latest.views if latest else '?'}"
            + (
                f"; the projection worker exited ({code}): {projector.tail(3)}"
                if code is not None
                else ""
            ),
        )
    )
    return all_checks


def rebuild_checks(
    base_url: str, schema: str, env: dict[str, str], workdir: str
) -> list[Check]:
    """The views against a rebuild, tried again (four times in all) when the
    database refuses a connection: a PostgreSQL shared with other test runs can
    run out of them, which says nothing of the views."""
    for attempt in range(1, REBUILD_ATTEMPTS + 1):
        try:
            return checks.check_views_rebuild(base_url, schema, env, workdir)
        except Exception as error:  # the rebuild itself failed: say why
            refused = "too many clients" in str(error) or "connection" in str(error)
            if not refused or attempt == REBUILD_ATTEMPTS:
                return [
                    Check(
                        "the views equal a rebuild from the log",
                        False,
                        f"the rebuild failed: {' '.join(str(error).split())[:300]}",
                    )
                ]
            say(f"checks: the rebuild could not connect ({attempt}); again in 10 s")
            time.sleep(10)
    raise AssertionError("unreachable")


def inject(
    fault: Fault,
    args: argparse.Namespace,
    apis: list[cluster.Service],
    projector: cluster.Service,
    services: list[cluster.Service],
) -> None:
    fault.fault = time.monotonic()
    if fault.name.startswith("kill -9 of an API"):
        victim = apis[1]
        say(
            f"fault: kill -9 {victim.name} (pid "
            f"{victim.process.pid if victim.process else '?'}); restarting it"
        )
        victim.kill9()
        fault.recovered = time.monotonic()
        fault.seconds_to_recover = victim.start_ready()
    elif fault.name.startswith("kill -9 of the projection"):
        say(
            f"fault: kill -9 the projection worker; restarting it in "
            f"{PROJECTOR_PAUSE:.0f} s"
        )
        projector.kill9()
        time.sleep(PROJECTOR_PAUSE)
        fault.recovered = time.monotonic()
        fault.seconds_to_recover = projector.start_ready()
    elif not args.restart_postgres:
        fault.skipped = (
            "not asked for (--restart-postgres): other processes may "
            "share this PostgreSQL"
        )
        say(f"fault: PostgreSQL restart skipped: {fault.skipped}")
    else:
        say("fault: restarting PostgreSQL (pg_ctlcluster ... restart)")
        port = urlsplit(args.database_url).port or 5432
        fault.seconds_to_recover = cluster.restart_postgres(port)
        fault.recovered = time.monotonic()
        for service in services:
            code = service.exited_by_itself()
            if code is not None:
                say(f"{service.name} exited ({code}) with the database; restarting it")
                service.start_ready()


def progress(tally: load.Tally, monitor: Monitor, elapsed: float) -> None:
    commands = list(tally.commands)
    acked = sum(1 for c in commands if c.outcome == "acknowledged")
    retried = sum(1 for c in commands if c.attempts > 1)
    latest = monitor.latest()
    where = (
        f"log {latest.log}, " + ", ".join(f"{v} {p}" for v, p in latest.views.items())
        if latest
        else "positions unknown"
    )
    say(
        f"load {elapsed:.0f} s: {acked} acknowledged of {len(commands)} sent, "
        f"{retried} retried, {len(tally.read_seconds)} reads; {where}"
    )


def load_figures(tally: load.Tally, seconds: float) -> dict[str, Any]:
    acked = [c for c in tally.commands if c.outcome == "acknowledged"]
    latencies = [c.seconds for c in acked]
    reads = tally.read_seconds
    return {
        "seconds": round(seconds, 1),
        "commands_per_second": round(len(acked) / seconds, 1),
        "reads_per_second": round(len(reads) / seconds, 1),
        "command_p50_ms": harness.ms(harness.percentile(latencies, 50))
        if latencies
        else None,
        "command_p99_ms": harness.ms(harness.percentile(latencies, 99))
        if latencies
        else None,
        "read_p50_ms": harness.ms(harness.percentile(reads, 50)) if reads else None,
        "read_p99_ms": harness.ms(harness.percentile(reads, 99)) if reads else None,
        "reads": len(reads),
        "read_failures": len(tally.read_failures),
        "by_command": {
            name: sum(1 for c in acked if c.name == name) for name in load.SUCCESS
        },
    }


def fault_figures(faults: list[Fault], monitor: Monitor) -> list[dict[str, Any]]:
    figures = []
    for fault in faults:
        entry: dict[str, Any] = {"fault": fault.name, "skipped": fault.skipped}
        if fault.fault is not None and fault.recovered is not None:
            target = monitor.log_at(fault.recovered)
            entry["recovery_seconds"] = (
                round(fault.seconds_to_recover, 2)
                if fault.seconds_to_recover is not None
                else None
            )
            entry["log_position_at_recovery"] = target
            entry["converged_seconds_after_fault"] = {
                view: (round(at - fault.fault, 2) if at is not None else None)
                for view in VIEWS
                for at in [monitor.converged(view, target, fault.recovered)]
            }
        figures.append(entry)
    return figures


def summary(results: dict[str, Any], all_checks: list[Check]) -> str:
    lines = [f"Reliability run ({results['form']}), {results['run']}"]
    figures = results.get("commands", {})
    loaded = results.get("load", {})
    lines.append(
        f"  commands: {figures.get('sent')} sent, {figures.get('acknowledged')} "
        f"acknowledged, {figures.get('in_log')} in the log, "
        f"{figures.get('duplicates')} duplicates, {figures.get('lost')} lost, "
        f"{figures.get('refused')} refused, "
        f"{figures.get('gave_up')} given up; {figures.get('retried')} retried, "
        f"{figures.get('replayed')} answered as replays"
    )
    lines.append(
        f"  throughput: {loaded.get('commands_per_second')} commands/s, "
        f"{loaded.get('reads_per_second')} chronology reads/s over "
        f"{loaded.get('seconds')} s; commands p50 {loaded.get('command_p50_ms')} ms, "
        f"p99 {loaded.get('command_p99_ms')} ms; "
        f"reads p50 {loaded.get('read_p50_ms')} ms, "
        f"p99 {loaded.get('read_p99_ms')} ms ({loaded.get('read_failures')} failed)"
    )
    for fault in results.get("faults", []):
        if fault.get("skipped"):
            lines.append(f"  {fault['fault']}: skipped ({fault['skipped']})")
            continue
        converged = ", ".join(
            f"{view} {seconds if seconds is not None else 'never'} s"
            for view, seconds in fault.get("converged_seconds_after_fault", {}).items()
        )
        lines.append(
            f"  {fault['fault']}: back in {fault.get('recovery_seconds')} s; views "
            f"converged (after the fault) {converged}"
        )
    lines.append(
        f"  views at the log's end {results.get('final_convergence_seconds')} s "
        "after the load"
    )
    fuzzed = results.get("fuzz", {})
    lines.append(
        f"  fuzz: {fuzzed.get('cases')} cases ({fuzzed.get('queries')} queries, "
        f"{fuzzed.get('mutations')} mutations) in {fuzzed.get('seconds')} s; statuses "
        f"{fuzzed.get('statuses')}; answers {fuzzed.get('answers')}"
    )
    lines.append("")
    width = max(len(c.name) for c in all_checks)
    for check in all_checks:
        mark = "ok  " if check.passed else "FAIL"
        lines.append(f"  {mark} {check.name.ljust(width)}  {check.detail}")
    return "\n".join(lines)


def entry(run: Callable[[list[str]], int]) -> None:
    try:
        sys.exit(run(sys.argv[1:]))
    except harness.BenchError as error:
        sys.exit(f"error: {error}")
    except KeyboardInterrupt:
        sys.exit("interrupted; the workers were stopped and the schema dropped")


if __name__ == "__main__":
    entry(main)
