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


#: Not of the Python type a scalar gives out, but coerced to it: 9 to "9".
ODD_FIELDS: dict[str, Any] = {"count": True, "tags": [8, "x"], "note": 9}
ODD = Item(name="odd", colour=Colour.RED, maybe_tags=None, **ODD_FIELDS)


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item | None]:
        return [GOOD, ODD, *WRONG]

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
    assert data["items"][1]["note"] == "9" and data["items"][1]["tags"] == ["8", "x"]
    assert len(errors) == len(WRONG)  # each wrong item nulled with its error


@strawberry.type
class Leafy:
    label: str

    @strawberry.field
    def fails(self) -> str:
        if self.label == "bad":
            raise ValueError("a required field failed")
        return self.label

    @strawberry.field
    async def later(self) -> str:
        await asyncio.sleep(0)
        return self.label * 2


@strawberry.type
class Branch:
    name: str
    leaf: Leafy
    maybe_leaf: Leafy | None
    leaves: list[Leafy]
    maybe_leaves: list[Leafy | None] | None
    twigs: list[Branch] = strawberry.field(default_factory=list)


def _branch(name: str, **changes: Any) -> Branch:
    fields: dict[str, Any] = {
        "name": name,
        "leaf": Leafy(label=f"{name}-leaf"),
        "maybe_leaf": None,
        "leaves": [Leafy(label=f"{name}-1"), Leafy(label=f"{name}-2")],
        "maybe_leaves": [Leafy(label=f"{name}-3"), None],
        **changes,
    }
    return Branch(**fields)


#: Objects and lists of them, right and wrong in the ways graphql-core judges.
BRANCHES: list[Branch] = [
    _branch(
        "plain", twigs=[_branch("twig"), _branch("twig2", maybe_leaf=Leafy(label="m"))]
    ),
    _branch("tuple", leaves=(Leafy(label="t1"),), maybe_leaves=None),
    _branch("generator", leaves=(Leafy(label=str(n)) for n in range(2))),
    _branch("null leaf", leaf=None),
    _branch("null item", leaves=[Leafy(label="x"), None]),
    _branch("not a list", leaves=Leafy(label="lonely")),
    _branch("failing leaf", leaf=Leafy(label="bad")),
    _branch("failing item", leaves=[Leafy(label="ok"), Leafy(label="bad")]),
    _branch(
        "failing maybe",
        maybe_leaf=Leafy(label="bad"),
        maybe_leaves=[Leafy(label="bad")],
    ),
    _branch("deep failure", twigs=[_branch("inner", leaf=Leafy(label="bad"))]),
    _branch("awaited"),  # its maybe-leaf still to come (set in each run)
]


async def _later(leaf: Leafy) -> Leafy:
    await asyncio.sleep(0)
    return leaf


@strawberry.type
class Tree:
    @strawberry.field
    def branches(self) -> list[Branch | None]:
        return list(BRANCHES)

    @strawberry.field
    def trunk(self) -> Branch:
        return BRANCHES[0]


TREE_QUERY = """
fragment Leaf on Leafy { label fails later }
{
  trunk { name leaf { label } twigs { name maybeLeaf { label later } } }
  branches {
    name
    leaf { ...Leaf }
    maybeLeaf { ...Leaf }
    leaves { ...Leaf }
    maybeLeaves { label fails }
    twigs { name leaf { label fails } leaves { label } }
    again: leaf { label }
  }
}
"""


def run_tree(execution: type[StrawberryGraphQLCoreExecutionContext]) -> Any:
    for branch in BRANCHES:  # generators run out: a fresh one for each run
        if branch.name == "generator":
            branch.leaves = (Leafy(label=str(n)) for n in range(2))  # type: ignore[assignment]
        if branch.name == "awaited":
            branch.maybe_leaf = _later(Leafy(label="awaited"))  # type: ignore[assignment]
    schema = strawberry.Schema(query=Tree, execution_context_class=execution)
    result = asyncio.run(schema.execute(TREE_QUERY))
    return (
        result.data,
        sorted((error.message, str(error.path)) for error in result.errors or []),
    )


def test_objects_and_lists_of_them_answer_as_graphql_core_does() -> None:
    fast, plain = (
        run_tree(FieldsAtOnce),
        run_tree(StrawberryGraphQLCoreExecutionContext),
    )
    assert fast == plain
    data, errors = fast
    assert data["trunk"]["twigs"][1]["maybeLeaf"] == {"label": "m", "later": "mm"}
    assert [b and b["name"] for b in data["branches"]][:3] == [
        "plain",
        "tuple",
        "generator",
    ]
    assert data["branches"][2]["leaves"] == [
        {"label": "0", "fails": "0", "later": "00"},
        {"label": "1", "fails": "1", "later": "11"},
    ]
    # Each wrong branch is nulled (its non-null error rises to the list item),
    # except where the failure is under a nullable field.
    nulled = [b is None for b in data["branches"]][:10]
    assert nulled == [False, False, False, True, True, True, True, True, False, True]
    assert data["branches"][10]["maybeLeaf"]["later"] == "awaitedawaited"
    assert data["branches"][8]["maybeLeaf"] is None
    assert data["branches"][8]["maybeLeaves"] == [None]
    assert len(errors) == 8
