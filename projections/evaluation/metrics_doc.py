"""Writes every evaluation metric's definition, as published beside its figures,
to ``docs/metrics.md``: generated from ``projections.evaluation.metrics`` so the
document cannot say other than the code counts.

Run ``python -m projections.evaluation.metrics_doc`` after changing a definition,
and commit the file; ``--check`` exits 1 (naming the command) when it is stale.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from projections.evaluation.disclosure import DEFAULT_THRESHOLD
from projections.evaluation.metrics import DEFINITIONS, Definition
from projections.evaluation.view import VERSION

METRICS_DOC = Path(__file__).resolve().parents[2] / "docs" / "metrics.md"
REGENERATE = "python -m projections.evaluation.metrics_doc"

_INTRODUCTION = f"""\
# Evaluation metrics

What each evaluation figure counts, in the words published beside it (the
GraphQL query `evaluationDefinitions` returns the same text). Generated from the
definitions in the code by `{REGENERATE}`; do not edit by hand.

Every figure is counted over a period (both its first and last days included)
and over clients: cases whose survivor consents to inclusion in evaluation. A
consent given late counts the case's whole journey; a withdrawal removes the
case from every figure, for every period. Every day is the day a thing
happened as recorded, never the day it was typed: a case opens on the day
advocacy began (`openedOn`), a step is dated by the earliest day its date can
mean (so it falls in exactly one of a run of consecutive periods), and an
undated step counts in no period.

A client is placed in a breakdown by where the case stood on the period's last
day; its region is its local authority's, from the Office for National
Statistics' lookup of local authority districts to regions (kept, with its
source and edition, in `domain/data/places`), a former district's being its
successor's; where the authority is not known, Scotland and Northern Ireland
are regions of their own and any other case's region is `Unknown`.

Counts below the disclosure threshold (by default {DEFAULT_THRESHOLD}) are
suppressed, with any count from which a suppressed one could be recovered; a
share, amount or duration is published only beside its published counts.

These are version {VERSION} of the definitions: a view of evaluation figures
written under another version is written again from the log when it is next
opened.
"""


def _section(definition: Definition) -> str:
    lines = [
        f"## `{definition.metric.value}`",
        "",
        f"- **Counts:** {definition.numerator}",
        f"- **Within:** {definition.denominator}",
    ]
    if definition.notes:
        lines.append(f"- **Notes:** {definition.notes}")
    if definition.source:
        lines.append(f"- **Follows:** {definition.source}.")
    return "\n".join(lines) + "\n"


def metrics_markdown() -> str:
    return "\n".join([_INTRODUCTION, *(_section(d) for d in DEFINITIONS)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="only check that the file is current"
    )
    parser.add_argument("--output", type=Path, default=METRICS_DOC)
    args = parser.parse_args(argv)
    text = metrics_markdown()
    if args.check:
        current = args.output.read_text() if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date; run: {REGENERATE}", file=sys.stderr)
            return 1
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
