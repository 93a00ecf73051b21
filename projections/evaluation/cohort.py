"""A pseudonymous cohort for an evaluator to download: one row per client of the
request, with coarse dates and outcome flags, and nothing else.

- **Pseudonyms** are keyed hashes (HMAC-SHA256) of the evaluator and the case, so
  one evaluator's rows cannot be joined with another's, nor traced to a case
  without the deployment's key. Rows are in pseudonym order, not case order.
- **Coarse values only**: quarters for dates, bands for ages, regions rather than
  local authorities, whole months for durations; no organisation, reference,
  amount or text.
- **k-anonymity on what could single a person out** (opening quarter, age band,
  jurisdiction, region): a row whose combination is shared by fewer than the
  threshold has its region withheld, then its age band, then its quarter
  widened to the year; if it is still rare, all four are withheld. A cohort
  smaller than the threshold is not released at all.
- **No slicing.** A download covers a named period (a quarter or a financial
  year) and every consenting client in it. An evaluator's pseudonyms are the
  same from one download to the next (so periods can be linked), so two
  downloads of overlapping sub-cohorts would tell, by difference, which
  pseudonyms hold a withheld region, and days stepped one at a time would date
  an opening to the day. Breakdowns are for the tables, under disclosure
  control.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
from collections import Counter as Tally
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import orjson

from domain.errors import InvalidField
from projections.evaluation.figures import Counter, Request
from projections.evaluation.metrics import DURATIONS, PERIOD_FACTS, Fact, Metric
from projections.evaluation.periods import BAND_LABELS, quarter_of
from projections.evaluation.snapshot import REGION_NAMES, Snapshot

WITHHELD = "withheld"
QUASI_IDENTIFIERS = ("opened_quarter", "age_band", "jurisdiction", "region")
FLAGS: tuple[Metric, ...] = (
    Metric.ENGAGED_6_MONTHS,
    *PERIOD_FACTS,
    Metric.ATTENDED_WHEN_CALLED,
)
COLUMNS: tuple[str, ...] = (
    "pseudonym",
    *QUASI_IDENTIFIERS,
    "closed_quarter",
    *(flag.value for flag in FLAGS),
    "witness_called",
    *(f"{metric.value}_months" for metric in DURATIONS),
)
DAYS_A_MONTH = 365.25 / 12

Value = str | bool | int | None


@dataclass(frozen=True)
class CohortExport:
    columns: tuple[str, ...]
    rows: tuple[dict[str, Value], ...]
    #: The log position the cohort is as at.
    position: int
    #: Rows with some quasi-identifier withheld or widened.
    generalised: int
    #: Whether the cohort was too small to release.
    withheld: bool

    def as_csv(self) -> str:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=self.columns, lineterminator="\n")
        writer.writeheader()
        for row in self.rows:
            writer.writerow({k: _text(v) for k, v in row.items()})
        return out.getvalue()

    def as_json_lines(self) -> str:
        return "".join(orjson.dumps(row).decode() + "\n" for row in self.rows)


def _text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def pseudonym(key: bytes, evaluator: str, case_id: str) -> str:
    message = f"{evaluator}\x00{case_id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:24]


class UnsafeCohortRequest(InvalidField):
    """A cohort asked for by other than a named period."""


def cohort_export(
    snapshot: Snapshot, request: Request, *, evaluator: str, key: bytes, threshold: int
) -> CohortExport:
    if request.period.name is None:
        raise UnsafeCohortRequest(
            "period",
            "a cohort is downloaded by a named quarter or financial year: dates "
            "stepped a day at a time would date each opening to the day",
        )
    counter = Counter(snapshot, request)
    members = np.flatnonzero(counter.population)
    if len(members) < threshold:
        return CohortExport(COLUMNS, (), snapshot.position, 0, withheld=True)
    last = counter.last
    region = snapshot.region_on(last)
    jurisdiction = snapshot.places["jurisdiction"].on(last, snapshot.cases)
    jurisdictions = snapshot.strings["jurisdiction"].values
    closed = _closed_on(snapshot, last)
    due = snapshot.six_months_on <= last
    engaged = snapshot.engaged_on <= last
    having = {metric: counter.having(fact) for metric, fact in PERIOD_FACTS.items()}
    called = counter.having(Fact.WITNESS_CALLED)
    call_cases, held, attended_calls = counter.calls()
    trials = np.bincount(call_cases[held], minlength=snapshot.cases)
    attended = np.bincount(call_cases[attended_calls], minlength=snapshot.cases)
    durations = {metric: counter.spans(metric) for metric in DURATIONS}
    rows: list[dict[str, Value]] = []
    for n in members.tolist():
        row: dict[str, Value] = {
            "pseudonym": pseudonym(key, evaluator, snapshot.case_ids[n]),
            "opened_quarter": quarter_of(date.fromordinal(int(snapshot.opened_on[n]))),
            "age_band": BAND_LABELS[int(snapshot.age_band[n])],
            "jurisdiction": (
                jurisdictions[int(jurisdiction[n])] if jurisdiction[n] >= 0 else None
            ),
            "region": REGION_NAMES[int(region[n])],
            "closed_quarter": (
                quarter_of(date.fromordinal(int(closed[n]))) if closed[n] else None
            ),
            Metric.ENGAGED_6_MONTHS.value: bool(engaged[n]) if due[n] else None,
        }
        for metric in PERIOD_FACTS:
            row[metric.value] = bool(having[metric][n])
        row["witness_called"] = bool(called[n])
        # Every call of the period whose trial has taken place was attended;
        # None while no such call is on record.
        row[Metric.ATTENDED_WHEN_CALLED.value] = (
            bool(attended[n] == trials[n]) if trials[n] else None
        )
        for metric, (days, ended) in durations.items():
            row[f"{metric.value}_months"] = (
                round(int(days[n]) / DAYS_A_MONTH) if ended[n] else None
            )
        rows.append({column: row.get(column) for column in COLUMNS})
    generalised = _k_anonymise(rows, threshold)
    rows.sort(key=lambda r: str(r["pseudonym"]))
    return CohortExport(
        COLUMNS, tuple(rows), snapshot.position, generalised, withheld=False
    )


def _closed_on(snapshot: Snapshot, last: int) -> np.ndarray:
    """Each case's closing day as at ``last`` (0 if open on that day)."""
    rows = snapshot.rows
    open_then = np.zeros(snapshot.cases, dtype=np.bool_)
    running = (rows.spell_start <= last) & (rows.spell_end > last)
    open_then[rows.spell_case[running]] = True
    ended = rows.spell_end <= last
    closed = np.zeros(snapshot.cases, dtype=np.int64)
    np.maximum.at(closed, rows.spell_case[ended], rows.spell_end[ended])
    closed[open_then] = 0
    return closed


Generalisation = Callable[[dict[str, Value]], None]


def _withhold(column: str) -> Generalisation:
    def apply(row: dict[str, Value]) -> None:
        row[column] = WITHHELD

    return apply


def _to_year(row: dict[str, Value]) -> None:
    quarter = row["opened_quarter"]
    if isinstance(quarter, str) and "-Q" in quarter:
        row["opened_quarter"] = quarter.split("-Q")[0]


def _withhold_all(row: dict[str, Value]) -> None:
    for column in QUASI_IDENTIFIERS:
        row[column] = WITHHELD


GENERALISATIONS: tuple[Generalisation, ...] = (
    _withhold("region"),
    _withhold("age_band"),
    _to_year,
    _withhold_all,
)


def _k_anonymise(rows: list[dict[str, Value]], threshold: int) -> int:
    """Generalises the rows in rare combinations, step by step; returns how many
    rows were generalised."""
    touched: set[int] = set()
    for generalise in GENERALISATIONS:
        sizes = Tally(_combination(row) for row in rows)
        rare = [i for i, row in enumerate(rows) if sizes[_combination(row)] < threshold]
        if not rare:
            break
        for i in rare:
            generalise(rows[i])
            touched.add(i)
    return len(touched)


def _combination(row: dict[str, Value]) -> tuple[Value, ...]:
    return tuple(row[column] for column in QUASI_IDENTIFIERS)
