"""Narrated clock scenarios, on the in-memory, SQLite and PostgreSQL stores.

The steps are recorded through the application, as an advocate would; the clocks
are folded from the case's own stream and judged as at the tests' fixed today
(26 November 2026) or an earlier day. Every fact here is synthetic.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from domain.application import CaseJourneys, StepInput
from domain.clocks import Clock, ClockKind, ClockStatus
from projections.deadlines import (
    ClockRole,
    Deadlines,
    DeadlinesFold,
    deadlines_of,
)
from tests.conftest import TODAY

ADVOCATE = "advocate-rowan"


def open_case(app: CaseJourneys, reference: str, jurisdiction: str) -> UUID:
    return app.open_case(
        reference=reference,
        organisation_id="org-north",
        jurisdiction=jurisdiction,
        recorded_by=ADVOCATE,
    ).case_id


def record(
    app: CaseJourneys,
    case_id: UUID,
    kind: str,
    occurred: str | None,
    summary: str,
    details: dict[str, Any] | None = None,
) -> UUID:
    step = StepInput(kind, occurred, summary, details)
    return app.record_step(case_id, step, recorded_by=ADVOCATE).id


def deadlines(app: CaseJourneys, case_id: UUID, as_of: date = TODAY) -> Deadlines:
    return deadlines_of(app.case_events(case_id), as_of)


def clock(view: Deadlines, kind: ClockKind) -> Clock:
    (found,) = [c for c in view.clocks if c.kind is kind]
    return found


def test_an_application_three_years_after_the_incident_is_out_of_time_and_needs_para_89(
    journeys: CaseJourneys,
) -> None:
    # Assaulted by her exploiter some time in 2019; she applied to CICA in March 2022.
    case_id = open_case(journeys, "CICA-LATE", "england_and_wales")
    incident = record(
        journeys,
        case_id,
        "harm.incident",
        "2019",
        "Assaulted by the person who exploited her",
        {"offences": ["assault occasioning actual bodily harm"]},
    )
    application = record(
        journeys,
        case_id,
        "compensation.cica_application_submitted",
        "2022-03-10",
        "Application made to CICA with her advocate",
    )

    cica = clock(deadlines(journeys, case_id), ClockKind.CICA_APPLICATION)

    # The year-only date runs from 1 January 2019: the earliest possible deadline.
    assert (cica.started_by, cica.started_on, cica.due_on) == (
        incident,
        date(2019, 1, 1),
        date(2021, 1, 1),
    )
    assert cica.status is ClockStatus.MISSED
    assert cica.stopped_by == (application,)
    assert cica.rule.id == "cica-2012-para-87"
    assert "para 87" in cica.rule.citation
    assert "earliest possible deadline" in cica.explanation
    assert "433 days after the deadline of 1 January 2021" in cica.explanation
    # What the late application needs: the exceptional-circumstances evidence.
    assert any("exceptional circumstances" in need for need in cica.needs)
    assert all("para 89" in need for need in cica.needs)
    assert "para 89" in cica.explanation


def test_a_survivor_16_at_the_incident_and_reported_at_17_has_until_the_20th_birthday(
    journeys: CaseJourneys,
) -> None:
    # Jin was exploited at 16; the police took his report when he was 17.
    case_id = open_case(journeys, "JIN-CICA", "england_and_wales")
    journeys.record_date_of_birth(case_id, "2007-01-15", recorded_by=ADVOCATE)
    record(
        journeys,
        case_id,
        "harm.incident",
        "2023-05~",
        "Injured while forced to work at a cannabis farm",
        {"offences": ["assault", "forced labour"]},
    )
    before_report = clock(deadlines(journeys, case_id), ClockKind.CICA_APPLICATION)
    record(
        journeys,
        case_id,
        "criminal_justice.crime_reported",
        "2024-03-01",
        "Reported to the police",
        {"crime_reference": "CR/2024/0301"},
    )

    cica = clock(deadlines(journeys, case_id), ClockKind.CICA_APPLICATION)

    # A child at the incident with no report on record: the window has not
    # started (para 88(1)(b)); never "missed", and no plea of exceptional
    # circumstances.
    assert (before_report.rule.id, before_report.status) == (
        "cica-2012-para-88-1-b",
        ClockStatus.NOT_STARTED,
    )
    assert (before_report.due_on, before_report.needs) == (None, ())
    assert "no report to the police is on record" in before_report.explanation
    assert "exceptional" not in before_report.explanation
    # Under 18 and reported before 18: until the day before his 20th birthday.
    assert cica.rule.id == "cica-2012-para-88-1-a"
    assert "para 88(1)(a)" in cica.rule.citation
    assert "check" not in cica.rule.citation
    assert cica.due_on == date(2027, 1, 14)
    assert (cica.status, cica.days_left) == (ClockStatus.RUNNING, 49)
    assert "before their 20th birthday, 15 January 2027" in cica.explanation


def test_a_working_day_clock_skips_the_weekend_and_the_nations_bank_holiday(
    journeys: CaseJourneys,
) -> None:
    # Both referred on Friday 23 August 2024; Monday 26 August was a bank holiday
    # in England and Wales but not in Scotland (whose summer holiday is in early August).
    english = open_case(journeys, "NRM-EW", "england_and_wales")
    scottish = open_case(journeys, "NRM-SCT", "scotland")
    for case_id in (english, scottish):
        record(journeys, case_id, "nrm.referred", "2024-08-23", "Referred into the NRM")
    decision = record(
        journeys,
        english,
        "nrm.reasonable_grounds_decision",
        "2024-09-02",
        "Positive reasonable grounds decision",
        {"outcome": "positive"},
    )

    in_england = clock(
        deadlines(journeys, english), ClockKind.REASONABLE_GROUNDS_DECISION
    )
    in_scotland = clock(
        deadlines(journeys, scottish), ClockKind.REASONABLE_GROUNDS_DECISION
    )

    # Tue 27, Wed 28, Thu 29, Fri 30 August and Monday 2 September.
    assert in_england.due_on == date(2024, 9, 2)
    assert "Late Summer Bank Holiday (26 August 2024)" in in_england.explanation
    assert (in_england.status, in_england.stopped_by) == (ClockStatus.MET, (decision,))
    assert "on the deadline day" in in_england.explanation
    # Mon 26 to Fri 30 August.
    assert in_scotland.due_on == date(2024, 8, 30)
    assert in_scotland.status is ClockStatus.MISSED
    # The positive decision starts England and Wales' recovery period.
    recovery = clock(deadlines(journeys, english), ClockKind.RECOVERY_PERIOD)
    # 30 days beginning with the day of the decision: 2 September to 1 October.
    assert (recovery.rule.id, recovery.due_on) == (
        "nrm-recovery-ew-30",
        date(2024, 10, 1),
    )


def test_a_review_request_a_day_late_is_missed_and_a_tribunal_extension_reopens_the_appeal(
    journeys: CaseJourneys,
) -> None:
    case_id = open_case(journeys, "CICA-REVIEW", "england_and_wales")
    decision = record(
        journeys,
        case_id,
        "compensation.cica_decision",
        "2026-02-02",
        "CICA refused the application",
        {"outcome": "refused", "amount": None},
    )
    # 56 days from 2 February is 30 March; the request went in on 31 March.
    request = record(
        journeys,
        case_id,
        "compensation.cica_review_requested",
        "2026-03-31",
        "Review requested",
    )
    review = clock(deadlines(journeys, case_id), ClockKind.CICA_REVIEW_REQUEST)
    assert (review.started_by, review.due_on) == (decision, date(2026, 3, 30))
    assert (review.status, review.stopped_by) == (ClockStatus.MISSED, (request,))
    assert "1 day after the deadline of 30 March 2026" in review.explanation
    assert "(check;" in review.rule.citation
    assert review.needs

    # The late request was accepted; the review upheld the refusal on 1 June.
    review_decision = record(
        journeys,
        case_id,
        "compensation.cica_review_decision",
        "2026-06-01",
        "Review upheld the refusal",
        {"outcome": "refused", "amount": None},
    )
    appeal = clock(
        deadlines(journeys, case_id, date(2026, 8, 1)), ClockKind.TRIBUNAL_APPEAL
    )
    # 90 days after 1 June end on Sunday 30 August, and Monday 31 August is the
    # late summer bank holiday: under r.12(2) the appeal is in time on Tuesday.
    assert (appeal.started_by, appeal.due_on, appeal.status) == (
        review_decision,
        date(2026, 9, 1),
        ClockStatus.RUNNING,
    )
    assert appeal.rule.id == "ftt-sec-2008-r22"
    assert (
        "The 90 days end on 30 August 2026, which is not a working day in England "
        "and Wales (Sunday 30 August 2026, Late Summer Bank Holiday (31 August 2026)): "
        "under r.12(2) the time runs to the next working day, so the last day in "
        "time is 1 September 2026." in appeal.explanation
    )

    record(
        journeys,
        case_id,
        "compensation.tribunal_extension_requested",
        "2026-09-15",
        "Asked the Tribunal to extend time, with reasons",
    )
    late = clock(deadlines(journeys, case_id), ClockKind.TRIBUNAL_APPEAL)
    assert late.status is ClockStatus.MISSED
    assert "requested (15 September 2026); no decision on it" in late.explanation
    # The request is what could be done, and it has been: wait for the Tribunal.
    (waiting,) = late.needs
    assert waiting.startswith("wait for the Tribunal's decision on the request")

    grant = record(
        journeys,
        case_id,
        "compensation.tribunal_extension_granted",
        "2026-10-20",
        "The Tribunal extended time to appeal",
    )
    reopened = clock(deadlines(journeys, case_id), ClockKind.TRIBUNAL_APPEAL)
    # 90 days from the grant (the grant gives no date of its own).
    assert reopened.status is ClockStatus.EXTENDED
    assert (reopened.original_due_on, reopened.due_on) == (
        date(2026, 9, 1),
        date(2027, 1, 18),
    )
    assert reopened.extended_by == (grant,)
    assert reopened.days_left == 53

    lodged = record(
        journeys,
        case_id,
        "compensation.tribunal_appeal_lodged",
        "2026-11-20",
        "Appeal lodged",
    )
    view = deadlines(journeys, case_id)
    done = clock(view, ClockKind.TRIBUNAL_APPEAL)
    assert (done.status, done.stopped_by) == (ClockStatus.MET, (lodged,))
    # The missed review stays visible beside the met appeal.
    assert clock(view, ClockKind.CICA_REVIEW_REQUEST).status is ClockStatus.MISSED
    roles = {
        step_id: [(c.clock.kind, c.role) for c in clocks]
        for step_id, clocks in view.by_step().items()
    }
    assert roles[grant] == [(ClockKind.TRIBUNAL_APPEAL, ClockRole.EXTENDED)]
    assert roles[lodged] == [(ClockKind.TRIBUNAL_APPEAL, ClockRole.STOPPED)]
    assert roles[review_decision] == [(ClockKind.TRIBUNAL_APPEAL, ClockRole.STARTED)]


def test_a_case_moving_from_scotland_to_england_follows_each_nations_rules_from_the_move(
    journeys: CaseJourneys,
) -> None:
    case_id = open_case(journeys, "MOVE-SCT-EW", "scotland")
    # Referred on Friday 29 November 2024 in Glasgow: St Andrew's Day fell on a
    # Saturday, so Scotland's bank holiday was Monday 2 December.
    referral = record(
        journeys, case_id, "nrm.referred", "2024-11-29", "Referred into the NRM"
    )
    move = record(
        journeys,
        case_id,
        "transition.moved_area",
        "2024-12-04",
        "Moved to safe accommodation in Leeds",
        {"local_authority": "Leeds", "jurisdiction": "england_and_wales"},
    )
    decision = record(
        journeys,
        case_id,
        "nrm.reasonable_grounds_decision",
        "2024-12-06",
        "Positive reasonable grounds decision",
        {"outcome": "positive"},
    )
    conclusive = record(
        journeys,
        case_id,
        "nrm.conclusive_grounds_decision",
        "2025-03-10",
        "Positive conclusive grounds decision",
        {"outcome": "positive"},
    )

    view = deadlines(journeys, case_id)
    rg = clock(view, ClockKind.REASONABLE_GROUNDS_DECISION)
    recovery = clock(view, ClockKind.RECOVERY_PERIOD)

    # The referral was made in Scotland: Scottish working days, Scottish holidays.
    assert (rg.started_by, rg.jurisdiction.value) == (referral, "scotland")
    assert rg.due_on == date(2024, 12, 9)
    assert "Saint Andrew's Day (observed) (2 December 2024)" in rg.explanation
    assert "moved to England and Wales only on 4 December 2024" in rg.explanation
    assert (rg.status, rg.stopped_by) == (ClockStatus.MET, (decision,))
    # The decision came after the move: England and Wales' recovery period, not
    # Scotland's 90 days.
    assert recovery.jurisdiction.value == "england_and_wales"
    assert (recovery.rule.id, recovery.due_on) == (
        "nrm-recovery-ew-30",
        date(2025, 1, 4),
    )
    assert "it moved there (Leeds) on 4 December 2024" in recovery.explanation
    assert (recovery.status, recovery.stopped_by) == (ClockStatus.MET, (conclusive,))
    assert [(s.jurisdiction.value, s.since, s.step_id) for s in view.jurisdictions] == [
        ("scotland", None, None),
        ("england_and_wales", date(2024, 12, 4), move),
    ]

    # Had the move come after the decision, Scotland's support for up to 90 days
    # would have applied: correcting the move's date shows it.
    journeys.correct_step(
        case_id,
        move,
        StepInput(
            "transition.moved_area",
            "2024-12-20",
            "Moved to safe accommodation in Leeds",
            {"local_authority": "Leeds", "jurisdiction": "england_and_wales"},
        ),
        reason="The tenancy began on 20 December",
        recorded_by=ADVOCATE,
    )
    stayed = clock(deadlines(journeys, case_id), ClockKind.RECOVERY_PERIOD)
    assert (stayed.rule.id, stayed.due_on) == (
        "nrm-recovery-scotland-90",
        date(2025, 3, 6),
    )
    assert "ends at the earlier of the end of 90 days and the conclusive grounds" in (
        stayed.explanation
    )


def test_retracted_steps_start_no_clock_and_a_warm_fold_equals_one_from_scratch(
    journeys: CaseJourneys,
) -> None:
    case_id = open_case(journeys, "FOLD-1", "northern_ireland")
    warm = DeadlinesFold()
    mistaken = record(journeys, case_id, "nrm.referred", "2025-01-10", "Referred")
    for event in journeys.case_events(case_id):
        warm.fold(event)
    journeys.retract_step(
        case_id, mistaken, reason="Entered on the wrong case", recorded_by=ADVOCATE
    )
    record(journeys, case_id, "nrm.referred", "2025-03-14", "Referred")
    record(
        journeys,
        case_id,
        "nrm.reasonable_grounds_decision",
        "2025-03-20",
        "Positive reasonable grounds decision",
        {"outcome": "positive"},
    )
    record(
        journeys,
        case_id,
        "compensation.cica_decision",
        "2025-06",
        "CICA decision",
        {"outcome": "award", "amount": "1000.00"},
    )
    for event in journeys.case_events(case_id, after_version=warm.version):
        warm.fold(event)

    fresh = deadlines(journeys, case_id)

    assert warm.freeze(TODAY) == fresh
    assert mistaken not in {c.started_by for c in fresh.clocks}
    rg = clock(fresh, ClockKind.REASONABLE_GROUNDS_DECISION)
    # Monday 17 March 2025 was St Patrick's Day (a bank holiday in Northern Ireland).
    assert rg.due_on == date(2025, 3, 24)
    assert clock(fresh, ClockKind.RECOVERY_PERIOD).rule.id == "nrm-recovery-ni-45"
    # Northern Ireland has its own criminal injuries scheme: no CICA clock, a note.
    assert all(c.kind is not ClockKind.CICA_REVIEW_REQUEST for c in fresh.clocks)
    assert any("Northern Ireland" in note for note in fresh.notes)


def test_an_extension_that_names_its_own_date_runs_to_that_date(
    journeys: CaseJourneys,
) -> None:
    case_id = open_case(journeys, "CICA-EXTENDED-TO", "scotland")
    record(
        journeys,
        case_id,
        "compensation.cica_review_decision",
        "2026-03-02",
        "Review upheld the refusal",
        {"outcome": "refused", "amount": None},
    )
    record(
        journeys,
        case_id,
        "compensation.tribunal_extension_requested",
        "2026-06-10",
        "Asked the Tribunal to extend time, with reasons",
    )
    grant = record(
        journeys,
        case_id,
        "compensation.tribunal_extension_granted",
        "2026-06-24",
        "The Tribunal extended time to appeal to 31 July 2026",
        {"until": "2026-07-31"},
    )
    extended = clock(
        deadlines(journeys, case_id, date(2026, 7, 1)), ClockKind.TRIBUNAL_APPEAL
    )
    assert (extended.status, extended.due_on, extended.extended_by) == (
        ClockStatus.EXTENDED,
        date(2026, 7, 31),
        (grant,),
    )


def test_a_child_first_reported_at_19_has_two_years_from_the_report_and_nothing_is_missed_before_it(
    journeys: CaseJourneys,
) -> None:
    # Harmed at 15 by the people who exploited her; she told the police only at
    # 19, in 2025. Until then her window had not opened.
    case_id = open_case(journeys, "CHILD-LATE-REPORT", "england_and_wales")
    journeys.record_date_of_birth(case_id, "2006-04-02", recorded_by=ADVOCATE)
    incident = record(
        journeys,
        case_id,
        "harm.incident",
        "2021-07",
        "Injured while forced to sell drugs",
        {"offences": ["assault"]},
    )
    before = clock(deadlines(journeys, case_id), ClockKind.CICA_APPLICATION)
    record(
        journeys,
        case_id,
        "criminal_justice.crime_reported",
        "2025-05-12",
        "Reported to the police with her advocate",
        {"crime_reference": "CR/2025/0512"},
    )

    after = clock(deadlines(journeys, case_id), ClockKind.CICA_APPLICATION)

    # No report: not started, never missed, no plea of exceptional circumstances
    # (the 2-year limit from the incident would have passed in July 2023).
    assert (before.rule.id, before.status, before.due_on) == (
        "cica-2012-para-88-1-b",
        ClockStatus.NOT_STARTED,
        None,
    )
    assert before.needs == ()
    assert "exceptional" not in before.explanation
    assert "Not started" in before.explanation
    # Reported at 19: two years from that first report.
    assert (after.started_by, after.rule.id) == (incident, "cica-2012-para-88-1-b")
    assert (after.status, after.due_on) == (ClockStatus.RUNNING, date(2027, 5, 12))
    assert "first reported to the police (12 May 2025) on or after their 18th" in (
        after.explanation
    )


def test_an_incident_of_2011_applied_for_in_2014_follows_the_2012_scheme_and_so_does_its_review(
    journeys: CaseJourneys,
) -> None:
    case_id = open_case(journeys, "SCHEME-BY-RECEIPT", "scotland")
    record(
        journeys,
        case_id,
        "harm.incident",
        "2011-09-02",
        "Assaulted at the car wash where he was forced to work",
        {"offences": ["assault"]},
    )
    # While no application is on record, the Scheme in force today governs.
    unapplied = clock(deadlines(journeys, case_id), ClockKind.CICA_APPLICATION)
    record(
        journeys,
        case_id,
        "compensation.cica_application_submitted",
        "2014-03-10",
        "Application received by CICA",
    )
    record(
        journeys,
        case_id,
        "compensation.cica_decision",
        "2014-09-01",
        "CICA refused the application as out of time",
        {"outcome": "refused", "amount": None},
    )

    view = deadlines(journeys, case_id)
    application = clock(view, ClockKind.CICA_APPLICATION)
    review = clock(view, ClockKind.CICA_REVIEW_REQUEST)

    assert unapplied.rule.id == "cica-2012-para-87"
    assert "no application is on record" in unapplied.explanation
    # Received in 2014: the 2012 Scheme, not the 2008 Scheme of the incident's day.
    assert application.rule.id == "cica-2012-para-87"
    assert application.status is ClockStatus.MISSED
    assert "the rule in force on 10 March 2014, the day CICA received the " in (
        application.explanation
    )
    assert review.rule.id == "cica-2012-review"
    assert "the day CICA received the application (10 March 2014)" in (
        review.explanation
    )


def test_a_review_of_an_application_received_under_the_2008_scheme_keeps_its_90_days(
    journeys: CaseJourneys,
) -> None:
    case_id = open_case(journeys, "REVIEW-2008", "england_and_wales")
    record(
        journeys,
        case_id,
        "compensation.cica_application_submitted",
        "2012-06-04",
        "Application received by CICA",
    )
    decision = record(
        journeys,
        case_id,
        "compensation.cica_decision",
        "2013-01-14",
        "CICA refused the application",
        {"outcome": "refused", "amount": None},
    )
    request = record(
        journeys,
        case_id,
        "compensation.cica_review_requested",
        "2013-04-01",
        "Review requested",
    )

    review = clock(deadlines(journeys, case_id), ClockKind.CICA_REVIEW_REQUEST)

    # 76 days after the decision: late under the 2012 Scheme's 56 days, in time
    # under the 2008 Scheme the application was made under.
    assert (review.started_by, review.rule.id) == (decision, "cica-2008-review")
    assert (review.status, review.stopped_by, review.due_on) == (
        ClockStatus.MET,
        (request,),
        date(2013, 4, 14),
    )


def test_in_northern_ireland_a_positive_decision_inside_45_days_carries_support_to_day_45_and_a_negative_one_ends_it(
    journeys: CaseJourneys,
) -> None:
    positive_case = open_case(journeys, "NI-POSITIVE", "northern_ireland")
    negative_case = open_case(journeys, "NI-NEGATIVE", "northern_ireland")
    for case_id in (positive_case, negative_case):
        record(
            journeys,
            case_id,
            "nrm.reasonable_grounds_decision",
            "2026-10-01",
            "Positive reasonable grounds decision",
            {"outcome": "positive"},
        )
    positive = record(
        journeys,
        positive_case,
        "nrm.conclusive_grounds_decision",
        "2026-10-20",
        "Positive conclusive grounds decision",
        {"outcome": "positive"},
    )
    negative = record(
        journeys,
        negative_case,
        "nrm.conclusive_grounds_decision",
        "2026-10-20",
        "Negative conclusive grounds decision",
        {"outcome": "negative"},
    )

    carried = clock(
        deadlines(journeys, positive_case, date(2026, 11, 1)), ClockKind.RECOVERY_PERIOD
    )
    ran = clock(deadlines(journeys, positive_case), ClockKind.RECOVERY_PERIOD)
    ended = clock(deadlines(journeys, negative_case), ClockKind.RECOVERY_PERIOD)

    # 45 days from 1 October: support to 15 November, the decision
    # notwithstanding. Neither case is a missed period.
    assert (carried.rule.id, carried.due_on) == (
        "nrm-recovery-ni-45",
        date(2026, 11, 15),
    )
    assert (carried.status, carried.days_left) == (ClockStatus.RUNNING, 14)
    assert carried.stopped_by == (positive,)
    assert "which runs on to the end of the 45 days, 15 November 2026" in (
        carried.explanation
    )
    assert "Met: the 45 days ran to 15 November 2026." in ran.explanation
    assert (ran.status, ran.needs) == (ClockStatus.MET, ())
    assert (ended.status, ended.stopped_by, ended.needs) == (
        ClockStatus.MET,
        (negative,),
        (),
    )
    assert "which ends it" in ended.explanation


def test_a_conclusive_decision_inside_the_statutory_30_days_leaves_the_recovery_period_running(
    journeys: CaseJourneys,
) -> None:
    case_id = open_case(journeys, "EW-S50A", "england_and_wales")
    record(
        journeys,
        case_id,
        "nrm.reasonable_grounds_decision",
        "2026-11-10",
        "Positive reasonable grounds decision",
        {"outcome": "positive"},
    )
    record(
        journeys,
        case_id,
        "nrm.conclusive_grounds_decision",
        "2026-11-20",
        "Positive conclusive grounds decision",
        {"outcome": "positive"},
    )

    recovery = clock(deadlines(journeys, case_id), ClockKind.RECOVERY_PERIOD)

    # The period ends with the later of the decision and the end of 30 days
    # beginning with 10 November: 9 December.
    assert (recovery.rule.id, recovery.status) == (
        "nrm-recovery-ew-30",
        ClockStatus.RUNNING,
    )
    assert (recovery.due_on, recovery.days_left, recovery.needs) == (
        date(2026, 12, 9),
        13,
        (),
    )


def test_england_and_wales_recovery_periods_follow_the_guidance_then_the_statute(
    journeys: CaseJourneys,
) -> None:
    # Three survivors, positive reasonable grounds decisions either side of
    # 13 December 2022 (the guidance's 30 days) and 30 January 2023 (s.61).
    days = {"2022-12-12": None, "2022-12-13": None, "2023-01-30": None}
    for day in days:
        case_id = open_case(journeys, f"EW-RECOVERY-{day}", "england_and_wales")
        record(
            journeys,
            case_id,
            "nrm.reasonable_grounds_decision",
            day,
            "Positive reasonable grounds decision",
            {"outcome": "positive"},
        )
        days[day] = clock(deadlines(journeys, case_id), ClockKind.RECOVERY_PERIOD)

    assert {day: (c.rule.id, c.due_on) for day, c in days.items() if c} == {
        "2022-12-12": ("nrm-recovery-ew-45", date(2023, 1, 26)),
        "2022-12-13": ("nrm-recovery-ew-30-guidance", date(2023, 1, 12)),
        "2023-01-30": ("nrm-recovery-ew-30", date(2023, 2, 28)),
    }


def test_a_scottish_decision_before_april_2018_gets_the_45_days_marked_check(
    journeys: CaseJourneys,
) -> None:
    case_id = open_case(journeys, "SCT-2017", "scotland")
    record(
        journeys,
        case_id,
        "nrm.reasonable_grounds_decision",
        "2017-05-02",
        "Positive reasonable grounds decision",
        {"outcome": "positive"},
    )
    record(
        journeys,
        case_id,
        "nrm.conclusive_grounds_decision",
        "2017-07-20",
        "Positive conclusive grounds decision",
        {"outcome": "positive"},
    )

    view = deadlines(journeys, case_id)
    recovery = clock(view, ClockKind.RECOVERY_PERIOD)

    assert (recovery.rule.id, recovery.due_on, recovery.status) == (
        "nrm-recovery-scotland-45",
        date(2017, 6, 16),
        ClockStatus.MET,
    )
    assert "(check; from secondary sources only)" in recovery.rule.citation
    assert view.notes == ()


def test_a_clock_stopped_late_says_what_happened_and_only_what_can_be_done_now(
    journeys: CaseJourneys,
) -> None:
    case_id = open_case(journeys, "LATE-WORDS", "england_and_wales")
    record(journeys, case_id, "nrm.referred", "2026-03-02", "Referred into the NRM")
    record(
        journeys,
        case_id,
        "nrm.reasonable_grounds_decision",
        "2026-04-20",
        "Positive reasonable grounds decision",
        {"outcome": "positive"},
    )
    record(journeys, case_id, "nrm.support_ended", "2026-05-01", "Support ended")

    view = deadlines(journeys, case_id)
    target = clock(view, ClockKind.REASONABLE_GROUNDS_DECISION)
    recovery = clock(view, ClockKind.RECOVERY_PERIOD)

    # The late decision: what happened, and that nothing is to be chased.
    assert target.status is ClockStatus.MISSED
    assert target.needs == ()
    assert "when the decision will be made" not in target.explanation
    assert "It is a target, not a time limit: the decision stands." in (
        target.explanation
    )
    # Support ended 11 days in: ask for it back; no word of a decision not made.
    assert recovery.status is ClockStatus.MISSED
    assert "Missed: support ended (1 May 2026), 11 days into the period" in (
        recovery.explanation
    )
    assert "restore assistance and support" in recovery.needs[0]
    assert "conclusive grounds" not in " ".join(recovery.needs)


def test_a_late_application_under_the_2008_scheme_names_its_own_waiver_test(
    journeys: CaseJourneys,
) -> None:
    # Harmed in March 2009; CICA received the application in June 2012, under
    # the 2008 Scheme, some fifteen months late.
    case_id = open_case(journeys, "CICA-2008-LATE", "england_and_wales")
    record(
        journeys,
        case_id,
        "harm.incident",
        "2009-03-16",
        "Assaulted by the gang master",
        {"offences": ["assault"]},
    )
    record(
        journeys,
        case_id,
        "compensation.cica_application_submitted",
        "2012-06-18",
        "Application received by CICA",
    )

    cica = clock(deadlines(journeys, case_id), ClockKind.CICA_APPLICATION)

    assert (cica.rule.id, cica.status, cica.due_on) == (
        "cica-2008-para-18",
        ClockStatus.MISSED,
        date(2011, 3, 16),
    )
    assert "check" not in cica.rule.citation
    (need,) = cica.needs
    # Para 18: practicable to consider, and not reasonable to have expected an
    # application in time; not the 2012 Scheme's exceptional circumstances.
    assert "practicable for the application to be considered" in need
    assert "not have been reasonable to expect the applicant to have applied" in need
    assert "exceptional" not in need
    assert "interests of justice" not in cica.explanation
