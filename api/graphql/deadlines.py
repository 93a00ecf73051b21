"""A case's legal clocks: each with its start step, due day, rule and citation,
status and the steps that stopped or extended it; and, for chronology rows, the
clocks each row's step started, stopped or extended."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Annotated
from uuid import UUID

import strawberry
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField

from api.graphql.access import Gate
from api.graphql.context import Information
from api.graphql.enums import ClockKind, ClockRole, ClockStatus, Jurisdiction
from api.graphql.results import (
    InvalidArgument,
    NotFound,
    NotFoundError,
    NotPermitted,
    NotPermittedError,
    ValidationFailed,
    failure_for,
)
from api.policy import Action
from domain.clocks import DEFAULT_RULES, RuleBook
from domain.clocks import Clock as ClockView
from domain.clocks import JurisdictionSpell as SpellView
from domain.clocks import Rule as RuleView
from domain.dates import UK
from domain.errors import CommandRefused
from projections.audit import Operation
from projections.deadlines import Deadlines as DeadlinesView
from projections.deadlines import DeadlinesReader
from projections.deadlines import StepClock as StepClockView

#: How far from today an ``asOf`` may be: clocks run years, not centuries.
AS_OF_RANGE = timedelta(days=100 * 365)


@strawberry.type(description="An effective-dated rule a clock follows.")
class ClockRule:
    id: str = strawberry.field(description="The rule's stable id.")
    description: str = strawberry.field(
        description="What the rule requires, in plain words."
    )
    citation: str = strawberry.field(
        description="Its source; rules found only in secondary sources say "
        "`(check; …)`, and a period set by a setting says so."
    )
    period: str = strawberry.field(
        description="Its period in words (`56 days`, `5 working days`, "
        "`until the 20th birthday`)."
    )
    counting: str = strawberry.field(
        description="How the period counts from the day it runs from, in words, "
        "and what a time ending on a day that is not a working day does."
    )
    took_effect: date = strawberry.field(description="The day it took effect.")
    ended: date | None = strawberry.field(
        description="The last day it was in force; null while it still is."
    )
    check: bool = strawberry.field(
        description="True for a rule marked (check): its period is configurable."
    )
    jurisdictions: list[Jurisdiction] = strawberry.field(
        description="Where it applies."
    )

    @classmethod
    def of(cls, rule: RuleView) -> ClockRule:
        return cls(
            id=rule.id,
            description=rule.description,
            citation=rule.citation,
            period=rule.period.describe(),
            counting=rule.counting_words,
            took_effect=rule.took_effect,
            ended=rule.ended,
            check=rule.check,
            jurisdictions=sorted(rule.jurisdictions),
        )


@strawberry.type(
    description="One legal clock of a case: what started it, when it is due, "
    "under which rule, and how it stands."
)
class LegalClock:
    kind: ClockKind = strawberry.field(description="Which clock.")
    label: str = strawberry.field(description="The clock's name, in words.")
    started_by: UUID = strawberry.field(description="The step that started it.")
    started_on: date = strawberry.field(
        description="The day it runs from: the start step's earliest possible day."
    )
    started_when: str = strawberry.field(
        description="The start step's date in words (`2019`, `c. June 2019`)."
    )
    due_on: date | None = strawberry.field(
        description="The last day the act is in time, or a period's last day (for "
        "an uncertain start, the earliest possible one; moved to the next working "
        "day where the rule says so; for an extended clock, as extended); null "
        "while the window has not started."
    )
    original_due_on: date | None = strawberry.field(
        description="The due day before any extension; null if never extended."
    )
    days_left: int | None = strawberry.field(
        description="Days from `asOf` to the due day while the clock runs (0: due "
        "that day); null otherwise."
    )
    status: ClockStatus = strawberry.field(description="How it stands on `asOf`.")
    jurisdiction: Jurisdiction = strawberry.field(
        description="The jurisdiction whose rules and bank holidays it follows: "
        "where the case was on the day it started."
    )
    rule: ClockRule = strawberry.field(
        description="The rule in force there on the day it started."
    )
    stopped_by: list[UUID] = strawberry.field(
        description="The steps that stopped it (met, missed or made irrelevant)."
    )
    stopped_on: date | None = strawberry.field(
        description="The day the stopping step is judged by (its latest possible "
        "day for a deadline; its earliest for cutting a period short)."
    )
    extended_by: list[UUID] = strawberry.field(
        description="The steps that extended it (tribunal extensions granted)."
    )
    needs: list[str] = strawberry.field(
        description="What can be done now that it is missed (e.g. the exceptional-"
        "circumstances evidence of CICA 2012 para 89), about what happened: a "
        "late act, nothing by the due day, or a period cut short; empty otherwise."
    )
    explanation: str = strawberry.field(
        description="Why it stands so: which rule applied and why, how uncertain "
        "dates were read, and what stopped or extended it."
    )

    @classmethod
    def of(cls, clock: ClockView) -> LegalClock:
        return cls(
            kind=clock.kind,
            label=clock.label,
            started_by=clock.started_by,
            started_on=clock.started_on,
            started_when=clock.started_when,
            due_on=clock.due_on,
            original_due_on=clock.original_due_on,
            days_left=clock.days_left,
            status=clock.status,
            jurisdiction=clock.jurisdiction,
            rule=ClockRule.of(clock.rule),
            stopped_by=list(clock.stopped_by),
            stopped_on=clock.stopped_on,
            extended_by=list(clock.extended_by),
            needs=list(clock.needs),
            explanation=clock.explanation,
        )


@strawberry.type(description="Where the case was, from a day on.")
class JurisdictionSpell:
    jurisdiction: Jurisdiction = strawberry.field(description="The jurisdiction.")
    since: date | None = strawberry.field(
        description="From this day on; null for the jurisdiction the case was "
        "opened in."
    )
    step_id: UUID | None = strawberry.field(
        description="The move that began it; null for the opening jurisdiction."
    )
    local_authority: str | None = strawberry.field(
        description="The local authority moved to, if recorded."
    )

    @classmethod
    def of(cls, spell: SpellView) -> JurisdictionSpell:
        return cls(
            jurisdiction=spell.jurisdiction,
            since=spell.since,
            step_id=spell.step_id,
            local_authority=spell.local_authority,
        )


@strawberry.type(
    description="A case's legal clocks, judged as at a day, earliest due first."
)
class Deadlines:
    case_id: UUID = strawberry.field(description="The case.")
    reference: str = strawberry.field(description="The case's reference.")
    as_of: date = strawberry.field(description="The day the clocks are judged as at.")
    case_version: int = strawberry.field(description="The case's version read.")
    position: int = strawberry.field(
        description="The log position it was read at: it reflects every change up "
        "to at least this position."
    )
    clocks: list[LegalClock] = strawberry.field(
        description="Every clock the case's steps started, earliest due first."
    )
    jurisdictions: list[JurisdictionSpell] = strawberry.field(
        description="Where the case was, earliest first: which nation's rules "
        "applied when."
    )
    notes: list[str] = strawberry.field(
        description="What could not be judged, and why (undated steps, no rule "
        "on record)."
    )

    @classmethod
    def of(cls, view: DeadlinesView, position: int) -> Deadlines:
        return cls(
            case_id=view.case_id,
            reference=view.reference,
            as_of=view.as_of,
            case_version=view.version,
            position=position,
            clocks=[LegalClock.of(clock) for clock in view.clocks],
            jurisdictions=[JurisdictionSpell.of(s) for s in view.jurisdictions],
            notes=list(view.notes),
        )


@strawberry.type(description="A clock a chronology row's step started or stopped.")
class RowClock:
    kind: ClockKind = strawberry.field(description="Which clock.")
    label: str = strawberry.field(description="The clock's name, in words.")
    role: ClockRole = strawberry.field(description="What this step did to it.")
    due_on: date | None = strawberry.field(
        description="The last day the act is in time, or a period's last day; "
        "null while the window has not started."
    )
    status: ClockStatus = strawberry.field(
        description="How the clock stands (as at `asAt`'s day, or today)."
    )
    rule_id: str = strawberry.field(description="The rule it follows.")

    @classmethod
    def of(cls, step_clock: StepClockView) -> RowClock:
        clock = step_clock.clock
        return cls(
            kind=clock.kind,
            label=clock.label,
            role=step_clock.role,
            due_on=clock.due_on,
            status=clock.status,
            rule_id=clock.rule.id,
        )


DeadlinesResult = Annotated[
    Deadlines | ValidationFailed | NotFound | NotPermitted,
    strawberry.union(
        "DeadlinesResult", description="A case's clocks, or why they cannot be shown."
    ),
]


def row_clocks(
    deadlines: DeadlinesReader,
    case_id: UUID,
    as_at: datetime | None,
    rules: RuleBook = DEFAULT_RULES,
) -> dict[UUID, list[RowClock]]:
    """Each step's clocks, as the record stood at ``as_at`` (or now), judged as at
    that moment's day in the UK (or today) by ``rules``."""
    if as_at is not None:
        day = as_at.astimezone(UK).date()
    else:
        day = deadlines.journeys.today()
    view = deadlines.deadlines(case_id, day, rules=rules, as_at=as_at)
    return {
        step_id: [RowClock.of(clock) for clock in clocks]
        for step_id, clocks in view.by_step().items()
    }


def asks_for(info: Information, name: str) -> bool:
    """Whether the operation selects a field ``name`` anywhere under this one."""
    return _selects(info.selected_fields, name)


def _selects(
    selections: Iterable[SelectedField | FragmentSpread | InlineFragment], name: str
) -> bool:
    for selection in selections:
        if isinstance(selection, SelectedField) and selection.name == name:
            return True
        if _selects(selection.selections, name):
            return True
    return False


def _read_deadlines(
    gate: Gate,
    deadlines: DeadlinesReader,
    case_id: UUID,
    as_of: date | None,
    rules: RuleBook = DEFAULT_RULES,
) -> Deadlines:
    journeys = gate.journeys
    today = journeys.today()
    if as_of is not None and abs(as_of - today) > AS_OF_RANGE:
        raise InvalidArgument("asOf", "give a day within 100 years of today")
    gate.case(case_id, Action.READ_DEADLINES)
    position = journeys.log_position()
    view = deadlines.deadlines(case_id, as_of or today, rules=rules)
    gate.record(Operation.DEADLINES, case_ids=[case_id])
    return Deadlines.of(view, position)


async def resolve_deadlines(
    info: Information,
    case_id: Annotated[UUID, strawberry.argument(description="The case.")],
    as_of: Annotated[
        date | None,
        strawberry.argument(
            description="Judge the clocks as at this day (steps dated after it are "
            "not yet on record); null means today."
        ),
    ] = None,
) -> DeadlinesResult:
    context = info.context
    try:
        return await context.in_thread(
            _read_deadlines,
            context.gate,
            context.deadlines,
            case_id,
            as_of,
            context.rules,
        )
    except (CommandRefused, NotPermittedError, NotFoundError, InvalidArgument) as error:
        return failure_for(error)  # type: ignore[return-value]
