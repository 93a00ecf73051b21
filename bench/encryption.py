"""What encryption at rest costs: recording steps, and folding a 1,000-step
chronology, with each case sealed under its own key against the same without,
on SQLite and on PostgreSQL, in one run.

For each store, two fresh stores side by side: one plaintext (no master key),
one sealed (``storage.keyring``). Measured, as medians over the runs, the plain
and sealed runs taken in turn so that load from elsewhere on the machine falls
on both alike:

(a) recording: ``journeys.record_step`` of ``STEPS_PER_RUN`` steps on one case
    (validation, the hash chain, the mapper, one insert each), as steps/s;
(b) folding: ``chronology_of(journeys.case_events(case_id))`` of a 1,000-step
    case (read, open every event, upcast, fold), in ms;
(c) mapping only: ``mapper.to_domain_event`` of the same case's stored events,
    already read, in ms: where the cost of (b) lies.

The data key is cached in memory after a case's first use, as in the API; the
first read of a case by a fresh process costs one more query to the key table.

Target: encryption costs under 20% on (a) and on (b), on each store.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from typing import Any
from uuid import UUID

from api.bootstrap import build_journeys
from api.settings import Settings
from bench import chronology, harness, samples
from domain.application import CaseJourneys
from projections.chronology import chronology_of
from storage.keyring import is_sealed

TARGET_OVERHEAD = 0.20
STEPS_PER_RUN = 200
KINDS = ("plain", "sealed")

MEASURES = {
    "a": "record a step (steps/s)",
    "b": "fold a 1,000-step chronology (ms)",
    "c": "map the case's stored events (ms)",
}


@dataclasses.dataclass
class Side:
    """One store of the pair: its application, a case to record on, and the
    1,000-step case to fold."""

    journeys: CaseJourneys
    recording_case: UUID
    folded_case: UUID
    documents: list[str]
    recorded: int = 0

    def record(self) -> None:
        for _ in range(STEPS_PER_RUN):
            step = samples.step_input(self.recorded, self.documents)
            self.journeys.record_step(
                self.recording_case, step, recorded_by=harness.ADVOCATE
            )
            self.recorded += 1

    def fold(self) -> None:
        chronology_of(self.journeys.case_events(self.folded_case))

    def stored(self) -> list[Any]:
        return list(self.journeys.recorder.select_events(self.folded_case))


@contextmanager
def pair(name: str, args: Any) -> Iterator[dict[str, Side]]:
    """A plaintext and a sealed store of the kind ``name``, each with its cases."""
    with ExitStack() as stack:
        sides: dict[str, Side] = {}
        secret = harness.new_token_secret()
        for kind in KINDS:
            url = stack.enter_context(chronology.store(name, args.postgres_url))
            settings = harness.settings_for(url, secret)
            if kind == "plain":
                settings = dataclasses.replace(settings, master_key=None)
            journeys = build_journeys(settings)
            stack.callback(journeys.close)
            sides[kind] = _side(journeys, settings, args.case_steps)
            print(
                f"  {kind:<6} {harness.describe_store(url)}: "
                f"{args.case_steps}-step case recorded",
                flush=True,
            )
        yield sides


def _side(journeys: CaseJourneys, settings: Settings, steps: int) -> Side:
    folded = chronology.build_case(journeys, steps)
    recording = journeys.open_case(
        reference="RECORDING-1",
        organisation_id=harness.ORGANISATION,
        jurisdiction="england_and_wales",
        recorded_by=harness.ADVOCATE,
    ).case_id
    documents = [
        str(
            journeys.attach_evidence(
                recording,
                title="Referral form",
                document_kind="referral",
                recorded_by=harness.ADVOCATE,
            ).id
        )
    ]
    assert (settings.master_key is not None) == _sealed(journeys, folded.case_id)
    return Side(journeys, recording, folded.case_id, documents)


def _sealed(journeys: CaseJourneys, case_id: UUID) -> bool:
    return all(is_sealed(e.state) for e in journeys.recorder.select_events(case_id))


def measure(runs: int, sides: dict[str, Side]) -> dict[str, dict[str, list[float]]]:
    """Seconds per run of each measure on each side, taken plain, sealed,
    sealed, plain, ... (one untimed run of each first)."""
    stored = {kind: side.stored() for kind, side in sides.items()}

    def mapping(kind: str) -> Callable[[], object]:
        to_domain_event = sides[kind].journeys.mapper.to_domain_event
        return lambda: [to_domain_event(e) for e in stored[kind]]

    operations = {
        kind: {"a": side.record, "b": side.fold, "c": mapping(kind)}
        for kind, side in sides.items()
    }
    for kind in KINDS:
        for operation in operations[kind].values():
            operation()
    timings: dict[str, dict[str, list[float]]] = {
        kind: {key: [] for key in MEASURES} for kind in KINDS
    }
    for run in range(runs):
        order = KINDS if run % 2 == 0 else KINDS[::-1]
        for key in MEASURES:
            for kind in order:
                started = time.perf_counter()
                operations[kind][key]()
                timings[kind][key].append(time.perf_counter() - started)
    return timings


def run_store(name: str, args: Any) -> dict[str, Any]:
    with pair(name, args) as sides:
        print(f"  measuring {args.runs} runs ...", flush=True)
        timings = measure(args.runs, sides)
        events = len(sides["sealed"].stored())
    measures: dict[str, Any] = {}
    for key, what in MEASURES.items():
        plain = harness.median(timings["plain"][key])
        sealed = harness.median(timings["sealed"][key])
        overhead = sealed / plain - 1
        # The fastest runs are the least disturbed by the rest of the machine.
        least = min(timings["sealed"][key]) / min(timings["plain"][key]) - 1
        entry: dict[str, Any] = {
            "what": what,
            "overhead": round(overhead, 3),
            "overhead_of_fastest_runs": round(least, 3),
        }
        if key == "a":
            entry.update(
                plain_steps_per_second=round(STEPS_PER_RUN / plain, 1),
                sealed_steps_per_second=round(STEPS_PER_RUN / sealed, 1),
            )
        else:
            entry.update(plain_ms=harness.ms(plain), sealed_ms=harness.ms(sealed))
        if key in ("a", "b"):
            entry["under_target"] = overhead < TARGET_OVERHEAD
        measures[key] = entry
    return {
        "store": name,
        "runs": args.runs,
        "steps_per_run": STEPS_PER_RUN,
        "folded_case_events": events,
        "measures": measures,
    }


def table(results: Sequence[dict[str, Any]]) -> str:
    header = (
        f"{'store':<9} {'measure':<36} {'plain':>10} {'sealed':>10} "
        f"{'cost':>7} {'fastest':>8}  < {TARGET_OVERHEAD:.0%}"
    )
    lines = [header, "-" * len(header)]
    for result in results:
        for key, m in result["measures"].items():
            if key == "a":
                plain, sealed = (
                    m["plain_steps_per_second"],
                    m["sealed_steps_per_second"],
                )
            else:
                plain, sealed = m["plain_ms"], m["sealed_ms"]
            verdict = (
                ""
                if "under_target" not in m
                else "met"
                if m["under_target"]
                else "MISSED"
            )
            lines.append(
                f"{result['store'] if key == 'a' else '':<9} ({key}) {m['what']:<32} "
                f"{plain:>10.1f} {sealed:>10.1f} {m['overhead']:>+7.1%} "
                f"{m['overhead_of_fastest_runs']:>+8.1%}  {verdict}"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    args = harness.options(argv, __doc__ or "")
    return harness.run_per_store(
        args,
        benchmark="encryption",
        heading=(
            f"Encryption at rest: {', '.join(args.store_names)}; medians of "
            f"{args.runs} runs, plain and sealed in turn"
        ),
        run_store=run_store,
        table=table,
        target_overhead=TARGET_OVERHEAD,
    )


if __name__ == "__main__":
    harness.run_alone(main)
