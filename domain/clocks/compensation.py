"""The CICA clocks: the application, the review request and the appeal to the
First-tier Tribunal.

Which Scheme governs: an application is judged under the Scheme in force on the
day CICA receives it (while none is on record, the Scheme in force on the day
judged); a review and a tribunal appeal follow their application's Scheme. A
survivor under 18 at the incident has the child's windows of the 2012 Scheme
(para 88(1)): reported to the police before turning 18, the application is due
before the 20th birthday; first reported at 18 or over, within 2 years of that
first report, and until it is reported the window has not started.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from domain.case import Jurisdiction
from domain.clocks.calendar import add_years, say
from domain.clocks.clock import Clock, ClockStatus
from domain.clocks.facts import (
    APPEAL_LODGED,
    CICA_APPLICATION,
    CICA_DECISION,
    CRIME_REPORTED,
    EXTENDED_UNTIL,
    EXTENSION_GRANTED,
    EXTENSION_REQUESTED,
    INCIDENT,
    REVIEW_DECISION,
    REVIEW_REQUESTED,
    TRIBUNAL_DECISION,
    Step,
)
from domain.clocks.judge import (
    Decided,
    Judge,
    can_be_done,
    day_of,
    make_clock,
    moved_words,
    start_words,
)
from domain.clocks.rules import ClockKind, LastDay, Rule, Variant


def cica_clocks(judge: Judge) -> Iterable[Clock]:
    yield from _applications(judge)
    yield from _reviews(judge)
    yield from _appeals(judge)


# Applications


@dataclass(frozen=True)
class _ChildWindow:
    """A child's window under para 88(1), when it certainly applies."""

    rule: Rule
    #: None while the window has not started (no report to the police yet).
    last: LastDay | None
    words: list[str]


def _applications(judge: Judge) -> Iterable[Clock]:
    kind = ClockKind.CICA_APPLICATION
    for incident in judge.by_kind.get(INCIDENT, ()):
        stop = judge.next((CICA_APPLICATION,), incident)
        decided = _received(judge, stop)
        started = judge.started(kind, incident, decided)
        if started is None:
            continue
        start, where, rule, last, text = started
        notes: list[str] = []
        child = _child_window(judge, incident, start, where, decided, notes)
        due: LastDay | None = last
        if child is None:
            text += start_words(incident, start, last.day)
        else:
            rule, due = child.rule, child.last
            text = [text[0], judge.rule_words(rule, where, decided), *child.words]
        text += notes
        if stop is None:
            decision = judge.implied(CICA_DECISION, "application", incident, text)
            if decision is not None:
                yield judge.irrelevant(
                    kind,
                    incident,
                    rule,
                    where,
                    due.day if due else None,
                    text,
                    decision,
                )
                continue
        if due is None:
            yield _not_started(judge, incident, rule, where, stop, text)
            continue
        yield judge.judged(kind, incident, rule, where, due, stop, text)


def _received(judge: Judge, application: Step | None) -> Decided:
    """The day whose Scheme governs an application: the day CICA received it."""
    if application is None:
        return Decided(
            judge.as_of,
            "the day judged: no application is on record, and an application "
            "is judged by the Scheme in force on the day CICA receives it",
            "Applications received",
        )
    why = "the day CICA received the application"
    if application.uncertain:
        why += f" (dated {application.when}: its latest possible day)"
    return Decided(day_of(application.upper), why, "Applications received")


def _not_started(
    judge: Judge,
    incident: Step,
    rule: Rule,
    where: Jurisdiction,
    application: Step | None,
    text: list[str],
) -> Clock:
    """A child's para 88(1)(b) window that no report to the police has opened."""
    if application is not None:
        text.append(
            f"Met: the {application.noun} ({application.when}) was made before "
            "the window opened, so it is not late."
        )
        return make_clock(
            ClockKind.CICA_APPLICATION,
            incident,
            rule,
            where,
            None,
            ClockStatus.MET,
            text,
            stopped_by=(application.step_id,),
            stopped_on=day_of(application.upper),
        )
    text.append(
        "Not started: the 2 years run from the day the incident is first "
        "reported to the police, so nothing is due yet."
    )
    return make_clock(
        ClockKind.CICA_APPLICATION,
        incident,
        rule,
        where,
        None,
        ClockStatus.NOT_STARTED,
        text,
    )


def _child_window(
    judge: Judge,
    incident: Step,
    start: date,
    where: Jurisdiction,
    decided: Decided,
    text: list[str],
) -> _ChildWindow | None:
    """The child's rule and last day, when one certainly applies; otherwise None,
    with what would make one apply said in ``text``."""
    kind = ClockKind.CICA_APPLICATION
    before_18 = judge.rules.in_force(
        kind, where, decided.day, Variant.REPORTED_BEFORE_18
    )
    from_18 = judge.rules.in_force(
        kind, where, decided.day, Variant.FIRST_REPORTED_FROM_18
    )
    if before_18 is None or from_18 is None:
        return None  # a Scheme with no child's window
    born = judge.facts.born
    if born is None:
        text.append(
            "No date of birth is on record: if the survivor was under 18 at the "
            "incident, the window is longer (Criminal Injuries Compensation "
            "Scheme 2012, para 88(1)): record the date of birth."
        )
        return None
    born_lower = day_of(born.earliest or born.latest)
    born_upper = day_of(born.latest or born.earliest)
    earliest_18th = add_years(born_lower, 18)
    latest_18th = add_years(born_upper, 18)
    if start >= latest_18th:
        return None  # an adult at the incident, whatever the uncertainty
    if day_of(incident.upper) >= earliest_18th:
        text.append(
            f"The survivor (born {born.display}) may have been under 18 at the "
            "incident, but the dates are too uncertain to say, so the 2-year limit "
            "is used: if they were under 18, para 88(1) of the 2012 Scheme allows "
            "longer."
        )
        return None
    child = (
        f"The survivor (born {born.display}) was under 18 at the incident "
        f"({incident.when})"
    )
    uncertain_birth = (
        ["The date of birth is uncertain; the earliest possible birthday is used."]
        if born.earliest != born.latest
        else []
    )
    reports = [
        report
        for report in judge.by_kind.get(CRIME_REPORTED, ())
        if day_of(report.upper) >= start
    ]
    if not reports:
        return _ChildWindow(
            from_18,
            None,
            [
                f"{child}, and no report to the police is on record. If it is "
                "first reported on or after their 18th birthday, the application "
                "must be received within 2 years of that report; if it was "
                "reported before their 18th birthday, record the report: the "
                "application is then due before their 20th birthday.",
            ],
        )
    twentieth = add_years(born_lower, before_18.period.amount)
    by_20th = before_18.last_day(born_lower, where)
    certainly_before = [r for r in reports if day_of(r.upper) < earliest_18th]
    if certainly_before:
        report = certainly_before[0]
        return _ChildWindow(
            before_18,
            by_20th,
            [
                f"{child} and it was reported to the police ({report.when}) before "
                "their 18th birthday, so the application must be received before "
                f"their 20th birthday, {say(twentieth)}: by {say(by_20th.day)}.",
                *uncertain_birth,
            ],
        )
    first = reports[0]
    report_day = day_of(first.lower)
    by_report = from_18.last_day(report_day, where)
    words = start_words(first, report_day, by_report.day)
    if report_day >= latest_18th:
        return _ChildWindow(
            from_18,
            by_report,
            [
                f"{child} and it was first reported to the police ({first.when}) "
                "on or after their 18th birthday, so the application must be "
                f"received within 2 years of that report: by {say(by_report.day)}.",
                *words,
            ],
        )
    # The first report may have come before or after the 18th birthday: the
    # earlier of the two windows is the one that cannot be missed unawares.
    rule, last = (
        (before_18, by_20th) if by_20th.day <= by_report.day else (from_18, by_report)
    )
    return _ChildWindow(
        rule,
        last,
        [
            f"{child}, but the dates leave it unsure whether the first report to "
            f"the police ({first.when}) came before their 18th birthday (the "
            f"application due before their 20th birthday, by {say(by_20th.day)}) "
            "or on or after it (due within 2 years of the report, by "
            f"{say(by_report.day)}); the earlier, {say(last.day)}, is used.",
            *uncertain_birth,
        ],
    )


# Reviews and appeals: the Scheme of the application


def _scheme_of(judge: Judge, decision: Step) -> Decided:
    """The day whose rule a review or appeal follows: the day CICA received the
    application the decision answers (the latest on record before it)."""
    before = [
        application
        for application in judge.by_kind.get(CICA_APPLICATION, ())
        if day_of(application.lower) <= day_of(decision.lower)
    ]
    if before:
        application = before[-1]
        return Decided(
            day_of(application.upper),
            f"the day CICA received the application ({application.when}), whose "
            "Scheme it follows",
            "Applications received",
        )
    return Decided(
        day_of(decision.lower),
        f"the day of the {decision.noun}: no application is on record, so the "
        "Scheme in force then is used; record the application, whose Scheme it "
        "follows",
        "Applications received",
    )


def _reviews(judge: Judge) -> Iterable[Clock]:
    kind = ClockKind.CICA_REVIEW_REQUEST
    for decision in judge.by_kind.get(CICA_DECISION, ()):
        started = judge.started(kind, decision, _scheme_of(judge, decision))
        if started is None:
            continue
        start, where, rule, due, text = started
        text += start_words(decision, start, due.day)
        later = judge.later(CICA_DECISION, decision)
        stop = judge.next((REVIEW_REQUESTED,), decision, before=later)
        if stop is None:
            implied = judge.implied(
                REVIEW_DECISION, "review request", decision, text, later
            )
            if implied is not None:
                yield judge.irrelevant(
                    kind, decision, rule, where, due.day, text, implied
                )
                continue
            if later is not None:
                text.append(
                    f"A later CICA decision ({later.when}) superseded this one; "
                    "its own review clock runs."
                )
                yield judge.irrelevant(kind, decision, rule, where, due.day, text)
                continue
        yield judge.judged(kind, decision, rule, where, due, stop, text)


def _appeals(judge: Judge) -> Iterable[Clock]:
    kind = ClockKind.TRIBUNAL_APPEAL
    for decision in judge.by_kind.get(REVIEW_DECISION, ()):
        started = judge.started(kind, decision, _scheme_of(judge, decision))
        if started is None:
            continue
        start, where, rule, original, text = started
        text += start_words(decision, start, original.day)
        text += moved_words(rule, original, where)
        later = judge.later(REVIEW_DECISION, decision)
        stop = judge.next((APPEAL_LODGED,), decision, before=later)
        if stop is None:
            implied = judge.implied(TRIBUNAL_DECISION, "appeal", decision, text, later)
            if implied is not None:
                yield judge.irrelevant(
                    kind, decision, rule, where, original.day, text, implied
                )
                continue
            if later is not None:
                text.append(
                    f"A later review decision ({later.when}) superseded this one; "
                    "its own appeal clock runs."
                )
                yield judge.irrelevant(kind, decision, rule, where, original.day, text)
                continue
        grants = judge.all((EXTENSION_GRANTED,), decision, before=later)
        due = original
        for grant in grants:
            until = _extended_until(grant)
            if until is None:
                extended = rule.last_day(day_of(grant.lower), where)
                how = f"{rule.period.describe()} from the grant"
            else:
                extended = rule.moved(until, where)
                how = "the day the grant gives"
            if extended.day > due.day:
                due = extended
            text.append(
                f"An extension of time was granted ({grant.when}): the appeal is "
                f"due by {say(extended.day)} ({how}); the original deadline was "
                f"{say(original.day)}."
            )
            if extended.moved_from is not None:
                text += moved_words(rule, extended, where)
        pending = []
        if not grants:
            pending = judge.all((EXTENSION_REQUESTED,), decision, before=later)
            for request in pending:
                text.append(
                    f"An extension of time was requested ({request.when}); no "
                    "decision on it is on record."
                )
        running = "Extended" if grants else "Running"
        clock = judge.judged(kind, decision, rule, where, due, stop, text, running)
        if pending and clock.status is ClockStatus.MISSED and stop is None:
            # The request already made is what can be done: say so, not again.
            needs = _AWAIT_EXTENSION
            explanation = clock.explanation.replace(
                can_be_done(rule.if_overdue), can_be_done(needs)
            )
            clock = replace(clock, explanation=explanation, needs=needs)
        if grants:
            clock = replace(
                clock,
                status=(
                    ClockStatus.EXTENDED
                    if clock.status is ClockStatus.RUNNING
                    else clock.status
                ),
                extended_by=tuple(grant.step_id for grant in grants),
                original_due_on=original.day,
            )
        yield clock


_AWAIT_EXTENSION = (
    "wait for the Tribunal's decision on the request to extend time, and send the "
    "notice of appeal with the request if it has not gone",
)


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
