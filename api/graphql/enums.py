"""The domain's enums, exposed to GraphQL as they are (same names, same values).

Strawberry registers an existing enum class without changing its behaviour, so the
schema can never drift from the domain and resolvers need no conversions.
"""

from __future__ import annotations

import strawberry

from domain.case import ConsentPurpose, Jurisdiction
from domain.erasure import ErasureGround
from projections.chronology import Purpose, RowStatus

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
    description="What a chronology is for; each purpose selects the areas of the "
    "journey it needs (FULL shows every area).",
)
strawberry.enum(
    RowStatus,
    description="How a chronology row stands: CURRENT as first recorded, CORRECTED, "
    "DISPUTED (another version stands beside it), or RETRACTED.",
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
    "ConsentPurpose",
    "ErasureGround",
    "Jurisdiction",
    "RowStatus",
]
