"""The legal clocks as data: each rule effective-dated, per jurisdiction, cited.

A clock is judged by the rule in force on the day it started, in the jurisdiction
the case was in on that day. Rules change (the CICA schemes of 2008 and 2012; the
recovery period in England and Wales set in statute from 2023), so every rule
says when it took effect and, where known, the last day it was in force.

Rules marked *(check)* in DOMAIN.md were found only in secondary sources. Their
citations say so, and their periods are settings: ``rule_book({"cica-2012-review":
42})`` replaces the 56 days DOMAIN.md gives. A rule from a primary source is law,
not a setting, and refuses to be configured.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from domain.case import Jurisdiction
from domain.clocks.calendar import add_working_days, add_years, say

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


class Variant(StrEnum):
    """Which of a clock's rules: the general one, or one for a class of survivor."""

    GENERAL = "general"
    #: Under 18 at the incident and reported to the police before turning 18.
    UNDER_18 = "under_18"


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
    #: Marked *(check)* in DOMAIN.md (or found, like it, only in secondary
    #: sources): the citation says so and the period is a setting.
    check: bool = False
    check_note: str | None = None
    variant: Variant = Variant.GENERAL
    #: For a period of protection: at least this long (True) or up to it (False).
    minimum: bool = True
    #: What is needed when the clock is missed.
    if_missed: tuple[str, ...] = ()
    #: Anything uncertain about the dates themselves.
    dates_note: str | None = None
    #: The period DOMAIN.md gives, when a setting replaced it.
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
#: Modern Slavery Act 2015 s.50A (Nationality and Borders Act 2022 s.60).
SECTION_50A = date(2023, 1, 30)
SCOTTISH_90_DAYS = date(2018, 4, 1)

_LATE_CICA_APPLICATION = (
    "evidence of exceptional circumstances that prevented an earlier application "
    "(CICA 2012 Scheme para 89(a))",
    "evidence that lets a claims officer decide without extensive enquiry "
    "(CICA 2012 Scheme para 89(b))",
)
_SECONDARY = "from secondary sources; not in DOMAIN.md"

RULES: tuple[Rule, ...] = (
    # CICA applications
    Rule(
        id="cica-2008-para-18",
        clock=ClockKind.CICA_APPLICATION,
        jurisdictions=GREAT_BRITAIN,
        description="Apply as soon as possible; the application must be received "
        "within 2 years of the incident. A claims officer may waive the limit "
        "where it is reasonable and in the interests of justice.",
        source="Criminal Injuries Compensation Scheme 2008, para 18",
        period=Period(2, Unit.YEARS),
        took_effect=CICA_2008,
        ended=CICA_2012 - timedelta(days=1),
        check=True,
        check_note=_SECONDARY,
        if_missed=(
            "reasons why waiving the time limit is reasonable and in the interests "
            "of justice (CICA 2008 Scheme para 18)",
        ),
    ),
    Rule(
        id="cica-2012-para-87",
        clock=ClockKind.CICA_APPLICATION,
        jurisdictions=GREAT_BRITAIN,
        description="Apply as soon as reasonably practicable, and within 2 years "
        "of the incident. Later only in exceptional circumstances that prevented "
        "an earlier application, where the evidence allows a decision without "
        "extensive enquiry (para 89).",
        source="Criminal Injuries Compensation Scheme 2012, para 87 (extension: "
        "para 89)",
        period=Period(2, Unit.YEARS),
        took_effect=CICA_2012,
        if_missed=_LATE_CICA_APPLICATION,
    ),
    Rule(
        id="cica-2012-para-88",
        clock=ClockKind.CICA_APPLICATION,
        jurisdictions=GREAT_BRITAIN,
        description="Under 18 at the incident and reported to the police before "
        "turning 18: the application must be received before the 20th birthday.",
        source="Criminal Injuries Compensation Scheme 2012, para 88",
        period=Period(20, Unit.YEARS_OF_AGE),
        took_effect=CICA_2012,
        check=True,
        variant=Variant.UNDER_18,
        if_missed=_LATE_CICA_APPLICATION,
    ),
    # CICA reviews
    Rule(
        id="cica-2008-review",
        clock=ClockKind.CICA_REVIEW_REQUEST,
        jurisdictions=GREAT_BRITAIN,
        description="A review of a decision must be asked for in writing within "
        "90 days of the decision.",
        source="Criminal Injuries Compensation Scheme 2008, para 58",
        period=Period(90, Unit.DAYS),
        took_effect=CICA_2008,
        ended=CICA_2012 - timedelta(days=1),
        check=True,
        check_note=_SECONDARY,
        if_missed=("reasons for the late request, asking CICA to accept it",),
    ),
    Rule(
        id="cica-2012-review",
        clock=ClockKind.CICA_REVIEW_REQUEST,
        jurisdictions=GREAT_BRITAIN,
        description="A review of a decision must be asked for within 56 days of "
        "the decision.",
        source="Criminal Injuries Compensation Scheme 2012, review of decisions",
        period=Period(56, Unit.DAYS),
        took_effect=CICA_2012,
        check=True,
        if_missed=(
            "reasons for the late request: CICA may extend the time for a review "
            "in exceptional circumstances (check)",
        ),
    ),
    # Appeals to the First-tier Tribunal (Criminal Injuries Compensation)
    Rule(
        id="ftt-sec-2008-r22",
        clock=ClockKind.TRIBUNAL_APPEAL,
        jurisdictions=GREAT_BRITAIN,
        description="An appeal must reach the First-tier Tribunal within 90 days "
        "of the review decision. A late appeal needs an extension of time, asked "
        "for with reasons; after the Tribunal, only judicial review.",
        source="Tribunal Procedure (First-tier Tribunal) (Social Entitlement "
        "Chamber) Rules 2008, r.22",
        period=Period(90, Unit.DAYS),
        took_effect=CICA_2008,
        if_missed=(
            "a request to extend the time for appealing, with the reasons the "
            "appeal is late (r.22)",
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
        period=Period(5, Unit.WORKING_DAYS),
        took_effect=NRM_BEGAN,
        if_missed=("ask the competent authority when the decision will be made",),
        dates_note="taken as in force since the NRM began",
    ),
    Rule(
        id="nrm-recovery-ew-45",
        clock=ClockKind.RECOVERY_PERIOD,
        jurisdictions=frozenset({Jurisdiction.ENGLAND_AND_WALES}),
        description="After a positive reasonable grounds decision, a recovery "
        "period of at least 45 days, with support, before any conclusive grounds "
        "decision.",
        source="NRM guidance and the Modern Slavery Statutory Guidance for "
        "England and Wales, before s.50A",
        period=Period(45, Unit.DAYS),
        took_effect=NRM_BEGAN,
        ended=SECTION_50A - timedelta(days=1),
        check=True,
        check_note="policy has said 45",
        if_missed=(
            "ask for support to continue, and challenge a conclusive grounds "
            "decision made within the recovery period",
        ),
    ),
    Rule(
        id="nrm-recovery-ew-30",
        clock=ClockKind.RECOVERY_PERIOD,
        jurisdictions=frozenset({Jurisdiction.ENGLAND_AND_WALES}),
        description="After a positive reasonable grounds decision, a recovery "
        "period of at least 30 days, in which the survivor may not be removed "
        "and no conclusive grounds decision is made.",
        source="Modern Slavery Act 2015 s.50A (inserted by the Nationality and "
        "Borders Act 2022 s.60)",
        period=Period(30, Unit.DAYS),
        took_effect=SECTION_50A,
        check=True,
        check_note="policy has said 45",
        if_missed=(
            "ask for support to continue, and challenge a conclusive grounds "
            "decision made within the recovery period",
        ),
        dates_note="the day s.60 came into force is from secondary sources",
    ),
    Rule(
        id="nrm-recovery-ni-45",
        clock=ClockKind.RECOVERY_PERIOD,
        jurisdictions=frozenset({Jurisdiction.NORTHERN_IRELAND}),
        description="After a positive reasonable grounds decision, support and "
        "protection for at least 45 days.",
        source="Human Trafficking and Exploitation (Criminal Justice and Support "
        "for Victims) Act (Northern Ireland) 2015 s.18, and the NRM guidance "
        "before it",
        period=Period(45, Unit.DAYS),
        took_effect=NRM_BEGAN,
        if_missed=("ask for support to continue for the rest of the recovery period",),
        dates_note="taken as in force since the NRM began; in statute since 2015",
    ),
    Rule(
        id="nrm-recovery-scotland-90",
        clock=ClockKind.RECOVERY_PERIOD,
        jurisdictions=frozenset({Jurisdiction.SCOTLAND}),
        description="After a positive reasonable grounds decision, support for up "
        "to 90 days, or until the conclusive grounds decision if it is sooner.",
        source="Human Trafficking and Exploitation (Scotland) Act 2015 s.9 and "
        "its support regulations",
        period=Period(90, Unit.DAYS),
        took_effect=SCOTTISH_90_DAYS,
        minimum=False,
        dates_note="the day the 90 days began is from secondary sources",
    ),
)

DEFAULT_RULES = RuleBook(RULES)


def rule_book(settings: Mapping[str, int] | None = None) -> RuleBook:
    """The rules, with any *(check)* periods set by ``settings``."""
    return DEFAULT_RULES.configured(settings)
