"""Writes ``docs/chronology-purposes.md``: what each purpose's chronology includes
and leaves out, and why, from the selections themselves.

Run ``python -m projections.chronology.purposes_doc`` after changing a selection
and commit the file; a test fails while it is stale.
"""

from __future__ import annotations

from pathlib import Path

from projections.chronology.selection import AREA_NAMES, SELECTIONS

DOC_FILE = Path(__file__).resolve().parents[2] / "docs" / "chronology-purposes.md"
REGENERATE = "python -m projections.chronology.purposes_doc"


def markdown() -> str:
    lines = [
        "# What each chronology includes, and what it leaves out",
        "",
        f"Generated from `projections/chronology/selection.py` by `{REGENERATE}`.",
        "Every chronology states its selection itself (`selection` in the API), "
        "with how many steps each reason left out. A step is shown unless a "
        "reason below names its area or kind.",
    ]
    for selection in SELECTIONS.values():
        areas = ", ".join(AREA_NAMES[area] for area in selection.included_areas)
        lines += [
            "",
            f"## `{selection.purpose.name}`",
            "",
            selection.includes,
            "",
            f"Areas shown: {areas}.",
        ]
        if not selection.left_out:
            lines += ["", "Leaves nothing out."]
            continue
        lines += ["", "| Left out as | Areas | Kinds | Why |", "|---|---|---|---|"]
        for entry in selection.left_out:
            left_out_areas = ", ".join(sorted(entry.areas)) or "none"
            kinds = ", ".join(f"`{kind}`" for kind in sorted(entry.kinds)) or "none"
            lines.append(
                f"| `{entry.reason.name}` | {left_out_areas} | {kinds} | {entry.why} |"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    DOC_FILE.parent.mkdir(exist_ok=True)
    DOC_FILE.write_text(markdown(), encoding="utf-8")
    print(f"wrote {DOC_FILE}")


if __name__ == "__main__":
    main()
