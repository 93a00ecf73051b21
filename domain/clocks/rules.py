"""The legal clocks as data: each rule effective-dated, per jurisdiction, cited.

A clock is judged by the rule in force on the day that decides it: for a CICA
application, the day CICA receives it (the Scheme in force then governs); for a
review or a tribunal appeal, the day its application was received; for the NRM,
the day the clock started. It follows the rules of the jurisdiction the case was
in on the day the clock started. Rules change (the CICA Schemes of 2008 and 2012;
the recovery period in England and Wales, set in statute from 2023), so every
rule says when it took effect and, where known, the last day it was in force.

Each rule counts its period as its own words say (``Counting``), and says what
happens to a time that ends on a day that is not a working day.

A rule marked *check* rests on secondary sources only: its citation says so, and
its period is a setting: ``rule_book({"cica-2012-review": 42})`` replaces its 56
days. A rule checked against its primary source is law, not a setting, and
refuses to be configured.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from domain.case import Jurisdiction
from domain.clocks.calendar import (
    add_working_days,
    add_years,
    is_working_day,
    next_working_day,
    say,
)

GREAT_BRITAIN = frozenset({Jurisdiction.ENGLAND_AND_WALES, Jurisdiction.SCOTLAND})
UNITED_KINGDOM = frozenset(Jurisdiction)

JURISDICTION_NAMES: dict[Jurisdiction, str] = {
    Jurisdiction.ENGLAND_AND_WALES: "England and Wales",
    Jurisdiction.SCOTLAND: "Scotland",
    Jurisdiction.NORTHERN_IRELAND: "Northern Ireland",
}


class ClockKind(StrEnum):
    CICA_APPLICATION = "cica_application"
    CICA_REVIEW_REQUEST = "cica_review_request"
    TRIBUNAL_APPEAL = "tribunal_appeal"
    REASONABLE_GROUNDS_DECISION = "reasonable_grounds_decision"
    RECOVERY_PERIOD = "recovery_period"

    @property
    def label(self) -> str:
        return _CLOCK_LABELS[self]


_CLOCK_LABELS = {
    ClockKind.CICA_APPLICATION: "CICA application",
    ClockKind.CICA_REVIEW_REQUEST: "CICA review request",
    ClockKind.TRIBUNAL_APPEAL: "First-tier Tribunal appeal",
    ClockKind.REASONABLE_GROUNDS_DECISION: "NRM reasonable grounds decision",
    ClockKind.RECOVERY_PERIOD: "NRM recovery period",
}


class Unit(StrEnum):
    DAYS = "days"
    WORKING_DAYS = "working_days"
    YEARS = "years"
    #: Until the birthday of that age: the clock runs from a date of birth.
    YEARS_OF_AGE = "years_of_age"


class Counting(StrEnum):
    """How a rule's words count its period from the day it runs from."""

    #: "within 90 days after the decision", "2 years of the incident", "90 days
    #: from that date": the day itself is not counted, so the last day is the
    #: 90th day after it (for years, the anniversary).
    AFTER = "after"
    #: "30 days beginning with the day on which the decision is made": the day
    #: itself is the first, so the last day is the 29th day after it.
    BEGINNING_WITH = "beginning_with"
    #: "before the 20th birthday": the last day is the day before the birthday.
    BEFORE_BIRTHDAY = "before_birthday"


class Ending(StrEnum):
    """How a period of protection ends, in its instrument's words."""

    #: At least the period: no conclusive grounds decision before its end (the
    #: guidance), so a decision inside it came too early.
    AT_LEAST = "at_least"
    #: Ends with the later of the conclusive grounds decision and the end of the
    #: period: a decision inside it does not shorten it.
    LATER_OF_PERIOD_AND_DECISION = "later_of_period_and_decision"
    #: Until a conclusive grounds decision; a positive one inside the period
    #: carries support to the period's end, a negative one ends it.
    UNTIL_DECISION_POSITIVE_TO_PERIOD_END = "until_decision_positive_to_period_end"
    #: Ends at the earlier of the end of the period and the conclusive grounds
    #: decision.
    EARLIER_OF_PERIOD_AND_DECISION = "earlier_of_period_and_decision"

    def describe(self, period: str) -> str:
        return _ENDING_WORDS[self].format(period=period)


_ENDING_WORDS = {
    Ending.AT_LEAST: "lasts at least {period}, with no conclusive grounds decision "
    "before they end",
    Ending.LATER_OF_PERIOD_AND_DECISION: "ends with the later of the conclusive "
    "grounds decision and the end of {period}",
    Ending.UNTIL_DECISION_POSITIVE_TO_PERIOD_END: "lasts until the conclusive "
    "grounds decision; a positive one within {period} carries support to the end "
    "of the {period}, and a negative one ends it",
    Ending.EARLIER_OF_PERIOD_AND_DECISION: "ends at the earlier of the end of "
    "{period} and the conclusive grounds decision",
}


class Variant(StrEnum):
    """Which of a clock's rules: the general one, or one for a class of survivor."""

    GENERAL = "general"
    #: Under 18 at the incident and reported to the police before turning 18.
    REPORTED_BEFORE_18 = "reported_before_18"
    #: Under 18 at the incident and first reported to the police at 18 or over.
    FIRST_REPORTED_FROM_18 = "first_reported_from_18"


@dataclass(frozen=True)
class Period:
    amount: int
    unit: Unit

    def after(self, start: date, jurisdiction: Jurisdiction) -> date:
        """The day the period ends, counted from ``start`` (not itself counted)."""
        if self.unit is Unit.DAYS:
            return start + timedelta(days=self.amount)
        if self.unit is Unit.WORKING_DAYS:
            return add_working_days(start, self.amount, jurisdiction)
        if self.unit is Unit.YEARS:
            return add_years(start, self.amount)
        raise ValueError(f"{self.describe()} runs from a date of birth, not a step")

    def describe(self) -> str:
        if self.unit is Unit.YEARS_OF_AGE:
            return f"until the {_ordinal(self.amount)} birthday"
        unit = self.unit.value.replace("_", " ")
        return f"{self.amount} {unit[:-1] if self.amount == 1 else unit}"


@dataclass(frozen=True)
class LastDay:
    """The last day an act is in time, and how it was found."""

    day: date
    #: The day the period itself ended, when that was not a working day and
    #: the rule moved the time to ``day``, the next working day.
    moved_from: date | None = None


@dataclass(frozen=True)
class Rule:
    """One effective-dated rule for one clock in some jurisdictions."""

    id: str
    clock: ClockKind
    jurisdictions: frozenset[Jurisdiction]
    #: What the rule requires, in plain words.
    description: str
    #: The source, without any check marker (see ``citation``).
    source: str
    period: Period
    took_effect: date
    #: The last day it was in force; None while it still is.
    ended: date | None = None
    #: What the period runs from, inside a sentence ("the day of the <...>").
    runs_from: str = "start"
    #: How the period counts from the day it runs from.
    counting: Counting = Counting.AFTER
    #: The provision under which a time ending on a day that is not a working
    #: day runs to the next working day; None where the rule has none.
    next_working_day: str | None = None
    #: Found only in secondary sources (marked *check*): the citation says so
    #: and the period is a setting.
    check: bool = False
    check_note: str | None = None
    variant: Variant = Variant.GENERAL
    #: For a period of protection: how it ends. None for a deadline.
    ending: Ending | None = None
    #: Done after the deadline: what can be done now.
    if_late: tuple[str, ...] = ()
    #: Not done by the deadline, and still not on record: what can be done now.
    if_overdue: tuple[str, ...] = ()
    #: A period of protection whose support ended before the period did.
    if_cut_short: tuple[str, ...] = ()
    #: A conclusive grounds decision made before a minimum period ended.
    if_decided_early: tuple[str, ...] = ()
    #: Anything uncertain about the dates themselves.
    dates_note: str | None = None
    #: The rule's own period, when a setting replaced it.
    default_period: Period | None = None

    @property
    def citation(self) -> str:
        if not self.check:
            return self.source
        marks = ["check"]
        if self.check_note:
            marks.append(self.check_note)
        if self.default_period is not None:
            marks.append(
                f"set to {self.period.describe()} by a setting; "
                f"the default is {self.default_period.describe()}"
            )
        return f"{self.source} ({'; '.join(marks)})"

    def in_force_on(self, day: date) -> bool:
        return self.took_effect <= day and (self.ended is None or day <= self.ended)

    def applies_in(self, jurisdiction: Jurisdiction) -> bool:
        return jurisdiction in self.jurisdictions

    @property
    def in_force(self) -> str:
        """When it was in force, in words."""
        if self.ended is None:
            return f"in force from {say(self.took_effect)}"
        return f"in force from {say(self.took_effect)} to {say(self.ended)}"

    @property
    def period_words(self) -> str:
        """The period, with how a period of protection ends."""
        period = self.period.describe()
        if self.ending is None:
            return period
        return f"{period}: the period {self.ending.describe(period)}"

    @property
    def counting_words(self) -> str:
        """How it counts, and what a time ending on a non-working day does."""
        amount = self.period.amount
        if self.counting is Counting.BEFORE_BIRTHDAY:
            words = (
                f"before the {_ordinal(amount)} birthday: the last day in time is "
                "the day before it"
            )
        elif self.counting is Counting.BEGINNING_WITH:
            words = (
                f"beginning with the day of the {self.runs_from}: that day is the "
                f"first, so the last day is the {_ordinal(amount - 1)} day after it"
            )
        elif self.period.unit is Unit.YEARS:
            words = (
                f"after the day of the {self.runs_from}: the last day is the "
                f"{_ordinal(amount)} anniversary of that day"
            )
        elif self.period.unit is Unit.WORKING_DAYS:
            words = (
                f"after the day of the {self.runs_from}, which is not counted: the "
                f"last day is the {_ordinal(amount)} working day after it (weekends "
                "and the nation's bank holidays are not working days)"
            )
        else:
            words = (
                f"after the day of the {self.runs_from}, which is not counted: the "
                f"last day is the {_ordinal(amount)} day after it"
            )
        if self.next_working_day is not None:
            words += (
                "; a time that ends on a day that is not a working day runs to "
                f"the next working day ({self.next_working_day})"
            )
        return words

    def last_day(self, start: date, jurisdiction: Jurisdiction) -> LastDay:
        """The last day in time of the period run from ``start`` (a date of birth
        for a period up to a birthday), as the rule counts it."""
        if self.counting is Counting.BEFORE_BIRTHDAY:
            end = add_years(start, self.period.amount) - timedelta(days=1)
        else:
            end = self.period.after(start, jurisdiction)
            if self.counting is Counting.BEGINNING_WITH:
                end -= timedelta(days=1)
        return self.moved(end, jurisdiction)

    def moved(self, end: date, jurisdiction: Jurisdiction) -> LastDay:
        """``end`` as the last day in time, moved to the next working day where
        the rule says so."""
        if self.next_working_day is None or is_working_day(end, jurisdiction):
            return LastDay(end)
        return LastDay(next_working_day(end, jurisdiction), moved_from=end)


class RuleNotConfigurable(ValueError):
    """A setting named a rule that is not a *(check)* rule, or no rule at all."""


class OverlappingRules(ValueError):
    """Two rules for one clock would be in force in one place on one day."""


class RuleBook:
    """The rules, and which one was in force for a clock on a day."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.rules = tuple(rules)
        self._by_id = {rule.id: rule for rule in self.rules}
        if len(self._by_id) != len(self.rules):
            raise OverlappingRules("two rules share an id")
        for i, rule in enumerate(self.rules):
            for other in self.rules[i + 1 :]:
                if _overlap(rule, other):
                    raise OverlappingRules(
                        f"{rule.id} and {other.id} are both in force for one "
                        "clock, place and day"
                    )

    def __getitem__(self, rule_id: str) -> Rule:
        return self._by_id[rule_id]

    def in_force(
        self,
        clock: ClockKind,
        jurisdiction: Jurisdiction,
        on: date,
        variant: Variant = Variant.GENERAL,
    ) -> Rule | None:
        for rule in self.for_clock(clock, jurisdiction, variant):
            if rule.in_force_on(on):
                return rule
        return None

    def for_clock(
        self,
        clock: ClockKind,
        jurisdiction: Jurisdiction,
        variant: Variant = Variant.GENERAL,
    ) -> list[Rule]:
        """Every rule for the clock there, oldest first."""
        rules = [
            rule
            for rule in self.rules
            if rule.clock is clock
            and rule.variant is variant
            and rule.applies_in(jurisdiction)
        ]
        return sorted(rules, key=lambda rule: rule.took_effect)

    def successor(self, rule: Rule, jurisdiction: Jurisdiction) -> Rule | None:
        """The rule that took over from ``rule`` there, if it has ended."""
        if rule.ended is None:
            return None
        return self.in_force(
            rule.clock, jurisdiction, rule.ended + timedelta(days=1), rule.variant
        )

    def configured(self, settings: Mapping[str, int] | None) -> RuleBook:
        """The same rules with the periods of *(check)* rules set by ``settings``
        (rule id to the period's amount, in the rule's own unit)."""
        if not settings:
            return self
        unknown = set(settings) - set(self._by_id)
        if unknown:
            raise RuleNotConfigurable(f"no rule {', '.join(sorted(unknown))}")
        rules = []
        for rule in self.rules:
            amount = settings.get(rule.id)
            if amount is None:
                rules.append(rule)
                continue
            if not rule.check:
                raise RuleNotConfigurable(
                    f"{rule.id} comes from {rule.source}, not a (check) rule: "
                    "its period is law, not a setting"
                )
            if isinstance(amount, bool) or not isinstance(amount, int) or amount < 1:
                raise RuleNotConfigurable(f"{rule.id}: a period is a whole number ≥ 1")
            if amount == rule.period.amount:
                rules.append(rule)
                continue
            rules.append(
                replace(
                    rule,
                    period=Period(amount, rule.period.unit),
                    default_period=rule.default_period or rule.period,
                )
            )
        return RuleBook(rules)


def _overlap(one: Rule, other: Rule) -> bool:
    if one.clock is not other.clock or one.variant is not other.variant:
        return False
    if not one.jurisdictions & other.jurisdictions:
        return False
    one_end = one.ended or date.max
    other_end = other.ended or date.max
    return one.took_effect <= other_end and other.took_effect <= one_end


def _ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


CICA_2008 = date(2008, 11, 3)
CICA_2012 = date(2012, 11, 27)
#: The National Referral Mechanism began on 1 April 2009.
NRM_BEGAN = date(2009, 4, 1)
#: The 30-day minimum recovery period in the statutory guidance for England and
#: Wales, from 13 December 2022.
GUIDANCE_30_DAYS = date(2022, 12, 13)
#: Nationality and Borders Act 2022 s.61 (the recovery period) and Modern Slavery
#: Act 2015 s.50A (inserted by s.64: support in England and Wales) in force.
SECTION_50A = date(2023, 1, 30)
#: The Human Trafficking and Exploitation (Scotland) Act 2015 (Support for
#: Victims) Regulations 2018 (SSI 2018/90) in force.
SCOTTISH_90_DAYS = date(2018, 4, 1)

TRIBUNAL_RULES = (
    "Tribunal Procedure (First-tier Tribunal) (Social Entitlement Chamber) Rules 2008"
)
_PARA_89 = (
    "(a) exceptional circumstances prevented an earlier application and (b) the "
    "evidence lets a claims officer decide it without further extensive enquiries "
    "(CICA 2012 Scheme para 89)"
)
_PARA_18 = (
    "(a) it is practicable for the application to be considered and (b) in the "
    "particular circumstances it would not have been reasonable to expect the "
    "applicant to have applied within the two years (CICA 2008 Scheme para 18)"
)
_LATE_2012_APPLICATION = (
    f"CICA can accept the late application only if {_PARA_89}: send CICA the "
    "evidence of both, if it did not go with the application",
)
_OVERDUE_2012_APPLICATION = (
    "apply now, with evidence that (a) exceptional circumstances prevented an "
    "earlier application and (b) lets a claims officer decide it without further "
    "extensive enquiries: CICA can accept a late application only then (CICA 2012 "
    "Scheme para 89)",
)
_LATE_2008_APPLICATION = (
    f"a claims officer may waive the time limit only if {_PARA_18}: send CICA "
    "the reasons and evidence for both, if they did not go with the application",
)
_OVERDUE_2008_APPLICATION = (
    f"a claims officer may waive the time limit only if {_PARA_18}: apply with "
    "the reasons and evidence for both",
)
_RECOVERY_CUT_SHORT = (
    "ask the support provider to restore support for the rest of the recovery "
    "period, citing the rule",
)
_RECOVERY_DECIDED_EARLY = (
    "ask the competent authority to reconsider the conclusive grounds decision, "
    "which was made before the recovery period had run",
)
_NRM_GUIDANCE = (
    "Modern Slavery Statutory Guidance for England and Wales (s.49 Modern Slavery "
    "Act 2015) and the NRM guidance before it"
)

RULES: tuple[Rule, ...] = (
    # CICA applications: the Scheme in force on the day CICA receives it.
    Rule(
        id="cica-2008-para-18",
        clock=ClockKind.CICA_APPLICATION,
        jurisdictions=GREAT_BRITAIN,
        description="Apply as soon as possible; the application must be received "
        "within 2 years of the date of the incident. A claims officer may waive "
        "the limit only where (a) it is practicable for the application to be "
        "considered and (b) in the particular circumstances it would not have "
        "been reasonable to expect the applicant to have applied within the two "
        "years.",
        source="Criminal Injuries Compensation Scheme 2008, para 18 (applications "
        "received from 3 November 2008)",
        runs_from="incident",
        period=Period(2, Unit.YEARS),
        took_effect=CICA_2008,
        ended=CICA_2012 - timedelta(days=1),
        if_late=_LATE_2008_APPLICATION,
        if_overdue=_OVERDUE_2008_APPLICATION,
    ),
    Rule(
        id="cica-2012-para-87",
        clock=ClockKind.CICA_APPLICATION,
        jurisdictions=GREAT_BRITAIN,
        description="Apply as soon as reasonably practicable, and within 2 years "
        "after the date of the incident. Later only where exceptional "
        "circumstances prevented an earlier application and the evidence allows "
        "a decision without further extensive enquiries (para 89).",
        source="Criminal Injuries Compensation Scheme 2012, para 87 (applications "
        "received from 27 November 2012; extension: para 89)",
        runs_from="incident",
        period=Period(2, Unit.YEARS),
        took_effect=CICA_2012,
        if_late=_LATE_2012_APPLICATION,
        if_overdue=_OVERDUE_2012_APPLICATION,
    ),
    Rule(
        id="cica-2012-para-88-1-a",
        clock=ClockKind.CICA_APPLICATION,
        jurisdictions=GREAT_BRITAIN,
        description="Under 18 at the incident and reported to the police before "
        "the 18th birthday: the application must be received before the 20th "
        "birthday.",
        source="Criminal Injuries Compensation Scheme 2012, para 88(1)(a) "
        "(extension: para 89)",
        runs_from="birth",
        period=Period(20, Unit.YEARS_OF_AGE),
        took_effect=CICA_2012,
        counting=Counting.BEFORE_BIRTHDAY,
        variant=Variant.REPORTED_BEFORE_18,
        if_late=_LATE_2012_APPLICATION,
        if_overdue=_OVERDUE_2012_APPLICATION,
    ),
    Rule(
        id="cica-2012-para-88-1-b",
        clock=ClockKind.CICA_APPLICATION,
        jurisdictions=GREAT_BRITAIN,
        description="Under 18 at the incident and first reported to the police "
        "on or after the 18th birthday: the application must be received within "
        "2 years of the first report. Until it is reported, the window has not "
        "started.",
        source="Criminal Injuries Compensation Scheme 2012, para 88(1)(b) "
        "(extension: para 89)",
        runs_from="first report to the police",
        period=Period(2, Unit.YEARS),
        took_effect=CICA_2012,
        variant=Variant.FIRST_REPORTED_FROM_18,
        if_late=_LATE_2012_APPLICATION,
        if_overdue=_OVERDUE_2012_APPLICATION,
    ),
    # CICA reviews: the Scheme the application was made under.
    Rule(
        id="cica-2008-review",
        clock=ClockKind.CICA_REVIEW_REQUEST,
        jurisdictions=GREAT_BRITAIN,
        description="A review of a decision must be asked for in writing within "
        "90 days of the decision.",
        source="Criminal Injuries Compensation Scheme 2008, review of decisions",
        runs_from="decision",
        period=Period(90, Unit.DAYS),
        took_effect=CICA_2008,
        ended=CICA_2012 - timedelta(days=1),
        check=True,
        check_note="the paragraph and its counting words are from secondary sources",
        if_late=("ask CICA to accept the late request, giving the reasons it is late",),
        if_overdue=(
            "ask for the review now, giving the reasons it is late and asking "
            "CICA to accept it",
        ),
    ),
    Rule(
        id="cica-2012-review",
        clock=ClockKind.CICA_REVIEW_REQUEST,
        jurisdictions=GREAT_BRITAIN,
        description="A review of a decision must be asked for within 56 days of "
        "the decision.",
        source="Criminal Injuries Compensation Scheme 2012, review of decisions",
        runs_from="decision",
        period=Period(56, Unit.DAYS),
        took_effect=CICA_2012,
        check=True,
        check_note="the paragraph and its counting words are from secondary sources",
        if_late=(
            "ask CICA to accept the late request, giving the reasons it is late: "
            "CICA may extend the time for a review in exceptional circumstances",
        ),
        if_overdue=(
            "ask for the review now, giving the reasons it is late: CICA may "
            "extend the time for a review in exceptional circumstances",
        ),
    ),
    # Appeals to the First-tier Tribunal (Social Entitlement Chamber).
    Rule(
        id="ftt-sec-2008-r22",
        clock=ClockKind.TRIBUNAL_APPEAL,
        jurisdictions=GREAT_BRITAIN,
        description="The notice of appeal must reach the First-tier Tribunal "
        "within 90 days after the date of the review decision. A late notice "
        "must include a request for an extension of time, with the reason it is "
        "late; the Tribunal may extend time. After the Tribunal, only judicial "
        "review.",
        source=f"{TRIBUNAL_RULES}, r.22(2)(b) (late notice: r.22(6); extending "
        "time: r.5(3)(a); non-working days: r.12(2))",
        runs_from="review decision",
        period=Period(90, Unit.DAYS),
        took_effect=CICA_2008,
        next_working_day="r.12(2)",
        if_late=(
            "the notice of appeal must include a request for an extension of "
            "time and the reason it was late (r.22(6)); the Tribunal may extend "
            "time (r.5(3)(a))",
        ),
        if_overdue=(
            "appeal now, with a request for an extension of time and the reason "
            "the notice is late (r.22(6)); the Tribunal may extend time "
            "(r.5(3)(a))",
        ),
    ),
    # The National Referral Mechanism
    Rule(
        id="nrm-rg-5-working-days",
        clock=ClockKind.REASONABLE_GROUNDS_DECISION,
        jurisdictions=UNITED_KINGDOM,
        description="The competent authority aims to make a reasonable grounds "
        "decision within 5 working days of the referral: a target, not a time "
        "limit the survivor can lose by.",
        source="Modern Slavery Statutory Guidance for England and Wales (s.49 "
        "Modern Slavery Act 2015) and Non-Statutory Guidance for Scotland and "
        "Northern Ireland: reasonable grounds decisions",
        runs_from="referral",
        period=Period(5, Unit.WORKING_DAYS),
        took_effect=NRM_BEGAN,
        check=True,
        check_note="guidance, from secondary sources only",
        if_overdue=("ask the competent authority when the decision will be made",),
        dates_note="taken as in force since the NRM began",
    ),
    Rule(
        id="nrm-recovery-ew-45",
        clock=ClockKind.RECOVERY_PERIOD,
        jurisdictions=frozenset({Jurisdiction.ENGLAND_AND_WALES}),
        description="After a positive reasonable grounds decision, a recovery "
        "period of at least 45 days, with support, before any conclusive grounds "
        "decision.",
        source=_NRM_GUIDANCE,
        runs_from="positive reasonable grounds decision",
        period=Period(45, Unit.DAYS),
        took_effect=NRM_BEGAN,
        ended=GUIDANCE_30_DAYS - timedelta(days=1),
        ending=Ending.AT_LEAST,
        if_cut_short=_RECOVERY_CUT_SHORT,
        if_decided_early=_RECOVERY_DECIDED_EARLY,
        dates_note="taken as in force since the NRM began",
    ),
    Rule(
        id="nrm-recovery-ew-30-guidance",
        clock=ClockKind.RECOVERY_PERIOD,
        jurisdictions=frozenset({Jurisdiction.ENGLAND_AND_WALES}),
        description="After a positive reasonable grounds decision, a recovery "
        "period of at least 30 days, with support, before any conclusive grounds "
        "decision (guidance, ahead of the statute).",
        source="Modern Slavery Statutory Guidance for England and Wales (s.49 "
        "Modern Slavery Act 2015), as revised from 13 December 2022",
        runs_from="positive reasonable grounds decision",
        period=Period(30, Unit.DAYS),
        took_effect=GUIDANCE_30_DAYS,
        ended=SECTION_50A - timedelta(days=1),
        ending=Ending.AT_LEAST,
        if_cut_short=_RECOVERY_CUT_SHORT,
        if_decided_early=_RECOVERY_DECIDED_EARLY,
    ),
    Rule(
        id="nrm-recovery-ew-30",
        clock=ClockKind.RECOVERY_PERIOD,
        jurisdictions=frozenset({Jurisdiction.ENGLAND_AND_WALES}),
        description="After a positive reasonable grounds decision, a recovery "
        "period beginning with the day of the decision and ending with the later "
        "of the conclusive grounds decision and the end of 30 days beginning with "
        "that day: the survivor may not be removed, and is given assistance and "
        "support in England and Wales.",
        source="Nationality and Borders Act 2022 s.61; Modern Slavery Act 2015 "
        "s.50A (inserted by the Nationality and Borders Act 2022 s.64)",
        runs_from="positive reasonable grounds decision",
        period=Period(30, Unit.DAYS),
        took_effect=SECTION_50A,
        counting=Counting.BEGINNING_WITH,
        ending=Ending.LATER_OF_PERIOD_AND_DECISION,
        if_cut_short=(
            "ask the support provider to restore assistance and support for the "
            "rest of the recovery period (Modern Slavery Act 2015 s.50A)",
        ),
    ),
    Rule(
        id="nrm-recovery-ni-45",
        clock=ClockKind.RECOVERY_PERIOD,
        jurisdictions=frozenset({Jurisdiction.NORTHERN_IRELAND}),
        description="After a positive reasonable grounds decision, assistance and "
        "support until the conclusive grounds decision: a negative one ends it; "
        "a positive one within 45 days (or such longer period as the Department "
        "thinks necessary) from the reasonable grounds decision carries it to "
        "the end of that period.",
        source="Human Trafficking and Exploitation (Criminal Justice and Support "
        "for Victims) Act (Northern Ireland) 2015 s.18(3) and (4)",
        runs_from="positive reasonable grounds decision",
        period=Period(45, Unit.DAYS),
        took_effect=NRM_BEGAN,
        ending=Ending.UNTIL_DECISION_POSITIVE_TO_PERIOD_END,
        if_cut_short=(
            "ask the Department of Justice to restore assistance and support "
            "until the conclusive grounds decision (s.18(3))",
        ),
        dates_note="taken as in force since the NRM began; in statute since 2015",
    ),
    Rule(
        id="nrm-recovery-scotland-45",
        clock=ClockKind.RECOVERY_PERIOD,
        jurisdictions=frozenset({Jurisdiction.SCOTLAND}),
        description="Before the 2018 Regulations: after a positive reasonable "
        "grounds decision, a recovery period of at least 45 days, with support, "
        "before any conclusive grounds decision.",
        source="NRM guidance for Scotland before 1 April 2018",
        runs_from="positive reasonable grounds decision",
        period=Period(45, Unit.DAYS),
        took_effect=NRM_BEGAN,
        ended=SCOTTISH_90_DAYS - timedelta(days=1),
        check=True,
        check_note="from secondary sources only",
        ending=Ending.AT_LEAST,
        if_cut_short=_RECOVERY_CUT_SHORT,
        if_decided_early=_RECOVERY_DECIDED_EARLY,
        dates_note="taken as in force since the NRM began",
    ),
    Rule(
        id="nrm-recovery-scotland-90",
        clock=ClockKind.RECOVERY_PERIOD,
        jurisdictions=frozenset({Jurisdiction.SCOTLAND}),
        description="After a positive reasonable grounds decision, support and "
        "assistance for the period ending at the earlier of the end of 90 days "
        "from that decision and the conclusive grounds decision.",
        source="Human Trafficking and Exploitation (Scotland) Act 2015 s.9(2); "
        "Human Trafficking and Exploitation (Scotland) Act 2015 (Support for "
        "Victims) Regulations 2018 (SSI 2018/90) reg 2",
        runs_from="positive reasonable grounds decision",
        period=Period(90, Unit.DAYS),
        took_effect=SCOTTISH_90_DAYS,
        ending=Ending.EARLIER_OF_PERIOD_AND_DECISION,
    ),
)

DEFAULT_RULES = RuleBook(RULES)


def rule_book(settings: Mapping[str, int] | None = None) -> RuleBook:
    """The rules, with any *check* periods set by ``settings``."""
    return DEFAULT_RULES.configured(settings)
