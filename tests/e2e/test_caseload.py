"""The caseload over HTTP, on the in-memory, SQLite and PostgreSQL stores.

On SQLite and in memory the API keeps the view current itself; on PostgreSQL a
worker runs beside it, as ``waymark project`` would. A query that names the
position its own write returned sees that write. "Today" is 400 days after the
cases were opened. Every case and fact is synthetic.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from api.app import create_app
from api.bootstrap import ProjectionSettings, build_views
from api.settings import Settings
from domain.application import CaseJourneys
from domain.dates import UK
from tests.e2e.conftest import Api, Server
from tests.e2e.operations import FAILURE, OPEN_CASE, RECORD_STEP

DAY = datetime.now(UK).date() + timedelta(days=400)

CASELOAD = (
    """
query Caseload(
  $advocateId: String, $organisationId: String, $within: Int,
  $includeClosed: Boolean! = false, $atLeastPosition: Int
) {
  caseload(
    advocateId: $advocateId, organisationId: $organisationId, within: $within,
    includeClosed: $includeClosed, atLeastPosition: $atLeastPosition
  ) {
    __typename
    ... on Caseload {
      organisationId advocateId asOf within position
      cases {
        caseId reference organisationId advocateId advocateSince jurisdiction
        localAuthority openedAt closed closedAt lastContactOn
        lastContactRecordedAt daysSinceContact quietSince drifting
        transferredFrom transferredAt nextDeadlineOn nextDeadlineClock
        openWarnings
      }
      drifting { reference daysSinceContact quietSince }
    }
    ... on NotYetProjected { requested position }
    ...failure
  }
}
"""
    + FAILURE
)

HAND_OVER = """
mutation HandOver($input: AssignAdvocateInput!) {
  assignAdvocate(input: $input) { __typename ... on CommandSucceeded { position } }
}
"""

TRANSFER = """
mutation Transfer($input: TransferCaseInput!) {
  transferCase(input: $input) { __typename ... on CommandSucceeded { position } }
}
"""


@pytest.fixture
def today() -> Callable[[], date]:
    return lambda: DAY


@pytest.fixture
def api(server: Server, journeys: CaseJourneys, settings: Settings) -> Iterator[Api]:
    views = build_views(settings, journeys, ProjectionSettings(wait_seconds=0.5))
    stop = threading.Event()
    beside = None
    worker_thread = None
    if not views.in_process:  # PostgreSQL: a worker beside the API
        beside = build_views(settings, journeys, ProjectionSettings(in_process=False))
        worker_thread = threading.Thread(target=beside.workers[0].run, args=(stop,))
        worker_thread.start()
    try:
        with server.mounted(create_app(journeys, settings, views)) as http:
            yield Api(http, settings, journeys)
    finally:
        stop.set()
        if worker_thread is not None:
            worker_thread.join(timeout=10)
        if beside is not None:
            beside.close()
        views.close()


def open_case(api: Api, reference: str, **caller: Any) -> tuple[str, int]:
    data = api.call(
        OPEN_CASE,
        {
            "input": {
                "reference": reference,
                "jurisdiction": "SCOTLAND",
                "localAuthority": "Glasgow",
                # Advocacy began 400 days before the tests' today: on the real
                # today, before every contact the tests record.
                "openedOn": (DAY - timedelta(days=400)).isoformat(),
            }
        },
        **caller,
    )["openCase"]
    assert data["__typename"] == "CaseOpened", data
    return data["caseId"], data["position"]


def contact(api: Api, case_id: str, days_ago: int, **caller: Any) -> int:
    occurred = (DAY - timedelta(days=days_ago)).isoformat()
    data = api.call(
        RECORD_STEP,
        {
            "input": {
                "caseId": case_id,
                "kind": "engagement.contact",
                "occurred": occurred,
                "summary": "Met the survivor at the drop-in",
                "details": {"mode": "in_person"},
            }
        },
        **caller,
    )["recordStep"]
    assert data["__typename"] == "StepRecorded", data
    return int(data["position"])


def caseload(api: Api, **arguments: Any) -> dict[str, Any]:
    caller = {
        key: arguments.pop(key)
        for key in ("role", "organisation_id", "subject")
        if key in arguments
    }
    return api.call(CASELOAD, arguments, **caller)["caseload"]


def test_an_advocate_sees_a_contact_on_the_caseload_as_soon_as_it_is_recorded(
    api: Api,
) -> None:
    maureen, _ = open_case(api, "MAUREEN-CL1")
    jin, _ = open_case(api, "JIN-CL1")
    contact(api, jin, 40)
    position = contact(api, maureen, 2)

    answer = caseload(api, atLeastPosition=position)

    assert answer["__typename"] == "Caseload", answer
    assert answer["position"] >= position
    assert (answer["organisationId"], answer["advocateId"]) == ("org-north", None)
    assert (answer["asOf"], answer["within"]) == (DAY.isoformat(), 28)
    first, second = answer["cases"]
    assert (first["reference"], first["daysSinceContact"], first["drifting"]) == (
        "JIN-CL1",
        40,
        True,
    )
    assert (second["reference"], second["daysSinceContact"], second["drifting"]) == (
        "MAUREEN-CL1",
        2,
        False,
    )
    assert second["lastContactOn"] == (DAY - timedelta(days=2)).isoformat()
    assert second["lastContactRecordedAt"] is not None
    assert (second["jurisdiction"], second["localAuthority"]) == ("SCOTLAND", "Glasgow")
    assert (second["nextDeadlineOn"], second["openWarnings"]) == (None, 0)
    assert answer["drifting"] == [
        {
            "reference": "JIN-CL1",
            "daysSinceContact": 40,
            "quietSince": (DAY - timedelta(days=40)).isoformat(),
        }
    ]


CLOCKS = (
    """
query Clocks($upcomingDays: Int, $atLeastPosition: Int) {
  caseload(upcomingDays: $upcomingDays, atLeastPosition: $atLeastPosition) {
    __typename
    ... on Caseload {
      asOf upcomingDays
      cases { reference nextDeadlineOn nextDeadlineClock openWarnings }
      upcoming {
        case { reference } clock label startedBy startedOn dueOn daysLeft
        overdue extended period ruleId citation
      }
      overdue { case { reference } clock dueOn daysLeft overdue ruleId citation }
    }
    ...failure
  }
}
"""
    + FAILURE
)


def referral(api: Api, case_id: str, days_ago: int) -> int:
    data = api.call(
        RECORD_STEP,
        {
            "input": {
                "caseId": case_id,
                "kind": "nrm.referred",
                "occurred": (DAY - timedelta(days=days_ago)).isoformat(),
                "summary": "Referred into the NRM",
            }
        },
    )["recordStep"]
    assert data["__typename"] == "StepRecorded", data
    return int(data["position"])


def test_the_caseload_lists_upcoming_and_overdue_deadlines_with_their_rules(
    api: Api,
) -> None:
    late, _ = open_case(api, "LATE-CL1")
    soon, _ = open_case(api, "SOON-CL1")
    referral(api, late, 30)
    position = referral(api, soon, 1)

    answer = api.call(CLOCKS, {"atLeastPosition": position})["caseload"]

    assert answer["__typename"] == "Caseload", answer
    assert (answer["asOf"], answer["upcomingDays"]) == (DAY.isoformat(), 14)
    (upcoming,) = answer["upcoming"]
    assert upcoming["case"] == {"reference": "SOON-CL1"}
    assert upcoming["clock"] == "REASONABLE_GROUNDS_DECISION"
    assert upcoming["daysLeft"] >= 0 and not upcoming["overdue"]
    assert upcoming["ruleId"] and upcoming["citation"]
    (overdue,) = answer["overdue"]
    assert overdue["case"] == {"reference": "LATE-CL1"}
    assert overdue["daysLeft"] < 0 and overdue["overdue"]
    assert overdue["citation"] == upcoming["citation"]
    by_reference = {case["reference"]: case for case in answer["cases"]}
    assert by_reference["LATE-CL1"]["nextDeadlineOn"] == overdue["dueOn"]
    assert by_reference["SOON-CL1"]["nextDeadlineClock"] == (
        "reasonable_grounds_decision"
    )
    assert api.call(CLOCKS, {"upcomingDays": 0})["caseload"]["upcoming"] == []
    refused = api.call(CLOCKS, {"upcomingDays": -1})["caseload"]
    assert (refused["__typename"], refused["field"]) == (
        "ValidationFailed",
        "upcomingDays",
    )


def test_drift_takes_its_window_from_the_query_or_the_setting(api: Api) -> None:
    case_id, _ = open_case(api, "DRIFT-CL1")
    position = contact(api, case_id, 20)

    default = caseload(api, atLeastPosition=position)
    narrow = caseload(api, within=20)
    wide = caseload(api, within=21)

    assert (default["within"], default["drifting"]) == (28, [])
    assert [c["reference"] for c in narrow["drifting"]] == ["DRIFT-CL1"]
    assert narrow["cases"][0]["drifting"] is True
    assert wide["drifting"] == []


def test_a_hand_over_and_a_transfer_move_the_case_between_caseloads(
    api: Api,
) -> None:
    case_id, _ = open_case(api, "FORT-CL1")
    contact(api, case_id, 9)
    handed = api.call(
        HAND_OVER,
        {"input": {"caseId": case_id, "advocateId": "adv-north-07"}},
        role="manager",
    )["assignAdvocate"]
    mine = caseload(api, advocateId="adv-north-07", atLeastPosition=handed["position"])
    assert [(c["reference"], c["advocateId"]) for c in mine["cases"]] == [
        ("FORT-CL1", "adv-north-07")
    ]

    moved = api.call(
        TRANSFER,
        {
            "input": {
                "caseId": case_id,
                "toOrganisationId": "org-south",
                "reason": "The survivor moved south.",
            }
        },
        role="manager",
    )["transferCase"]
    north = caseload(api, atLeastPosition=moved["position"])
    south = caseload(
        api, organisation_id="org-south", subject="adv-south-01", atLeastPosition=0
    )

    assert north["cases"] == []
    (arrived,) = south["cases"]
    assert arrived["transferredFrom"] == "org-north"
    assert arrived["lastContactOn"] == (DAY - timedelta(days=9)).isoformat()


def test_only_advocates_and_managers_read_caseloads(api: Api) -> None:
    open_case(api, "ACCESS-CL1")

    other = caseload(api, organisationId="org-south")
    counsel = caseload(api, role="counsel")
    evaluator = caseload(api, role="evaluator", organisation_id=None)
    admin = caseload(api, role="administrator", organisation_id=None)
    manager = caseload(api, role="manager", atLeastPosition=api.journeys.log_position())
    bad_window = caseload(api, within=0)
    bad_position = caseload(api, atLeastPosition=-1)

    assert other["__typename"] == counsel["__typename"] == "NotPermitted"
    assert evaluator["__typename"] == admin["__typename"] == "NotPermitted"
    assert [c["reference"] for c in manager["cases"]] == ["ACCESS-CL1"]
    assert (bad_window["__typename"], bad_window["field"]) == (
        "ValidationFailed",
        "within",
    )
    assert bad_position["field"] == "atLeastPosition"


def test_a_position_the_view_has_not_reached_is_answered_not_yet_projected(
    api: Api,
) -> None:
    _, position = open_case(api, "LATE-CL1")

    answer = caseload(api, atLeastPosition=position + 1000)

    assert answer["__typename"] == "NotYetProjected", answer
    assert answer["requested"] == position + 1000
    assert answer["position"] >= position
    assert "not yet" in answer["message"]
