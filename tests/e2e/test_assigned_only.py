"""An organisation whose advocates see only the cases assigned to them
(``WAYMARK_ASSIGNED_ONLY_ORGANISATIONS``), over HTTP on every store."""

from __future__ import annotations

from dataclasses import replace

import pytest

from api.settings import Settings
from tests.e2e.conftest import Api
from tests.e2e.operations import ASSIGN_ADVOCATE, CASE, CASES
from tests.e2e.test_case_journey import open_case


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, assigned_only_organisations=frozenset({"org-north"}))


def test_advocates_see_their_own_cases_and_the_intake_and_managers_see_all(
    api: Api,
) -> None:
    manager = api.token(role="manager", subject="manager-1")
    mine, theirs, intake = (open_case(api, f"AO-{n}") for n in range(3))
    for case_id, advocate in ((mine, "advocate-1"), (theirs, "advocate-2")):
        assigned = api.call(
            ASSIGN_ADVOCATE,
            {"input": {"caseId": case_id, "advocateId": advocate}},
            token=manager,
        )["assignAdvocate"]
        assert assigned["__typename"] == "AdvocateAssigned", assigned
    advocate = api.token(subject="advocate-1")

    def listed(token: str) -> set[str]:
        page = api.call(
            CASES,
            {"first": 10, "atLeastPosition": api.journeys.log_position()},
            token=token,
        )["cases"]
        return {case["id"] for case in page["cases"]}

    assert listed(advocate) == {mine, intake}
    assert listed(manager) == {mine, theirs, intake}
    hidden = api.call(CASE, {"id": theirs}, token=advocate)["case"]
    assert (hidden["__typename"], hidden["message"]) == (
        "NotFound",
        f"no case {theirs}",
    )
    south = api.token(organisation_id="org-south", subject="advocate-9")
    assert listed(south) == set()
