"""Every legal clock of a case, judged as at a given day.

``clocks_of`` is a pure function of the case's current steps (the latest reading of
each; retracted steps left out), the survivor's date of birth and the case's
jurisdiction, under a ``RuleBook``. It reads no store and keeps no state.

How dates are read, always to the survivor's safety:

- A clock started by an uncertain step runs from the step's earliest possible day,
  so its due day is the earliest possible deadline; the clock says so.
- A step that stops a deadline is judged by its latest possible day: an
  application dated ``2021`` is in time only if 31 December 2021 is. A step that
  cuts short a minimum period (support ended) is judged by its earliest.
- Undated steps start no clock and stop none; the report says what to date.
- Steps whose earliest possible day is after the day judged are not yet on record.

Which rule: the one in force on the day the clock started, in the jurisdiction
the case was in that day. A case is in the jurisdiction it was opened in until a
dated ``transition.moved_area`` names another, and from that move's earliest
possible day on in that one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, NamedTuple
from uuid import UUID

from domain.case import Jurisdiction
from domain.clocks.calendar import add_years, say, skipped_days
from domain.clocks.rules import (
    DEFAULT_RULES,
    GREAT_BRITAIN,
    JURISDICTION_NAMES,
    ClockKind,
    Rule,
    RuleBook,
    Variant,
)
from domain.dates import UncertainDate, described
from domain.vocabulary import STEP_KINDS

INCIDENT = "harm.incident"
CRIME_REPORTED = "criminal_justice.crime_reported"
CICA_APPLICATION = "compensation.cica_application_submitted"
CICA_DECISION = "compensation.cica_decision"
REVIEW_REQUESTED = "compensation.cica_review_requested"
REVIEW_DECISION = "compensation.cica_review_decision"
APPEAL_LODGED = "compensation.tribunal_appeal_lodged"
TRIBUNAL_DECISION = "compensation.tribunal_decision"
EXTENSION_REQUESTED = "compensation.tribunal_extension_requested"
EXTENSION_GRANTED = "compensation.tribunal_extension_granted"
REFERRED = "nrm.referred"
RG_DECISION = "nrm.reasonable_grounds_decision"
CG_DECISION = "nrm.conclusive_grounds_decision"
SUPPORT_ENDED = "nrm.support_ended"
MOVED_AREA = "transition.moved_area"

#: The step kinds that start a clock, and the clock each starts.
STARTS: Mapping[str, ClockKind] = {
    INCIDENT: ClockKind.CICA_APPLICATION,
    CICA_DECISION: ClockKind.CICA_REVIEW_REQUEST,
    REVIEW_DECISION: ClockKind.TRIBUNAL_APPEAL,
    REFERRED: ClockKind.REASONABLE_GROUNDS_DECISION,
    RG_DECISION: ClockKind.RECOVERY_PERIOD,
}

#: Every step kind the clocks read; the rest cannot change a clock.
CLOCK_STEP_KINDS = frozenset(
    {
        INCIDENT,
        CRIME_REPORTED,
        CICA_APPLICATION,
        CICA_DECISION,
        REVIEW_REQUESTED,
        REVIEW_DECISION,
        APPEAL_LODGED,
        TRIBUNAL_DECISION,
        EXTENSION_REQUESTED,
        EXTENSION_GRANTED,
        REFERRED,
        RG_DECISION,
        CG_DECISION,
        SUPPORT_ENDED,
        MOVED_AREA,
    }
)

#: The key in a ``tribunal_extension_granted`` payload that gives the day the
#: extension runs to; without it, an extension runs the rule's full period again
#: from the day it was granted.
EXTENDED_UNTIL = "until"


class ClockStatus(StrEnum):
    RUNNING = "running"
    MET = "met"
    MISSED = "missed"
    EXTENDED = "extended"
    NO_LONGER_RELEVANT = "no_longer_relevant"


@dataclass(frozen=True)
class Step:
    """A step in its current reading, as the clocks need it."""

    step_id: UUID
    kind: str
    occurred: UncertainDate | None
    details: Mapping[str, Any] = field(default_factory=dict)
    #: The order it was first recorded in; breaks ties between same-day steps.
    sequence: int = 0

    @property
    def lower(self) -> date | None:
        """Its earliest possible day (or its latest, for an open start)."""
        if self.occurred is None:
            return None
        return self.occurred.earliest or self.occurred.latest

    @property
    def upper(self) -> date | None:
        """Its latest possible day (or its earliest, for an open end)."""
        if self.occurred is None:
            return None
        return self.occurred.latest or self.occurred.earliest

    @property
    def when(self) -> str:
        return described(self.occurred)

    @property
    def uncertain(self) -> bool:
        return self.occurred is not None and self.lower != self.upper

    @property
    def label(self) -> str:
        kind = STEP_KINDS.get(self.kind)
        return kind.label if kind else self.kind

    @property
    def noun(self) -> str:
        """Its label inside a sentence: ``harm suffered``, ``CICA decision``."""
        label = self.label
        return label if label[:2].isupper() else label[:1].lower() + label[1:]


@dataclass(frozen=True)
class CaseFacts:
    """What the clocks are computed from."""

    #: The jurisdiction the case was opened in.
    jurisdiction: Jurisdiction
    #: Current readings; retracted steps left out.
    steps: tuple[Step, ...]
    born: UncertainDate | None = None


@dataclass(frozen=True)
class JurisdictionSpell:
    """Where the case was, from a day on."""

    jurisdiction: Jurisdiction
    #: From this day on; None for the jurisdiction the case was opened in.
    since: date | None
    #: The move that began it; None for the jurisdiction the case was opened in.
    step_id: UUID | None
    local_authority: str | None = None


@dataclass(frozen=True)
class Clock:
    kind: ClockKind
    #: The step that started it.
    started_by: UUID
    #: The day it runs from: the start step's earliest possible day.
    started_on: date
    #: The start step's date in words (``2019``, ``c. June 2019``).
    started_when: str
    #: The day it falls due (for an extended clock, as extended).
    due_on: date
    rule: Rule
    #: The jurisdiction whose rules and bank holidays it follows.
    jurisdiction: Jurisdiction
    status: ClockStatus
    explanation: str
    stopped_by: tuple[UUID, ...] = ()
    #: The day the step that stopped it is judged by.
    stopped_on: date | None = None
    extended_by: tuple[UUID, ...] = ()
    #: The due day before any extension.
    original_due_on: date | None = None
    #: What is needed now, for a missed clock.
    needs: tuple[str, ...] = ()
    #: Days from the day judged to the due day, while it runs (0: due that day).
    days_left: int | None = None

    @property
    def label(self) -> str:
        return self.kind.label


@dataclass(frozen=True)
class ClockReport:
    as_of: date
    clocks: tuple[Clock, ...]
    #: Where the case was, earliest first.
    jurisdictions: tuple[JurisdictionSpell, ...]
    #: What could not be judged, and why.
    notes: tuple[str, ...]


def clocks_of(
    facts: CaseFacts, as_of: date, rules: RuleBook = DEFAULT_RULES
) -> ClockReport:
    """Every clock the case's steps start, judged as at ``as_of``."""
    return _Judge(facts, as_of, rules).report()


class _Start(NamedTuple):
    """A clock as its starting step sets it."""

    start: date
    where: Jurisdiction
    rule: Rule
    due: date
    #: Why the clock runs where it does.
    why: str


class _Judge:
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

    def report(self) -> ClockReport:
        for kind in STARTS:
            for step in self.undated.get(kind, ()):
                self.notes.append(
                    f"The {step.noun} step {step.step_id} is undated, so it "
                    f"starts no {STARTS[kind].label} clock: date it, even roughly."
                )
        clocks = [
            *self._cica_applications(),
            *self._cica_reviews(),
            *self._tribunal_appeals(),
            *self._reasonable_grounds(),
            *self._recovery_periods(),
        ]
        clocks.sort(key=lambda clock: (clock.due_on, clock.started_on, clock.kind))
        return ClockReport(
            as_of=self.as_of,
            clocks=tuple(clocks),
            jurisdictions=tuple(self.spells),
            notes=tuple(self.notes),
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

    def _spell_on(self, day: date) -> tuple[JurisdictionSpell, str]:
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

    # The clocks

    def _cica_applications(self) -> Iterable[Clock]:
        for incident in self.by_kind.get(INCIDENT, ()):
            started = self._started(ClockKind.CICA_APPLICATION, incident)
            if started is None:
                continue
            start, where, rule, due, why = started
            child_words: list[str] = []
            child = self._under_18(incident, start, where, due, child_words)
            if child is None:
                text = [why, self._rule_words(rule, where, start)]
                text += _start_words(incident, start, due)
            else:
                rule, due = child
                text = [why, self._rule_words(rule, where, start)]
            text += child_words
            stop = self._next((CICA_APPLICATION,), incident)
            implied = self._implied(ClockKind.CICA_APPLICATION, incident, stop, text)
            if implied is not None:
                yield self._irrelevant(
                    ClockKind.CICA_APPLICATION,
                    incident,
                    rule,
                    where,
                    due,
                    text,
                    implied,
                )
                continue
            yield self._judged(
                ClockKind.CICA_APPLICATION, incident, rule, where, due, stop, text
            )

    def _under_18(
        self,
        incident: Step,
        start: date,
        where: Jurisdiction,
        adult_due: date,
        text: list[str],
    ) -> tuple[Rule, date] | None:
        """The child's rule and due day, when it certainly applies; otherwise
        None, with what would make it apply said in ``text``."""
        rule = self.rules.in_force(
            ClockKind.CICA_APPLICATION, where, start, Variant.UNDER_18
        )
        if rule is None:
            return None
        born = self.facts.born
        cite = rule.citation
        if born is None:
            text.append(
                "No date of birth is on record: if the survivor was under 18 at "
                "the incident and it was reported to the police before they "
                f"turned 18, the window runs {rule.period.describe()} ({cite})."
            )
            return None
        born_lower = _day(born.earliest or born.latest)
        born_upper = _day(born.latest or born.earliest)
        earliest_18th = add_years(born_lower, 18)
        if start >= add_years(born_upper, 18):
            return None  # an adult at the incident, whatever the uncertainty
        if _day(incident.upper) >= earliest_18th:
            text.append(
                f"The survivor (born {born.display}) may have been under 18 at "
                "the incident, but the dates are too uncertain to say; the "
                f"2-year limit is used. If they were, {cite} may allow longer."
            )
            return None
        reports = [
            report
            for report in self.by_kind.get(CRIME_REPORTED, ())
            if _day(report.upper) >= start
        ]
        before_18 = [r for r in reports if _day(r.upper) < earliest_18th]
        if not before_18:
            text.append(
                f"The survivor (born {born.display}) was under 18 at the incident, "
                "but no report to the police before they turned 18 is on record, "
                f"so {cite} does not extend the window."
            )
            return None
        report = before_18[0]
        birthday = add_years(born_lower, rule.period.amount)
        due = max(birthday - timedelta(days=1), adult_due)
        text.append(
            f"The survivor (born {born.display}) was under 18 at the incident "
            f"({incident.when}) and it was reported to the police ({report.when}) "
            "before they turned 18, so the application must be received before "
            f"the {rule.period.describe().removeprefix('until the ')}, "
            f"{say(birthday)}: by {say(due)}. The 2-year limit alone would have "
            f"ended on {say(adult_due)}."
        )
        if born.earliest != born.latest:
            text.append(
                "The date of birth is uncertain; the earliest possible birthday "
                "is used."
            )
        return rule, due

    def _cica_reviews(self) -> Iterable[Clock]:
        for decision in self.by_kind.get(CICA_DECISION, ()):
            started = self._started(ClockKind.CICA_REVIEW_REQUEST, decision)
            if started is None:
                continue
            start, where, rule, due, why = started
            text = [why, self._rule_words(rule, where, start)]
            text += _start_words(decision, start, due)
            later = self._later(CICA_DECISION, decision)
            stop = self._next((REVIEW_REQUESTED,), decision, before=later)
            kind = ClockKind.CICA_REVIEW_REQUEST
            implied = self._implied(kind, decision, stop, text, later)
            if implied is not None:
                yield self._irrelevant(kind, decision, rule, where, due, text, implied)
                continue
            if stop is None and later is not None:
                text.append(
                    f"A later CICA decision ({later.when}) superseded this one; "
                    "its own review clock runs."
                )
                yield self._irrelevant(
                    ClockKind.CICA_REVIEW_REQUEST, decision, rule, where, due, text
                )
                continue
            yield self._judged(
                ClockKind.CICA_REVIEW_REQUEST, decision, rule, where, due, stop, text
            )

    def _tribunal_appeals(self) -> Iterable[Clock]:
        kind = ClockKind.TRIBUNAL_APPEAL
        for decision in self.by_kind.get(REVIEW_DECISION, ()):
            started = self._started(kind, decision)
            if started is None:
                continue
            start, where, rule, original, why = started
            text = [why, self._rule_words(rule, where, start)]
            text += _start_words(decision, start, original)
            later = self._later(REVIEW_DECISION, decision)
            stop = self._next((APPEAL_LODGED,), decision, before=later)
            implied = self._implied(kind, decision, stop, text, later)
            if implied is not None:
                yield self._irrelevant(
                    kind, decision, rule, where, original, text, implied
                )
                continue
            if stop is None and later is not None:
                text.append(
                    f"A later review decision ({later.when}) superseded this one; "
                    "its own appeal clock runs."
                )
                yield self._irrelevant(kind, decision, rule, where, original, text)
                continue
            grants = self._all((EXTENSION_GRANTED,), decision, before=later)
            due = original
            for grant in grants:
                until = _extended_until(grant)
                if until is None:
                    until = rule.period.after(_day(grant.lower), where)
                    how = f"{rule.period.describe()} from the grant"
                else:
                    how = "the day the grant gives"
                due = max(due, until)
                text.append(
                    f"An extension of time was granted ({grant.when}): the appeal "
                    f"is due by {say(until)} ({how}); the original deadline was "
                    f"{say(original)}."
                )
            if not grants:
                for request in self._all(
                    (EXTENSION_REQUESTED,), decision, before=later
                ):
                    text.append(
                        f"An extension of time was requested ({request.when}); no "
                        "decision on it is on record."
                    )
            running = "Extended" if grants else "Running"
            clock = self._judged(kind, decision, rule, where, due, stop, text, running)
            if grants:
                extended = clock.status is ClockStatus.RUNNING
                clock = replace(
                    clock,
                    status=ClockStatus.EXTENDED if extended else clock.status,
                    extended_by=tuple(grant.step_id for grant in grants),
                    original_due_on=original,
                )
            yield clock

    def _reasonable_grounds(self) -> Iterable[Clock]:
        kind = ClockKind.REASONABLE_GROUNDS_DECISION
        for referral in self.by_kind.get(REFERRED, ()):
            started = self._started(kind, referral)
            if started is None:
                continue
            start, where, rule, due, why = started
            text = [why, self._rule_words(rule, where, start)]
            text += _start_words(referral, start, due)
            holidays = skipped_days(start, due, where)
            text.append(
                f"Working days in {JURISDICTION_NAMES[where]} skip weekends and its "
                "bank holidays"
                + (f": here {', '.join(holidays)}." if holidays else ".")
            )
            later = self._later(REFERRED, referral)
            stop = self._next((RG_DECISION,), referral, before=later)
            if stop is None:
                conclusive = self._next((CG_DECISION,), referral, before=later)
                if conclusive is not None:
                    text.append(
                        f"A conclusive grounds decision ({conclusive.when}) is on "
                        "record, so the reasonable grounds target no longer matters."
                    )
                    yield self._irrelevant(
                        kind, referral, rule, where, due, text, conclusive
                    )
                    continue
                if later is not None:
                    text.append(f"A later referral ({later.when}) superseded it.")
                    yield self._irrelevant(kind, referral, rule, where, due, text)
                    continue
            yield self._judged(kind, referral, rule, where, due, stop, text)

    def _recovery_periods(self) -> Iterable[Clock]:
        kind = ClockKind.RECOVERY_PERIOD
        for decision in self.by_kind.get(RG_DECISION, ()):
            if decision.details.get("outcome") != "positive":
                continue
            started = self._started(kind, decision)
            if started is None:
                continue
            start, where, rule, ends, why = started
            bound = "at least" if rule.minimum else "up to"
            text = [why, self._rule_words(rule, where, start)]
            text += _start_words(decision, start, ends)
            stop = self._next((CG_DECISION, SUPPORT_ENDED), decision)
            period = f"{bound} {rule.period.describe()}"
            if stop is None:
                if self.as_of < ends:
                    text.append(
                        f"Running: the recovery period of {period} ends on {say(ends)}."
                    )
                    yield _clock(
                        kind,
                        decision,
                        rule,
                        where,
                        ends,
                        ClockStatus.RUNNING,
                        text,
                        days_left=(ends - self.as_of).days,
                    )
                else:
                    text.append(
                        f"Met: the recovery period of {period} ran to {say(ends)}; "
                        "no conclusive grounds decision is on record yet."
                    )
                    yield _clock(
                        kind, decision, rule, where, ends, ClockStatus.MET, text
                    )
                continue
            cut_short = rule.minimum and _day(stop.lower) < ends
            if cut_short:
                into = (_day(stop.lower) - start).days
                text.append(
                    f"Missed: {stop.noun} ({stop.when}) came {_days(into)} "
                    f"into a recovery period of {period}."
                )
                if stop.uncertain:
                    text.append(
                        "Its date is uncertain; it is judged by its earliest "
                        "possible day."
                    )
                text.append(f"Needed: {'; '.join(rule.if_missed)}.")
            elif _day(stop.lower) >= ends:
                text.append(
                    f"Met: the recovery period of {period} ran to {say(ends)}, "
                    f"before the {stop.noun} ({stop.when})."
                )
            else:
                text.append(
                    f"Met: the recovery period of {period} ended with the "
                    f"{stop.noun} ({stop.when})."
                )
            yield _clock(
                kind,
                decision,
                rule,
                where,
                ends,
                ClockStatus.MISSED if cut_short else ClockStatus.MET,
                text,
                stopped_by=(stop.step_id,),
                stopped_on=_day(stop.lower),
                needs=rule.if_missed if cut_short else (),
            )

    # Judging

    def _judged(
        self,
        kind: ClockKind,
        start: Step,
        rule: Rule,
        where: Jurisdiction,
        due: date,
        stop: Step | None,
        text: list[str],
        running: str = "Running",
    ) -> Clock:
        """A deadline's status: met or missed by the step that stopped it, else
        running or missed as at the day judged."""
        if stop is not None:
            day = _day(stop.upper)
            met = day <= due
            margin = abs((due - day).days)
            what = f"{stop.noun} ({stop.when})"
            if not met:
                text.append(
                    f"Missed: {what}, {_days(margin)} after the deadline of {say(due)}."
                )
            elif margin:
                text.append(
                    f"Met: {what}, {_days(margin)} before the deadline of {say(due)}."
                )
            else:
                text.append(f"Met: {what}, on the deadline day.")
            if stop.uncertain:
                text.append(
                    "Its date is uncertain; it is judged by its latest possible day."
                )
            if not met and rule.if_missed:
                text.append(f"Needed: {'; '.join(rule.if_missed)}.")
            return _clock(
                kind,
                start,
                rule,
                where,
                due,
                ClockStatus.MET if met else ClockStatus.MISSED,
                text,
                stopped_by=(stop.step_id,),
                stopped_on=day,
                needs=() if met else rule.if_missed,
            )
        for stop_kind in _STOPS[kind]:
            for step in self.undated.get(stop_kind, ()):
                text.append(
                    f"An undated {step.noun} step is on record "
                    f"({step.step_id}): date it to judge this clock."
                )
        if self.as_of <= due:
            left = (due - self.as_of).days
            text.append(
                f"{running}: due {say(due)}, "
                + ("today." if left == 0 else f"in {_days(left)}.")
            )
            return _clock(
                kind, start, rule, where, due, ClockStatus.RUNNING, text, days_left=left
            )
        late = (self.as_of - due).days
        text.append(
            f"Missed: nothing on record by the deadline of {say(due)}, "
            f"{_days(late)} ago."
        )
        if rule.if_missed:
            text.append(f"Needed: {'; '.join(rule.if_missed)}.")
        return _clock(
            kind,
            start,
            rule,
            where,
            due,
            ClockStatus.MISSED,
            text,
            needs=rule.if_missed,
        )

    def _irrelevant(
        self,
        kind: ClockKind,
        start: Step,
        rule: Rule,
        where: Jurisdiction,
        due: date,
        text: list[str],
        stop: Step | None = None,
    ) -> Clock:
        return _clock(
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

    # Rules and steps

    def _started(self, kind: ClockKind, step: Step) -> _Start | None:
        """Where the clock the step starts runs, under which rule, and when it
        is due; None (with a note) if no rule applies."""
        start = _day(step.lower)
        spell, why = self._spell_on(start)
        where = spell.jurisdiction
        rule = self._rule(kind, where, start, step)
        if rule is None:
            return None
        return _Start(start, where, rule, rule.period.after(start, where), why)

    def _rule(
        self, kind: ClockKind, where: Jurisdiction, start: date, step: Step
    ) -> Rule | None:
        rule = self.rules.in_force(kind, where, start)
        if rule is not None:
            return rule
        name = JURISDICTION_NAMES[where]
        known = self.rules.for_clock(kind, where)
        if not known and where not in GREAT_BRITAIN and kind in _GB_ONLY:
            self.notes.append(
                f"No {kind.label} clock for the {step.noun} ({step.when}): "
                f"CICA and the First-tier Tribunal serve Great Britain, and the "
                f"case was in {name}, whose own criminal injuries scheme's time "
                "limits are not encoded (check)."
            )
        elif known:
            self.notes.append(
                f"No {kind.label} clock for the {step.noun} ({step.when}): "
                f"no rule on record was in force in {name} on {say(start)}; the "
                f"earliest, {known[0].id}, took effect on "
                f"{say(known[0].took_effect)}."
            )
        else:
            self.notes.append(
                f"No {kind.label} clock for the {step.noun} ({step.when}): "
                f"no rule is on record for {name}."
            )
        return None

    def _rule_words(self, rule: Rule, where: Jurisdiction, start: date) -> str:
        words = (
            f"{rule.id} applies ({rule.citation}), {rule.in_force}: the rule in "
            f"force on {say(start)}, when the clock started."
        )
        successor = self.rules.successor(rule, where)
        if successor is not None:
            words += (
                f" Clocks started from {say(successor.took_effect)} follow "
                f"{successor.id} ({successor.period.describe()})."
            )
        if rule.dates_note:
            words += f" Its dates: {rule.dates_note}."
        return words

    def _next(
        self, kinds: Sequence[str], after: Step, before: Step | None = None
    ) -> Step | None:
        found = self._all(kinds, after, before)
        return found[0] if found else None

    def _all(
        self, kinds: Sequence[str], after: Step, before: Step | None = None
    ) -> list[Step]:
        """Steps of ``kinds`` not wholly before ``after`` (nor ``after`` itself),
        and starting before ``before``, earliest first."""
        start = _day(after.lower)
        limit = before.lower if before is not None else None
        found = [
            step
            for kind in kinds
            for step in self.by_kind.get(kind, ())
            if step.step_id != after.step_id
            and _day(step.upper) >= start
            and (limit is None or _day(step.lower) < limit)
        ]
        return sorted(found, key=lambda step: (step.lower, step.sequence))

    def _implied(
        self,
        kind: ClockKind,
        start: Step,
        stop: Step | None,
        text: list[str],
        before: Step | None = None,
    ) -> Step | None:
        """With no stopping step on record, a later step that shows the thing was
        done all the same (a decision on an application not itself recorded)."""
        if stop is not None:
            return None
        implying, done = _IMPLIED[kind]
        implied = self._next((implying,), start, before)
        if implied is not None:
            text.append(
                f"A {implied.noun} ({implied.when}) is on record, so the {done} was "
                "made: record when, to judge this clock."
            )
        return implied

    def _later(self, kind: str, step: Step) -> Step | None:
        """The next step of ``kind`` that starts after ``step`` does."""
        return next(
            (
                other
                for other in self.by_kind.get(kind, ())
                if _day(other.lower) > _day(step.lower)
            ),
            None,
        )


_STOPS: Mapping[ClockKind, tuple[str, ...]] = {
    ClockKind.CICA_APPLICATION: (CICA_APPLICATION,),
    ClockKind.CICA_REVIEW_REQUEST: (REVIEW_REQUESTED,),
    ClockKind.TRIBUNAL_APPEAL: (APPEAL_LODGED,),
    ClockKind.REASONABLE_GROUNDS_DECISION: (RG_DECISION,),
    ClockKind.RECOVERY_PERIOD: (CG_DECISION, SUPPORT_ENDED),
}

#: The step that shows a clock's deadline was met somehow, and what was done.
_IMPLIED: Mapping[ClockKind, tuple[str, str]] = {
    ClockKind.CICA_APPLICATION: (CICA_DECISION, "application"),
    ClockKind.CICA_REVIEW_REQUEST: (REVIEW_DECISION, "review request"),
    ClockKind.TRIBUNAL_APPEAL: (TRIBUNAL_DECISION, "appeal"),
}

_GB_ONLY = frozenset(
    {
        ClockKind.CICA_APPLICATION,
        ClockKind.CICA_REVIEW_REQUEST,
        ClockKind.TRIBUNAL_APPEAL,
    }
)


def _clock(
    kind: ClockKind,
    start: Step,
    rule: Rule,
    where: Jurisdiction,
    due: date,
    status: ClockStatus,
    text: list[str],
    **rest: Any,
) -> Clock:
    return Clock(
        kind=kind,
        started_by=start.step_id,
        started_on=_day(start.lower),
        started_when=start.when,
        due_on=due,
        rule=rule,
        jurisdiction=where,
        status=status,
        explanation=" ".join(text),
        **rest,
    )


def _start_words(step: Step, start: date, due: date) -> list[str]:
    if step.occurred is not None and step.occurred.earliest is None:
        return [
            f"The {step.noun} is dated {step.when}, with no earliest "
            f"possible day; the clock runs from its latest, {say(start)}, so the "
            "real deadline may be earlier."
        ]
    if step.uncertain:
        return [
            f"The {step.noun} is dated {step.when}; the clock runs from "
            f"its earliest possible day, {say(start)}, so {say(due)} is the "
            "earliest possible deadline."
        ]
    return []


def _extended_until(grant: Step) -> date | None:
    until = grant.details.get(EXTENDED_UNTIL)
    if isinstance(until, date):
        return until
    if isinstance(until, str):
        try:
            return date.fromisoformat(until)
        except ValueError:
            return None
    return None


def _day(day: date | None) -> date:
    """A dated step's day; the judge only ever asks dated steps."""
    if day is None:
        raise ValueError("an undated step has no day")
    return day


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"
