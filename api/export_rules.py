"""Writes the legal clocks' rules table to ``docs/rules.md``.

Run ``python -m api.export_rules`` after changing a rule, and commit the file;
``--check`` exits 1 (naming the command) when the file is out of date.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from api.settings import clock_setting
from domain.clocks import DEFAULT_RULES
from domain.clocks.document import rules_document

RULES_FILE = Path(__file__).resolve().parent.parent / "docs" / "rules.md"
REGENERATE = "python -m api.export_rules"


def rules_markdown() -> str:
    """The page for the rules as the code has them (not as settings change them:
    the page gives each rule's own period and names its setting)."""
    return rules_document(DEFAULT_RULES, lambda rule: clock_setting(rule.id))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="only check that the file is up to date",
    )
    parser.add_argument("--output", type=Path, default=RULES_FILE)
    args = parser.parse_args(argv)
    page = rules_markdown()
    if args.check:
        current = args.output.read_text() if args.output.exists() else ""
        if current != page:
            print(f"{args.output} is out of date; run: {REGENERATE}", file=sys.stderr)
            return 1
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(page)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
