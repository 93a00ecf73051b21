"""Days, working days and birthdays, by the bank holidays of each UK nation.

Bank holidays come from the maintained ``holidays`` package (the Open World
Holidays Framework), never from a hand-written list: England and Wales share one
calendar; Scotland (2 January, St Andrew's Day, an early August holiday, no Easter
Monday) and Northern Ireland (St Patrick's Day, the Battle of the Boyne) differ.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

from domain.case import Jurisdiction

#: The ISO 3166-2 subdivision whose bank holidays a jurisdiction keeps. Wales
#: keeps England's, so England and Wales is read from England's calendar.
SUBDIVISIONS: dict[Jurisdiction, str] = {
    Jurisdiction.ENGLAND_AND_WALES: "ENG",
    Jurisdiction.SCOTLAND: "SCT",
    Jurisdiction.NORTHERN_IRELAND: "NIR",
}


@lru_cache(maxsize=512)
def bank_holidays(jurisdiction: Jurisdiction, year: int) -> dict[date, str]:
    """The jurisdiction's bank holidays in ``year``, by day, with their names."""
    calendar = holidays.country_holidays(
        "GB", subdiv=SUBDIVISIONS[jurisdiction], years=year
    )
    return {day: str(name) for day, name in calendar.items() if day.year == year}


def is_working_day(day: date, jurisdiction: Jurisdiction) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(jurisdiction, day.year)


def add_working_days(start: date, count: int, jurisdiction: Jurisdiction) -> date:
    """The ``count``-th working day after ``start`` (``start`` itself not counted)."""
    day = start
    counted = 0
    while counted < count:
        day += timedelta(days=1)
        if is_working_day(day, jurisdiction):
            counted += 1
    return day


def next_working_day(day: date, jurisdiction: Jurisdiction) -> date:
    """The first working day after ``day``."""
    return add_working_days(day, 1, jurisdiction)


def non_working_days(start: date, end: date, jurisdiction: Jurisdiction) -> list[str]:
    """Each day from ``start`` to ``end`` in words, with why it is not a working
    day: ``Saturday 29 August 2026``, ``Summer Bank Holiday (31 August 2026)``."""
    days = []
    day = start
    while day <= end:
        name = bank_holidays(jurisdiction, day.year).get(day)
        if name is not None:
            days.append(f"{name} ({say(day)})")
        elif day.weekday() >= 5:
            days.append(f"{day:%A} {say(day)}")
        day += timedelta(days=1)
    return days


def skipped_days(start: date, end: date, jurisdiction: Jurisdiction) -> list[str]:
    """The bank holidays after ``start`` up to ``end`` that fell on weekdays."""
    skipped = []
    day = start + timedelta(days=1)
    while day <= end:
        name = bank_holidays(jurisdiction, day.year).get(day)
        if name is not None and day.weekday() < 5:
            skipped.append(f"{name} ({say(day)})")
        day += timedelta(days=1)
    return skipped


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February falls back to 28 February, the
    earlier choice, so a deadline is never placed later than it may be."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def say(day: date) -> str:
    """A day in words, as a chronology prints it: ``26 August 2024``."""
    return f"{day.day} {day:%B %Y}"
