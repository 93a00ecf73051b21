"""What the evaluation projection asks its view to change.

The view keeps a case only while its survivor consents to evaluation: every
change but ``Consented`` is written only for a consenting case, ``Consented``
starts the case afresh (the projection follows it with the case's history) and
``ConsentEnded`` deletes all the case's facts; ``Anonymised`` (an erasure)
moves them to a random id. Days are ``date.toordinal``.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from projections.evaluation.metrics import Fact


@dataclass(frozen=True)
class Consented:
    case_id: UUID


@dataclass(frozen=True)
class ConsentEnded:
    case_id: UUID


@dataclass(frozen=True)
class Opened:
    case_id: UUID
    opened_on: int
    six_months_on: int


@dataclass(frozen=True)
class Born:
    case_id: UUID
    earliest: int | None
    latest: int | None


@dataclass(frozen=True)
class SpellBegun:
    """Opened or reopened: open from ``on`` until it closes."""

    case_id: UUID
    sequence: int
    on: int


@dataclass(frozen=True)
class SpellEnded:
    case_id: UUID
    on: int


@dataclass(frozen=True)
class Placed:
    """Where the case is from ``on``: a value of None leaves that one as it was.
    ``source`` names what placed it (the opening, a transfer, a move's step)."""

    case_id: UUID
    source: str
    on: int
    sequence: int
    organisation_id: str | None
    jurisdiction: str | None
    local_authority: str | None


@dataclass(frozen=True)
class StepCleared:
    """The step's facts and placement are gone (corrected or retracted)."""

    case_id: UUID
    step_id: UUID


@dataclass(frozen=True)
class FactNoted:
    case_id: UUID
    step_id: UUID
    fact: Fact
    on: int | None
    amount: int | None
    flag: bool
    prosecution: str | None = None
    defendant: str | None = None


@dataclass(frozen=True)
class Anonymised:
    """The case was erased: its rows stay, so published figures do not move,
    but under ``new_case_id`` (random), and each fact under a random step id;
    nothing in the view then leads back to the case or its steps."""

    case_id: UUID
    new_case_id: UUID


Change = (
    Anonymised
    | Consented
    | ConsentEnded
    | Opened
    | Born
    | SpellBegun
    | SpellEnded
    | Placed
    | StepCleared
    | FactNoted
)
