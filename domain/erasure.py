"""Erasure: a case's events made unreadable for good, and the fact recorded.

Each case's events are sealed under the case's own data key (``storage.keyring``).
Erasing a case records ``CaseErased`` in its stream, then destroys its keys:
every earlier event of the case can no longer be read by any key the system
holds, and the mapper reads each as a ``SealedEvent``. ``CaseErased`` holds no
personal data (the ground, who erased it, the organisation that held it) and is
sealed under the system key, which is never destroyed, so the erasure stays on
record and every projection and check can read it.

Events are persisted contracts: ``CaseErased.TOPIC`` is never renamed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar, Protocol, runtime_checkable
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.utils import register_topic

from domain.errors import CommandRefused


class ErasureGround(StrEnum):
    """Why a case is erased (UK GDPR art. 17 and the retention policy)."""

    #: The survivor asked for their data to be erased (UK GDPR art. 17(1)).
    ERASURE_REQUEST = "erasure_request"
    #: The organisation's retention period after closure has passed
    #: (storage limitation, UK GDPR art. 5(1)(e)).
    RETENTION_EXPIRED = "retention_expired"
    #: The survivor withdrew the consent the processing rested on
    #: (UK GDPR art. 17(1)(b)).
    CONSENT_WITHDRAWN = "consent_withdrawn"


class CaseErased(Aggregate.Event):
    """The case was erased: its keys destroyed, its events unreadable.

    Readable without the case's key (``sealed_under_system_key``). It ends the
    case: folding it gives no case, so loading an erased case finds nothing.
    """

    TOPIC: ClassVar[str] = "waymark.case:CaseErased"
    #: Read by the mapper: seal this event under the system key.
    sealed_under_system_key: ClassVar[bool] = True

    ground: str
    erased_by: str
    #: The organisation that held the case: who may ask about the erasure.
    organisation_id: str
    idempotency_key: str | None
    command_digest: str | None

    @classmethod
    def of(
        cls,
        case_id: UUID,
        version: int,
        *,
        ground: ErasureGround,
        erased_by: str,
        organisation_id: str,
        idempotency_key: str | None,
        command_digest: str | None,
    ) -> CaseErased:
        """The erasure of a case at ``version`` (the case's next)."""
        state: dict[str, Any] = {
            "originator_id": case_id,
            "originator_version": version,
            "timestamp": cls.create_timestamp(),
            "ground": ground.value,
            "erased_by": erased_by,
            "organisation_id": organisation_id,
            "idempotency_key": idempotency_key,
            "command_digest": command_digest,
        }
        return cls(**state)

    def mutate(self, aggregate: Any) -> None:
        return None


@dataclass(frozen=True)
class SealedEvent:
    """An event whose case's keys were destroyed: only where it stands in the
    log is known. Folding it gives no case; projections pass it by."""

    originator_id: UUID
    originator_version: int
    topic: str
    timestamp: None = None

    def mutate(self, aggregate: Any) -> None:
        return None


class KeyOfAnErasedCase(CommandRefused):
    def __init__(self) -> None:
        super().__init__(
            "the case this idempotency key opened was erased; use another key",
            field="idempotencyKey",
        )


class PlaintextEvents(CommandRefused):
    def __init__(self, count: int) -> None:
        super().__init__(
            f"{count} events of this case were written before encryption was "
            "turned on: destroying keys cannot erase them (see the README on "
            "moving a deployment to encryption)"
        )


class ErasureUnavailable(CommandRefused):
    def __init__(self) -> None:
        super().__init__(
            "this store does not seal each case under a key of its own, so a "
            "case cannot be erased; set a master key (WAYMARK_MASTER_KEY)"
        )


@runtime_checkable
class CaseKeys(Protocol):
    """What erasure needs of the store (the encrypting mapper provides it)."""

    @property
    def erasable(self) -> bool:
        """Whether cases are sealed under keys of their own."""
        ...

    def destroy_case_keys(self, case_id: UUID) -> int: ...

    def is_sealed(self, stored_state: bytes) -> bool:
        """Whether a stored state is sealed (not plaintext from before)."""
        ...

    def holds_case_keys(self, case_id: UUID) -> bool: ...

    def close(self) -> None: ...


register_topic(CaseErased.TOPIC, CaseErased)
