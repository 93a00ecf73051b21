"""The caseload's legal clocks: a case's open clocks and open warnings, judged
from the facts the view keeps, by the same rules as the deadlines and the
chronology.

The clocks are judged by ``domain.clocks.clocks_of`` as at the last day there is,
so that every dated step counts and nothing depends on the day the view is
written: a clock nothing on record has stopped is then "missed" (a deadline) or
"met" (a period of protection that has run). Both are open here; whether one is
running or overdue is for the query to say, from its due day.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.case import Jurisdiction
from domain.clocks import (
    CLOCK_STEP_KINDS,
    DEFAULT_RULES,
    CaseFacts,
    Clock,
    ClockKind,
    ClockStatus,
    RuleBook,
    Step,
    clocks_of,
)
from domain.dates import UncertainDate
from domain.steps import StepReading
from domain.vocabulary import open_warnings
from projections.caseload.view import ClocksSummarised, OpenClock

#: The day the clocks are judged as at: after every step's day.
JUDGED_AS_OF = date.max

#: Periods of protection: they end by themselves, so are never overdue.
PERIODS = frozenset({ClockKind.RECOVERY_PERIOD})


@dataclass(frozen=True)
class StoredStep:
    """A step as the view keeps it."""

    step_id: UUID
    kind: str
    sequence: int
    retracted: bool
    fact: str | None


def _json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not kept by the caseload")


def _dumps(value: Any) -> str:
    return json.dumps(value, default=_json, sort_keys=True)


#: The only details the clocks read: a decision's outcome, an extension's end,
#: a move's jurisdiction and local authority. The view keeps no other detail (a
#: crime reference, offences, a service's name): it holds only what it needs.
CLOCK_DETAILS = ("outcome", "until", "jurisdiction", "local_authority")


def fact_of(reading: Mapping[str, Any]) -> str | None:
    """What the clocks need of a step's reading (as the vocabulary reads it now:
    older payloads upgraded), as JSON; None for a kind the clocks do not read."""
    if reading["kind"] not in CLOCK_STEP_KINDS:
        return None
    step = StepReading.from_record(reading)
    return _dumps(
        {
            "occurred": _date_record(step.occurred) if step.occurred else None,
            "details": {
                key: value
                for key, value in step.details.items()
                if key in CLOCK_DETAILS
            },
        }
    )


def born_of(born: Mapping[str, Any]) -> str:
    return _dumps(_date_record(UncertainDate.from_record(dict(born))))


def _date_record(day: UncertainDate) -> dict[str, Any]:
    return {
        "edtf": day.edtf,
        "earliest": day.earliest,
        "latest": day.latest,
        "display": day.display,
    }


def _uncertain(record: Mapping[str, Any]) -> UncertainDate:
    def day(text: str | None) -> date | None:
        return None if text is None else date.fromisoformat(text)

    return UncertainDate(
        edtf=record["edtf"],
        earliest=day(record["earliest"]),
        latest=day(record["latest"]),
        display=record["display"],
    )


def is_open(clock: Clock) -> bool:
    """Nothing on record stopped it, nor made it irrelevant, and it has a due
    day (a window not yet started has none, so is nothing to chase)."""
    if clock.stopped_by or clock.status is ClockStatus.NO_LONGER_RELEVANT:
        return False
    if clock.due_on is None:
        return False
    if clock.kind in PERIODS:
        return True  # "met" as at the last day: it has run, unless stopped
    return clock.status is not ClockStatus.MET


def summarise(
    case_id: UUID,
    jurisdiction: str,
    born: str | None,
    steps: Iterable[StoredStep],
    rules: RuleBook = DEFAULT_RULES,
) -> tuple[list[OpenClock], ClocksSummarised]:
    """A case's open clocks, and its next deadline and open warnings."""
    on_record = [step for step in steps if not step.retracted]
    facts = CaseFacts(
        jurisdiction=Jurisdiction(jurisdiction),
        steps=tuple(
            _step(step)
            for step in on_record
            if step.fact is not None and step.kind in CLOCK_STEP_KINDS
        ),
        born=_uncertain(json.loads(born)) if born is not None else None,
    )
    report = clocks_of(facts, JUDGED_AS_OF, rules)
    clocks = [
        OpenClock(
            case_id=case_id,
            started_by=clock.started_by,
            clock=clock.kind.value,
            started_on=clock.started_on,
            due_on=clock.due_on,
            rule_id=clock.rule.id,
            citation=clock.rule.citation,
            deadline=clock.kind not in PERIODS,
            extended=bool(clock.extended_by),
        )
        for clock in report.clocks
        if is_open(clock) and clock.due_on is not None
    ]
    clocks.sort(key=lambda c: (c.due_on, c.clock, str(c.started_by)))
    nearest = next((c for c in clocks if c.deadline), None)
    return clocks, ClocksSummarised(
        case_id=case_id,
        next_deadline_on=nearest.due_on if nearest else None,
        next_deadline_clock=nearest.clock if nearest else None,
        open_warnings=open_warnings([step.kind for step in on_record]),
    )


def _step(stored: StoredStep) -> Step:
    fact = json.loads(stored.fact or "{}")
    occurred = fact.get("occurred")
    return Step(
        step_id=stored.step_id,
        kind=stored.kind,
        occurred=_uncertain(occurred) if occurred else None,
        details=fact.get("details") or {},
        sequence=stored.sequence,
    )


def summarise_all(
    cases: Iterable[UUID],
    opened: Mapping[UUID, str],
    born: Mapping[UUID, str],
    steps: Mapping[UUID, Sequence[StoredStep]],
    rules: RuleBook = DEFAULT_RULES,
) -> tuple[list[OpenClock], list[ClocksSummarised]]:
    """``summarise`` for each case, given the opening jurisdictions, dates of
    birth and steps of all of them (a case not opened is passed over: never, in a
    well-formed log)."""
    clocks: list[OpenClock] = []
    summaries: list[ClocksSummarised] = []
    for case_id in cases:
        if case_id not in opened:
            continue
        open_clocks, summary = summarise(
            case_id, opened[case_id], born.get(case_id), steps.get(case_id, ()), rules
        )
        clocks += open_clocks
        summaries.append(summary)
    return clocks, summaries
