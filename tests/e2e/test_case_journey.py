"""An advocate records a survivor's journey over GraphQL and reads it back.

The stories follow Maureen's journey (a pseudonym from the policy paper): arrested on a false passport
while in domestic servitude, referred into the NRM, a negative reasonable grounds
decision after an account dictated by her exploiter, then her own account.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from domain.case import ConsentGiven, ConsentWithdrawn
from tests.e2e.conftest import Api
from tests.e2e.operations import (
    ATTACH_EVIDENCE,
    CASE,
    CASES,
    CHRONOLOGY,
    CLOSE_CASE,
    CORRECT_STEP,
    DISPUTE_STEP,
    GIVE_CONSENT,
    OPEN_CASE,
    RECORD_DATE_OF_BIRTH,
    RECORD_STEP,
    REOPEN_CASE,
    RETRACT_STEP,
    STEP_KINDS,
    WITHDRAW_CONSENT,
)

MISSING = "00000000-0000-4000-8000-000000000000"


def open_case(api: Api, reference: str = "MAUREEN-01", **caller: Any) -> str:
    data = api.call(
        OPEN_CASE,
        {"input": {"reference": reference, "jurisdiction": "ENGLAND_AND_WALES"}},
        **caller,
    )
    assert data["openCase"]["__typename"] == "CaseOpened", data
    return data["openCase"]["caseId"]


def record(api: Api, case_id: str, **step: Any) -> dict[str, Any]:
    return api.call(RECORD_STEP, {"input": {"caseId": case_id, **step}})["recordStep"]


def chronology(api: Api, case_id: str, **arguments: Any) -> dict[str, Any]:
    data = api.call(CHRONOLOGY, {"caseId": case_id, **arguments})
    assert data["chronology"]["__typename"] == "Chronology", data
    return data["chronology"]


def test_an_advocate_records_steps_and_reads_them_on_the_chronology_in_order(
    api: Api,
) -> None:
    case_id = open_case(api)
    disclosure = record(
        api,
        case_id,
        kind="account.disclosure",
        summary="Gave her own account to immigration enforcement with her advocate.",
        details={"to_whom": "immigration enforcement"},
    )
    decision = record(
        api,
        case_id,
        kind="nrm.reasonable_grounds_decision",
        occurred="2019-07-14",
        summary="Negative reasonable grounds decision.",
        details={"outcome": "negative"},
        sources=[{"document": "RG decision letter", "pin": "p. 2"}],
    )
    referral = record(
        api,
        case_id,
        kind="nrm.referred",
        occurred="2019-06~",
        summary="Referred into the NRM by the police.",
    )
    arrest = record(
        api,
        case_id,
        kind="own_conviction.arrested",
        occurred="2019-05",
        summary="Arrested for working on a false passport.",
    )
    assert {r["__typename"] for r in (disclosure, decision, referral, arrest)} == {
        "StepRecorded"
    }
    assert arrest["caseVersion"] == 5
    assert arrest["position"] > referral["position"] > decision["position"]

    read = chronology(api, case_id)

    assert [row["stepId"] for row in read["rows"]] == [
        arrest["stepId"],
        referral["stepId"],
        decision["stepId"],
        disclosure["stepId"],
    ]
    assert [row["when"] for row in read["rows"]] == [
        "May 2019",
        "c. June 2019",
        "14 July 2019",
        "undated",
    ]
    arrested, _, decided, disclosed = read["rows"]
    assert (arrested["occurred"], arrested["earliest"], arrested["latest"]) == (
        "2019-05",
        "2019-05-01",
        "2019-05-31",
    )
    assert (disclosed["occurred"], disclosed["earliest"]) == (None, None)
    assert decided["details"] == {"outcome": "negative"}
    assert decided["label"] == "Reasonable grounds decision"
    assert decided["area"] == "nrm"
    assert decided["sources"] == [
        {
            "document": "RG decision letter",
            "pin": "p. 2",
            "title": None,
            "bundleRef": None,
            "cite": "RG decision letter, p. 2",
        }
    ]
    assert all(row["status"] == "CURRENT" for row in read["rows"])
    assert all(row["recordedBy"] == "advocate-1" for row in read["rows"])
    assert read["caseVersion"] == 5
    assert read["position"] >= arrest["position"]
    assert read["chainHead"]
    assert read["reference"] == "MAUREEN-01"


def test_a_decision_without_its_referral_on_record_carries_a_warning(
    api: Api,
) -> None:
    case_id = open_case(api)
    record(
        api,
        case_id,
        kind="nrm.conclusive_grounds_decision",
        occurred="2020-02",
        summary="Positive conclusive grounds decision.",
        details={"outcome": "positive"},
    )

    (row,) = chronology(api, case_id)["rows"]

    assert row["warnings"] == [
        "Conclusive grounds decision recorded, but no “Referred into the NRM” "
        "step is on record"
    ]


def test_an_invalid_step_is_refused_naming_the_field_and_records_nothing(
    api: Api,
) -> None:
    case_id = open_case(api)
    position = api.journeys.log_position()
    valid = {
        "caseId": case_id,
        "kind": "nrm.reasonable_grounds_decision",
        "occurred": "2019-07-14",
        "summary": "Reasonable grounds decision.",
        "details": {"outcome": "positive"},
    }
    faults = [
        ({"details": {"outcome": "maybe"}}, "details.outcome"),
        ({"details": {}}, "details.outcome"),
        ({"details": {"outcome": "positive", "extra": 1}}, "details.extra"),
        ({"details": ["positive"]}, "details"),
        ({"kind": "nrm.unheard_of"}, "kind"),
        ({"occurred": "14/07/2019"}, "occurred"),
        ({"occurred": "2099-01"}, "occurred"),
        ({"summary": "   "}, "summary"),
        ({"order": -1}, "order"),
        ({"sources": [{"document": " "}]}, "sources[0].document"),
    ]

    for change, field in faults:
        result = api.call(RECORD_STEP, {"input": {**valid, **change}})["recordStep"]
        assert result["__typename"] == "ValidationFailed", (change, result)
        assert result["field"] == field, (change, result)
        assert result["message"]

    assert api.journeys.log_position() == position
    assert chronology(api, case_id)["rows"] == []


def test_a_stale_expected_version_is_a_version_conflict_and_records_nothing(
    api: Api,
) -> None:
    case_id = open_case(api)
    first = record(
        api,
        case_id,
        kind="engagement.contact",
        occurred="2021-03-02",
        summary="Met in person.",
        details={"mode": "in_person"},
        expectedVersion=1,
    )
    assert first["caseVersion"] == 2
    position = api.journeys.log_position()

    stale = record(
        api,
        case_id,
        kind="engagement.contact",
        occurred="2021-03-09",
        summary="Phoned.",
        details={"mode": "phone"},
        expectedVersion=1,
    )

    assert stale["__typename"] == "VersionConflict"
    assert (stale["expectedVersion"], stale["actualVersion"]) == (1, 2)
    assert "version 1" in stale["message"]
    assert api.journeys.log_position() == position


def test_a_retry_with_the_same_idempotency_key_returns_the_first_result(
    api: Api,
) -> None:
    opened = api.call(
        OPEN_CASE,
        {
            "input": {
                "reference": "JIN-01",
                "jurisdiction": "ENGLAND_AND_WALES",
                "idempotencyKey": "open-jin",
            }
        },
    )["openCase"]
    reopened = api.call(
        OPEN_CASE,
        {
            "input": {
                "reference": "JIN-01",
                "jurisdiction": "ENGLAND_AND_WALES",
                "idempotencyKey": "open-jin",
            }
        },
    )["openCase"]
    assert reopened["caseId"] == opened["caseId"]
    assert (opened["replayed"], reopened["replayed"]) == (False, True)
    case_id = opened["caseId"]
    step = {
        "kind": "employment.employment_gained",
        "occurred": "2023-09",
        "summary": "Started work as a kitchen porter.",
        "idempotencyKey": "job-2023",
    }
    first = record(api, case_id, **step)
    position = api.journeys.log_position()

    retry = record(api, case_id, **step)

    assert retry["__typename"] == "StepRecorded"
    assert retry["replayed"] is True
    assert (retry["stepId"], retry["caseVersion"]) == (
        first["stepId"],
        first["caseVersion"],
    )
    assert api.journeys.log_position() == position
    assert len(chronology(api, case_id)["rows"]) == 1

    reused = record(api, case_id, **{**step, "summary": "Something else."})
    assert reused["__typename"] == "Refused"
    assert reused["reason"] == "IDEMPOTENCY_KEY_REUSED"
    assert api.journeys.log_position() == position


def test_an_unknown_case_or_step_is_not_found(api: Api) -> None:
    assert api.call(CASE, {"id": MISSING})["case"]["__typename"] == "NotFound"
    assert (
        api.call(CHRONOLOGY, {"caseId": MISSING})["chronology"]["__typename"]
        == "NotFound"
    )
    recorded = record(api, MISSING, kind="housing.advocacy", summary="Called.")
    assert recorded["__typename"] == "NotFound"
    case_id = open_case(api)
    retracted = api.call(
        RETRACT_STEP,
        {"input": {"caseId": case_id, "stepId": MISSING, "reason": "Mistake."}},
    )["retractStep"]
    assert retracted["__typename"] == "NotFound"


def test_a_correction_dispute_and_retraction_stay_on_the_chronology(
    api: Api,
) -> None:
    case_id = open_case(api)
    account = record(
        api,
        case_id,
        kind="account.disclosure",
        occurred="2018-11",
        summary="Account given to the first responder.",
        details={"to_whom": "first responder"},
    )
    mistake = record(
        api, case_id, kind="housing.advocacy", occurred="2019", summary="Wrong case."
    )
    corrected = api.call(
        CORRECT_STEP,
        {
            "input": {
                "caseId": case_id,
                "stepId": account["stepId"],
                "kind": "account.disclosure",
                "occurred": "2018-10~",
                "summary": "Account dictated by her exploiter, given to the first "
                "responder.",
                "details": {"to_whom": "first responder"},
                "reason": "The interpreter's notes give an earlier date.",
            }
        },
    )["correctStep"]
    disputed = api.call(
        DISPUTE_STEP,
        {
            "input": {
                "caseId": case_id,
                "stepId": account["stepId"],
                "disputedBy": "Home Office",
                "otherVersion": "The account was her own.",
                "otherOccurred": "2018-11-20",
                "sources": [{"document": "Home Office minute", "pin": "para 4"}],
            }
        },
    )["disputeStep"]
    retracted = api.call(
        RETRACT_STEP,
        {
            "input": {
                "caseId": case_id,
                "stepId": mistake["stepId"],
                "reason": "Recorded on the wrong case.",
            }
        },
    )["retractStep"]
    assert [
        corrected["__typename"],
        disputed["__typename"],
        retracted["__typename"],
    ] == [
        "StepCorrected",
        "StepDisputed",
        "StepRetracted",
    ]

    rows = {row["stepId"]: row for row in chronology(api, case_id)["rows"]}

    row = rows[account["stepId"]]
    assert row["status"] == "DISPUTED"
    assert row["when"] == "c. October 2018"
    assert [version["when"] for version in row["history"]] == [
        "November 2018",
        "c. October 2018",
    ]
    assert [version["reason"] for version in row["history"]] == [
        None,
        "The interpreter's notes give an earlier date.",
    ]
    (dispute,) = row["disputes"]
    assert dispute["recordedVersion"] == row["summary"]
    assert dispute["recordedWhen"] == "c. October 2018"
    assert (dispute["otherVersion"], dispute["otherWhen"]) == (
        "The account was her own.",
        "20 November 2018",
    )
    assert dispute["sources"] == [{"cite": "Home Office minute, para 4"}]
    assert rows[mistake["stepId"]]["status"] == "RETRACTED"
    assert rows[mistake["stepId"]]["retraction"] == {
        "reason": "Recorded on the wrong case.",
        "recordedBy": "advocate-1",
    }
    again = api.call(
        RETRACT_STEP,
        {"input": {"caseId": case_id, "stepId": mistake["stepId"], "reason": "Again."}},
    )["retractStep"]
    assert (again["__typename"], again["reason"]) == ("Refused", "STEP_IS_RETRACTED")


def test_the_chronology_as_at_an_earlier_moment_reproduces_it_as_it_stood(
    api: Api,
) -> None:
    case_id = open_case(api)
    first = record(
        api,
        case_id,
        kind="immigration.asylum_claim_lodged",
        occurred="2017-03",
        summary="Asylum claim lodged.",
    )
    served = chronology(api, case_id)
    record(
        api,
        case_id,
        kind="immigration.decision",
        occurred="2022-01-10",
        summary="Refugee status granted.",
        details={"outcome": "refugee_status"},
    )
    api.call(
        CORRECT_STEP,
        {
            "input": {
                "caseId": case_id,
                "stepId": first["stepId"],
                "kind": "immigration.asylum_claim_lodged",
                "occurred": "2017-02",
                "summary": "Asylum claim lodged at the screening unit.",
                "reason": "The claim letter is dated February.",
            }
        },
    )
    as_served_at = served["rows"][0]["lastChangedAt"]

    then = chronology(api, case_id, asAt=as_served_at)
    now = chronology(api, case_id)

    assert then["rows"] == served["rows"]
    assert (then["caseVersion"], then["chainHead"]) == (
        served["caseVersion"],
        served["chainHead"],
    )
    assert then["asAt"] is not None
    assert len(now["rows"]) == 2
    assert now["rows"][0]["summary"] == "Asylum claim lodged at the screening unit."
    changed = chronology(api, case_id, changedSince=as_served_at)
    assert [row["kind"] for row in changed["rows"]] == [
        "immigration.asylum_claim_lodged",
        "immigration.decision",
    ]
    before_opening = api.call(
        CHRONOLOGY, {"caseId": case_id, "asAt": "2000-01-01T00:00:00Z"}
    )["chronology"]
    assert before_opening["__typename"] == "NotFound"
    naive = api.call(CHRONOLOGY, {"caseId": case_id, "asAt": "2030-01-01T00:00:00"})
    assert naive["chronology"]["__typename"] == "ValidationFailed"
    assert naive["chronology"]["field"] == "asAt"


def test_a_chronology_for_a_purpose_states_what_it_leaves_out_and_why(
    api: Api,
) -> None:
    case_id = open_case(api)
    record(api, case_id, kind="housing.advocacy", occurred="2020", summary="Housing.")
    record(
        api,
        case_id,
        kind="compensation.cica_decision",
        occurred="2021-05",
        summary="CICA award.",
        details={"outcome": "award", "amount": "22000.00"},
        sources=[{"document": "CICA decision letter", "pin": "p. 1"}],
    )

    cica = chronology(api, case_id, purpose="CICA")
    full = chronology(api, case_id)

    assert cica["purpose"] == "CICA"
    assert [row["kind"] for row in cica["rows"]] == ["compensation.cica_decision"]
    assert cica["rows"][0]["details"] == {"outcome": "award", "amount": "22000.00"}
    assert cica["rows"][0]["citation"] == "CICA decision letter, p. 1"
    # The advocacy on housing is not silently gone: the chronology says so.
    selection = cica["selection"]
    assert "Criminal Injuries Compensation Scheme" in selection["includes"]
    assert selection["stepsLeftOut"] == 1
    support = next(
        entry for entry in selection["leftOut"] if entry["reason"] == "RECOVERY_SUPPORT"
    )
    assert support["steps"] == 1 and "housing" in support["areas"]
    assert "harm" in selection["includedAreas"]
    assert "housing" not in selection["includedAreas"]
    assert full["selection"]["leftOut"] == [] and full["selection"]["stepsLeftOut"] == 0
    assert [row["citation"] for row in full["rows"]] == [
        "No source recorded",
        "CICA decision letter, p. 1",
    ]


def test_evidence_attached_is_cited_by_its_title_and_bundle_page(api: Api) -> None:
    case_id = open_case(api)
    attached = api.call(
        ATTACH_EVIDENCE,
        {
            "input": {
                "caseId": case_id,
                "title": "Witness statement of M",
                "documentKind": "witness_statement",
                "bundleRef": "B/345",
            }
        },
    )["attachEvidence"]
    assert attached["__typename"] == "EvidenceAttached"
    record(
        api,
        case_id,
        kind="criminal_justice.abe_interview",
        occurred="2020-03-05",
        summary="ABE interview.",
        sources=[{"document": attached["documentId"], "pin": "para 12"}],
    )

    (row,) = chronology(api, case_id)["rows"]

    assert row["sources"][0]["cite"] == "Witness statement of M, para 12 [B/345]"


def test_a_closed_case_refuses_new_steps_until_it_is_reopened(api: Api) -> None:
    case_id = open_case(api)
    closed = api.call(
        CLOSE_CASE, {"input": {"caseId": case_id, "reason": "Support ended."}}
    )["closeCase"]
    assert closed["__typename"] == "CaseClosed"

    refused = record(api, case_id, kind="housing.advocacy", summary="Called.")
    assert (refused["__typename"], refused["reason"]) == ("Refused", "CASE_IS_CLOSED")
    reopened = api.call(
        REOPEN_CASE, {"input": {"caseId": case_id, "reason": "Re-referred."}}
    )["reopenCase"]
    assert reopened["__typename"] == "CaseReopened"
    assert (
        record(api, case_id, kind="housing.advocacy", summary="Called.")["__typename"]
        == "StepRecorded"
    )


def test_consent_is_given_and_withdrawn_per_purpose(api: Api) -> None:
    case_id = open_case(api)
    given = api.call(
        GIVE_CONSENT, {"input": {"caseId": case_id, "purpose": "EVALUATION"}}
    )["giveConsent"]
    twice = api.call(
        GIVE_CONSENT, {"input": {"caseId": case_id, "purpose": "EVALUATION"}}
    )["giveConsent"]
    assert given["__typename"] == "ConsentGiven"
    assert (twice["__typename"], twice["reason"]) == ("Refused", "NOTHING_TO_CHANGE")
    assert api.call(CASE, {"id": case_id})["case"]["consents"] == ["EVALUATION"]

    withdrawn = api.call(
        WITHDRAW_CONSENT, {"input": {"caseId": case_id, "purpose": "EVALUATION"}}
    )["withdrawConsent"]

    assert withdrawn["__typename"] == "ConsentWithdrawn"
    case = api.call(CASE, {"id": case_id})["case"]
    assert case["consents"] == []
    assert case["version"] == 3


def test_a_case_opens_on_the_day_advocacy_began_and_consents_carry_their_days(
    api: Api,
) -> None:
    """A caseload moved onto Waymark: the case began in March 2024; the
    survivor consented the next day and withdrew in April."""
    position = api.journeys.log_position()
    for day in ("2099-01-01", "1999-12-31"):
        refused = api.call(
            OPEN_CASE,
            {
                "input": {
                    "reference": "MOVED-01",
                    "jurisdiction": "ENGLAND_AND_WALES",
                    "openedOn": day,
                }
            },
        )["openCase"]
        assert (refused["__typename"], refused["field"]) == (
            "ValidationFailed",
            "openedOn",
        )
    assert api.journeys.log_position() == position
    opened = api.call(
        OPEN_CASE,
        {
            "input": {
                "reference": "MOVED-01",
                "jurisdiction": "ENGLAND_AND_WALES",
                "openedOn": "2024-03-04",
            }
        },
    )["openCase"]
    case_id = opened["caseId"]
    case = api.call(CASE, {"id": case_id})["case"]
    assert case["openedOn"] == "2024-03-04"
    assert case["openedAt"][:4] != "2024"  # entered now, not then

    def consent(operation: str, **day: str) -> dict[str, Any]:
        field = "giveConsent" if operation is GIVE_CONSENT else "withdrawConsent"
        return dict(
            api.call(
                operation,
                {"input": {"caseId": case_id, "purpose": "EVALUATION", **day}},
            )[field]
        )

    early = consent(GIVE_CONSENT, givenOn="2024-03-03")
    assert (early["__typename"], early["field"]) == ("ValidationFailed", "givenOn")
    assert consent(GIVE_CONSENT, givenOn="2024-03-05")["__typename"] == "ConsentGiven"
    before = consent(WITHDRAW_CONSENT, withdrawnOn="2024-03-04")
    assert (before["__typename"], before["field"]) == (
        "ValidationFailed",
        "withdrawnOn",
    )
    withdrawn = consent(WITHDRAW_CONSENT, withdrawnOn="2024-04-02")
    assert withdrawn["__typename"] == "ConsentWithdrawn"
    given, taken_back = api.journeys.case_events(UUID(case_id))[1:]
    assert isinstance(given, ConsentGiven) and given.given_on == date(2024, 3, 5)
    assert isinstance(taken_back, ConsentWithdrawn)
    assert taken_back.withdrawn_on == date(2024, 4, 2)


def test_cases_lists_the_callers_cases_page_by_page(api: Api) -> None:
    ids = [open_case(api, f"REF-{n}") for n in range(3)]
    open_case(api, "ELSEWHERE", organisation_id="org-south")
    position = api.journeys.log_position()

    first = api.call(CASES, {"first": 2, "atLeastPosition": position})["cases"]
    second = api.call(CASES, {"first": 2, "after": first["endCursor"]})["cases"]

    assert [c["id"] for c in first["cases"]] == ids[:2]
    assert first["hasNextPage"] is True
    assert [c["id"] for c in second["cases"]] == ids[2:]
    assert second["hasNextPage"] is False
    too_many = api.call(CASES, {"first": 1000})["cases"]
    assert (too_many["__typename"], too_many["field"]) == ("ValidationFailed", "first")
    bad_cursor = api.call(CASES, {"first": 2, "after": "nonsense"})["cases"]
    assert (bad_cursor["__typename"], bad_cursor["field"]) == (
        "ValidationFailed",
        "after",
    )


def test_step_kinds_describe_each_kind_and_its_payload_fields(api: Api) -> None:
    kinds = {kind["code"]: kind for kind in api.call(STEP_KINDS)["stepKinds"]}

    decision = kinds["nrm.reasonable_grounds_decision"]
    assert (decision["area"], decision["label"], decision["version"]) == (
        "nrm",
        "Reasonable grounds decision",
        1,
    )
    assert decision["expects"] == ["nrm.referred"]
    (outcome,) = decision["fields"]
    assert outcome["name"] == "outcome"
    assert outcome["type"] == "CHOICE"
    assert outcome["required"] is True
    assert outcome["allowedValues"] == ["positive", "negative"]
    amount = next(
        f
        for f in kinds["compensation.cica_decision"]["fields"]
        if f["name"] == "amount"
    )
    assert (amount["type"], amount["nullable"], amount["minimum"]) == (
        "DECIMAL",
        True,
        "0",
    )
    assert (amount["decimalPlaces"], amount["maxDigits"]) == (2, 12)
    (reference,) = kinds["criminal_justice.crime_reported"]["fields"]
    assert (reference["type"], reference["minLength"], reference["maxLength"]) == (
        "TEXT",
        1,
        200,
    )
    assert kinds["nrm.referred"]["fields"] == []
    assert kinds["criminal_justice.evidence_given"]["fields"][0]["type"] == "BOOLEAN"


def test_a_date_of_birth_is_recorded_as_exactly_as_it_is_known(api: Api) -> None:
    case_id = open_case(api, "JIN-DOB")
    future = api.call(
        RECORD_DATE_OF_BIRTH, {"input": {"caseId": case_id, "born": "2031"}}
    )["recordDateOfBirth"]
    assert (future["__typename"], future["field"]) == ("ValidationFailed", "born")

    born = api.call(
        RECORD_DATE_OF_BIRTH, {"input": {"caseId": case_id, "born": "2002~"}}
    )["recordDateOfBirth"]
    assert (born["__typename"], born["caseVersion"]) == ("DateOfBirthRecorded", 2)
    assert api.call(CASE, {"id": case_id})["case"]["born"] == "2002~"
