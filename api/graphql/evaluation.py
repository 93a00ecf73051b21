"""Evaluation statistics for independent evaluators, from the evaluation view:
tables of the metrics under disclosure control, the metrics' definitions, and
pseudonymous cohorts to download (``projections.evaluation.reader``).

Evaluators and administrators read tables and definitions; only evaluators
download cohorts, whose pseudonyms are keyed to the evaluator asking, so two
evaluators' downloads cannot be joined. No answer names a case, a reference or
a survivor; evaluators reach nothing else in the API.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Annotated

import strawberry

from api.graphql.access import Gate
from api.graphql.context import Information
from api.graphql.results import (
    InvalidArgument,
    NotPermitted,
    NotPermittedError,
    ValidationFailed,
)
from api.policy import Action
from domain.errors import InvalidField
from projections.audit import Operation
from projections.evaluation.cohort import CohortExport as CohortView
from projections.evaluation.cohort import UnsafeCohortRequest
from projections.evaluation.figures import (
    Count,
    Dimension,
    Figure,
    Request,
    Row,
    Table,
)
from projections.evaluation.metrics import Definition, Metric
from projections.evaluation.periods import Period, named_period
from projections.evaluation.reader import EvaluationReader

#: Every breakdown may be asked for at once (they are all counted anyway).
MAX_BREAKDOWNS = len(Dimension)
#: Longer than any period's name.
MAX_PERIOD_NAME = 20
PENNY = Decimal("0.01")

strawberry.enum(
    Metric,
    name="EvaluationMetric",
    description="An evaluation metric; `evaluationDefinitions` says in words what "
    "each one counts, and over which clients.",
)
strawberry.enum(
    Dimension,
    name="EvaluationDimension",
    description="A breakdown of an evaluation table. A client is placed by where "
    "the case stood on the period's last day (ORGANISATION, JURISDICTION, "
    "LOCAL_AUTHORITY, REGION) and by the survivor's AGE_BAND when the case was "
    "opened, so each client is in exactly one row of a breakdown.",
)


@strawberry.enum(description="How a cohort download is written.")
class CohortFormat(Enum):
    CSV = strawberry.enum_value(
        "csv",
        description="Comma-separated values with a header row: an empty field for "
        "no value, `true`/`false` for flags.",
    )
    JSON_LINES = strawberry.enum_value(
        "json_lines",
        description="One JSON object a line, keyed by column: `null` for no value.",
    )


# Inputs


@strawberry.input(
    description="The period to count: named, or given by its first and last "
    "days. Clients are consenting cases open on any day of the period. There is "
    "no other filter: every table counts all consenting clients, broken down "
    "with `by`, so that each figure is a cell of one table per period, withheld "
    "or shown the same way in every answer (a sub-cohort's table set against "
    "the whole would reveal what both withhold)."
)
class EvaluationFilter:
    period: str | None = strawberry.field(
        default=None,
        description="A named period: a calendar quarter `2024-Q1`, a financial "
        "year `2023/24` (1 April 2023 to 31 March 2024) or a financial quarter "
        "`2023/24-Q1` (April to June 2023). Give this or `from` and `to`, not "
        "both.",
    )
    from_: date | None = strawberry.field(
        default=None,
        name="from",
        description="The period's first day (inclusive), given with `to` instead "
        "of a named `period`.",
    )
    to: date | None = strawberry.field(
        default=None,
        description="The period's last day (inclusive), given with `from` instead "
        "of a named `period`.",
    )


# Tables


@strawberry.type(description="The period an evaluation counts, both days inclusive.")
class EvaluationPeriod:
    first: date = strawberry.field(description="Its first day.")
    last: date = strawberry.field(description="Its last day.")
    name: str | None = strawberry.field(
        description="Its name (`2024-Q1`, `2023/24`, `2023/24-Q1`); null for a "
        "period given by its days."
    )

    @classmethod
    def of(cls, period: Period) -> EvaluationPeriod:
        return cls(first=period.first, last=period.last, name=period.name)


@strawberry.type(
    description="A count under disclosure control. A suppressed count is null "
    "with `suppressed: true`, never a zero: any count below the table's "
    "`threshold` (zero too) is withheld, and so is any count from which a small "
    "one could be worked out by subtraction."
)
class EvaluationCount:
    value: int | None = strawberry.field(
        description="The count; null when it is suppressed."
    )
    suppressed: bool = strawberry.field(
        description="Whether disclosure control withheld it (then `value` is null)."
    )

    @classmethod
    def of(cls, count: Count) -> EvaluationCount:
        return cls(value=count.value, suppressed=count.suppressed)


@strawberry.type(
    description="The lower quartile, median and upper quartile of a duration, in days."
)
class DurationQuartiles:
    lower: float = strawberry.field(description="The lower quartile, in days.")
    median: float = strawberry.field(description="The median, in days.")
    upper: float = strawberry.field(description="The upper quartile, in days.")


@strawberry.type(
    description="One metric in one row of a table. A share, amount or duration "
    "is published only beside its published counts."
)
class EvaluationFigure:
    metric: Metric = strawberry.field(description="The metric.")
    numerator: EvaluationCount = strawberry.field(
        description="What the metric counts (for a duration, how many durations "
        "ended in the period)."
    )
    denominator: EvaluationCount | None = strawberry.field(
        description="What it counts within; null for a metric with none (clients, "
        "durations)."
    )
    share: float | None = strawberry.field(
        description="numerator / denominator, to four places; null when either is "
        "suppressed, the denominator is zero, or the metric has no share."
    )
    total_amount: Decimal | None = strawberry.field(
        description="For COMPENSATION_AWARDED, the sum of the receipts counted, in "
        "pounds; null for other metrics or when the count is suppressed."
    )
    days: DurationQuartiles | None = strawberry.field(
        description="For a duration metric, its quartiles; null for other metrics, "
        "when the count is suppressed, or when no duration ended in the period."
    )

    @classmethod
    def of(cls, figure: Figure) -> EvaluationFigure:
        amount = figure.total_amount
        days = figure.days
        return cls(
            metric=figure.metric,
            numerator=EvaluationCount.of(figure.numerator),
            denominator=(
                EvaluationCount.of(figure.denominator)
                if figure.denominator is not None
                else None
            ),
            share=figure.share,
            total_amount=amount.quantize(PENNY) if amount is not None else None,
            days=(
                DurationQuartiles(
                    lower=days.lower, median=days.median, upper=days.upper
                )
                if days is not None
                else None
            ),
        )


@strawberry.type(
    description="A row of a table: the total over the whole filter, or the clients "
    "with one value of a breakdown."
)
class EvaluationRow:
    dimension: Dimension | None = strawberry.field(
        description="The breakdown; null for the total."
    )
    value: str | None = strawberry.field(
        description="The breakdown's value: an organisation id, a jurisdiction "
        "as the domain spells it (`england_and_wales`, `scotland`, "
        "`northern_ireland`), a local authority as recorded, a region or an age "
        "band; `not recorded` where the case names none, `Unknown` for a region "
        "and `unknown` for an age band not known. Null for the total."
    )
    figures: list[EvaluationFigure] = strawberry.field(
        description="One figure per metric asked for, in the order asked."
    )

    @classmethod
    def of(cls, row: Row) -> EvaluationRow:
        return cls(
            dimension=row.dimension,
            value=row.value,
            figures=[EvaluationFigure.of(figure) for figure in row.figures],
        )


@strawberry.type(
    description="Evaluation figures for a period and cohort: the total first, then "
    "each breakdown's values in order, every count under disclosure control."
)
class EvaluationTable:
    period: EvaluationPeriod = strawberry.field(description="The period counted.")
    threshold: int = strawberry.field(
        description="The disclosure threshold: counts below it are suppressed."
    )
    position: int = strawberry.field(
        description="The log position the figures are as at: every change up to "
        "it, and none after."
    )
    suppressed_cells: int = strawberry.field(
        description="How many counts of the table were suppressed."
    )
    rows: list[EvaluationRow] = strawberry.field(
        description="The total (no dimension), then a row per value of each "
        "breakdown asked for."
    )

    @classmethod
    def of(cls, table: Table) -> EvaluationTable:
        return cls(
            period=EvaluationPeriod.of(table.period),
            threshold=table.threshold,
            position=table.position,
            suppressed_cells=table.suppressed_cells,
            rows=[EvaluationRow.of(row) for row in table.rows],
        )


EvaluationResult = Annotated[
    EvaluationTable | ValidationFailed | NotPermitted,
    strawberry.union(
        "EvaluationResult",
        description="An evaluation table, or why it cannot be given.",
    ),
]


# Definitions


@strawberry.type(description="What a metric counts, in the words published with it.")
class MetricDefinition:
    metric: Metric = strawberry.field(description="The metric.")
    numerator: str = strawberry.field(description="What its numerator counts.")
    denominator: str = strawberry.field(description="What it is counted within.")
    notes: str | None = strawberry.field(
        description="How it is dated or counted, where that needs saying."
    )
    source: str | None = strawberry.field(
        description="The published figure the measure follows, where there is one."
    )

    @classmethod
    def of(cls, definition: Definition) -> MetricDefinition:
        return cls(
            metric=definition.metric,
            numerator=definition.numerator,
            denominator=definition.denominator,
            notes=definition.notes or None,
            source=definition.source or None,
        )


@strawberry.type(description="The evaluation metrics' definitions.")
class EvaluationDefinitions:
    threshold: int = strawberry.field(
        description="The disclosure threshold: counts below it are suppressed."
    )
    definitions: list[MetricDefinition] = strawberry.field(
        description="Every metric's definition, in the order tables give them."
    )


EvaluationDefinitionsResult = Annotated[
    EvaluationDefinitions | NotPermitted,
    strawberry.union(
        "EvaluationDefinitionsResult",
        description="The metrics' definitions, or why they cannot be given.",
    ),
]


# Cohorts


@strawberry.type(
    description="A pseudonymous cohort: one row per client of the filter, with "
    "coarse values only (quarters, age bands, regions, whole months, outcome "
    "flags) and no organisation, reference, amount or text. Pseudonyms are keyed "
    "to the evaluator who asked, so no two evaluators' rows can be joined. A row "
    "whose opening quarter, age band, jurisdiction and region are shared by fewer "
    "than the threshold is generalised (`withheld`, or its quarter widened to the "
    "year); a cohort smaller than the threshold is not released at all."
)
class CohortExport:
    format: CohortFormat = strawberry.field(description="How `content` is written.")
    columns: list[str] = strawberry.field(description="The columns, in order.")
    row_count: int = strawberry.field(description="How many rows `content` holds.")
    generalised_rows: int = strawberry.field(
        description="How many rows had a value withheld or widened to keep them "
        "from standing out."
    )
    withheld: bool = strawberry.field(
        description="Whether the cohort was too small to release: then `content` "
        "holds no row."
    )
    position: int = strawberry.field(
        description="The log position the cohort is as at."
    )
    content: str = strawberry.field(
        description="The cohort, written in `format` (CSV with its header row, "
        "even when no row is released)."
    )

    @classmethod
    def of(cls, cohort: CohortView, format: CohortFormat) -> CohortExport:
        content = (
            cohort.as_csv() if format is CohortFormat.CSV else cohort.as_json_lines()
        )
        return cls(
            format=format,
            columns=list(cohort.columns),
            row_count=len(cohort.rows),
            generalised_rows=cohort.generalised,
            withheld=cohort.withheld,
            position=cohort.position,
            content=content,
        )


CohortExportResult = Annotated[
    CohortExport | ValidationFailed | NotPermitted,
    strawberry.union(
        "CohortExportResult",
        description="A pseudonymous cohort, or why it cannot be given.",
    ),
]


# Reading


def _period(given: EvaluationFilter) -> Period:
    dated = given.from_ is not None or given.to is not None
    if given.period is not None and dated:
        raise InvalidArgument(
            "filter.period", "give a named period or `from` and `to`, not both"
        )
    if given.period is not None:
        if len(given.period) > MAX_PERIOD_NAME:
            raise InvalidArgument(
                "filter.period",
                "not a period's name: use 2024-Q1, 2023/24 or 2023/24-Q1",
            )
        try:
            return named_period(given.period)
        except InvalidField as error:
            raise InvalidArgument("filter.period", error.message) from None
    if given.from_ is None or given.to is None:
        if not dated:
            raise InvalidArgument(
                "filter.period",
                "give a period: a name (2024-Q1, 2023/24 or 2023/24-Q1), or its "
                "first and last days as `from` and `to`",
            )
        missing = "filter.to" if given.to is None else "filter.from"
        raise InvalidArgument(
            missing, "give both `from` and `to` (both inclusive), or a named period"
        )
    try:
        return Period(given.from_, given.to)
    except InvalidField:
        raise InvalidArgument(
            "filter.to", "the last day (`to`) is before the first (`from`)"
        ) from None


def _metrics(metrics: list[Metric] | None) -> tuple[Metric, ...]:
    if metrics is None:
        return tuple(Metric)
    if not metrics:
        raise InvalidArgument("metrics", "name at least one, or leave it out for all")
    if len(set(metrics)) != len(metrics):
        raise InvalidArgument("metrics", "a metric is named more than once")
    return tuple(metrics)


def _breakdowns(by: list[Dimension] | None) -> tuple[Dimension, ...]:
    if not by:
        return ()
    if len(by) > MAX_BREAKDOWNS:
        raise InvalidArgument("by", f"at most {MAX_BREAKDOWNS} breakdowns")
    if len(set(by)) != len(by):
        raise InvalidArgument("by", "a breakdown is named more than once")
    return tuple(by)


def _request(
    given: EvaluationFilter,
    metrics: list[Metric] | None = None,
    by: list[Dimension] | None = None,
) -> Request:
    return Request(period=_period(given), by=_breakdowns(by), metrics=_metrics(metrics))


def _read_table(
    reader: EvaluationReader,
    gate: Gate,
    given: EvaluationFilter,
    metrics: list[Metric] | None,
    by: list[Dimension] | None,
    fresh: bool,
) -> EvaluationTable:
    gate.require(Action.READ_EVALUATION)
    request = _request(given, metrics, by)
    table = EvaluationTable.of(reader.evaluation(request, fresh=fresh))
    gate.record(
        Operation.EVALUATION,
        item_ids=[metric.value for metric in request.metrics],
        purpose=_period_words(request),
    )
    return table


def _read_cohort(
    reader: EvaluationReader,
    gate: Gate,
    given: EvaluationFilter,
    format: CohortFormat,
) -> CohortExport:
    gate.require(Action.EXPORT_COHORT)
    request = _request(given)
    try:
        cohort = reader.cohort(request, evaluator=gate.principal.subject)
    except UnsafeCohortRequest as error:
        raise InvalidArgument(f"filter.{error.field}", error.message) from None
    gate.record(
        Operation.COHORT_EXPORT,
        item_ids=[str(row.get("pseudonym")) for row in cohort.rows],
        purpose=_period_words(request),
    )
    return CohortExport.of(cohort, format)


def _period_words(request: Request) -> str:
    period = request.period
    return period.name or f"{period.first.isoformat()}/{period.last.isoformat()}"


def _reader(info: Information) -> EvaluationReader:
    reader = info.context.evaluation
    if reader is None:
        raise RuntimeError("the evaluation view was not built")
    return reader


FILTER = strawberry.argument(
    description="The period (named, or `from` and `to`) and the cohort to count."
)


async def resolve_evaluation(
    info: Information,
    filter: Annotated[EvaluationFilter, FILTER],
    metrics: Annotated[
        list[Metric] | None,
        strawberry.argument(
            description="The metrics, in the order the figures are to be given "
            "(default: every metric)."
        ),
    ] = None,
    by: Annotated[
        list[Dimension] | None,
        strawberry.argument(
            description=f"Breakdowns, at most {MAX_BREAKDOWNS} and none twice: each "
            "adds a row per value after the total (default: the total alone)."
        ),
    ] = None,
    fresh: Annotated[
        bool,
        strawberry.argument(
            description="Read the view again now, rather than answer from the "
            "copy read up to a few seconds ago."
        ),
    ] = False,
) -> EvaluationResult:
    context = info.context
    try:
        return await context.in_thread(
            _read_table,
            _reader(info),
            context.gate,
            filter,
            metrics,
            by,
            fresh,
        )
    except NotPermittedError as error:
        return NotPermitted(message=str(error))
    except InvalidArgument as error:
        return ValidationFailed(message=error.message, field=error.field)


async def resolve_cohort_export(
    info: Information,
    filter: Annotated[EvaluationFilter, FILTER],
    format: Annotated[
        CohortFormat,
        strawberry.argument(description="How the cohort is written (default CSV)."),
    ] = CohortFormat.CSV,
) -> CohortExportResult:
    context = info.context
    try:
        return await context.in_thread(
            _read_cohort, _reader(info), context.gate, filter, format
        )
    except NotPermittedError as error:
        return NotPermitted(message=str(error))
    except InvalidArgument as error:
        return ValidationFailed(message=error.message, field=error.field)


def resolve_evaluation_definitions(info: Information) -> EvaluationDefinitionsResult:
    try:
        info.context.gate.require(Action.READ_EVALUATION)
    except NotPermittedError as error:
        return NotPermitted(message=str(error))
    return EvaluationDefinitions(
        threshold=_reader(info).threshold,
        definitions=[MetricDefinition.of(d) for d in EvaluationReader.definitions()],
    )
