"""Listing cases: pages in the order opened, read from the caseload view by
index, with cursors that are signed and good only for the caller and the
listing that got them, so no cursor can ask whether a case exists. Every case
here is synthetic."""

from __future__ import annotations

import base64
from typing import Any
from uuid import uuid4

import pytest

from api.graphql.cursors import NOT_A_CURSOR
from domain.application import CaseJourneys
from tests.e2e.conftest import Api
from tests.e2e.operations import CASES, CLOSE_CASE
from tests.e2e.test_case_journey import open_case


def listed(api: Api, token: str | None = None, **arguments: Any) -> dict[str, Any]:
    arguments.setdefault("first", 10)
    arguments.setdefault("atLeastPosition", api.journeys.log_position())
    return api.call(CASES, arguments, token=token or api.token())["cases"]


def refused_cursor(answer: dict[str, Any]) -> tuple[str, str | None, str]:
    return answer["__typename"], answer.get("field"), answer["message"]


INVALID = ("ValidationFailed", "after", NOT_A_CURSOR)


def test_another_organisations_case_id_is_no_cursor_whether_or_not_it_exists(
    api: Api,
) -> None:
    open_case(api, "NORTH-1")
    theirs = open_case(api, "SOUTH-1", organisation_id="org-south")
    # The shape the cursors had: an existing case's id answered a page, a
    # made-up one an error, so the difference told a case existed.
    as_it_was = [
        base64.urlsafe_b64encode(f"case:{case_id}".encode()).decode()
        for case_id in (theirs, str(uuid4()))
    ]

    answers = [refused_cursor(listed(api, after=cursor)) for cursor in as_it_was]

    assert answers == [INVALID, INVALID]
    assert refused_cursor(listed(api, after="nonsense")) == INVALID


def test_a_cursor_is_good_only_for_the_caller_and_listing_that_got_it(
    api: Api,
) -> None:
    for n in range(3):
        open_case(api, f"NORTH-{n}")
    mine = api.token()
    page = listed(api, mine, first=1)
    assert page["__typename"] == "CasePage", page
    cursor = page["endCursor"]
    colleague = api.token(subject="advocate-2")
    stranger = api.token(organisation_id="org-south", subject="advocate-9")
    tampered = cursor[:-2] + ("A" if cursor[-2] != "A" else "B") + cursor[-1]

    assert listed(api, mine, first=1, after=cursor)["__typename"] == "CasePage"
    assert refused_cursor(listed(api, colleague, first=1, after=cursor)) == INVALID
    assert refused_cursor(listed(api, stranger, first=1, after=cursor)) == INVALID
    assert refused_cursor(listed(api, mine, first=1, after=tampered)) == INVALID
    filtered = listed(api, mine, first=1, after=cursor, closed=False)
    assert refused_cursor(filtered) == INVALID


def test_pages_follow_each_other_in_the_order_opened_closed_cases_included(
    api: Api,
) -> None:
    ids = [open_case(api, f"NORTH-{n}") for n in range(5)]
    closed = api.call(
        CLOSE_CASE, {"input": {"caseId": ids[1], "reason": "Support ended."}}
    )["closeCase"]
    assert closed["__typename"] == "CaseClosed"

    seen: list[str] = []
    page = listed(api, first=2)
    while True:
        seen += [case["id"] for case in page["cases"]]
        if not page["hasNextPage"]:
            break
        page = listed(api, first=2, after=page["endCursor"])
    only_closed = listed(api, closed=True)
    only_open = listed(api, closed=False)

    assert seen == ids
    assert [case["id"] for case in only_closed["cases"]] == [ids[1]]
    assert [case["id"] for case in only_open["cases"]] == ids[:1] + ids[2:]


def test_listing_folds_only_the_cases_it_may_show(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(12):
        open_case(api, f"SOUTH-{n}", organisation_id="org-south")
    north = [open_case(api, f"NORTH-{n}") for n in range(2)]
    folded: list[object] = []
    real = CaseJourneys.case_summary

    def counted(self: CaseJourneys, case_id: Any) -> Any:
        folded.append(case_id)
        return real(self, case_id)

    monkeypatch.setattr(CaseJourneys, "case_summary", counted)
    page = listed(api, first=5)

    assert [case["id"] for case in page["cases"]] == north
    # Folding every case to find its organisation would have read all fourteen.
    assert len(folded) == 2
