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
import unicodedata
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
        if len(text) > EDTF_LIMIT:
            raise InvalidDate(f"at most {EDTF_LIMIT} characters")
        text = _as_written(text.strip())
        if not text:
            raise InvalidDate("a date is needed; leave it out for an undated step")
        _check_years(text)
        members = _set_members(text)
        bounds: tuple[date | None, date | None] | None
        if members is not None:
            bounds = _set_bounds(text, members)
            display = _describe_set(text[0], members)
        else:
            bounds = _common_form_bounds(text)
            if bounds is None:
                bounds = _edtf_bounds(text)
            display = _describe(text)
        earliest, latest = bounds
        if earliest is None and latest is None:
            raise InvalidDate(f"{text!r} has no known bound; leave the step undated")
        if earliest is not None and latest is not None and earliest > latest:
            raise InvalidDate(f"{text!r} ends before it begins")
        return cls(edtf=text, earliest=earliest, latest=latest, display=display)

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


#: The longest EDTF text taken (a set of 20 days fits easily).
EDTF_LIMIT = 256
#: The most dates an EDTF set (``[a, b]``: one of them; ``{a, b}``: all of
#: them) may list.
SET_LIMIT = 20

# What is entered is read as it is meant, and stored as read:
# - digits of any script (Arabic-Indic, Persian, fullwidth) and
#   fullwidth punctuation are read as the ASCII EDTF spells them;
# - a date-time (``2019-06-03T10:00``, with or without seconds and a zone) is
#   read as the day it is written on: a chronology is kept by the day, and the
#   day written is the day the advocate meant, whatever the zone.
_DATE_TIME = re.compile(
    r"(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?",
    re.ASCII,
)


def _as_written(text: str) -> str:
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
        text = "".join(
            str(unicodedata.decimal(c)) if c.isdecimal() and not c.isascii() else c
            for c in text
        )
    if "T" in text:
        text = _DATE_TIME.sub(r"\1", text)
    return text


# A year written with a sign, EDTF's long-year ``Y`` form or five digits or
# more lies outside 1-9999, the years a calendar day can be held for.
_UNPLACEABLE_YEAR = re.compile(r"(?:^|[/\[{,.\s])[-+Y]|\d{5}", re.ASCII)


def _check_years(text: str) -> None:
    if _UNPLACEABLE_YEAR.search(text):
        raise InvalidDate(
            f"{text!r}: only the years 1 to 9999 can be placed on a chronology "
            "(write a year with four digits, without a sign)"
        )


# The forms advocates write nearly always: a year, month or day with an optional
# qualifier, alone or as either end of an interval. The edtf parser takes several
# milliseconds a date, so these are read directly; a test holds both readings equal.
_COMMON_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?([~?%])?", re.ASCII)


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


def _set_members(text: str) -> list[str] | None:
    """The members of an EDTF set (``[...]``: one of; ``{...}``: all of),
    each a date or a range ``a..b`` (``..b``: b or earlier; ``a..``: a or
    later); None when ``text`` is not a set."""
    if text[0] not in "[{":
        return None
    closing = "]" if text[0] == "[" else "}"
    if text[-1] != closing:
        raise InvalidDate(f"{text!r}: a set is closed by {closing!r}")
    members = [member.strip() for member in text[1:-1].split(",")]
    if len(members) > SET_LIMIT:
        raise InvalidDate(f"a set lists at most {SET_LIMIT} dates")
    if not all(members):
        raise InvalidDate(f"{text!r}: a set lists dates separated by commas")
    return members


def _set_bounds(text: str, members: list[str]) -> tuple[date | None, date | None]:
    """From the earliest day any member may mean to the latest: read directly
    when every member is in a common form, else by the edtf parser."""
    lowers: list[date | None] = []
    uppers: list[date | None] = []
    for member in members:
        start, dots, end = member.partition("..")
        if not dots:
            start = end = member
        low = (None, None) if start == "" else _common_date_bounds(start)
        high = (None, None) if end == "" else _common_date_bounds(end)
        if low is None or high is None:
            return _edtf_bounds(text)
        lowers.append(low[0])
        uppers.append(high[1])
    earliest = None if None in lowers else min(d for d in lowers if d is not None)
    latest = None if None in uppers else max(d for d in uppers if d is not None)
    return earliest, latest


def _describe_set(opening: str, members: list[str]) -> str:
    words = [_describe_member(member) for member in members]
    if len(words) == 1:
        return words[0]
    joined = ", ".join(words[:-1])
    if opening == "[":
        return f"one of {joined} or {words[-1]}"
    return f"all of {joined} and {words[-1]}"


def _describe_member(member: str) -> str:
    start, dots, end = member.partition("..")
    if not dots:
        return _describe_single(member)
    if not start:
        return f"{_describe_single(end)} or earlier"
    if not end:
        return f"{_describe_single(start)} or later"
    return f"{_describe_single(start)} to {_describe_single(end)}"


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
