"""Writes ``docs/htcds.md`` from the mapping table; ``--check`` exits 1 when the
committed file is stale.

    python -m interchange.htcds.document [--check]
"""

from __future__ import annotations

import sys
from pathlib import Path

from interchange.htcds.fields import document

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "htcds.md"
REGENERATE = "python -m interchange.htcds.document"


def main(argv: list[str]) -> int:
    text = document()
    if "--check" in argv:
        if not DOCUMENT.exists() or DOCUMENT.read_text() != text:
            print(f"{DOCUMENT.name} is stale: regenerate it with `{REGENERATE}`")
            return 1
        return 0
    DOCUMENT.write_text(text)
    print(f"wrote {DOCUMENT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
