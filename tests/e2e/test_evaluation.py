"""Evaluation statistics over HTTP, on the in-memory, SQLite and PostgreSQL stores.

A small synthetic cohort (references "EV-001" on, no real person) is recorded on
the days its cases opened, early in 2024, with the time machine. The evaluation
view is kept current in this process on SQLite and in memory, and by a worker
elsewhere on PostgreSQL: the tests catch it up themselves before asking, and ask
with ``fresh: true``. The disclosure threshold is the default, 10.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest

from api.app import create_app
from api.bootstrap import Views, build_views
from api.graphql import build_schema
from api.settings import Settings
from domain.application import CaseJourneys
from domain.commands import StepInput
from tests.e2e.conftest import Api, Server
from tests.e2e.operations import CASE, CASES, CHRONOLOGY, FAILURE
from tests.time_machine import TimeMachine

QUARTER = date(2024, 1, 8)
#: (local authority, jurisdiction, organisation, how many), opened a day apart.
PLACES = (
    ("Leeds", "england_and_wales", "org-north", 12),
    ("Camden", "england_and_wales", "org-south", 10),
    ("Glasgow", "scotland", "org-north", 2),
)
AWARD = "1234.50"

TABLE = (
    """
query Table(
  $filter: EvaluationFilter!, $metrics: [EvaluationMetric!],
  $by: [EvaluationDimension!], $fresh: Boolean! = true
) {
  evaluation(filter: $filter, metrics: $metrics, by: $by, fresh: $fresh) {
    __typename
    ... on EvaluationTable {
      period { first last name } threshold position suppressedCells
      rows {
        dimension value
        figures {
          metric numerator { value suppressed } denominator { value suppressed }
          share totalAmount days { lower median upper }
        }
      }
    }
    ...failure
  }
}
"""
    + FAILURE
)

COHORT = (
    """
query Cohort($filter: EvaluationFilter!, $format: CohortFormat! = CSV) {
  cohortExport(filter: $filter, format: $format) {
    __typename
    ... on CohortExport {
      format columns rowCount generalisedRows withheld position content
    }
    ...failure
  }
}
"""
    + FAILURE
)

DEFINITIONS = (
    """
query {
  evaluationDefinitions {
    __typename
    ... on EvaluationDefinitions {
      threshold definitions { metric numerator denominator notes }
    }
    ...failure
  }
}
"""
    + FAILURE
)

Q1 = {"period": "2024-Q1"}


@dataclass
class EvaluationApi(Api):
    views: Views | None = None
    #: The synthetic cohort's case ids and references, once recorded.
    case_ids: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)

    def caught_up(self) -> int:
        """Brings every view up to the log, as a worker beside the API would."""
        assert self.views is not None
        for worker in self.views.workers:
            worker.catch_up()
        return self.journeys.log_position()

    def evaluator(self, subject: str = "eval-1") -> str:
        return self.token(role="evaluator", organisation_id=None, subject=subject)


@pytest.fixture
def machine() -> TimeMachine:
    return TimeMachine(QUARTER)


@pytest.fixture
def today(machine: TimeMachine) -> Callable[[], date]:
    return machine.today


@pytest.fixture
def api(
    server: Server, journeys: CaseJourneys, settings: Settings
) -> Iterator[EvaluationApi]:
    views = build_views(settings, journeys)
    try:
        with server.mounted(create_app(journeys, settings, views)) as http:
            yield EvaluationApi(http, settings, journeys, views)
    finally:
        views.close()


@pytest.fixture
def cohort(api: EvaluationApi, machine: TimeMachine) -> EvaluationApi:
    """24 consenting clients opened in the first quarter of 2024 (12 in Leeds, 10
    in Camden, 2 in Glasgow), every Leeds one with housing advocacy and ten of
    them with an award received; besides them, a Leeds case without consent to
    evaluation and a consenting one opened in April."""
    journeys = api.journeys
    by = {"recorded_by": "advocate-1"}

    def open_case(reference: str, place: tuple[str, str, str], consent: bool) -> UUID:
        authority, jurisdiction, organisation = place
        case_id = journeys.open_case(
            reference=reference,
            organisation_id=organisation,
            jurisdiction=jurisdiction,
            local_authority=authority,
            **by,
        ).case_id
        journeys.record_date_of_birth(case_id, "1990-05-01", **by)
        if consent:
            journeys.give_consent(case_id, "evaluation", **by)
        api.case_ids.append(str(case_id))
        api.references.append(reference)
        return case_id

    def step(case_id: UUID, kind: str, details: dict[str, Any] | None = None) -> None:
        occurred = machine.day.isoformat()
        journeys.record_step(
            case_id, StepInput(kind, occurred, "Synthetic step", details), **by
        )

    with machine.running():
        day = QUARTER
        for authority, jurisdiction, organisation, count in PLACES:
            for n in range(count):
                machine.on(day)
                reference = f"EV-{len(api.references) + 1:03}"
                place = (authority, jurisdiction, organisation)
                case_id = open_case(reference, place, consent=True)
                if authority == "Leeds":
                    step(case_id, "housing.advocacy")
                    if n < 10:
                        step(
                            case_id,
                            "compensation.award_received",
                            {"amount": AWARD, "source": "cica"},
                        )
                day += timedelta(days=1)
        machine.on(day)
        open_case("EV-025", PLACES[0][:3], consent=False)
        machine.on(date(2024, 4, 15))
        open_case("EV-026", PLACES[0][:3], consent=True)
    return api


def table(api: Api, token: str, **arguments: Any) -> dict[str, Any]:
    return api.call(TABLE, arguments, token=token)["evaluation"]


def cohort_export(api: Api, token: str, **arguments: Any) -> dict[str, Any]:
    return api.call(COHORT, arguments, token=token)["cohortExport"]


def figures(row: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {figure["metric"]: figure for figure in row["figures"]}


def test_an_evaluator_reads_figures_with_small_cells_suppressed(
    cohort: EvaluationApi,
) -> None:
    api = cohort
    position = api.caught_up()
    metrics = ["CLIENTS", "ADVOCACY_HOUSING", "COMPENSATION_AWARDED"]

    answer = table(api, api.evaluator(), filter=Q1, metrics=metrics, by=["REGION"])

    assert answer["__typename"] == "EvaluationTable", answer
    assert answer["period"] == {
        "first": "2024-01-01",
        "last": "2024-03-31",
        "name": "2024-Q1",
    }
    assert (answer["threshold"], answer["position"]) == (10, position)
    total, *regions = answer["rows"]
    assert (total["dimension"], total["value"]) == (None, None)
    everyone = figures(total)
    assert list(everyone) == metrics
    # The case without consent and the one opened in April are not clients.
    assert everyone["CLIENTS"]["numerator"] == {"value": 24, "suppressed": False}
    assert everyone["CLIENTS"]["denominator"] is None
    housing = everyone["ADVOCACY_HOUSING"]
    assert (housing["numerator"]["value"], housing["denominator"]["value"]) == (12, 24)
    assert housing["share"] == 0.5
    awarded = everyone["COMPENSATION_AWARDED"]
    assert awarded["numerator"]["value"] == 10
    assert awarded["totalAmount"] == "12345.00"
    assert awarded["days"] is None
    by_region = {row["value"]: figures(row) for row in regions}
    assert [row["dimension"] for row in regions] == ["REGION"] * 3
    assert set(by_region) == {"London", "Scotland", "Yorkshire and The Humber"}
    # Two clients in Scotland: below the threshold, so suppressed, never a zero;
    # Yorkshire then too, or Scotland's would follow by subtraction. (London is
    # shown: it is org-south's cell too, which is published beside org-north.)
    for small in ("Scotland", "Yorkshire and The Humber"):
        assert by_region[small]["CLIENTS"]["numerator"] == {
            "value": None,
            "suppressed": True,
        }
        assert by_region[small]["ADVOCACY_HOUSING"]["share"] is None
    london = by_region["London"]
    assert london["CLIENTS"]["numerator"] == {"value": 10, "suppressed": False}
    yorkshire = by_region["Yorkshire and The Humber"]
    # Ten of twelve awarded: the twelve are withheld, so the two without an
    # award cannot be worked out, and the ten may be shown (without a share).
    awarded_there = yorkshire["COMPENSATION_AWARDED"]
    assert awarded_there["numerator"] == {"value": 10, "suppressed": False}
    assert awarded_there["denominator"]["suppressed"] is True
    assert awarded_there["share"] is None
    assert answer["suppressedCells"] > 0
    for reference in api.references:
        assert reference not in json.dumps(answer)

    dated = table(
        api,
        api.evaluator(),
        filter={
            "from": "2024-01-01",
            "to": "2024-06-30",
        },
        metrics=["CLIENTS"],
        fresh=False,
    )
    assert dated["period"] == {
        "first": "2024-01-01",
        "last": "2024-06-30",
        "name": None,
    }
    # With April, the consenting case opened then counts too.
    assert dated["rows"][0]["figures"][0]["numerator"]["value"] == 25
    admin = api.token(role="administrator", organisation_id=None, subject="admin-1")
    by_admin = table(api, admin, filter=Q1, metrics=["CLIENTS"])
    assert by_admin["rows"][0]["figures"][0]["numerator"]["value"] == 24

    definitions = api.call(DEFINITIONS, token=api.evaluator())["evaluationDefinitions"]
    assert definitions["__typename"] == "EvaluationDefinitions", definitions
    assert definitions["threshold"] == 10
    listed = definitions["definitions"]
    assert [d["metric"] for d in listed][:3] == [
        "CLIENTS",
        "ENGAGED_6_MONTHS",
        "ADVOCACY_HOUSING",
    ]
    assert len(listed) == 16
    assert all(d["numerator"] and d["denominator"] for d in listed)
    assert "six-month anniversary" in listed[1]["numerator"]


def test_an_evaluator_downloads_a_pseudonymous_cohort(cohort: EvaluationApi) -> None:
    api = cohort
    position = api.caught_up()
    table(api, api.evaluator(), filter=Q1, metrics=["CLIENTS"])  # a fresh read

    as_csv = cohort_export(api, api.evaluator(), filter=Q1)
    as_lines = cohort_export(api, api.evaluator(), filter=Q1, format="JSON_LINES")
    another = cohort_export(api, api.evaluator("eval-2"), filter=Q1)

    assert as_csv["__typename"] == "CohortExport", as_csv
    assert (as_csv["format"], as_csv["rowCount"], as_csv["withheld"]) == (
        "CSV",
        24,
        False,
    )
    assert as_csv["position"] == position
    columns = as_csv["columns"]
    assert columns[:5] == [
        "pseudonym",
        "opened_quarter",
        "age_band",
        "jurisdiction",
        "region",
    ]
    rows = list(csv.DictReader(io.StringIO(as_csv["content"])))
    assert as_csv["content"].splitlines()[0] == ",".join(columns)
    assert len(rows) == 24
    assert {row["opened_quarter"] for row in rows} <= {"2024-Q1", "withheld", "2024"}
    assert sum(row["advocacy_housing"] == "true" for row in rows) == 12
    # The two in Glasgow share their combination with nobody else: generalised.
    assert as_csv["generalisedRows"] == 2
    assert sum(row["region"] == "withheld" for row in rows) == 2

    assert (as_lines["format"], as_lines["rowCount"]) == ("JSON_LINES", 24)
    lines = [json.loads(line) for line in as_lines["content"].splitlines()]
    assert len(lines) == 24
    assert all(list(line) == columns for line in lines)
    assert {line["pseudonym"] for line in lines} == {row["pseudonym"] for row in rows}

    mine = {row["pseudonym"] for row in rows}
    theirs = {
        row["pseudonym"] for row in csv.DictReader(io.StringIO(another["content"]))
    }
    assert len(mine) == len(theirs) == 24
    assert mine.isdisjoint(theirs)
    for content in (as_csv["content"], as_lines["content"], another["content"]):
        for identifier in (*api.case_ids, *api.references, "org-north", "Leeds"):
            assert identifier not in content

    too_few = cohort_export(api, api.evaluator(), filter={"period": "2023-Q1"})
    assert (too_few["withheld"], too_few["rowCount"]) == (True, 0)
    assert too_few["content"] == ",".join(columns) + "\n"

    # No periods but named ones: days stepped one at a time would date an
    # opening to the day.
    dated = cohort_export(
        api, api.evaluator(), filter={"from": "2024-01-01", "to": "2024-03-30"}
    )
    assert (dated["__typename"], dated["field"]) == (
        "ValidationFailed",
        "filter.period",
    )

    admin = api.token(role="administrator", organisation_id=None, subject="admin-1")
    refused = cohort_export(api, admin, filter=Q1)
    assert refused["__typename"] == "NotPermitted"
    assert "only evaluators" in refused["message"]


def test_only_evaluators_and_administrators_read_statistics(
    api: EvaluationApi,
) -> None:
    for role in ("advocate", "manager", "counsel"):
        token = api.token(role=role, subject=f"{role}-1")

        answers = [
            table(api, token, filter=Q1),
            table(api, token, filter={"period": "2024-Q5"}),
            cohort_export(api, token, filter=Q1),
            api.call(DEFINITIONS, token=token)["evaluationDefinitions"],
        ]

        for answer in answers:
            assert answer["__typename"] == "NotPermitted", (role, answer)
            assert role in answer["message"]


def test_an_unusable_period_or_filter_is_a_validation_failure(
    api: EvaluationApi,
) -> None:
    evaluator = api.evaluator()
    cases = [
        ({"period": "2024-Q5"}, {}, "filter.period", "names no period"),
        ({"period": "2023/25"}, {}, "filter.period", "not a financial year"),
        (
            {"from": "2024-03-01", "to": "2024-02-01"},
            {},
            "filter.to",
            "before the first",
        ),
        (
            {"period": "2024-Q1", "from": "2024-01-01", "to": "2024-03-31"},
            {},
            "filter.period",
            "not both",
        ),
        ({}, {}, "filter.period", "give a period"),
        ({"from": "2024-01-01"}, {}, "filter.to", "both"),
        (Q1, {"by": ["REGION", "REGION"]}, "by", "more than once"),
        (Q1, {"metrics": []}, "metrics", "at least one"),
    ]

    for given, arguments, at_fault, words in cases:
        answer = table(api, evaluator, filter=given, **arguments)
        assert answer["__typename"] == "ValidationFailed", (given, answer)
        assert answer["field"] == at_fault, (given, answer)
        assert words in answer["message"], (given, answer)
    refused = cohort_export(api, evaluator, filter={"period": "2024-Q5"})
    assert (refused["__typename"], refused["field"]) == (
        "ValidationFailed",
        "filter.period",
    )


#: Every other query, with arguments naming the case.
QUERIES = {
    "case": (CASE, lambda ids: {"id": ids["case"]}),
    "cases": (CASES, lambda ids: {"first": 10}),
    "caseload": ("{ caseload { __typename ...failure } }" + FAILURE, None),
    "chronology": (CHRONOLOGY, lambda ids: {"caseId": ids["case"]}),
    "deadlines": (
        "query($caseId: UUID!) { deadlines(caseId: $caseId) { __typename ...failure } }"
        + FAILURE,
        lambda ids: {"caseId": ids["case"]},
    ),
    "compensationEvidence": (
        "query($caseId: UUID!) { compensationEvidence(caseId: $caseId, "
        "stage: APPLICATION) { __typename ...failure } }" + FAILURE,
        lambda ids: {"caseId": ids["case"]},
    ),
}
#: Queries an evaluator may ask: statistics, and two that hold no case data.
EVALUATOR_QUERIES = {
    "evaluation",
    "evaluationDefinitions",
    "cohortExport",
    "stepKinds",
    "describeDate",  # reads no case: how a date prints
    "viewer",
}
STEP = {"kind": "housing.advocacy", "occurred": "2023-12", "summary": "Called."}
REASON = "Recorded in error."
#: Every mutation's input, naming the case (and step).
MUTATIONS = {
    "openCase": lambda ids: {"reference": "EV-X", "jurisdiction": "SCOTLAND"},
    "recordStep": lambda ids: {"caseId": ids["case"], **STEP},
    "correctStep": lambda ids: {
        "caseId": ids["case"],
        "stepId": ids["step"],
        **STEP,
        "reason": REASON,
    },
    "retractStep": lambda ids: {
        "caseId": ids["case"],
        "stepId": ids["step"],
        "reason": REASON,
    },
    "disputeStep": lambda ids: {
        "caseId": ids["case"],
        "stepId": ids["step"],
        "disputedBy": "the survivor",
        "otherVersion": "It was another day.",
    },
    "attachEvidence": lambda ids: {
        "caseId": ids["case"],
        "title": "Letter",
        "documentKind": "letter",
    },
    "recordDateOfBirth": lambda ids: {"caseId": ids["case"], "born": "1990"},
    "giveConsent": lambda ids: {"caseId": ids["case"], "purpose": "EVALUATION"},
    "withdrawConsent": lambda ids: {"caseId": ids["case"], "purpose": "EVALUATION"},
    "assignAdvocate": lambda ids: {"caseId": ids["case"], "advocateId": "eval-1"},
    "transferCase": lambda ids: {
        "caseId": ids["case"],
        "toOrganisationId": "org-south",
        "reason": REASON,
    },
    "closeCase": lambda ids: {"caseId": ids["case"], "reason": REASON},
    "reopenCase": lambda ids: {"caseId": ids["case"], "reason": REASON},
}


def test_an_evaluator_reaches_no_other_query_or_mutation(api: EvaluationApi) -> None:
    schema = build_schema()._schema
    assert schema.query_type is not None and schema.mutation_type is not None
    assert set(schema.query_type.fields) == set(QUERIES) | EVALUATOR_QUERIES
    assert set(schema.mutation_type.fields) == set(MUTATIONS)
    by = {"recorded_by": "advocate-1"}
    case_id = api.journeys.open_case(
        reference="EV-ACCESS",
        organisation_id="org-north",
        jurisdiction="scotland",
        **by,
    ).case_id
    api.journeys.give_consent(case_id, "evaluation", **by)
    step_id = api.journeys.record_step(case_id, StepInput(**STEP), **by).id
    ids = {"case": str(case_id), "step": str(step_id)}
    evaluator = api.evaluator()
    position = api.journeys.log_position()

    for name, (document, variables) in QUERIES.items():
        answer = api.call(
            document, variables(ids) if variables else {}, token=evaluator
        )
        assert answer[name]["__typename"] == "NotPermitted", (name, answer)
    for name, mutation in schema.mutation_type.fields.items():
        document = (
            f"mutation($input: {mutation.args['input'].type}) "
            f"{{ {name}(input: $input) {{ __typename ...failure }} }}" + FAILURE
        )
        answer = api.call(document, {"input": MUTATIONS[name](ids)}, token=evaluator)
        assert answer[name]["__typename"] == "NotPermitted", (name, answer)

    assert api.journeys.log_position() == position
    viewer = api.call("{ viewer { role } }", token=evaluator)["viewer"]
    assert viewer == {"role": "evaluator"}
