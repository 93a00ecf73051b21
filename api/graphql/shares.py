"""Counsel's shares: the cases shared with the caller, each with what changed
since they last read its chronology (from their own audit)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import strawberry

from api.graphql.access import Gate
from api.graphql.context import Information
from api.graphql.enums import SharePurpose
from api.graphql.results import NotPermitted, NotPermittedError
from api.policy import Action
from projections.audit import Operation
from projections.chronology import ChronologyReader, Purpose


@strawberry.type(description="A case shared with you, for one purpose, until a day.")
class SharedCase:
    case_id: UUID = strawberry.field(description="The case.")
    reference: str = strawberry.field(description="The case's reference.")
    share_id: UUID = strawberry.field(description="The share.")
    purpose: SharePurpose = strawberry.field(
        description="What you may read: that purpose's chronology (and, for CICA, "
        "the compensation evidence pack)."
    )
    expires_on: date = strawberry.field(
        description="The last day you may read it, unless revoked sooner."
    )
    include_sensitive: bool = strawberry.field(
        description="Whether the share includes sensitive steps."
    )
    last_looked_at: datetime | None = strawberry.field(
        description="When you last read this case's chronology (from the audit); "
        "null if never."
    )
    changed_since_last_look: int = strawberry.field(
        description="Rows of the shared chronology recorded, corrected, disputed "
        "or retracted since `lastLookedAt` (every row, if you have never looked)."
    )


@strawberry.type(description="The live shares with the caller, in the order opened.")
class SharedWithMe:
    shares: list[SharedCase] = strawberry.field(description="The shares.")


SharesResult = Annotated[
    SharedWithMe | NotPermitted,
    strawberry.union(
        "SharesResult", description="Your live shares, or why none can be listed."
    ),
]


def _shared_with(gate: Gate, chronologies: ChronologyReader) -> SharedWithMe:
    gate.require(Action.READ_SHARES_WITH_ME)
    subject = gate.principal.subject
    found: list[SharedCase] = []
    for access in gate.journeys.shares_with(subject):
        looked = gate.audit.last_look(subject, access.case_id, Operation.CHRONOLOGY)
        for share in access.live_shares(subject):
            changed = chronologies.chronology(
                access.case_id,
                purpose=Purpose(share.purpose),
                changed_since=looked,
                include_sensitive=share.include_sensitive,
            )
            found.append(
                SharedCase(
                    case_id=access.case_id,
                    reference=access.reference,
                    share_id=share.share_id,
                    purpose=SharePurpose(share.purpose),
                    expires_on=share.expires_on,
                    include_sensitive=share.include_sensitive,
                    last_looked_at=looked,
                    changed_since_last_look=len(changed.rows),
                )
            )
    gate.record(
        Operation.SHARED_WITH_ME,
        case_ids=[share.case_id for share in found],
        item_ids=[share.share_id for share in found],
    )
    return SharedWithMe(shares=found)


async def resolve_shared_with_me(info: Information) -> SharesResult:
    context = info.context
    try:
        return await context.in_thread(_shared_with, context.gate, context.chronologies)
    except NotPermittedError as error:
        return NotPermitted(message=str(error))
