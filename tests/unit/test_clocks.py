"""The rules table and the calendars the clocks count on."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from domain.case import Jurisdiction
from domain.clocks import (
    DEFAULT_RULES,
    RULES,
    ClockKind,
    Ending,
    OverlappingRules,
    Period,
    RuleBook,
    RuleNotConfigurable,
    Unit,
    Variant,
    add_working_days,
    bank_holidays,
    is_working_day,
    rule_book,
)
from domain.clocks.calendar import add_years

EW = Jurisdiction.ENGLAND_AND_WALES
SCT = Jurisdiction.SCOTLAND
NI = Jurisdiction.NORTHERN_IRELAND


def test_every_rule_is_cited_effective_dated_and_described() -> None:
    assert len({rule.id for rule in RULES}) == len(RULES)
    for rule in RULES:
        assert rule.description and rule.source and rule.jurisdictions
        assert rule.ended is None or rule.ended > rule.took_effect
        assert ("(check" in rule.citation) is rule.check


def test_only_rules_resting_on_secondary_sources_are_marked_check() -> None:
    # The CICA review periods (paragraph and counting words), the NRM reasonable
    # grounds target (guidance) and Scotland's recovery period before 2018 rest
    # on secondary sources; every other rule was checked against its primary
    # source, and is law, not a setting.
    marked = {rule.id for rule in RULES if rule.check}
    assert marked == {
        "cica-2008-review",
        "cica-2012-review",
        "nrm-rg-5-working-days",
        "nrm-recovery-scotland-45",
    }
    assert DEFAULT_RULES["nrm-rg-5-working-days"].citation.endswith(
        "(check; guidance, from secondary sources only)"
    )
    for rule_id in ("cica-2008-para-18", "cica-2012-para-88-1-a", "nrm-recovery-ew-30"):
        assert "check" not in DEFAULT_RULES[rule_id].citation


def test_the_statutory_recovery_period_cites_section_61_and_section_50a_as_inserted_by_section_64() -> (
    None
):
    citation = DEFAULT_RULES["nrm-recovery-ew-30"].citation
    assert citation == (
        "Nationality and Borders Act 2022 s.61; Modern Slavery Act 2015 s.50A "
        "(inserted by the Nationality and Borders Act 2022 s.64)"
    )
    assert "s.60" not in citation


def test_the_2008_schemes_waiver_test_is_practicability_and_reasonableness() -> None:
    rule = DEFAULT_RULES["cica-2008-para-18"]
    for words in (rule.description, *rule.if_late, *rule.if_overdue):
        assert "practicable for the application to be considered" in words
        assert "not have been reasonable to expect the applicant" in words
        assert "interests of justice" not in words


def test_a_clock_is_judged_by_the_rule_in_force_on_the_day_it_started() -> None:
    recovery = ClockKind.RECOVERY_PERIOD
    # England and Wales: 45 days in guidance to 12 December 2022, a 30-day
    # minimum in guidance from 13 December, the statute from 30 January 2023.
    assert (
        DEFAULT_RULES.in_force(recovery, EW, date(2022, 12, 12))
        == (DEFAULT_RULES["nrm-recovery-ew-45"])
    )
    assert (
        DEFAULT_RULES.in_force(recovery, EW, date(2022, 12, 13))
        == (DEFAULT_RULES["nrm-recovery-ew-30-guidance"])
    )
    assert (
        DEFAULT_RULES.in_force(recovery, EW, date(2023, 1, 29))
        == (DEFAULT_RULES["nrm-recovery-ew-30-guidance"])
    )
    assert (
        DEFAULT_RULES.in_force(recovery, EW, date(2023, 1, 30))
        == (DEFAULT_RULES["nrm-recovery-ew-30"])
    )
    application = ClockKind.CICA_APPLICATION
    assert (
        DEFAULT_RULES.in_force(application, SCT, date(2012, 11, 26))
        == (DEFAULT_RULES["cica-2008-para-18"])
    )
    assert (
        DEFAULT_RULES.in_force(application, SCT, date(2012, 11, 27))
        == (DEFAULT_RULES["cica-2012-para-87"])
    )
    assert DEFAULT_RULES.in_force(application, EW, date(2008, 11, 2)) is None
    for child in (Variant.REPORTED_BEFORE_18, Variant.FIRST_REPORTED_FROM_18):
        assert (
            DEFAULT_RULES.in_force(application, EW, date(2012, 11, 26), child) is None
        )
    # Scotland: 45 days (check) before the 2018 Regulations, 90 days from them.
    assert (
        DEFAULT_RULES.in_force(recovery, SCT, date(2018, 3, 31))
        == (DEFAULT_RULES["nrm-recovery-scotland-45"])
    )
    assert (
        DEFAULT_RULES.in_force(recovery, SCT, date(2018, 4, 1))
        == (DEFAULT_RULES["nrm-recovery-scotland-90"])
    )
    assert (
        DEFAULT_RULES.successor(DEFAULT_RULES["nrm-recovery-ew-45"], EW)
        == (DEFAULT_RULES["nrm-recovery-ew-30-guidance"])
    )


def test_each_nation_has_its_own_recovery_period() -> None:
    day = date(2025, 6, 1)
    rules = [
        DEFAULT_RULES.in_force(ClockKind.RECOVERY_PERIOD, where, day)
        for where in (EW, SCT, NI)
    ]
    assert [(rule.period.amount, rule.ending) for rule in rules if rule] == [
        (30, Ending.LATER_OF_PERIOD_AND_DECISION),
        (90, Ending.EARLIER_OF_PERIOD_AND_DECISION),
        (45, Ending.UNTIL_DECISION_POSITIVE_TO_PERIOD_END),
    ]


def test_compensation_clocks_serve_great_britain_only() -> None:
    for kind in (
        ClockKind.CICA_APPLICATION,
        ClockKind.CICA_REVIEW_REQUEST,
        ClockKind.TRIBUNAL_APPEAL,
    ):
        assert DEFAULT_RULES.for_clock(kind, NI) == []
        assert DEFAULT_RULES.for_clock(kind, SCT)


def test_check_rules_take_their_period_from_settings_and_say_so() -> None:
    configured = rule_book({"cica-2012-review": 42, "nrm-rg-5-working-days": 10})

    review = configured["cica-2012-review"]
    assert review.period == Period(42, Unit.DAYS)
    assert review.citation.endswith(
        "sources; set to 42 days by a setting; the default is 56 days)"
    )
    assert configured["nrm-rg-5-working-days"].period.amount == 10
    assert "the default is 5 working days" in (
        configured["nrm-rg-5-working-days"].citation
    )
    # The defaults are the rules' own, untouched by another book's settings.
    assert DEFAULT_RULES["cica-2012-review"].period.amount == 56
    assert rule_book() is DEFAULT_RULES
    # A setting equal to the default changes nothing, and the citation says so.
    unchanged = rule_book({"cica-2012-review": 56})
    assert unchanged["cica-2012-review"] == DEFAULT_RULES["cica-2012-review"]
    assert "set to" not in unchanged["cica-2012-review"].citation


@pytest.mark.parametrize(
    "settings",
    [
        {"ftt-sec-2008-r22": 120},  # primary source: law, not a setting
        {"ftt-sec-2008-r22": 90},
        {"cica-2012-para-88-1-a": 21},  # checked against the Scheme: law now
        {"nrm-recovery-ew-30": 45},
        {"no-such-rule": 3},
        {"cica-2012-review": 0},
        {"cica-2012-review": True},
    ],
)
def test_a_setting_for_anything_but_a_check_rule_is_refused(
    settings: dict[str, int],
) -> None:
    with pytest.raises(RuleNotConfigurable):
        rule_book(settings)


def test_two_rules_in_force_for_one_clock_place_and_day_are_refused() -> None:
    rule = DEFAULT_RULES["cica-2012-review"]
    with pytest.raises(OverlappingRules):
        RuleBook([rule, rule])
    with pytest.raises(OverlappingRules):
        RuleBook([rule, replace(rule, id="copy", took_effect=date(2020, 1, 1))])


def test_periods_describe_themselves() -> None:
    assert Period(5, Unit.WORKING_DAYS).describe() == "5 working days"
    assert Period(1, Unit.DAYS).describe() == "1 day"
    assert Period(2, Unit.YEARS).describe() == "2 years"
    assert Period(20, Unit.YEARS_OF_AGE).describe() == "until the 20th birthday"
    assert Period(21, Unit.YEARS_OF_AGE).describe() == "until the 21st birthday"
    with pytest.raises(ValueError):
        Period(20, Unit.YEARS_OF_AGE).after(date(2020, 1, 1), EW)


@pytest.mark.parametrize(
    ("day", "name", "kept_in"),
    [
        (date(2024, 1, 2), "New Year Holiday", {SCT}),
        (date(2024, 12, 2), "Saint Andrew's Day (observed)", {SCT}),
        (date(2025, 12, 1), "Saint Andrew's Day (observed)", {SCT}),
        (date(2025, 3, 17), "Saint Patrick's Day", {NI}),
        (date(2025, 7, 14), "Battle of the Boyne (observed)", {NI}),
        (date(2025, 4, 21), "Easter Monday", {EW, NI}),
        (date(2025, 8, 4), "Summer Bank Holiday", {SCT}),
        (date(2025, 8, 25), "Late Summer Bank Holiday", {EW, NI}),
        (date(2025, 12, 25), "Christmas Day", {EW, SCT, NI}),
    ],
)
def test_bank_holidays_differ_by_nation(
    day: date, name: str, kept_in: set[Jurisdiction]
) -> None:
    for where in (EW, SCT, NI):
        holidays = bank_holidays(where, day.year)
        assert (day in holidays) is (where in kept_in), (where, day)
        if where in kept_in:
            assert holidays[day] == name
        assert is_working_day(day, where) is (where not in kept_in)


def test_working_days_skip_weekends_and_the_nations_bank_holidays() -> None:
    # Friday 23 August 2024, before England's late summer bank holiday.
    assert add_working_days(date(2024, 8, 23), 5, EW) == date(2024, 9, 2)
    assert add_working_days(date(2024, 8, 23), 5, SCT) == date(2024, 8, 30)
    # Christmas Eve 2024: Christmas and Boxing Day are skipped everywhere.
    assert add_working_days(date(2024, 12, 24), 1, EW) == date(2024, 12, 27)
    # New Year: Scotland keeps 2 January too.
    assert add_working_days(date(2024, 12, 31), 1, EW) == date(2025, 1, 2)
    assert add_working_days(date(2024, 12, 31), 1, SCT) == date(2025, 1, 3)
    # A referral on a Saturday counts from Monday.
    assert add_working_days(date(2025, 6, 7), 1, NI) == date(2025, 6, 9)


def test_a_29_february_anniversary_falls_on_28_february() -> None:
    assert add_years(date(2020, 2, 29), 2) == date(2022, 2, 28)
    assert add_years(date(2020, 2, 29), 4) == date(2024, 2, 29)
    assert add_years(date(2019, 6, 14), 2) == date(2021, 6, 14)
