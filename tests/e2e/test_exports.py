"""Chronology exports over HTTP: downloaded with the caller's token, named as a
lawyer files them, refused as the GraphQL API refuses, and checked against the
record through GraphQL."""

from __future__ import annotations

from urllib.parse import unquote

from projections.exports.files import read_export
from tests.e2e.conftest import Api
from tests.e2e.test_case_journey import open_case, record

VERIFY = """
query Verify($proof: String!) {
  verifyChronologyExport(proof: $proof) {
    __typename
    ... on ExportVerification {
      reference caseVersion matches chainHeadMatches rowsMatch currentVersion
      changedSince { date event source }
    }
    ... on ValidationFailed { field message }
    ... on NotFound { message }
  }
}
"""


def download(api: Api, case_id: str, extension: str, token: str, **query: str):  # type: ignore[no-untyped-def]
    return api.http.get(
        f"/exports/{case_id}/chronology.{extension}",
        params=query,
        headers={"Authorization": f"Bearer {token}"},
    )


def test_an_advocate_downloads_each_format_named_as_a_lawyer_files_it(api: Api) -> None:
    case_id = open_case(api, "EXPORT-E1")
    record(api, case_id, kind="nrm.referred", occurred="2020-02~", summary="Referred.")
    token = api.token()

    for extension, media in (
        ("docx", "application/vnd.openxmlformats"),
        ("pdf", "application/pdf"),
        ("csv", "text/csv"),
    ):
        response = download(api, case_id, extension, token, purpose="cica")
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith(media)
        disposition = unquote(response.headers["content-disposition"])
        assert disposition.startswith("attachment;")
        assert "EXPORT-E1 chronology cica " in disposition
        assert disposition.endswith(f".{extension}")
        found, proof, rows = read_export(response.content)
        assert found.value == extension
        assert proof.reference == "EXPORT-E1" and proof.purpose.value == "cica"
        assert [row.date for row in rows] == ["c. February 2020"]


def test_a_case_of_another_organisation_downloads_as_one_that_does_not_exist(
    api: Api,
) -> None:
    case_id = open_case(api, "EXPORT-E2")
    outsider = api.token(organisation_id="org-south", subject="advocate-9")

    theirs = download(api, case_id, "pdf", outsider)
    nobody = download(api, "00000000-0000-4000-8000-000000000000", "pdf", outsider)

    assert theirs.status_code == nobody.status_code == 404
    assert theirs.json() == nobody.json()
    evaluator = api.token(role="evaluator", organisation_id=None, subject="eval-1")
    assert download(api, case_id, "pdf", evaluator).status_code == 403
    assert api.http.get(f"/exports/{case_id}/chronology.pdf").status_code == 401
    assert download(api, case_id, "exe", api.token()).status_code == 400


def test_the_api_checks_an_export_against_the_record_and_lists_what_changed(
    api: Api,
) -> None:
    case_id = open_case(api, "EXPORT-E3")
    record(
        api, case_id, kind="nrm.referred", occurred="2020-02-03", summary="Referred."
    )
    _, proof, _ = read_export(download(api, case_id, "csv", api.token()).content)
    record(api, case_id, kind="housing.advocacy", occurred="2021-05", summary="Called.")

    answer = api.call(VERIFY, {"proof": proof.as_json().decode()})[
        "verifyChronologyExport"
    ]

    assert answer["__typename"] == "ExportVerification"
    assert answer["matches"] and answer["rowsMatch"] and answer["chainHeadMatches"]
    assert answer["currentVersion"] == answer["caseVersion"] + 1
    assert [row["date"] for row in answer["changedSince"]] == ["May 2021"]

    refused = api.call(VERIFY, {"proof": "{not json"})["verifyChronologyExport"]
    assert refused == {
        "__typename": "ValidationFailed",
        "field": "proof",
        "message": refused["message"],
    }
    outsider = api.token(organisation_id="org-south", subject="advocate-9")
    hidden = api.call(VERIFY, {"proof": proof.as_json().decode()}, token=outsider)
    assert hidden["verifyChronologyExport"]["__typename"] == "NotFound"
