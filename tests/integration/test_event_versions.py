"""Events stored under older versions, on every store: each is read upgraded, its
hash chain holds, and the views fold it.

Each old event is written exactly as its version stored it (no class_version
for a version 1, no field it did not have), straight into the recorder.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.persistence import StoredEvent

from domain.application import CaseJourneys
from domain.case import (
    CaseOpened,
    ConsentGiven,
    ConsentWithdrawn,
    StepRecorded,
    SurvivorCase,
)
from domain.hashchain import GENESIS, event_hash
from domain.steps import StepReading
from projections.evaluation import evaluation_view
from projections.evaluation.figures import Request
from projections.evaluation.metrics import Metric
from projections.evaluation.periods import Period
from projections.evaluation.projection import EvaluationProjection
from projections.evaluation.reader import EvaluationReader
from projections.tracking import ProjectionWorker

ADVOCATE = "advocate-rowan"
#: 23:30 UTC on 30 June 2020 is already 1 July in the UK (summer time): an old
#: event's day is its UK day, not its UTC date.
LATE_EVENING = datetime(2020, 6, 30, 23, 30, tzinfo=UTC)
UK_DAY = date(2020, 7, 1)


class OldCase:
    """Writes a case's events as older versions stored them, chaining each to
    the last."""

    def __init__(self, journeys: CaseJourneys, case_id: UUID) -> None:
        self.journeys = journeys
        self.case_id = case_id
        self.version = 0
        self.head = GENESIS

    def write(self, topic: str, **fields: Any) -> None:
        self.version += 1
        state: dict[str, Any] = {
            "timestamp": LATE_EVENING,
            "recorded_by": ADVOCATE,
            "previous_hash": self.head,
            "idempotency_key": None,
            "command_digest": None,
            **fields,
        }
        if self.version == 1:
            state["originator_topic"] = SurvivorCase.TOPIC  # type: ignore[attr-defined]
        self.journeys.recorder.insert_events(
            [
                StoredEvent(
                    originator_id=self.case_id,
                    originator_version=self.version,
                    topic=topic,
                    state=self.journeys.mapper.transcoder.encode(state),
                )
            ]
        )
        self.head = event_hash(topic, self.case_id, self.version, state)


def old_step(kind: str, day: date, **details: Any) -> dict[str, Any]:
    """A step's reading as version 1 of its kind's payload stored it."""
    return {
        "kind": kind,
        "kind_version": 1,
        "occurred": {
            "edtf": day.isoformat(),
            "earliest": day,
            "latest": day,
            "display": day.isoformat(),
        },
        "summary": "Synthetic step recorded under an older payload.",
        "details": details,
        "sources": [],
        "order": None,
    }


CLAIMED, DECIDED = date(2019, 6, 3), date(2020, 6, 22)


def write_old_case(journeys: CaseJourneys, reference: str) -> UUID:
    """A case opened under CaseOpened version 2, consented under ConsentGiven
    version 1, with a verdict (no references) and an immigration decision (not
    saying what it decided) of payload version 1."""
    case = OldCase(journeys, uuid4())
    case.write(
        CaseOpened.TOPIC,
        class_version=2,
        reference=reference,
        organisation_id="org-north",
        jurisdiction="england_and_wales",
        local_authority="Leeds",
    )
    case.write(ConsentGiven.TOPIC, purpose="evaluation", note=None)
    steps = (
        old_step(
            "criminal_justice.verdict",
            date(2020, 6, 15),
            outcome="convicted",
            trafficking_offence=True,
        ),
        old_step("immigration.asylum_claim_lodged", CLAIMED),
        old_step("immigration.decision", DECIDED, outcome="refugee_status"),
    )
    for reading in steps:
        case.write(StepRecorded.TOPIC, step_id=uuid4(), reading=reading)
    return case.case_id


def test_a_case_opened_under_version_2_opens_on_the_uk_day_it_was_recorded(
    journeys: CaseJourneys,
) -> None:
    case_id = write_old_case(journeys, "LEGACY-2")

    summary = journeys.case_summary(case_id)
    assert summary.opened_on == UK_DAY
    assert summary.opened_at == LATE_EVENING  # the log still says when
    (opened, consented, verdict, _, decision) = journeys.case_events(case_id)
    assert isinstance(opened, CaseOpened) and opened.opened_on == UK_DAY
    assert isinstance(consented, ConsentGiven) and consented.given_on == UK_DAY
    assert isinstance(verdict, StepRecorded) and isinstance(decision, StepRecorded)
    assert StepReading.from_record(verdict.reading).details == {
        "outcome": "convicted",
        "trafficking_offence": True,
        "prosecution_ref": None,
        "defendant_ref": None,
    }
    assert StepReading.from_record(decision.reading).details == {
        "outcome": "refugee_status",
        "asylum_claim": None,
    }
    # The upgraded events keep the chain, and the case takes new commands.
    journeys.withdraw_consent(
        case_id, "evaluation", withdrawn_on=date(2021, 3, 1), recorded_by=ADVOCATE
    )
    assert journeys.verify_chain(case_id).intact


def test_a_withdrawal_stored_under_version_1_is_dated_by_its_uk_day(
    journeys: CaseJourneys,
) -> None:
    case = OldCase(journeys, uuid4())
    case.write(
        CaseOpened.TOPIC,
        class_version=2,
        reference="LEGACY-3",
        organisation_id="org-north",
        jurisdiction="england_and_wales",
        local_authority=None,
    )
    case.write(ConsentGiven.TOPIC, purpose="sharing_with_counsel", note=None)
    case.write(ConsentWithdrawn.TOPIC, purpose="sharing_with_counsel", note=None)

    (_, _, withdrawn) = journeys.case_events(case.case_id)
    assert isinstance(withdrawn, ConsentWithdrawn)
    assert withdrawn.withdrawn_on == UK_DAY
    assert journeys.case_summary(case.case_id).consents == ()
    assert journeys.verify_chain(case.case_id).intact


def test_old_verdicts_without_references_each_count_as_their_own_cases(
    journeys: CaseJourneys, store: dict[str, str]
) -> None:
    """Three cases stored before verdicts named their prosecution and defendant:
    each is its own prosecution's and defendant's (references are never guessed
    for old verdicts), so they count as a case-by-case count had them."""
    old = [write_old_case(journeys, f"LEGACY-V{n}") for n in range(3)]
    view = evaluation_view(store)
    worker = ProjectionWorker(journeys, EvaluationProjection.of(journeys, view))
    try:
        worker.catch_up()
        reader = EvaluationReader(
            view, journeys.name, threshold=3, pseudonym_key=b"k" * 32
        )
        year = Period(date(2020, 1, 1), date(2020, 12, 31))
        row = reader.evaluation(Request(year)).rows[0]
        figures = {f.metric: f for f in row.figures}
        convictions = figures[Metric.CONVICTIONS]
        assert convictions.denominator is not None
        assert convictions.denominator.value == len(old) == 3
        assert convictions.numerator.value == 3
        rate = figures[Metric.CONVICTION_RATE]
        assert (rate.numerator.value, rate.share) == (3, 1.0)
        # A grant of refugee status decides an asylum claim, said so or not.
        wait = figures[Metric.ASYLUM_CLAIM_TO_DECISION]
        assert wait.numerator.value == 3 and wait.days is not None
        assert wait.days.median == (DECIDED - CLAIMED).days
        # The clients opened on the UK day their openings were recorded.
        assert figures[Metric.CLIENTS].numerator.value == 3
        june = Period(date(2020, 6, 1), date(2020, 6, 30))
        in_june = reader.evaluation(Request(june)).rows[0].figures[0]
        assert in_june.numerator.value is None  # none then: zero, suppressed
    finally:
        view.close()
