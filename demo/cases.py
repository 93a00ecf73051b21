"""Synthetic demo cases, shaped on the journeys in the policy paper.

Every case is pseudonymous and every fact is invented: references such as
``MAUREEN-D1``, advocates such as ``adv-north-03``, fictional local authorities.
The journeys follow the paper's stories of Maureen, Jin and a multi-victim
prosecution like Operation Fort, in the neutral words of a chronology for counsel.

Each command is recorded on a day of the journey (``_RecordingDays``), so the log
shows what an advocate's record shows in life: an account disclosed years after
the events it describes, steps entered late from other agencies' records, a date
corrected when a letter arrives. A chronology "as at" any of those days is the
record as it then stood.

Loading is idempotent: every command carries an idempotency key, so loading the
demo again answers each command with its first result and records nothing new.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from unittest import mock
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from demo.cohort import generate
from demo.stamping import events_stamped_by
from domain.application import CaseJourneys, CommandResult, StepInput
from domain.dates import UK, UncertainDate

#: The organisation a newcomer's token is for: Maureen's and Jin's cases are here.
DEMO_ORGANISATION = "org-north"
#: The organisation of the prosecution cases.
DEMO_PROSECUTION_ORGANISATION = "org-south"
#: The advocate who holds Maureen's and Jin's cases once the demo has loaded.
DEMO_ADVOCATE = "adv-north-07"
#: A barrister with a CICA share of one prosecution case (FORT-D3): they read
#: its CICA chronology and evidence pack, and nothing else.
DEMO_COUNSEL = "counsel-demo-1"
DEMO_SHARED_CASE = "FORT-D3"
#: How long the demo's share runs from the day the demo is loaded.
DEMO_SHARE_DAYS = 90

#: Case ids derive from it (the README's examples name MAUREEN-D1's): keep it.
_KEY_PREFIX = "demo-v1"
#: A day's recording starts at this hour, UK time, its commands a few minutes apart.
_WORKING_DAY_STARTS_AT = time(10)
_MINUTES_BETWEEN_COMMANDS = timedelta(minutes=3)
#: How long after a step an advocate records it, when the demo does not say.
_RECORDING_LAG = timedelta(days=3)


@dataclass(frozen=True)
class DemoCase:
    reference: str
    case_id: UUID
    organisation_id: str


@dataclass(frozen=True)
class DemoSummary:
    cases: tuple[DemoCase, ...]
    #: Commands that recorded something new in this load.
    recorded: int
    #: Commands answered from an earlier load (nothing recorded).
    already_present: int
    #: The log position once the demo is loaded.
    position: int

    def case_id(self, reference: str) -> UUID:
        for case in self.cases:
            if case.reference == reference:
                return case.case_id
        raise KeyError(reference)


@dataclass
class _Tally:
    recorded: int = 0
    already_present: int = 0

    def count(self, result: CommandResult) -> CommandResult:
        if result.replayed:
            self.already_present += 1
        else:
            self.recorded += 1
        return result


class _RecordingDays:
    """The demo's clock: the day each command is recorded, set as a story goes.

    Events are stamped from 10:00 UK time on their day, a few minutes apart, and
    the application's "today" is that day, so no step is recorded before it
    happened. A case's days never go back: its events keep their order in time.
    """

    def __init__(self) -> None:
        self.day = date.min
        self._moment = datetime.min.replace(tzinfo=UTC)

    def start_case(self, day: date) -> None:
        self.day, self._moment = day, datetime.min.replace(tzinfo=UTC)
        self.on(day)

    def on(self, day: date) -> None:
        if day < self.day:
            raise ValueError(f"a demo case goes back in time, to {day}")
        self.day = day
        morning = datetime.combine(day, _WORKING_DAY_STARTS_AT, UK).astimezone(UTC)
        self._moment = max(self._moment, morning - _MINUTES_BETWEEN_COMMANDS)

    def today(self) -> date:
        return self.day

    def now(self) -> datetime:
        self._moment += _MINUTES_BETWEEN_COMMANDS
        return self._moment


def _recorded_after(occurred: str | None, not_before: date) -> date:
    """When an advocate records a step, if the story does not say: a few days
    after its last day when that is known to the month, otherwise a few days
    after its first (a year or a period recalled later); never before
    ``not_before``."""
    if occurred is None:
        return not_before
    when = UncertainDate.parse(occurred)
    first, last = when.earliest or when.latest, when.latest or when.earliest
    assert first is not None and last is not None
    known = last if (last - first).days <= 31 else first
    return max(not_before, known + _RECORDING_LAG)


@dataclass
class _DemoCase:
    """Records one demo case, giving each command a stable idempotency key."""

    journeys: CaseJourneys
    tally: _Tally
    days: _RecordingDays
    key: str
    case_id: UUID
    recorded_by: str
    documents: dict[str, UUID] = field(default_factory=dict)

    @classmethod
    def open(
        cls,
        journeys: CaseJourneys,
        tally: _Tally,
        days: _RecordingDays,
        *,
        on: str,
        key: str,
        reference: str,
        organisation_id: str,
        local_authority: str,
        recorded_by: str,
    ) -> _DemoCase:
        days.start_case(date.fromisoformat(on))
        result = tally.count(
            journeys.open_case(
                reference=reference,
                organisation_id=organisation_id,
                jurisdiction="england_and_wales",
                local_authority=local_authority,
                recorded_by=recorded_by,
                idempotency_key=f"{_KEY_PREFIX}:{key}:open",
            )
        )
        return cls(journeys, tally, days, key, result.case_id, recorded_by)

    def _key(self, command: str, label: str) -> str:
        return f"{_KEY_PREFIX}:{self.key}:{command}:{label}"

    def on(self, day: str) -> None:
        """The commands that follow are recorded on ``day`` (ISO 8601)."""
        self.days.on(date.fromisoformat(day))

    def as_advocate(self, advocate_id: str) -> None:
        self.recorded_by = advocate_id

    def assign(self, label: str, advocate_id: str, note: str | None = None) -> None:
        self.tally.count(
            self.journeys.assign_advocate(
                self.case_id,
                advocate_id,
                note=note,
                recorded_by=self.recorded_by,
                idempotency_key=self._key("assign", label),
            )
        )

    def consent(self, purpose: str, note: str) -> None:
        self.tally.count(
            self.journeys.give_consent(
                self.case_id,
                purpose,
                note=note,
                recorded_by=self.recorded_by,
                idempotency_key=self._key("consent", purpose),
            )
        )

    def share_with_counsel(self, counsel: str, purpose: str, days: int) -> None:
        """A share from today, unless one for that counsel and purpose is live
        (so loading again, on any day, shares nothing new)."""
        access = self.journeys.case_access(self.case_id)
        if any(s.purpose == purpose for s in access.live_shares(counsel)):
            self.tally.already_present += 1
            return
        expires_on = self.journeys.today() + timedelta(days=days)
        self.tally.count(
            self.journeys.share_with_counsel(
                self.case_id,
                counsel=counsel,
                purpose=purpose,
                expires_on=expires_on,
                recorded_by=self.recorded_by,
                idempotency_key=self._key("share", f"{counsel}:{expires_on}"),
            )
        )

    def born(self, born: str) -> None:
        self.tally.count(
            self.journeys.record_date_of_birth(
                self.case_id,
                born,
                recorded_by=self.recorded_by,
                idempotency_key=self._key("born", "date-of-birth"),
            )
        )

    def evidence(
        self, label: str, title: str, document_kind: str, bundle_ref: str
    ) -> None:
        result = self.tally.count(
            self.journeys.attach_evidence(
                self.case_id,
                title=title,
                document_kind=document_kind,
                bundle_ref=bundle_ref,
                recorded_by=self.recorded_by,
                idempotency_key=self._key("evidence", label),
            )
        )
        self.documents[label] = result.id

    def cite(self, label: str, pin: str) -> dict[str, str]:
        """A source naming attached evidence by id, with a pin cite."""
        return {"document": str(self.documents[label]), "pin": pin}

    def step(
        self,
        label: str,
        kind: str,
        occurred: str | None,
        summary: str,
        details: Mapping[str, Any] | None = None,
        sources: Sequence[Mapping[str, Any]] = (),
        order: int | None = None,
    ) -> UUID:
        result = self.tally.count(
            self.journeys.record_step(
                self.case_id,
                StepInput(
                    kind=kind,
                    occurred=occurred,
                    summary=summary,
                    details=details,
                    sources=list(sources),
                    order=order,
                ),
                recorded_by=self.recorded_by,
                idempotency_key=self._key("step", label),
            )
        )
        return result.id

    def correct(
        self,
        label: str,
        step_id: UUID,
        kind: str,
        occurred: str | None,
        summary: str,
        *,
        reason: str,
        details: Mapping[str, Any] | None = None,
        sources: Sequence[Mapping[str, Any]] = (),
    ) -> None:
        self.tally.count(
            self.journeys.correct_step(
                self.case_id,
                step_id,
                StepInput(
                    kind=kind,
                    occurred=occurred,
                    summary=summary,
                    details=details,
                    sources=list(sources),
                ),
                reason=reason,
                recorded_by=self.recorded_by,
                idempotency_key=self._key("correct", label),
            )
        )

    def retract(self, label: str, step_id: UUID, reason: str) -> None:
        self.tally.count(
            self.journeys.retract_step(
                self.case_id,
                step_id,
                reason=reason,
                recorded_by=self.recorded_by,
                idempotency_key=self._key("retract", label),
            )
        )

    def dispute(
        self,
        label: str,
        step_id: UUID,
        *,
        disputed_by: str,
        other_version: str,
        other_occurred: str | None = None,
        sources: Sequence[Mapping[str, Any]] = (),
    ) -> None:
        self.tally.count(
            self.journeys.dispute_step(
                self.case_id,
                step_id,
                disputed_by=disputed_by,
                other_version=other_version,
                other_occurred=other_occurred,
                sources=list(sources),
                recorded_by=self.recorded_by,
                idempotency_key=self._key("dispute", label),
            )
        )

    def summary(self) -> DemoCase:
        case = self.journeys.case_summary(self.case_id)
        return DemoCase(case.reference, case.id, case.organisation_id)


#: Synthetic cases beside the stories, so an evaluator sees figures, not only
#: suppressed cells; opened from April 2022, in organisations org-01 to org-24.
DEMO_COHORT = 400
DEMO_COHORT_SEED = 2026


def load_cohort(journeys: CaseJourneys, cases: int = DEMO_COHORT) -> int:
    """Records the demo's synthetic evaluation cohort; returns how many events
    were recorded (0: it was loaded before, and nothing is duplicated)."""
    try:
        stats = generate(
            journeys, cases=cases, seed=DEMO_COHORT_SEED, in_child_process=False
        )
    except IntegrityError:
        # The seed's first cases are there already: a whole batch is refused.
        return 0
    return stats.events


def load_demo(journeys: CaseJourneys) -> DemoSummary:
    """Records the demo cases, each on the days of its journey; a second load
    records nothing new."""
    tally, days = _Tally(), _RecordingDays()
    with (
        events_stamped_by(days.now),
        mock.patch.object(journeys, "today", days.today),
    ):
        cases = [
            _maureen(journeys, tally, days),
            _jin(journeys, tally, days),
            *_prosecution(journeys, tally, days),
        ]
    # The share runs from the day the demo is loaded, not a day of the journey,
    # so counsel can read it now.
    for case in cases:
        if case.summary().reference == DEMO_SHARED_CASE:
            case.share_with_counsel(DEMO_COUNSEL, "cica", DEMO_SHARE_DAYS)
    return DemoSummary(
        cases=tuple(case.summary() for case in cases),
        recorded=tally.recorded,
        already_present=tally.already_present,
        position=journeys.log_position(),
    )


def _maureen(journeys: CaseJourneys, tally: _Tally, days: _RecordingDays) -> _DemoCase:
    """A negative RG on a dictated account; the truth told later, with an advocate."""
    case = _DemoCase.open(
        journeys,
        tally,
        days,
        on="2016-04-04",
        key="maureen",
        reference="MAUREEN-D1",
        organisation_id=DEMO_ORGANISATION,
        local_authority="Northbury",
        recorded_by="adv-north-03",
    )
    case.assign(
        "assign", "adv-north-03", "Allocated at referral from the first responder"
    )
    case.consent(
        "record_keeping", "Explained with an interpreter; consent given orally"
    )
    case.consent("evaluation", "Agreed to pseudonymous inclusion in the evaluation")
    case.evidence("referral-form", "NRM referral form", "form", "B/3")
    case.step(
        "first-account",
        "account.disclosure",
        "2016-03~",
        "Gave an account to the first responder at the referral interview. "
        "The referral form records that the person she was then living and "
        "working with was present.",
        {"to_whom": "first responder"},
        [case.cite("referral-form", "section 3")],
        order=1,
    )
    case.step(
        "referred",
        "nrm.referred",
        "2016-03~",
        "Referred into the NRM by the first responder.",
        sources=[case.cite("referral-form", "p. 1")],
        order=2,
    )

    case.on("2016-04-14")
    case.evidence("rg-letter", "Home Office RG decision letter", "letter", "B/12")
    negative_rg = case.step(
        "rg-negative",
        "nrm.reasonable_grounds_decision",
        "2016-04-12",
        "Negative reasonable grounds decision. The decision letter relies on the "
        "account given at the referral interview.",
        {"outcome": "negative"},
        [case.cite("rg-letter", "p. 2, paras 6-9")],
    )

    case.on("2016-05-10")
    case.step(
        "gp",
        "health.gp_registered",
        None,
        "Registered with a GP. The date is not known.",
    )

    # A year and more later, after her arrest, she gives another account.
    case.on("2017-08-15")
    case.step(
        "arrested",
        "own_conviction.arrested",
        "2017-08-14",
        "Arrested at her place of work on suspicion of using a false passport "
        "to obtain employment.",
        sources=[{"document": "Police custody record", "pin": "p. 1"}],
    )
    case.on("2017-08-16")
    case.step(
        "second-account",
        "account.disclosure",
        "2017-08-15",
        "Gave an account to immigration enforcement officers, with her advocate "
        "present. This account describes domestic work without pay from about "
        "2014 and differs from the account given in March 2016.",
        {"to_whom": "immigration enforcement, with her advocate"},
        [{"document": "Advocate's note of interview, 15 August 2017", "pin": "p. 1-4"}],
    )

    case.on("2017-09-05")
    case.evidence(
        "reconsideration",
        "Request for reconsideration of RG decision",
        "letter",
        "B/40",
    )
    case.step(
        "reconsideration",
        "nrm.reconsideration_requested",
        "2017-09-04",
        "The first responder requested reconsideration of the negative reasonable "
        "grounds decision, enclosing the account of 15 August 2017.",
        sources=[case.cite("reconsideration", "paras 1-12")],
    )
    case.dispute(
        "rg-disputed",
        negative_rg,
        disputed_by="Maureen, through her advocate",
        other_occurred="2016-04-12",
        other_version=(
            "She says the account the decision relied on was prepared for her by "
            "the person she was working for. Her account of 15 August 2017 "
            "describes domestic servitude from about 2014."
        ),
        sources=[
            {"document": "Advocate's note of interview, 15 August 2017", "pin": "p. 2"},
            case.cite("reconsideration", "para 4"),
        ],
    )

    case.on("2017-10-04")
    case.step(
        "s45",
        "own_conviction.statutory_defence_raised",
        "2017-09~",
        "Her solicitor raised the s.45 Modern Slavery Act 2015 defence in "
        "correspondence with the Crown Prosecution Service.",
    )
    case.step(
        "rg-positive",
        "nrm.reasonable_grounds_decision",
        "2017-10-02",
        "Positive reasonable grounds decision on reconsideration.",
        {"outcome": "positive"},
    )
    case.on("2017-11-01")
    case.step(
        "crime-reported",
        "criminal_justice.crime_reported",
        "2017-10",
        "Reported to the police that she had been held in domestic servitude.",
        {"crime_reference": "CR-DEMO-0417"},
    )
    case.on("2017-12-04")
    case.step(
        "asylum",
        "immigration.asylum_claim_lodged",
        "2017-11~",
        "Asylum claim lodged with the help of her immigration adviser.",
    )
    case.on("2018-01-23")
    case.evidence("abe-record", "ABE interview record (summary)", "transcript", "B/345")
    case.step(
        "abe",
        "criminal_justice.abe_interview",
        "2018-01-22",
        "Achieving Best Evidence interview with the police; her advocate attended "
        "as a supporter.",
        sources=[case.cite("abe-record", "p. 1")],
    )
    case.on("2018-02-01")
    case.consent("sharing_with_counsel", "For the criminal trial and the NRM matters")
    # The decision letter is undated: it is recorded when the advocate sees it.
    case.on("2018-06-04")
    case.step(
        "cg-positive",
        "nrm.conclusive_grounds_decision",
        "2018-03/2018-05",
        "Positive conclusive grounds decision. The letter is undated; it was "
        "received between March and May 2018.",
        {"outcome": "positive"},
    )
    case.on("2018-09-03")
    case.assign(
        "handover",
        DEMO_ADVOCATE,
        "Handed over when adv-north-03 left the organisation; a joint meeting with "
        "Maureen was held first.",
    )
    case.as_advocate(DEMO_ADVOCATE)
    case.on("2019-02-18")
    witness = case.step(
        "witness",
        "criminal_justice.witness_called",
        "2019-02",
        "Told the officer in the case that she agrees to give evidence; "
        "warned as a prosecution witness.",
    )
    case.on("2019-03-04")
    case.correct(
        "witness-corrected",
        witness,
        "criminal_justice.witness_called",
        "2019-02-11",
        "Told the officer in the case that she agrees to give evidence; "
        "warned as a prosecution witness.",
        reason="Exact date confirmed from the witness care unit's letter.",
        sources=[{"document": "Witness care unit letter", "pin": "p. 1"}],
    )
    case.on("2019-07-01")
    case.step(
        "refugee",
        "immigration.decision",
        "2019-06~",
        "Granted refugee status.",
        {"outcome": "refugee_status", "asylum_claim": True},
    )
    return case


def _jin(journeys: CaseJourneys, tally: _Tally, days: _RecordingDays) -> _DemoCase:
    """Trafficked at 15; an advocate from 18; a re-trafficking risk averted."""
    case = _DemoCase.open(
        journeys,
        tally,
        days,
        on="2018-04-09",
        key="jin",
        reference="JIN-D1",
        organisation_id=DEMO_ORGANISATION,
        local_authority="Northbury",
        recorded_by=DEMO_ADVOCATE,
    )
    case.assign(
        "assign",
        DEMO_ADVOCATE,
        "Allocated at 18, when support as a child ended. Earlier steps were "
        "recorded afterwards, from his account and from children's services records.",
    )
    case.consent("record_keeping", "Consent given at the first meeting")
    case.consent("evaluation", "Agreed to pseudonymous inclusion in the evaluation")
    case.born("2000-03")
    case.step(
        "turned-18",
        "transition.turned_18",
        "2018-03",
        "Turned 18. Support from children's services as an unaccompanied child ended.",
        order=1,
    )
    case.step(
        "guardian-ended",
        "transition.service_ended",
        "2018-03",
        "The Independent Child Trafficking Guardian service ended at 18.",
        {"service": "Independent Child Trafficking Guardian"},
        order=2,
    )
    case.on("2018-04-30")
    case.step(
        "disclosure",
        "account.disclosure",
        "2018-04",
        "Described to his advocate the period from the age of 15 until he was "
        "found by police. "
        "Steps before April 2018 on this record were entered from this account "
        "and from children's services records.",
        {"to_whom": "his advocate"},
    )
    housing = case.step(
        "housing",
        "housing.accommodation_secured",
        "2018-04",
        "Moved into accommodation arranged with the local authority.",
        {"tenure": "temporary"},
    )

    # His years as a child, entered from children's services' records.
    case.on("2018-05-08")
    case.evidence("la-records", "Children's services chronology", "records", "C/14")
    case.step(
        "identified",
        "safety.safeguarding_referral",
        "../2016",
        "Found by police, aged 15, at an address police linked to criminal "
        "exploitation, and referred to children's services. The exact date is not "
        "known.",
        sources=[case.cite("la-records", "p. 2")],
    )
    case.step(
        "nrm-child",
        "nrm.referred",
        "2016-02~",
        "Referred into the NRM as a child by children's services, as first "
        "responder. An Independent Child Trafficking Guardian was allocated.",
        sources=[case.cite("la-records", "p. 5")],
    )
    case.step(
        "asylum",
        "immigration.asylum_claim_lodged",
        "2016-05-10",
        "Asylum claim lodged, with his Independent Child Trafficking Guardian "
        "and a legal representative.",
        sources=[case.cite("la-records", "p. 7")],
    )
    case.step(
        "cg",
        "nrm.conclusive_grounds_decision",
        "2017-01~",
        "Positive conclusive grounds decision, as a child.",
        {"outcome": "positive"},
        [case.cite("la-records", "p. 9")],
    )
    case.on("2018-05-21")
    case.correct(
        "housing-corrected",
        housing,
        "housing.accommodation_secured",
        "2018-04",
        "Moved into supported accommodation arranged with the local authority.",
        reason="The housing provider confirmed the tenancy is supported "
        "accommodation, not temporary accommodation.",
        details={"tenure": "supported"},
    )
    case.on("2018-05-31")
    case.step(
        "immigration-advice",
        "immigration.advice_accessed",
        "2018-05",
        "Advocate arranged an appointment with an immigration adviser about the "
        "outstanding asylum claim.",
    )
    case.on("2019-02-04")
    missed = case.step(
        "disengaged",
        "engagement.disengaged",
        "2019-01~",
        "No contact with his advocate for several weeks.",
    )
    case.on("2019-02-11")
    case.retract(
        "disengaged-retracted",
        missed,
        "Entered in error: the appointments were rearranged by phone and contact "
        "continued throughout.",
    )
    case.on("2019-07-01")
    case.step(
        "risk",
        "safety.risk_identified",
        "2019-06~",
        "Told his advocate that an acquaintance had offered him a job. His "
        "advocate recognised the address as one police had linked to a cannabis "
        "farm; the risk of re-trafficking was discussed with him, he declined the "
        "offer and police were informed.",
    )
    case.on("2021-03-17")
    case.evidence(
        "asylum-letter", "Home Office asylum decision letter", "letter", "C/210"
    )
    case.step(
        "refugee",
        "immigration.decision",
        "2021-03-15",
        "Granted refugee status, almost five years after the asylum claim.",
        {"outcome": "refugee_status", "asylum_claim": True},
        [case.cite("asylum-letter", "p. 1")],
    )
    case.on("2021-10-04")
    case.step(
        "job",
        "employment.employment_gained",
        "2021-09",
        "Started work in a warehouse, on a contract checked with his advocate.",
    )
    case.on("2022-03-01")
    case.step(
        "home",
        "housing.accommodation_secured",
        "2022-02",
        "Signed a tenancy for his own home.",
        {"tenure": "permanent"},
    )
    return case


#: The prosecution's trials: when witnesses were warned, the listing, when they
#: attended and gave evidence, the verdict, and whether it was for trafficking.
_TRIALS = {
    "2019": ("2018-10~", "2019-01-14", "2019-02~", "2019-03-08", True),
    "2021": ("2020-11~", "2021-05-10", "2021-06~", "2021-07-02", True),
    "2024": ("2023-09~", "2024-02-05", "2024-03~", "2024-04-19", False),
}


@dataclass(frozen=True)
class _Survivor:
    number: int
    #: The day the advocate's case opened (ISO 8601).
    opened: str
    reported: str
    abe: str
    trials: tuple[str, ...]
    special_measures: bool
    cica: tuple[tuple[str, str, Mapping[str, Any] | None, str], ...]


_SURVIVORS = (
    _Survivor(
        1,
        "2015-10-05",
        "2015~",
        "2015-11",
        ("2019", "2021"),
        True,
        (
            ("application", "2019-09-02", None, "CICA application submitted."),
            (
                "decision",
                "2020-06-18",
                {"outcome": "award", "amount": "22000.00"},
                "CICA made an award.",
            ),
        ),
    ),
    _Survivor(
        2,
        "2015-12-07",
        "2015~",
        "2016-01",
        ("2019",),
        True,
        (
            ("application", "2019-11~", None, "CICA application submitted."),
            (
                "decision",
                "2021-02-09",
                {"outcome": "nil_award", "amount": None},
                "CICA made no award, citing an unspent conviction.",
            ),
            (
                "review",
                "2021-03-30",
                None,
                "Review requested; the request says the conviction concerned an "
                "offence committed under compulsion. The review is awaited.",
            ),
        ),
    ),
    _Survivor(
        3,
        "2016-07-04",
        "2016-03/2016-06",
        "2016-07",
        ("2019", "2024"),
        False,
        (("application", "2022-05-16", None, "CICA application submitted; awaited."),),
    ),
    _Survivor(
        4,
        "2016-08-01",
        "2016~",
        "2016-09",
        ("2021",),
        True,
        (
            ("application", "2021-11~", None, "CICA application submitted."),
            (
                "decision",
                "2023-01-12",
                {"outcome": "refused", "amount": None},
                "CICA refused the application as made outside the time limit.",
            ),
            (
                "review",
                "2023-02-27",
                None,
                "Review requested; the request sets out why an earlier application "
                "was not possible. The review is awaited.",
            ),
        ),
    ),
    _Survivor(5, "2017-03-06", "2017-02~", "2017-04", ("2024",), True, ()),
)

#: For some survivors, the steps a CICA claim and its clocks rest on: the harm
#: reported (with the offences), the injury, a diagnosis, a loss, and the
#: survivor's own conviction (it can reduce or bar an award). By survivor
#: number: (label, kind, occurred, summary, details).
_CLAIM_FACTS: dict[int, tuple[tuple[str, str, str, str, Mapping[str, Any]], ...]] = {
    2: (
        (
            "conviction",
            "own_conviction.convicted",
            "2014-09-12",
            "Convicted of producing cannabis at a property later linked to the "
            "investigation; a community order was made. The survivor says the "
            "work was done under compulsion.",
            {"sentence": "community"},
        ),
    ),
    3: (
        (
            "incident",
            "harm.incident",
            "2016-01/2016-06",
            "Reported being made to work without pay at the premises named in the "
            "indictment, and being assaulted there.",
            {"offences": ["forced labour", "assault occasioning actual bodily harm"]},
        ),
        (
            "injury",
            "harm.injury",
            "2016-01/2016-06",
            "Reported bruising and a fractured wrist from the assaults, and "
            "psychological harm (see the diagnosis of 8 November 2021).",
            {"nature": "physical_and_mental"},
        ),
        (
            "diagnosis",
            "health.diagnosis",
            "2021-11-08",
            "Diagnosed with post-traumatic stress disorder by a clinical psychologist.",
            {
                "condition": "post-traumatic stress disorder",
                "diagnosed_by": "clinical_psychologist",
            },
        ),
        (
            "loss",
            "compensation.loss",
            "2016-01/2016-06",
            "Unpaid earnings claimed for the period of work at the premises.",
            {"kind": "earnings", "amount": "6400.00"},
        ),
    ),
    4: (
        (
            "incident",
            "harm.incident",
            "2016~",
            "Reported being held at the premises named in the indictment and made "
            "to work there under threats.",
            {"offences": ["forced labour", "false imprisonment"]},
        ),
        (
            "injury",
            "harm.injury",
            "2016~",
            "Reported psychological harm from the period at the premises.",
            {"nature": "mental"},
        ),
        (
            "diagnosis",
            "health.diagnosis",
            "2020-09-14",
            "Diagnosed with severe depression by a clinical psychologist.",
            {
                "condition": "severe depressive episode",
                "diagnosed_by": "clinical_psychologist",
            },
        ),
        (
            "loss",
            "compensation.loss",
            "2016~",
            "Unpaid earnings claimed for the period of work at the premises; the "
            "amount is not yet known.",
            {"kind": "earnings", "amount": None},
        ),
    ),
}

_CICA_KINDS = {
    "application": "compensation.cica_application_submitted",
    "decision": "compensation.cica_decision",
    "review": "compensation.cica_review_requested",
}


@dataclass(frozen=True)
class _PlannedStep:
    """A prosecution witness's step, recorded a few days after it happened."""

    label: str
    kind: str
    occurred: str
    summary: str
    details: Mapping[str, Any] | None = None
    #: The attached documents it cites, by label, with pin cites.
    cites: tuple[tuple[str, str], ...] = ()
    order: int | None = None


#: The prosecution's documents, attached when a step first cites one:
#: label -> (title, kind, bundle reference).
_PROSECUTION_DOCUMENTS = {"indictment": ("Indictment", "court document", "A/1")}


def _witness_steps(survivor: _Survivor) -> list[_PlannedStep]:
    steps = [
        _PlannedStep(
            "reported",
            "criminal_justice.crime_reported",
            survivor.reported,
            "Identified during the police investigation of 2014-2017 and gave a "
            "first statement.",
            {"crime_reference": "OP-FORT-DEMO"},
        )
    ]
    facts = _CLAIM_FACTS.get(survivor.number, ())
    for order, (label, kind, occurred, summary, details) in enumerate(facts, 1):
        steps.append(
            _PlannedStep(f"harm-{label}", kind, occurred, summary, details, order=order)
        )
    steps.append(
        _PlannedStep(
            "abe",
            "criminal_justice.abe_interview",
            survivor.abe,
            "Achieving Best Evidence interview with the police.",
        )
    )
    for year in survivor.trials:
        warned, listed, attended, verdict, trafficking = _TRIALS[year]
        screens = (
            " with special measures (screens)" if survivor.special_measures else ""
        )
        steps += [
            _PlannedStep(
                f"trial-{year}-witness",
                "criminal_justice.witness_called",
                warned,
                f"Warned as a prosecution witness for the {year} trial.",
            ),
            _PlannedStep(
                f"trial-{year}-listed",
                "criminal_justice.trial_listed",
                listed,
                f"Trial listed at the Crown Court ({year} trial).",
                cites=(("indictment", "counts 1-14"),),
            ),
            _PlannedStep(
                f"trial-{year}-attended",
                "criminal_justice.trial_attended",
                attended,
                "Attended court to give evidence, accompanied by an advocate.",
                order=1,
            ),
            _PlannedStep(
                f"trial-{year}-evidence",
                "criminal_justice.evidence_given",
                attended,
                f"Gave evidence{screens}.",
                {"special_measures": survivor.special_measures},
                order=2,
            ),
            _PlannedStep(
                f"trial-{year}-verdict",
                "criminal_justice.verdict",
                verdict,
                "Defendants convicted of trafficking offences."
                if trafficking
                else "Defendants convicted of offences other than trafficking.",
                {"outcome": "convicted", "trafficking_offence": trafficking},
            ),
        ]
    for label, occurred, claim_details, summary in survivor.cica:
        steps.append(
            _PlannedStep(
                f"cica-{label}", _CICA_KINDS[label], occurred, summary, claim_details
            )
        )
    return steps


def _prosecution(
    journeys: CaseJourneys, tally: _Tally, days: _RecordingDays
) -> list[_DemoCase]:
    """Several survivors of one long prosecution, with trials in 2019, 2021, 2024."""
    cases = []
    for survivor in _SURVIVORS:
        advocate = f"adv-south-{survivor.number % 2 + 1:02d}"
        case = _DemoCase.open(
            journeys,
            tally,
            days,
            on=survivor.opened,
            key=f"fort-{survivor.number}",
            reference=f"FORT-D{survivor.number}",
            organisation_id=DEMO_PROSECUTION_ORGANISATION,
            local_authority="Southmere",
            recorded_by=advocate,
        )
        case.assign("assign", advocate)
        case.consent("record_keeping", "Consent given at the first meeting")
        case.consent("evaluation", "Agreed to pseudonymous inclusion in the evaluation")
        opened = date.fromisoformat(survivor.opened)
        planned = _witness_steps(survivor)
        # Recorded in the order the advocate learnt of them, a few days after.
        for step in sorted(
            planned, key=lambda step: _recorded_after(step.occurred, opened)
        ):
            case.on(_recorded_after(step.occurred, opened).isoformat())
            for document, _ in step.cites:
                if document not in case.documents:
                    case.evidence(document, *_PROSECUTION_DOCUMENTS[document])
            case.step(
                step.label,
                step.kind,
                step.occurred,
                step.summary,
                step.details,
                [case.cite(document, pin) for document, pin in step.cites],
                order=step.order,
            )
        if case.summary().reference == DEMO_SHARED_CASE:
            case.consent(
                "sharing_with_counsel", "Agreed to counsel seeing the CICA papers"
            )
        cases.append(case)
    return cases
