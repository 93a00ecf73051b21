"""The National Referral Mechanism's clocks: the reasonable grounds decision
target and the recovery period that a positive one starts.

A recovery period ends as its nation's instrument says (``Ending``): in England
and Wales since 30 January 2023 with the later of the conclusive grounds decision
and the end of 30 days; in Northern Ireland with the conclusive grounds decision,
a positive one inside the 45 days carrying support to day 45; in Scotland since
1 April 2018 at the earlier of 90 days and the conclusive grounds decision. Only
a period cut short (support ended early, or, where guidance set a minimum, a
conclusive grounds decision made inside it) is "missed".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from domain.case import Jurisdiction
from domain.clocks.calendar import say, skipped_days
from domain.clocks.clock import Clock, ClockStatus
from domain.clocks.facts import (
    CG_DECISION,
    REFERRED,
    RG_DECISION,
    SUPPORT_ENDED,
    Step,
)
from domain.clocks.judge import (
    Judge,
    can_be_done,
    day_of,
    days,
    make_clock,
    start_words,
)
from domain.clocks.rules import JURISDICTION_NAMES, ClockKind, Ending, Rule


def nrm_clocks(judge: Judge) -> Iterable[Clock]:
    yield from _reasonable_grounds(judge)
    yield from _recovery_periods(judge)


def _reasonable_grounds(judge: Judge) -> Iterable[Clock]:
    kind = ClockKind.REASONABLE_GROUNDS_DECISION
    for referral in judge.by_kind.get(REFERRED, ()):
        started = judge.started(kind, referral)
        if started is None:
            continue
        start, where, rule, due, text = started
        text += start_words(referral, start, due.day)
        holidays = skipped_days(start, due.day, where)
        text.append(
            f"Working days in {JURISDICTION_NAMES[where]} skip weekends and its "
            "bank holidays" + (f": here {', '.join(holidays)}." if holidays else ".")
        )
        later = judge.later(REFERRED, referral)
        stop = judge.next((RG_DECISION,), referral, before=later)
        if stop is None:
            conclusive = judge.next((CG_DECISION,), referral, before=later)
            if conclusive is not None:
                text.append(
                    f"A conclusive grounds decision ({conclusive.when}) is on "
                    "record, so the reasonable grounds target no longer matters."
                )
                yield judge.irrelevant(
                    kind, referral, rule, where, due.day, text, conclusive
                )
                continue
            if later is not None:
                text.append(f"A later referral ({later.when}) superseded it.")
                yield judge.irrelevant(kind, referral, rule, where, due.day, text)
                continue
        clock = judge.judged(kind, referral, rule, where, due, stop, text)
        if stop is not None and clock.status is ClockStatus.MISSED:
            # What happened is all there is to say: the target binds no one.
            clock = replace(
                clock,
                explanation=f"{clock.explanation} It is a target, not a time "
                "limit: the decision stands.",
            )
        yield clock


def _recovery_periods(judge: Judge) -> Iterable[Clock]:
    kind = ClockKind.RECOVERY_PERIOD
    for decision in judge.by_kind.get(RG_DECISION, ()):
        if decision.details.get("outcome") != "positive":
            continue
        started = judge.started(kind, decision)
        if started is None:
            continue
        start, where, rule, due, text = started
        last = due.day
        text += start_words(decision, start, last, period=True)
        ending = (rule.ending or Ending.AT_LEAST).describe(rule.period.describe())
        text.append(
            f"The recovery period {ending}; the {rule.period.describe()} run to "
            f"{say(last)}."
        )
        conclusive = judge.next((CG_DECISION,), decision)
        ended = judge.next((SUPPORT_ENDED,), decision)
        stops = [s for s in (conclusive, ended) if s is not None]
        stop = min(stops, key=lambda s: (s.lower, s.sequence)) if stops else None
        yield _recovery(judge, decision, rule, where, start, last, stop, text)


def _recovery(
    judge: Judge,
    decision: Step,
    rule: Rule,
    where: Jurisdiction,
    start: date,
    last: date,
    stop: Step | None,
    text: list[str],
) -> Clock:
    kind = ClockKind.RECOVERY_PERIOD
    ending = rule.ending or Ending.AT_LEAST
    period = rule.period.describe()

    def clock(status: ClockStatus, **rest: object) -> Clock:
        return make_clock(kind, decision, rule, where, last, status, text, **rest)

    def to_the_end(**stopped: object) -> Clock:
        """Running as at the day judged, or run to its end."""
        if judge.as_of <= last:
            left = (last - judge.as_of).days
            text.append(f"Running: the {period} run to {say(last)}.")
            return clock(ClockStatus.RUNNING, days_left=left, **stopped)
        text.append(f"Met: the {period} ran to {say(last)}.")
        if not stopped:
            text.append(_after_period(ending))
        return clock(ClockStatus.MET, **stopped)

    if stop is None:
        return to_the_end()
    day = day_of(stop.lower)
    stopped = {"stopped_by": (stop.step_id,), "stopped_on": day}
    into = f"{days((day - start).days)} into the period"
    uncertain = (
        "Its date is uncertain; it is judged by its earliest possible day."
        if stop.uncertain
        else ""
    )
    what = f"the {stop.noun} ({stop.when})"
    if stop.kind == SUPPORT_ENDED:
        if day < last and ending is not Ending.EARLIER_OF_PERIOD_AND_DECISION:
            text += [
                f"Missed: support ended ({stop.when}), {into}, before it had run "
                f"to {say(last)}.",
                uncertain,
                can_be_done(rule.if_cut_short),
            ]
            return clock(ClockStatus.MISSED, needs=rule.if_cut_short, **stopped)
        if day < last:
            text += [f"Met: support ended ({stop.when}), {into}.", uncertain]
        else:
            text.append(
                f"Met: the {period} ran to {say(last)}; support ended ({stop.when})."
            )
        return clock(ClockStatus.MET, **stopped)
    negative = stop.details.get("outcome") == "negative"
    if ending is Ending.AT_LEAST:
        if day < last:
            text += [
                f"Missed: {what} was made {into}, before the minimum of {period} "
                f"had run to {say(last)}.",
                uncertain,
                can_be_done(rule.if_decided_early),
            ]
            return clock(ClockStatus.MISSED, needs=rule.if_decided_early, **stopped)
        text.append(f"Met: the {period} ran to {say(last)}, before {what}.")
        return clock(ClockStatus.MET, **stopped)
    if ending is Ending.EARLIER_OF_PERIOD_AND_DECISION:
        if day <= last:
            text.append(f"Met: the period ended with {what}, {into}.")
        else:
            text.append(f"Met: the {period} ran to {say(last)}, before {what}.")
        return clock(ClockStatus.MET, **stopped)
    if ending is Ending.UNTIL_DECISION_POSITIVE_TO_PERIOD_END and negative:
        text.append(f"Met: support lasted until {what}, which ends it.")
        return clock(ClockStatus.MET, **stopped)
    # The later of the period's end and the decision: a decision inside the
    # period leaves it running to its end.
    if day < last:
        text += [
            f"{what[:1].upper()}{what[1:]} came {into}, which runs on to the end "
            f"of the {period}, {say(last)}.",
            uncertain,
        ]
        return to_the_end(**stopped)
    text.append(
        f"Met: the {period} ran to {say(last)}, and the period ended with {what}."
    )
    return clock(ClockStatus.MET, **stopped)


def _after_period(ending: Ending) -> str:
    if ending is Ending.AT_LEAST:
        return "No conclusive grounds decision is on record yet."
    if ending is Ending.EARLIER_OF_PERIOD_AND_DECISION:
        return "No conclusive grounds decision is on record."
    return (
        "The period lasts until the conclusive grounds decision, and none is on "
        "record yet."
    )
