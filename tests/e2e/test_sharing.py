"""Sharing a case with counsel, over HTTP on every store: a share lets one
barrister read one purpose until its last day, unless revoked or the survivor
withdraws consent; sensitive steps stay out unless the share includes them;
counsel see what changed since they last looked; every look is audited."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from projections.audit import AuditStore
from projections.audit.postgres import PostgresAuditStore
from tests.conftest import TODAY
from tests.e2e.conftest import Api
from tests.e2e.operations import (
    AUDIT_TRAIL,
    CASE,
    CHRONOLOGY,
    GIVE_CONSENT,
    MARK_STEP_SENSITIVITY,
    REVOKE_SHARE,
    SHARE_WITH_COUNSEL,
    SHARED_WITH_ME,
    WITHDRAW_CONSENT,
)
from tests.e2e.sharing import share
from tests.e2e.test_case_journey import open_case, record
from tests.e2e.test_deadlines import DEADLINES


class Calendar:
    """The application's today, which a test may move on."""

    def __init__(self) -> None:
        self.day = TODAY


@pytest.fixture
def calendar() -> Calendar:
    return Calendar()


@pytest.fixture
def today(calendar: Calendar) -> Callable[[], date]:
    return lambda: calendar.day


def counsel(api: Api, subject: str = "counsel-1") -> str:
    return api.token(role="counsel", organisation_id="chambers-1", subject=subject)


def read(api: Api, case_id: str, token: str, **arguments: Any) -> dict[str, Any]:
    variables = {"caseId": case_id, "purpose": "CICA", **arguments}
    return api.call(CHRONOLOGY, variables, token=token)["chronology"]


def shared_with(api: Api, token: str) -> list[dict[str, Any]]:
    answer = api.call(SHARED_WITH_ME, token=token)["sharedWithMe"]
    assert answer["__typename"] == "SharedWithMe", answer
    return list(answer["shares"])


def share_input(case_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "input": {
            "caseId": case_id,
            "counsel": "counsel-1",
            "purpose": "CICA",
            "expiresOn": (TODAY + timedelta(days=30)).isoformat(),
            **fields,
        }
    }


def revoke(api: Api, case_id: str, share_id: str) -> dict[str, Any]:
    given = {"caseId": case_id, "shareId": share_id, "reason": "The appeal is over."}
    return api.call(REVOKE_SHARE, {"input": given})["revokeShare"]


GP = {"kind": "health.gp_registered", "occurred": "2023-05", "summary": "GP."}


def test_a_share_lets_counsel_read_until_its_last_day_and_not_after(
    api: Api, calendar: Calendar
) -> None:
    case_id = open_case(api)
    record(api, case_id, **GP)
    last_day = TODAY + timedelta(days=3)
    share_id = share(api, case_id, "counsel-1", "CICA", expires_on=last_day)
    barrister = counsel(api)

    calendar.day = last_day
    assert read(api, case_id, barrister)["__typename"] == "Chronology"
    (listed,) = shared_with(api, barrister)
    assert (listed["shareId"], listed["expiresOn"]) == (share_id, last_day.isoformat())

    calendar.day = last_day + timedelta(days=1)
    assert read(api, case_id, barrister)["__typename"] == "NotFound"
    assert shared_with(api, barrister) == []
    assert shared_with(api, counsel(api, "counsel-2")) == []


def test_a_revoked_share_ends_at_once_and_only_once(api: Api) -> None:
    case_id = open_case(api)
    share_id = share(api, case_id, "counsel-1", "CICA")
    barrister = counsel(api)
    assert read(api, case_id, barrister)["__typename"] == "Chronology"

    revoked = revoke(api, case_id, share_id)
    again = revoke(api, case_id, share_id)
    unknown = revoke(api, case_id, str(uuid4()))

    assert revoked["__typename"] == "ShareRevoked", revoked
    assert read(api, case_id, barrister)["__typename"] == "NotFound"
    assert (again["__typename"], again["reason"]) == ("Refused", "NOTHING_TO_CHANGE")
    assert unknown["__typename"] == "NotFound"


def test_withdrawing_consent_ends_every_share_and_a_new_consent_revives_none(
    api: Api,
) -> None:
    case_id = open_case(api)
    share(api, case_id, "counsel-1", "CICA")
    share(api, case_id, "counsel-2", "CRIMINAL_TRIAL")
    consent = {"input": {"caseId": case_id, "purpose": "SHARING_WITH_COUNSEL"}}

    api.call(WITHDRAW_CONSENT, consent)
    ended = [
        read(api, case_id, counsel(api)),
        read(api, case_id, counsel(api, "counsel-2"), purpose="CRIMINAL_TRIAL"),
    ]
    api.call(GIVE_CONSENT, consent)
    still = read(api, case_id, counsel(api))

    assert [answer["__typename"] for answer in ended] == ["NotFound", "NotFound"]
    assert still["__typename"] == "NotFound"
    share(api, case_id, "counsel-1", "CICA", consent=False)
    assert read(api, case_id, counsel(api))["__typename"] == "Chronology"
    # The share events (with their dates) hash the same when read back.
    assert api.journeys.verify_chain(UUID(case_id)).intact


def test_a_share_needs_consent_and_every_field_within_bounds(api: Api) -> None:
    case_id = open_case(api)

    def attempt(**fields: Any) -> dict[str, Any]:
        return api.call(SHARE_WITH_COUNSEL, share_input(case_id, **fields))[
            "shareWithCounsel"
        ]

    without_consent = attempt()
    position = api.journeys.log_position()
    api.call(
        GIVE_CONSENT, {"input": {"caseId": case_id, "purpose": "SHARING_WITH_COUNSEL"}}
    )
    position = api.journeys.log_position()
    refusals = {
        "expiresOn": attempt(expiresOn=(TODAY - timedelta(days=1)).isoformat()),
        "expiresOn ": attempt(expiresOn=(TODAY + timedelta(days=367)).isoformat()),
        "counsel": attempt(counsel="  "),
        "counsel ": attempt(counsel="c" * 201),
        "idempotencyKey": attempt(idempotencyKey="k" * 201),
    }
    first = attempt(idempotencyKey="share-1")
    retried = attempt(idempotencyKey="share-1")
    reused = attempt(idempotencyKey="share-1", purpose="IMMIGRATION")

    assert (without_consent["__typename"], without_consent["reason"]) == (
        "Refused",
        "CONSENT_REQUIRED",
    )
    for field, answer in refusals.items():
        assert (answer["__typename"], answer["field"]) == (
            "ValidationFailed",
            field.strip(),
        )
    assert first["__typename"] == retried["__typename"] == "CounselShared"
    assert retried["replayed"] is True
    assert retried["shareId"] == first["shareId"]
    assert (reused["__typename"], reused["reason"]) == (
        "Refused",
        "IDEMPOTENCY_KEY_REUSED",
    )
    assert api.journeys.log_position() == position + 1


def test_sensitive_steps_stay_out_of_a_share_unless_it_includes_them(
    api: Api,
) -> None:
    case_id = open_case(api)
    support = record(
        api,
        case_id,
        kind="health.mental_health_support_accessed",
        occurred="2023-06",
        summary="Began counselling.",
    )["stepId"]
    report = record(
        api,
        case_id,
        kind="health.medico_legal_report",
        occurred="2023-07",
        summary="Medico-legal report served.",
    )["stepId"]
    gp = record(api, case_id, **GP)["stepId"]
    before = datetime.now(UTC)
    marked = api.call(
        MARK_STEP_SENSITIVITY,
        {
            "input": {
                "caseId": case_id,
                "stepId": gp,
                "sensitive": True,
                "reason": "Names the survivor's new area.",
            }
        },
    )["markStepSensitivity"]
    assert marked["__typename"] == "StepSensitivityMarked", marked
    share(api, case_id, "counsel-1", "CICA")
    share(api, case_id, "counsel-2", "CICA", include_sensitive=True)

    plain = read(api, case_id, counsel(api))
    everything = read(api, case_id, counsel(api, "counsel-2"))
    own = read(api, case_id, api.token())
    as_a_share = read(api, case_id, api.token(), includeSensitive=False)
    as_it_stood = read(api, case_id, counsel(api), asAt=before.isoformat())

    def steps(chronology: dict[str, Any]) -> list[str]:
        return [row["stepId"] for row in chronology["rows"]]

    assert (steps(plain), plain["sensitiveLeftOut"]) == ([report], 2)
    assert set(steps(everything)) == {support, report, gp}
    assert everything["sensitiveLeftOut"] == 0
    assert set(steps(own)) == {support, report, gp}
    assert (steps(as_a_share), as_a_share["sensitiveLeftOut"]) == ([report], 2)
    assert (steps(as_it_stood), as_it_stood["sensitiveLeftOut"]) == ([report], 2)

    api.call(
        MARK_STEP_SENSITIVITY,
        {
            "input": {
                "caseId": case_id,
                "stepId": support,
                "sensitive": False,
                "reason": "The survivor asked for it to be shared.",
            }
        },
    )
    now = read(api, case_id, counsel(api))
    assert (set(steps(now)), now["sensitiveLeftOut"]) == ({support, report}, 1)


def test_counsel_see_how_much_changed_since_they_last_looked(api: Api) -> None:
    case_id = open_case(api)
    record(api, case_id, **GP)
    share(api, case_id, "counsel-1", "CICA")
    barrister = counsel(api)

    (never,) = shared_with(api, barrister)
    assert (never["lastLookedAt"], never["changedSinceLastLook"]) == (None, 1)
    read(api, case_id, barrister)
    (looked,) = shared_with(api, barrister)
    assert looked["lastLookedAt"] is not None
    assert looked["changedSinceLastLook"] == 0

    record(
        api,
        case_id,
        kind="compensation.cica_application_submitted",
        occurred="2024-01-10",
        summary="Application sent.",
    )
    record(api, case_id, kind="housing.advocacy", occurred="2024-01", summary="Call.")
    (later,) = shared_with(api, barrister)

    assert later["lastLookedAt"] == looked["lastLookedAt"]
    assert later["changedSinceLastLook"] == 1  # the housing call is not shared


def test_the_audit_trail_of_a_session_lists_exactly_the_reads_made(
    api: Api,
) -> None:
    case_id = open_case(api)
    step_id = record(api, case_id, **GP)["stepId"]
    advocate = api.token()
    api.call(CASE, {"id": case_id}, token=advocate)
    api.call(CHRONOLOGY, {"caseId": case_id}, token=advocate)
    api.call(DEADLINES, {"caseId": case_id}, token=advocate)
    share_id = share(api, case_id, "counsel-1", "CICA")
    barrister = counsel(api)
    read(api, case_id, barrister)
    shared_with(api, barrister)
    revoke(api, case_id, share_id)
    read(api, case_id, barrister)  # refused: not a read
    manager = api.token(role="manager", subject="manager-1")

    trail = api.call(AUDIT_TRAIL, {"caseId": case_id}, token=manager)["auditTrail"]

    assert trail["__typename"] == "AuditTrail", trail
    assert [
        (e["subject"], e["role"], e["operation"], e["purpose"], e["itemIds"])
        for e in trail["entries"]
    ] == [
        ("advocate-1", "advocate", "CASE", None, []),
        ("advocate-1", "advocate", "CHRONOLOGY", "full", [step_id]),
        ("advocate-1", "advocate", "DEADLINES", None, []),
        ("advocate-1", "advocate", "SHARE", "cica", [share_id]),
        ("counsel-1", "counsel", "CHRONOLOGY", "cica", [step_id]),
        ("counsel-1", "counsel", "SHARED_WITH_ME", None, [share_id]),
        ("advocate-1", "advocate", "REVOKE_SHARE", None, [share_id]),
    ]
    assert all(e["caseIds"] == [case_id] for e in trail["entries"])

    admin = api.token(role="administrator", organisation_id=None, subject="admin-1")
    by_person = api.call(AUDIT_TRAIL, {"subject": "counsel-1"}, token=admin)
    assert [e["operation"] for e in by_person["auditTrail"]["entries"]] == [
        "CHRONOLOGY",
        "SHARED_WITH_ME",
    ]
    again = api.call(AUDIT_TRAIL, {"caseId": case_id}, token=manager)["auditTrail"]
    assert [e["operation"] for e in again["entries"]][-1] == "AUDIT_TRAIL"
    elsewhere = api.token(role="manager", organisation_id="org-south", subject="m-9")
    refusals = [
        api.call(AUDIT_TRAIL, {"caseId": case_id}, token=elsewhere)["auditTrail"],
        api.call(AUDIT_TRAIL, {"caseId": case_id}, token=advocate)["auditTrail"],
        api.call(AUDIT_TRAIL, {"subject": "counsel-1"}, token=manager)["auditTrail"],
    ]
    assert [r["__typename"] for r in refusals] == [
        "NotFound",
        "NotPermitted",
        "NotPermitted",
    ]


def test_a_read_whose_audit_cannot_be_written_is_not_answered(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = open_case(api)
    record(api, case_id, **GP)

    def broken(self: AuditStore, record: object) -> int:
        raise OSError("disk full")

    for store in (AuditStore, PostgresAuditStore):  # each dialect's append
        monkeypatch.setattr(store, "_append", broken)
    response = api.post(CHRONOLOGY, {"caseId": case_id}, token=api.token())

    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    (error,) = body["errors"]
    assert error["message"] == "Unexpected error."
    assert "Called" not in response.text and "GP." not in response.text
