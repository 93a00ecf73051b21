"""What the clocks read: a case's steps in their current readings, the
survivor's date of birth and the jurisdiction the case was opened in."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from domain.case import Jurisdiction
from domain.clocks.rules import ClockKind
from domain.dates import UncertainDate, described
from domain.vocabulary import STEP_KINDS

INCIDENT = "harm.incident"
CRIME_REPORTED = "criminal_justice.crime_reported"
CICA_APPLICATION = "compensation.cica_application_submitted"
CICA_DECISION = "compensation.cica_decision"
REVIEW_REQUESTED = "compensation.cica_review_requested"
REVIEW_DECISION = "compensation.cica_review_decision"
APPEAL_LODGED = "compensation.tribunal_appeal_lodged"
TRIBUNAL_DECISION = "compensation.tribunal_decision"
EXTENSION_REQUESTED = "compensation.tribunal_extension_requested"
EXTENSION_GRANTED = "compensation.tribunal_extension_granted"
REFERRED = "nrm.referred"
RG_DECISION = "nrm.reasonable_grounds_decision"
CG_DECISION = "nrm.conclusive_grounds_decision"
SUPPORT_ENDED = "nrm.support_ended"
MOVED_AREA = "transition.moved_area"

#: The step kinds that start a clock, and the clock each starts.
STARTS: Mapping[str, ClockKind] = {
    INCIDENT: ClockKind.CICA_APPLICATION,
    CICA_DECISION: ClockKind.CICA_REVIEW_REQUEST,
    REVIEW_DECISION: ClockKind.TRIBUNAL_APPEAL,
    REFERRED: ClockKind.REASONABLE_GROUNDS_DECISION,
    RG_DECISION: ClockKind.RECOVERY_PERIOD,
}

#: How each step the clocks read is named inside a sentence ("the referral into
#: the NRM is dated 2019"): the vocabulary's labels are headings, not nouns.
NOUNS: Mapping[str, str] = {
    INCIDENT: "incident",
    CRIME_REPORTED: "report to the police",
    CICA_APPLICATION: "CICA application",
    CICA_DECISION: "CICA decision",
    REVIEW_REQUESTED: "review request",
    REVIEW_DECISION: "review decision",
    APPEAL_LODGED: "appeal to the First-tier Tribunal",
    TRIBUNAL_DECISION: "Tribunal decision",
    EXTENSION_REQUESTED: "request to extend the time to appeal",
    EXTENSION_GRANTED: "extension of the time to appeal",
    REFERRED: "referral into the NRM",
    RG_DECISION: "reasonable grounds decision",
    CG_DECISION: "conclusive grounds decision",
    SUPPORT_ENDED: "end of NRM support",
    MOVED_AREA: "move",
}

#: Every step kind the clocks read; the rest cannot change a clock.
CLOCK_STEP_KINDS = frozenset(NOUNS)

#: The key in a ``tribunal_extension_granted`` payload that gives the day the
#: extension runs to; without it, an extension runs the rule's full period again
#: from the day it was granted.
EXTENDED_UNTIL = "until"


@dataclass(frozen=True)
class Step:
    """A step in its current reading, as the clocks need it."""

    step_id: UUID
    kind: str
    occurred: UncertainDate | None
    details: Mapping[str, Any] = field(default_factory=dict)
    #: The order it was first recorded in; breaks ties between same-day steps.
    sequence: int = 0

    @property
    def lower(self) -> date | None:
        """Its earliest possible day (or its latest, for an open start)."""
        if self.occurred is None:
            return None
        return self.occurred.earliest or self.occurred.latest

    @property
    def upper(self) -> date | None:
        """Its latest possible day (or its earliest, for an open end)."""
        if self.occurred is None:
            return None
        return self.occurred.latest or self.occurred.earliest

    @property
    def when(self) -> str:
        return described(self.occurred)

    @property
    def uncertain(self) -> bool:
        return self.occurred is not None and self.lower != self.upper

    @property
    def label(self) -> str:
        kind = STEP_KINDS.get(self.kind)
        return kind.label if kind else self.kind

    @property
    def noun(self) -> str:
        """How it is named inside a sentence: ``incident``, ``CICA decision``."""
        return NOUNS.get(self.kind) or self.label[:1].lower() + self.label[1:]


@dataclass(frozen=True)
class CaseFacts:
    """What the clocks are computed from."""

    #: The jurisdiction the case was opened in.
    jurisdiction: Jurisdiction
    #: Current readings; retracted steps left out.
    steps: tuple[Step, ...]
    born: UncertainDate | None = None
