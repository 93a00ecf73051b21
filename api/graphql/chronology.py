"""The chronology of a case: its steps earliest first, with sources, disputes,
corrections and retractions, as the record stands now or stood at any moment."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

import strawberry
from strawberry.scalars import JSON

from api.graphql.access import Gate
from api.graphql.context import Information
from api.graphql.deadlines import RowClock, asks_for, row_clocks
from api.graphql.enums import ChronologyPurpose, LeftOutReason, RowStatus
from api.graphql.results import (
    InvalidArgument,
    NotFound,
    NotFoundError,
    NotPermitted,
    NotPermittedError,
    ValidationFailed,
    failure_for,
)
from api.policy import Action
from domain.clocks import DEFAULT_RULES, RuleBook
from domain.dates import described
from domain.errors import CommandRefused
from projections.audit import Operation
from projections.chronology import (
    NO_SOURCE_RECORDED,
    ChronologyReader,
    Omission,
    Purpose,
    SelectionStatement,
    SourceCite,
)
from projections.chronology import Chronology as ChronologyView
from projections.chronology import ChronologyRow as RowView
from projections.chronology import Dispute as DisputeView
from projections.chronology import StepVersion as VersionView
from projections.chronology.fold import BundleChoice
from projections.chronology.rows import Retraction as RetractionView
from projections.chronology.served import as_served
from projections.deadlines import DeadlinesReader


def jsonable(value: Any) -> Any:
    """Details as JSON: exact amounts as strings, never binary floats."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {key: jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    return value


CITATION = (
    "The sources as the chronology prints them, separated by semicolons; "
    f"`{NO_SOURCE_RECORDED}` when none is recorded."
)


@strawberry.type(description="A source for a fact, with its citation.")
class Source:
    document: str = strawberry.field(
        description="The document as recorded: an attached document's id or a name."
    )
    pin: str | None = strawberry.field(description="The pin cite within it.")
    title: str | None = strawberry.field(
        description="The attached document's title, when the source names one."
    )
    bundle_ref: str | None = strawberry.field(
        description="The attached document's place in the bundle (e.g. `B/345`)."
    )
    cite: str = strawberry.field(
        description="The citation as a chronology prints it: title or document, "
        "pin, and bundle reference."
    )

    @classmethod
    def of(cls, source: SourceCite) -> Source:
        return cls(
            document=source.document,
            pin=source.pin,
            title=source.title,
            bundle_ref=source.bundle_ref,
            cite=source.cite,
        )


@strawberry.type(description="One reading of a step: as first recorded, or corrected.")
class StepVersion:
    kind: str = strawberry.field(description="The step's kind in this reading.")
    when: str = strawberry.field(
        description="When it happened, in words (`c. June 2019`, `undated`)."
    )
    occurred: str | None = strawberry.field(
        description="When it happened, in EDTF; null when undated."
    )
    earliest: date | None = strawberry.field(
        description="The earliest day the date can mean; null if undated or open."
    )
    latest: date | None = strawberry.field(
        description="The latest day the date can mean; null if undated or open."
    )
    order: int | None = strawberry.field(
        description="The stated order among steps on the same date."
    )
    summary: str = strawberry.field(description="What happened, in neutral words.")
    details: JSON = strawberry.field(
        description="The kind's payload (amounts as decimal strings)."
    )
    sources: list[Source] = strawberry.field(description="Where it comes from.")
    citation: str = strawberry.field(description=CITATION)
    recorded_at: datetime = strawberry.field(description="When this was recorded.")
    recorded_by: str = strawberry.field(description="Who recorded it.")
    reason: str | None = strawberry.field(
        description="Why it was corrected; null for the first recording."
    )

    @classmethod
    def of(cls, version: VersionView) -> StepVersion:
        occurred = version.occurred
        return cls(
            kind=version.kind,
            when=version.when,
            occurred=occurred.edtf if occurred else None,
            earliest=occurred.earliest if occurred else None,
            latest=occurred.latest if occurred else None,
            order=version.order,
            summary=version.summary,
            details=jsonable(version.details),
            sources=[Source.of(source) for source in version.sources],
            citation=version.citation,
            recorded_at=version.recorded_at,
            recorded_by=version.recorded_by,
            reason=version.reason,
        )


@strawberry.type(
    description="A disputed step: the version on record and the other version."
)
class Dispute:
    recorded_version: str = strawberry.field(
        description="The step's version on record (its current summary)."
    )
    recorded_when: str = strawberry.field(
        description="When it happened according to the version on record, in words."
    )
    disputed_by: str = strawberry.field(description="Who gives the other version.")
    other_version: str = strawberry.field(description="The other version.")
    other_when: str = strawberry.field(
        description="When it happened according to the other version, in words "
        "(`undated` if it gives no date)."
    )
    other_occurred: str | None = strawberry.field(
        description="The other version's date in EDTF, if it gives one."
    )
    sources: list[Source] = strawberry.field(
        description="Where the other version comes from."
    )
    citation: str = strawberry.field(description=CITATION)
    recorded_at: datetime = strawberry.field(
        description="When the dispute was recorded."
    )
    recorded_by: str = strawberry.field(description="Who recorded the dispute.")

    @classmethod
    def of(cls, dispute: DisputeView, current: VersionView) -> Dispute:
        return cls(
            recorded_version=current.summary,
            recorded_when=current.when,
            disputed_by=dispute.disputed_by,
            other_version=dispute.other_version,
            other_when=described(dispute.other_occurred),
            other_occurred=dispute.other_occurred.edtf
            if dispute.other_occurred
            else None,
            sources=[Source.of(source) for source in dispute.sources],
            citation=dispute.citation,
            recorded_at=dispute.recorded_at,
            recorded_by=dispute.recorded_by,
        )


@strawberry.type(description="A retraction: the step stays on record, marked so.")
class Retraction:
    reason: str = strawberry.field(description="Why it was retracted.")
    recorded_at: datetime = strawberry.field(description="When it was retracted.")
    recorded_by: str = strawberry.field(description="Who retracted it.")

    @classmethod
    def of(cls, retraction: RetractionView) -> Retraction:
        return cls(
            reason=retraction.reason,
            recorded_at=retraction.recorded_at,
            recorded_by=retraction.recorded_by,
        )


@strawberry.type(description="One step on the chronology, in its current reading.")
class ChronologyRow:
    step_id: UUID = strawberry.field(description="The step's id.")
    kind: str = strawberry.field(description="The step's kind (`area.kind`).")
    label: str = strawberry.field(description="The kind's neutral label.")
    area: str = strawberry.field(description="The area of the journey.")
    when: str = strawberry.field(
        description="When it happened, in words, as honestly as it is known "
        "(`14 June 2019`, `c. June 2019`, `between March and May 2018`, `undated`)."
    )
    occurred: str | None = strawberry.field(
        description="When it happened, in EDTF; null when undated."
    )
    earliest: date | None = strawberry.field(
        description="The earliest day the date can mean (the chronology's sort key)."
    )
    latest: date | None = strawberry.field(
        description="The latest day the date can mean."
    )
    order: int | None = strawberry.field(
        description="The stated order among steps on the same date."
    )
    summary: str = strawberry.field(description="What happened, in neutral words.")
    details: JSON = strawberry.field(
        description="The kind's payload (amounts as decimal strings)."
    )
    sources: list[Source] = strawberry.field(description="Where it comes from.")
    citation: str = strawberry.field(description=CITATION)
    status: RowStatus = strawberry.field(description="How the row stands.")
    recorded_at: datetime = strawberry.field(
        description="When the step was first recorded (a late disclosure shows here)."
    )
    recorded_by: str = strawberry.field(description="Who first recorded it.")
    last_changed_at: datetime = strawberry.field(
        description="When the row last changed: corrected, disputed or retracted."
    )
    history: list[StepVersion] = strawberry.field(
        description="Every reading, first recorded first; the last is current."
    )
    disputes: list[Dispute] = strawberry.field(
        description="Other versions of the step, each beside the version on record."
    )
    retraction: Retraction | None = strawberry.field(
        description="The retraction, if the step was retracted."
    )
    warnings: list[str] = strawberry.field(
        description="Plausibility warnings (e.g. a decision with no referral on "
        "record); never refusals."
    )
    clocks: list[RowClock] = strawberry.field(
        description="The legal clocks this row's step started, stopped or "
        "extended, with their due days and how they stand (empty for callers "
        "who may not read the case's deadlines, such as counsel)."
    )

    @classmethod
    def of(cls, row: RowView, clocks: list[RowClock] | None = None) -> ChronologyRow:
        current = row.current
        occurred = current.occurred
        return cls(
            step_id=row.step_id,
            kind=current.kind,
            label=row.label,
            area=row.area,
            when=current.when,
            occurred=occurred.edtf if occurred else None,
            earliest=occurred.earliest if occurred else None,
            latest=occurred.latest if occurred else None,
            order=current.order,
            summary=current.summary,
            details=jsonable(current.details),
            sources=[Source.of(source) for source in current.sources],
            citation=current.citation,
            status=row.status,
            recorded_at=row.first_recorded_at,
            recorded_by=row.history[0].recorded_by,
            last_changed_at=row.last_changed_at,
            history=[StepVersion.of(version) for version in row.history],
            disputes=[Dispute.of(dispute, current) for dispute in row.disputes],
            retraction=Retraction.of(row.retraction) if row.retraction else None,
            warnings=list(row.warnings),
            clocks=clocks or [],
        )


@strawberry.type(
    description="One reason the chronology leaves steps out, and how many it left out."
)
class LeftOut:
    reason: LeftOutReason = strawberry.field(description="The reason, as a code.")
    why: str = strawberry.field(description="Why, in neutral words.")
    areas: list[str] = strawberry.field(
        description="The areas of the journey it leaves out."
    )
    kinds: list[str] = strawberry.field(
        description="Kinds of step it leaves out beyond those areas (`area.kind`)."
    )
    steps: int = strawberry.field(
        description="How many of the case's steps it left out of this chronology "
        "(of those `changedSince` would list)."
    )

    @classmethod
    def of(cls, omission: Omission) -> LeftOut:
        return cls(
            reason=omission.reason,
            why=omission.why,
            areas=list(omission.areas),
            kinds=list(omission.kinds),
            steps=omission.steps,
        )


@strawberry.type(
    description="What a chronology for its purpose includes and what it leaves "
    "out, and why, as the chronology states it: nothing is left out silently."
)
class ChronologySelection:
    includes: str = strawberry.field(
        description="What it includes and why, in neutral words."
    )
    included_areas: list[str] = strawberry.field(
        description="The areas of the journey it shows steps of."
    )
    left_out: list[LeftOut] = strawberry.field(
        description="Each reason it leaves steps out, with how many (none for a "
        "FULL chronology)."
    )
    steps_left_out: int = strawberry.field(
        description="How many steps it left out, for every reason together."
    )

    @classmethod
    def of(cls, statement: SelectionStatement) -> ChronologySelection:
        return cls(
            includes=statement.includes,
            included_areas=list(statement.included_areas),
            left_out=[LeftOut.of(omission) for omission in statement.left_out],
            steps_left_out=statement.steps_left_out,
        )


@strawberry.type(
    description="A case's chronology: neutral, earliest first (undated steps "
    "last), reproducible as it stood at any moment."
)
class Chronology:
    case_id: UUID = strawberry.field(description="The case.")
    reference: str = strawberry.field(description="The case's reference.")
    purpose: ChronologyPurpose = strawberry.field(description="What it is for.")
    selection: ChronologySelection = strawberry.field(
        description="What this purpose includes and leaves out, and why, with how "
        "many steps each reason left out."
    )
    as_at: datetime | None = strawberry.field(
        description="The moment it reflects; null means now."
    )
    changed_since: datetime | None = strawberry.field(
        description="When given, only rows changed after this moment are listed."
    )
    case_version: int = strawberry.field(
        description="The case's version at `asAt` (or now)."
    )
    chain_head: str = strawberry.field(
        description="The head of the case's hash chain at that version: a court "
        "can check the chronology was not altered after it was served."
    )
    position: int = strawberry.field(
        description="The log position it was read at: it reflects every change up "
        "to at least this position."
    )
    rows: list[ChronologyRow] = strawberry.field(description="The steps, in order.")
    sensitive_left_out: int = strawberry.field(
        description="How many of the purpose's steps are left out because they "
        "are sensitive (the survivor's accounts, mental-health content, or "
        "marked so) and this chronology does not include sensitive steps: a "
        "share names whether it does; the case's own organisation sees them "
        "unless it asks `includeSensitive: false`."
    )
    bundle_id: UUID | None = strawberry.field(
        default=None,
        description="The bundle whose pages the references follow, when chosen.",
    )
    bundle_version: int | None = strawberry.field(
        default=None, description="Its version."
    )

    @classmethod
    def of(
        cls,
        chronology: ChronologyView,
        position: int,
        clocks: Mapping[UUID, list[RowClock]] | None = None,
    ) -> Chronology:
        clocks = clocks or {}
        return cls(
            case_id=chronology.case_id,
            reference=chronology.reference,
            purpose=chronology.purpose,
            selection=ChronologySelection.of(chronology.selection),
            as_at=chronology.as_at,
            changed_since=chronology.changed_since,
            case_version=chronology.version,
            chain_head=chronology.chain_head,
            position=position,
            rows=[
                ChronologyRow.of(row, clocks.get(row.step_id))
                for row in chronology.rows
            ],
            sensitive_left_out=chronology.sensitive_left_out,
            bundle_id=chronology.bundle.bundle_id if chronology.bundle else None,
            bundle_version=chronology.bundle.version if chronology.bundle else None,
        )


ChronologyResult = Annotated[
    Chronology | ValidationFailed | NotFound | NotPermitted,
    strawberry.union(
        "ChronologyResult", description="A chronology, or why it cannot be shown."
    ),
]


def _aware(moment: datetime | None, field: str) -> datetime | None:
    if moment is not None and moment.utcoffset() is None:
        raise InvalidArgument(
            field, "give a time zone offset, e.g. 2024-05-01T12:00:00Z"
        )
    return moment


def _read_chronology(
    gate: Gate,
    chronologies: ChronologyReader,
    deadlines: DeadlinesReader,
    case_id: UUID,
    purpose: Purpose,
    as_at: datetime | None,
    changed_since: datetime | None,
    with_clocks: bool = False,
    rules: RuleBook = DEFAULT_RULES,
    include_sensitive: bool = True,
    bundle: BundleChoice | None = None,
    served_as: UUID | None = None,
) -> Chronology:
    access, grant = gate.case(case_id, Action.READ_CHRONOLOGY, purpose.value)
    if as_at is not None and access.opened_at > as_at:
        raise NotFoundError("the case had not been opened by asAt")
    journeys = gate.journeys
    position = journeys.log_position()
    include_sensitive = include_sensitive and grant.include_sensitive
    if served_as is not None:
        if as_at is not None or bundle is not None:
            raise InvalidArgument(
                "servedAs", "a chronology as served has its own moment and bundle"
            )
        events = journeys.case_events(case_id)
        service, view = as_served(
            events, served_as, include_sensitive=include_sensitive
        )
        if service.purpose is not purpose:
            served_for = service.purpose.value
            raise InvalidArgument(
                "servedAs", f"that service was of the {served_for} chronology"
            )
        as_at = events[service.case_version - 1].timestamp
    else:
        view = chronologies.chronology(
            case_id,
            purpose=purpose,
            as_at=as_at,
            changed_since=changed_since,
            bundle=bundle,
            include_sensitive=include_sensitive,
        )
    # Clocks are a case's deadlines: only for those who may read them.
    with_clocks = with_clocks and gate.policy.may(gate.principal, Action.READ_DEADLINES)
    clocks = row_clocks(deadlines, case_id, as_at, rules) if with_clocks else None
    gate.record(
        Operation.CHRONOLOGY,
        case_ids=[case_id],
        item_ids=[row.step_id for row in view.rows],
        purpose=purpose.value,
    )
    return Chronology.of(view, position, clocks)


async def resolve_chronology(
    info: Information,
    case_id: Annotated[UUID, strawberry.argument(description="The case.")],
    purpose: Annotated[
        ChronologyPurpose,
        strawberry.argument(description="What it is for; selects the areas shown."),
    ] = ChronologyPurpose.FULL,
    as_at: Annotated[
        datetime | None,
        strawberry.argument(
            description="Reproduce the chronology exactly as it stood at this "
            "moment (with a time zone offset)."
        ),
    ] = None,
    changed_since: Annotated[
        datetime | None,
        strawberry.argument(
            description="Only rows changed after this moment (with a time zone "
            "offset): what changed since counsel last looked."
        ),
    ] = None,
    include_sensitive: Annotated[
        bool,
        strawberry.argument(
            description="Show sensitive steps, where the caller may see them "
            "(the case's organisation; counsel only if their share includes "
            "them). False leaves them out, as a share or export would, counted "
            "in `sensitiveLeftOut`."
        ),
    ] = True,
    bundle_id: Annotated[
        UUID | None,
        strawberry.argument(
            description="Page references follow this bundle (its newest version, "
            "or `bundleVersion`); by default each document's own reference."
        ),
    ] = None,
    bundle_version: Annotated[
        int | None, strawberry.argument(description="The bundle's version.")
    ] = None,
    served_as: Annotated[
        UUID | None,
        strawberry.argument(
            description="The chronology exactly as served (a `serviceId` from "
            "`serveChronology` or `bundles`), for the purpose it was served for: "
            "its version and bundle."
        ),
    ] = None,
) -> ChronologyResult:
    context = info.context
    try:
        return await context.in_thread(
            _read_chronology,
            context.gate,
            context.chronologies,
            context.deadlines,
            case_id,
            purpose,
            _aware(as_at, "asAt"),
            _aware(changed_since, "changedSince"),
            asks_for(info, "clocks"),
            context.rules,
            include_sensitive,
            _bundle_choice(bundle_id, bundle_version),
            served_as,
        )
    except (CommandRefused, NotPermittedError, NotFoundError, InvalidArgument) as error:
        return failure_for(error)  # type: ignore[return-value]


def _bundle_choice(
    bundle_id: UUID | None, bundle_version: int | None
) -> BundleChoice | None:
    if bundle_id is None:
        if bundle_version is not None:
            raise InvalidArgument("bundleVersion", "name the bundle too")
        return None
    return BundleChoice(bundle_id, bundle_version)
