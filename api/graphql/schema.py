"""The schema: queries, mutations, and the extensions that guard and speed them."""

from __future__ import annotations

from functools import cache

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)

from api.auth import Role
from api.graphql.caseload import resolve_caseload
from api.graphql.cases import resolve_case, resolve_cases
from api.graphql.chronology import resolve_chronology
from api.graphql.compensation import resolve_compensation_evidence
from api.graphql.context import Information
from api.graphql.dates import resolve_describe_date
from api.graphql.deadlines import resolve_deadlines
from api.graphql.evaluation import (
    resolve_cohort_export,
    resolve_evaluation,
    resolve_evaluation_definitions,
)
from api.graphql.mutations import Mutation
from api.graphql.steps import StepKind, describe_kinds
from domain.vocabulary import STEP_KINDS

#: Deep enough for a chronology row's history sources; no recursion is needed.
MAX_DEPTH = 8
MAX_ALIASES = 30
MAX_TOKENS = 5_000
#: Distinct documents kept parsed and validated (per process).
CACHE_SIZE = 256


@cache
def vocabulary() -> list[StepKind]:
    """The step vocabulary as clients see it; it is fixed, so built once."""
    return describe_kinds(STEP_KINDS.values())


@strawberry.type(description="Who is asking, as the bearer token says.")
class Viewer:
    subject: str = strawberry.field(description="The person; recorded as `recordedBy`.")
    role: str = strawberry.field(
        description=f"One of {', '.join(role.value for role in Role)}."
    )
    organisation_id: str | None = strawberry.field(
        description="The organisation they act for."
    )


@strawberry.type(
    description="Reading cases and their chronologies; for evaluators, statistics."
)
class Query:
    case = strawberry.field(
        resolver=resolve_case,
        description="One case, if the caller may see it.",
    )
    cases = strawberry.field(
        resolver=resolve_cases,
        description="The cases the caller may see, in the order opened.",
    )
    caseload = strawberry.field(
        resolver=resolve_caseload,
        description="An advocate's or an organisation's open cases with last "
        "contact, next deadline and open warnings; drift (no contact for `within` "
        "days); legal clocks `upcoming` (due within `upcomingDays`) and `overdue`, "
        "from the caseload view; `atLeastPosition` reads your own writes.",
    )
    chronology = strawberry.field(
        resolver=resolve_chronology,
        description="A case's chronology, now or as it stood at `asAt`.",
    )
    deadlines = strawberry.field(
        resolver=resolve_deadlines,
        description="A case's legal clocks, each with its start step, due day, "
        "rule and citation, status and the steps that stopped it, judged as at "
        "`asOf` (default today).",
    )
    compensation_evidence = strawberry.field(
        resolver=resolve_compensation_evidence,
        description="What a case's record holds, and lacks, for a CICA "
        "application, review or tribunal appeal, each item citing its steps "
        "and sources.",
    )
    evaluation = strawberry.field(
        resolver=resolve_evaluation,
        description="Evaluation statistics for evaluators and administrators: the "
        "metrics over a period and cohort, optionally broken down, from the "
        "evaluation view (consenting cases only), every count under disclosure "
        "control.",
    )
    evaluation_definitions = strawberry.field(
        resolver=resolve_evaluation_definitions,
        description="What each evaluation metric counts, in the words published "
        "with it, for evaluators and administrators.",
    )
    cohort_export = strawberry.field(
        resolver=resolve_cohort_export,
        description="A pseudonymous cohort for an evaluator to download: one row "
        "per consenting client of a named period (a quarter or financial year; no "
        "other filter, so two downloads cannot be told apart by difference), "
        "coarse values only, pseudonyms keyed to the evaluator. Evaluators only.",
    )

    describe_date = strawberry.field(
        resolver=resolve_describe_date,
        description="How an EDTF date will print on a chronology, or why a step "
        "could not carry it: a form's preview before the step is saved.",
    )

    @strawberry.field(
        description="The step vocabulary: each kind with its payload fields, to "
        "build forms and validate `details` before sending."
    )
    def step_kinds(self) -> list[StepKind]:
        return vocabulary()

    @strawberry.field(description="The caller, as authenticated.")
    def viewer(self, info: Information) -> Viewer:
        principal = info.context.principal
        return Viewer(
            subject=principal.subject,
            role=principal.role.value,
            organisation_id=principal.organisation_id,
        )


def is_unexpected(error: GraphQLError) -> bool:
    """Masks what a resolver raised by surprise; a malformed request is shown."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


def _extensions() -> list[type[SchemaExtension] | object]:
    # The limiters' validation rules are built once, so the validation cache,
    # keyed by the rules as well as the document, hits across requests.
    limits = [
        *QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
        *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
    ]
    return [
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: ParserCache(maxsize=CACHE_SIZE),
        lambda: AddValidationRules(limits),
        lambda: ValidationCache(maxsize=CACHE_SIZE),
        lambda: MaskErrors(should_mask_error=is_unexpected),
    ]


def build_schema() -> strawberry.Schema:
    vocabulary()  # fail at start, not on the first request, if it cannot be described
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        extensions=_extensions(),  # type: ignore[arg-type]
    )
