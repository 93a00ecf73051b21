"""Court bundles and chronologies as served: the commands' inputs and results,
and the queries that list a case's bundles and services."""

from __future__ import annotations

import datetime
from typing import Annotated, Self, TypeAlias
from uuid import UUID

import strawberry

from api.graphql.access import Gate
from api.graphql.context import Information
from api.graphql.enums import ChronologyPurpose
from api.graphql.inputs import CaseCommandInput
from api.graphql.results import (
    AnyFailure,
    CommandSucceeded,
    NotFound,
    NotPermitted,
    NotPermittedError,
    failure_for,
)
from api.policy import Action
from domain.application import CommandResult
from domain.bundles import MAX_DOCUMENTS, MAX_PAGES, MAX_SECTIONS, NAME_LIMIT
from domain.bundles import Bundle as BundleView
from domain.bundles import BundlePurpose as DomainBundlePurpose
from domain.commands import AssembleBundle, CaseCommand, ServeChronology
from domain.errors import CommandRefused
from projections.audit import Operation
from projections.case_stream import StepHistoryFold
from projections.chronology.served import Service as ServiceView
from projections.chronology.served import services_of

strawberry.enum(DomainBundlePurpose, description="What a court bundle is for.")
BundlePurpose = DomainBundlePurpose


@strawberry.input(description="A document's place in a bundle section.")
class BundleDocumentInput:
    document_id: UUID = strawberry.field(
        description="An evidence document attached to the case."
    )
    pages: int = strawberry.field(description=f"Its number of pages, 1 to {MAX_PAGES}.")


@strawberry.input(description="A lettered section of a bundle.")
class BundleSectionInput:
    letter: str = strawberry.field(
        description="A, B, C ... in order (PD27A); pages run from 1 in each section."
    )
    title: str = strawberry.field(
        description=f"What the section holds; at most {NAME_LIMIT} characters."
    )
    documents: list[BundleDocumentInput] = strawberry.field(
        description="Its documents, in order; each document in one place only."
    )


@strawberry.input(
    description="Assemble a court bundle, or (with `bundleId`) its next version."
)
class AssembleBundleInput(CaseCommandInput):
    name: str = strawberry.field(
        description=f"The bundle's name; at most {NAME_LIMIT} characters."
    )
    purpose: BundlePurpose = strawberry.field(description="What the bundle is for.")
    sections: list[BundleSectionInput] = strawberry.field(
        description=f"Sections A, B, C ... (at most {MAX_SECTIONS}), at most "
        f"{MAX_DOCUMENTS} documents in all."
    )
    bundle_id: UUID | None = strawberry.field(
        default=None, description="The bundle this is a new version of."
    )

    def command(self) -> CaseCommand:
        return AssembleBundle(
            self.case_id,
            self.name,
            self.purpose.value,
            [
                {
                    "letter": section.letter,
                    "title": section.title,
                    "documents": [
                        {"document_id": str(d.document_id), "pages": d.pages}
                        for d in section.documents
                    ],
                }
                for section in self.sections
            ],
            self.bundle_id,
        )


@strawberry.input(
    description="Record that the case's chronology for a purpose, as it stands "
    "now, was served."
)
class ServeChronologyInput(CaseCommandInput):
    purpose: ChronologyPurpose = strawberry.field(description="The chronology served.")
    served_on: datetime.date = strawberry.field(
        description="The day it was served; not in the future."
    )
    served_to: str = strawberry.field(
        description=f"On whom (a court, a party); at most {NAME_LIMIT} characters."
    )
    bundle_id: UUID | None = strawberry.field(
        default=None, description="The bundle its page references follow."
    )
    bundle_version: int | None = strawberry.field(
        default=None, description="That bundle's version; by default its newest."
    )

    def command(self) -> CaseCommand:
        return ServeChronology(
            self.case_id,
            self.purpose.value,
            self.served_on,
            self.served_to,
            self.bundle_id,
            self.bundle_version,
        )


@strawberry.type(description="A version of a court bundle was recorded.")
class BundleAssembled(CommandSucceeded):
    bundle_id: UUID = strawberry.field(description="The bundle.")

    @classmethod
    def from_result(cls, result: CommandResult) -> Self:
        return cls(
            case_id=result.case_id,
            bundle_id=result.id,
            case_version=result.version,
            position=result.position,
            replayed=result.replayed,
        )


@strawberry.type(description="A chronology's service was recorded.")
class ChronologyServed(CommandSucceeded):
    service_id: UUID = strawberry.field(
        description="The service; read the chronology as served with `servedAs`."
    )

    @classmethod
    def from_result(cls, result: CommandResult) -> Self:
        return cls(
            case_id=result.case_id,
            service_id=result.id,
            case_version=result.version,
            position=result.position,
            replayed=result.replayed,
        )


AssembleBundleResult: TypeAlias = Annotated[
    BundleAssembled | AnyFailure,
    strawberry.union(
        "AssembleBundleResult", description="`BundleAssembled`, or why not."
    ),
]
ServeChronologyResult: TypeAlias = Annotated[
    ChronologyServed | AnyFailure,
    strawberry.union(
        "ServeChronologyResult", description="`ChronologyServed`, or why not."
    ),
]


@strawberry.type(description="A document's pages in a version of a bundle.")
class BundleDocument:
    document_id: UUID = strawberry.field(description="The evidence document.")
    title: str | None = strawberry.field(description="Its title, as attached.")
    first_page: int = strawberry.field(description="Its first page in the section.")
    last_page: int = strawberry.field(description="Its last page in the section.")
    reference: str = strawberry.field(description="E.g. `B/12-15`.")


@strawberry.type(description="A lettered section of a bundle version.")
class BundleSection:
    letter: str = strawberry.field(description="A, B, C ...")
    title: str = strawberry.field(description="What it holds.")
    pages: int = strawberry.field(description="Its number of pages.")
    documents: list[BundleDocument] = strawberry.field(description="In order.")


@strawberry.type(description="One version of a court bundle.")
class Bundle:
    bundle_id: UUID = strawberry.field(description="The bundle.")
    version: int = strawberry.field(description="This version's number, from 1.")
    name: str = strawberry.field(description="The bundle's name.")
    purpose: BundlePurpose = strawberry.field(description="What it is for.")
    sections: list[BundleSection] = strawberry.field(description="A, B, C ...")

    @classmethod
    def of(cls, bundle: BundleView, titles: dict[str, str]) -> Bundle:
        placements = bundle.placements()
        counts = bundle.page_counts()
        return cls(
            bundle_id=bundle.bundle_id,
            version=bundle.version,
            name=bundle.name,
            purpose=bundle.purpose,
            sections=[
                BundleSection(
                    letter=section.letter,
                    title=section.title,
                    pages=counts[section.letter],
                    documents=[
                        BundleDocument(
                            document_id=document_id,
                            title=titles.get(str(document_id)),
                            first_page=placements[document_id].first_page,
                            last_page=placements[document_id].last_page,
                            reference=placements[document_id].reference(),
                        )
                        for document_id, _ in section.documents
                    ],
                )
                for section in bundle.sections
            ],
        )


@strawberry.type(description="A chronology served on a party.")
class Service:
    service_id: UUID = strawberry.field(description="The service.")
    purpose: ChronologyPurpose = strawberry.field(description="The chronology served.")
    case_version: int = strawberry.field(description="The case's version served.")
    chain_head: str = strawberry.field(description="The chain head served.")
    bundle_id: UUID | None = strawberry.field(description="The bundle followed.")
    bundle_version: int | None = strawberry.field(description="Its version.")
    served_on: datetime.date = strawberry.field(description="The day served.")
    served_to: str = strawberry.field(description="On whom.")
    recorded_at: datetime.datetime = strawberry.field(description="When recorded.")

    @classmethod
    def of(cls, service: ServiceView) -> Service:
        return cls(
            service_id=service.service_id,
            purpose=service.purpose,
            case_version=service.case_version,
            chain_head=service.chain_head,
            bundle_id=service.bundle.bundle_id if service.bundle else None,
            bundle_version=service.bundle.version if service.bundle else None,
            served_on=service.served_on,
            served_to=service.served_to,
            recorded_at=service.recorded_at,
        )


@strawberry.type(description="A case's court bundles and chronologies served.")
class CaseBundles:
    case_id: UUID = strawberry.field(description="The case.")
    bundles: list[Bundle] = strawberry.field(
        description="Every version of every bundle, in the order recorded."
    )
    services: list[Service] = strawberry.field(
        description="Every chronology served, in the order recorded."
    )


CaseBundlesResult = Annotated[
    CaseBundles | NotFound | NotPermitted,
    strawberry.union("CaseBundlesResult", description="The bundles, or why not."),
]


def _bundles(gate: Gate, case_id: UUID) -> CaseBundles:
    gate.case(case_id, Action.READ_CASE)
    events = gate.journeys.case_events(case_id)
    fold = StepHistoryFold()
    for event in events:
        fold.fold(event)
    titles = {key: document.title for key, document in fold.documents.items()}
    gate.record(Operation.BUNDLES, case_ids=[case_id])
    return CaseBundles(
        case_id=case_id,
        bundles=[
            Bundle.of(bundle, titles)
            for versions in fold.bundles.values()
            for bundle in versions.values()
        ],
        services=[Service.of(service) for service in services_of(events)],
    )


async def resolve_bundles(
    info: Information,
    case_id: Annotated[UUID, strawberry.argument(description="The case.")],
) -> CaseBundlesResult:
    context = info.context
    try:
        return await context.in_thread(_bundles, context.gate, case_id)
    except (CommandRefused, NotPermittedError) as error:
        return failure_for(error)  # type: ignore[return-value]
