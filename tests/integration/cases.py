"""A case opened as the integration tests open theirs, by an advocate of
org-north in England and Wales (synthetic throughout)."""

from __future__ import annotations

from uuid import UUID

from domain.application import CaseJourneys


def open_north_case(journeys: CaseJourneys, reference: str, recorded_by: str) -> UUID:
    return journeys.open_case(
        reference=reference,
        organisation_id="org-north",
        jurisdiction="england_and_wales",
        local_authority="Eastshire",
        recorded_by=recorded_by,
    ).case_id
