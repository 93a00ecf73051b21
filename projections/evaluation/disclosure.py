"""Disclosure control: which counts of a table may be published.

A table is a set of *cells* (the total, and one per value of each requested
breakdown), each the union of some *fine cells* (the cross of every breakdown
requested), and *measures* counted in every cell (clients; a metric's numerator
and denominator; the number of durations). A count says something about each
person it counts, so:

1. **Small counts.** Any count below the threshold is suppressed, zero too (a
   zero says every member of a group lacks the outcome).
2. **Complements.** A numerator whose denominator is published is suppressed if
   the people it leaves out (denominator - numerator) number 1 to threshold - 1.
3. **Nested cells.** Where one cell lies inside another (a local authority in its
   region, a breakdown's cell in the total), the difference of two published
   counts is a count too: 1 to threshold - 1 suppresses the inner cell.
4. **Partitions.** Where a breakdown's cells make up a published cell, the
   suppressed ones can be summed by subtraction: so never exactly one of them,
   and never a group summing to 1 to threshold - 1. Another (the smallest
   published) is suppressed until that holds, or, with none left, the whole.
   If the whole is suppressed but every part published, the whole could be
   added up: the smallest part is suppressed.

The rules run until none suppresses anything more. A share, an amount or a
quartile is published only beside its published counts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Cell = Any

DEFAULT_THRESHOLD = 10


@dataclass(frozen=True)
class Measure:
    name: str
    counts: Mapping[Cell, int]
    #: The measure this one counts a subset of, cell by cell (a numerator's
    #: denominator), if any.
    within: str | None = None


@dataclass(frozen=True)
class Layout:
    """The table's cells: each cell's fine cells, and the groups of cells that
    each come from one breakdown."""

    fine_cells: Mapping[Cell, frozenset[int]]
    groups: Sequence[Sequence[Cell]]
    #: (outer, inner) and (whole, parts), where the caller knows them; else
    #: worked out from the fine cells.
    nested: Sequence[tuple[Cell, Cell]] | None = None
    partitions: Sequence[tuple[Cell, Sequence[Cell]]] | None = None


def suppressed(
    measures: Sequence[Measure], layout: Layout, threshold: int
) -> set[tuple[str, Cell]]:
    """The (measure, cell) counts that must not be published."""
    hidden: set[tuple[str, Cell]] = {
        (m.name, cell)
        for m in measures
        for cell, count in m.counts.items()
        if count < threshold
    }
    by_name = {m.name: m for m in measures}
    nested = layout.nested if layout.nested is not None else _nested_pairs(layout)
    partitions = (
        layout.partitions if layout.partitions is not None else _partitions(layout)
    )

    def small(difference: int) -> bool:
        return 0 < difference < threshold

    changed = True
    while changed:
        changed = False

        def hide(name: str, cell: Cell) -> None:
            nonlocal changed
            if (name, cell) not in hidden:
                hidden.add((name, cell))
                changed = True

        for m in measures:
            shown = {c for c in m.counts if (m.name, c) not in hidden}
            if m.within is not None:
                whole = by_name[m.within]
                for cell in shown:
                    if (m.within, cell) not in hidden and small(
                        whole.counts[cell] - m.counts[cell]
                    ):
                        hide(m.name, cell)
            for outer, inner in nested:
                if (
                    outer in shown
                    and inner in shown
                    and small(m.counts[outer] - m.counts[inner])
                ):
                    hide(m.name, inner)
            for whole_cell, parts in partitions:
                _partition(m, whole_cell, parts, hidden, hide, small)
    return hidden


def _partition(
    m: Measure,
    whole: Cell,
    parts: Sequence[Cell],
    hidden: set[tuple[str, Cell]],
    hide: Callable[[str, Cell], None],
    small: Callable[[int], bool],
) -> None:
    published = [p for p in parts if (m.name, p) not in hidden]
    if (m.name, whole) in hidden:
        if published and len(published) == len(parts):
            hide(m.name, min(published, key=lambda p: (m.counts[p], str(p))))
        return
    concealed = [p for p in parts if (m.name, p) in hidden]
    if not concealed:
        return
    total = sum(m.counts[p] for p in concealed)
    if len(concealed) == 1 or small(total):
        if published:
            hide(m.name, min(published, key=lambda p: (m.counts[p], str(p))))
        else:
            hide(m.name, whole)


def _nested_pairs(layout: Layout) -> list[tuple[Cell, Cell]]:
    """(outer, inner) for every cell lying within another, different one."""
    cells = list(layout.fine_cells.items())
    return [
        (outer, inner)
        for outer, outer_fine in cells
        for inner, inner_fine in cells
        if outer != inner and inner_fine < outer_fine
    ]


def _partitions(layout: Layout) -> list[tuple[Cell, Sequence[Cell]]]:
    """(whole, parts) for every cell that one breakdown's cells make up."""
    found: list[tuple[Cell, Sequence[Cell]]] = []
    for whole, whole_fine in layout.fine_cells.items():
        for group in layout.groups:
            parts = [
                c for c in group if c != whole and layout.fine_cells[c] <= whole_fine
            ]
            if len(parts) < 2:
                continue
            union = frozenset().union(*(layout.fine_cells[c] for c in parts))
            if union == whole_fine:
                found.append((whole, parts))
    return found
