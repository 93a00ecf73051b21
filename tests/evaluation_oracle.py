"""The evaluation metrics recomputed by brute force from the log, to hold the
projection to: each case's events are read through the application and every
definition of ``projections.evaluation.metrics`` is applied the plain way, a
case at a time, with none of the projection's code.

Each metric is answered as sets of case ids (numerator, denominator), or for
counts of calls, defendants and prosecutions as lists of case ids (one per call,
and per defendant or prosecution the case of its earliest verdict, then the
first case id), so a test can compare any cell exactly.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from domain.application import CaseJourneys
from domain.case import (
    CaseClosed,
    CaseOpened,
    CaseReopened,
    CaseTransferred,
    ConsentGiven,
    ConsentWithdrawn,
    DateOfBirthRecorded,
    StepCorrected,
    StepRecorded,
    StepRetracted,
)
from domain.regions import region_of

UK = ZoneInfo("Europe/London")
GRANTS = {
    "refugee_status",
    "humanitarian_protection",
    "discretionary_leave",
    "other_leave",
}


def uk(moment: datetime) -> date:
    return moment.astimezone(UK).date()


@dataclass
class Step:
    kind: str
    day: date | None
    details: dict[str, Any]
    version: int
    recorded: date


@dataclass
class CaseTruth:
    case_id: UUID
    consenting: bool = False
    spells: list[list[date | None]] = field(default_factory=list)
    organisations: list[tuple[date, int, str]] = field(default_factory=list)
    areas: list[tuple[date, int, str | None, str | None]] = field(default_factory=list)
    born: tuple[date | None, date | None] | None = None
    steps: dict[UUID, Step] = field(default_factory=dict)
    #: The day advocacy began, as the opening gave it.
    began: date | None = None

    @property
    def opened(self) -> date:
        assert self.began is not None
        return self.began

    def open_between(self, first: date, last: date) -> bool:
        return any(
            start is not None and start <= last and (end is None or end >= first)
            for start, end in self.spells
        )

    def dated(self, predicate: Callable[[Step], bool]) -> list[date]:
        return sorted(
            s.day for s in self.steps.values() if s.day is not None and predicate(s)
        )

    def has(self, kind: str, first: date, last: date, **details: Any) -> bool:
        return any(
            first <= day <= last
            for day in self.dated(
                lambda s: (
                    s.kind == kind
                    and all(s.details.get(k) == v for k, v in details.items())
                )
            )
        )

    def area_has(self, area: str, first: date, last: date) -> bool:
        return any(
            first <= day <= last
            for day in self.dated(lambda s: s.kind.startswith(area + "."))
        )

    def organisation_on(self, day: date) -> str:
        return max((o for o in self.organisations if o[0] <= day), key=lambda o: o[:2])[
            2
        ]

    def place_on(self, day: date) -> tuple[str | None, str | None]:
        """(jurisdiction, local authority) on the day."""
        jurisdiction = local_authority = None
        for _, _, j, la in sorted(a for a in self.areas if a[0] <= day):
            jurisdiction = j or jurisdiction
            local_authority = la or local_authority
        return jurisdiction, local_authority

    def region_on(self, day: date) -> str:
        jurisdiction, local_authority = self.place_on(day)
        found = region_of(local_authority)
        return found if found != "Unknown" else region_of(None, jurisdiction)


def disengaged_on(case: CaseTruth, day: date) -> bool:
    """A disengagement dated before ``day`` that no re-engagement dated from it
    to ``day`` ended."""
    re_engaged = case.dated(lambda s: s.kind == "engagement.re_engaged")
    return any(
        not any(left <= back <= day for back in re_engaged)
        for left in case.dated(lambda s: s.kind == "engagement.disengaged")
        if left < day
    )


def calls_of(case: CaseTruth) -> list[tuple[date, date | None, date | None]]:
    """Each call to give evidence: its day, the attendance it is paired with
    (the first on or after it that no earlier call took) and the day its trial
    took place (that attendance, or an earlier trial held on or after the
    call)."""
    attendances = case.dated(lambda s: s.kind == "criminal_justice.trial_attended")
    trials = case.dated(
        lambda s: (
            s.kind == "criminal_justice.verdict"
            and s.details.get("outcome") in ("convicted", "acquitted", "hung_jury")
        )
    )
    found: list[tuple[date, date | None, date | None]] = []
    for call in case.dated(lambda s: s.kind == "criminal_justice.witness_called"):
        attended = next((a for a in attendances if a >= call), None)
        if attended is not None:
            attendances.remove(attended)
        held = [t for t in trials if t >= call]
        candidates = [d for d in (attended, held[0] if held else None) if d]
        found.append((call, attended, min(candidates) if candidates else None))
    return found


def six_months_after(day: date) -> date:
    month = day.month + 6
    year, month = day.year + (month - 1) // 12, (month - 1) % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def truths(journeys: CaseJourneys) -> dict[UUID, CaseTruth]:
    cases: dict[UUID, CaseTruth] = {}
    for case_id in journeys.case_ids():
        truth = cases[case_id] = CaseTruth(case_id)
        for e in journeys.case_events(case_id):
            day = uk(e.timestamp)
            if isinstance(e, CaseOpened):
                began = truth.began = e.opened_on
                truth.spells.append([began, None])
                truth.organisations.append(
                    (began, e.originator_version, e.organisation_id)
                )
                truth.areas.append(
                    (began, e.originator_version, e.jurisdiction, e.local_authority)
                )
            elif isinstance(e, CaseClosed):
                truth.spells[-1][1] = day
            elif isinstance(e, CaseReopened):
                truth.spells.append([day, None])
            elif isinstance(e, CaseTransferred):
                truth.organisations.append(
                    (day, e.originator_version, e.to_organisation_id)
                )
            elif isinstance(e, ConsentGiven) and e.purpose == "evaluation":
                truth.consenting = True
            elif isinstance(e, ConsentWithdrawn) and e.purpose == "evaluation":
                truth.consenting = False
            elif isinstance(e, DateOfBirthRecorded):
                truth.born = (e.born["earliest"], e.born["latest"])
            elif isinstance(e, StepRecorded | StepCorrected):
                reading = e.reading
                occurred = reading["occurred"]
                truth.steps[e.step_id] = Step(
                    reading["kind"],
                    occurred["earliest"] if occurred else None,
                    dict(reading["details"]),
                    e.originator_version,
                    day,
                )
            elif isinstance(e, StepRetracted):
                truth.steps.pop(e.step_id, None)
        for step in truth.steps.values():
            if step.kind == "transition.moved_area":
                truth.areas.append(
                    (
                        step.day or step.recorded,
                        step.version,
                        step.details.get("jurisdiction"),
                        step.details["local_authority"],
                    )
                )
    return cases


@dataclass(frozen=True)
class Answer:
    numerator: frozenset[UUID] | list[UUID]
    denominator: frozenset[UUID] | list[UUID] | None
    amount_pence: int = 0
    days: tuple[int, ...] = ()


def answer(
    cases: dict[UUID, CaseTruth], first: date, last: date, metric: str
) -> Answer:
    clients = frozenset(
        c.case_id
        for c in cases.values()
        if c.consenting and c.open_between(first, last)
    )
    of = [cases[i] for i in clients]

    def who(test: Callable[[CaseTruth], bool]) -> frozenset[UUID]:
        return frozenset(c.case_id for c in of if test(c))

    if metric == "clients":
        return Answer(clients, None)
    if metric == "engaged_6_months":
        due = [c for c in of if six_months_after(c.opened) <= last]
        engaged = [
            c
            for c in due
            if any(
                six_months_after(c.opened) <= d <= last and not disengaged_on(c, d)
                for d in c.dated(lambda s: s.kind == "engagement.contact")
            )
        ]
        return Answer(
            frozenset(c.case_id for c in engaged), frozenset(c.case_id for c in due)
        )
    simple = {
        "advocacy_housing": lambda c: any(
            first <= d <= last
            for d in c.dated(
                lambda s: (
                    s.kind.startswith("housing.")
                    and s.kind != "housing.accommodation_lost"
                )
            )
        ),
        "advocacy_benefits": lambda c: c.area_has("benefits", first, last),
        "advocacy_immigration_advice": lambda c: c.has(
            "immigration.advice_accessed", first, last
        ),
        "permanent_accommodation": lambda c: c.has(
            "housing.accommodation_secured", first, last, tenure="permanent"
        ),
        "employment_gained": lambda c: c.has(
            "employment.employment_gained", first, last
        ),
        "status_granted": lambda c: (
            any(c.has("immigration.decision", first, last, outcome=o) for o in GRANTS)
            or c.has("immigration.appeal_decided", first, last, outcome="allowed")
        ),
        "compensation_awarded": lambda c: c.has(
            "compensation.award_received", first, last
        ),
        "conviction_overturned": lambda c: c.has(
            "own_conviction.conviction_overturned", first, last
        ),
        "re_exploited": lambda c: c.has("safety.re_exploited", first, last),
    }
    if metric in simple:
        numerator = who(simple[metric])
        amount = 0
        if metric == "compensation_awarded":
            for c in of:
                for s in c.steps.values():
                    if (
                        s.kind == "compensation.award_received"
                        and s.day is not None
                        and first <= s.day <= last
                    ):
                        amount += round(float(s.details["amount"]) * 100)
        return Answer(numerator, clients, amount)
    if metric == "attended_when_called":
        attended_calls: list[UUID] = []
        held_calls: list[UUID] = []
        for c in of:
            for call_day, attended_day, trial_day in calls_of(c):
                if first <= call_day <= last and trial_day is not None:
                    if trial_day <= last:
                        held_calls.append(c.case_id)
                    if attended_day is not None and attended_day <= last:
                        attended_calls.append(c.case_id)
        return Answer(attended_calls, held_calls)
    if metric in ("convictions", "conviction_rate"):
        verdicts = [
            (s.day, str(c.case_id), c.case_id, s.details)
            for c in of
            for s in c.steps.values()
            if s.kind == "criminal_justice.verdict"
            and s.details.get("outcome") in ("convicted", "acquitted")
            and s.day is not None
            and first <= s.day <= last
        ]
        groups: dict[tuple[str, ...], list[tuple[date, str, UUID, dict[str, Any]]]]
        groups = {}
        for verdict in verdicts:
            _, _, case_id, details = verdict
            own = f"case:{case_id}"
            prosecution = details.get("prosecution_ref") or own
            if metric == "conviction_rate":
                groups.setdefault((prosecution,), []).append(verdict)
            elif details["outcome"] == "convicted":
                defendant = details.get("defendant_ref") or own
                groups.setdefault((prosecution, defendant), []).append(verdict)
        counted: list[UUID] = []
        marked: list[UUID] = []
        for group in groups.values():
            earliest = min(group, key=lambda v: (v[0], v[1]))[2]
            counted.append(earliest)
            if any(
                v[3]["outcome"] == "convicted"
                and (metric == "conviction_rate" or v[3].get("trafficking_offence"))
                for v in group
            ):
                marked.append(earliest)
        return Answer(marked, counted)
    pairs = {
        "nrm_referral_to_conclusive_grounds": (
            lambda s: s.kind == "nrm.referred",
            lambda s: s.kind == "nrm.conclusive_grounds_decision",
        ),
        "asylum_claim_to_decision": (
            lambda s: s.kind == "immigration.asylum_claim_lodged",
            lambda s: (
                s.kind == "immigration.decision"
                and (
                    s.details.get("asylum_claim") is True
                    or (
                        s.details.get("asylum_claim") is None
                        and s.details["outcome"]
                        in ("refugee_status", "humanitarian_protection")
                    )
                )
            ),
        ),
        "cica_application_to_award": (
            lambda s: s.kind == "compensation.cica_application_submitted",
            lambda s: (
                (
                    (
                        s.kind
                        in (
                            "compensation.cica_decision",
                            "compensation.cica_review_decision",
                        )
                        and s.details.get("outcome") == "award"
                    )
                    or (
                        s.kind == "compensation.tribunal_decision"
                        and s.details.get("outcome") == "allowed"
                    )
                )
                and s.details.get("amount") is not None
                and float(s.details["amount"]) > 0
            ),
        ),
    }
    starts, ends = pairs[metric]
    ended: set[UUID] = set()
    days: list[int] = []
    for c in of:
        begun = c.dated(starts)
        if not begun:
            continue
        finished = [d for d in c.dated(ends) if d >= begun[0]]
        if finished and first <= finished[0] <= last:
            ended.add(c.case_id)
            days.append((finished[0] - begun[0]).days)
    return Answer(frozenset(ended), None, days=tuple(sorted(days)))


def age_band_at_opening(case: CaseTruth) -> str:
    """The band, by a plain reading of the date of birth's range."""
    if case.born is None or None in case.born:
        return "unknown"
    labels = set()
    for born in case.born:
        assert born is not None
        opened = case.opened
        age = (
            opened.year
            - born.year
            - ((opened.month, opened.day) < (born.month, born.day))
        )
        limits = [
            (0, "under 18"),
            (18, "18-24"),
            (25, "25-34"),
            (35, "35-44"),
            (45, "45-54"),
            (55, "55-64"),
            (65, "65 and over"),
        ]
        labels.add([label for lowest, label in limits if age >= lowest][-1])
    return labels.pop() if len(labels) == 1 else "unknown"


def cell_of(case: CaseTruth, dimension: str, last: date) -> str:
    """Which value of a breakdown a client falls under for a period ending on
    ``last``."""
    if dimension == "organisation":
        return case.organisation_on(last)
    if dimension == "jurisdiction":
        return case.place_on(last)[0] or "not recorded"
    if dimension == "local_authority":
        return case.place_on(last)[1] or "not recorded"
    if dimension == "region":
        return case.region_on(last)
    return age_band_at_opening(case)
