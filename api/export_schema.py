"""Writes the GraphQL schema (SDL) to ``schema.graphql`` at the repository root.

Run ``python -m api.export_schema`` after changing the schema, and commit the file;
``--check`` exits 1 (naming the command) when the file is out of date.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from api.graphql import build_schema

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema.graphql"
REGENERATE = "python -m api.export_schema"


def schema_sdl() -> str:
    return str(build_schema()).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="only check that the file is up to date",
    )
    parser.add_argument("--output", type=Path, default=SCHEMA_FILE)
    args = parser.parse_args(argv)
    sdl = schema_sdl()
    if args.check:
        current = args.output.read_text() if args.output.exists() else ""
        if current != sdl:
            print(f"{args.output} is out of date; run: {REGENERATE}", file=sys.stderr)
            return 1
        return 0
    args.output.write_text(sdl)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
