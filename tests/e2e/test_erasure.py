"""Erasing a case over HTTP, on the in-memory, SQLite and PostgreSQL stores.

Only a manager of the organisation holding the case may erase it; anyone else
in that organisation is refused, anyone outside it finds no case. After erasure
the case answers as one that does not exist and leaves the case list. Every case
is synthetic.
"""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import Api
from tests.e2e.operations import CASE, CASES, FAILURE, OPEN_CASE

ERASE_CASE = (
    """
mutation Erase($input: EraseCaseInput!) {
  eraseCase(input: $input) {
    __typename
    ... on CaseErased { caseId caseVersion position replayed }
    ...failure
  }
}
"""
    + FAILURE
)

MANAGER = {"role": "manager", "subject": "manager-north"}


def _open(api: Api, reference: str) -> str:
    data = api.call(
        OPEN_CASE,
        {"input": {"reference": reference, "jurisdiction": "ENGLAND_AND_WALES"}},
    )
    assert data["openCase"]["__typename"] == "CaseOpened", data
    return str(data["openCase"]["caseId"])


def _erase(api: Api, case_id: str, **caller: Any) -> dict[str, Any]:
    variables = {
        "input": {
            "caseId": case_id,
            "ground": "ERASURE_REQUEST",
            "idempotencyKey": "e1",
        }
    }
    return dict(api.call(ERASE_CASE, variables, **caller)["eraseCase"])


def test_a_manager_erases_a_case_which_then_answers_as_no_case(api: Api) -> None:
    case_id = _open(api, "ERASE-E2E-1")
    kept = _open(api, "KEEP-E2E-1")

    erased = _erase(api, case_id, **MANAGER)

    assert erased["__typename"] == "CaseErased"
    assert (erased["caseId"], erased["caseVersion"], erased["replayed"]) == (
        case_id,
        2,
        False,
    )
    assert api.call(CASE, {"id": case_id})["case"]["__typename"] == "NotFound"
    position = api.journeys.log_position()
    listed = api.call(CASES, {"first": 50, "atLeastPosition": position})["cases"][
        "cases"
    ]
    assert [case["id"] for case in listed] == [kept]
    again = _erase(api, case_id, **MANAGER)
    assert (again["__typename"], again["replayed"]) == ("CaseErased", True)


def test_only_a_manager_of_the_organisation_may_erase_and_a_refusal_records_nothing(
    api: Api,
) -> None:
    case_id = _open(api, "ERASE-E2E-2")
    position = api.journeys.log_position()

    advocate = _erase(api, case_id)
    other_manager = _erase(
        api, case_id, role="manager", organisation_id="org-south", subject="m-south"
    )
    evaluator = _erase(api, case_id, role="evaluator", organisation_id=None)

    assert advocate["__typename"] == "NotPermitted"
    assert other_manager["__typename"] == "NotFound"
    assert evaluator["__typename"] == "NotPermitted"
    assert api.journeys.log_position() == position
    assert api.call(CASE, {"id": case_id})["case"]["__typename"] == "Case"
