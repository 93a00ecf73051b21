"""Word and PDF exports of a 1,000-step chronology, on SQLite (the store matters
little: the export is rendering once the events are read).

The case is the chronology benchmark's (``bench.chronology.build_case``: every
kind, uncertain dates, sources, corrections, disputes, retractions). Measured, as
medians over the runs, taken in turn:

(a) baseline: the chronology fold alone, ``chronology_of(journeys.case_events(id))``;
(b) the Word export: ``export_chronology`` and ``write_export(..., DOCX)``;
(c) the PDF export: the same, as PDF;
(d) the CSV export, for comparison.

Target: each of the Word and PDF exports in under 1 s.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from api.bootstrap import build_journeys
from bench import harness
from bench.chronology import build_case, measure
from projections.chronology import chronology_of
from projections.exports import ExportFormat
from projections.exports.build import export_chronology
from projections.exports.files import write_export

TARGET_SECONDS = 1.0
MEASURES = {
    "a": "chronology fold alone (baseline)",
    "b": "Word export (fold + document)",
    "c": "PDF export (fold + document)",
    "d": "CSV export (fold + document)",
}


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    args = harness.options(argv, __doc__ or "")
    harness.stop_cleanly_on_sigterm()
    print(
        f"Exports of a {args.case_steps}-step chronology on SQLite; medians of "
        f"{args.runs} runs"
    )
    print(f"load average at start: {harness.load_average()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="wb-exports-") as directory:
        database_url = f"sqlite:///{Path(directory) / 'waymark.db'}"
        journeys = build_journeys(
            harness.settings_for(database_url, harness.new_token_secret())
        )
        try:
            case = build_case(journeys, args.case_steps)
            sizes: dict[str, int] = {}

            def export(export_format: ExportFormat) -> None:
                made = export_chronology(journeys, case.case_id)
                sizes[export_format.value] = len(write_export(made, export_format))

            timings = measure(
                args.runs,
                {
                    "a": lambda: chronology_of(journeys.case_events(case.case_id)),
                    "b": lambda: export(ExportFormat.DOCX),
                    "c": lambda: export(ExportFormat.PDF),
                    "d": lambda: export(ExportFormat.CSV),
                },
            )
        finally:
            journeys.close()
    baseline = harness.median(timings["a"])
    results = {
        key: {
            "what": MEASURES[key],
            "median_ms": harness.ms(harness.median(samples)),
            "p90_ms": harness.ms(harness.percentile(samples, 90)),
            "ratio_to_a": round(harness.median(samples) / baseline, 1),
        }
        for key, samples in timings.items()
    }
    for key in ("b", "c"):
        results[key]["met_target"] = harness.median(timings[key]) < TARGET_SECONDS
    print(f"load average at end: {harness.load_average()}")
    for key, result in results.items():
        print(
            f"  ({key}) {result['what']}: {result['median_ms']} ms median, "
            f"p90 {result['p90_ms']} ms, {result['ratio_to_a']}x the fold"
        )
    print(
        f"  {case.events} events; file sizes: "
        + ", ".join(f"{name} {size / 1024:.0f} KiB" for name, size in sizes.items())
    )
    data = {
        "benchmark": "exports",
        "target_seconds": TARGET_SECONDS,
        "machine": harness.machine(),
        "case_events": case.events,
        "file_bytes": sizes,
        "measures": results,
    }
    path = harness.write_results(args.results, "exports.json", data)
    print(f"\nresults: {path}")
    return data


if __name__ == "__main__":
    harness.run_alone(main)
