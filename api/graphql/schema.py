"""The schema: queries, mutations, and the extensions that guard and speed them."""

from __future__ import annotations

from functools import cache

import strawberry
from strawberry.extensions import SchemaExtension

from api.auth import Role
from api.graphql.audit import resolve_audit_trail
from api.graphql.bundles import resolve_bundles
from api.graphql.caseload import resolve_caseload
from api.graphql.cases import resolve_case, resolve_cases
from api.graphql.chronology import resolve_chronology
from api.graphql.compensation import resolve_compensation_evidence
from api.graphql.context import Information
from api.graphql.dates import resolve_describe_date
from api.graphql.deadlines import resolve_deadlines
from api.graphql.documents import DocumentChecks
from api.graphql.error_masking import MaskUnexpectedErrors
from api.graphql.evaluation import (
    resolve_cohort_export,
    resolve_evaluation,
    resolve_evaluation_definitions,
)
from api.graphql.execution import FieldsAtOnce
from api.graphql.exports import resolve_verify_export
from api.graphql.input_building import install_input_building
from api.graphql.mutations import Mutation
from api.graphql.shares import resolve_shared_with_me
from api.graphql.steps import StepKind, describe_kinds
from domain.vocabulary import STEP_KINDS


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
    description="Reading cases and their chronologies; for counsel, what is "
    "shared with them; for evaluators, statistics; for managers and "
    "administrators, the audit."
)
class Query:
    case = strawberry.field(
        resolver=resolve_case,
        description="One case, if the caller may see it.",
    )
    cases = strawberry.field(
        resolver=resolve_cases,
        description="The cases the caller may see, open and closed, in the order "
        "opened, read from the caseload view by index (`atLeastPosition` reads "
        "your own writes).",
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
    bundles = strawberry.field(
        resolver=resolve_bundles,
        description="A case's court bundles (every version, paginated by "
        "section) and the chronologies served.",
    )
    verify_chronology_export = strawberry.field(
        resolver=resolve_verify_export,
        description="Whether the record still holds exactly the chronology an "
        "export's proof names (case version, chain head, rows' SHA-256), and which "
        "rows changed since. Exports download from "
        "`/exports/{caseId}/chronology.{docx|pdf|csv}?purpose=&asAt=&history=` "
        "with the same bearer token.",
    )
    evaluation = strawberry.field(
        resolver=resolve_evaluation,
        description="Evaluation statistics for evaluators: the "
        "metrics over a period and cohort, optionally broken down, from the "
        "evaluation view (consenting cases only), every count under disclosure "
        "control.",
    )
    evaluation_definitions = strawberry.field(
        resolver=resolve_evaluation_definitions,
        description="What each evaluation metric counts, in the words published "
        "with it, for evaluators.",
    )
    cohort_export = strawberry.field(
        resolver=resolve_cohort_export,
        description="A pseudonymous cohort for an evaluator to download: one row "
        "per consenting client of a named period (a quarter or financial year; no "
        "other filter, so two downloads cannot be told apart by difference), "
        "coarse values only, pseudonyms keyed to the evaluator. Evaluators only.",
    )
    shared_with_me = strawberry.field(
        resolver=resolve_shared_with_me,
        description="For counsel: the cases shared with you, live now, each with "
        "what changed since you last read its chronology.",
    )
    audit_trail = strawberry.field(
        resolver=resolve_audit_trail,
        description="Who looked at what: a case's trail (`caseId`, for its "
        "organisation's managers) or a person's (`subject`, for "
        "administrators). Every read of a case, chronology, deadlines, evidence "
        "pack, caseload, evaluation table or cohort, and every share, revocation "
        "and erasure, is recorded; nothing can alter or remove a record.",
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


def _extensions(checks: DocumentChecks) -> list[type[SchemaExtension] | object]:
    # One set of checks per schema: its cache of checked documents is shared by
    # every request; size, depth, alias and cost limits in api.graphql.documents.
    # api.graphql.direct_execution stands in for these two on the requests it
    # answers: an extension added here must be added there too.
    return [checks.extension, MaskUnexpectedErrors]


def build_schema(
    *, introspection: bool = True, checks: DocumentChecks | None = None
) -> strawberry.Schema:
    """The schema; ``introspection=False`` refuses ``__schema`` and ``__type``
    (``__typename`` stays, clients need it). ``checks``: the document checks
    and cache to use, if the caller shares them (they must refuse introspection
    as ``introspection`` says)."""
    vocabulary()  # fail at start, not on the first request, if it cannot be described
    if checks is None:
        checks = DocumentChecks(introspection=introspection)
    elif checks.introspection != introspection:
        raise ValueError("the checks and the schema disagree on introspection")
    schema = strawberry.Schema(
        query=Query,
        mutation=Mutation,
        extensions=_extensions(checks),  # type: ignore[arg-type]
        execution_context_class=FieldsAtOnce,
    )
    install_input_building(schema)
    return schema
