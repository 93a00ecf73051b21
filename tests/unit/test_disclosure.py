"""Disclosure control's rules on small hand-made tables, and the evaluation
engine's reading of which cells lie within which, held to the plain
computation from fine cells."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from projections.evaluation.disclosure import (
    Layout,
    Measure,
    _nested_pairs,
    _partitions,
    suppressed,
)
from projections.evaluation.figures import Dimension, Request, _layout
from projections.evaluation.periods import Period


def hidden(counts: dict[str, int], cells: dict[str, set[int]], groups, k=10, **more):
    measures = [Measure("clients", counts)]
    for name, (values, within) in more.items():
        measures.append(Measure(name, values, within))
    layout = Layout({c: frozenset(f) for c, f in cells.items()}, groups)
    return {(m, c) for m, c in suppressed(measures, layout, k)}


def test_small_counts_and_zeros_are_suppressed() -> None:
    found = hidden({"total": 30, "a": 0}, {"total": {0, 1}, "a": {1}}, [])
    assert found == {("clients", "a")}


def test_one_small_part_takes_the_smallest_other_with_it() -> None:
    cells = {"total": {0, 1, 2}, "a": {0}, "b": {1}, "c": {2}}
    found = hidden({"total": 37, "a": 20, "b": 15, "c": 2}, cells, [["a", "b", "c"]])
    assert found == {("clients", "b"), ("clients", "c")}


def test_two_small_parts_summing_below_the_threshold_take_a_third() -> None:
    cells = {"total": {0, 1, 2, 3}, "a": {0}, "b": {1}, "c": {2}, "d": {3}}
    counts = {"total": 45, "a": 20, "b": 19, "c": 3, "d": 3}
    found = hidden(counts, cells, [["a", "b", "c", "d"]])
    assert found == {("clients", "b"), ("clients", "c"), ("clients", "d")}


def test_a_numerator_leaving_out_a_few_is_suppressed_but_not_its_denominator() -> None:
    cells = {"total": {0}}
    found = hidden(
        {"total": 15},
        cells,
        [],
        housing=({"total": 14}, "clients"),
    )
    assert found == {("housing", "total")}


def test_an_inner_cell_a_few_short_of_its_outer_one_is_suppressed() -> None:
    cells = {"total": {0, 1, 2}, "region": {0, 1}, "leeds": {0}, "bradford": {1}}
    counts = {"total": 40, "region": 13, "leeds": 12, "bradford": 1}
    found = hidden(counts, cells, [["region"], ["leeds", "bradford"]])
    assert ("clients", "leeds") in found and ("clients", "bradford") in found
    assert ("clients", "region") not in found


@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 2), st.integers(0, 4)),
        min_size=1,
        max_size=30,
        unique=True,
    )
)
def test_the_engines_nesting_and_partitions_match_the_fine_cells(keys: list) -> None:
    """Three breakdowns whose values occur together as ``keys`` (one row per fine
    cell); the third is made to lie within the first for some values."""
    fine_keys = np.array(keys, dtype=np.int64)
    labels = {d: [f"{d.value}-{i}" for i in range(5)] for d in Dimension}
    request = Request(
        Period(date(2024, 1, 1), date(2024, 3, 31)),
        by=(Dimension.REGION, Dimension.AGE_BAND, Dimension.LOCAL_AUTHORITY),
    )
    counter = SimpleNamespace(
        fine_keys=fine_keys, fine_count=len(fine_keys), labels=labels
    )
    _, layout = _layout(counter, request)  # type: ignore[arg-type]
    plain = Layout(layout.fine_cells, layout.groups)
    assert set(layout.nested or ()) == set(_nested_pairs(plain))
    assert {(w, tuple(sorted(p, key=str))) for w, p in layout.partitions or ()} == {
        (w, tuple(sorted(p, key=str))) for w, p in _partitions(plain)
    }
