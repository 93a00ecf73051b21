"""Plain leaf fields answered at once (api.graphql.execution) answer exactly as
graphql-core's way does: the same data in the same order, and the same errors
at the same paths when a value is wrong."""

from __future__ import annotations

import asyncio
from enum import Enum
from typing import Any

import strawberry
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from api.graphql.execution import FieldsAtOnce


@strawberry.enum
class Colour(Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.type
class Item:
    name: str
    count: int
    colour: Colour
    tags: list[str]
    maybe_tags: list[str | None] | None
    note: str | None = None

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()

    @strawberry.field
    def repeat(self, times: int) -> str:
        return self.name * times


GOOD = Item(name="a", count=1, colour=Colour.RED, tags=["x", "y"], maybe_tags=None)
#: Wrong in every way a resolver-less field can be: the answers must still agree.
WRONG: list[Any] = [
    Item(name=None, count=1, colour=Colour.RED, tags=[], maybe_tags=[]),  # type: ignore[arg-type]
    Item(name="b", count="many", colour=Colour.BLUE, tags=[], maybe_tags=[]),  # type: ignore[arg-type]
    Item(name="c", count=2, colour="green", tags=[], maybe_tags=[]),  # type: ignore[arg-type]
    Item(name="d", count=3, colour=Colour.RED, tags=["ok", None], maybe_tags=[]),  # type: ignore[list-item]
    Item(name="e", count=4, colour=Colour.RED, tags="not a list", maybe_tags=[None]),  # type: ignore[arg-type]
]


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item | None]:
        return [GOOD, *WRONG]

    @strawberry.field
    def good(self) -> Item:
        return GOOD


QUERY = """
{
  good { shout name count colour tags maybeTags note repeat(times: 2) alias: name }
  items { name count colour tags maybeTags note shout
          ... on Item { name count } }
}
"""


def run(execution: type[StrawberryGraphQLCoreExecutionContext]) -> Any:
    schema = strawberry.Schema(query=Query, execution_context_class=execution)
    result = asyncio.run(schema.execute(QUERY))
    return (
        result.data,
        [(error.message, error.path) for error in result.errors or []],
        [list((result.data or {}).get("good", {}))],
    )


def test_answers_at_once_as_graphql_core_does() -> None:
    fast, plain = run(FieldsAtOnce), run(StrawberryGraphQLCoreExecutionContext)
    assert fast == plain
    data, errors, (order,) = fast
    assert order == [
        "shout",
        "name",
        "count",
        "colour",
        "tags",
        "maybeTags",
        "note",
        "repeat",
        "alias",
    ]
    assert data["good"]["repeat"] == "aa"
    assert data["items"][0]["colour"] == "RED"
    assert len(errors) == len(WRONG)  # each wrong item nulled with its error
