"""An advocate reads a case's legal clocks over GraphQL, and sees them on the
chronology rows whose steps started or stopped them.

The story: a CICA decision, a review asked for one day late, the review decision,
and the appeal clock that follows; and a referral before an English bank holiday.
"""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import Api
from tests.e2e.operations import (
    CASE,
    FAILURE,
    OPEN_CASE,
    RECORD_DATE_OF_BIRTH,
    RECORD_STEP,
)

MISSING = "00000000-0000-4000-8000-000000000000"

DEADLINES = (
    """
query Deadlines($caseId: UUID!, $asOf: Date) {
  deadlines(caseId: $caseId, asOf: $asOf) {
    __typename
    ... on Deadlines {
      caseId reference asOf caseVersion position notes
      jurisdictions { jurisdiction since stepId localAuthority }
      clocks {
        kind label startedBy startedOn startedWhen dueOn originalDueOn daysLeft
        status jurisdiction stoppedBy stoppedOn extendedBy needs explanation
        rule {
          id description citation period counting tookEffect ended check
          jurisdictions
        }
      }
    }
    ...failure
  }
}
"""
    + FAILURE
)

CHRONOLOGY_CLOCKS = (
    """
query ChronologyClocks($caseId: UUID!, $asAt: DateTime) {
  chronology(caseId: $caseId, asAt: $asAt) {
    __typename
    ... on Chronology {
      rows { stepId kind ...clocks }
    }
    ...failure
  }
}
fragment clocks on ChronologyRow {
  clocks { kind label role dueOn status ruleId }
}
"""
    + FAILURE
)


def open_case(api: Api, reference: str, jurisdiction: str = "ENGLAND_AND_WALES") -> str:
    data = api.call(
        OPEN_CASE,
        {"input": {"reference": reference, "jurisdiction": jurisdiction}},
    )
    assert data["openCase"]["__typename"] == "CaseOpened", data
    return data["openCase"]["caseId"]


def record(api: Api, case_id: str, **step: Any) -> str:
    recorded = api.call(RECORD_STEP, {"input": {"caseId": case_id, **step}})
    assert recorded["recordStep"]["__typename"] == "StepRecorded", recorded
    return recorded["recordStep"]["stepId"]


def deadlines(api: Api, case_id: str, **arguments: Any) -> dict[str, Any]:
    return api.call(DEADLINES, {"caseId": case_id, **arguments})["deadlines"]


def test_a_late_review_request_shows_as_missed_with_its_rule_and_what_is_needed(
    api: Api,
) -> None:
    case_id = open_case(api, "CICA-E2E")
    decision = record(
        api,
        case_id,
        kind="compensation.cica_decision",
        occurred="2026-02-02",
        summary="CICA refused the application.",
        details={"outcome": "refused", "amount": None},
    )
    request = record(
        api,
        case_id,
        kind="compensation.cica_review_requested",
        occurred="2026-03-31",
        summary="Review requested.",
    )
    review_decision = record(
        api,
        case_id,
        kind="compensation.cica_review_decision",
        occurred="2026-09-01",
        summary="The review upheld the refusal.",
        details={"outcome": "refused", "amount": None},
    )

    read = deadlines(api, case_id)

    assert read["__typename"] == "Deadlines"
    assert (read["reference"], read["asOf"], read["caseVersion"]) == (
        "CICA-E2E",
        "2026-11-26",
        4,
    )
    assert read["position"] >= 4
    assert read["jurisdictions"] == [
        {
            "jurisdiction": "ENGLAND_AND_WALES",
            "since": None,
            "stepId": None,
            "localAuthority": None,
        }
    ]
    review, appeal = read["clocks"]
    assert (review["kind"], review["status"]) == ("CICA_REVIEW_REQUEST", "MISSED")
    assert (review["startedBy"], review["stoppedBy"]) == (decision, [request])
    assert (review["dueOn"], review["stoppedOn"]) == ("2026-03-30", "2026-03-31")
    assert review["needs"]
    assert "1 day after the deadline of 30 March 2026" in review["explanation"]
    assert review["rule"] == {
        "id": "cica-2012-review",
        "description": "A review of a decision must be asked for within 56 days of "
        "the decision.",
        "citation": "Criminal Injuries Compensation Scheme 2012, review of "
        "decisions (check; the paragraph and its counting words are from "
        "secondary sources)",
        "period": "56 days",
        "counting": "after the day of the decision, which is not counted: the last "
        "day is the 56th day after it",
        "tookEffect": "2012-11-27",
        "ended": None,
        "check": True,
        "jurisdictions": ["ENGLAND_AND_WALES", "SCOTLAND"],
    }
    assert (appeal["kind"], appeal["startedBy"]) == ("TRIBUNAL_APPEAL", review_decision)
    assert (appeal["status"], appeal["dueOn"], appeal["daysLeft"]) == (
        "RUNNING",
        "2026-11-30",
        4,
    )
    assert appeal["jurisdiction"] == "ENGLAND_AND_WALES"
    assert "Rules 2008, r.22(2)(b)" in appeal["rule"]["citation"]

    # As at an earlier day, the review clock was still running.
    then = deadlines(api, case_id, asOf="2026-03-01")
    assert [(c["kind"], c["status"], c["daysLeft"]) for c in then["clocks"]] == [
        ("CICA_REVIEW_REQUEST", "RUNNING", 29)
    ]


def test_chronology_rows_show_the_clocks_their_steps_started_and_stopped(
    api: Api,
) -> None:
    case_id = open_case(api, "NRM-E2E")
    referral = record(
        api,
        case_id,
        kind="nrm.referred",
        occurred="2024-08-23",
        summary="Referred into the NRM on the Friday before the bank holiday.",
    )
    decision = record(
        api,
        case_id,
        kind="nrm.reasonable_grounds_decision",
        occurred="2024-09-02",
        summary="Positive reasonable grounds decision.",
        details={"outcome": "positive"},
    )
    record(
        api, case_id, kind="housing.advocacy", occurred="2024-09", summary="Housing."
    )

    chronology = api.call(CHRONOLOGY_CLOCKS, {"caseId": case_id})["chronology"]

    clocks = {row["stepId"]: row["clocks"] for row in chronology["rows"]}
    assert clocks[referral] == [
        {
            "kind": "REASONABLE_GROUNDS_DECISION",
            "label": "NRM reasonable grounds decision",
            "role": "STARTED",
            "dueOn": "2024-09-02",
            "status": "MET",
            "ruleId": "nrm-rg-5-working-days",
        }
    ]
    assert [(c["kind"], c["role"], c["status"]) for c in clocks[decision]] == [
        ("REASONABLE_GROUNDS_DECISION", "STOPPED", "MET"),
        ("RECOVERY_PERIOD", "STARTED", "MET"),
    ]
    assert [c for c in clocks.values() if c] == [clocks[referral], clocks[decision]]


def test_deadlines_are_only_for_those_who_may_read_the_case(api: Api) -> None:
    case_id = open_case(api, "PRIVATE")

    elsewhere = api.call(DEADLINES, {"caseId": case_id}, organisation_id="org-south")[
        "deadlines"
    ]
    evaluator = api.call(DEADLINES, {"caseId": case_id}, role="evaluator")["deadlines"]
    missing = deadlines(api, MISSING)
    far_off = deadlines(api, case_id, asOf="2500-01-01")

    assert elsewhere["__typename"] == "NotFound"
    assert evaluator["__typename"] == "NotPermitted"
    assert missing["__typename"] == "NotFound"
    assert (far_off["__typename"], far_off["field"]) == ("ValidationFailed", "asOf")
    # The case itself is untouched by reading its clocks.
    assert api.call(CASE, {"id": case_id})["case"]["version"] == 1


def test_what_cannot_be_judged_is_noted_rather_than_guessed(
    api: Api,
) -> None:
    case_id = open_case(api, "NI-E2E", jurisdiction="NORTHERN_IRELAND")
    record(
        api,
        case_id,
        kind="harm.incident",
        occurred="2025-05",
        summary="Assaulted at work.",
        details={"offences": ["assault"]},
    )
    record(api, case_id, kind="nrm.referred", summary="Referred; the date is unknown.")

    read = deadlines(api, case_id)

    assert read["clocks"] == []
    assert len(read["notes"]) == 2
    assert any("own criminal injuries scheme" in note for note in read["notes"])
    assert any("undated" in note for note in read["notes"])


def test_a_childs_window_not_yet_opened_shows_as_not_started_with_no_due_day(
    api: Api,
) -> None:
    case_id = open_case(api, "CHILD-E2E")
    born = api.call(
        RECORD_DATE_OF_BIRTH, {"input": {"caseId": case_id, "born": "2008-09-30"}}
    )
    assert born["recordDateOfBirth"]["__typename"] == "DateOfBirthRecorded"
    incident = record(
        api,
        case_id,
        kind="harm.incident",
        occurred="2023-02",
        summary="Injured while exploited, aged 14.",
        details={"offences": ["assault"]},
    )

    (cica,) = deadlines(api, case_id)["clocks"]
    rows = api.call(CHRONOLOGY_CLOCKS, {"caseId": case_id})["chronology"]["rows"]

    assert (cica["kind"], cica["status"], cica["dueOn"], cica["daysLeft"]) == (
        "CICA_APPLICATION",
        "NOT_STARTED",
        None,
        None,
    )
    assert cica["rule"]["id"] == "cica-2012-para-88-1-b"
    assert cica["needs"] == []
    (row,) = [row for row in rows if row["stepId"] == incident]
    assert [(c["status"], c["dueOn"]) for c in row["clocks"]] == [("NOT_STARTED", None)]
