"""Every role, against every query and mutation in ``schema.graphql``, over HTTP.

The operations are read from the committed schema: a field without an entry
here fails the test, so nothing new can be served unchecked. Each cell is one
caller (a role; of the case's organisation or another; counsel with a live
share or without) against one operation on one case. It is either allowed and
answers its success type (and what it lists is right), or refused: by role
(``NotPermitted``, with a message that does not depend on the case) or at the
object (``NotFound``, answered exactly as for a case that does not exist).
A refused mutation records nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import orjson
import pytest
from graphql import (
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    build_schema,
    get_named_type,
)

from api.app import create_app
from api.bootstrap import ProjectionSettings, build_views
from api.settings import Settings
from domain.application import CaseJourneys, StepInput
from projections.chronology import Purpose
from projections.exports import Proof
from tests.conftest import TODAY
from tests.e2e.conftest import Api, Server
from tests.e2e.operations import FAILURE

SCHEMA = build_schema((Path(__file__).parents[2] / "schema.graphql").read_text())

OWN, OTHER, SHARED = "own organisation", "another organisation", "shared"
ADVOCATE, MANAGER, COUNSEL = "advocate", "manager", "counsel"
EVALUATOR, ADMINISTRATOR = "evaluator", "administrator"
CASE_ROLES = frozenset({ADVOCATE, MANAGER})
BY = {"recorded_by": "adv-n1"}
REASON = "Recorded in error."


@dataclass(frozen=True)
class Caller:
    role: str
    organisation: str | None
    subject: str
    #: How the caller stands to the case under test.
    relation: str


CALLERS = (
    Caller(ADVOCATE, "org-north", "adv-n1", OWN),
    Caller(ADVOCATE, "org-south", "adv-s1", OTHER),
    Caller(MANAGER, "org-north", "mgr-n1", OWN),
    Caller(MANAGER, "org-south", "mgr-s1", OTHER),
    Caller(COUNSEL, "chambers-1", "counsel-1", SHARED),
    Caller(COUNSEL, "chambers-1", "counsel-2", OTHER),
    Caller(EVALUATOR, None, "eval-1", OTHER),
    Caller(ADMINISTRATOR, None, "admin-1", OTHER),
)


@dataclass(frozen=True)
class World:
    """The case under test (org-north) and the ids in it."""

    case_id: str
    step_id: str
    sensitive_step_id: str
    share_id: str
    reference: str
    #: The log position once it was built, for read-your-writes.
    position: int = 0
    #: An evidence document attached to it.
    document_id: str = ""


def build_world(journeys: CaseJourneys, *, closed: bool = False) -> World:
    reference = f"MX-{uuid4().hex[:8]}"
    case_id = journeys.open_case(
        reference=reference,
        organisation_id="org-north",
        jurisdiction="england_and_wales",
        **BY,
    ).case_id
    journeys.assign_advocate(case_id, "adv-n1", **BY)
    for purpose in ("sharing_with_counsel", "evaluation"):
        journeys.give_consent(case_id, purpose, **BY)
    step = StepInput(kind="health.gp_registered", occurred="2024-01", summary="GP.")
    step_id = journeys.record_step(case_id, step, **BY).id
    support = StepInput(
        kind="health.mental_health_support_accessed",
        occurred="2024-02",
        summary="Began counselling.",
    )
    sensitive_step_id = journeys.record_step(case_id, support, **BY).id
    share_id = journeys.share_with_counsel(
        case_id,
        counsel="counsel-1",
        purpose="cica",
        expires_on=TODAY + timedelta(days=30),
        **BY,
    ).id
    document_id = journeys.attach_evidence(
        case_id, title="Decision letter", document_kind="letter", **BY
    ).id
    if closed:
        journeys.close_case(case_id, reason="Support ended.", **BY)
    return World(
        str(case_id),
        str(step_id),
        str(sensitive_step_id),
        str(share_id),
        reference,
        journeys.log_position(),
        str(document_id),
    )


Check = Callable[[dict[str, Any], Caller, World], None]


def _nothing(answer: dict[str, Any], caller: Caller, world: World) -> None:
    return None


@dataclass(frozen=True)
class Operation:
    #: The schema field it exercises.
    field: str
    document: str
    variables: Callable[[World], dict[str, Any]]
    #: Roles whose rights include it.
    roles: frozenset[str]
    #: Whether it names the case under test (else it lists or aggregates).
    on_case: bool = True
    #: What else an allowed answer must show.
    check: Check = _nothing
    #: For mutations: set the case up first (e.g. closed, to reopen it).
    closed: bool = False
    name: str = ""
    #: Roles refused only once the case is seen, for what it holds.
    refused_on_case: frozenset[str] = frozenset()

    @property
    def label(self) -> str:
        return self.name or self.field


def _query(field_name: str, arguments: str, selection: str = "") -> str:
    header = f"({arguments})" if arguments else ""
    call = field_name
    if arguments:
        names = re.findall(r"\$(\w+)", arguments)
        call += "(" + ", ".join(f"{n}: ${n}" for n in names) + ")"
    return (
        f"query{header} {{ {call} {{ __typename {selection} ...failure }} }}" + FAILURE
    )


def _lists_case_iff_own(path: str) -> Check:
    def check(answer: dict[str, Any], caller: Caller, world: World) -> None:
        listed = answer
        for key in path.split("."):
            listed = listed[key]
        references = {item["reference"] for item in listed}  # type: ignore[attr-defined]
        assert (world.reference in references) is (caller.relation == OWN), (
            caller,
            references,
        )

    return check


def _counsel_chronology(answer: dict[str, Any], caller: Caller, world: World) -> None:
    steps = {row["stepId"] for row in answer["rows"]}
    assert world.step_id in steps
    if caller.role == COUNSEL:  # the share leaves sensitive steps out, counted
        assert world.sensitive_step_id not in steps
        assert answer["sensitiveLeftOut"] == 1
    else:
        assert world.sensitive_step_id in steps
        assert answer["sensitiveLeftOut"] == 0


def _shares(answer: dict[str, Any], caller: Caller, world: World) -> None:
    shared = {share["caseId"] for share in answer["shares"]}
    assert (world.case_id in shared) is (caller.relation == SHARED)


CASE_ID = "$caseId: UUID!"
QUERIES = (
    Operation(
        "case",
        _query("case", "$id: UUID!", "... on Case { reference }"),
        lambda w: {"id": w.case_id},
        CASE_ROLES,
    ),
    Operation(
        "cases",
        _query(
            "cases",
            "$first: Int!, $atLeastPosition: Int",
            "... on CasePage { cases { reference } }",
        ),
        lambda w: {"first": 100, "atLeastPosition": w.position},
        CASE_ROLES,
        on_case=False,
        check=_lists_case_iff_own("cases"),
    ),
    Operation(
        "caseload",
        _query(
            "caseload",
            "$atLeastPosition: Int",
            "... on Caseload { cases { reference } }",
        ),
        lambda w: {"atLeastPosition": w.position},
        CASE_ROLES,
        on_case=False,
        check=_lists_case_iff_own("cases"),
    ),
    Operation(
        "chronology",
        _query(
            "chronology",
            f"{CASE_ID}, $purpose: ChronologyPurpose!",
            "... on Chronology { rows { stepId } sensitiveLeftOut }",
        ),
        lambda w: {"caseId": w.case_id, "purpose": "CICA"},
        CASE_ROLES | {COUNSEL},
        check=_counsel_chronology,
    ),
    Operation(
        "deadlines",
        _query("deadlines", CASE_ID, "... on Deadlines { caseId }"),
        lambda w: {"caseId": w.case_id},
        CASE_ROLES,
    ),
    Operation(
        "compensationEvidence",
        _query(
            "compensationEvidence",
            f"{CASE_ID}, $stage: CompensationStage!",
            "... on CompensationEvidence { caseId }",
        ),
        lambda w: {"caseId": w.case_id, "stage": "APPLICATION"},
        CASE_ROLES | {COUNSEL},
    ),
    Operation(
        "evaluation",
        _query("evaluation", "$filter: EvaluationFilter!"),
        lambda w: {"filter": {"period": "2024-Q1"}},
        frozenset({EVALUATOR}),
        on_case=False,
    ),
    Operation(
        "evaluationDefinitions",
        _query("evaluationDefinitions", ""),
        lambda w: {},
        frozenset({EVALUATOR}),
        on_case=False,
    ),
    Operation(
        "cohortExport",
        _query("cohortExport", "$filter: EvaluationFilter!"),
        lambda w: {"filter": {"period": "2024-Q1"}},
        frozenset({EVALUATOR}),
        on_case=False,
    ),
    Operation(
        "sharedWithMe",
        _query("sharedWithMe", "", "... on SharedWithMe { shares { caseId } }"),
        lambda w: {},
        frozenset({COUNSEL}),
        on_case=False,
        check=_shares,
    ),
    Operation(
        "auditTrail",
        _query("auditTrail", "$caseId: UUID", "... on AuditTrail { caseId }"),
        lambda w: {"caseId": w.case_id},
        frozenset({MANAGER}),
        name="auditTrail(caseId)",
    ),
    Operation(
        "auditTrail",
        _query("auditTrail", "$subject: String", "... on AuditTrail { subject }"),
        lambda w: {"subject": "counsel-1"},
        frozenset({ADMINISTRATOR}),
        on_case=False,
        name="auditTrail(subject)",
    ),
)
QUERIES += (
    Operation(
        "bundles",
        _query("bundles", CASE_ID, "... on CaseBundles { caseId }"),
        lambda w: {"caseId": w.case_id},
        CASE_ROLES,
    ),
    Operation(
        "verifyChronologyExport",
        _query(
            "verifyChronologyExport",
            "$proof: String!",
            "... on ExportVerification { matches }",
        ),
        lambda w: {"proof": _proof(w)},
        CASE_ROLES | {COUNSEL},
    ),
)


def _proof(world: World) -> str:
    """A proof naming the case's CICA chronology (its digest matches nothing)."""
    return (
        Proof(
            case_id=UUID(world.case_id),
            reference=world.reference,
            purpose=Purpose.CICA,
            as_at=None,
            with_history=False,
            case_version=1,
            chain_head="0" * 64,
            log_position=world.position,
            exported_at=datetime.now(UTC),
            rows_sha256="0" * 64,
        )
        .as_json()
        .decode()
    )


#: Queries every caller may make: they hold no case data.
OPEN_QUERIES = {
    "stepKinds": "{ stepKinds { code } }",
    "viewer": "{ viewer { role } }",
    "describeDate": '{ describeDate(edtf: "2019-06~") { __typename } }',
}

STEP = {"kind": "housing.advocacy", "occurred": "2024-03", "summary": "Called."}
MUTATION_INPUTS: dict[str, Callable[[World], dict[str, Any]]] = {
    "openCase": lambda w: {"reference": "MX-NEW", "jurisdiction": "SCOTLAND"},
    "recordStep": lambda w: {"caseId": w.case_id, **STEP},
    "correctStep": lambda w: {
        "caseId": w.case_id,
        "stepId": w.step_id,
        **STEP,
        "reason": REASON,
    },
    "retractStep": lambda w: {
        "caseId": w.case_id,
        "stepId": w.step_id,
        "reason": REASON,
    },
    "disputeStep": lambda w: {
        "caseId": w.case_id,
        "stepId": w.step_id,
        "disputedBy": "the survivor",
        "otherVersion": "It was another day.",
    },
    "attachEvidence": lambda w: {
        "caseId": w.case_id,
        "title": "Letter",
        "documentKind": "letter",
    },
    "recordDateOfBirth": lambda w: {"caseId": w.case_id, "born": "1990"},
    "giveConsent": lambda w: {"caseId": w.case_id, "purpose": "NRM_REFERRAL"},
    "withdrawConsent": lambda w: {"caseId": w.case_id, "purpose": "EVALUATION"},
    # The case has an advocate: re-assigning it is a hand-over.
    "assignAdvocate": lambda w: {"caseId": w.case_id, "advocateId": "adv-n2"},
    "transferCase": lambda w: {
        "caseId": w.case_id,
        "toOrganisationId": "org-south",
        "reason": REASON,
    },
    "closeCase": lambda w: {"caseId": w.case_id, "reason": REASON},
    "reopenCase": lambda w: {"caseId": w.case_id, "reason": REASON},
    "markStepSensitivity": lambda w: {
        "caseId": w.case_id,
        "stepId": w.step_id,
        "sensitive": True,
        "reason": "Counselling content.",
    },
    "shareWithCounsel": lambda w: {
        "caseId": w.case_id,
        "counsel": "counsel-3",
        "purpose": "CRIMINAL_TRIAL",
        "expiresOn": (TODAY + timedelta(days=10)).isoformat(),
    },
    "revokeShare": lambda w: {
        "caseId": w.case_id,
        "shareId": w.share_id,
        "reason": "The hearing is over.",
    },
    "eraseCase": lambda w: {"caseId": w.case_id, "ground": "ERASURE_REQUEST"},
    "assembleBundle": lambda w: {
        "caseId": w.case_id,
        "name": "Bundle",
        "purpose": "CICA_REVIEW",
        "sections": [
            {
                "letter": "A",
                "title": "Decisions",
                "documents": [
                    {"documentId": w.document_id or str(uuid4()), "pages": 2}
                ],
            }
        ],
    },
    "serveChronology": lambda w: {
        "caseId": w.case_id,
        "purpose": "CICA",
        "servedOn": TODAY.isoformat(),
        "servedTo": "the First-tier Tribunal",
    },
    "importHtcdsCase": lambda w: {
        "content": orjson.dumps(
            {
                "standard": "HTCDS 2.0",
                "Case": {
                    "wmk_Reference": f"IMPORTED-{uuid4().hex[:6]}",
                    "wmk_Jurisdiction": "england_and_wales",
                },
            }
        ).decode()
    },
}
#: Only a manager may transfer; anyone who records may assign a case's first
#: advocate, but the case under test has one, so this is a hand-over.
MANAGERS_MUTATIONS = {"transferCase", "eraseCase"}
#: Mutations that make a case rather than name one.
CASELESS_MUTATIONS = {"openCase", "importHtcdsCase"}
HAND_OVERS = {"assignAdvocate"}


def mutations() -> list[Operation]:
    found = []
    mutation_type = SCHEMA.mutation_type
    assert mutation_type is not None
    for name, definition in mutation_type.fields.items():
        input_type = definition.args["input"].type
        document = (
            f"mutation($input: {input_type}) "
            f"{{ {name}(input: $input) {{ __typename ...failure }} }}" + FAILURE
        )
        found.append(
            Operation(
                name,
                document,
                lambda w, name=name: {"input": MUTATION_INPUTS[name](w)},
                frozenset({MANAGER}) if name in MANAGERS_MUTATIONS else CASE_ROLES,
                on_case=name not in CASELESS_MUTATIONS,
                closed=name == "reopenCase",
                refused_on_case=frozenset({ADVOCATE} if name in HAND_OVERS else ()),
            )
        )
    return found


def success_types(field_name: str, operation_type: GraphQLObjectType) -> set[str]:
    """The field's result types that are not failures."""
    result: GraphQLNamedType = get_named_type(operation_type.fields[field_name].type)
    if not isinstance(result, GraphQLUnionType):
        return {result.name}
    return {
        member.name
        for member in result.types
        if not any(i.name == "Failure" for i in member.interfaces)
    }


def _sees(caller: Caller) -> bool:
    return caller.relation == (SHARED if caller.role == COUNSEL else OWN)


def expected(operation: Operation, caller: Caller) -> str:
    if caller.role not in operation.roles:
        return "NotPermitted"
    if not operation.on_case:
        return "allowed"
    if not _sees(caller):
        return "NotFound"
    return "NotPermitted" if caller.role in operation.refused_on_case else "allowed"


def test_every_query_and_mutation_in_the_schema_is_in_the_matrix() -> None:
    schema: GraphQLSchema = SCHEMA
    assert schema.query_type is not None and schema.mutation_type is not None
    covered = {op.field for op in QUERIES} | set(OPEN_QUERIES)
    assert set(schema.query_type.fields) == covered
    assert set(schema.mutation_type.fields) == set(MUTATION_INPUTS)


def _same_answer_for_a_case_that_does_not_exist(
    api: Api,
    operation: Operation,
    world: World,
    token: str,
    answer: dict[str, Any],
) -> None:
    missing = str(uuid4())
    ghost = World(missing, world.step_id, world.sensitive_step_id, world.share_id, "")
    other = api.call(operation.document, operation.variables(ghost), token=token)
    theirs = other[operation.field]
    assert theirs["__typename"] == answer["__typename"]
    assert theirs["message"].replace(missing, "ID") == answer["message"].replace(
        world.case_id, "ID"
    )


def _cell(
    api: Api, operation: Operation, caller: Caller, world: World, kind: str
) -> None:
    token = api.token(
        role=caller.role, organisation_id=caller.organisation, subject=caller.subject
    )
    position = api.journeys.log_position()
    answer = api.call(operation.document, operation.variables(world), token=token)[
        operation.field
    ]
    outcome = expected(operation, caller)
    operation_type = SCHEMA.mutation_type if kind == "mutation" else SCHEMA.query_type
    assert operation_type is not None
    where = (operation.label, caller)
    if outcome == "allowed":
        assert answer["__typename"] in success_types(operation.field, operation_type), (
            where,
            answer,
        )
        operation.check(answer, caller, world)
        return
    assert answer["__typename"] == outcome, (where, answer)
    if kind == "mutation":
        assert api.journeys.log_position() == position, where
    # To a caller who cannot see the case, it must answer as no case at all.
    # (One who can may be refused for what it holds: a hand-over needs a
    # manager only once the case has an advocate.)
    if operation.on_case and not _sees(caller):
        _same_answer_for_a_case_that_does_not_exist(
            api, operation, world, token, answer
        )


@pytest.fixture
def api(server: Server, journeys: CaseJourneys, settings: Settings) -> Iterator[Api]:
    """The API with its views kept current in this process on every store, so
    a caseload can be read at a position."""
    views = build_views(settings, journeys, ProjectionSettings(in_process=True))
    try:
        with server.mounted(create_app(journeys, settings, views)) as http:
            yield Api(http, settings, journeys)
    finally:
        views.close()


@pytest.fixture
def world(api: Api) -> Iterator[World]:
    api.journeys.open_case(
        reference="SOUTH-1", organisation_id="org-south", jurisdiction="scotland", **BY
    )
    yield build_world(api.journeys)


def test_every_role_reads_only_what_its_rights_and_the_case_allow(
    api: Api, world: World
) -> None:
    for operation in QUERIES:
        for caller in CALLERS:
            _cell(api, operation, caller, world, "query")
    for caller in CALLERS:
        token = api.token(
            role=caller.role,
            organisation_id=caller.organisation,
            subject=caller.subject,
        )
        for name, document in OPEN_QUERIES.items():
            assert api.call(document, token=token)[name]


@pytest.mark.parametrize("operation", mutations(), ids=lambda op: op.label)
def test_every_role_changes_only_what_its_rights_and_the_case_allow(
    api: Api, operation: Operation
) -> None:
    for caller in CALLERS:
        world = build_world(api.journeys, closed=operation.closed)
        _cell(api, operation, caller, world, "mutation")


def test_a_counsel_reads_nothing_of_a_case_whose_share_has_ended(api: Api) -> None:
    world = build_world(api.journeys)
    case_id = UUID(world.case_id)
    api.journeys.revoke_share(case_id, UUID(world.share_id), reason="Done.", **BY)
    counsel = next(c for c in CALLERS if c.relation == SHARED)
    revoked = Caller(COUNSEL, counsel.organisation, counsel.subject, OTHER)

    for operation in QUERIES:
        if COUNSEL in operation.roles:
            _cell(api, operation, revoked, world, "query")
