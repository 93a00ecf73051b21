"""A mapper that keeps each case event's hash as it was stored, through upcasts.

An event's place in the hash chain is the hash of its state as recorded. When an
older event is upcast on reading, its state changes shape; this mapper hashes the
state it read before the upcast, so evolving an event never breaks the chain.
"""

from __future__ import annotations

from typing import Any, cast
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Mapper, StoredEvent

from domain.case import CaseEvent
from domain.hashchain import event_hash


class ChainPreservingMapper(Mapper[UUID]):
    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        event = super().to_domain_event(stored_event)
        current_version = getattr(type(event), "class_version", 1)
        if isinstance(event, CaseEvent) and current_version > 1:
            recorded = self._recorded_state(stored_event)
            if recorded.get("class_version", 1) != current_version:
                # Only upcast events need it; the domain hashes the others itself.
                event.__dict__["_recorded_hash"] = event_hash(
                    stored_event.topic,
                    event.originator_id,
                    stored_event.originator_version,
                    recorded,
                )
        return event

    def _recorded_state(self, stored_event: StoredEvent) -> dict[str, Any]:
        data = stored_event.state
        if self.cipher:
            data = self.cipher.decrypt(data)
        if self.compressor:
            data = self.compressor.decompress(data)
        return cast(dict[str, Any], self.transcoder.decode(data))
