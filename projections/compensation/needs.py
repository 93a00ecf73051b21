"""What a claim stage needs that the record lacks, and the points counsel weigh.

The stages build on each other: a review needs what an application needs and a
CICA decision to review; a tribunal appeal needs all that and a review decision.
Reasons are neutral and plain: they say what is not on record and why it
matters, never what the survivor should have done.
"""

from __future__ import annotations

from projections.compensation import rules
from projections.compensation.evidence import (
    ClaimStep,
    CompensationEvidence,
    Consideration,
    ConvictionStatus,
    CooperationStatus,
    Gap,
    Missing,
    Note,
    NrmDecisionKind,
    Stage,
)
from projections.compensation.rules import ConvictionEffect

_STAGES = (Stage.APPLICATION, Stage.REVIEW, Stage.TRIBUNAL_APPEAL)

_LOSS_WORDS = {
    "earnings": "lost earnings",
    "expenses": "expenses",
    "property": "lost property",
    "care": "care costs",
    "other": "another loss",
}

#: For each stage, the claim steps it rests on: (kind, gap, reason, rule).
_CLAIM_NEEDS: dict[Stage, tuple[tuple[str, Gap, str, rules.Rule], ...]] = {
    Stage.APPLICATION: (),
    Stage.REVIEW: (
        (
            "compensation.cica_application_submitted",
            Gap.NO_CICA_APPLICATION,
            "No CICA application is on record; its date and reference are needed "
            "for a review.",
            rules.REVIEW,
        ),
        (
            "compensation.cica_decision",
            Gap.NO_CICA_DECISION,
            "No CICA decision is on record; a review is requested against a decision.",
            rules.REVIEW,
        ),
    ),
    Stage.TRIBUNAL_APPEAL: (
        (
            "compensation.cica_review_requested",
            Gap.NO_REVIEW_REQUEST,
            "No request for a review of the CICA decision is on record; an appeal "
            "to the First-tier Tribunal follows a review.",
            rules.APPEAL,
        ),
        (
            "compensation.cica_review_decision",
            Gap.NO_REVIEW_DECISION,
            "No CICA review decision is on record; an appeal to the First-tier "
            "Tribunal lies against the review decision.",
            rules.APPEAL,
        ),
    ),
}

#: The claim step that shows a stage was already taken, in words, and its rule.
_STAGE_TAKEN: dict[Stage, tuple[str, str, rules.Rule]] = {
    Stage.APPLICATION: (
        "compensation.cica_application_submitted",
        "A CICA application",
        rules.TIME_LIMIT,
    ),
    Stage.REVIEW: (
        "compensation.cica_review_requested",
        "A request for a review",
        rules.REVIEW,
    ),
    Stage.TRIBUNAL_APPEAL: (
        "compensation.tribunal_appeal_lodged",
        "An appeal to the First-tier Tribunal",
        rules.APPEAL,
    ),
}


def _stages_up_to(stage: Stage) -> tuple[Stage, ...]:
    return _STAGES[: _STAGES.index(stage) + 1]


def missing_for(evidence: CompensationEvidence) -> tuple[Missing, ...]:
    """What the record lacks for the evidence's stage, earliest need first."""
    missing = [*_harm_gaps(evidence), *_police_gaps(evidence)]
    missing += _residence_gaps(evidence)
    missing += _loss_gaps(evidence)
    missing += _conviction_gaps(evidence)
    kinds = {item.step.kind for item in evidence.claim_history}
    for stage in _stages_up_to(evidence.stage):
        for kind, gap, reason, rule in _CLAIM_NEEDS[stage]:
            if kind not in kinds:
                missing.append(Missing(gap, reason, rule))
    return tuple(missing)


def _harm_gaps(evidence: CompensationEvidence) -> list[Missing]:
    missing = []
    if not evidence.incidents:
        missing.append(
            Missing(
                Gap.NO_INCIDENT,
                "No incident of harm is on record; a claim rests on an injury from a "
                "crime of violence, with its date and the offences.",
                rules.CRIME_OF_VIOLENCE,
            )
        )
    for incident in evidence.incidents:
        if incident.step.occurred is None:
            missing.append(
                Missing(
                    Gap.INCIDENT_UNDATED,
                    "An incident is on record without a date; the time limit runs "
                    "from the incident, so even an approximate date is needed.",
                    rules.TIME_LIMIT,
                    incident.step_ids,
                )
            )
    if not evidence.injuries:
        missing.append(
            Missing(
                Gap.NO_INJURY,
                "No injury is on record; an award is for a criminal injury.",
                rules.CRIME_OF_VIOLENCE,
            )
        )
    mental = [injury for injury in evidence.injuries if injury.mental]
    if mental and not any(diagnosis.by_specialist for diagnosis in evidence.diagnoses):
        others = sorted({diagnosis.diagnosed_by for diagnosis in evidence.diagnoses})
        reason = (
            "A mental injury is on record, but no diagnosis by a psychiatrist or "
            "clinical psychologist is."
        )
        if others:
            by = ", ".join(other.replace("_", " ") for other in others)
            reason += f" The diagnoses on record are by: {by}."
        missing.append(
            Missing(
                Gap.NO_SPECIALIST_DIAGNOSIS,
                reason,
                rules.MENTAL_INJURY,
                tuple(step_id for injury in mental for step_id in injury.step_ids),
            )
        )
    return missing


def _police_gaps(evidence: CompensationEvidence) -> list[Missing]:
    if evidence.crime_reports:
        return []
    return [
        Missing(
            Gap.NO_CRIME_REPORT,
            "No report of the crime to the police is on record (with its crime "
            "reference).",
            rules.REPORTING,
        )
    ]


def _residence_gaps(evidence: CompensationEvidence) -> list[Missing]:
    if evidence.residence_satisfied:
        return []
    conclusive = [
        decision
        for decision in evidence.nrm_decisions
        if decision.decision is NrmDecisionKind.CONCLUSIVE_GROUNDS
    ]
    if conclusive:
        latest = conclusive[-1]
        reason = (
            f"The conclusive grounds decision on record ({latest.step.when}) is "
            f"{latest.outcome}; the residence requirement must be shown another way."
        )
        step_ids = latest.step_ids
    else:
        reason = (
            "No conclusive grounds decision is on record; a positive one satisfies "
            "the residence requirement, which otherwise must be shown another way."
        )
        step_ids = ()
    return [
        Missing(Gap.NO_POSITIVE_CONCLUSIVE_GROUNDS, reason, rules.RESIDENCE, step_ids)
    ]


def _loss_gaps(evidence: CompensationEvidence) -> list[Missing]:
    return [
        Missing(
            Gap.LOSS_AMOUNT_NOT_STATED,
            f"A loss ({_LOSS_WORDS.get(loss.kind, loss.kind)}, {loss.step.when}) "
            "is on record without an amount.",
            rules.LOSSES,
            loss.step_ids,
        )
        for loss in evidence.losses
        if loss.amount is None
    ]


def _conviction_gaps(evidence: CompensationEvidence) -> list[Missing]:
    return [
        Missing(
            Gap.CONVICTION_SPENT_STATUS_UNKNOWN,
            f"Whether the conviction of {conviction.step.when} is spent cannot be "
            "told from the record: the sentence's length and when it ended are "
            "not recorded.",
            rules.CONVICTIONS,
            conviction.step_ids,
        )
        for conviction in evidence.convictions
        if conviction.status is not ConvictionStatus.OVERTURNED
    ]


def notes_for(evidence: CompensationEvidence) -> tuple[Note, ...]:
    """Points on record that bear on the claim, in neutral words."""
    notes = []
    cooperation = evidence.cooperation
    if cooperation.stops:
        stop = cooperation.stops[-1]
        text = (
            f"Cooperation with the police stopped ({stop.step.when}); the reason "
            f"recorded is: “{stop.reason}”."
        )
        if cooperation.status is CooperationStatus.RESUMED:
            text += " Cooperation is on record again after that."
        notes.append(
            Note(
                Consideration.COOPERATION_STOPPED,
                text,
                rules.COOPERATION,
                tuple(i for item in cooperation.stops for i in item.step_ids),
            )
        )
    for conviction in evidence.convictions:
        if conviction.effect is ConvictionEffect.NONE:
            continue
        consideration = (
            Consideration.CONVICTION_MAY_BAR_AWARD
            if conviction.effect is ConvictionEffect.NO_AWARD_IF_UNSPENT
            else Consideration.CONVICTION_MAY_REDUCE_AWARD
        )
        notes.append(
            Note(
                consideration,
                conviction.explanation,
                rules.CONVICTIONS,
                conviction.step_ids,
            )
        )
    if len(evidence.convictions) > 1 and any(c.related for c in evidence.convictions):
        notes.append(
            Note(
                Consideration.CONVICTIONS_MATCHED_BY_DATE,
                "More than one conviction is on record; steps do not name the "
                "conviction they concern, so defences, appeals and overturnings are "
                "matched to convictions by date. Confirm the matching.",
                rules.CONVICTIONS,
                tuple(i for c in evidence.convictions for i in c.step_ids),
            )
        )
    taken = _stage_taken(evidence)
    if taken is not None:
        notes.append(taken)
    if evidence.jurisdiction == "northern_ireland":
        notes.append(
            Note(
                Consideration.OTHER_SCHEME,
                "The case is recorded under Northern Ireland, which has its own "
                "criminal injuries compensation scheme.",
                rules.NORTHERN_IRELAND,
            )
        )
    return tuple(notes)


def _stage_taken(evidence: CompensationEvidence) -> Note | None:
    kind, words, rule = _STAGE_TAKEN[evidence.stage]
    taken: list[ClaimStep] = [
        item for item in evidence.claim_history if item.step.kind == kind
    ]
    if not taken:
        return None
    latest = taken[-1]
    return Note(
        Consideration.STAGE_ALREADY_ON_RECORD,
        f"{words} is already on record ({latest.step.when}).",
        rule,
        latest.step_ids,
    )
