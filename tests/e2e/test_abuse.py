"""Hostile requests over real HTTP: each is refused early, with a typed answer,
and the server stays responsive. Every request here is synthetic."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import httpx
import pytest

from api.app import create_app
from api.security_headers import CONTENT_SECURITY_POLICY
from api.settings import Settings
from domain.application import CaseJourneys
from tests.e2e.conftest import Api, Server
from tests.unit.test_query_cost import doubling_fragments

VIEWER = "{ viewer { subject } }"


def code_of(response: httpx.Response) -> str:
    (error,) = response.json()["errors"]
    return str(error["extensions"]["code"])


def test_fragments_that_double_at_each_level_are_refused_before_they_run(
    api: Api,
) -> None:
    # 25 levels stand for 2^26 fields; the old limiters never finished walking
    # them, so this request timed out.
    response = api.post(doubling_fragments(25), token=api.token())

    assert response.status_code == 200
    assert code_of(response) == "QUERY_TOO_COSTLY"
    assert api.http.get("/healthz").status_code == 200


def test_a_body_over_the_limit_is_refused_without_being_read(api: Api) -> None:
    limit = api.settings.max_body_bytes
    declared = api.http.post(
        "/graphql",
        content=b"{" + b" " * limit + b"}",
        headers={"Content-Type": "application/json"},
    )

    def chunks() -> Iterator[bytes]:
        for _ in range(limit // 65536 + 2):
            yield b" " * 65536

    streamed = api.http.post(
        "/graphql",
        content=chunks(),  # sent in chunks, with no Content-Length
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {api.token()}",
        },
    )

    assert (declared.status_code, code_of(declared)) == (413, "REQUEST_TOO_LARGE")
    assert (streamed.status_code, code_of(streamed)) == (413, "REQUEST_TOO_LARGE")
    assert api.call(VIEWER)["viewer"]["subject"] == "advocate-1"


def test_oversized_headers_and_request_targets_are_refused(api: Api) -> None:
    padded = api.http.post(
        "/graphql",
        json={"query": VIEWER},
        headers={"Authorization": f"Bearer {api.token()}", "X-Padding": "p" * 17000},
    )
    long_target = api.http.get("/graphql", params={"query": VIEWER + " " * 9000})

    assert (padded.status_code, code_of(padded)) == (431, "HEADERS_TOO_LARGE")
    assert (long_target.status_code, code_of(long_target)) == (414, "URI_TOO_LONG")


def test_every_answer_carries_the_security_headers(api: Api) -> None:
    answers = [
        api.post(VIEWER, token=api.token()),
        api.post(VIEWER),  # unauthenticated
        api.http.get("/healthz"),
        api.http.get("/no-such-page"),
    ]

    for answer in answers:
        assert answer.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["referrer-policy"] == "no-referrer"
    assert answers[0].headers["cache-control"] == "no-store"
    assert answers[2].headers["cache-control"] == "no-store"


def test_introspection_is_answered_only_where_it_is_enabled(
    server: Server, journeys: CaseJourneys, settings: Settings
) -> None:
    query = "{ __schema { queryType { name } } }"

    assert not settings.introspection
    with server.mounted(create_app(journeys, settings)) as http:
        closed = Api(http, settings, journeys).post(query, token=token_for(settings))
    opened_settings = replace(settings, introspection=True)
    with server.mounted(create_app(journeys, opened_settings)) as http:
        opened = Api(http, opened_settings, journeys).call(
            query, token=token_for(settings)
        )

    assert "introspection" in closed.json()["errors"][0]["message"].lower()
    assert opened == {"__schema": {"queryType": {"name": "Query"}}}


def token_for(settings: Settings) -> str:
    from api.auth import mint_token

    return mint_token(
        settings, subject="advocate-1", role="advocate", organisation_id="org-north"
    )


@pytest.fixture
def limited(
    server: Server, journeys: CaseJourneys, settings: Settings
) -> Iterator[Api]:
    tight = replace(settings, rate_per_second=0.01, rate_burst=3)
    with server.mounted(create_app(journeys, tight)) as http:
        yield Api(http, tight, journeys)


def test_a_caller_over_their_rate_is_refused_with_when_to_retry(limited: Api) -> None:
    mine = limited.token()
    theirs = limited.token(subject="advocate-2")

    allowed = [limited.post(VIEWER, token=mine).status_code for _ in range(3)]
    refused = limited.post(VIEWER, token=mine)
    other = limited.post(VIEWER, token=theirs)

    assert allowed == [200, 200, 200]
    assert refused.status_code == 429
    assert code_of(refused) == "RATE_LIMITED"
    assert int(refused.headers["retry-after"]) >= 1
    assert other.status_code == 200
