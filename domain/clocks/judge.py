"""What every clock family shares: the case's dated steps, where the case was on
a day, which rule applies, and how a deadline stands.

How dates are read, always to the survivor's safety:

- A clock started by an uncertain step runs from the step's earliest possible day,
  so its due day is the earliest possible deadline; the clock says so.
- A step that stops a deadline is judged by its latest possible day: an
  application dated ``2021`` is in time only if 31 December 2021 is. A step that
  cuts short a period of protection is judged by its earliest.
- Undated steps start no clock and stop none; the report says what to date.
- Steps whose earliest possible day is after the day judged are not yet on record.

A case is in the jurisdiction it was opened in until a dated
``transition.moved_area`` names another, and from that move's earliest possible
day on in that one; a clock follows the rules of where the case was on the day
it started.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any, NamedTuple

from domain.case import Jurisdiction
from domain.clocks.calendar import non_working_days, say
from domain.clocks.clock import Clock, ClockStatus, JurisdictionSpell
from domain.clocks.facts import (
    APPEAL_LODGED,
    CG_DECISION,
    CICA_APPLICATION,
    MOVED_AREA,
    REVIEW_REQUESTED,
    RG_DECISION,
    STARTS,
    SUPPORT_ENDED,
    CaseFacts,
    Step,
)
from domain.clocks.rules import (
    GREAT_BRITAIN,
    JURISDICTION_NAMES,
    ClockKind,
    LastDay,
    Rule,
    RuleBook,
)

#: The steps that stop each clock.
STOPS: Mapping[ClockKind, tuple[str, ...]] = {
    ClockKind.CICA_APPLICATION: (CICA_APPLICATION,),
    ClockKind.CICA_REVIEW_REQUEST: (REVIEW_REQUESTED,),
    ClockKind.TRIBUNAL_APPEAL: (APPEAL_LODGED,),
    ClockKind.REASONABLE_GROUNDS_DECISION: (RG_DECISION,),
    ClockKind.RECOVERY_PERIOD: (CG_DECISION, SUPPORT_ENDED),
}

_GB_ONLY = frozenset(
    {
        ClockKind.CICA_APPLICATION,
        ClockKind.CICA_REVIEW_REQUEST,
        ClockKind.TRIBUNAL_APPEAL,
    }
)


class Decided(NamedTuple):
    """The day whose rule governs a clock, and why that day."""

    day: date
    #: Completes "the rule in force on <day>, ...".
    why: str
    #: Who follows the rule that took over: "Clocks started", "Applications
    #: received".
    successors: str = "Clocks started"


class Started(NamedTuple):
    """A clock as its starting step sets it."""

    start: date
    where: Jurisdiction
    rule: Rule
    last: LastDay
    #: The sentences on where it runs and which rule applies.
    text: list[str]


class Judge:
    """A case's dated steps, read once, and the judging every clock shares."""

    def __init__(self, facts: CaseFacts, as_of: date, rules: RuleBook) -> None:
        self.facts = facts
        self.as_of = as_of
        self.rules = rules
        self.notes: list[str] = []
        self.by_kind: dict[str, list[Step]] = {}
        self.undated: dict[str, list[Step]] = {}
        for step in facts.steps:
            lower = step.lower
            if lower is None:
                self.undated.setdefault(step.kind, []).append(step)
            elif lower <= as_of:
                self.by_kind.setdefault(step.kind, []).append(step)
        for steps in self.by_kind.values():
            steps.sort(key=lambda step: (step.lower, step.sequence))
        self.spells = self._spells()
        for kind, clock in STARTS.items():
            for step in self.undated.get(kind, ()):
                self.notes.append(
                    f"The {step.noun} (step {step.step_id}) is undated, so it "
                    f"starts no {clock.label} clock: date it, even roughly."
                )

    # Where the case was

    def _spells(self) -> list[JurisdictionSpell]:
        spells = [JurisdictionSpell(self.facts.jurisdiction, None, None)]
        for move in self.by_kind.get(MOVED_AREA, ()):
            to = move.details.get("jurisdiction")
            if to is None or Jurisdiction(to) is spells[-1].jurisdiction:
                continue
            spells.append(
                JurisdictionSpell(
                    Jurisdiction(to),
                    move.lower,
                    move.step_id,
                    move.details.get("local_authority"),
                )
            )
        for move in self.undated.get(MOVED_AREA, ()):
            if move.details.get("jurisdiction"):
                name = JURISDICTION_NAMES[Jurisdiction(move.details["jurisdiction"])]
                self.notes.append(
                    f"The move to {name} (step {move.step_id}) is undated, so no "
                    "clock follows it: date it, even roughly."
                )
        return spells

    def spell_on(self, day: date) -> tuple[JurisdictionSpell, str]:
        """Where the case was on ``day``, and why that is said."""
        current = self.spells[0]
        for spell in self.spells[1:]:
            if spell.since is not None and spell.since <= day:
                current = spell
        name = JURISDICTION_NAMES[current.jurisdiction]
        following = next(
            (s for s in self.spells if s.since is not None and s.since > day), None
        )
        if current.since is None:
            why = f"The case was in {name} when the clock started (opened there"
            why += (
                f"; it moved to {JURISDICTION_NAMES[following.jurisdiction]} only "
                f"on {say(following.since)})."
                if following is not None and following.since is not None
                else ")."
            )
        else:
            where = f" ({current.local_authority})" if current.local_authority else ""
            why = (
                f"The case was in {name} when the clock started: it moved there"
                f"{where} on {say(current.since)}."
            )
        return current, why

    # Rules

    def started(
        self, kind: ClockKind, step: Step, decided: Decided | None = None
    ) -> Started | None:
        """Where the clock the step starts runs, under which rule (the one in
        force on ``decided``'s day, else on the day it started), and its last
        day; None (with a note) if no rule applies."""
        start = day_of(step.lower)
        spell, why = self.spell_on(start)
        where = spell.jurisdiction
        decided = decided or Decided(start, "when the clock started")
        rule = self.rule(kind, where, decided, step)
        if rule is None:
            return None
        text = [why, self.rule_words(rule, where, decided)]
        return Started(start, where, rule, rule.last_day(start, where), text)

    def rule(
        self, kind: ClockKind, where: Jurisdiction, decided: Decided, step: Step
    ) -> Rule | None:
        rule = self.rules.in_force(kind, where, decided.day)
        if rule is not None:
            return rule
        name = JURISDICTION_NAMES[where]
        known = self.rules.for_clock(kind, where)
        subject = f"No {kind.label} clock for the {step.noun} ({step.when})"
        if not known and where not in GREAT_BRITAIN and kind in _GB_ONLY:
            self.notes.append(
                f"{subject}: CICA and the First-tier Tribunal serve Great Britain, "
                f"and the case was in {name}, whose own criminal injuries scheme's "
                "time limits are not encoded (check)."
            )
        elif known:
            self.notes.append(
                f"{subject}: no rule on record was in force in {name} on "
                f"{say(decided.day)}, {decided.why}; the earliest, {known[0].id}, "
                f"took effect on {say(known[0].took_effect)}."
            )
        else:
            self.notes.append(f"{subject}: no rule is on record for {name}.")
        return None

    def rule_words(self, rule: Rule, where: Jurisdiction, decided: Decided) -> str:
        words = (
            f"The rule {rule.id} applies ({rule.citation}), {rule.in_force}: the "
            f"rule in force on {say(decided.day)}, {decided.why}."
        )
        successor = self.rules.successor(rule, where)
        if successor is not None:
            words += (
                f" {decided.successors} from {say(successor.took_effect)} follow "
                f"{successor.id} ({successor.period.describe()})."
            )
        if rule.dates_note:
            words += f" Its dates: {rule.dates_note}."
        return words

    # Steps

    def next(
        self, kinds: Sequence[str], after: Step, before: Step | None = None
    ) -> Step | None:
        found = self.all(kinds, after, before)
        return found[0] if found else None

    def all(
        self, kinds: Sequence[str], after: Step, before: Step | None = None
    ) -> list[Step]:
        """Steps of ``kinds`` not wholly before ``after`` (nor ``after`` itself),
        and starting before ``before``, earliest first."""
        start = day_of(after.lower)
        limit = before.lower if before is not None else None
        found = [
            step
            for kind in kinds
            for step in self.by_kind.get(kind, ())
            if step.step_id != after.step_id
            and day_of(step.upper) >= start
            and (limit is None or day_of(step.lower) < limit)
        ]
        return sorted(found, key=lambda step: (step.lower, step.sequence))

    def later(self, kind: str, step: Step) -> Step | None:
        """The next step of ``kind`` that starts after ``step`` does."""
        return next(
            (
                other
                for other in self.by_kind.get(kind, ())
                if day_of(other.lower) > day_of(step.lower)
            ),
            None,
        )

    def implied(
        self,
        implying: str,
        done: str,
        start: Step,
        text: list[str],
        before: Step | None = None,
    ) -> Step | None:
        """A later step that shows the thing was done though it is not itself on
        record (a decision on an application the advocate never saw)."""
        found = self.next((implying,), start, before)
        if found is not None:
            text.append(
                f"{article(found.noun).capitalize()} {found.noun} ({found.when}) "
                f"is on record, so the {done} was made: record when, to judge "
                "this clock."
            )
        return found

    # Judging

    def judged(
        self,
        kind: ClockKind,
        start: Step,
        rule: Rule,
        where: Jurisdiction,
        due: LastDay,
        stop: Step | None,
        text: list[str],
        running: str = "Running",
    ) -> Clock:
        """A deadline's status: met or missed by the step that stopped it, else
        running or missed as at the day judged."""
        last = due.day
        if stop is not None:
            day = day_of(stop.upper)
            met = day <= last
            margin = abs((last - day).days)
            what = f"the {stop.noun} ({stop.when})"
            if not met:
                text.append(
                    f"Missed: {what} was {days(margin)} after the deadline of "
                    f"{say(last)}."
                )
            elif margin:
                text.append(
                    f"Met: {what} was {days(margin)} before the deadline of "
                    f"{say(last)}."
                )
            else:
                text.append(f"Met: {what} was on the deadline day.")
            if stop.uncertain:
                text.append(
                    "Its date is uncertain; it is judged by its latest possible day."
                )
            if not met:
                text.append(can_be_done(rule.if_late))
            return make_clock(
                kind,
                start,
                rule,
                where,
                last,
                ClockStatus.MET if met else ClockStatus.MISSED,
                text,
                stopped_by=(stop.step_id,),
                stopped_on=day,
                needs=() if met else rule.if_late,
            )
        for stop_kind in STOPS[kind]:
            for step in self.undated.get(stop_kind, ()):
                text.append(
                    f"An undated {step.noun} is on record (step {step.step_id}): "
                    "date it to judge this clock."
                )
        if self.as_of <= last:
            left = (last - self.as_of).days
            text.append(
                f"{running}: due by {say(last)}, "
                + ("today." if left == 0 else f"in {days(left)}.")
            )
            return make_clock(
                kind,
                start,
                rule,
                where,
                last,
                ClockStatus.RUNNING,
                text,
                days_left=left,
            )
        late = (self.as_of - last).days
        text.append(
            f"Missed: nothing is on record by the deadline of {say(last)}, "
            f"{days(late)} ago."
        )
        text.append(can_be_done(rule.if_overdue))
        return make_clock(
            kind,
            start,
            rule,
            where,
            last,
            ClockStatus.MISSED,
            text,
            needs=rule.if_overdue,
        )

    def irrelevant(
        self,
        kind: ClockKind,
        start: Step,
        rule: Rule,
        where: Jurisdiction,
        due: date | None,
        text: list[str],
        stop: Step | None = None,
    ) -> Clock:
        return make_clock(
            kind,
            start,
            rule,
            where,
            due,
            ClockStatus.NO_LONGER_RELEVANT,
            text,
            stopped_by=(stop.step_id,) if stop is not None else (),
            stopped_on=stop.lower if stop is not None else None,
        )


def make_clock(
    kind: ClockKind,
    start: Step,
    rule: Rule,
    where: Jurisdiction,
    due: date | None,
    status: ClockStatus,
    text: list[str],
    **rest: Any,
) -> Clock:
    return Clock(
        kind=kind,
        started_by=start.step_id,
        started_on=day_of(start.lower),
        started_when=start.when,
        due_on=due,
        rule=rule,
        jurisdiction=where,
        status=status,
        explanation=" ".join(sentence for sentence in text if sentence),
        **rest,
    )


def start_words(
    step: Step, start: date, last: date, *, period: bool = False
) -> list[str]:
    """What an uncertain start does to the clock's last day."""
    end = "end of the period" if period else "deadline"
    runs = "period runs" if period else "clock runs"
    if step.occurred is not None and step.occurred.earliest is None:
        return [
            f"The {step.noun} is dated {step.when}, with no earliest possible "
            f"day; the {runs} from its latest, {say(start)}, so the real {end} "
            "may be earlier."
        ]
    if step.uncertain:
        return [
            f"The {step.noun} is dated {step.when}; the {runs} from its earliest "
            f"possible day, {say(start)}, so {say(last)} is the earliest possible "
            f"{end}."
        ]
    return []


def moved_words(rule: Rule, due: LastDay, where: Jurisdiction) -> list[str]:
    """Why the last day in time is later than the period's end, if it is."""
    if due.moved_from is None:
        return []
    closed = non_working_days(due.moved_from, due.day - timedelta(days=1), where)
    return [
        f"The {rule.period.describe()} end on {say(due.moved_from)}, which is not "
        f"a working day in {JURISDICTION_NAMES[where]} ({', '.join(closed)}): "
        f"under {rule.next_working_day} the time runs to the next working day, "
        f"so the last day in time is {say(due.day)}."
    ]


def can_be_done(needs: Sequence[str]) -> str:
    """The sentence on what can be done now; empty when nothing can or need be."""
    if not needs:
        return ""
    return f"What can be done now: {'; '.join(needs)}."


def article(noun: str) -> str:
    return "an" if noun[:1].lower() in "aeiou" else "a"


def day_of(day: date | None) -> date:
    """A dated step's day; the judge only ever asks dated steps."""
    if day is None:
        raise ValueError("an undated step has no day")
    return day


def days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"
