"""Bundles and service through the API: an advocate assembles a bundle, serves
the chronology against it, moves a document, and reads both the current and the
served references back, and downloads the chronology as served."""

from __future__ import annotations

from typing import Any

from projections.exports.files import read_export
from tests.e2e.conftest import Api
from tests.e2e.operations import ATTACH_EVIDENCE, FAILURE
from tests.e2e.test_case_journey import open_case, record

ASSEMBLE = (
    """
mutation Assemble($input: AssembleBundleInput!) {
  assembleBundle(input: $input) {
    __typename
    ... on BundleAssembled { bundleId caseVersion replayed }
    ...failure
  }
}
"""
    + FAILURE
)
SERVE = (
    """
mutation Serve($input: ServeChronologyInput!) {
  serveChronology(input: $input) {
    __typename
    ... on ChronologyServed { serviceId caseVersion }
    ...failure
  }
}
"""
    + FAILURE
)
REFERENCES = """
query References($caseId: UUID!, $bundleId: UUID, $bundleVersion: Int, $servedAs: UUID) {
  chronology(caseId: $caseId, bundleId: $bundleId, bundleVersion: $bundleVersion,
             servedAs: $servedAs) {
    __typename
    ... on Chronology { caseVersion bundleId bundleVersion rows { sources { bundleRef } } }
    ... on ValidationFailed { field message }
  }
}
"""
BUNDLES = """
query Bundles($caseId: UUID!) {
  bundles(caseId: $caseId) {
    __typename
    ... on CaseBundles {
      bundles { version name purpose sections { letter pages documents { reference title } } }
      services { servedTo servedOn bundleVersion }
    }
  }
}
"""


def section(letter: str, *documents: tuple[str, int]) -> dict[str, Any]:
    return {
        "letter": letter,
        "title": f"Section {letter}",
        "documents": [{"documentId": d, "pages": pages} for d, pages in documents],
    }


def test_a_served_chronology_keeps_its_references_when_the_bundle_moves(
    api: Api,
) -> None:
    case_id = open_case(api, "BUNDLE-E1")
    documents = [
        api.call(
            ATTACH_EVIDENCE,
            {"input": {"caseId": case_id, "title": title, "documentKind": "letter"}},
        )["attachEvidence"]["documentId"]
        for title in ("Statement", "Report")
    ]
    record(
        api,
        case_id,
        kind="nrm.referred",
        occurred="2020-02-03",
        summary="Referred.",
        sources=[{"document": documents[1], "pin": "p. 2"}],
    )
    first = api.call(
        ASSEMBLE,
        {
            "input": {
                "caseId": case_id,
                "name": "Tribunal bundle",
                "purpose": "TRIBUNAL_APPEAL",
                "sections": [section("A", (documents[0], 5), (documents[1], 3))],
            }
        },
    )["assembleBundle"]
    assert first["__typename"] == "BundleAssembled", first
    bundle_id = first["bundleId"]
    served = api.call(
        SERVE,
        {
            "input": {
                "caseId": case_id,
                "purpose": "FULL",
                "servedOn": "2026-11-20",
                "servedTo": "the First-tier Tribunal",
                "bundleId": bundle_id,
            }
        },
    )["serveChronology"]
    assert served["__typename"] == "ChronologyServed", served
    moved = api.call(
        ASSEMBLE,
        {
            "input": {
                "caseId": case_id,
                "bundleId": bundle_id,
                "name": "Tribunal bundle",
                "purpose": "TRIBUNAL_APPEAL",
                "sections": [
                    section("A", (documents[0], 5)),
                    section("B", (documents[1], 3)),
                ],
            }
        },
    )["assembleBundle"]
    assert moved["__typename"] == "BundleAssembled", moved

    def references(**arguments: Any) -> list[str | None]:
        data = api.call(REFERENCES, {"caseId": case_id, **arguments})["chronology"]
        assert data["__typename"] == "Chronology", data
        return [row["sources"][0]["bundleRef"] for row in data["rows"]]

    assert references(bundleId=bundle_id) == ["B/2"]
    assert references(bundleId=bundle_id, bundleVersion=1) == ["A/7"]
    assert references(servedAs=served["serviceId"]) == ["A/7"]
    listed = api.call(BUNDLES, {"caseId": case_id})["bundles"]
    assert [b["version"] for b in listed["bundles"]] == [1, 2]
    assert listed["bundles"][1]["sections"][1] == {
        "letter": "B",
        "pages": 3,
        "documents": [{"reference": "B/1-3", "title": "Report"}],
    }
    assert listed["services"] == [
        {
            "servedTo": "the First-tier Tribunal",
            "servedOn": "2026-11-20",
            "bundleVersion": 1,
        }
    ]
    download = api.http.get(
        f"/exports/{case_id}/chronology.csv",
        params={"served": served["serviceId"]},
        headers={"Authorization": f"Bearer {api.token()}"},
    )
    assert download.status_code == 200, download.text
    _, proof, rows = read_export(download.content)
    assert proof.service_id is not None and [row.source for row in rows] == [
        "Report, p. 2 [A/7]"
    ]

    wrong = api.call(REFERENCES, {"caseId": case_id, "bundleVersion": 1})["chronology"]
    assert (
        wrong["__typename"] == "ValidationFailed" and wrong["field"] == "bundleVersion"
    )


def test_counsel_may_not_assemble_or_serve(api: Api) -> None:
    case_id = open_case(api, "BUNDLE-E2")
    counsel = api.token(role="counsel", subject="counsel-1")
    answer = api.call(
        SERVE,
        {
            "input": {
                "caseId": case_id,
                "purpose": "FULL",
                "servedOn": "2026-11-20",
                "servedTo": "x",
            }
        },
        token=counsel,
    )["serveChronology"]
    assert answer["__typename"] == "NotPermitted"
