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
from datetime import date
from typing import Any

from edtf import parse_edtf
from edtf.parser.edtf_exceptions import EDTFParseException

UNDATED = "undated"

_SEASONS = {21: "spring", 22: "summer", 23: "autumn", 24: "winter"}


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
        try:
            parsed = parse_edtf(text)
        except (EDTFParseException, ValueError, TypeError) as error:
            raise InvalidDate(
                f"{text!r} is not an EDTF date (examples: 2019-06, 2019-06~, "
                "2019-06?, 2018-03/2018-05, ../2016)"
            ) from error
        earliest = _to_date(parsed.lower_strict())
        latest = _to_date(parsed.upper_strict())
        if earliest is None and latest is None:
            raise InvalidDate(f"{text!r} has no known bound; leave the step undated")
        return cls(
            edtf=text,
            earliest=earliest,
            latest=latest,
            display=_describe(parsed, text),
        )

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


def _to_date(bound: Any) -> date | None:
    if isinstance(bound, time.struct_time):
        return date(bound.tm_year, bound.tm_mon, bound.tm_mday)
    return None  # an open end: -inf or inf


def _describe(parsed: Any, text: str) -> str:
    kind = type(parsed).__name__
    if kind in {"Interval", "Level1Interval", "Level2Interval"}:
        return _describe_interval(parsed)
    return _describe_single(text)


def _describe_interval(parsed: Any) -> str:
    lower_text = str(parsed.lower).strip()
    upper_text = str(parsed.upper).strip()
    lower_open = lower_text in {"..", "", "None"}
    upper_open = upper_text in {"..", "", "None"}
    if lower_open:
        return f"on or before {_describe_single(upper_text)}"
    if upper_open:
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
        return f"{_SEASONS[int(month_part)]} {year}"
    if not month_part.isdigit():
        return year
    month = calendar.month_name[int(month_part)]
    if len(parts) == 2 or not parts[2].isdigit():
        return f"{month} {year}"
    return f"{int(parts[2])} {month} {year}"
