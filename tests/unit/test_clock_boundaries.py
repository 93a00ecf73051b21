"""One boundary per rule: the last day a clock shows is the last day the act is
in time, counted as the rule's own words count it.

Judged as at its last day a clock is still running, with 0 days left; the next
day a deadline is missed and a period of protection has run. An act on the last
day meets a deadline; an act the day after misses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest

from domain.case import Jurisdiction
from domain.clocks import RULES, ClockKind, ClockStatus
from tests.unit.test_clocks_judged import INCIDENT, POSITIVE, Journey

EW = Jurisdiction.ENGLAND_AND_WALES
SCT = Jurisdiction.SCOTLAND
NI = Jurisdiction.NORTHERN_IRELAND
REFUSED = {"outcome": "refused"}


@dataclass(frozen=True)
class Boundary:
    rule_id: str
    clock: ClockKind
    #: The steps that start the clock (kind, date, details), in order.
    steps: tuple[tuple[str, str, dict[str, Any]], ...]
    last_day: date
    #: The step kind that meets the deadline; None for a period of protection.
    meets: str | None
    where: Jurisdiction = EW
    born: str | None = None
    why: str = ""


BOUNDARIES = (
    Boundary(
        "cica-2008-para-18",
        ClockKind.CICA_APPLICATION,
        (("harm.incident", "2010-03-15", INCIDENT),),
        date(2012, 3, 15),
        "compensation.cica_application_submitted",
        why="within 2 years of the incident: the anniversary is the last day",
    ),
    Boundary(
        "cica-2012-para-87",
        ClockKind.CICA_APPLICATION,
        (("harm.incident", "2019-06-14", INCIDENT),),
        date(2021, 6, 14),
        "compensation.cica_application_submitted",
        why="within 2 years after the incident: the anniversary is the last day",
    ),
    Boundary(
        "cica-2012-para-88-1-a",
        ClockKind.CICA_APPLICATION,
        (
            ("harm.incident", "2020-05-01", INCIDENT),
            ("criminal_justice.crime_reported", "2020-06-01", {}),
        ),
        date(2025, 3, 9),
        "compensation.cica_application_submitted",
        born="2005-03-10",
        why="before the 20th birthday: the day before it is the last day",
    ),
    Boundary(
        "cica-2012-para-88-1-b",
        ClockKind.CICA_APPLICATION,
        (
            ("harm.incident", "2020-05-01", INCIDENT),
            ("criminal_justice.crime_reported", "2024-02-20", {}),
        ),
        date(2026, 2, 20),
        "compensation.cica_application_submitted",
        born="2005-03-10",
        why="within 2 years of the first report, made at 18",
    ),
    Boundary(
        "cica-2008-review",
        ClockKind.CICA_REVIEW_REQUEST,
        (
            ("compensation.cica_application_submitted", "2011-05-03", {}),
            ("compensation.cica_decision", "2012-02-01", REFUSED),
        ),
        date(2012, 5, 1),
        "compensation.cica_review_requested",
        why="90 days of the decision, under the application's 2008 Scheme",
    ),
    Boundary(
        "cica-2012-review",
        ClockKind.CICA_REVIEW_REQUEST,
        (("compensation.cica_decision", "2026-02-02", REFUSED),),
        date(2026, 3, 30),
        "compensation.cica_review_requested",
        why="56 days of the decision",
    ),
    Boundary(
        "ftt-sec-2008-r22",
        ClockKind.TRIBUNAL_APPEAL,
        (("compensation.cica_review_decision", "2026-06-01", REFUSED),),
        date(2026, 9, 1),
        "compensation.tribunal_appeal_lodged",
        why="90 days after, ending on a Sunday before a bank holiday: r.12(2) "
        "carries it to the Tuesday",
    ),
    Boundary(
        "nrm-rg-5-working-days",
        ClockKind.REASONABLE_GROUNDS_DECISION,
        (("nrm.referred", "2024-08-23", {}),),
        date(2024, 9, 2),
        "nrm.reasonable_grounds_decision",
        why="5 working days, skipping the weekend and the bank holiday",
    ),
    Boundary(
        "nrm-recovery-ew-45",
        ClockKind.RECOVERY_PERIOD,
        (("nrm.reasonable_grounds_decision", "2020-03-02", POSITIVE),),
        date(2020, 4, 16),
        None,
        why="45 days after the decision",
    ),
    Boundary(
        "nrm-recovery-ew-30-guidance",
        ClockKind.RECOVERY_PERIOD,
        (("nrm.reasonable_grounds_decision", "2022-12-20", POSITIVE),),
        date(2023, 1, 19),
        None,
        why="the guidance's 30 days, between 13 December 2022 and the statute",
    ),
    Boundary(
        "nrm-recovery-ew-30",
        ClockKind.RECOVERY_PERIOD,
        (("nrm.reasonable_grounds_decision", "2024-09-02", POSITIVE),),
        date(2024, 10, 1),
        None,
        why="30 days beginning with the day of the decision",
    ),
    Boundary(
        "nrm-recovery-ni-45",
        ClockKind.RECOVERY_PERIOD,
        (("nrm.reasonable_grounds_decision", "2025-03-20", POSITIVE),),
        date(2025, 5, 4),
        None,
        where=NI,
        why="45 days from the date of the determination",
    ),
    Boundary(
        "nrm-recovery-scotland-45",
        ClockKind.RECOVERY_PERIOD,
        (("nrm.reasonable_grounds_decision", "2017-05-02", POSITIVE),),
        date(2017, 6, 16),
        None,
        where=SCT,
        why="45 days, before the 2018 Regulations",
    ),
    Boundary(
        "nrm-recovery-scotland-90",
        ClockKind.RECOVERY_PERIOD,
        (("nrm.reasonable_grounds_decision", "2025-01-06", POSITIVE),),
        date(2025, 4, 6),
        None,
        where=SCT,
        why="90 days from the date of the decision",
    ),
)


def journey_for(boundary: Boundary) -> Journey:
    journey = Journey(jurisdiction=boundary.where, born=boundary.born)
    for kind, occurred, details in boundary.steps:
        journey.step(kind, occurred, details)
    return journey


def test_every_rule_has_a_boundary() -> None:
    assert sorted(b.rule_id for b in BOUNDARIES) == sorted(r.id for r in RULES)


@pytest.mark.parametrize("boundary", BOUNDARIES, ids=lambda b: b.rule_id)
def test_on_its_last_day_a_clock_runs_and_the_next_day_it_has_run_out(
    boundary: Boundary,
) -> None:
    last = boundary.last_day

    on_it = journey_for(boundary).clock(boundary.clock, last)
    after = journey_for(boundary).clock(boundary.clock, last + timedelta(days=1))

    assert on_it.rule.id == boundary.rule_id, boundary.why
    assert (on_it.due_on, on_it.status, on_it.days_left) == (
        last,
        ClockStatus.RUNNING,
        0,
    ), boundary.why
    expected = ClockStatus.MISSED if boundary.meets else ClockStatus.MET
    assert (after.due_on, after.status) == (last, expected), boundary.why


@pytest.mark.parametrize(
    "boundary", [b for b in BOUNDARIES if b.meets], ids=lambda b: b.rule_id
)
def test_an_act_on_the_last_day_is_in_time_and_the_day_after_is_late(
    boundary: Boundary,
) -> None:
    assert boundary.meets is not None
    last = boundary.last_day
    in_time = journey_for(boundary)
    in_time.step(boundary.meets, last.isoformat(), {"outcome": "positive"})
    late = journey_for(boundary)
    late.step(boundary.meets, (last + timedelta(days=1)).isoformat(), {})

    met = in_time.clock(boundary.clock)
    missed = late.clock(boundary.clock)

    assert (met.rule.id, met.status) == (boundary.rule_id, ClockStatus.MET)
    assert "on the deadline day" in met.explanation
    assert (missed.rule.id, missed.status) == (boundary.rule_id, ClockStatus.MISSED)
    assert "1 day after the deadline" in missed.explanation


@pytest.mark.parametrize(
    "boundary",
    [b for b in BOUNDARIES if not b.meets and b.rule_id != "nrm-recovery-scotland-90"],
    ids=lambda b: b.rule_id,
)
def test_support_ended_before_the_last_day_cuts_the_period_short(
    boundary: Boundary,
) -> None:
    last = boundary.last_day
    early = journey_for(boundary)
    early.step("nrm.support_ended", (last - timedelta(days=1)).isoformat())
    full = journey_for(boundary)
    full.step("nrm.support_ended", last.isoformat())

    cut = early.clock(boundary.clock)
    ran = full.clock(boundary.clock)

    assert (cut.status, bool(cut.needs)) == (ClockStatus.MISSED, True)
    assert (ran.status, ran.needs) == (ClockStatus.MET, ())
