"""What compensation evidence is made of: items resting on steps, and the gaps.

Every item rests on one step (``step``) and may gather related steps
(``related``); it cites them all by id and carries their sources, cited as the
chronology cites them. Only steps on record count: retracted steps are left out,
corrected ones are read as they now stand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from domain.dates import UncertainDate, described
from projections.chronology.rows import SourceCite
from projections.compensation.rules import ConvictionEffect, Rule


class Stage(StrEnum):
    """The step of a claim the evidence is gathered for."""

    APPLICATION = "application"
    REVIEW = "review"
    TRIBUNAL_APPEAL = "tribunal_appeal"


@dataclass(frozen=True, kw_only=True)
class EvidenceStep:
    """One step on record, in its current reading."""

    step_id: UUID
    kind: str
    label: str
    occurred: UncertainDate | None
    summary: str
    sources: tuple[SourceCite, ...]
    recorded_at: datetime
    #: Its current reading is a correction of the first.
    corrected: bool
    #: Someone gives another version of it (see the chronology).
    disputed: bool
    #: Its place among the case's steps: undated last, then earliest day, stated
    #: order and the order recorded.
    sort_key: tuple[int, date, int, int] = field(repr=False, compare=False)

    @property
    def when(self) -> str:
        return described(self.occurred)


@dataclass(frozen=True, kw_only=True)
class Item:
    """A piece of evidence: the step it rests on and any steps gathered with it."""

    step: EvidenceStep
    related: tuple[EvidenceStep, ...] = ()

    @property
    def steps(self) -> tuple[EvidenceStep, ...]:
        return (self.step, *self.related)

    @property
    def step_ids(self) -> tuple[UUID, ...]:
        return tuple(step.step_id for step in self.steps)

    @property
    def sources(self) -> tuple[SourceCite, ...]:
        """Every step's sources, each cite once, in the order first cited."""
        seen: dict[tuple[str, str | None], SourceCite] = {}
        for step in self.steps:
            for source in step.sources:
                seen.setdefault((source.document, source.pin), source)
        return tuple(seen.values())


@dataclass(frozen=True, kw_only=True)
class Incident(Item):
    """Harm suffered (``harm.incident``): the crime of violence a claim rests on."""

    offences: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class CrimeReport(Item):
    crime_reference: str


@dataclass(frozen=True, kw_only=True)
class CooperationStop(Item):
    reason: str


class CooperationStatus(StrEnum):
    """How cooperation with the police stands on the record (steps in date order)."""

    NONE_ON_RECORD = "none_on_record"
    ON_RECORD = "on_record"
    STOPPED = "stopped"
    RESUMED = "resumed"


@dataclass(frozen=True)
class Cooperation:
    status: CooperationStatus
    #: Steps showing cooperation after the report (interview, witness, trial).
    steps: tuple[Item, ...]
    stops: tuple[CooperationStop, ...]


@dataclass(frozen=True, kw_only=True)
class Injury(Item):
    nature: str
    #: A mental injury: the Scheme needs a specialist's diagnosis of it.
    mental: bool
    #: A psychiatrist's or clinical psychologist's diagnosis is on record.
    specialist_diagnosis_on_record: bool


@dataclass(frozen=True, kw_only=True)
class Diagnosis(Item):
    condition: str
    diagnosed_by: str
    #: By a psychiatrist or clinical psychologist, as a mental injury needs.
    by_specialist: bool


@dataclass(frozen=True, kw_only=True)
class MedicoLegalReport(Item):
    pass


@dataclass(frozen=True, kw_only=True)
class Loss(Item):
    kind: str
    amount: Decimal | None


class ConvictionStatus(StrEnum):
    STANDS = "stands"
    APPEAL_LODGED = "appeal_lodged"
    OVERTURNED = "overturned"


@dataclass(frozen=True, kw_only=True)
class Conviction(Item):
    """A conviction of the survivor's own, with the steps that bear on it
    (statutory defence raised, appeal lodged, conviction overturned)."""

    sentence: str
    status: ConvictionStatus
    statutory_defence_raised: bool
    effect: ConvictionEffect
    #: The effect in neutral words, with any caveat.
    explanation: str


class NrmDecisionKind(StrEnum):
    REASONABLE_GROUNDS = "reasonable_grounds"
    CONCLUSIVE_GROUNDS = "conclusive_grounds"


@dataclass(frozen=True, kw_only=True)
class NrmDecision(Item):
    decision: NrmDecisionKind
    outcome: str
    #: A positive conclusive grounds decision: it satisfies the residence test.
    satisfies_residence: bool


@dataclass(frozen=True, kw_only=True)
class ClaimStep(Item):
    """A step in the claim's history: application, decision, review, appeal, award."""

    outcome: str | None = None
    amount: Decimal | None = None
    #: Where an award received came from (``award_received{source}``).
    award_source: str | None = None


class Gap(StrEnum):
    """What the record lacks for the stage asked."""

    NO_INCIDENT = "no_incident"
    INCIDENT_UNDATED = "incident_undated"
    NO_CRIME_REPORT = "no_crime_report"
    NO_INJURY = "no_injury"
    NO_SPECIALIST_DIAGNOSIS = "no_specialist_diagnosis"
    NO_POSITIVE_CONCLUSIVE_GROUNDS = "no_positive_conclusive_grounds"
    LOSS_AMOUNT_NOT_STATED = "loss_amount_not_stated"
    CONVICTION_SPENT_STATUS_UNKNOWN = "conviction_spent_status_unknown"
    NO_CICA_APPLICATION = "no_cica_application"
    NO_CICA_DECISION = "no_cica_decision"
    NO_REVIEW_REQUEST = "no_review_request"
    NO_REVIEW_DECISION = "no_review_decision"


class Consideration(StrEnum):
    """A point on record that bears on the claim, for counsel to weigh."""

    COOPERATION_STOPPED = "cooperation_stopped"
    CONVICTION_MAY_BAR_AWARD = "conviction_may_bar_award"
    CONVICTION_MAY_REDUCE_AWARD = "conviction_may_reduce_award"
    CONVICTIONS_MATCHED_BY_DATE = "convictions_matched_by_date"
    STAGE_ALREADY_ON_RECORD = "stage_already_on_record"
    OTHER_SCHEME = "other_scheme"


@dataclass(frozen=True)
class Missing:
    """Something the stage needs that the record does not show, and why."""

    gap: Gap
    reason: str
    rule: Rule
    #: The steps the gap concerns (an undated incident, a mental injury), if any.
    step_ids: tuple[UUID, ...] = ()


@dataclass(frozen=True)
class Note:
    """A point on record that bears on the claim, in neutral words."""

    consideration: Consideration
    text: str
    rule: Rule
    step_ids: tuple[UUID, ...] = ()


@dataclass(frozen=True)
class CompensationEvidence:
    """What the record holds for a CICA application, review or tribunal appeal."""

    case_id: UUID
    reference: str
    #: The case's jurisdiction as it now stands (after any move across a border).
    jurisdiction: str
    stage: Stage
    #: The case's version the evidence was gathered at.
    version: int
    incidents: tuple[Incident, ...]
    crime_reports: tuple[CrimeReport, ...]
    cooperation: Cooperation
    injuries: tuple[Injury, ...]
    diagnoses: tuple[Diagnosis, ...]
    medico_legal_reports: tuple[MedicoLegalReport, ...]
    losses: tuple[Loss, ...]
    convictions: tuple[Conviction, ...]
    nrm_decisions: tuple[NrmDecision, ...]
    claim_history: tuple[ClaimStep, ...]
    missing: tuple[Missing, ...]
    notes: tuple[Note, ...]
    #: Steps on record left out because they are sensitive and the reader's
    #: purpose does not include sensitive steps.
    sensitive_left_out: int = 0

    @property
    def losses_total(self) -> Decimal:
        """The sum of the losses whose amount is stated."""
        return sum(
            (loss.amount for loss in self.losses if loss.amount is not None),
            Decimal(0),
        )

    @property
    def residence_satisfied(self) -> bool:
        """The latest conclusive grounds decision on record is positive."""
        conclusive = [
            decision
            for decision in self.nrm_decisions
            if decision.decision is NrmDecisionKind.CONCLUSIVE_GROUNDS
        ]
        return bool(conclusive) and conclusive[-1].satisfies_residence

    @property
    def complete(self) -> bool:
        return not self.missing
