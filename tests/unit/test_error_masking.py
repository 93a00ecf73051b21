"""Unexpected errors are masked, typed ones and malformed requests are shown."""

from __future__ import annotations

import asyncio

import pytest
import strawberry
from graphql import GraphQLError

from api.graphql.error_masking import UNEXPECTED_MESSAGE, MaskUnexpectedErrors


@strawberry.type
class Query:
    @strawberry.field
    def surprise(self) -> str | None:
        raise RuntimeError("connection string postgresql://secret@db")

    @strawberry.field
    def refusal(self) -> str | None:
        raise GraphQLError("not yours", extensions={"code": "NOT_PERMITTED"})

    @strawberry.field
    async def later(self) -> str | None:
        raise KeyError("internal detail")

    @strawberry.field
    def fine(self) -> str:
        return "ok"


SCHEMA = strawberry.Schema(query=Query, extensions=[MaskUnexpectedErrors])


def run(query: str, *, sync: bool) -> strawberry.types.ExecutionResult:
    if sync:
        return SCHEMA.execute_sync(query)
    return asyncio.run(SCHEMA.execute(query))


@pytest.mark.parametrize("sync", [True, False])
def test_a_surprise_is_masked_with_its_path_and_position(sync: bool) -> None:
    result = run("{ fine surprise }", sync=sync)
    assert result.data == {"fine": "ok", "surprise": None}
    assert result.errors is not None
    (error,) = result.errors
    assert error.message == UNEXPECTED_MESSAGE
    assert error.path == ["surprise"]
    assert error.locations is not None and error.locations[0].column == 8
    assert error.original_error is None
    assert "secret" not in str(error.formatted)


def test_an_async_resolvers_surprise_is_masked_too() -> None:
    result = run("{ later }", sync=False)
    assert result.errors is not None
    assert [e.message for e in result.errors] == [UNEXPECTED_MESSAGE]


@pytest.mark.parametrize("sync", [True, False])
def test_a_typed_refusal_is_shown(sync: bool) -> None:
    result = run("{ refusal surprise }", sync=sync)
    assert result.errors is not None
    shown = {tuple(e.path or ()): e for e in result.errors}
    assert shown[("refusal",)].message == "not yours"
    assert shown[("refusal",)].extensions == {"code": "NOT_PERMITTED"}
    assert shown[("surprise",)].message == UNEXPECTED_MESSAGE


@pytest.mark.parametrize("sync", [True, False])
def test_a_malformed_request_is_shown(sync: bool) -> None:
    invalid = run("{ nosuchfield }", sync=sync)
    assert invalid.errors is not None
    assert "nosuchfield" in invalid.errors[0].message
    unparsable = run("{ fine", sync=sync)
    assert unparsable.errors is not None
    assert unparsable.errors[0].message.startswith("Syntax Error")


def test_a_result_without_errors_is_untouched() -> None:
    result = run("{ fine }", sync=True)
    assert result.errors is None
    assert result.data == {"fine": "ok"}
