"""A large synthetic cohort of survivor cases, written straight into the event store.

For the evaluation-statistics benchmark (by default 100,000 cases, about 5 million
events) and for the demo (``waymark demo``: a few hundred, so an evaluator sees
figures rather than suppressed cells): cases opened between April 2022 and March
2026 across 24 organisations, each with a journey of three to forty months:
contacts with the advocate, housing, benefits, the NRM, immigration,
compensation, employment, the criminal courts, moves, hand-overs, corrections
and retractions, and for about half a closure.
References are pseudonymous ("EV-000123"); there is no real personal data.

Every case is built in memory with the real aggregate (``SurvivorCase.open`` and
its commands, readings validated by ``StepReading.from_input``), so topics, payload
validation and the hash chain are exactly the application's own. Its events are
mapped with the application's mapper and inserted in large batches with
``recorder.insert_events``, skipping the one-case-at-a-time ``save`` path. While a
cohort is generated, events are stamped by a synthetic clock: a case opened on
2023-05-10 has a ``CaseOpened`` timestamp of 10:00 that day, UK time, and each step
is recorded on (or a few days after) the day it happened, never after 2026-10-31.
A fifth of the cases were entered up to three weeks after advocacy began: their
opening and consent are dated to that earlier day. Verdicts name pseudonymous
prosecutions and defendants, and many survivors are witnesses in a few large
prosecutions, as in Operation Fort; a tenth name none, as older records do.
Ids come from a seeded generator too, so a seed always writes the same events.
Where processes can fork, a child process builds the cases while this one writes
them: the two take about a core each.

Run::

    .venv/bin/python -m demo.cohort --cases 100000 --seed 1 \\
        --database-url 'postgresql://postgres@127.0.0.1:5432/test?schema=bench_eval'

The schema named by ``?schema=`` is created if it does not exist. The same seed
cannot be written twice into one store (the case ids would clash): use a fresh
schema or another seed.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import accumulate
from queue import Empty
from typing import Any
from unittest import mock
from uuid import UUID

import psycopg
from eventsourcing.persistence import IntegrityError, Mapper, StoredEvent
from psycopg import sql

from demo.stamping import events_stamped_by
from domain.application import CaseJourneys
from domain.case import (
    ConsentPurpose,
    Jurisdiction,
    Provenance,
    SurvivorCase,
)
from domain.dates import UK
from domain.steps import StepReading, parse_occurred
from domain.vocabulary import STEP_KINDS
from storage.files import owner_only_sqlite
from storage.settings import DATABASE_URL, persistence_env

FIRST_OPENING = date(2022, 4, 1)
LAST_OPENING = date(2026, 3, 31)
#: Nothing is recorded on or after this day.
HORIZON = date(2026, 11, 1)
LAST_RECORDING = HORIZON - timedelta(days=1)
#: A case's events are recorded from 10:00 UK time on their day, a few minutes
#: apart, so events of one case never share a timestamp.
WORKING_DAY_STARTS_AT = 10
MINUTES_BETWEEN_EVENTS = 7

ORGANISATIONS = tuple(f"org-{number:02}" for number in range(1, 25))
ADVOCATES_PER_ORGANISATION = 8
REFERENCE_PREFIX = "EV"

JURISDICTION_WEIGHTS = {
    Jurisdiction.ENGLAND_AND_WALES: 85,
    Jurisdiction.SCOTLAND: 10,
    Jurisdiction.NORTHERN_IRELAND: 5,
}
JURISDICTIONS = tuple(JURISDICTION_WEIGHTS)
JURISDICTION_CUMULATIVE_WEIGHTS = tuple(accumulate(JURISDICTION_WEIGHTS.values()))
LOCAL_AUTHORITIES: Mapping[Jurisdiction, tuple[str, ...]] = {
    Jurisdiction.ENGLAND_AND_WALES: (
        "Birmingham",
        "Leeds",
        "Manchester",
        "Liverpool",
        "Sheffield",
        "Bradford",
        "Bristol, City of",
        "Kent",
        "Essex",
        "Hampshire",
        "Lancashire",
        "Surrey",
        "Norfolk",
        "Cornwall",
        "Devon",
        "Nottingham",
        "Leicester",
        "Coventry",
        "Newcastle upon Tyne",
        "Sunderland",
        "Kingston upon Hull, City of",
        "Stoke-on-Trent",
        "Southampton",
        "Tower Hamlets",
        "Newham",
        "Croydon",
        "Ealing",
        "Cardiff",
        "Swansea",
        "Newport",
    ),
    Jurisdiction.SCOTLAND: (
        "Glasgow City",
        "City of Edinburgh",
        "Aberdeen City",
        "Dundee City",
        "Fife",
        "North Lanarkshire",
    ),
    Jurisdiction.NORTHERN_IRELAND: (
        "Belfast",
        "Armagh City, Banbridge and Craigavon",
        "Derry City and Strabane",
        "Newry, Mourne and Down",
    ),
}

CONTACT_MODES = ("in_person", "phone", "video", "message", "letter")
CONTACT_MODE_WEIGHTS = (40, 35, 10, 12, 3)
DISCLOSED_TO = ("police", "Home Office", "first responder", "solicitor")
CICA_AWARDS = tuple(
    Decimal(amount) for amount in ("1000", "2000", "5500", "11000", "22000", "44000")
)
CICA_AWARD_WEIGHTS = (10, 25, 30, 20, 10, 5)

EVALUATION = ConsentPurpose.EVALUATION.value
SUMMARIES = {code: f"{kind.label} (synthetic)." for code, kind in STEP_KINDS.items()}
#: A case's active life is drawn in months: from three to forty.
SHORTEST_LIFE_MONTHS, LONGEST_LIFE_MONTHS = 3, 40
DAYS_IN_MONTH = 30.44
#: The share of cases entered a few days after advocacy began (the opening and
#: the consent are dated to that earlier day), and the most days late.
ENTERED_LATE_SHARE = 0.2
MOST_DAYS_ENTERED_LATE = 21
#: Large prosecutions, each with several defendants, in which many survivors
#: of the cohort are witnesses (their verdicts name the same references); the
#: share of verdicts in one of them, and of verdicts naming no references (as
#: verdicts recorded before references could be given do).
SHARED_PROSECUTIONS = 8
DEFENDANTS_PER_SHARED_PROSECUTION = 4
SHARED_VERDICT_SHARE = 0.4
UNREFERENCED_VERDICT_SHARE = 0.1
VERDICT_OUTCOMES = ("convicted", "acquitted", "hung_jury", "discontinued")
VERDICT_OUTCOME_WEIGHTS = (70, 15, 5, 10)


@dataclass(frozen=True)
class CohortStats:
    cases: int
    events: int
    seconds: float
    events_per_second: float
    #: Cases whose consent to evaluation stands at the end.
    consenting_cases: int
    consent_withdrawn_cases: int = 0
    #: Cases closed at the end (those reopened after closing left out).
    closed_cases: int = 0
    steps_by_kind: Mapping[str, int] = field(default_factory=dict)

    @property
    def events_per_case(self) -> float:
        return self.events / self.cases if self.cases else 0.0


class SyntheticClock:
    """The time case events are stamped with while a cohort is generated."""

    def __init__(self) -> None:
        self.now = datetime(FIRST_OPENING.year, 1, 1, tzinfo=UTC)
        self._day = 0
        self._mornings: dict[int, datetime] = {}

    def read(self) -> datetime:
        return self.now

    def move_to(self, day: int) -> None:
        """The next event's time: ``day`` (an ordinal) at 10:00 UK time, or a few
        minutes after the previous event when that was on the same day."""
        if day == self._day:
            self.now += timedelta(minutes=MINUTES_BETWEEN_EVENTS)
            return
        morning = self._mornings.get(day)
        if morning is None:
            local = datetime.combine(date.fromordinal(day), datetime.min.time())
            morning = local.replace(hour=WORKING_DAY_STARTS_AT, tzinfo=UK).astimezone(
                UTC
            )
            self._mornings[day] = morning
        self._day, self.now = day, morning

    def start_case(self) -> None:
        # Each case runs on its own timeline: its first event is never taken for
        # the next one of an earlier case that happened to be on the same day.
        self._day = 0


#: The clock case events read while ``synthetic_time`` is in force.
CLOCK = SyntheticClock()


@contextmanager
def synthetic_time(seed: int) -> Iterator[SyntheticClock]:
    """Stamps case events by ``CLOCK`` and draws their ids from ``seed``.

    Timestamps as ``demo.stamping`` says; ``domain.case`` draws case and step ids
    from ``uuid4``. Both are patched for this process alone, so nothing else may
    record cases in it meanwhile.
    """
    ids = random.Random(f"cohort-ids-{seed}")

    def seeded_uuid4() -> UUID:
        return UUID(int=ids.getrandbits(128), version=4)

    with (
        events_stamped_by(CLOCK.read),
        mock.patch("domain.case.uuid4", seeded_uuid4),
    ):
        yield CLOCK


# Planning a case: what happens when, as plain data


#: Kinds of action, in the order they are taken when recorded on the same day.
STEP, AMEND, CASE_CHANGE, CLOSE, REOPEN = range(5)


@dataclass
class CasePlan:
    """One synthetic case: how it opens and its actions, each on the day (an
    ordinal) it is recorded."""

    number: int
    organisation_id: str
    jurisdiction: Jurisdiction
    local_authority: str
    opened: int
    #: The day advocacy began: ``opened`` (when the case was entered) or a few
    #: days before it.
    began: int
    born: str
    advocate_id: str
    evaluation_consent: bool
    #: (day recorded, what, sequence, arguments); sorted, they are the journey.
    actions: list[tuple[int, int, int, tuple[Any, ...]]] = field(default_factory=list)
    closed: bool = False
    consent_withdrawn: bool = False


class CasePlanner:
    """Draws a case's journey from the cohort's random generator.

    Days are ordinals. ``last`` is the last day of the case's active life: every
    step is recorded by then, and the case is closed on it if it closes.
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._first_opening = FIRST_OPENING.toordinal()
        self._opening_span = LAST_OPENING.toordinal() - self._first_opening
        self._last_recording = LAST_RECORDING.toordinal()
        self._day_text: dict[int, str] = {}
        self._month_text: dict[int, str] = {}

    def plan(self, number: int) -> CasePlan:
        rng = self.rng
        opened = self._first_opening + rng.randint(0, self._opening_span)
        began = opened
        if rng.random() < ENTERED_LATE_SHARE:
            began -= rng.randint(1, MOST_DAYS_ENTERED_LATE)
        jurisdiction = rng.choices(
            JURISDICTIONS, cum_weights=JURISDICTION_CUMULATIVE_WEIGHTS
        )[0]
        organisation_id = rng.choice(ORGANISATIONS)
        plan = CasePlan(
            number=number,
            organisation_id=organisation_id,
            jurisdiction=jurisdiction,
            local_authority=rng.choice(LOCAL_AUTHORITIES[jurisdiction]),
            opened=opened,
            began=began,
            born=self._born(opened),
            advocate_id=self._advocate(organisation_id),
            evaluation_consent=rng.random() < 0.90,
        )
        self._plan = plan
        self._sequence = 0
        months = rng.uniform(SHORTEST_LIFE_MONTHS, LONGEST_LIFE_MONTHS)
        natural_end = opened + round(months * DAYS_IN_MONTH)
        self.last = min(natural_end, self._last_recording)
        self._journey(natural_end <= self._last_recording)
        plan.actions.sort()
        return plan

    # The journey

    def _journey(self, ends_naturally: bool) -> None:
        rng, plan, opened, last = self.rng, self._plan, self._plan.opened, self.last
        contacts = self._contacts()
        if rng.random() < 0.05:
            self._disengagement(contacts)
        self._housing()
        self._benefits()
        self._nrm()
        self._immigration()
        self._health_and_legal()
        self._compensation()
        self._criminal_justice()
        self._own_conviction()
        self._later_life()
        if contacts and rng.random() < 0.02:
            corrected = contacts.pop(rng.randrange(len(contacts)))
            self._correct_contact(corrected)
        if contacts and rng.random() < 0.01:
            retracted = contacts.pop(rng.randrange(len(contacts)))
            self._act(
                self._after(retracted[0], 1, 30),
                AMEND,
                ("retract", retracted[1], "Recorded on the wrong case."),
            )
        if plan.evaluation_consent and rng.random() < 0.02:
            withdrawn = self._between(opened + 14, last)
            if withdrawn is not None:
                plan.consent_withdrawn = True
                self._act(withdrawn, AMEND, ("withdraw",))
        if rng.random() < 0.03:
            self._transfer()
        elif rng.random() < 0.15:
            handover = self._advocate(plan.organisation_id, plan.advocate_id)
            self._act(
                self._between(opened + 30, last),
                CASE_CHANGE,
                ("advocate", handover, "Caseload rebalanced."),
            )
        if ends_naturally and rng.random() < 0.72:
            plan.closed = True
            self._act(last, CLOSE, ("close", "Support ended: goals met."))
            if rng.random() < 0.05:
                self._reopening()

    def _contacts(self) -> list[tuple[int, str]]:
        """Weekly or so in the first two months, when support is most intense,
        then about monthly. Returns each contact's day (it is recorded that day)
        and key."""
        rng, day, last = self.rng, self._plan.opened, self.last
        contacts: list[tuple[int, str]] = []
        intense_until = day + 60
        while True:
            day += rng.randint(3, 9) if day < intense_until else rng.randint(12, 36)
            if day > last:
                return contacts
            mode = rng.choices(CONTACT_MODES, CONTACT_MODE_WEIGHTS)[0]
            key = f"contact-{len(contacts)}"
            self._step(day, "engagement.contact", {"mode": mode}, key=key, lag=False)
            contacts.append((day, key))

    def _disengagement(self, contacts: list[tuple[int, str]]) -> None:
        """Contacts stop when the survivor disengages, until (for most) they
        re-engage months later."""
        rng, plan = self.rng, self._plan
        disengaged = self._between(plan.opened + 45, self.last - 30)
        if disengaged is None:
            return
        self._step(disengaged, "engagement.disengaged")
        re_engaged = None
        if rng.random() < 0.6:
            re_engaged = self._between(disengaged + 60, self.last)
            if re_engaged is not None:
                self._step(re_engaged, "engagement.re_engaged")
        quiet_until = re_engaged if re_engaged is not None else self.last + 1
        silenced = {key for day, key in contacts if disengaged <= day < quiet_until}
        plan.actions[:] = [
            action
            for action in plan.actions
            if not (action[3][0] == "step" and action[3][1] in silenced)
        ]
        contacts[:] = [(day, key) for day, key in contacts if key not in silenced]

    def _housing(self) -> None:
        rng, opened = self.rng, self._plan.opened
        for _ in range(rng.choice((1, 2, 2, 3))):
            self._step(self._between(opened, self.last), "housing.advocacy")
        secured = self._step(
            self._between(opened - 10, opened + 20),
            "housing.accommodation_secured",
            {"tenure": rng.choice(("emergency", "safe_house", "safe_house"))},
        )
        if rng.random() < 0.85:
            secured = self._step(
                self._after(secured, 30, 180),
                "housing.accommodation_secured",
                {"tenure": rng.choice(("temporary", "supported"))},
            )
        if rng.random() < 0.36:
            self._step(
                self._after(secured, 60, 540),
                "housing.accommodation_secured",
                {"tenure": "permanent"},
            )
        if rng.random() < 0.4:
            self._step(self._after(secured, 14, 120), "housing.housing_benefit_awarded")

    def _benefits(self) -> None:
        rng, opened = self.rng, self._plan.opened
        if rng.random() < 0.7:
            self._step(self._between(opened, opened + 90), "benefits.advocacy")
        if rng.random() < 0.3:
            self._step(self._between(opened + 90, self.last), "benefits.advocacy")
        if rng.random() < 0.85:
            claimed = self._step(
                self._between(opened + 7, opened + 120), "benefits.claim_made"
            )
            decided = self._after(claimed, 21, 120)
            if rng.random() < 0.75:
                self._step(decided, "benefits.awarded")
            elif rng.random() < 0.8:
                self._step(decided, "benefits.refused")

    def _nrm(self) -> None:
        rng, opened = self.rng, self._plan.opened
        if rng.random() >= 0.9:
            return
        # Many survivors were referred by a first responder before the case here.
        referred = self._step(self._between(opened - 90, opened + 60), "nrm.referred")
        if rng.random() < 0.95:
            self._step(
                self._after(referred, 5, 45),
                "nrm.reasonable_grounds_decision",
                {"outcome": "positive" if rng.random() < 0.9 else "negative"},
            )
        if rng.random() < 0.8:
            self._step(
                self._after(referred, 90, 720),
                "nrm.conclusive_grounds_decision",
                {"outcome": "positive" if rng.random() < 0.85 else "negative"},
            )

    def _immigration(self) -> None:
        rng, opened = self.rng, self._plan.opened
        if rng.random() < 0.6:
            self._step(
                self._between(opened, opened + 120), "immigration.advice_accessed"
            )
        if rng.random() < 0.4:
            lodged = self._step(
                self._between(opened - 180, opened + 180),
                "immigration.asylum_claim_lodged",
            )
            if rng.random() < 0.6:
                outcome = rng.choices(
                    (
                        "refugee_status",
                        "humanitarian_protection",
                        "discretionary_leave",
                        "other_leave",
                        "refused",
                    ),
                    (50, 5, 10, 5, 30),
                )[0]
                # Leave of another kind decides another application, not
                # the asylum claim.
                self._step(
                    self._after(lodged, 90, 720),
                    "immigration.decision",
                    {"outcome": outcome, "asylum_claim": outcome != "other_leave"},
                )

    def _health_and_legal(self) -> None:
        rng, opened = self.rng, self._plan.opened
        if rng.random() < 0.7:
            self._step(self._between(opened, opened + 60), "health.gp_registered")
        if rng.random() < 0.4:
            self._step(
                self._between(opened + 14, self.last),
                "health.mental_health_support_accessed",
            )
        if rng.random() < 0.3:
            self._step(self._between(opened, self.last), "health.referral")
        if rng.random() < 0.4:
            self._step(self._between(opened, opened + 90), "legal.legal_aid_secured")
        if rng.random() < 0.6:
            self._step(
                self._between(opened - 60, opened + 60),
                "account.disclosure",
                {"to_whom": rng.choice(DISCLOSED_TO)},
            )
        if rng.random() < 0.3:
            self._step(self._between(opened, opened + 30), "safety.risk_identified")
        if rng.random() < 0.15:
            self._step(
                self._between(opened, opened + 30), "safety.safeguarding_referral"
            )

    def _compensation(self) -> None:
        rng, opened = self.rng, self._plan.opened
        if rng.random() >= 0.25:
            return
        submitted = self._step(
            self._between(opened + 30, self.last),
            "compensation.cica_application_submitted",
        )
        if rng.random() >= 0.7:
            return
        outcome = rng.choices(
            ("award", "nil_award", "refused", "withdrawn"), (55, 15, 25, 5)
        )[0]
        amount = None
        if outcome == "award" and rng.random() < 0.9:
            amount = rng.choices(CICA_AWARDS, CICA_AWARD_WEIGHTS)[0]
        decided = self._step(
            self._after(submitted, 90, 420),
            "compensation.cica_decision",
            {"outcome": outcome, "amount": amount},
        )
        if amount is not None and rng.random() < 0.7:
            self._step(
                self._after(decided, 14, 90),
                "compensation.award_received",
                {"amount": amount, "source": "cica"},
            )

    def _criminal_justice(self) -> None:
        rng, opened = self.rng, self._plan.opened
        if rng.random() >= 0.1:
            return
        called = self._step(
            self._between(opened + 30, self.last), "criminal_justice.witness_called"
        )
        if rng.random() >= 0.85:
            return
        attended = self._step(
            self._after(called, 60, 365), "criminal_justice.trial_attended"
        )
        self._step(
            self._after(attended, 0, 21), "criminal_justice.verdict", self._verdict()
        )

    def _verdict(self) -> dict[str, Any]:
        """A verdict's payload: in a shared prosecution, one of its defendants'
        (the same outcome in every survivor's case); otherwise this case's own
        prosecution's, with references or, now and then, without."""
        rng = self.rng
        draw = rng.random()
        if draw < SHARED_VERDICT_SHARE:
            prosecution = rng.randint(1, SHARED_PROSECUTIONS)
            defendant = rng.randint(1, DEFENDANTS_PER_SHARED_PROSECUTION)
            fixed = random.Random(f"verdict-{prosecution}-{defendant}")
            return {
                "outcome": fixed.choices(VERDICT_OUTCOMES, VERDICT_OUTCOME_WEIGHTS)[0],
                "trafficking_offence": fixed.random() < 0.8,
                "prosecution_ref": f"OP-{prosecution:02}",
                "defendant_ref": f"D-{defendant:02}",
            }
        verdict: dict[str, Any] = {
            "outcome": rng.choices(VERDICT_OUTCOMES, VERDICT_OUTCOME_WEIGHTS)[0],
            "trafficking_offence": rng.random() < 0.8,
        }
        if draw >= SHARED_VERDICT_SHARE + UNREFERENCED_VERDICT_SHARE:
            verdict["prosecution_ref"] = f"P-{self._plan.number:06}"
            verdict["defendant_ref"] = "D-01"
        return verdict

    def _own_conviction(self) -> None:
        rng, opened = self.rng, self._plan.opened
        if rng.random() >= 0.05:
            return
        # Usually a conviction from the time of exploitation, learnt of later.
        convicted = self._step(
            self._between(opened - 1500, opened + 90),
            "own_conviction.convicted",
            {"sentence": rng.choice(("custodial", "suspended", "community", "fine"))},
        )
        if convicted is not None and rng.random() < 0.3:
            self._step(
                self._between(max(convicted, opened) + 90, self.last),
                "own_conviction.conviction_overturned",
            )

    def _later_life(self) -> None:
        rng, plan, opened = self.rng, self._plan, self._plan.opened
        middle = opened + (self.last - opened) // 2
        if rng.random() < 0.35:
            self._step(self._between(middle, self.last), "employment.employment_gained")
        if rng.random() < 0.2:
            self._step(self._between(opened, self.last), "employment.training_started")
        if rng.random() < 0.2:
            self._step(
                self._between(opened, self.last), "employment.education_enrolled"
            )
        if rng.random() < 0.03:
            self._step(self._between(opened + 30, self.last), "safety.re_exploited")
        if rng.random() < 0.1:
            jurisdiction = plan.jurisdiction
            details: dict[str, Any] = {"jurisdiction": None}
            if rng.random() < 0.15:
                jurisdiction = rng.choice(
                    [j for j in JURISDICTION_WEIGHTS if j != plan.jurisdiction]
                )
                details["jurisdiction"] = jurisdiction.value
            details["local_authority"] = rng.choice(
                [
                    authority
                    for authority in LOCAL_AUTHORITIES[jurisdiction]
                    if authority != plan.local_authority
                ]
            )
            self._step(
                self._between(opened + 30, self.last), "transition.moved_area", details
            )

    def _correct_contact(self, contact: tuple[int, str]) -> None:
        recorded, key = contact
        corrected = self._after(recorded, 1, 30)
        occurred = self._day_text_of(recorded - 1)
        mode = self.rng.choice(CONTACT_MODES)
        self._act(
            corrected,
            AMEND,
            (
                "correct",
                key,
                "engagement.contact",
                occurred,
                {"mode": mode},
                "The call log gives the day before.",
            ),
        )

    def _transfer(self) -> None:
        rng, plan = self.rng, self._plan
        day = self._between(plan.opened + 60, self.last)
        if day is None:
            return
        to = rng.choice([o for o in ORGANISATIONS if o != plan.organisation_id])
        self._act(day, CASE_CHANGE, ("transfer", to, "The survivor moved away."))
        self._act(day, CASE_CHANGE, ("advocate", self._advocate(to), "Transferred."))

    def _reopening(self) -> None:
        closed, self.last = self.last, self._last_recording
        reopened = self._between(closed + 30, closed + 365)
        if reopened is None:
            return
        self._act(reopened, REOPEN, ("reopen", "The survivor asked for support again."))
        self._plan.closed = False
        contact = self._between(reopened + 1, reopened + 30)
        if contact is not None:
            mode = self.rng.choices(CONTACT_MODES, CONTACT_MODE_WEIGHTS)[0]
            self._step(contact, "engagement.contact", {"mode": mode}, lag=False)

    # Mechanics

    def _step(
        self,
        occurred: int | None,
        kind: str,
        details: dict[str, Any] | None = None,
        *,
        key: str | None = None,
        lag: bool = True,
    ) -> int | None:
        """Plans a step that happened on ``occurred`` (skipped when None, or when
        past the case's life) and returns that day, for the steps that follow it.
        It is recorded that day (the case's opening day, for an earlier step) or,
        with ``lag``, often a few days later."""
        if occurred is None or occurred > self.last:
            return None
        recorded = max(occurred, self._plan.opened)
        if lag:
            roll = self.rng.random()
            if roll >= 0.6:
                recorded += self.rng.randint(1, 3) if roll < 0.9 else 7
            recorded = min(recorded, self.last)
        # One date in twenty is known to the month only.
        text = (
            self._month_text_of(occurred)
            if self.rng.random() < 0.05
            else self._day_text_of(occurred)
        )
        self._act(recorded, STEP, ("step", key, kind, text, details or {}))
        return occurred

    def _act(self, day: int | None, what: int, arguments: tuple[Any, ...]) -> None:
        if day is None:
            return
        self._sequence += 1
        self._plan.actions.append((day, what, self._sequence, arguments))

    def _between(self, first: int, last: int) -> int | None:
        """A day from ``first`` to ``last`` (no later than the case's life), or
        None when there is none."""
        last = min(last, self.last)
        return self.rng.randint(first, last) if first <= last else None

    def _after(self, day: int | None, least: int, most: int) -> int | None:
        return None if day is None else self._between(day + least, day + most)

    def _born(self, opened: int) -> str:
        age_in_months = 16 * 12 + int(self.rng.betavariate(2, 4) * 44 * 12)
        opening = date.fromordinal(opened)
        months = opening.year * 12 + opening.month - 1 - age_in_months
        return f"{months // 12:04}-{months % 12 + 1:02}"

    def _advocate(self, organisation_id: str, other_than: str | None = None) -> str:
        while True:
            number = self.rng.randint(1, ADVOCATES_PER_ORGANISATION)
            advocate_id = f"{organisation_id}-adv-{number:02}"
            if advocate_id != other_than:
                return advocate_id

    def _day_text_of(self, day: int) -> str:
        text = self._day_text.get(day)
        if text is None:
            text = self._day_text[day] = date.fromordinal(day).isoformat()
        return text

    def _month_text_of(self, day: int) -> str:
        text = self._month_text.get(day)
        if text is None:
            text = self._month_text[day] = date.fromordinal(day).isoformat()[:7]
        return text


# Recording a planned case with the real aggregate


class CaseRecorder:
    """Builds each planned case with ``SurvivorCase``'s own commands."""

    def __init__(self, clock: SyntheticClock) -> None:
        self.clock = clock
        self._provenance: dict[str, Provenance] = {}
        self._readings: dict[tuple[Any, ...], StepReading] = {}

    def record(self, plan: CasePlan) -> SurvivorCase:
        clock = self.clock
        clock.start_case()
        clock.move_to(plan.opened)
        by = self._by(plan.advocate_id)
        case = SurvivorCase.open(
            reference=f"{REFERENCE_PREFIX}-{plan.number:06}",
            organisation_id=plan.organisation_id,
            jurisdiction=plan.jurisdiction.value,
            local_authority=plan.local_authority,
            opened_on=date.fromordinal(plan.began),
            by=by,
        )
        clock.move_to(plan.opened)
        born = parse_occurred(plan.born, date.fromordinal(plan.opened), "born")
        assert born is not None
        case.record_date_of_birth(born, by)
        if plan.evaluation_consent:
            clock.move_to(plan.opened)
            case.give_consent(EVALUATION, None, date.fromordinal(plan.began), by)
        clock.move_to(plan.opened)
        case.assign_advocate(plan.advocate_id, None, by)
        step_ids: dict[str, UUID] = {}
        for day, _, _, arguments in plan.actions:
            clock.move_to(day)
            by = self._by(case.advocate_id or plan.advocate_id)
            what = arguments[0]
            if what == "step":
                _, key, kind, occurred, details = arguments
                step_id = case.record_step(
                    self._reading(kind, occurred, details, day), by
                )
                if key is not None:
                    step_ids[key] = step_id
            elif what == "correct":
                _, key, kind, occurred, details, reason = arguments
                reading = self._reading(kind, occurred, details, day)
                case.correct_step(step_ids[key], reading, reason, by)
            elif what == "retract":
                _, key, reason = arguments
                case.retract_step(step_ids[key], reason, by)
            elif what == "withdraw":
                case.withdraw_consent(EVALUATION, None, date.fromordinal(day), by)
            elif what == "advocate":
                _, advocate_id, note = arguments
                case.assign_advocate(advocate_id, note, by)
            elif what == "transfer":
                _, to, reason = arguments
                case.transfer(to, reason, by)
            elif what == "close":
                case.close(arguments[1], by)
            elif what == "reopen":
                case.reopen(arguments[1], by)
            else:  # pragma: no cover - the planner makes no other actions
                raise AssertionError(what)
        return case

    def _reading(
        self, kind: str, occurred: str, details: dict[str, Any], day: int
    ) -> StepReading:
        # A reading depends on its input alone but for the check that it is not
        # in the future; parsing its date is most of its cost, and a cohort has
        # a few thousand days: each input is read once, and again only to raise
        # the error the application would if the step were after ``day``.
        key = (kind, occurred, *details.items())
        today = date.fromordinal(day)
        reading = self._readings.get(key)
        if reading is None or (
            reading.occurred is not None and reading.occurred.is_after(today)
        ):
            reading = self._readings[key] = StepReading.from_input(
                kind=kind,
                occurred=occurred,
                summary=SUMMARIES[kind],
                details=details,
                sources=None,
                order=None,
                today=today,
            )
        return reading

    def _by(self, advocate_id: str) -> Provenance:
        by = self._provenance.get(advocate_id)
        if by is None:
            by = self._provenance[advocate_id] = Provenance(advocate_id)
        return by


# Generating


@dataclass
class _Tally:
    """What the cases built so far add up to."""

    cases: int = 0
    events: int = 0
    consenting: int = 0
    withdrawn: int = 0
    closed: int = 0
    steps_by_kind: Counter[str] = field(default_factory=Counter)

    def add(self, plan: CasePlan, events: int) -> None:
        self.cases += 1
        self.events += events
        self.consenting += int(plan.evaluation_consent and not plan.consent_withdrawn)
        self.withdrawn += int(plan.consent_withdrawn)
        self.closed += int(plan.closed)
        self.steps_by_kind.update(
            action[3][2] for action in plan.actions if action[3][0] == "step"
        )


#: Batches of stored events, each with the number of cases built up to its end.
Batches = Generator[tuple[int, list[StoredEvent]], None, None]


def generate(
    journeys: CaseJourneys,
    *,
    cases: int,
    seed: int = 1,
    batch_events: int = 5000,
    progress: Callable[[int, int], None] | None = None,
    in_child_process: bool = True,
) -> CohortStats:
    """Writes ``cases`` synthetic cases into ``journeys``' store, the same ones
    for the same ``seed``, in batches of whole cases of about ``batch_events``
    events; calls ``progress(cases, events)`` after writing each batch.

    With ``in_child_process`` (where processes can fork), a forked child builds
    the cases while this process writes them: each takes about a core, and the
    driver turns a batch into SQL in Python, holding the interpreter lock. The
    child alone then stamps events with the synthetic clock.
    """
    if cases < 0:
        raise ValueError("cases cannot be negative")
    if batch_events < 1:
        raise ValueError("batch_events must be at least 1")
    started = time.perf_counter()
    tally = _Tally()
    forking = (
        in_child_process
        and "fork" in multiprocessing.get_all_start_methods()
        # Keys a child made in its own memory would be lost to this process.
        and not getattr(getattr(journeys.mapper, "keyring", None), "in_memory", False)
    )
    built = _built_in_child if forking else _built_here
    insert_events = journeys.recorder.insert_events
    events = 0
    with built(journeys.mapper, cases, seed, batch_events, tally) as batches:
        for cases_built, batch in batches:
            insert_events(batch)
            events += len(batch)
            if progress is not None:
                progress(cases_built, events)
    seconds = time.perf_counter() - started
    assert (tally.cases, tally.events) == (cases, events)
    return CohortStats(
        cases=cases,
        events=events,
        seconds=seconds,
        events_per_second=events / seconds if seconds > 0 else 0.0,
        consenting_cases=tally.consenting,
        consent_withdrawn_cases=tally.withdrawn,
        closed_cases=tally.closed,
        steps_by_kind=dict(sorted(tally.steps_by_kind.items())),
    )


def _build(
    mapper: Mapper[UUID], cases: int, seed: int, batch_events: int, tally: _Tally
) -> Batches:
    """Builds the cohort's cases in order and maps their events for the store."""
    planner = CasePlanner(random.Random(seed))
    to_stored_event = mapper.to_stored_event
    with synthetic_time(seed) as clock:
        recorder = CaseRecorder(clock)
        batch: list[StoredEvent] = []
        for number in range(1, cases + 1):
            plan = planner.plan(number)
            events = recorder.record(plan).collect_events()
            batch.extend(to_stored_event(event) for event in events)
            tally.add(plan, len(events))
            # Whole cases only in a batch: an interrupted run leaves no half case.
            if len(batch) >= batch_events or number == cases:
                yield number, batch
                batch = []


@contextmanager
def _built_here(
    mapper: Mapper[UUID], cases: int, seed: int, batch_events: int, tally: _Tally
) -> Iterator[Batches]:
    batches = _build(mapper, cases, seed, batch_events, tally)
    with closing(batches):  # ends the synthetic time, however the loop ends
        yield batches


@contextmanager
def _built_in_child(
    mapper: Mapper[UUID], cases: int, seed: int, batch_events: int, tally: _Tally
) -> Iterator[Batches]:
    context = multiprocessing.get_context("fork")
    # A few batches wait at most: memory stays bounded if the database is slow.
    queue: multiprocessing.Queue[tuple[str, Any]] = context.Queue(maxsize=4)
    # Forked, the child shares the mapper as it is; it touches nothing else of
    # the application (none of its connections).
    child = context.Process(
        target=_build_into,
        args=(queue, mapper, cases, seed, batch_events),
        name="cohort-builder",
        daemon=True,
    )
    child.start()
    try:
        yield _received(queue, child, tally)
    finally:
        if child.is_alive():
            child.terminate()  # the parent stopped early: nobody reads on
        child.join()
        queue.close()


def _build_into(
    queue: multiprocessing.Queue[tuple[str, Any]],
    mapper: Mapper[UUID],
    cases: int,
    seed: int,
    batch_events: int,
) -> None:
    tally = _Tally()
    try:
        for item in _build(mapper, cases, seed, batch_events, tally):
            queue.put(("batch", item))
        queue.put(("done", tally))
    except BaseException as error:
        queue.put(("failed", "".join(traceback.format_exception(error))))


def _received(
    queue: multiprocessing.Queue[tuple[str, Any]],
    child: multiprocessing.process.BaseProcess,
    tally: _Tally,
) -> Batches:
    while True:
        try:
            what, payload = queue.get(timeout=1)
        except Empty:
            if child.is_alive():
                continue
            raise RuntimeError(
                f"the process building the cohort ended ({child.exitcode})"
            ) from None
        if what == "batch":
            yield payload
        elif what == "done":
            vars(tally).update(vars(payload))
            return
        else:
            raise RuntimeError(f"building the cohort failed:\n{payload}")


# The command line


def journeys_for(database_url: str) -> CaseJourneys:
    """The application on ``database_url``, its PostgreSQL schema made if need be."""
    env = persistence_env({DATABASE_URL: database_url}, default_sqlite_path="")
    schema = env.get("POSTGRES_SCHEMA")
    if env["PERSISTENCE_MODULE"] == "eventsourcing.postgres" and schema:
        _create_schema(env, schema)
    owner_only_sqlite(env)
    return CaseJourneys(env=env)


def _create_schema(env: Mapping[str, str], schema: str) -> None:
    with psycopg.connect(
        host=env["POSTGRES_HOST"],
        port=env["POSTGRES_PORT"],
        dbname=env["POSTGRES_DBNAME"],
        user=env["POSTGRES_USER"] or None,
        password=env["POSTGRES_PASSWORD"] or None,
        autocommit=True,
        connect_timeout=5,
    ) as connection:
        connection.execute(
            sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema))
        )


def main(argv: Sequence[str] | None = None) -> CohortStats:
    parser = argparse.ArgumentParser(
        prog="python -m demo.cohort",
        description="Writes a synthetic cohort of survivor cases into the store.",
    )
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--database-url",
        default=os.environ.get(DATABASE_URL) or None,
        help="postgresql://USER@HOST:PORT/DBNAME?schema=SCHEMA, sqlite:///PATH or "
        f"memory:// (default {DATABASE_URL})",
    )
    parser.add_argument("--batch-events", type=int, default=5000)
    args = parser.parse_args(argv)
    if args.cases < 1 or args.batch_events < 1:
        parser.error("--cases and --batch-events must be at least 1")
    if not args.database_url:
        parser.error(f"give --database-url or set {DATABASE_URL}")
    journeys = journeys_for(args.database_url)
    started = time.perf_counter()
    reported = [started]

    def report(cases: int, events: int) -> None:
        now = time.perf_counter()
        if now - reported[0] >= 5 or cases == args.cases:
            reported[0] = now
            rate = events / (now - started) if now > started else 0.0
            print(
                f"  {cases:,}/{args.cases:,} cases, {events:,} events, "
                f"{rate:,.0f} events/s",
                flush=True,
            )

    print(f"Generating {args.cases:,} cases (seed {args.seed}) ...", flush=True)
    try:
        stats = generate(
            journeys,
            cases=args.cases,
            seed=args.seed,
            batch_events=args.batch_events,
            progress=report,
        )
    finally:
        journeys.close()
    print(
        f"{stats.cases:,} cases, {stats.events:,} events "
        f"({stats.events_per_case:.1f} a case) in {stats.seconds:.1f} s: "
        f"{stats.events_per_second:,.0f} events/s\n"
        f"consent to evaluation standing: {stats.consenting_cases:,} cases "
        f"({stats.consent_withdrawn_cases:,} withdrew it); "
        f"closed: {stats.closed_cases:,}"
    )
    for kind, count in stats.steps_by_kind.items():
        print(f"  {kind:45} {count:>10,}")
    return stats


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except IntegrityError:
        sys.exit(
            "error: the store already holds cases of this seed; "
            "use another seed or a fresh schema"
        )
    except KeyboardInterrupt:
        sys.exit("interrupted: the batches written so far hold whole cases")
