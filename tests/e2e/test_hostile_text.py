"""Hostile text over HTTP: a NUL, an ANSI escape or a right-to-left override in
any input is a ``ValidationFailed`` naming the field, nothing is recorded, and a
caseload asked about such an id answers the same way (never an unexpected
error). Every case is synthetic."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Api
from tests.e2e.operations import OPEN_CASE, RECORD_STEP
from tests.e2e.test_case_journey import chronology, open_case, record
from tests.e2e.test_caseload import caseload


@pytest.mark.parametrize("poison", ["\x00", "\x1b[2J", "\u202e"], ids=ascii)
def test_hostile_text_is_refused_naming_the_field_and_nothing_is_recorded(
    api: Api, poison: str
) -> None:
    case_id = open_case(api, "HOSTILE-1")
    before = api.journeys.log_position()

    opened = api.call(
        OPEN_CASE,
        {
            "input": {
                "reference": f"HOSTILE{poison}2",
                "jurisdiction": "SCOTLAND",
            }
        },
    )["openCase"]
    recorded = api.call(
        RECORD_STEP,
        {
            "input": {
                "caseId": case_id,
                "kind": "criminal_justice.crime_reported",
                "occurred": "2019-06",
                "summary": "Reported to the police.",
                "details": {"crime_reference": f"CR{poison}1"},
            }
        },
    )["recordStep"]

    assert (opened["__typename"], opened["field"]) == ("ValidationFailed", "reference")
    assert (recorded["__typename"], recorded["field"]) == (
        "ValidationFailed",
        "details.crime_reference",
    )
    assert poison not in opened["message"] + recorded["message"]
    assert api.journeys.log_position() == before


def test_a_caseload_asked_for_an_id_no_record_can_hold_says_which_argument(
    api: Api,
) -> None:
    answer = caseload(api, advocateId="advocate\x001")
    assert (answer["__typename"], answer["field"]) == ("ValidationFailed", "advocateId")


def test_a_date_time_keeps_its_day_and_a_set_reads_in_words(api: Api) -> None:
    case_id = open_case(api, "HOSTILE-3")
    entered = {
        "2019-06-03T10:00": "3 June 2019",
        "[2019-06, 2019-08]": "one of June 2019 or August 2019",
        "\u0662\u0660\u0661\u0669-\u0660\u0665": "May 2019",
    }
    for occurred in entered:
        record(
            api,
            case_id,
            kind="housing.advocacy",
            occurred=occurred,
            summary="Called the housing office.",
        )
    rows = chronology(api, case_id)["rows"]
    assert sorted((row["occurred"], row["when"]) for row in rows) == sorted(
        [
            ("2019-06-03", "3 June 2019"),
            ("[2019-06, 2019-08]", entered["[2019-06, 2019-08]"]),
            ("2019-05", "May 2019"),
        ]
    )
