"""The evaluation view loaded into arrays, so a whole table over 100,000 cases is
counted in milliseconds, and kept current by reloading only the cases changed.

Case ids stay inside this module: cases are numbered in load order and every
array refers to them by number. Nothing here leaves but counts (``figures``)
and pseudonyms (``cohort``).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from domain.regions import REGIONS, UNKNOWN_REGION, region_of
from projections.evaluation.metrics import ENGAGEMENT_FACTS, VERDICT_FACTS, Fact
from projections.evaluation.periods import BAND_LABELS, age_band
from projections.evaluation.view import EvaluationView, Reading

Ints = npt.NDArray[np.int64]
#: Rows are many: their case numbers, days and codes are kept in 32 bits.
Small = npt.NDArray[np.int32]
Flags = npt.NDArray[np.bool_]

#: A day after every day: an open spell's end, a missing engagement.
NEVER = np.iinfo(np.int32).max
#: No value (an unknown day, a place not given).
NONE = -1
FACT_CODES: tuple[Fact, ...] = tuple(Fact)
_FACT_CODE = {fact.value: code for code, fact in enumerate(FACT_CODES)}
LOADED_FACTS = tuple(f.value for f in Fact if f not in ENGAGEMENT_FACTS)
PLACE_ATTRIBUTES = ("organisation_id", "jurisdiction", "local_authority")
#: Codes for verdicts' prosecutions and defendants, beside the places'.
PARTIES = ("prosecution", "defendant")
REGION_NAMES: tuple[str, ...] = (*REGIONS, UNKNOWN_REGION)
REGION_CODE = {name: code for code, name in enumerate(REGION_NAMES)}
UNKNOWN = REGION_CODE[UNKNOWN_REGION]

_SELECT_CASES = (
    "SELECT case_id, consented, opened_on, six_months_on, born_earliest, "
    "born_latest, engaged_on FROM {cases}"
)
_SELECT_SPELLS = "SELECT case_id, starts_on, ends_on FROM {spells}"
_SELECT_PLACES = (
    "SELECT case_id, starts_on, sequence, organisation_id, jurisdiction, "
    "local_authority FROM {places}"
)
_SELECT_FACTS = (
    "SELECT case_id, fact, on_day, amount, flag, prosecution, defendant FROM {facts} "
    f"WHERE fact IN ({', '.join(repr(f) for f in LOADED_FACTS)}) "
    "AND on_day IS NOT NULL"
)
_CHANGED_CASES = " WHERE changed > ?"
_COUNT_CASES = "SELECT COUNT(*) FROM {cases}"
_OF_CHANGED_CASES = (
    " {join} case_id IN (SELECT case_id FROM {{cases}} WHERE changed > ?)"
)


class Strings:
    """Codes for the few distinct texts of a column (organisations, areas)."""

    def __init__(self) -> None:
        self.values: list[str] = []
        self._codes: dict[str, int] = {}

    def code(self, value: str | None) -> int:
        if value is None:
            return NONE
        code = self._codes.get(value)
        if code is None:
            code = self._codes[value] = len(self.values)
            self.values.append(value)
        return code


def _ints(values: Iterable[Any], missing: int = NONE) -> Ints:
    return np.fromiter((missing if v is None else v for v in values), dtype=np.int64)


@dataclass(frozen=True)
class Rows:
    """Rows of the view, by case number."""

    spell_case: Ints
    spell_start: Ints
    spell_end: Ints
    place_case: Ints
    place_start: Ints
    place_sequence: Ints
    place_codes: dict[str, Ints]
    fact_case: Small
    fact_code: Small
    fact_day: Small
    fact_amount: Ints
    fact_flag: Flags
    #: A verdict's prosecution and defendant (codes), else NONE.
    fact_prosecution: Small
    fact_defendant: Small

    def facts_in_order(self) -> Rows:
        """These rows with the facts by kind, then day."""
        order = np.lexsort((self.fact_day, self.fact_code))
        return replace(
            self,
            fact_case=self.fact_case[order],
            fact_code=self.fact_code[order],
            fact_day=self.fact_day[order],
            fact_amount=self.fact_amount[order],
            fact_flag=self.fact_flag[order],
            fact_prosecution=self.fact_prosecution[order],
            fact_defendant=self.fact_defendant[order],
        )

    def without(self, cases: Ints) -> Rows:
        """These rows but those of ``cases``."""
        keep_spells = ~np.isin(self.spell_case, cases)
        keep_places = ~np.isin(self.place_case, cases)
        keep_facts = ~np.isin(self.fact_case, cases)
        return Rows(
            self.spell_case[keep_spells],
            self.spell_start[keep_spells],
            self.spell_end[keep_spells],
            self.place_case[keep_places],
            self.place_start[keep_places],
            self.place_sequence[keep_places],
            {k: v[keep_places] for k, v in self.place_codes.items()},
            self.fact_case[keep_facts],
            self.fact_code[keep_facts],
            self.fact_day[keep_facts],
            self.fact_amount[keep_facts],
            self.fact_flag[keep_facts],
            self.fact_prosecution[keep_facts],
            self.fact_defendant[keep_facts],
        )

    def plus(self, other: Rows) -> Rows:
        def join(a: npt.NDArray[Any], b: npt.NDArray[Any]) -> npt.NDArray[Any]:
            return np.concatenate((a, b))

        return Rows(
            join(self.spell_case, other.spell_case),
            join(self.spell_start, other.spell_start),
            join(self.spell_end, other.spell_end),
            join(self.place_case, other.place_case),
            join(self.place_start, other.place_start),
            join(self.place_sequence, other.place_sequence),
            {k: join(v, other.place_codes[k]) for k, v in self.place_codes.items()},
            join(self.fact_case, other.fact_case),
            join(self.fact_code, other.fact_code),
            join(self.fact_day, other.fact_day),
            join(self.fact_amount, other.fact_amount),
            join(self.fact_flag, other.fact_flag),
            join(self.fact_prosecution, other.fact_prosecution),
            join(self.fact_defendant, other.fact_defendant),
        )


@dataclass(frozen=True)
class FactRows:
    """One fact's rows, by day (views of the snapshot's rows)."""

    day: Small
    case: Small
    amount: Ints
    flag: Flags
    prosecution: Small
    defendant: Small

    def between(self, first: int, last: int) -> slice:
        lo, hi = np.searchsorted(self.day, [first, last + 1])
        return slice(int(lo), int(hi))


@dataclass(frozen=True)
class Places:
    """One place attribute's rows, by case, then day, then log order."""

    case: Ints
    start: Ints
    code: Ints

    def on(self, day: int, cases: int) -> Ints:
        """Each case's value on ``day`` (``NONE`` if not yet placed)."""
        valid = self.start <= day
        case, code = self.case[valid], self.code[valid]
        values = np.full(cases, NONE, dtype=np.int64)
        if len(case):
            last = np.append(case[1:] != case[:-1], True)
            values[case[last]] = code[last]
        return values


@dataclass
class Snapshot:
    """The view as at ``position``."""

    position: int
    case_ids: list[str]
    number: dict[str, int]
    consented: Flags
    opened_on: Ints
    six_months_on: Ints
    engaged_on: Ints
    age_band: Ints
    rows: Rows
    strings: dict[str, Strings]
    facts: dict[Fact, FactRows] = field(init=False)
    places: dict[str, Places] = field(init=False)
    #: Each local authority code's region, and each jurisdiction's.
    authority_region: list[str] = field(init=False)
    jurisdiction_region: list[str] = field(init=False)
    #: Each witness call (a row of ``facts[WITNESS_CALLED]``): the day of the
    #: attendance paired with it, and the day its trial took place (NEVER if
    #: none is recorded yet).
    call_attended: Ints = field(init=False)
    call_trial: Ints = field(init=False)

    def __post_init__(self) -> None:
        self._index()

    def _index(self) -> None:
        """The lookups counting reads, from the rows: each fact's rows by day,
        each place attribute's by case and time, and the regions."""
        self.rows = rows = self.rows.facts_in_order()
        bounds = np.searchsorted(rows.fact_code, np.arange(len(FACT_CODES) + 1))
        self.facts = {}
        for index, fact in enumerate(FACT_CODES):
            part = slice(int(bounds[index]), int(bounds[index + 1]))
            self.facts[fact] = FactRows(
                rows.fact_day[part],
                rows.fact_case[part],
                rows.fact_amount[part],
                rows.fact_flag[part],
                rows.fact_prosecution[part],
                rows.fact_defendant[part],
            )
        self.places = {}
        for attribute in PLACE_ATTRIBUTES:
            codes = rows.place_codes[attribute]
            given = codes != NONE
            case, start = rows.place_case[given], rows.place_start[given]
            sequence = rows.place_sequence[given]
            by_time = np.lexsort((sequence, start, case))
            self.places[attribute] = Places(
                case[by_time], start[by_time], codes[given][by_time]
            )
        self.authority_region = [
            region_of(name) for name in self.strings["local_authority"].values
        ]
        self.jurisdiction_region = [
            region_of(None, name) for name in self.strings["jurisdiction"].values
        ]
        self.call_attended, self.call_trial = self._pair_calls()

    def _pair_calls(self) -> tuple[Ints, Ints]:
        """Pairs each call, in its case in day order, with the first attendance
        on or after it that no earlier call took; a call's trial took place on
        its attendance's day, or on the first trial held on or after the call
        if that is earlier."""
        calls = self.facts[Fact.WITNESS_CALLED]
        attended = np.full(len(calls.day), NEVER, dtype=np.int64)
        trial = np.full(len(calls.day), NEVER, dtype=np.int64)
        if not len(calls.day):
            return attended, trial
        attendances = _days_by_case(self.facts[Fact.TRIAL_ATTENDED])
        trials = _days_by_case(self.facts[Fact.TRIAL_HELD])
        order = np.lexsort((calls.day, calls.case))
        taken: dict[int, int] = {}
        for row in order.tolist():
            case, day = int(calls.case[row]), int(calls.day[row])
            days = attendances.get(case, ())
            start = max(bisect_left(days, day), taken.get(case, 0))
            if start < len(days):
                attended[row] = days[start]
                taken[case] = start + 1
            held = trials.get(case, ())
            first_held = bisect_left(held, day)
            trial[row] = min(
                attended[row], held[first_held] if first_held < len(held) else NEVER
            )
        return attended, trial

    @property
    def cases(self) -> int:
        return len(self.case_ids)

    def clients(self, first: int, last: int) -> Flags:
        """Consenting cases open on any day from ``first`` to ``last``."""
        rows = self.rows
        overlapping = (rows.spell_start <= last) & (rows.spell_end >= first)
        open_cases = np.zeros(self.cases, dtype=np.bool_)
        open_cases[rows.spell_case[overlapping]] = True
        return open_cases & self.consented

    def region_on(self, day: int) -> Ints:
        """Each case's region (a code into ``REGION_NAMES``) on ``day``: its
        local authority's, or where that is not known its jurisdiction's."""
        authority = self.places["local_authority"].on(day, self.cases)
        jurisdiction = self.places["jurisdiction"].on(day, self.cases)
        by_authority = np.array(
            [*(REGION_CODE[name] for name in self.authority_region), UNKNOWN],
            dtype=np.int64,
        )
        by_jurisdiction = np.array(
            [*(REGION_CODE[name] for name in self.jurisdiction_region), UNKNOWN],
            dtype=np.int64,
        )
        # NONE (-1) picks the last entry: unknown.
        region = by_authority[authority]
        unplaced = region == UNKNOWN
        region[unplaced] = by_jurisdiction[jurisdiction[unplaced]]
        return region


def _days_by_case(rows: FactRows) -> dict[int, list[int]]:
    """A fact's days for each case, in order (the rows are in day order)."""
    found: dict[int, list[int]] = {}
    for case, day in zip(rows.case.tolist(), rows.day.tolist(), strict=True):
        found.setdefault(case, []).append(day)
    return found


def load(view: EvaluationView, application_name: str) -> Snapshot:
    """The whole view, read in one consistent snapshot."""
    strings = {name: Strings() for name in (*PLACE_ATTRIBUTES, *PARTIES)}
    with view.reading() as reading:
        position = _position(view, reading, application_name)
        cases = reading.rows(view.statement(_SELECT_CASES))
        case_ids = [row[0] for row in cases]
        number = {case_id: n for n, case_id in enumerate(case_ids)}
        rows = _rows(view, reading, number, strings, "", ())
    return _snapshot(position, case_ids, number, cases, rows, strings)


def refreshed(
    snapshot: Snapshot, view: EvaluationView, application_name: str
) -> Snapshot:
    """The snapshot with the cases changed since it was taken read again."""
    with view.reading() as reading:
        position = _position(view, reading, application_name)
        if position == snapshot.position:
            return snapshot
        since = (snapshot.position,)
        changed = reading.rows(view.statement(_SELECT_CASES + _CHANGED_CASES), since)
        case_ids = list(snapshot.case_ids)
        number = dict(snapshot.number)
        for row in changed:
            if row[0] not in number:
                number[row[0]] = len(case_ids)
                case_ids.append(row[0])
        ((held,),) = reading.rows(view.statement(_COUNT_CASES))
        # Fewer rows than cases known: an erased case's rows moved to a new id
        # (``changes.Anonymised``), so the old one must go: read afresh.
        moved = held < len(case_ids)
        strings = snapshot.strings
        if not moved:
            fresh = _rows(view, reading, number, strings, _OF_CHANGED_CASES, since)
    if moved:
        return load(view, application_name)
    renumbered = _ints(number[row[0]] for row in changed)
    rows = snapshot.rows.without(renumbered).plus(fresh)
    grown = len(case_ids) - snapshot.cases

    def grow(values: npt.NDArray[Any], filler: Any) -> npt.NDArray[Any]:
        return np.concatenate((values, np.full(grown, filler, dtype=values.dtype)))

    updated = replace(
        snapshot,
        position=position,
        case_ids=case_ids,
        number=number,
        consented=grow(snapshot.consented, False),
        opened_on=grow(snapshot.opened_on, NONE),
        six_months_on=grow(snapshot.six_months_on, NONE),
        engaged_on=grow(snapshot.engaged_on, NEVER),
        age_band=grow(snapshot.age_band, NONE),
        rows=rows,
    )
    _set_cases(updated, changed)
    updated._index()
    return updated


def _position(view: EvaluationView, reading: Reading, application_name: str) -> int:
    found = reading.rows(view.tracking_position_statement(), (application_name,))
    return int(found[0][0]) if found and found[0][0] is not None else 0


def _rows(
    view: EvaluationView,
    reading: Reading,
    number: dict[str, int],
    strings: dict[str, Strings],
    restriction: str,
    params: Sequence[Any],
) -> Rows:
    where = restriction.format(join="WHERE")
    spells = reading.rows(view.statement(_SELECT_SPELLS + where), params)
    places = reading.rows(view.statement(_SELECT_PLACES + where), params)
    facts = _facts(
        reading.chunks(
            view.statement(_SELECT_FACTS + restriction.format(join="AND")), params
        ),
        number,
        strings,
    )
    return Rows(
        spell_case=_ints(number[r[0]] for r in spells),
        spell_start=_ints(r[1] for r in spells),
        spell_end=_ints((r[2] for r in spells), missing=NEVER),
        place_case=_ints(number[r[0]] for r in places),
        place_start=_ints(r[1] for r in places),
        place_sequence=_ints(r[2] for r in places),
        place_codes={
            attribute: _ints(strings[attribute].code(r[3 + i]) for r in places)
            for i, attribute in enumerate(PLACE_ATTRIBUTES)
        },
        **facts,
    )


def _facts(
    chunks: Iterable[list[tuple[Any, ...]]],
    number: dict[str, int],
    strings: dict[str, Strings],
) -> dict[str, npt.NDArray[Any]]:
    """The facts' columns, built a chunk at a time into compact arrays."""
    parts: dict[str, list[npt.NDArray[Any]]] = {
        "fact_case": [],
        "fact_code": [],
        "fact_day": [],
        "fact_amount": [],
        "fact_flag": [],
        "fact_prosecution": [],
        "fact_defendant": [],
    }
    prosecutions, defendants = strings["prosecution"], strings["defendant"]
    for chunk in chunks:
        parts["fact_case"].append(_small(number[r[0]] for r in chunk))
        parts["fact_code"].append(_small(_FACT_CODE[r[1]] for r in chunk))
        parts["fact_day"].append(_small(r[2] for r in chunk))
        parts["fact_amount"].append(_ints((r[3] for r in chunk), missing=0))
        parts["fact_flag"].append(
            np.fromiter((bool(r[4]) for r in chunk), dtype=np.bool_)
        )
        parties = [_parties(r) for r in chunk]
        parts["fact_prosecution"].append(
            _small(prosecutions.code(p) for p, _ in parties)
        )
        parts["fact_defendant"].append(_small(defendants.code(d) for _, d in parties))
    empty = {
        "fact_case": np.int32,
        "fact_code": np.int32,
        "fact_day": np.int32,
        "fact_amount": np.int64,
        "fact_flag": np.bool_,
        "fact_prosecution": np.int32,
        "fact_defendant": np.int32,
    }
    return {
        name: np.concatenate(arrays) if arrays else np.zeros(0, dtype=empty[name])
        for name, arrays in parts.items()
    }


def _parties(row: tuple[Any, ...]) -> tuple[str | None, str | None]:
    """A verdict's prosecution and defendant keys: those its references name,
    or where it names none its own case's; None for other facts."""
    case_id, fact, prosecution, defendant = row[0], row[1], row[5], row[6]
    if fact not in _VERDICT_FACTS:
        return None, None
    own = f"case:{case_id}"
    prosecution = prosecution or own
    return prosecution, f"{prosecution}\x1f{defendant or own}"


_VERDICT_FACTS = frozenset(f.value for f in VERDICT_FACTS)


def _small(values: Iterable[Any]) -> Small:
    return np.fromiter(values, dtype=np.int32)


def _snapshot(
    position: int,
    case_ids: list[str],
    number: dict[str, int],
    cases: Sequence[tuple[Any, ...]],
    rows: Rows,
    strings: dict[str, Strings],
) -> Snapshot:
    count = len(case_ids)
    snapshot = Snapshot(
        position=position,
        case_ids=case_ids,
        number=number,
        consented=np.zeros(count, dtype=np.bool_),
        opened_on=np.full(count, NONE, dtype=np.int64),
        six_months_on=np.full(count, NONE, dtype=np.int64),
        engaged_on=np.full(count, NEVER, dtype=np.int64),
        age_band=np.full(count, NONE, dtype=np.int64),
        rows=rows,
        strings=strings,
    )
    _set_cases(snapshot, cases)
    return snapshot


def _set_cases(snapshot: Snapshot, cases: Sequence[tuple[Any, ...]]) -> None:
    """Writes the cases' own columns; a case not (or no longer) consenting, or
    not yet opened, counts nowhere."""
    for case_id, consented, opened, six_months, earliest, latest, engaged in cases:
        n = snapshot.number[case_id]
        counted = bool(consented) and opened is not None
        snapshot.consented[n] = counted
        snapshot.opened_on[n] = NONE if opened is None else opened
        snapshot.six_months_on[n] = NONE if six_months is None else six_months
        snapshot.engaged_on[n] = NEVER if engaged is None else engaged
        snapshot.age_band[n] = (
            BAND_LABELS.index(
                age_band(_date(earliest), _date(latest), date.fromordinal(opened))
            )
            if opened is not None
            else NONE
        )


def _date(day: int | None) -> date | None:
    return None if day is None else date.fromordinal(day)
