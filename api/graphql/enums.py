"""The domain's enums, exposed to GraphQL as they are (same names, same values).

Strawberry registers an existing enum class without changing its behaviour, so the
schema can never drift from the domain and resolvers need no conversions.
"""

from __future__ import annotations

import strawberry

from domain.case import ConsentPurpose, Jurisdiction
from domain.clocks import ClockKind
from projections.chronology import LeftOutReason, Purpose, RowStatus

strawberry.enum(
    Jurisdiction,
    description="The legal system the survivor's case falls under; its rules and "
    "clocks differ.",
)
strawberry.enum(
    ConsentPurpose,
    description="What a survivor's consent covers: record keeping, sharing with "
    "counsel, inclusion in evaluation, or an NRM referral.",
)
strawberry.enum(
    Purpose,
    name="ChronologyPurpose",
    description="What a chronology is for; each purpose selects the steps it "
    "needs and states on the chronology what it leaves out and why (FULL shows "
    "every step).",
)
strawberry.enum(
    LeftOutReason,
    description="Why a chronology leaves steps out: RECOVERY_SUPPORT (housing, "
    "benefits, employment and education, services ending), LEGAL_ADVICE (the "
    "survivor's own legal aid and advice, which is privileged), ADVOCATE_CONTACT "
    "(the advocate's working record of contact).",
)
strawberry.enum(
    RowStatus,
    description="How a chronology row stands: CURRENT as first recorded, CORRECTED, "
    "DISPUTED (another version stands beside it), or RETRACTED.",
)
# Here, not beside the deadlines' types: the caseload's types name it too, and
# Strawberry registers an enum it meets unregistered as a second type.
strawberry.enum(
    ClockKind,
    description="Which legal clock: a CICA application (2 years from the "
    "incident, or to the 20th birthday), a CICA review request, a First-tier "
    "Tribunal appeal, the NRM reasonable grounds decision target, or the NRM "
    "recovery period.",
)

ChronologyPurpose = Purpose

__all__ = [
    "ChronologyPurpose",
    "ClockKind",
    "ConsentPurpose",
    "Jurisdiction",
    "LeftOutReason",
    "RowStatus",
]
