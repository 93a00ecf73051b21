"""What each purpose's chronology includes, what it leaves out, and why.

A chronology made for a purpose is served to people who will test it: the other
side in a criminal trial, CICA or the First-tier Tribunal, the Home Office. So its
selection is stated on the chronology itself, in neutral words, with how many
steps each reason left out, and it never leaves anything out silently: a step is
shown unless a reason in this table names its area or kind.

The table is data: one ``Selection`` per purpose, each with the reasons it leaves
steps out (``LeftOut``: a reason's code, its words, and the areas and kinds it
covers). A new reason (for instance, steps left out as sensitive) is a new
``LeftOutReason`` and a new entry, not a new condition in the fold; one that
turns on the step itself rather than its kind adds its test to
``Selection.reason_left_out``, the one place the fold asks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from domain.vocabulary import STEP_KINDS, StepKind


class Purpose(StrEnum):
    """What the chronology is for; each selects what it needs (``SELECTIONS``)."""

    FULL = "full"
    CRIMINAL_TRIAL = "criminal_trial"
    CICA = "cica"
    IMMIGRATION = "immigration"


#: Each area of the vocabulary, as a chronology's selection names it.
AREA_NAMES: Mapping[str, str] = {
    "nrm": "the National Referral Mechanism",
    "immigration": "immigration and asylum",
    "housing": "housing",
    "benefits": "benefits",
    "health": "health",
    "legal": "legal aid and legal advice",
    "criminal_justice": "the criminal investigation and trials",
    "own_conviction": "the survivor's own arrests, charges and convictions",
    "compensation": "compensation",
    "employment": "employment and education",
    "safety": "safety and safeguarding",
    "transition": "transitions in the survivor's life",
    "engagement": "contact with the advocate",
    "harm": "the harm suffered (incidents and injuries)",
    "account": "the accounts given (when, and to whom)",
}


class LeftOutReason(StrEnum):
    """Why steps are left out of a chronology."""

    #: Support arranged for the survivor's recovery.
    RECOVERY_SUPPORT = "recovery_support"
    #: The survivor's own legal advice and legal aid.
    LEGAL_ADVICE = "legal_advice"
    #: The advocate's working record of contact with the survivor.
    ADVOCATE_CONTACT = "advocate_contact"


@dataclass(frozen=True)
class LeftOut:
    """One reason a purpose leaves steps out: the areas and kinds it covers."""

    reason: LeftOutReason
    #: Why, in neutral words, as the chronology states it.
    why: str
    areas: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()

    def covers(self, kind: StepKind) -> bool:
        return kind.area in self.areas or kind.code in self.kinds


@dataclass(frozen=True)
class Selection:
    """A purpose's selection: what it includes, in words, and what it leaves out."""

    purpose: Purpose
    #: What the chronology includes and why, in neutral words.
    includes: str
    left_out: tuple[LeftOut, ...] = ()

    def stated(self, left_out: Mapping[LeftOut, int]) -> SelectionStatement:
        """The selection as a chronology states it, with how many of its steps
        each reason left out (``left_out``; a reason missing left out none)."""
        return SelectionStatement(
            purpose=self.purpose,
            includes=self.includes,
            included_areas=self.included_areas,
            left_out=tuple(
                Omission(
                    reason=entry.reason,
                    why=entry.why,
                    areas=tuple(sorted(entry.areas)),
                    kinds=tuple(sorted(entry.kinds)),
                    steps=left_out.get(entry, 0),
                )
                for entry in self.left_out
            ),
        )

    def reason_left_out(self, kind: StepKind) -> LeftOut | None:
        """The reason a step of ``kind`` is left out; None when it is shown."""
        return next((entry for entry in self.left_out if entry.covers(kind)), None)

    @cached_property
    def included_areas(self) -> tuple[str, ...]:
        """The areas of the vocabulary with at least one kind shown."""
        return tuple(
            area
            for area in AREA_NAMES
            if any(
                self.reason_left_out(kind) is None
                for kind in STEP_KINDS.values()
                if kind.area == area
            )
        )


@dataclass(frozen=True)
class Omission:
    """One reason steps were left out of a chronology, and how many it left out."""

    reason: LeftOutReason
    why: str
    areas: tuple[str, ...]
    kinds: tuple[str, ...]
    steps: int


@dataclass(frozen=True)
class SelectionStatement:
    """What a chronology includes and what it leaves out, as it states it."""

    purpose: Purpose
    includes: str
    included_areas: tuple[str, ...]
    left_out: tuple[Omission, ...]

    @property
    def steps_left_out(self) -> int:
        return sum(omission.steps for omission in self.left_out)


_SUPPORT = LeftOut(
    LeftOutReason.RECOVERY_SUPPORT,
    "Support arranged for the survivor's recovery (housing, benefits, employment "
    "and education, services ending): it is not evidence of what happened to the "
    "survivor, nor of when an account was given.",
    areas=frozenset({"housing", "benefits", "employment"}),
    kinds=frozenset({"transition.service_ended"}),
)
_LEGAL_ADVICE = LeftOut(
    LeftOutReason.LEGAL_ADVICE,
    "The survivor's own legal aid, legal advice and immigration advice: the "
    "advice is privileged, and it is not evidence of what happened to the "
    "survivor. Immigration and asylum claims and decisions are shown.",
    areas=frozenset({"legal"}),
    kinds=frozenset({"immigration.advice_accessed"}),
)
#: For an immigration chronology, immigration advice is part of the matter.
_LEGAL_ADVICE_BESIDE_IMMIGRATION = LeftOut(
    LeftOutReason.LEGAL_ADVICE,
    "The survivor's own legal aid and legal advice outside immigration: the "
    "advice is privileged, and it is not evidence of what happened to the "
    "survivor.",
    areas=frozenset({"legal"}),
)
_ADVOCATE_CONTACT = LeftOut(
    LeftOutReason.ADVOCATE_CONTACT,
    "Contact between the survivor and the advocate: the advocate's working "
    "record. When the survivor gave an account, and to whom, is shown.",
    areas=frozenset({"engagement"}),
)
#: What every purpose but the full chronology leaves out.
_SUPPORT_AND_ADVOCACY = (_SUPPORT, _LEGAL_ADVICE, _ADVOCATE_CONTACT)

SELECTIONS: Mapping[Purpose, Selection] = {
    selection.purpose: selection
    for selection in (
        Selection(
            Purpose.FULL,
            "Every step on record, in every area of the journey.",
        ),
        Selection(
            Purpose.CRIMINAL_TRIAL,
            "What bears on the offences and on the survivor's evidence: the harm "
            "reported, the National Referral Mechanism, the investigation and "
            "trials, the survivor's own arrests and convictions, when accounts "
            "were given, health and safety, and transitions (turning 18, leaving "
            "prison, moving). Immigration and "
            "compensation steps are included because either side may say they "
            "bear on motive and credibility.",
            _SUPPORT_AND_ADVOCACY,
        ),
        Selection(
            Purpose.CICA,
            "What a claim under the Criminal Injuries Compensation Scheme rests "
            "on: the incidents, injuries, diagnoses and other health evidence, "
            "losses, the crime reports and cooperation with the police, "
            "convictions (the survivor's own too, because unspent convictions "
            "reduce or bar an award: 2012 Scheme, Annex D), the decisions on "
            "residence (a positive conclusive grounds decision or an asylum "
            "claim: 2012 Scheme, paras 10 and 13), the application and "
            "every decision on it, when accounts were given, safety, and "
            "transitions that bear on the time limits (turning 18, moving).",
            _SUPPORT_AND_ADVOCACY,
        ),
        Selection(
            Purpose.IMMIGRATION,
            "What an immigration or asylum decision rests on: the National "
            "Referral Mechanism, immigration and asylum steps (immigration "
            "advice too), the harm reported, "
            "health, safety, the survivor's own convictions, when accounts were "
            "given, the criminal investigation and compensation claim (cooperating "
            "with an investigation or seeking compensation can ground leave to "
            "remain: Nationality and Borders Act 2022, s.65), and transitions.",
            (_SUPPORT, _LEGAL_ADVICE_BESIDE_IMMIGRATION, _ADVOCATE_CONTACT),
        ),
    )
}


def selection_for(purpose: Purpose) -> Selection:
    return SELECTIONS[purpose]
