"""The short way for a checked POST (``api.graphql.direct_execution``) answers
exactly as Strawberry's view does: each request here is sent through the view
alone, then again with the short way on, and the two answers are compared
(status, content type, body); the short way must have answered exactly the
requests it is for, and declined the rest to the view."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import orjson
import pytest

from api.app import WaymarkGraphQL, create_app
from api.bootstrap import ProjectionSettings, build_views
from api.graphql.error_masking import MaskUnexpectedErrors
from api.settings import Settings
from domain.application import CaseJourneys
from tests.e2e.conftest import Api, Server
from tests.e2e.operations import CASE, CHRONOLOGY, RECORD_STEP, STEP_KINDS
from tests.e2e.test_case_journey import open_case, record

JSON = "application/json"
STEP = {"kind": "housing.advocacy", "occurred": "2022-04", "summary": "Called."}
VIEWER = "{ viewer { subject role organisationId } }"
TWO_OPERATIONS = "query A { viewer { role } } query B { stepKinds { code } }"


@dataclass
class Both:
    api: Api
    view: WaymarkGraphQL

    def send(
        self,
        body: bytes,
        *,
        content_type: str | None = JSON,
        accept: str | None = None,
        token: str | None = "default",
        method: str = "POST",
        params: dict[str, str] | None = None,
    ) -> tuple[httpx.Response, httpx.Response, bool]:
        """The view's answer, the answer with the short way on, and whether the
        short way answered the second."""
        headers = {}
        if content_type is not None:
            headers["Content-Type"] = content_type
        if accept is not None:
            headers["Accept"] = accept
        if token is not None:
            bearer = self.api.token() if token == "default" else token
            headers["Authorization"] = f"Bearer {bearer}"
        short_way = self.view.direct
        assert short_way is not None

        def request() -> httpx.Response:
            return self.api.http.request(
                method, "/graphql", content=body, headers=headers, params=params
            )

        self.view.direct = None
        try:
            through_view = request()
        finally:
            self.view.direct = short_way
        before = short_way.answered
        direct = request()
        return through_view, direct, short_way.answered == before + 1

    def same(self, body: bytes, *, answered: bool, **options: Any) -> httpx.Response:
        through_view, direct, was_answered = self.send(body, **options)
        assert was_answered is answered
        assert direct.status_code == through_view.status_code
        assert direct.headers.get("content-type") == through_view.headers.get(
            "content-type"
        )
        if through_view.headers.get("content-type") == JSON:
            assert orjson.loads(direct.content) == orjson.loads(through_view.content)
        else:
            assert direct.content == through_view.content
        return direct


def body(query: Any, variables: Any = None, **more: Any) -> bytes:
    return orjson.dumps({"query": query, "variables": variables, **more})


@pytest.fixture
def both(server: Server, journeys: CaseJourneys, settings: Settings) -> Iterator[Both]:
    views = build_views(settings, journeys, ProjectionSettings(in_process=True))
    app = create_app(journeys, settings, views)
    (view,) = (
        route.app
        for route in app.router.routes
        if isinstance(getattr(route, "app", None), WaymarkGraphQL)
    )
    try:
        with server.mounted(app) as http:
            yield Both(Api(http, settings, journeys), view)
    finally:
        views.close()


def test_checked_queries_and_mutations_answer_alike(both: Both) -> None:
    case_id = open_case(both.api)
    record(both.api, case_id, **STEP)
    for query, variables in (
        (VIEWER, None),
        (STEP_KINDS, {}),
        (CASE, {"id": case_id}),
        (CHRONOLOGY, {"caseId": case_id}),
        (CHRONOLOGY, {"caseId": case_id, "purpose": "CICA"}),
    ):
        answer = both.same(body(query, variables), answered=True)
        assert "errors" not in answer.json()
    # A refused command (a typed failure, nothing recorded) answers alike too.
    refused = {"input": {"caseId": case_id, **STEP, "kind": "no.such.kind"}}
    answer = both.same(body(RECORD_STEP, refused), answered=True)
    assert answer.json()["data"]["recordStep"]["__typename"] == "ValidationFailed"
    # The charset and the operation's name make no difference.
    both.same(
        body(VIEWER), content_type="application/json; charset=utf-8", answered=True
    )
    both.same(body(TWO_OPERATIONS, operationName="B"), answered=True)


def test_errors_in_execution_answer_alike(both: Both) -> None:
    case_id = open_case(both.api)
    both.same(body(CASE, {"id": case_id}), answered=True)
    # A variable of the wrong type, a missing one, an unknown case.
    for variables in ({"id": "not-a-uuid"}, {}, {"id": case_id[:-1] + "0"}):
        both.same(body(CASE, variables), answered=True)


def test_an_unexpected_error_is_masked_and_logged_alike(
    both: Both, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    case_id = open_case(both.api)
    both.same(body(CHRONOLOGY, {"caseId": case_id}), answered=True)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("connection string postgresql://secret@db")

    monkeypatch.setattr(both.api.journeys, "case_events", broken)
    with caplog.at_level(logging.ERROR, logger="strawberry.execution"):
        answer = both.same(body(CHRONOLOGY, {"caseId": case_id}), answered=True)
    (error,) = answer.json()["errors"]
    assert error["message"] == "Unexpected error."
    assert error["path"] == ["chronology"]
    assert "secret" not in answer.text
    logged = [r for r in caplog.records if r.name == "strawberry.execution"]
    assert len(logged) == 2  # once by each way, with the original and its trace
    assert all("secret" in r.getMessage() and r.exc_info for r in logged)


def test_everything_else_is_left_to_strawberry(both: Both) -> None:
    invalid = "{ viewer { nosuchfield } }"
    too_costly = "{ " + " ".join(f"k{n}: viewer {{ role }}" for n in range(31)) + " }"
    declined: list[tuple[bytes, dict[str, Any]]] = [
        (b"{not json", {}),
        (b"[]", {}),
        (orjson.dumps([{"query": VIEWER}]), {}),
        (b'"a string"', {}),
        (body(None), {}),
        (body(42), {}),
        (body(VIEWER, [1, 2]), {}),
        (body(VIEWER, operationName=7), {}),
        (body(VIEWER, extensions="x"), {}),
        (body(TWO_OPERATIONS), {}),  # which one?
        (body(TWO_OPERATIONS, operationName="C"), {}),
        (body("subscription { viewer { role } }"), {}),
        (body(invalid), {}),
        (body(too_costly), {}),
        (body("{ __schema { queryType { name } } }"), {}),
        (body("{ viewer { role } } # " + "x" * 5000), {}),  # too long to keep
        (body(VIEWER), {"content_type": "text/plain"}),
        (body(VIEWER), {"content_type": None}),
        (body(VIEWER), {"accept": "multipart/mixed"}),
        (body(VIEWER), {"accept": "text/event-stream"}),
        (body(VIEWER), {"token": None}),
        (body(VIEWER), {"token": "not-a-token"}),
        (b"", {"method": "GET", "params": {"query": VIEWER}}),
    ]
    both.same(body(VIEWER), answered=True)  # checked once, so known from here
    for sent, options in declined:
        # Twice: the second time, what the first checked is known.
        for _ in range(2):
            both.same(sent, answered=False, **options)


def test_a_body_that_is_not_an_object_is_refused_with_400(both: Both) -> None:
    for sent in (b'"a string"', b"42", b"null", b"true"):
        answer = both.same(sent, answered=False)
        assert answer.status_code == 400, (sent, answer.text)
        assert "must be an object" in answer.text


def test_the_short_way_stands_in_for_exactly_the_schemas_extensions(
    both: Both,
) -> None:
    # An extension added to the schema must be added to the short way too.
    short_way = both.view.direct
    assert short_way is not None
    assert both.view.schema.extensions == (
        short_way.checks.extension,
        MaskUnexpectedErrors,
    )
