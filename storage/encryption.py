"""The mapper that seals each event's state under its own case's key.

eventsourcing's cipher is one key for the whole store; erasing one case needs a
key per case. The library hands its mapper the cipher its settings name, so the
store's cipher is a ``CaseKeyring`` and this mapper asks it for the key of each
event's case (``originator_id``). Events whose class says
``sealed_under_system_key`` (the erasure) are sealed under the system key.

The ciphertext is bound to the event's place (case, version and topic), so no
sealed state can be moved to another case or position unnoticed. The hash chain
covers the plaintext, inside the sealed state (``domain.hashchain``), so every
other case still verifies once one case's keys are destroyed.

Reading never stops on an erased case: an event whose key is gone is read as a
``SealedEvent``. A stored state without the header is plaintext, written before
encryption was turned on, and is read as it is. Without a keyring (the library's
own cipher, or none) this mapper is the chain-preserving mapper unchanged.
"""

from __future__ import annotations

from typing import cast
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import (
    Cipher,
    Compressor,
    MapperDeserialisationError,
    StoredEvent,
    Transcoder,
)
from eventsourcing.utils import get_topic, resolve_topic

from domain.erasure import CaseErased, SealedEvent
from storage.keyring import MAGIC, SYSTEM, CaseKeyring, KeyringError, is_sealed
from storage.keys import shared_key_store
from storage.mapper import ChainPreservingMapper


def _place(originator_id: UUID, originator_version: int, topic: str) -> bytes:
    return originator_id.bytes + originator_version.to_bytes(8, "big") + topic.encode()


class CaseEncryptingMapper(ChainPreservingMapper):
    def __init__(
        self,
        transcoder: Transcoder,
        compressor: Compressor | None = None,
        cipher: Cipher | None = None,
    ) -> None:
        self.keyring = cipher if isinstance(cipher, CaseKeyring) else None
        # The keyring is not a whole-store cipher: the library's own code paths
        # never see it.
        super().__init__(
            transcoder, compressor, None if self.keyring is not None else cipher
        )

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        if self.keyring is None:
            return super().to_stored_event(domain_event)
        topic = get_topic(type(domain_event))
        state = dict(vars(domain_event))
        originator_id = state.pop("originator_id")
        originator_version = state.pop("originator_version")
        class_version = getattr(type(domain_event), "class_version", 1)
        if class_version > 1:
            state["class_version"] = class_version
        plaintext = self.transcoder.encode(state)
        if self.compressor:
            plaintext = self.compressor.compress(plaintext)
        owner = (
            SYSTEM
            if getattr(type(domain_event), "sealed_under_system_key", False)
            else originator_id
        )
        place = _place(originator_id, originator_version, topic)
        sealed = self.keyring.seal(owner, plaintext, place)
        return StoredEvent(
            originator_id=originator_id,
            originator_version=originator_version,
            topic=topic,
            state=sealed,
        )

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        state = stored_event.state
        if not state.startswith(MAGIC):
            return super().to_domain_event(stored_event)  # plaintext, from before
        if self.keyring is None:
            raise MapperDeserialisationError(
                "a sealed event needs the keyring: set WAYMARK_MASTER_KEY"
            )
        case_id = stored_event.originator_id
        if not isinstance(case_id, UUID):
            case_id = UUID(case_id)
        version, topic = stored_event.originator_version, stored_event.topic
        try:
            plaintext = self.keyring.open(
                case_id, state, _place(case_id, version, topic)
            )
        except KeyringError as error:
            # Altered, moved, or under a master key this process lacks: never
            # read as erased.
            raise MapperDeserialisationError(
                f"cannot open version {version} of case {case_id}: {error}"
            ) from error
        if plaintext is None:
            placeholder = SealedEvent(case_id, version, topic)
            return cast(DomainEventProtocol[UUID], placeholder)
        cls = resolve_topic(topic)
        if getattr(cls, "class_version", 1) > 1 or self.compressor:
            # To be upcast (and hashed as recorded), or decompressed: the
            # chain-preserving mapper's way.
            opened = StoredEvent(case_id, version, topic, plaintext)
            event = super().to_domain_event(opened)
        else:
            # The library's mapping of a current event, without a second copy of
            # the stored event: this runs for every event read.
            try:
                event_state = self.transcoder.decode(plaintext)
            except Exception as error:
                raise MapperDeserialisationError(
                    f"cannot decode version {version} of case {case_id}: {error}"
                ) from error
            event_state["originator_id"] = case_id
            event_state["originator_version"] = version
            event_state.pop("class_version", None)
            event = object.__new__(cls)
            object.__setattr__(event, "__dict__", event_state)
        if type(event) is CaseErased:
            # Another process erased the case: its keys leave this one's memory.
            self.keyring.forget(case_id)
        return event

    # Erasure (domain.erasure.CaseKeys)

    def destroy_case_keys(self, case_id: UUID) -> int:
        if self.keyring is None:
            raise ValueError("this store does not seal cases under their own keys")
        return self.keyring.destroy(case_id)

    @staticmethod
    def is_sealed(stored_state: bytes) -> bool:
        return is_sealed(stored_state)

    def holds_case_keys(self, case_id: UUID) -> bool:
        return self.keyring is not None and self.keyring.holds_key(case_id)

    @property
    def erasable(self) -> bool:
        return self.keyring is not None

    def close(self) -> None:
        if self.keyring is not None:
            self.keyring.close()


def share_connections(application: Application[UUID]) -> None:
    """The key table on the application's own database connections, so that
    encryption adds no connections (the keyring opens its own otherwise)."""
    mapper = application.mapper
    if isinstance(mapper, CaseEncryptingMapper) and mapper.keyring is not None:
        store = shared_key_store(application.factory)
        if store is not None:
            mapper.keyring.use(store)
