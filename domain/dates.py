"""Uncertain dates: when a step happened, as honestly as it is known.

Survivors rarely know exact dates. A step's date is written in EDTF (Library of
Congress Extended Date/Time Format, ISO 8601-2), parsed once when the step is
recorded, and kept with the earliest and latest days it could mean and the words
a chronology prints for it. Parsing EDTF costs milliseconds, so the reading is
stored with the event rather than recomputed on every chronology.
"""

from __future__ import annotations

import calendar
import re
import time
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from edtf import parse_edtf
from edtf.parser.edtf_exceptions import EDTFParseException

UNDATED = "undated"
#: Waymark's calendar: a case opened, closed or moved "on" the UK day it was
#: recorded.
UK = ZoneInfo("Europe/London")


def uk_day(moment: datetime) -> date:
    """The UK calendar day of a recorded moment."""
    return moment.astimezone(UK).date()


#: EDTF seasons 21-24: their names and the months they start and end in.
_SEASONS = {
    21: ("spring", 3, 5),
    22: ("summer", 6, 8),
    23: ("autumn", 9, 11),
    24: ("winter", 12, 2),
}


def described(occurred: UncertainDate | None) -> str:
    """How a step's date reads on a chronology; an undated step says so."""
    return occurred.display if occurred else UNDATED


class InvalidDate(ValueError):
    """The text is not an EDTF date Waymark can place on a chronology."""


@dataclass(frozen=True)
class UncertainDate:
    """An EDTF date with the range of days it may mean and how to say it."""

    edtf: str
    earliest: date | None
    latest: date | None
    display: str

    @classmethod
    def parse(cls, text: str) -> UncertainDate:
        text = text.strip()
        if not text:
            raise InvalidDate("a date is needed; leave it out for an undated step")
        bounds = _common_form_bounds(text)
        if bounds is None:
            bounds = _edtf_bounds(text)
        earliest, latest = bounds
        if earliest is None and latest is None:
            raise InvalidDate(f"{text!r} has no known bound; leave the step undated")
        if earliest is not None and latest is not None and earliest > latest:
            raise InvalidDate(f"{text!r} ends before it begins")
        return cls(edtf=text, earliest=earliest, latest=latest, display=_describe(text))

    def is_after(self, day: date) -> bool:
        """True when even the earliest day this date can mean is after ``day``."""
        lower = self.earliest or self.latest
        return lower is not None and lower > day

    def as_record(self) -> dict[str, Any]:
        return {
            "edtf": self.edtf,
            "earliest": self.earliest,
            "latest": self.latest,
            "display": self.display,
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> UncertainDate:
        return cls(
            edtf=record["edtf"],
            earliest=record["earliest"],
            latest=record["latest"],
            display=record["display"],
        )


# The forms advocates write nearly always: a year, month or day with an optional
# qualifier, alone or as either end of an interval. The edtf parser takes several
# milliseconds a date, so these are read directly; a test holds both readings equal.
_COMMON_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?([~?%])?")


_OPEN = frozenset({"..", ""})


def _common_form_bounds(text: str) -> tuple[date | None, date | None] | None:
    """The bounds of a date in a common form; None when the form is not common."""
    lower_text, slash, upper_text = text.partition("/")
    if not slash:
        return _common_date_bounds(text)
    # An empty end (EDTF's "unknown") is read, and described, as an open one.
    lower = (None, None) if lower_text in _OPEN else _common_date_bounds(lower_text)
    upper = (None, None) if upper_text in _OPEN else _common_date_bounds(upper_text)
    if lower is None or upper is None:
        return None
    return lower[0], upper[1]


def _common_date_bounds(text: str) -> tuple[date, date] | None:
    match = _COMMON_DATE.fullmatch(text)
    if match is None:
        return None
    year, month, day = (int(part) if part else None for part in match.groups()[:3])
    qualifier = match.group(4)
    assert year is not None
    if month in _SEASONS and day is None and qualifier is None:
        return _season_bounds(year, month)
    if month is not None and month > 12:
        return None  # anything else past December: the edtf parser decides
    try:
        if month is None:
            return date(year, 1, 1), date(year, 12, 31)
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return date(year, month, 1), date(year, month, last)
        return date(year, month, day), date(year, month, day)
    except ValueError:
        raise InvalidDate(f"{text!r} is not a day in the calendar") from None


def _season_bounds(year: int, season: int) -> tuple[date, date]:
    _, first, last = _SEASONS[season]
    # Winter runs into the next year's February; the edtf parser stops it at the
    # end of December, which would date a February event before its season.
    last_year = year + 1 if last < first else year
    return date(year, first, 1), date(
        last_year, last, calendar.monthrange(last_year, last)[1]
    )


def _edtf_bounds(text: str) -> tuple[date | None, date | None]:
    try:
        parsed = parse_edtf(text)
        return _to_date(parsed.lower_strict()), _to_date(parsed.upper_strict())
    except (EDTFParseException, ValueError, TypeError) as error:
        raise InvalidDate(
            f"{text!r} is not an EDTF date (examples: 2019-06, 2019-06~, "
            "2019-06?, 2018-03/2018-05, ../2016)"
        ) from error


def _to_date(bound: Any) -> date | None:
    if isinstance(bound, time.struct_time):
        return date(bound.tm_year, bound.tm_mon, bound.tm_mday)
    return None  # an open end: -inf or inf


def _describe(text: str) -> str:
    lower_text, slash, upper_text = text.partition("/")
    if not slash:
        return _describe_single(text)
    if lower_text in _OPEN:
        return f"on or before {_describe_single(upper_text)}"
    if upper_text in _OPEN:
        return f"on or after {_describe_single(lower_text)}"
    lower_words = _describe_single(lower_text)
    upper_words = _describe_single(upper_text)
    lower_year, upper_year = lower_text[:4], upper_text[:4]
    # "between March and May 2018" reads better than repeating the year.
    if (
        lower_year == upper_year
        and lower_words.endswith(lower_year)
        and upper_words.endswith(upper_year)
        and lower_words != lower_year
    ):
        lower_words = lower_words[: -len(lower_year)].rstrip()
    return f"between {lower_words} and {upper_words}"


def _describe_single(text: str) -> str:
    approximate = "~" in text or "%" in text
    uncertain = "?" in text or "%" in text
    core = re.sub(r"[~?%]", "", text)
    words = _describe_core(core)
    if approximate:
        words = f"c. {words}"
    if uncertain:
        words = f"{words} (uncertain)"
    return words


def _describe_core(core: str) -> str:
    parts = core.split("-")
    year = parts[0]
    if "X" in year.upper():
        low, high = year.upper().replace("X", "0"), year.upper().replace("X", "9")
        return f"some time between {low} and {high}"
    if len(parts) == 1:
        return year
    month_part = parts[1]
    if month_part.isdigit() and int(month_part) in _SEASONS:
        return f"{_SEASONS[int(month_part)][0]} {year}"
    if not month_part.isdigit():
        return year
    if not 1 <= int(month_part) <= 12:
        # The edtf parser also reads 25-41 (hemisphere seasons, quarters and
        # halves), which this chronology has no words for: say so, not crash.
        raise InvalidDate(
            f"{core!r}: of the EDTF divisions of a year only the seasons 21-24 "
            "(spring to winter) are understood; give a range such as "
            "2019-01/2019-03"
        )
    month = calendar.month_name[int(month_part)]
    if len(parts) == 2 or not parts[2].isdigit():
        return f"{month} {year}"
    return f"{int(parts[2])} {month} {year}"
