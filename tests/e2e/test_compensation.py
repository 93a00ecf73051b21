"""An advocate gathers a survivor's compensation evidence over GraphQL, and counsel
read it: each item with its steps and sources, and what the stage still lacks."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import Api
from tests.e2e.operations import CORRECT_STEP, FAILURE, GIVE_CONSENT, RETRACT_STEP
from tests.e2e.sharing import share
from tests.e2e.test_case_journey import MISSING, open_case, record

COMPENSATION_EVIDENCE = (
    """
query Evidence($caseId: UUID!, $stage: CompensationStage!) {
  compensationEvidence(caseId: $caseId, stage: $stage) {
    __typename
    ... on CompensationEvidence {
      caseId reference jurisdiction stage caseVersion position complete
      missing { gap reason rule { text citation } stepIds }
      notes { consideration text rule { citation } stepIds }
      incidents { stepIds when summary offences sources { cite } }
      crimeReports { stepIds crimeReference sources { cite } }
      cooperation {
        status
        steps { stepIds when }
        stops { stepIds when reason sources { cite } }
      }
      injuries { stepIds nature mental specialistDiagnosisOnRecord }
      diagnoses { stepIds condition diagnosedBy bySpecialist steps { corrected } }
      medicoLegalReports { stepIds when }
      losses { stepIds kind amount }
      lossesTotal
      convictions {
        stepIds sentence status statutoryDefenceRaised effect explanation
        steps { kind when }
      }
      nrmDecisions { stepIds decision outcome satisfiesResidence }
      residenceSatisfied
      claimHistory { stepIds kind label when outcome amount }
    }
    ...failure
  }
}
"""
    + FAILURE
)


def evidence(api: Api, case_id: str, stage: str, **caller: Any) -> dict[str, Any]:
    return api.call(
        COMPENSATION_EVIDENCE, {"caseId": case_id, "stage": stage}, **caller
    )["compensationEvidence"]


def step(api: Api, case_id: str, **fields: Any) -> str:
    recorded = record(api, case_id, **fields)
    assert recorded["__typename"] == "StepRecorded", recorded
    return str(recorded["stepId"])


def test_an_advocate_reads_a_claims_evidence_for_a_tribunal_appeal_with_cites(
    api: Api,
) -> None:
    case_id = open_case(api, reference="FORT-09")
    incident = step(
        api,
        case_id,
        kind="harm.incident",
        occurred="2016-03~",
        summary="Assaulted at the farm by the gang's supervisor.",
        details={"offences": ["assault occasioning actual bodily harm"]},
        sources=[{"document": "Police crime report", "pin": "p. 2"}],
    )
    step(
        api,
        case_id,
        kind="harm.injury",
        occurred="2016-03~",
        summary="Lasting anxiety.",
        details={"nature": "mental"},
    )
    report = step(
        api,
        case_id,
        kind="criminal_justice.crime_reported",
        occurred="2017-01-12",
        summary="Reported to the police.",
        details={"crime_reference": "WY/17/0042"},
    )
    stop = step(
        api,
        case_id,
        kind="criminal_justice.cooperation_stopped",
        occurred="2017-06",
        summary="Withdrew from the investigation.",
        details={"reason": "Threats were made to her family abroad"},
        sources=[{"document": "Officer's note", "pin": "para 4"}],
    )
    diagnosis = step(
        api,
        case_id,
        kind="health.diagnosis",
        occurred="2018-04",
        summary="Diagnosed with PTSD.",
        details={"condition": "PTSD", "diagnosed_by": "general_practitioner"},
    )
    step(
        api,
        case_id,
        kind="compensation.loss",
        occurred="2016",
        summary="Unpaid wages.",
        details={"kind": "earnings", "amount": "4200.00"},
    )
    conviction = step(
        api,
        case_id,
        kind="own_conviction.convicted",
        occurred="2015-11",
        summary="Convicted of possessing a false identity document.",
        details={"sentence": "custodial"},
    )
    overturned = step(
        api,
        case_id,
        kind="own_conviction.conviction_overturned",
        occurred="2019-03",
        summary="Conviction quashed on appeal.",
    )
    step(
        api,
        case_id,
        kind="nrm.conclusive_grounds_decision",
        occurred="2018-01",
        summary="Positive conclusive grounds decision.",
        details={"outcome": "positive"},
    )
    mistaken = step(
        api,
        case_id,
        kind="compensation.cica_application_submitted",
        occurred="2018-02",
        summary="CICA application submitted.",
    )
    step(
        api,
        case_id,
        kind="compensation.cica_application_submitted",
        occurred="2019-05",
        summary="CICA application submitted.",
    )
    step(
        api,
        case_id,
        kind="compensation.cica_decision",
        occurred="2020-02-10",
        summary="CICA refused the application.",
        details={"outcome": "refused", "amount": None},
    )

    # Before the review: the appeal lacks the review, and a specialist's diagnosis.
    early = evidence(api, case_id, "TRIBUNAL_APPEAL")
    assert early["__typename"] == "CompensationEvidence", early
    assert not early["complete"]
    assert [gap["gap"] for gap in early["missing"]] == [
        "NO_SPECIALIST_DIAGNOSIS",
        "NO_REVIEW_REQUEST",
        "NO_REVIEW_DECISION",
    ]
    assert "Annex E" in early["missing"][0]["rule"]["citation"]

    # The application of 2018 was never made; the diagnosis was a psychologist's.
    retracted = api.call(
        RETRACT_STEP,
        {"input": {"caseId": case_id, "stepId": mistaken, "reason": "Never sent"}},
    )["retractStep"]
    assert retracted["__typename"] == "StepRetracted", retracted
    corrected = api.call(
        CORRECT_STEP,
        {
            "input": {
                "caseId": case_id,
                "stepId": diagnosis,
                "kind": "health.diagnosis",
                "occurred": "2018-04",
                "summary": "Diagnosed with PTSD by a clinical psychologist.",
                "details": {
                    "condition": "PTSD",
                    "diagnosed_by": "clinical_psychologist",
                },
                "reason": "The report is the clinical psychologist's",
            }
        },
    )["correctStep"]
    assert corrected["__typename"] == "StepCorrected", corrected
    step(
        api,
        case_id,
        kind="compensation.cica_review_requested",
        occurred="2020-03-20",
        summary="Review requested.",
    )
    step(
        api,
        case_id,
        kind="compensation.cica_review_decision",
        occurred="2020-09-01",
        summary="On review, a reduced award.",
        details={"outcome": "award", "amount": "1100.00"},
    )

    found = evidence(api, case_id, "TRIBUNAL_APPEAL")

    assert found["complete"] and found["missing"] == []
    assert found["stage"] == "TRIBUNAL_APPEAL"
    assert found["jurisdiction"] == "ENGLAND_AND_WALES"
    assert found["incidents"] == [
        {
            "stepIds": [incident],
            "when": "c. March 2016",
            "summary": "Assaulted at the farm by the gang's supervisor.",
            "offences": ["assault occasioning actual bodily harm"],
            "sources": [{"cite": "Police crime report, p. 2"}],
        }
    ]
    assert found["crimeReports"][0]["crimeReference"] == "WY/17/0042"
    assert found["crimeReports"][0]["stepIds"] == [report]
    assert found["cooperation"]["status"] == "STOPPED"
    assert found["cooperation"]["stops"] == [
        {
            "stepIds": [stop],
            "when": "June 2017",
            "reason": "Threats were made to her family abroad",
            "sources": [{"cite": "Officer's note, para 4"}],
        }
    ]
    assert found["injuries"][0]["mental"] is True
    assert found["injuries"][0]["specialistDiagnosisOnRecord"] is True
    assert found["diagnoses"] == [
        {
            "stepIds": [diagnosis],
            "condition": "PTSD",
            "diagnosedBy": "clinical_psychologist",
            "bySpecialist": True,
            "steps": [{"corrected": True}],
        }
    ]
    assert found["losses"][0]["amount"] == "4200.00"
    assert found["lossesTotal"] == "4200.00"
    (convicted,) = found["convictions"]
    assert convicted["stepIds"] == [conviction, overturned]
    assert convicted["status"] == "OVERTURNED"
    assert convicted["effect"] == "NONE"
    assert found["residenceSatisfied"] is True
    assert found["nrmDecisions"][0]["satisfiesResidence"] is True
    assert [
        (item["kind"], item["when"], item["outcome"], item["amount"])
        for item in found["claimHistory"]
    ] == [
        ("compensation.cica_application_submitted", "May 2019", None, None),
        ("compensation.cica_decision", "10 February 2020", "refused", None),
        ("compensation.cica_review_requested", "20 March 2020", None, None),
        ("compensation.cica_review_decision", "1 September 2020", "award", "1100.00"),
    ]
    assert [note["consideration"] for note in found["notes"]] == ["COOPERATION_STOPPED"]
    assert found["notes"][0]["stepIds"] == [stop]


def test_counsel_read_evidence_only_on_a_case_shared_for_cica_and_evaluators_never(
    api: Api,
) -> None:
    case_id = open_case(api, reference="JIN-11")
    step(
        api,
        case_id,
        kind="own_conviction.convicted",
        occurred="2021-02",
        summary="Convicted of cultivating cannabis.",
        details={"sentence": "community"},
    )
    counsel = api.token(role="counsel", subject="counsel-1")
    evaluator = api.token(role="evaluator", organisation_id=None, subject="eval-1")

    hidden = evidence(api, case_id, "APPLICATION", token=counsel)
    assert hidden["__typename"] == "NotFound"
    api.call(
        GIVE_CONSENT, {"input": {"caseId": case_id, "purpose": "SHARING_WITH_COUNSEL"}}
    )
    consented = evidence(api, case_id, "APPLICATION", token=counsel)
    assert consented["__typename"] == "NotFound"  # consent alone shares nothing
    share(api, case_id, "counsel-1", "IMMIGRATION")
    for_immigration = evidence(api, case_id, "APPLICATION", token=counsel)
    assert for_immigration["__typename"] == "NotFound"  # the pack is CICA's
    share(api, case_id, "counsel-1", "CICA")
    shown = evidence(api, case_id, "REVIEW", token=counsel)
    refused = evidence(api, case_id, "APPLICATION", token=evaluator)
    stranger = evidence(
        api, case_id, "APPLICATION", organisation_id="org-south", subject="a-9"
    )
    absent = evidence(api, MISSING, "APPLICATION")

    assert shown["__typename"] == "CompensationEvidence"
    assert [gap["gap"] for gap in shown["missing"]] == [
        "NO_INCIDENT",
        "NO_INJURY",
        "NO_CRIME_REPORT",
        "NO_POSITIVE_CONCLUSIVE_GROUNDS",
        "CONVICTION_SPENT_STATUS_UNKNOWN",
        "NO_CICA_APPLICATION",
        "NO_CICA_DECISION",
    ]
    assert shown["convictions"][0]["effect"] == "NO_AWARD_IF_UNSPENT"
    assert shown["notes"][0]["consideration"] == "CONVICTION_MAY_BAR_AWARD"
    assert refused["__typename"] == "NotPermitted"
    assert stranger["__typename"] == absent["__typename"] == "NotFound"
