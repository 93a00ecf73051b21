"""A deployment sets a *(check)* rule's period (``WAYMARK_CLOCK_CICA_2012_REVIEW``)
and the API's clocks follow it: the deadlines query and the chronology rows."""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

import pytest

from api.settings import Settings
from tests.e2e.conftest import Api
from tests.e2e.test_deadlines import CHRONOLOGY_CLOCKS, deadlines, open_case, record


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, clock_periods=MappingProxyType({"cica-2012-review": 42}))


def test_a_configured_review_period_moves_the_due_day(api: Api) -> None:
    case_id = open_case(api, "CICA-SETTING")
    decision = record(
        api,
        case_id,
        kind="compensation.cica_decision",
        occurred="2026-02-02",
        summary="CICA refused the application.",
        details={"outcome": "refused", "amount": None},
    )

    (review,) = deadlines(api, case_id, asOf="2026-03-01")["clocks"]

    # 42 days from 2 February, not the default 56 (30 March).
    assert (review["kind"], review["dueOn"], review["daysLeft"]) == (
        "CICA_REVIEW_REQUEST",
        "2026-03-16",
        15,
    )
    assert review["rule"]["period"] == "42 days"
    assert review["rule"]["citation"].endswith(
        "sources; set to 42 days by a setting; the default is 56 days)"
    )

    rows = api.call(CHRONOLOGY_CLOCKS, {"caseId": case_id})["chronology"]["rows"]
    (row,) = [row for row in rows if row["stepId"] == decision]
    assert [(c["kind"], c["dueOn"]) for c in row["clocks"]] == [
        ("CICA_REVIEW_REQUEST", "2026-03-16")
    ]
