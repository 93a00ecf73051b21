"""``python -m bench [NAME|all] [options]``: runs them (NAME: record_steps,
chronology, caseload, evaluation, exports, encryption).

Options go to every benchmark run (``--help`` lists them); each uses those it needs.
"""

from __future__ import annotations

import sys

from bench import (
    caseload,
    chronology,
    encryption,
    evaluation,
    exports,
    harness,
    record_steps,
)

BENCHMARKS = {
    "record_steps": record_steps.main,
    "chronology": chronology.main,
    "caseload": caseload.main,
    "evaluation": evaluation.main,
    "exports": exports.main,
    "encryption": encryption.main,
}


def main(argv: list[str]) -> int:
    names = list(BENCHMARKS)
    if argv and not argv[0].startswith("-"):
        if argv[0] not in (*BENCHMARKS, "all"):
            print(
                f"error: no benchmark {argv[0]!r}; choose from "
                f"{', '.join(BENCHMARKS)} or all",
                file=sys.stderr,
            )
            return 2
        names = names if argv[0] == "all" else [argv[0]]
        argv = argv[1:]
    harness.options(argv, __doc__ or "")  # fail on bad options before any run
    for index, name in enumerate(names):
        if index:
            print()
        try:
            BENCHMARKS[name](argv)
        except harness.BenchError as error:
            print(f"error: {name}: {error}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        print(
            "interrupted; the server was stopped and the schema dropped",
            file=sys.stderr,
        )
        sys.exit(130)
