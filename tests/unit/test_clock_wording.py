"""Every explanation reads as English: the templates are exercised with every
kind of start step, every kind of date, and each way a clock can stand.

A clock started from an uncertain date says its deadline is the earliest
possible one; a missed clock says what can be done now, and only then.
"""

from __future__ import annotations

import re
from datetime import date
from itertools import product
from typing import Any, NamedTuple

import pytest

from domain.case import Jurisdiction
from domain.clocks import Clock, ClockStatus, Variant
from tests.unit.test_clocks_judged import INCIDENT, POSITIVE, Journey

REFUSED = {"outcome": "refused"}

#: Each start step, and the steps that may follow it: stopping its clock, making
#: it irrelevant, or extending it.
STARTS: dict[str, tuple[dict[str, Any], tuple[str, ...]]] = {
    "harm.incident": (
        INCIDENT,
        ("compensation.cica_application_submitted", "compensation.cica_decision"),
    ),
    "compensation.cica_decision": (
        REFUSED,
        ("compensation.cica_review_requested", "compensation.cica_review_decision"),
    ),
    "compensation.cica_review_decision": (
        REFUSED,
        (
            "compensation.tribunal_appeal_lodged",
            "compensation.tribunal_extension_requested",
            "compensation.tribunal_extension_granted",
            "compensation.tribunal_decision",
        ),
    ),
    "nrm.referred": (
        {},
        ("nrm.reasonable_grounds_decision", "nrm.conclusive_grounds_decision"),
    ),
    "nrm.reasonable_grounds_decision": (
        POSITIVE,
        ("nrm.conclusive_grounds_decision", "nrm.support_ended"),
    ),
}
#: Exact, approximate, a month, a year, an open start and a range; and recent
#: ones, for clocks still running.
DATES = (
    "2019-06-14",
    "2019-06~",
    "2019-06",
    "2019",
    "../2019-05",
    "2019-06/2019-08",
    "2026-10-01",
    "2026-10~",
)
UNCERTAIN = {"2019-06~", "2019-06", "2019", "2019-06/2019-08", "2026-10~"}
#: When the following step came: none, soon after, long after.
FOLLOWING = (None, "2019-09-02", "2023-03-01", "2026-11-02")
PLACES = tuple(Jurisdiction)
BIRTHS = (None, "2003-02-10", "1990", "2001-06-01")


class Told(NamedTuple):
    story: str
    clock: Clock
    #: Started by the story's first step, whose date is the one varied.
    by_first: bool
    occurred: str


def explanations() -> list[Told]:
    found = []
    for (kind, (details, follows)), occurred, following, where, born in product(
        STARTS.items(), DATES, FOLLOWING, PLACES, BIRTHS
    ):
        if born is not None and kind != "harm.incident":
            continue
        for follow in follows if following else (None,):
            journey = Journey(jurisdiction=where, born=born)
            first = journey.step(kind, occurred, details)
            if born is not None and following is not None:
                journey.step("criminal_justice.crime_reported", following, {})
            if follow is not None and following is not None:
                journey.step(follow, following, {"outcome": "positive"})
            for clock in journey.judged(date(2026, 11, 26)).clocks:
                story = f"{kind} {occurred} then {follow} {following} in {where} "
                found.append(
                    Told(
                        story + f"born {born}",
                        clock,
                        clock.started_by == first,
                        occurred,
                    )
                )
    return found


EXPLAINED = explanations()


def test_the_stories_reach_every_status() -> None:
    assert {told.clock.status for told in EXPLAINED} == set(ClockStatus)


@pytest.mark.parametrize("told", EXPLAINED, ids=lambda told: "")
def test_every_explanation_reads_as_sentences(told: Told) -> None:
    story, clock = told.story, told.clock
    text = clock.explanation
    assert text[0].isupper() and text.endswith("."), story
    # No sentence starts in lower case; no stray spaces or doubled stops.
    assert not re.search(r"\. [a-z]", text), (story, text)
    assert not re.search(r"  | \.| ,|\.\.(?!/)|\(\)", text), (story, text)
    # Articles agree with the word after them.
    assert not re.search(r"(?:^|\s)[Aa] [aeiou]", text), (story, text)
    assert not re.search(r"(?:^|\s)[Aa]n [b-df-hj-np-tv-z]", text), (story, text)
    # What can be done is said for a missed clock only, and always with it.
    assert ("What can be done now" in text) is bool(clock.needs), (story, text)
    if clock.status is not ClockStatus.MISSED:
        assert not clock.needs, story


@pytest.mark.parametrize(
    "told",
    [
        told
        for told in EXPLAINED
        if told.by_first
        and told.occurred in UNCERTAIN
        and told.clock.rule.variant is Variant.GENERAL  # a child's runs from birth
    ],
    ids=lambda told: "",
)
def test_a_clock_started_from_an_uncertain_date_says_its_date_is_the_earliest(
    told: Told,
) -> None:
    assert re.search(
        r"is the earliest possible (deadline|end of the period)", told.clock.explanation
    ), (told.story, told.clock.explanation)


@pytest.mark.parametrize(
    "told",
    [
        told
        for told in EXPLAINED
        if told.by_first
        and told.occurred.startswith("..")
        and told.clock.rule.variant is Variant.GENERAL
    ],
    ids=lambda told: "",
)
def test_a_clock_started_from_an_open_start_says_its_date_may_be_earlier(
    told: Told,
) -> None:
    assert "may be earlier" in told.clock.explanation, told.story
