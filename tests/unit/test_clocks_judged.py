"""A case's clocks judged from its steps: the pure function, with no store."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

from domain.case import Jurisdiction
from domain.clocks import (
    DEFAULT_RULES,
    CaseFacts,
    Clock,
    ClockKind,
    ClockReport,
    ClockStatus,
    Step,
    clocks_of,
    rule_book,
)
from domain.dates import UncertainDate

EW = Jurisdiction.ENGLAND_AND_WALES
AS_OF = date(2026, 11, 26)


class Journey:
    """Steps in the order recorded, for building a case's facts."""

    def __init__(self, jurisdiction: Jurisdiction = EW, born: str | None = None):
        self.jurisdiction = jurisdiction
        self.born = UncertainDate.parse(born) if born else None
        self.steps: list[Step] = []

    def step(
        self, kind: str, occurred: str | None, details: dict[str, Any] | None = None
    ) -> UUID:
        step = Step(
            step_id=uuid4(),
            kind=kind,
            occurred=UncertainDate.parse(occurred) if occurred else None,
            details=details or {},
            sequence=len(self.steps),
        )
        self.steps.append(step)
        return step.step_id

    def judged(self, as_of: date = AS_OF, **settings: int) -> ClockReport:
        facts = CaseFacts(self.jurisdiction, tuple(self.steps), self.born)
        return clocks_of(facts, as_of, rule_book(settings))

    def clock(self, kind: ClockKind, as_of: date = AS_OF, **settings: int) -> Clock:
        (found,) = [c for c in self.judged(as_of, **settings).clocks if c.kind is kind]
        return found


INCIDENT = {"offences": ["assault"]}
POSITIVE = {"outcome": "positive"}


def test_a_stopping_step_of_uncertain_date_is_judged_by_its_latest_possible_day() -> (
    None
):
    journey = Journey()
    journey.step("harm.incident", "2019-06-14", INCIDENT)
    journey.step("compensation.cica_application_submitted", "2021")

    cica = journey.clock(ClockKind.CICA_APPLICATION)

    # 2021 might mean 1 June 2021 (in time) or 31 December 2021 (late).
    assert cica.due_on == date(2021, 6, 14)
    assert (cica.status, cica.stopped_on) == (ClockStatus.MISSED, date(2021, 12, 31))
    assert "judged by its latest possible day" in cica.explanation


def test_a_date_open_at_its_start_runs_from_its_latest_day_and_says_so() -> None:
    journey = Journey()
    journey.step("harm.incident", "../2019-05", INCIDENT)

    cica = journey.clock(ClockKind.CICA_APPLICATION)

    assert (cica.started_on, cica.started_when) == (
        date(2019, 5, 31),
        "on or before May 2019",
    )
    assert "the real deadline may be earlier" in cica.explanation


def test_undated_steps_start_no_clock_and_ask_to_be_dated() -> None:
    journey = Journey()
    incident = journey.step("harm.incident", None, INCIDENT)
    journey.step("compensation.cica_decision", "2026-10-01", {"outcome": "refused"})
    undated_request = journey.step("compensation.cica_review_requested", None)

    report = journey.judged()

    assert [c.kind for c in report.clocks] == [ClockKind.CICA_REVIEW_REQUEST]
    assert any(str(incident) in note for note in report.notes)
    (review,) = report.clocks
    assert review.status is ClockStatus.RUNNING
    assert f"(step {undated_request}): date it" in review.explanation


def test_steps_after_the_day_judged_are_not_yet_on_record() -> None:
    journey = Journey()
    journey.step("nrm.referred", "2025-02-03")
    journey.step("nrm.reasonable_grounds_decision", "2025-02-20", POSITIVE)

    early = journey.judged(date(2025, 2, 5))
    late = journey.judged(date(2025, 2, 20))

    assert [(c.kind, c.status, c.days_left) for c in early.clocks] == [
        (ClockKind.REASONABLE_GROUNDS_DECISION, ClockStatus.RUNNING, 5)
    ]
    statuses = {c.kind: c.status for c in late.clocks}
    assert statuses == {
        ClockKind.REASONABLE_GROUNDS_DECISION: ClockStatus.MISSED,
        ClockKind.RECOVERY_PERIOD: ClockStatus.RUNNING,
    }


def test_a_conclusive_grounds_decision_makes_the_reasonable_grounds_target_moot() -> (
    None
):
    journey = Journey()
    journey.step("nrm.referred", "2021-03-01")
    conclusive = journey.step("nrm.conclusive_grounds_decision", "2022-01", POSITIVE)

    rg = journey.clock(ClockKind.REASONABLE_GROUNDS_DECISION)

    assert (rg.status, rg.stopped_by) == (
        ClockStatus.NO_LONGER_RELEVANT,
        (conclusive,),
    )


def test_a_negative_decision_starts_no_recovery_period() -> None:
    journey = Journey()
    journey.step("nrm.referred", "2024-01-08")
    journey.step(
        "nrm.reasonable_grounds_decision", "2024-01-10", {"outcome": "negative"}
    )

    assert [c.kind for c in journey.judged().clocks] == [
        ClockKind.REASONABLE_GROUNDS_DECISION
    ]


def test_support_ended_within_the_statutory_recovery_period_is_missed_and_says_what_now() -> (
    None
):
    journey = Journey()
    journey.step("nrm.reasonable_grounds_decision", "2024-05-01", POSITIVE)
    ended = journey.step("nrm.support_ended", "2024-05-20")

    recovery = journey.clock(ClockKind.RECOVERY_PERIOD)

    assert (recovery.status, recovery.stopped_by) == (ClockStatus.MISSED, (ended,))
    # 30 days beginning with 1 May: 1 May is the first, 30 May the last.
    assert recovery.due_on == date(2024, 5, 30)
    assert "Missed: support ended (20 May 2024), 19 days into the period" in (
        recovery.explanation
    )
    # What can be done now, about what happened: no word of a decision not made.
    assert recovery.needs == DEFAULT_RULES["nrm-recovery-ew-30"].if_cut_short
    assert "conclusive grounds decision" not in " ".join(recovery.needs)
    assert "What can be done now: ask the support provider to restore" in (
        recovery.explanation
    )


def test_a_configured_check_period_moves_the_due_day_and_the_citation_says_so() -> None:
    journey = Journey()
    journey.step("nrm.referred", "2024-05-01")

    rg = journey.clock(
        ClockKind.REASONABLE_GROUNDS_DECISION, **{"nrm-rg-5-working-days": 10}
    )

    # Ten working days after Wednesday 1 May 2024, skipping the 6 May bank holiday.
    assert rg.due_on == date(2024, 5, 16)
    assert "set to 10 working days by a setting" in rg.rule.citation


def test_an_application_follows_the_scheme_in_force_on_the_day_cica_received_it() -> (
    None
):
    # Harmed in Scotland in September 2011, under the 2008 Scheme; applied in
    # March 2014, so the 2012 Scheme governs the application.
    journey = Journey(jurisdiction=Jurisdiction.SCOTLAND)
    journey.step("harm.incident", "2011-09-02", INCIDENT)
    journey.step("compensation.cica_application_submitted", "2014-03-10")

    cica = journey.clock(ClockKind.CICA_APPLICATION)

    assert cica.rule.id == "cica-2012-para-87"
    assert "the rule in force on 10 March 2014, the day CICA received the " in (
        cica.explanation
    )
    assert cica.status is ClockStatus.MISSED


def test_an_application_received_before_27_november_2012_keeps_the_2008_scheme() -> (
    None
):
    journey = Journey(jurisdiction=Jurisdiction.SCOTLAND)
    journey.step("harm.incident", "2011-09-02", INCIDENT)
    journey.step("compensation.cica_application_submitted", "2012-11-26")
    journey.step("harm.incident", "2007", INCIDENT)
    journey.step("compensation.cica_application_submitted", "2008-06-01")

    report = journey.judged()

    (cica,) = report.clocks
    assert cica.rule.id == "cica-2008-para-18"
    assert cica.status is ClockStatus.MET
    assert "Applications received from 27 November 2012 follow cica-2012-para-87" in (
        cica.explanation
    )
    # Received in June 2008, before the 2008 Scheme: no rule on record.
    assert any(
        "earliest, cica-2008-para-18, took effect on 3 November 2008" in note
        for note in report.notes
    )


def test_with_no_application_on_record_the_scheme_in_force_on_the_day_judged_governs() -> (
    None
):
    journey = Journey()
    journey.step("harm.incident", "2011-09-02", INCIDENT)

    cica = journey.clock(ClockKind.CICA_APPLICATION)

    assert cica.rule.id == "cica-2012-para-87"
    assert "no application is on record" in cica.explanation


def test_a_review_follows_its_applications_scheme_not_the_decisions_day() -> None:
    # Applied in 2011 (2008 Scheme); CICA decided in 2013: the 2008 Scheme's
    # review period still applies.
    journey = Journey()
    journey.step("compensation.cica_application_submitted", "2011-05-03")
    journey.step("compensation.cica_decision", "2013-02-01", {"outcome": "refused"})

    review = journey.clock(ClockKind.CICA_REVIEW_REQUEST)

    assert review.rule.id == "cica-2008-review"
    assert review.due_on == date(2013, 5, 2)
    assert "the day CICA received the application (3 May 2011)" in (review.explanation)


def test_an_extension_granted_with_a_date_runs_to_that_date() -> None:
    journey = Journey()
    journey.step(
        "compensation.cica_review_decision", "2026-01-05", {"outcome": "refused"}
    )
    grant = journey.step(
        "compensation.tribunal_extension_granted", "2026-06-01", {"until": "2027-02-01"}
    )

    appeal = journey.clock(ClockKind.TRIBUNAL_APPEAL)

    # The 90 days ended on Sunday 5 April 2026, the day before Easter Monday:
    # under r.12(2) the appeal was in time on Tuesday 7 April.
    assert (appeal.status, appeal.due_on, appeal.original_due_on) == (
        ClockStatus.EXTENDED,
        date(2027, 2, 1),
        date(2026, 4, 7),
    )
    assert appeal.extended_by == (grant,)
    assert "the day the grant gives" in appeal.explanation


def test_an_extension_that_has_run_out_is_missed_again() -> None:
    journey = Journey()
    journey.step(
        "compensation.cica_review_decision", "2025-01-06", {"outcome": "refused"}
    )
    journey.step("compensation.tribunal_extension_granted", "2025-06-02")

    appeal = journey.clock(ClockKind.TRIBUNAL_APPEAL)

    # 90 days after the grant end on Sunday 31 August 2025: Monday 1 September.
    assert (appeal.status, appeal.due_on) == (ClockStatus.MISSED, date(2025, 9, 1))
    assert appeal.needs


def test_a_later_decision_supersedes_an_earlier_ones_review_clock() -> None:
    journey = Journey()
    first = journey.step(
        "compensation.cica_decision", "2025-01-06", {"outcome": "refused"}
    )
    journey.step("compensation.cica_decision", "2025-09-01", {"outcome": "refused"})

    statuses = {c.started_by: c.status for c in journey.judged().clocks}

    assert statuses[first] is ClockStatus.NO_LONGER_RELEVANT


def test_without_a_date_of_birth_the_two_year_limit_stands_and_para_88_is_named() -> (
    None
):
    journey = Journey()
    journey.step("harm.incident", "2026-01-10", INCIDENT)

    cica = journey.clock(ClockKind.CICA_APPLICATION)

    assert (cica.rule.id, cica.due_on) == ("cica-2012-para-87", date(2028, 1, 10))
    assert "No date of birth is on record" in cica.explanation
    assert "para 88" in cica.explanation


def test_when_the_dates_leave_it_unsure_the_survivor_was_a_child_the_adult_limit_is_used() -> (
    None
):
    # Born in 2006; harmed some time in 2024: 17 or 18 at the time.
    journey = Journey(born="2006")
    journey.step("harm.incident", "2024", INCIDENT)
    journey.step(
        "criminal_justice.crime_reported", "2024-01", {"crime_reference": "R1"}
    )

    cica = journey.clock(ClockKind.CICA_APPLICATION)

    assert cica.rule.id == "cica-2012-para-87"
    assert "too uncertain to say" in cica.explanation


def test_an_adult_at_the_incident_gets_the_two_year_limit_without_comment() -> None:
    journey = Journey(born="1990-04-02")
    journey.step("harm.incident", "2025-03", INCIDENT)

    cica = journey.clock(ClockKind.CICA_APPLICATION)

    assert (cica.rule.id, cica.due_on) == ("cica-2012-para-87", date(2027, 3, 1))
    assert "birth" not in cica.explanation


def test_northern_ireland_cases_get_a_note_instead_of_cica_clocks() -> None:
    journey = Journey(jurisdiction=Jurisdiction.NORTHERN_IRELAND)
    journey.step("harm.incident", "2025-03", INCIDENT)

    report = journey.judged()

    assert report.clocks == ()
    (note,) = report.notes
    assert "own criminal injuries scheme" in note
    assert "(check)" in note


def test_an_undated_move_is_noted_and_followed_by_no_clock() -> None:
    journey = Journey(jurisdiction=Jurisdiction.SCOTLAND)
    journey.step(
        "transition.moved_area",
        None,
        {"local_authority": "Leeds", "jurisdiction": "england_and_wales"},
    )
    journey.step("nrm.reasonable_grounds_decision", "2025-01-06", POSITIVE)

    report = journey.judged()

    assert [c.rule.id for c in report.clocks] == ["nrm-recovery-scotland-90"]
    assert any("move to England and Wales" in note for note in report.notes)


def test_a_decision_on_record_shows_the_step_before_it_was_taken_though_unrecorded() -> (
    None
):
    # The advocate joined after CICA had decided: no application is on record.
    journey = Journey()
    journey.step("harm.incident", "2018-04", INCIDENT)
    decision = journey.step(
        "compensation.cica_decision",
        "2019-02-11",
        {"outcome": "award", "amount": "2000"},
    )
    journey.step(
        "compensation.cica_review_decision", "2019-06-03", {"outcome": "award"}
    )
    tribunal = journey.step(
        "compensation.tribunal_decision", "2020-03", {"outcome": "allowed"}
    )

    statuses = {c.kind: (c.status, c.stopped_by) for c in journey.judged().clocks}

    assert statuses[ClockKind.CICA_APPLICATION] == (
        ClockStatus.NO_LONGER_RELEVANT,
        (decision,),
    )
    assert statuses[ClockKind.TRIBUNAL_APPEAL] == (
        ClockStatus.NO_LONGER_RELEVANT,
        (tribunal,),
    )
    assert statuses[ClockKind.CICA_REVIEW_REQUEST][0] is ClockStatus.NO_LONGER_RELEVANT
