"""Folds a case's events into the evidence a compensation claim needs.

Like the chronology, the evidence is folded live from the case's own stream, so it
always agrees with the log. The fold keeps each step's current reading; freezing
reads the steps on record against the Scheme's rules (``rules``), gathers them into
items, and lists what the stage asked for still lacks (``needs``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.case import (
    CaseEvent,
)
from domain.steps import Source, StepReading, chronological_order
from domain.vocabulary import step_kind
from projections.case_stream import StepHistory, StepHistoryFold
from projections.chronology.rows import SourceCite
from projections.compensation.evidence import (
    ClaimStep,
    CompensationEvidence,
    Conviction,
    ConvictionStatus,
    Cooperation,
    CooperationStatus,
    CooperationStop,
    CrimeReport,
    Diagnosis,
    EvidenceStep,
    Incident,
    Injury,
    Item,
    Loss,
    MedicoLegalReport,
    NrmDecision,
    NrmDecisionKind,
    Stage,
)
from projections.compensation.needs import missing_for, notes_for
from projections.compensation.rules import (
    BARRING_SENTENCES,
    CLAIM_KINDS,
    COOPERATION_KINDS,
    MENTAL_NATURES,
    SENTENCE_CAVEATS,
    SPECIALIST_DIAGNOSERS,
    ConvictionEffect,
)

_NRM_DECISIONS = {
    "nrm.reasonable_grounds_decision": NrmDecisionKind.REASONABLE_GROUNDS,
    "nrm.conclusive_grounds_decision": NrmDecisionKind.CONCLUSIVE_GROUNDS,
}
_SENTENCE_WORDS = {
    "custodial": "a custodial sentence",
    "community": "a community sentence",
    "suspended": "a suspended sentence",
    "fine": "a fine",
    "discharge": "a discharge",
    "other": "another sentence",
}


class CompensationFold(StepHistoryFold):
    """Mutable state while folding; frozen into ``CompensationEvidence`` at the end."""

    # Freezing

    def freeze(
        self, stage: Stage, *, include_sensitive: bool = True
    ) -> CompensationEvidence:
        """The evidence for ``stage``; without sensitive steps (counted) unless
        ``include_sensitive``."""
        opened, last = self.opening()
        by_kind: dict[str, list[EvidenceStep]] = {}
        details: dict[UUID, dict[str, Any]] = {}
        left_out = set() if include_sensitive else self.sensitive_steps()
        for step_id, draft in self.steps.items():
            if draft.retracted or step_id in left_out:
                continue
            reading = StepReading.from_record(draft.reading)
            step = self._evidence_step(step_id, draft, reading)
            by_kind.setdefault(step.kind, []).append(step)
            details[step_id] = reading.details
        gathered = _Gathered(by_kind, details)
        evidence = CompensationEvidence(
            case_id=opened.originator_id,
            reference=opened.reference,
            jurisdiction=gathered.jurisdiction(opened.jurisdiction),
            stage=stage,
            version=last.originator_version,
            incidents=gathered.incidents(),
            crime_reports=gathered.crime_reports(),
            cooperation=gathered.cooperation(),
            injuries=gathered.injuries(),
            diagnoses=gathered.diagnoses(),
            medico_legal_reports=gathered.medico_legal_reports(),
            losses=gathered.losses(),
            convictions=gathered.convictions(),
            nrm_decisions=gathered.nrm_decisions(),
            claim_history=gathered.claim_history(),
            missing=(),
            notes=(),
            sensitive_left_out=sum(
                1 for step_id in left_out if not self.steps[step_id].retracted
            ),
        )
        return replace(
            evidence, missing=missing_for(evidence), notes=notes_for(evidence)
        )

    def _evidence_step(
        self, step_id: UUID, draft: StepHistory, reading: StepReading
    ) -> EvidenceStep:
        occurred = reading.occurred
        return EvidenceStep(
            step_id=step_id,
            kind=reading.kind,
            label=step_kind(reading.kind).label,
            occurred=occurred,
            summary=reading.summary,
            sources=tuple(self._cite(source) for source in reading.sources),
            recorded_at=draft.recorded_at,
            corrected=draft.corrected,
            disputed=draft.disputed,
            sort_key=chronological_order(occurred, reading.order, draft.sequence),
        )

    def _cite(self, source: Source) -> SourceCite:
        # A source may name attached evidence by id, attached before or after it.
        document = self.documents.get(source.document)
        return SourceCite(
            document=source.document,
            pin=source.pin,
            title=document.title if document else None,
            bundle_ref=document.bundle_ref if document else None,
        )


@dataclass(frozen=True)
class _Gathered:
    """The steps on record, by kind in date order, read into items."""

    by_kind: dict[str, list[EvidenceStep]]
    details: dict[UUID, dict[str, Any]]

    def of(self, *kinds: str) -> list[EvidenceStep]:
        steps = [step for kind in kinds for step in self.by_kind.get(kind, ())]
        return sorted(steps, key=lambda step: step.sort_key)

    def detail(self, step: EvidenceStep, name: str) -> Any:
        return self.details[step.step_id].get(name)

    def jurisdiction(self, opened: str) -> str:
        moves = [
            self.detail(step, "jurisdiction")
            for step in self.of("transition.moved_area")
        ]
        crossed = [jurisdiction for jurisdiction in moves if jurisdiction]
        return str(crossed[-1]) if crossed else opened

    def incidents(self) -> tuple[Incident, ...]:
        return tuple(
            Incident(step=step, offences=tuple(self.detail(step, "offences")))
            for step in self.of("harm.incident")
        )

    def crime_reports(self) -> tuple[CrimeReport, ...]:
        return tuple(
            CrimeReport(
                step=step, crime_reference=str(self.detail(step, "crime_reference"))
            )
            for step in self.of("criminal_justice.crime_reported")
        )

    def cooperation(self) -> Cooperation:
        reports = self.of("criminal_justice.crime_reported")
        steps = self.of(*COOPERATION_KINDS)
        stops = tuple(
            CooperationStop(step=step, reason=str(self.detail(step, "reason")))
            for step in self.of("criminal_justice.cooperation_stopped")
        )
        cooperating = [step.sort_key for step in (*reports, *steps)]
        if stops:
            last_stop = stops[-1].step.sort_key
            resumed = any(key > last_stop for key in cooperating)
            status = CooperationStatus.RESUMED if resumed else CooperationStatus.STOPPED
        elif cooperating:
            status = CooperationStatus.ON_RECORD
        else:
            status = CooperationStatus.NONE_ON_RECORD
        return Cooperation(
            status=status, steps=tuple(Item(step=step) for step in steps), stops=stops
        )

    def diagnoses(self) -> tuple[Diagnosis, ...]:
        return tuple(
            Diagnosis(
                step=step,
                condition=str(self.detail(step, "condition")),
                diagnosed_by=str(self.detail(step, "diagnosed_by")),
                by_specialist=self.detail(step, "diagnosed_by")
                in SPECIALIST_DIAGNOSERS,
            )
            for step in self.of("health.diagnosis")
        )

    def injuries(self) -> tuple[Injury, ...]:
        specialist = any(diagnosis.by_specialist for diagnosis in self.diagnoses())
        injuries = []
        for step in self.of("harm.injury"):
            nature = str(self.detail(step, "nature"))
            injuries.append(
                Injury(
                    step=step,
                    nature=nature,
                    mental=nature in MENTAL_NATURES,
                    specialist_diagnosis_on_record=specialist,
                )
            )
        return tuple(injuries)

    def medico_legal_reports(self) -> tuple[MedicoLegalReport, ...]:
        return tuple(
            MedicoLegalReport(step=step)
            for step in self.of("health.medico_legal_report")
        )

    def losses(self) -> tuple[Loss, ...]:
        return tuple(
            Loss(
                step=step,
                kind=str(self.detail(step, "kind")),
                amount=_money(self.detail(step, "amount")),
            )
            for step in self.of("compensation.loss")
        )

    def convictions(self) -> tuple[Conviction, ...]:
        convictions = self.of("own_conviction.convicted")
        if not convictions:
            return ()
        related: dict[UUID, list[EvidenceStep]] = {c.step_id: [] for c in convictions}
        for step in self.of(
            "own_conviction.statutory_defence_raised",
            "own_conviction.appeal_lodged",
            "own_conviction.conviction_overturned",
        ):
            related[_matching_conviction(step, convictions).step_id].append(step)
        return tuple(
            self._conviction(conviction, related[conviction.step_id])
            for conviction in convictions
        )

    def _conviction(
        self, conviction: EvidenceStep, related: list[EvidenceStep]
    ) -> Conviction:
        kinds = {step.kind for step in related}
        if "own_conviction.conviction_overturned" in kinds:
            status = ConvictionStatus.OVERTURNED
        elif "own_conviction.appeal_lodged" in kinds:
            status = ConvictionStatus.APPEAL_LODGED
        else:
            status = ConvictionStatus.STANDS
        sentence = str(self.detail(conviction, "sentence"))
        defence = "own_conviction.statutory_defence_raised" in kinds
        effect = _effect(sentence, status)
        return Conviction(
            step=conviction,
            related=tuple(related),
            sentence=sentence,
            status=status,
            statutory_defence_raised=defence,
            effect=effect,
            explanation=_explain(sentence, status, defence, effect),
        )

    def nrm_decisions(self) -> tuple[NrmDecision, ...]:
        decisions = []
        for step in self.of(*_NRM_DECISIONS):
            decision = _NRM_DECISIONS[step.kind]
            outcome = str(self.detail(step, "outcome"))
            decisions.append(
                NrmDecision(
                    step=step,
                    decision=decision,
                    outcome=outcome,
                    satisfies_residence=decision is NrmDecisionKind.CONCLUSIVE_GROUNDS
                    and outcome == "positive",
                )
            )
        return tuple(decisions)

    def claim_history(self) -> tuple[ClaimStep, ...]:
        return tuple(
            ClaimStep(
                step=step,
                outcome=self.detail(step, "outcome"),
                amount=_money(self.detail(step, "amount")),
                award_source=self.detail(step, "source"),
            )
            for step in self.of(*CLAIM_KINDS)
        )


def _money(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _matching_conviction(
    step: EvidenceStep, convictions: Sequence[EvidenceStep]
) -> EvidenceStep:
    """The conviction a defence, appeal or overturning step most likely concerns.

    Steps do not name their conviction. A defence is raised before the conviction
    it answers (or on appeal after it); an appeal or overturning follows its
    conviction. With one conviction on record the match is certain; with more, it
    goes by date and is noted as such for counsel to confirm.
    """
    before = [c for c in convictions if c.sort_key < step.sort_key]
    after = [c for c in convictions if c.sort_key > step.sort_key]
    if step.kind == "own_conviction.statutory_defence_raised":
        return after[0] if after else before[-1]
    return before[-1] if before else after[0]


def _effect(sentence: str, status: ConvictionStatus) -> ConvictionEffect:
    if status is ConvictionStatus.OVERTURNED:
        return ConvictionEffect.NONE
    if sentence in BARRING_SENTENCES:
        return ConvictionEffect.NO_AWARD_IF_UNSPENT
    return ConvictionEffect.POSSIBLE_REDUCTION_IF_UNSPENT


def _explain(
    sentence: str,
    status: ConvictionStatus,
    defence: bool,
    effect: ConvictionEffect,
) -> str:
    words = _SENTENCE_WORDS.get(sentence, f"a sentence ({sentence})")
    if effect is ConvictionEffect.NONE:
        text = (
            f"Conviction with {words}, since overturned: the Scheme's rule on "
            "unspent convictions does not apply to it."
        )
    elif effect is ConvictionEffect.NO_AWARD_IF_UNSPENT:
        text = (
            f"Conviction with {words}: if it is unspent on the date of the "
            "application, the Scheme makes no award."
        )
    else:
        text = (
            f"Conviction with {words}: if it is unspent on the date of the "
            "application, an award may be withheld or reduced."
        )
    caveat = SENTENCE_CAVEATS.get(sentence)
    if caveat and effect is not ConvictionEffect.NONE:
        text += f" Note: {caveat}."
    if status is ConvictionStatus.APPEAL_LODGED:
        text += " An appeal against the conviction is on record; no outcome is."
    if defence:
        text += " A statutory defence (s.45 MSA 2015 or equivalent) was raised."
    return text


def compensation_evidence_of(
    events: Iterable[CaseEvent],
    stage: Stage = Stage.APPLICATION,
    *,
    include_sensitive: bool = True,
) -> CompensationEvidence:
    """What one case's record holds, and lacks, for the claim stage asked."""
    state = CompensationFold()
    for event in events:
        state.fold(event)
    return state.freeze(stage, include_sensitive=include_sensitive)
