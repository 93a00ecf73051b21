"""Who may see and change what, enforced over HTTP.

No operation runs without a valid bearer token; advocates and managers work on
their own organisation's cases (hand-over and transfer are a manager's); counsel
read only what is shared with them, for its purpose; evaluators and
administrators see no case. The full role x operation matrix is in
``test_access_matrix``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
import pytest

from tests.e2e.conftest import Api
from tests.e2e.operations import (
    ASSIGN_ADVOCATE,
    CASE,
    CASES,
    CHRONOLOGY,
    OPEN_CASE,
    RECORD_STEP,
    TRANSFER_CASE,
)
from tests.e2e.sharing import consent_to_sharing, share
from tests.e2e.test_case_journey import open_case, record

STEP = {"kind": "housing.advocacy", "occurred": "2022-04", "summary": "Called."}


def test_a_request_without_a_valid_token_is_refused_with_401(api: Api) -> None:
    query = "{ stepKinds { code } }"
    now = datetime.now(UTC)
    claims = {
        "sub": "advocate-1",
        "role": "advocate",
        "organisation_id": "org-north",
        "iss": "waymark",
        "aud": "waymark",
        "iat": now - timedelta(hours=2),
        "exp": now - timedelta(hours=1),
    }
    expired = jwt.encode(claims, api.settings.token_secret, algorithm="HS256")
    forged = jwt.encode(
        {**claims, "role": "administrator", "exp": now + timedelta(hours=1)},
        "another-secret-of-at-least-32-bytes!!",
        algorithm="HS256",
    )
    attempts = {
        "no header": {},
        "not bearer": {"Authorization": "Basic dXNlcjpwYXNz"},
        "garbage": {"Authorization": "Bearer not-a-jwt"},
        "forged": {"Authorization": f"Bearer {forged}"},
        "expired": {"Authorization": f"Bearer {expired}"},
    }
    for name, headers in attempts.items():
        posted = api.http.post("/graphql", json={"query": query}, headers=headers)
        assert posted.status_code == 401, name
        assert posted.headers["www-authenticate"].startswith("Bearer")
        (error,) = posted.json()["errors"]
        assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert "expired" in posted.json()["errors"][0]["message"]
    got = api.http.get("/graphql", params={"query": query})
    assert got.status_code == 401
    mutation = api.post(
        OPEN_CASE, {"input": {"reference": "X", "jurisdiction": "SCOTLAND"}}
    )
    assert mutation.status_code == 401
    assert api.journeys.log_position() == 0


def test_no_graphiql_page_is_served_from_the_graphql_endpoint(api: Api) -> None:
    # Strawberry's page loads its scripts from a CDN into a page holding a token.
    anonymous = api.http.get("/graphql", headers={"Accept": "text/html"})
    signed_in = api.http.get(
        "/graphql",
        headers={"Accept": "text/html", "Authorization": f"Bearer {api.token()}"},
    )

    assert anonymous.status_code == 401
    assert signed_in.status_code == 404
    assert "<script" not in anonymous.text + signed_in.text


def test_health_and_readiness_need_no_token(api: Api) -> None:
    assert api.http.get("/healthz").json() == {"status": "alive"}
    ready = api.http.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "position": 0}


def test_readiness_fails_when_the_store_does_not_answer(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable() -> int:
        raise ConnectionError("store down")

    monkeypatch.setattr(api.journeys, "log_position", unreachable)

    ready = api.http.get("/readyz")

    assert ready.status_code == 503
    assert ready.json() == {"status": "unavailable", "reason": "ConnectionError"}
    assert api.http.get("/healthz").status_code == 200


def test_what_a_caller_records_is_recorded_by_their_tokens_subject(
    api: Api,
) -> None:
    case_id = open_case(api, subject="advocate-7")
    api.call(RECORD_STEP, {"input": {"caseId": case_id, **STEP}}, subject="advocate-7")

    read = api.call(CHRONOLOGY, {"caseId": case_id})["chronology"]
    viewer = api.call("{ viewer { subject role organisationId } }", subject="m-1")

    assert read["rows"][0]["recordedBy"] == "advocate-7"
    assert viewer["viewer"] == {
        "subject": "m-1",
        "role": "advocate",
        "organisationId": "org-north",
    }


def test_counsel_read_only_through_a_share_and_never_change_the_case(
    api: Api,
) -> None:
    case_id = open_case(api)
    counsel = api.token(role="counsel", organisation_id="chambers-1", subject="c-1")

    def cica(**arguments: object) -> dict[str, object]:
        variables = {"caseId": case_id, "purpose": "CICA", **arguments}
        return api.call(CHRONOLOGY, variables, token=counsel)["chronology"]

    assert cica()["__typename"] == "NotFound"
    consent_to_sharing(api, case_id)
    assert cica()["__typename"] == "NotFound"  # consent alone shares nothing
    share(api, case_id, "c-1", "CICA")

    assert cica()["__typename"] == "Chronology"
    assert cica(purpose="FULL")["__typename"] == "NotFound"
    assert cica(purpose="IMMIGRATION")["__typename"] == "NotFound"
    details = api.call(CASE, {"id": case_id}, token=counsel)["case"]
    assert details["__typename"] == "NotPermitted"
    position = api.journeys.log_position()

    refused = api.call(
        RECORD_STEP, {"input": {"caseId": case_id, **STEP}}, token=counsel
    )["recordStep"]
    opened = api.call(
        OPEN_CASE,
        {"input": {"reference": "C-1", "jurisdiction": "SCOTLAND"}},
        token=counsel,
    )["openCase"]

    assert refused["__typename"] == "NotPermitted"
    assert "read-only" in refused["message"]
    assert opened["__typename"] == "NotPermitted"
    assert api.journeys.log_position() == position


def test_another_organisations_advocate_can_neither_see_nor_change_the_case(
    api: Api,
) -> None:
    case_id = open_case(api)
    record(api, case_id, **STEP)
    stranger = api.token(organisation_id="org-south", subject="advocate-9")
    position = api.journeys.log_position()

    seen = api.call(CASE, {"id": case_id}, token=stranger)["case"]
    read = api.call(CHRONOLOGY, {"caseId": case_id}, token=stranger)["chronology"]
    listed = api.call(CASES, {"first": 10}, token=stranger)["cases"]
    changed = api.call(
        RECORD_STEP, {"input": {"caseId": case_id, **STEP}}, token=stranger
    )["recordStep"]
    assigned = api.call(
        ASSIGN_ADVOCATE,
        {"input": {"caseId": case_id, "advocateId": "advocate-9"}},
        token=stranger,
    )["assignAdvocate"]
    elsewhere = api.call(
        CASES, {"first": 10, "organisationId": "org-north"}, token=stranger
    )["cases"]

    assert seen["__typename"] == read["__typename"] == "NotFound"
    assert seen["message"] == f"no case {case_id}"
    assert listed["cases"] == []
    assert changed["__typename"] == assigned["__typename"] == "NotFound"
    assert elsewhere["__typename"] == "NotPermitted"
    assert api.journeys.log_position() == position


def test_an_advocate_opens_cases_only_for_their_own_organisation(api: Api) -> None:
    elsewhere = {
        "input": {
            "reference": "X",
            "jurisdiction": "NORTHERN_IRELAND",
            "organisationId": "org-south",
        }
    }
    opened = api.call(OPEN_CASE, elsewhere)["openCase"]
    assert opened["__typename"] == "NotPermitted"

    admin = api.token(role="administrator", organisation_id=None, subject="admin-1")
    by_admin = api.call(OPEN_CASE, elsewhere, token=admin)["openCase"]
    assert by_admin["__typename"] == "NotPermitted"  # no case content
    assert api.journeys.log_position() == 0


def test_a_manager_transfers_a_case_to_an_organisation_that_exists(
    api: Api,
) -> None:
    case_id = open_case(api)
    manager = api.token(role="manager", subject="manager-1")

    def transfer(to: str, token: str | None = None) -> dict[str, object]:
        given = {"caseId": case_id, "toOrganisationId": to, "reason": "Moved."}
        return api.call(TRANSFER_CASE, {"input": given}, token=token or manager)[
            "transferCase"
        ]

    by_advocate = transfer("org-south", token=api.token())
    nowhere = transfer("org-nowhere")
    assert by_advocate["__typename"] == "NotPermitted"
    assert (nowhere["__typename"], nowhere["field"]) == (
        "ValidationFailed",
        "toOrganisationId",
    )

    assert transfer("org-south")["__typename"] == "CaseTransferred"
    south = api.token(organisation_id="org-south", subject="advocate-9")
    assert api.call(CASE, {"id": case_id})["case"]["__typename"] == "NotFound"
    assert api.call(CASE, {"id": case_id}, token=south)["case"]["__typename"] == "Case"


def test_a_hand_over_is_a_managers_but_the_first_assignment_is_anyones(
    api: Api,
) -> None:
    case_id = open_case(api)

    def assign(advocate: str, **caller: object) -> dict[str, object]:
        given = {"caseId": case_id, "advocateId": advocate}
        return api.call(ASSIGN_ADVOCATE, {"input": given}, **caller)["assignAdvocate"]

    assert assign("advocate-1")["__typename"] == "AdvocateAssigned"
    handover = assign("advocate-2")
    assert handover["__typename"] == "NotPermitted"
    assert "hand a case over" in handover["message"]
    by_manager = assign("advocate-2", role="manager", subject="manager-1")
    assert by_manager["__typename"] == "AdvocateAssigned"


def test_an_evaluator_sees_no_case_data(api: Api) -> None:
    case_id = open_case(api)
    evaluator = api.token(role="evaluator", organisation_id=None, subject="eval-1")

    seen = api.call(CASE, {"id": case_id}, token=evaluator)["case"]
    read = api.call(CHRONOLOGY, {"caseId": case_id}, token=evaluator)["chronology"]
    listed = api.call(CASES, {"first": 10}, token=evaluator)["cases"]
    changed = api.call(
        RECORD_STEP, {"input": {"caseId": case_id, **STEP}}, token=evaluator
    )["recordStep"]

    for result in (seen, read, listed, changed):
        assert result["__typename"] == "NotPermitted"


def test_unexpected_errors_are_masked(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = open_case(api)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("connection string postgresql://secret@db")

    monkeypatch.setattr(api.journeys, "case_events", broken)
    response = api.post(CHRONOLOGY, {"caseId": case_id}, token=api.token())

    assert response.status_code == 200
    (error,) = response.json()["errors"]
    assert error["message"] == "Unexpected error."
    assert "secret" not in response.text


def test_deep_aliased_or_huge_queries_are_refused(api: Api) -> None:
    deepest = (
        "query($id: UUID!) { chronology(caseId: $id) { ... on Chronology {"
        " rows { history { sources { cite } } } } } }"
    )
    case_id = open_case(api)
    assert api.call(deepest, {"id": case_id})["chronology"] == {"rows": []}
    aliased = "{ " + " ".join(f"k{n}: viewer {{ role }}" for n in range(31)) + " }"
    huge = "{ " + "viewer { subject } " * 2000 + "}"
    many = "{ " + "viewer{subject}" * 1300 + "}"  # under the characters' limit

    def refusal(query: str) -> tuple[str, str]:
        response = api.post(query, {"id": case_id}, token=api.token())
        assert response.status_code == 200
        (error,) = response.json()["errors"]
        return error.get("extensions", {}).get("code", ""), error["message"]

    assert refusal(aliased) == (
        "QUERY_TOO_COSTLY",
        "the query is too costly to run: it stands for 31 aliases (at most 30), "
        "counting every fragment where it is spread",
    )
    assert refusal(huge)[0] == "QUERY_TOO_LARGE"
    assert "more than 5000 tokens" in refusal(many)[1]
