"""The domain's enums, exposed to GraphQL as they are (same names, same values).

Strawberry registers an existing enum class without changing its behaviour, so the
schema can never drift from the domain and resolvers need no conversions.
"""

from __future__ import annotations

import strawberry

from domain.case import ConsentPurpose, Jurisdiction, SharePurpose
from domain.clocks import ClockKind, ClockStatus
from domain.erasure import ErasureGround
from projections.chronology import LeftOutReason, Purpose, RowStatus
from projections.deadlines import ClockRole

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
    description="Which legal clock: a CICA application (2 years after the "
    "incident; for a survivor under 18 at it, before the 20th birthday or 2 years "
    "from the first report to the police), a CICA review request, a First-tier "
    "Tribunal appeal, the NRM reasonable grounds decision target, or the NRM "
    "recovery period.",
)
strawberry.enum(
    ClockStatus,
    description="How a clock stands on the day judged: RUNNING, MET (stopped in "
    "time, or a period of protection that has run), MISSED (stopped late, not "
    "stopped by its due day, or a period cut short), EXTENDED (reopened by an "
    "extension and running again), NO_LONGER_RELEVANT (superseded, e.g. a "
    "reasonable grounds target once a conclusive grounds decision exists), or "
    "NOT_STARTED (its window has not opened: a child's CICA window under para "
    "88(1)(b) opens with the first report to the police; nothing is due yet).",
)

strawberry.enum(
    SharePurpose,
    description="What a case is shared with counsel for: the chronology of that "
    "purpose (and, for CICA, the compensation evidence pack); never the full "
    "record.",
)

# Registered here, before any type names them: a type that named one first
# would register a second, and the schema would refuse the duplicate.
strawberry.enum(
    ClockKind,
    description="Which legal clock: a CICA application (2 years from the "
    "incident, or to the 20th birthday), a CICA review request, a First-tier "
    "Tribunal appeal, the NRM reasonable grounds decision target, or the NRM "
    "recovery period.",
)
strawberry.enum(
    ClockStatus,
    description="How a clock stands on the day judged: RUNNING, MET (stopped in "
    "time), MISSED (stopped late, or not stopped by its due day), EXTENDED "
    "(reopened by an extension and running again), or NO_LONGER_RELEVANT "
    "(superseded, e.g. a reasonable grounds target once a conclusive grounds "
    "decision exists).",
)
strawberry.enum(
    ClockRole,
    description="What a step did to a clock: STARTED it, STOPPED it, or EXTENDED it.",
)

strawberry.enum(
    ErasureGround,
    description="Why a case is erased: the survivor's request (UK GDPR art. 17), "
    "the retention period after closure has passed, or the consent the record "
    "rested on was withdrawn.",
)

ChronologyPurpose = Purpose

__all__ = [
    "ChronologyPurpose",
    "ClockKind",
    "ClockRole",
    "ClockStatus",
    "ConsentPurpose",
    "ErasureGround",
    "Jurisdiction",
    "LeftOutReason",
    "RowStatus",
    "SharePurpose",
]
