"""Legal clocks: effective-dated rules per jurisdiction, and a case's clocks
judged from its steps as at a day."""

from domain.clocks.calendar import (
    add_working_days,
    bank_holidays,
    is_working_day,
)
from domain.clocks.clock import Clock, ClockReport, ClockStatus, JurisdictionSpell
from domain.clocks.evaluate import clocks_of
from domain.clocks.facts import CLOCK_STEP_KINDS, CaseFacts, Step
from domain.clocks.rules import (
    DEFAULT_RULES,
    JURISDICTION_NAMES,
    RULES,
    ClockKind,
    Counting,
    Ending,
    LastDay,
    OverlappingRules,
    Period,
    Rule,
    RuleBook,
    RuleNotConfigurable,
    Unit,
    Variant,
    rule_book,
)

__all__ = [
    "CLOCK_STEP_KINDS",
    "DEFAULT_RULES",
    "JURISDICTION_NAMES",
    "RULES",
    "CaseFacts",
    "Clock",
    "ClockKind",
    "ClockReport",
    "ClockStatus",
    "Counting",
    "Ending",
    "JurisdictionSpell",
    "LastDay",
    "OverlappingRules",
    "Period",
    "Rule",
    "RuleBook",
    "RuleNotConfigurable",
    "Step",
    "Unit",
    "Variant",
    "add_working_days",
    "bank_holidays",
    "clocks_of",
    "is_working_day",
    "rule_book",
]
