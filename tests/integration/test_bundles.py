"""Court bundles and chronologies as served.

An advocate assembles a CICA review bundle from a witness's documents, in
sections with page counts; the chronology's references follow it (``B/5``, a pin
"p. 3" pointing at that page). The chronology is served on the defence against
version 1. Then a document is added and another moves: the current chronology's
references re-flow, while the chronology as served keeps version 1's, its export
still verifies, and what changed since it was served is one query.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from uuid import UUID

import pytest

from api.bootstrap import build_journeys
from api.settings import Settings
from domain.application import CaseJourneys, StepInput
from domain.errors import CommandRefused, InvalidField
from projections.chronology import Purpose, chronology_of
from projections.chronology.fold import BundleChoice, UnknownBundle
from projections.chronology.served import as_served, changed_since_served, services_of
from projections.exports import ExportFormat
from projections.exports.build import export_chronology
from projections.exports.files import read_export, write_export
from projections.exports.verify import check_file, check_record
from tests.conftest import TODAY

ADVOCATE = "advocate-rowan"


class Claim:
    def __init__(self, journeys: CaseJourneys) -> None:
        self.journeys = journeys
        self.case_id = journeys.open_case(
            reference="BUNDLE-1",
            organisation_id="org-north",
            jurisdiction="england_and_wales",
            recorded_by=ADVOCATE,
        ).case_id
        self.statement = self.attach("Witness statement")
        self.letter = self.attach("CICA decision letter")
        self.report = self.attach("Medico-legal report")
        self.step(
            "harm.injury",
            "2021-03~",
            "Reported an injury.",
            {"nature": "physical"},
            [{"document": str(self.report), "pin": "p. 3"}],
        )
        self.step(
            "compensation.cica_decision",
            "2023-04-03",
            "CICA refused the application.",
            {"outcome": "refused", "amount": None},
            [{"document": str(self.letter), "pin": None}],
        )

    def attach(self, title: str) -> UUID:
        return self.journeys.attach_evidence(
            self.case_id, title=title, document_kind="letter", recorded_by=ADVOCATE
        ).id

    def step(
        self,
        kind: str,
        occurred: str,
        summary: str,
        details: dict[str, object],
        sources: list[dict[str, object]],
    ) -> UUID:
        return self.journeys.record_step(
            self.case_id,
            StepInput(kind, occurred, summary, details, sources),
            recorded_by=ADVOCATE,
        ).id

    def assemble(
        self,
        sections: list[dict[str, object]],
        bundle_id: UUID | None = None,
        **options: object,
    ) -> UUID:
        return self.journeys.assemble_bundle(
            self.case_id,
            name="CICA review bundle",
            purpose="cica_review",
            sections=sections,  # type: ignore[arg-type]
            bundle_id=bundle_id,
            recorded_by=ADVOCATE,
            **options,  # type: ignore[arg-type]
        ).id

    def references(self, bundle: BundleChoice | None) -> list[str | None]:
        chronology = chronology_of(
            self.journeys.case_events(self.case_id), purpose=Purpose.FULL, bundle=bundle
        )
        return [row.current.sources[0].bundle_ref for row in chronology.rows]


def document(document_id: UUID, pages: int) -> dict[str, object]:
    return {"document_id": str(document_id), "pages": pages}


@pytest.fixture
def claim(settings: Settings) -> Iterator[Claim]:
    journeys = build_journeys(settings, today=lambda: TODAY)
    try:
        yield Claim(journeys)
    finally:
        journeys.close()


def first_version(claim: Claim) -> UUID:
    return claim.assemble(
        [
            {
                "letter": "A",
                "title": "Decisions",
                "documents": [document(claim.letter, 4)],
            },
            {
                "letter": "B",
                "title": "Evidence",
                "documents": [document(claim.statement, 4), document(claim.report, 10)],
            },
        ]
    )


def test_references_follow_the_bundle_s_sections_and_continuous_pages(
    claim: Claim,
) -> None:
    bundle_id = first_version(claim)

    # The report starts at B/5 (after the 4-page statement); its p. 3 is B/7.
    assert claim.references(BundleChoice(bundle_id)) == ["B/7", "A/1-4"]
    assert claim.references(None) == [None, None], "no bundle chosen: as attached"


def test_a_moved_document_re_flows_the_current_references_but_not_the_served_ones(
    claim: Claim,
) -> None:
    bundle_id = first_version(claim)
    served = claim.journeys.serve_chronology(
        claim.case_id,
        purpose="full",
        served_on=date(2026, 11, 20),
        served_to="the First-tier Tribunal",
        bundle_id=bundle_id,
        recorded_by=ADVOCATE,
    ).id
    served_export = write_export(
        export_chronology(claim.journeys, claim.case_id, served=served),
        ExportFormat.CSV,
    )
    extra = claim.attach("Counselling letter")
    claim.assemble(
        [
            {
                "letter": "A",
                "title": "Evidence",
                "documents": [document(extra, 2), document(claim.report, 10)],
            },
            {
                "letter": "B",
                "title": "Decisions",
                "documents": [document(claim.statement, 4), document(claim.letter, 4)],
            },
        ],
        bundle_id,
    )
    claim.step(
        "compensation.cica_review_requested",
        "2023-05-01",
        "Review requested.",
        {},
        [{"document": str(claim.letter), "pin": "p. 2"}],
    )

    assert claim.references(BundleChoice(bundle_id)) == ["A/5", "B/5-8", "B/6"]
    assert claim.references(BundleChoice(bundle_id, 1)) == ["B/7", "A/1-4", "A/2"]
    events = claim.journeys.case_events(claim.case_id)
    service, chronology = as_served(events, served)
    assert (service.served_to, service.purpose) == (
        "the First-tier Tribunal",
        Purpose.FULL,
    )
    assert [row.current.sources[0].bundle_ref for row in chronology.rows] == [
        "B/7",
        "A/1-4",
    ]
    assert [s.service_id for s in services_of(events)] == [served]
    changed = changed_since_served(events, service)
    assert [row.label for row in changed.rows] == ["CICA review requested"]
    assert changed.rows[0].current.sources[0].bundle_ref == "B/6"

    _, proof, rows = read_export(served_export)
    assert proof.service_id == served and proof.bundle_version == 1
    assert [row.source for row in rows] == [
        "Medico-legal report, p. 3 [B/7]",
        "CICA decision letter [A/1-4]",
    ]
    assert check_file(proof, rows).matches
    record = check_record(claim.journeys, proof)
    assert record.matches, "the served export still verifies after the bundle moved"
    again = export_chronology(claim.journeys, claim.case_id, served=served)
    assert again.rows == tuple(rows)


@pytest.mark.parametrize(
    ("sections", "field"),
    [
        ([], "sections"),
        ([{"letter": "B", "title": "Evidence", "documents": []}], "sections[0].letter"),
        ([{"letter": "A", "title": " ", "documents": []}], "sections[0].title"),
        (
            [
                {
                    "letter": "A",
                    "title": "E",
                    "documents": [{"document_id": str(UUID(int=7)), "pages": 3}],
                }
            ],
            "sections[0].documents[0].documentId",
        ),
        ("pages=0", "sections[0].documents[0].pages"),
        ("twice", "sections[1].documents[0].documentId"),
    ],
)
def test_a_bundle_that_cannot_be_paginated_is_refused_and_records_nothing(
    claim: Claim, sections: object, field: str
) -> None:
    if sections == "pages=0":
        sections = [
            {"letter": "A", "title": "E", "documents": [document(claim.letter, 0)]}
        ]
    elif sections == "twice":
        sections = [
            {"letter": "A", "title": "E", "documents": [document(claim.letter, 1)]},
            {"letter": "B", "title": "F", "documents": [document(claim.letter, 1)]},
        ]
    before = claim.journeys.case_summary(claim.case_id).version

    with pytest.raises(InvalidField) as refused:
        claim.assemble(sections)  # type: ignore[arg-type]

    assert refused.value.field == field
    assert claim.journeys.case_summary(claim.case_id).version == before


def test_serving_names_a_bundle_version_that_exists_and_a_day_not_yet_to_come(
    claim: Claim,
) -> None:
    bundle_id = first_version(claim)
    before = claim.journeys.case_summary(claim.case_id).version
    attempts = [
        ({"bundle_id": UUID(int=9)}, "bundleId"),
        ({"bundle_id": bundle_id, "bundle_version": 2}, "bundleVersion"),
        ({"bundle_version": 1}, "bundleVersion"),
        ({"served_on": date(2026, 11, 27)}, "servedOn"),
        ({"served_to": "  "}, "servedTo"),
    ]
    for changes, field in attempts:
        arguments = {"purpose": "cica", "served_on": TODAY, "served_to": "the defence"}
        arguments.update(changes)  # type: ignore[arg-type]
        with pytest.raises(CommandRefused) as refused:
            claim.journeys.serve_chronology(
                claim.case_id, recorded_by=ADVOCATE, **arguments
            )  # type: ignore[arg-type]
        assert refused.value.field == field
    assert claim.journeys.case_summary(claim.case_id).version == before
    with pytest.raises(UnknownBundle):
        claim.references(BundleChoice(bundle_id, 5))


def test_a_retried_assembly_records_one_version(claim: Claim) -> None:
    sections = [
        {"letter": "A", "title": "Decisions", "documents": [document(claim.letter, 4)]}
    ]
    first = claim.journeys.assemble_bundle(
        claim.case_id,
        name="Bundle",
        purpose="cica_review",
        sections=sections,
        recorded_by=ADVOCATE,
        idempotency_key="bundle-1",
    )
    again = claim.journeys.assemble_bundle(
        claim.case_id,
        name="Bundle",
        purpose="cica_review",
        sections=sections,
        recorded_by=ADVOCATE,
        idempotency_key="bundle-1",
    )

    assert again.replayed and again.id == first.id and again.version == first.version
