"""Periods, six-month anniversaries and age bands, as the evaluation reads them.

Named periods: a calendar quarter ``2024-Q1`` (January to March 2024), a
financial year ``2023/24`` (1 April 2023 to 31 March 2024) and a financial
quarter ``2023/24-Q1`` (April to June 2023). Any other period is given by its
first and last days, both inclusive.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from domain.errors import InvalidField


@dataclass(frozen=True)
class Period:
    first: date
    last: date
    name: str | None = None

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise InvalidField("period", "its last day is before its first")

    @property
    def first_day(self) -> int:
        return self.first.toordinal()

    @property
    def last_day(self) -> int:
        return self.last.toordinal()


_CALENDAR_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_FINANCIAL_YEAR = re.compile(r"^(\d{4})/(\d{2})(?:-Q([1-4]))?$")


def named_period(name: str) -> Period:
    """The period a name stands for; ``InvalidField`` if it names none."""
    text = name.strip().upper()
    if match := _CALENDAR_QUARTER.match(text):
        year, quarter = int(match[1]), int(match[2])
        return Period(*_quarter(year, 3 * quarter - 2), name=text)
    if match := _FINANCIAL_YEAR.match(text):
        year = int(match[1])
        if (year + 1) % 100 != int(match[2]):
            raise InvalidField("period", f"{name!r} is not a financial year")
        if match[3] is None:
            return Period(date(year, 4, 1), date(year + 1, 3, 31), name=text)
        start_month = 4 + 3 * (int(match[3]) - 1)
        first_year = year + (start_month - 1) // 12
        return Period(*_quarter(first_year, (start_month - 1) % 12 + 1), name=text)
    raise InvalidField(
        "period",
        f"{name!r} names no period: use 2024-Q1, 2023/24 or 2023/24-Q1, "
        "or give the first and last days",
    )


def _quarter(year: int, first_month: int) -> tuple[date, date]:
    last_month = first_month + 2
    return (
        date(year, first_month, 1),
        date(year, last_month, calendar.monthrange(year, last_month)[1]),
    )


def months_after(day: date, months: int) -> date:
    """The same day of the month ``months`` on, or that month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def quarter_of(day: date) -> str:
    """The calendar quarter a day falls in: ``2024-Q1``."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


#: Age bands at the case's opening: (label, lowest age in years).
AGE_BANDS: tuple[tuple[str, int], ...] = (
    ("under 18", 0),
    ("18-24", 18),
    ("25-34", 25),
    ("35-44", 35),
    ("45-54", 45),
    ("55-64", 55),
    ("65 and over", 65),
)
UNKNOWN_AGE = "unknown"


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def age_band(earliest_born: date | None, latest_born: date | None, on: date) -> str:
    """The band of the age on ``on``, if every birthday the date of birth allows
    gives the same band; otherwise (or with no date of birth) unknown."""
    if earliest_born is None or latest_born is None:
        return UNKNOWN_AGE
    oldest, youngest = age_on(earliest_born, on), age_on(latest_born, on)
    bands = {_band(oldest), _band(youngest)}
    return bands.pop() if len(bands) == 1 else UNKNOWN_AGE


def _band(age: int) -> str:
    label = UNKNOWN_AGE
    for name, lowest in AGE_BANDS:
        if age >= lowest:
            label = name
    return label


BAND_LABELS: tuple[str, ...] = (*(name for name, _ in AGE_BANDS), UNKNOWN_AGE)
