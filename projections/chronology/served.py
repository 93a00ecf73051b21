"""Chronologies as served: each service is a fact on the case, so "as served on
3 March" is the chronology folded from the case's events up to the version it
was served at, its references following the bundle version it was served with;
and "what changed since it was served" is every row changed after that version.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from domain.case import CaseEvent, ChronologyServed
from domain.errors import CommandRefused
from projections.case_stream import StepHistoryFold
from projections.chronology.fold import BundleChoice, chronology_of
from projections.chronology.rows import Chronology
from projections.chronology.selection import Purpose


@dataclass(frozen=True)
class Service:
    service_id: UUID
    purpose: Purpose
    #: The case's version, and its chain head, when it was served.
    case_version: int
    chain_head: str
    bundle: BundleChoice | None
    served_on: date
    served_to: str
    recorded_at: datetime
    recorded_by: str

    @classmethod
    def of(cls, event: ChronologyServed) -> Service:
        return cls(
            service_id=event.service_id,
            purpose=Purpose(event.purpose),
            case_version=event.case_version,
            chain_head=event.chain_head,
            bundle=(
                BundleChoice(event.bundle_id, event.bundle_version)
                if event.bundle_id is not None
                else None
            ),
            served_on=date.fromisoformat(event.served_on),
            served_to=event.served_to,
            recorded_at=event.timestamp,
            recorded_by=event.recorded_by,
        )


class ServiceNotFound(CommandRefused):
    def __init__(self, service_id: UUID) -> None:
        super().__init__(f"no service {service_id} on this case", field="serviceId")


def services_of(events: Sequence[CaseEvent]) -> list[Service]:
    """Every chronology served on the case, in the order recorded."""
    return [Service.of(e) for e in events if isinstance(e, ChronologyServed)]


def as_served(
    events: Sequence[CaseEvent], service_id: UUID, *, include_sensitive: bool = True
) -> tuple[Service, Chronology]:
    """The service, and the chronology exactly as it was served (without the
    steps sensitive now, unless ``include_sensitive``)."""
    service = next((s for s in services_of(events) if s.service_id == service_id), None)
    if service is None:
        raise ServiceNotFound(service_id)
    sensitive_now = None
    if not include_sensitive:
        everything = StepHistoryFold()
        for event in events:
            everything.fold(event)
        sensitive_now = everything.sensitive_steps()
    served = chronology_of(
        events[: service.case_version],
        purpose=service.purpose,
        bundle=service.bundle,
        include_sensitive=include_sensitive,
        sensitive_now=sensitive_now,
    )
    return service, served


def changed_since_served(events: Sequence[CaseEvent], service: Service) -> Chronology:
    """The rows of the service's purpose changed after the version served, with
    references following the newest version of its bundle."""
    served_through = events[service.case_version - 1].timestamp
    bundle = BundleChoice(service.bundle.bundle_id) if service.bundle else None
    return chronology_of(
        events, purpose=service.purpose, changed_since=served_through, bundle=bundle
    )
