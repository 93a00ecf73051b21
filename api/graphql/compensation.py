"""Compensation evidence for a case: what a CICA application, review or tribunal
appeal needs, gathered from the steps on record, each item citing its steps and
sources, with what is missing for the stage asked."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Self
from uuid import UUID

import strawberry

from api.graphql.access import Gate
from api.graphql.chronology import Source
from api.graphql.context import Information
from api.graphql.enums import Jurisdiction
from api.graphql.results import (
    NotFound,
    NotFoundError,
    NotPermitted,
    NotPermittedError,
    failure_for,
)
from api.policy import Action
from domain.errors import CommandRefused
from projections import compensation as view
from projections.audit import Operation
from projections.compensation import (
    Consideration,
    ConvictionEffect,
    ConvictionStatus,
    CooperationStatus,
    Gap,
    NrmDecisionKind,
    Stage,
    compensation_evidence_of,
)

strawberry.enum(
    Stage,
    name="CompensationStage",
    description="The stage of a claim: a CICA APPLICATION, a REVIEW of a CICA "
    "decision, or a TRIBUNAL_APPEAL against a review decision.",
)
strawberry.enum(
    CooperationStatus,
    description="How cooperation with the police stands on the record, steps in "
    "date order: NONE_ON_RECORD, ON_RECORD, STOPPED (a stop is the latest), or "
    "RESUMED (cooperation is on record after the latest stop).",
)
strawberry.enum(
    ConvictionStatus,
    description="How the survivor's own conviction stands on the record: STANDS, "
    "APPEAL_LODGED (no outcome on record), or OVERTURNED.",
)
strawberry.enum(
    ConvictionEffect,
    description="What a conviction may mean for an award under the Scheme, if it is "
    "unspent: NO_AWARD_IF_UNSPENT (custodial or community sentence), "
    "POSSIBLE_REDUCTION_IF_UNSPENT (any other sentence), or NONE (overturned).",
)
strawberry.enum(
    NrmDecisionKind,
    description="Which NRM decision: reasonable grounds or conclusive grounds.",
)
strawberry.enum(
    Gap,
    name="EvidenceGap",
    description="Something a claim stage needs that the record does not show.",
)
strawberry.enum(
    Consideration,
    name="EvidenceConsideration",
    description="A point on record that bears on a claim, for counsel to weigh.",
)


@strawberry.type(
    description="A rule of the Scheme (or tribunal rules) with its source."
)
class SchemeRule:
    text: str = strawberry.field(description="The rule, in neutral words.")
    citation: str = strawberry.field(description="Where the rule is found.")

    @classmethod
    def of(cls, rule: view.Rule) -> SchemeRule:
        return cls(text=rule.text, citation=rule.citation)


@strawberry.type(description="A step an item of evidence rests on, as it now stands.")
class EvidenceStep:
    step_id: UUID = strawberry.field(description="The step's id.")
    kind: str = strawberry.field(description="The step's kind (`area.kind`).")
    label: str = strawberry.field(description="The kind's neutral label.")
    when: str = strawberry.field(
        description="When it happened, in words (`c. June 2019`, `undated`)."
    )
    occurred: str | None = strawberry.field(
        description="When it happened, in EDTF; null when undated."
    )
    summary: str = strawberry.field(description="What happened, in neutral words.")
    sources: list[Source] = strawberry.field(description="Where it comes from.")
    corrected: bool = strawberry.field(
        description="Its current reading is a correction (see the chronology)."
    )
    disputed: bool = strawberry.field(
        description="Another version of it is on record (see the chronology)."
    )

    @classmethod
    def of(cls, step: view.EvidenceStep) -> EvidenceStep:
        return cls(
            step_id=step.step_id,
            kind=step.kind,
            label=step.label,
            when=step.when,
            occurred=step.occurred.edtf if step.occurred else None,
            summary=step.summary,
            sources=[Source.of(source) for source in step.sources],
            corrected=step.corrected,
            disputed=step.disputed,
        )


def _cited(item: view.Item) -> dict[str, Any]:
    return {
        "step_ids": list(item.step_ids),
        "when": item.step.when,
        "summary": item.step.summary,
        "sources": [Source.of(source) for source in item.sources],
        "steps": [EvidenceStep.of(step) for step in item.steps],
    }


@strawberry.interface(
    description="An item of evidence: the step it rests on first, any related "
    "steps after, and all their sources."
)
class EvidenceItem:
    step_ids: list[UUID] = strawberry.field(
        description="The steps the item cites: the one it rests on first."
    )
    when: str = strawberry.field(
        description="When the step it rests on happened, in words."
    )
    summary: str = strawberry.field(
        description="The step it rests on, in neutral words."
    )
    sources: list[Source] = strawberry.field(
        description="The sources of every step it cites, each once."
    )
    steps: list[EvidenceStep] = strawberry.field(
        description="The steps it cites, in full."
    )


@strawberry.type(description="Harm suffered: the crime of violence a claim rests on.")
class HarmIncident(EvidenceItem):
    offences: list[str] = strawberry.field(description="The offences, as recorded.")

    @classmethod
    def of(cls, item: view.Incident) -> Self:
        return cls(**_cited(item), offences=list(item.offences))


@strawberry.type(description="A report of the crime to the police.")
class CrimeReport(EvidenceItem):
    crime_reference: str = strawberry.field(description="The police crime reference.")

    @classmethod
    def of(cls, item: view.CrimeReport) -> Self:
        return cls(**_cited(item), crime_reference=item.crime_reference)


@strawberry.type(
    description="A step showing cooperation with the police after the report "
    "(interview, called as a witness, trial attended, evidence given)."
)
class CooperationStep(EvidenceItem):
    @classmethod
    def of(cls, item: view.Item) -> Self:
        return cls(**_cited(item))


@strawberry.type(description="A stop in cooperation with the police, with its reason.")
class CooperationStop(EvidenceItem):
    reason: str = strawberry.field(description="The reason recorded for the stop.")

    @classmethod
    def of(cls, item: view.CooperationStop) -> Self:
        return cls(**_cited(item), reason=item.reason)


@strawberry.type(description="Cooperation with the police, as the record shows it.")
class PoliceCooperation:
    status: CooperationStatus = strawberry.field(description="How it stands.")
    steps: list[CooperationStep] = strawberry.field(
        description="Steps showing cooperation after the report, in date order."
    )
    stops: list[CooperationStop] = strawberry.field(
        description="Stops in cooperation, in date order, each with its reason."
    )

    @classmethod
    def of(cls, cooperation: view.Cooperation) -> PoliceCooperation:
        return cls(
            status=cooperation.status,
            steps=[CooperationStep.of(item) for item in cooperation.steps],
            stops=[CooperationStop.of(item) for item in cooperation.stops],
        )


@strawberry.type(
    description="An injury, and whether the diagnosis it needs is on record."
)
class InjuryEvidence(EvidenceItem):
    nature: str = strawberry.field(
        description="physical, mental, or physical_and_mental."
    )
    mental: bool = strawberry.field(
        description="A mental injury: the Scheme needs a psychiatrist's or clinical "
        "psychologist's diagnosis of it."
    )
    specialist_diagnosis_on_record: bool = strawberry.field(
        description="A diagnosis by a psychiatrist or clinical psychologist is on "
        "record (diagnoses do not name the injury they concern)."
    )

    @classmethod
    def of(cls, item: view.Injury) -> Self:
        return cls(
            **_cited(item),
            nature=item.nature,
            mental=item.mental,
            specialist_diagnosis_on_record=item.specialist_diagnosis_on_record,
        )


@strawberry.type(description="A diagnosis, and by whom.")
class DiagnosisEvidence(EvidenceItem):
    condition: str = strawberry.field(description="The condition diagnosed.")
    diagnosed_by: str = strawberry.field(
        description="psychiatrist, clinical_psychologist, general_practitioner or "
        "other."
    )
    by_specialist: bool = strawberry.field(
        description="By a psychiatrist or clinical psychologist, as a mental injury "
        "needs."
    )

    @classmethod
    def of(cls, item: view.Diagnosis) -> Self:
        return cls(
            **_cited(item),
            condition=item.condition,
            diagnosed_by=item.diagnosed_by,
            by_specialist=item.by_specialist,
        )


@strawberry.type(description="A medico-legal report.")
class MedicoLegalReport(EvidenceItem):
    @classmethod
    def of(cls, item: view.MedicoLegalReport) -> Self:
        return cls(**_cited(item))


@strawberry.type(description="A loss suffered, with its amount if stated.")
class LossEvidence(EvidenceItem):
    kind: str = strawberry.field(
        description="earnings, expenses, property, care or other."
    )
    amount: Decimal | None = strawberry.field(
        description="The amount in pounds; null when not stated."
    )

    @classmethod
    def of(cls, item: view.Loss) -> Self:
        return cls(**_cited(item), kind=item.kind, amount=item.amount)


@strawberry.type(
    description="A conviction of the survivor's own, with the steps that bear on it "
    "(statutory defence raised, appeal lodged, conviction overturned)."
)
class OwnConviction(EvidenceItem):
    sentence: str = strawberry.field(
        description="custodial, suspended, community, fine, discharge or other."
    )
    status: ConvictionStatus = strawberry.field(
        description="How the conviction stands on the record."
    )
    statutory_defence_raised: bool = strawberry.field(
        description="A statutory defence (s.45 MSA 2015 or equivalent) was raised."
    )
    effect: ConvictionEffect = strawberry.field(
        description="What it may mean for an award, if unspent (spent status is "
        "not on record)."
    )
    explanation: str = strawberry.field(
        description="The effect in neutral words, with any caveat."
    )

    @classmethod
    def of(cls, item: view.Conviction) -> Self:
        return cls(
            **_cited(item),
            sentence=item.sentence,
            status=item.status,
            statutory_defence_raised=item.statutory_defence_raised,
            effect=item.effect,
            explanation=item.explanation,
        )


@strawberry.type(description="An NRM decision.")
class NrmDecision(EvidenceItem):
    decision: NrmDecisionKind = strawberry.field(description="Which decision.")
    outcome: str = strawberry.field(description="positive or negative.")
    satisfies_residence: bool = strawberry.field(
        description="A positive conclusive grounds decision: it satisfies the "
        "Scheme's residence requirement."
    )

    @classmethod
    def of(cls, item: view.NrmDecision) -> Self:
        return cls(
            **_cited(item),
            decision=item.decision,
            outcome=item.outcome,
            satisfies_residence=item.satisfies_residence,
        )


@strawberry.type(
    description="A step in the claim's history: application, decision, review, "
    "appeal, extension, hearing or award."
)
class ClaimStep(EvidenceItem):
    kind: str = strawberry.field(description="The step's kind (`compensation.*`).")
    label: str = strawberry.field(description="The kind's neutral label.")
    outcome: str | None = strawberry.field(
        description="The decision's outcome, for a decision."
    )
    amount: Decimal | None = strawberry.field(
        description="The amount in pounds, for a decision or award that states one."
    )
    award_source: str | None = strawberry.field(
        description="Where an award received came from (cica, civil_claim, "
        "compensation_order, other)."
    )

    @classmethod
    def of(cls, item: view.ClaimStep) -> Self:
        return cls(
            **_cited(item),
            kind=item.step.kind,
            label=item.step.label,
            outcome=item.outcome,
            amount=item.amount,
            award_source=item.award_source,
        )


@strawberry.type(description="Something the stage needs that the record lacks.")
class MissingEvidence:
    gap: Gap = strawberry.field(description="What is missing.")
    reason: str = strawberry.field(description="Why it matters, in plain words.")
    rule: SchemeRule = strawberry.field(description="The rule it rests on.")
    step_ids: list[UUID] = strawberry.field(
        description="The steps it concerns (an undated incident, a mental injury), "
        "if any."
    )

    @classmethod
    def of(cls, missing: view.Missing) -> MissingEvidence:
        return cls(
            gap=missing.gap,
            reason=missing.reason,
            rule=SchemeRule.of(missing.rule),
            step_ids=list(missing.step_ids),
        )


@strawberry.type(description="A point on record that bears on the claim.")
class EvidenceNote:
    consideration: Consideration = strawberry.field(description="What kind of point.")
    text: str = strawberry.field(description="The point, in neutral words.")
    rule: SchemeRule = strawberry.field(description="The rule it rests on.")
    step_ids: list[UUID] = strawberry.field(description="The steps it concerns.")

    @classmethod
    def of(cls, note: view.Note) -> EvidenceNote:
        return cls(
            consideration=note.consideration,
            text=note.text,
            rule=SchemeRule.of(note.rule),
            step_ids=list(note.step_ids),
        )


@strawberry.type(
    description="What a case's record holds for a CICA application, review or "
    "tribunal appeal, and what the stage still lacks. Retracted steps are left "
    "out; corrected steps are read as they now stand; items are in date order."
)
class CompensationEvidence:
    case_id: UUID = strawberry.field(description="The case.")
    reference: str = strawberry.field(description="The case's reference.")
    jurisdiction: Jurisdiction = strawberry.field(
        description="The case's jurisdiction as it now stands (after any move "
        "across a border)."
    )
    stage: Stage = strawberry.field(description="The stage asked for.")
    case_version: int = strawberry.field(
        description="The case's version the evidence was gathered at."
    )
    position: int = strawberry.field(
        description="The log position it was read at: it reflects every change up "
        "to at least this position."
    )
    complete: bool = strawberry.field(
        description="Nothing the stage needs is missing from the record."
    )
    missing: list[MissingEvidence] = strawberry.field(
        description="What the stage needs that the record lacks."
    )
    notes: list[EvidenceNote] = strawberry.field(
        description="Points on record that bear on the claim (a stop in "
        "cooperation, a conviction that may bar or reduce an award, ...)."
    )
    incidents: list[HarmIncident] = strawberry.field(
        description="Incidents of harm, with dates and offences."
    )
    crime_reports: list[CrimeReport] = strawberry.field(
        description="Reports to the police, with crime references."
    )
    cooperation: PoliceCooperation = strawberry.field(
        description="Cooperation with the police, and any stop with its reason."
    )
    injuries: list[InjuryEvidence] = strawberry.field(description="Injuries.")
    diagnoses: list[DiagnosisEvidence] = strawberry.field(
        description="Diagnoses, and by whom."
    )
    medico_legal_reports: list[MedicoLegalReport] = strawberry.field(
        description="Medico-legal reports."
    )
    losses: list[LossEvidence] = strawberry.field(description="Losses suffered.")
    losses_total: Decimal = strawberry.field(
        description="The sum of the losses whose amount is stated, in pounds."
    )
    convictions: list[OwnConviction] = strawberry.field(
        description="The survivor's own convictions, with status and effect."
    )
    nrm_decisions: list[NrmDecision] = strawberry.field(
        description="NRM reasonable and conclusive grounds decisions."
    )
    residence_satisfied: bool = strawberry.field(
        description="The latest conclusive grounds decision on record is positive, "
        "which satisfies the Scheme's residence requirement."
    )
    claim_history: list[ClaimStep] = strawberry.field(
        description="The claim's application, decisions, review, appeal and awards, "
        "with outcomes and amounts."
    )
    sensitive_left_out: int = strawberry.field(
        description="How many steps on record are left out because they are "
        "sensitive and this pack does not include sensitive steps (counsel's "
        "share says whether it does)."
    )

    @classmethod
    def of(cls, evidence: view.CompensationEvidence, position: int) -> Self:
        return cls(
            case_id=evidence.case_id,
            reference=evidence.reference,
            jurisdiction=Jurisdiction(evidence.jurisdiction),
            stage=evidence.stage,
            case_version=evidence.version,
            position=position,
            complete=evidence.complete,
            missing=[MissingEvidence.of(item) for item in evidence.missing],
            notes=[EvidenceNote.of(item) for item in evidence.notes],
            incidents=[HarmIncident.of(item) for item in evidence.incidents],
            crime_reports=[CrimeReport.of(item) for item in evidence.crime_reports],
            cooperation=PoliceCooperation.of(evidence.cooperation),
            injuries=[InjuryEvidence.of(item) for item in evidence.injuries],
            diagnoses=[DiagnosisEvidence.of(item) for item in evidence.diagnoses],
            medico_legal_reports=[
                MedicoLegalReport.of(item) for item in evidence.medico_legal_reports
            ],
            losses=[LossEvidence.of(item) for item in evidence.losses],
            losses_total=evidence.losses_total,
            convictions=[OwnConviction.of(item) for item in evidence.convictions],
            nrm_decisions=[NrmDecision.of(item) for item in evidence.nrm_decisions],
            residence_satisfied=evidence.residence_satisfied,
            claim_history=[ClaimStep.of(item) for item in evidence.claim_history],
            sensitive_left_out=evidence.sensitive_left_out,
        )


CompensationEvidenceResult = Annotated[
    CompensationEvidence | NotFound | NotPermitted,
    strawberry.union(
        "CompensationEvidenceResult",
        description="A case's compensation evidence, or why it cannot be shown.",
    ),
]


def _read_evidence(gate: Gate, case_id: UUID, stage: Stage) -> CompensationEvidence:
    _, grant = gate.case(case_id, Action.READ_EVIDENCE_PACK)
    journeys = gate.journeys
    position = journeys.log_position()
    evidence = compensation_evidence_of(
        journeys.case_events(case_id),
        stage,
        include_sensitive=grant.include_sensitive,
    )
    gate.record(Operation.EVIDENCE_PACK, case_ids=[case_id], purpose=stage.value)
    return CompensationEvidence.of(evidence, position)


async def resolve_compensation_evidence(
    info: Information,
    case_id: Annotated[UUID, strawberry.argument(description="The case.")],
    stage: Annotated[
        Stage,
        strawberry.argument(
            description="The claim stage the evidence is gathered for; what is "
            "missing depends on it."
        ),
    ],
) -> CompensationEvidenceResult:
    context = info.context
    try:
        return await context.in_thread(_read_evidence, context.gate, case_id, stage)
    except (CommandRefused, NotPermittedError, NotFoundError) as error:
        failure = failure_for(error)
        if isinstance(failure, NotFound | NotPermitted):
            return failure
        raise
