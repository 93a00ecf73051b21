"""An evaluation table: every metric over a period, in total and by the requested
breakdowns, counted from a snapshot and published through disclosure control.

A client is placed in a breakdown by where the case stood on the period's last
day (its organisation, jurisdiction, local authority and region then) and by its
age band at opening, so each client is in exactly one cell of a breakdown and a
breakdown's cells add up to the total: the disclosure rules rely on it.

**One canonical table per period.** Whatever a request asks for, the figures are
counted and suppressed for the whole table of the period (every metric, the
total and every breakdown of all consenting clients), and the request is shown
its rows of it. So a cell is suppressed, or not, the same way in every answer,
and two answers cannot be set against each other to recover what either hides.
That is also why there are no filters but the period: a table of a sub-cohort
(some organisations, some regions) less the whole would be a new, unprotected
cell. Cross-tabulations (a breakdown within a breakdown) are not offered, for
the same reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt

from projections.evaluation.disclosure import Layout, Measure, suppressed
from projections.evaluation.metrics import (
    DURATIONS,
    PERIOD_FACTS,
    Fact,
    Metric,
)
from projections.evaluation.periods import BAND_LABELS, Period
from projections.evaluation.snapshot import (
    NEVER,
    NONE,
    REGION_NAMES,
    FactRows,
    Ints,
    Snapshot,
)

Flags = npt.NDArray[np.bool_]

NOT_RECORDED = "not recorded"


class Dimension(StrEnum):
    ORGANISATION = "organisation"
    JURISDICTION = "jurisdiction"
    LOCAL_AUTHORITY = "local_authority"
    REGION = "region"
    AGE_BAND = "age_band"


@dataclass(frozen=True)
class Request:
    period: Period
    by: tuple[Dimension, ...] = ()
    metrics: tuple[Metric, ...] = tuple(Metric)

    @property
    def canonical(self) -> Request:
        """The whole table of the period, of which this request shows rows."""
        return Request(self.period, tuple(Dimension), tuple(Metric))


@dataclass(frozen=True)
class Count:
    """A published count, or None where it is suppressed."""

    value: int | None

    @property
    def suppressed(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class Quartiles:
    lower: float
    median: float
    upper: float


@dataclass(frozen=True)
class Figure:
    metric: Metric
    numerator: Count
    denominator: Count | None
    share: float | None = None
    total_amount: Decimal | None = None
    days: Quartiles | None = None


@dataclass(frozen=True)
class Row:
    """The total (no dimension), or one value of a breakdown."""

    dimension: Dimension | None
    value: str | None
    figures: tuple[Figure, ...]


@dataclass(frozen=True)
class Table:
    period: Period
    threshold: int
    #: The log position the figures are as at.
    position: int
    rows: tuple[Row, ...]
    suppressed_cells: int = field(default=0)


CellKey = tuple[Dimension | None, str | None]
TOTAL: CellKey = (None, None)


class Counter:
    """Counts a request's measures over its fine cells."""

    def __init__(self, snapshot: Snapshot, request: Request) -> None:
        self.snapshot = snapshot
        self.request = request
        period = request.period
        self.first, self.last = period.first_day, period.last_day
        self.labels = {dimension: self._labels(dimension) for dimension in Dimension}
        self.population = snapshot.clients(self.first, self.last)
        members = np.flatnonzero(self.population)
        if request.by:
            keys = np.stack([self._codes(d)[members] for d in request.by], axis=1)
            fine_keys, inverse = np.unique(keys, axis=0, return_inverse=True)
        else:
            fine_keys = np.zeros((1, 0), dtype=np.int64)
            inverse = np.zeros(len(members), dtype=np.int64)
        self.fine_keys = fine_keys
        self.fine = np.full(snapshot.cases, NONE, dtype=np.int64)
        self.fine[members] = np.asarray(inverse).reshape(-1)
        self.fine_count = len(fine_keys)

    # Codes per case: NONE and unknown values become the last label.

    def _codes(self, dimension: Dimension) -> Ints:
        snapshot, last = self.snapshot, self.last
        if dimension is Dimension.REGION:
            return snapshot.region_on(last)
        if dimension is Dimension.AGE_BAND:
            return np.where(
                snapshot.age_band == NONE, len(BAND_LABELS) - 1, snapshot.age_band
            )
        attribute = _ATTRIBUTES[dimension]
        values = snapshot.places[attribute].on(last, snapshot.cases)
        return np.where(values == NONE, len(snapshot.strings[attribute].values), values)

    def _labels(self, dimension: Dimension) -> list[str]:
        if dimension is Dimension.REGION:
            return list(REGION_NAMES)
        if dimension is Dimension.AGE_BAND:
            return list(BAND_LABELS)
        return [*self.snapshot.strings[_ATTRIBUTES[dimension]].values, NOT_RECORDED]

    # Per fine cell

    def per_cell(self, cases: Flags) -> Ints:
        """How many of the cases (within the population) each fine cell holds."""
        cells = self.fine[cases & self.population]
        return np.bincount(cells, minlength=self.fine_count)

    def per_cell_of_rows(
        self,
        row_cases: npt.NDArray[np.integer[Any]],
        weights: npt.NDArray[np.float64] | None = None,
    ) -> npt.NDArray[np.float64]:
        """Rows (one per fact) counted, or summed, by their case's fine cell."""
        cells = self.fine[row_cases]
        inside = cells != NONE
        return np.bincount(
            cells[inside],
            weights=None if weights is None else weights[inside],
            minlength=self.fine_count,
        ).astype(np.float64)

    def having(self, fact: Fact, first: int | None = None) -> Flags:
        """Cases with the fact dated from ``first`` (the period's first day by
        default) to the period's last day."""
        rows = self.snapshot.facts[fact]
        part = rows.between(self.first if first is None else first, self.last)
        found = np.zeros(self.snapshot.cases, dtype=np.bool_)
        found[rows.case[part]] = True
        return found

    def calls(self) -> tuple[npt.NDArray[Any], Flags, Flags]:
        """Calls to give evidence dated in the period in clients' cases: each
        one's case, whether its trial had taken place by the period's last day,
        and whether its attendance had (so the second implies the first)."""
        snapshot = self.snapshot
        calls = snapshot.facts[Fact.WITNESS_CALLED]
        part = calls.between(self.first, self.last)
        inside = self.population[calls.case[part]]
        held = snapshot.call_trial[part][inside] <= self.last
        attended = snapshot.call_attended[part][inside] <= self.last
        return calls.case[part][inside], held, attended

    def parties(
        self,
        facts: Sequence[Fact],
        key: Callable[[Fact, FactRows], npt.NDArray[Any]],
        mark: Callable[[Fact, FactRows], Flags],
    ) -> tuple[npt.NDArray[Any], Flags]:
        """Verdicts dated in the period in clients' cases, one per ``key`` (a
        defendant or a prosecution): for each, the case whose verdict about it
        is earliest (then the first case id), and whether any of its verdicts
        is ``mark``ed."""
        keys, days, cases, marks = [], [], [], []
        for fact in facts:
            rows = self.snapshot.facts[fact]
            part = rows.between(self.first, self.last)
            inside = self.population[rows.case[part]]
            keys.append(key(fact, rows)[part][inside])
            days.append(rows.day[part][inside])
            cases.append(rows.case[part][inside])
            marks.append(mark(fact, rows)[part][inside])
        key_of, day, case = (np.concatenate(k) for k in (keys, days, cases))
        marked = np.concatenate(marks).astype(np.bool_)
        if not len(key_of):
            return case, marked
        # Ties broken by case id, not number: alike however the snapshot
        # numbered its cases.
        ids = [self.snapshot.case_ids[n] for n in case.tolist()]
        rank = np.empty(len(ids), dtype=np.int64)
        rank[sorted(range(len(ids)), key=ids.__getitem__)] = np.arange(len(ids))
        order = np.lexsort((rank, day, key_of))
        key_of, case, marked = key_of[order], case[order], marked[order]
        starts = np.flatnonzero(np.append(True, key_of[1:] != key_of[:-1]))
        return case[starts], np.logical_or.reduceat(marked, starts)

    def spans(self, metric: Metric) -> tuple[Ints, Flags]:
        """Each case's days from its first start to the first end on or after
        it, and whether it is a client of the request whose end is in the
        period."""
        start_fact, end_fact = DURATIONS[metric]
        starts, ends = self.snapshot.facts[start_fact], self.snapshot.facts[end_fact]
        first_start = np.full(self.snapshot.cases, NEVER, dtype=np.int64)
        np.minimum.at(first_start, starts.case, starts.day)
        after = ends.day >= first_start[ends.case]
        first_end = np.full(self.snapshot.cases, NEVER, dtype=np.int64)
        np.minimum.at(first_end, ends.case[after], ends.day[after])
        ended = (first_end >= self.first) & (first_end <= self.last) & self.population
        return first_end - np.where(ended, first_start, 0), ended

    def durations(self, metric: Metric) -> tuple[Ints, Ints]:
        """(fine cell, days) of each client's duration ending in the period."""
        days, ended = self.spans(metric)
        cases = np.flatnonzero(ended)
        return self.fine[cases], days[cases]


_ATTRIBUTES = {
    Dimension.ORGANISATION: "organisation_id",
    Dimension.JURISDICTION: "jurisdiction",
    Dimension.LOCAL_AUTHORITY: "local_authority",
}


@dataclass
class _Measured:
    """A metric's counts per fine cell, before disclosure control."""

    numerator: str
    denominator: str | None
    amounts: npt.NDArray[np.float64] | None = None
    durations: tuple[Ints, Ints] | None = None


def table(snapshot: Snapshot, request: Request, threshold: int) -> Table:
    """The request's rows of its period's canonical table."""
    return shown(canonical_table(snapshot, request.period, threshold), request)


def shown(whole: Table, request: Request) -> Table:
    """The total and the requested breakdowns' rows, with the requested
    metrics' figures in the order asked for."""
    rows = [whole.rows[0]]
    for dimension in request.by:
        rows.extend(row for row in whole.rows if row.dimension is dimension)
    chosen = tuple(
        Row(
            row.dimension,
            row.value,
            tuple(
                figure
                for metric in request.metrics
                for figure in row.figures
                if figure.metric is metric
            ),
        )
        for row in rows
    )
    hidden = sum(
        (f.numerator.value is None)
        + (f.denominator is not None and f.denominator.value is None)
        for row in chosen
        for f in row.figures
    )
    return Table(whole.period, whole.threshold, whole.position, chosen, hidden)


def canonical_table(snapshot: Snapshot, period: Period, threshold: int) -> Table:
    """Every metric of the period, in total and by every breakdown, under
    disclosure control as one table."""
    request = Request(period).canonical
    counter = Counter(snapshot, request)
    fine_counts: dict[str, npt.NDArray[np.float64]] = {}
    within: dict[str, str | None] = {}
    measured: dict[Metric, _Measured] = {}

    def measure(name: str, counts: Iterable[float], of: str | None = None) -> str:
        fine_counts[name] = np.asarray(counts, dtype=np.float64)
        within[name] = of
        return name

    clients = measure("clients", counter.per_cell(counter.population))
    for metric in request.metrics:
        measured[metric] = _measure(metric, counter, clients, measure)

    cells, layout = _layout(counter, request)
    measures = [
        Measure(name, _cell_counts(counts, cells), within[name])
        for name, counts in fine_counts.items()
    ]
    hidden = suppressed(measures, layout, threshold)
    by_name = {m.name: m for m in measures}

    def count(name: str, cell: CellKey) -> Count:
        if (name, cell) in hidden:
            return Count(None)
        return Count(by_name[name].counts[cell])

    rows = []
    for cell, fine in cells.items():
        figures = []
        for metric, m in measured.items():
            numerator = count(m.numerator, cell)
            denominator = count(m.denominator, cell) if m.denominator else None
            figures.append(_figure(metric, m, numerator, denominator, fine))
        rows.append(Row(cell[0], cell[1], tuple(figures)))
    return Table(period, threshold, snapshot.position, tuple(rows), len(hidden))


Measurer = Callable[..., str]


def _measure(
    metric: Metric, counter: Counter, clients: str, measure: Measurer
) -> _Measured:
    population, snapshot = counter.population, counter.snapshot
    if metric is Metric.CLIENTS:
        return _Measured(clients, None)
    if metric is Metric.ENGAGED_6_MONTHS:
        due = population & (snapshot.six_months_on != NONE)
        due &= snapshot.six_months_on <= counter.last
        engaged = due & (snapshot.engaged_on <= counter.last)
        denominator = measure(f"{metric}:denominator", counter.per_cell(due))
        numerator = measure(
            f"{metric}:numerator", counter.per_cell(engaged), denominator
        )
        return _Measured(numerator, denominator)
    if metric is Metric.ATTENDED_WHEN_CALLED:
        cases, held, attended = counter.calls()
        denominator = measure(
            f"{metric}:denominator", counter.per_cell_of_rows(cases[held])
        )
        numerator = measure(
            f"{metric}:numerator",
            counter.per_cell_of_rows(cases[attended]),
            denominator,
        )
        return _Measured(numerator, denominator)
    if metric is Metric.CONVICTIONS:
        cases, flags = counter.parties(
            (Fact.CONVICTED,), lambda _, rows: rows.defendant, lambda _, rows: rows.flag
        )
        denominator = measure(f"{metric}:denominator", counter.per_cell_of_rows(cases))
        numerator = measure(
            f"{metric}:numerator", counter.per_cell_of_rows(cases[flags]), denominator
        )
        return _Measured(numerator, denominator)
    if metric is Metric.CONVICTION_RATE:
        cases, convicted = counter.parties(
            (Fact.CONVICTED, Fact.ACQUITTED),
            lambda _, rows: rows.prosecution,
            lambda fact, rows: np.full(len(rows.day), fact is Fact.CONVICTED),
        )
        denominator = measure(f"{metric}:denominator", counter.per_cell_of_rows(cases))
        numerator = measure(
            f"{metric}:numerator",
            counter.per_cell_of_rows(cases[convicted]),
            denominator,
        )
        return _Measured(numerator, denominator)
    if metric in DURATIONS:
        cells, days = counter.durations(metric)
        numerator = measure(
            f"{metric}:count", np.bincount(cells, minlength=counter.fine_count)
        )
        return _Measured(numerator, None, durations=(cells, days))
    fact = PERIOD_FACTS[metric]
    numerator = measure(
        f"{metric}:numerator", counter.per_cell(counter.having(fact)), clients
    )
    amounts = None
    if metric is Metric.COMPENSATION_AWARDED:
        rows = snapshot.facts[fact]
        part = rows.between(counter.first, counter.last)
        cases = rows.case[part]
        inside = population[cases]
        amounts = counter.per_cell_of_rows(
            cases[inside], rows.amount[part][inside].astype(np.float64)
        )
    return _Measured(numerator, clients, amounts=amounts)


def _layout(
    counter: Counter, request: Request
) -> tuple[dict[CellKey, npt.NDArray[np.int64]], Layout]:
    """The table's cells (total first, then each breakdown's values in order)
    with their fine cells, and which cells lie within or make up which."""
    everything = np.arange(counter.fine_count)
    cells: dict[CellKey, npt.NDArray[np.int64]] = {TOTAL: everything}
    groups: list[list[CellKey]] = []
    for column, dimension in enumerate(request.by):
        labels = counter.labels[dimension]
        codes = counter.fine_keys[:, column]
        group: list[CellKey] = []
        for code in sorted(set(codes.tolist()), key=_order(dimension, labels)):
            key: CellKey = (dimension, labels[code])
            cells[key] = np.flatnonzero(codes == code)
            group.append(key)
        groups.append(group)
    nested, partitions = _structure(counter, request, groups)
    layout = Layout(
        {cell: frozenset(fine.tolist()) for cell, fine in cells.items()},
        groups,
        nested=nested,
        partitions=partitions,
    )
    return cells, layout


def _structure(
    counter: Counter, request: Request, groups: list[list[CellKey]]
) -> tuple[list[tuple[CellKey, CellKey]], list[tuple[CellKey, list[CellKey]]]]:
    """Nesting and partitions read from which values occur together: a value of
    one breakdown lies within a value of another if it never occurs with any
    other value of it."""
    nested: list[tuple[CellKey, CellKey]] = []
    partitions: list[tuple[CellKey, list[CellKey]]] = [
        (TOTAL, group) for group in groups if len(group) > 1
    ]
    for group in groups:
        nested.extend((TOTAL, cell) for cell in group if len(group) > 1)
    keys = counter.fine_keys
    for outer, outer_dimension in enumerate(request.by):
        outer_labels = counter.labels[outer_dimension]
        for inner, inner_dimension in enumerate(request.by):
            if inner == outer:
                continue
            inner_labels = counter.labels[inner_dimension]
            pairs = set(
                zip(keys[:, inner].tolist(), keys[:, outer].tolist(), strict=True)
            )
            containers: dict[int, set[int]] = {}
            for inner_code, outer_code in pairs:
                containers.setdefault(inner_code, set()).add(outer_code)
            members: dict[int, list[int]] = {}
            for inner_code, outer_codes in containers.items():
                if len(outer_codes) == 1:
                    members.setdefault(next(iter(outer_codes)), []).append(inner_code)
            for outer_code, inner_codes in members.items():
                whole: CellKey = (outer_dimension, outer_labels[outer_code])
                occurring = {i for i, o in pairs if o == outer_code}
                parts: list[CellKey] = [
                    (inner_dimension, inner_labels[i]) for i in inner_codes
                ]
                strictly = len(occurring) > 1
                if strictly:
                    nested.extend((whole, part) for part in parts)
                if strictly and len(parts) == len(occurring):
                    partitions.append((whole, parts))
    return nested, partitions


def _order(dimension: Dimension, labels: list[str]) -> Callable[[int], Any]:
    """Regions and age bands in their own order; other values alphabetically,
    with "not recorded" last."""
    if dimension in (Dimension.REGION, Dimension.AGE_BAND):
        return lambda code: code
    return lambda code: (labels[code] == NOT_RECORDED, labels[code].casefold())


def _cell_counts(
    counts: npt.NDArray[np.float64], cells: dict[CellKey, npt.NDArray[np.int64]]
) -> dict[CellKey, int]:
    return {cell: round(float(counts[fine].sum())) for cell, fine in cells.items()}


def _figure(
    metric: Metric,
    m: _Measured,
    numerator: Count,
    denominator: Count | None,
    fine: npt.NDArray[np.int64],
) -> Figure:
    share = None
    if (
        denominator is not None
        and numerator.value is not None
        and denominator.value
        and metric is not Metric.CLIENTS
    ):
        share = round(numerator.value / denominator.value, 4)
    total_amount = None
    if m.amounts is not None and numerator.value is not None:
        pence = round(float(m.amounts[fine].sum()))
        total_amount = Decimal(pence) / 100
    days = None
    if m.durations is not None and numerator.value is not None:
        cells, values = m.durations
        chosen = values[np.isin(cells, fine)]
        if len(chosen):
            lower, median, upper = np.percentile(chosen, [25, 50, 75])
            days = Quartiles(float(lower), float(median), float(upper))
    return Figure(metric, numerator, denominator, share, total_amount, days)


def requested_metrics(names: Sequence[str] | None) -> tuple[Metric, ...]:
    return tuple(Metric) if not names else tuple(Metric(name) for name in names)
