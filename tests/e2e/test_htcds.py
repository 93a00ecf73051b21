"""HTCDS through the API: a case downloaded in the standard's field names and
imported again by another organisation's advocate; a file with an unreadable
row imports nothing and says which row."""

from __future__ import annotations

import orjson

from tests.e2e.conftest import Api
from tests.e2e.test_case_journey import open_case, record

IMPORT = """
mutation Import($input: ImportHtcdsCaseInput!) {
  importHtcdsCase(input: $input) {
    __typename
    ... on CaseOpened { caseId replayed }
    ... on ImportRejected { message problems { row field message } }
    ... on ValidationFailed { field message }
    ... on NotPermitted { message }
  }
}
"""


def test_a_case_downloaded_in_htcds_imports_into_another_organisation(api: Api) -> None:
    case_id = open_case(api, "HTCDS-E1")
    record(api, case_id, kind="nrm.referred", occurred="2020-02~", summary="Referred.")

    download = api.http.get(
        f"/exports/{case_id}/htcds.csv",
        headers={"Authorization": f"Bearer {api.token()}"},
    )
    assert download.status_code == 200, download.text
    assert "HTCDS-E1 HTCDS.csv" in download.headers["content-disposition"]
    south = api.token(organisation_id="org-south", subject="advocate-s")
    hidden = api.http.get(
        f"/exports/{case_id}/htcds.json", headers={"Authorization": f"Bearer {south}"}
    )
    assert hidden.status_code == 404

    imported = api.call(
        IMPORT,
        {"input": {"content": download.content.decode("utf-8-sig")}},
        token=south,
    )["importHtcdsCase"]
    assert imported["__typename"] == "CaseOpened", imported
    again = api.http.get(
        f"/exports/{imported['caseId']}/htcds.json",
        headers={"Authorization": f"Bearer {south}"},
    ).json()
    assert [c["wmk_Occurred"] for c in again["CaseComment"]] == ["2020-02~"]
    assert again["Case"]["wmk_Reference"] == "HTCDS-E1"


def test_an_unreadable_row_is_named_and_nothing_is_imported(api: Api) -> None:
    record_file = {
        "standard": "HTCDS 2.0",
        "Case": {"wmk_Reference": "BAD-1", "wmk_Jurisdiction": "england_and_wales"},
        "CaseComment": [{"wmk_Kind": "nrm.referred", "wmk_Summary": ""}],
    }
    before = api.journeys.log_position()

    answer = api.call(
        IMPORT, {"input": {"content": orjson.dumps(record_file).decode()}}
    )["importHtcdsCase"]

    assert answer["__typename"] == "ImportRejected"
    assert [(p["row"], p["field"]) for p in answer["problems"]] == [
        ("CaseComment[0]", "wmk_Summary")
    ]
    assert api.journeys.log_position() == before
    garbage = api.call(IMPORT, {"input": {"content": "not a file"}})["importHtcdsCase"]
    assert garbage["__typename"] == "ValidationFailed" and garbage["field"] == "content"
