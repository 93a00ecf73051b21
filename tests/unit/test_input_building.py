"""Every input of the schema is built by its plan (api.graphql.input_building)
exactly as Strawberry's own walk builds it: every field given, nullable fields
omitted, and nullable fields sent as null."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from typing import Any

import pytest
import strawberry
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    coerce_input_value,
)
from strawberry.types.arguments import convert_argument
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.unset import UNSET

from api.graphql.input_building import install_input_building
from api.graphql.schema import build_schema

SCHEMA = build_schema()
SAMPLE_SCALARS: dict[str, Any] = {
    "String": "text",
    "Int": 3,
    "Float": 1.5,
    "Boolean": True,
    "ID": "id-1",
    "Date": "2020-02-03",
    "DateTime": "2020-02-03T04:05:06+00:00",
    "UUID": "6f1c2a94-4f57-4d1e-9a36-1b2f4c8f1e11",
    "JSON": {"key": ["value", 1]},
}
#: How each input is sent: every field; nullable ones left out; nullable ones null.
VARIANTS = ("every field", "nullable omitted", "nullable null")


def _inputs() -> dict[str, StrawberryObjectDefinition]:
    return {
        name: concrete.definition
        for name, concrete in SCHEMA.schema_converter.type_map.items()
        if isinstance(concrete.definition, StrawberryObjectDefinition)
        and concrete.definition.is_input
    }


def _sample(type_: GraphQLInputType, variant: str, depth: int = 0) -> Any:
    if isinstance(type_, GraphQLNonNull):
        return _sample(type_.of_type, variant, depth)
    if isinstance(type_, GraphQLList):
        return [_sample(type_.of_type, variant, depth) for _ in range(2)]
    if isinstance(type_, GraphQLEnumType):
        return list(type_.values)[-1]
    if isinstance(type_, GraphQLScalarType):
        if type_.name not in SAMPLE_SCALARS:
            pytest.fail(f"no sample value for the scalar {type_.name}")
        return SAMPLE_SCALARS[type_.name]
    assert isinstance(type_, GraphQLInputObjectType), type_
    value: dict[str, Any] = {}
    for name, field in type_.fields.items():
        nullable = not isinstance(field.type, GraphQLNonNull)
        if nullable and variant == "nullable omitted":
            continue
        if nullable and variant == "nullable null":
            value[name] = None
            continue
        value[name] = _sample(field.type, variant, depth + 1)
    return value


@contextmanager
def _strawberry_walk_only() -> Iterator[None]:
    definitions = _inputs().values()
    hooks = {id(definition): definition.from_input for definition in definitions}
    for definition in definitions:
        definition.from_input = None
    try:
        yield
    finally:
        for definition in definitions:
            definition.from_input = hooks[id(definition)]


def test_every_input_has_a_plan() -> None:
    missing = [name for name, d in _inputs().items() if d.from_input is None]
    assert not missing
    assert len(_inputs()) > 20


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("name", sorted(_inputs()))
def test_a_plan_builds_what_strawberry_builds(name: str, variant: str) -> None:
    graphql_type = SCHEMA._schema.type_map[name]
    assert isinstance(graphql_type, GraphQLInputObjectType)
    coerced = coerce_input_value(_sample(graphql_type, variant), graphql_type)
    origin = _inputs()[name].origin
    registry, config = SCHEMA.schema_converter.scalar_registry, SCHEMA.config

    planned = convert_argument(coerced, origin, registry, config)
    with _strawberry_walk_only():
        walked = convert_argument(coerced, origin, registry, config)

    assert type(planned) is type(walked) is origin
    assert planned == walked
    assert repr(planned) == repr(walked)


@strawberry.enum
class Shade(Enum):
    LIGHT = "light"
    DARK = "dark"


@strawberry.input
class Part:
    label: str
    shade: Shade = Shade.DARK


@strawberry.input
class Order:
    tags: list[str] = strawberry.field(default_factory=lambda: ["first"])
    codes: list[int | None] | None = None
    parts: list[Part | None] | None = None
    note: str | None = strawberry.UNSET


@strawberry.type
class OrderQuery:
    @strawberry.field
    def order(self, order: Order) -> str:
        return repr(order)


def test_a_list_of_leaves_is_a_copy_and_defaults_are_kept() -> None:
    """graphql-core hands every request that omits a list the same default
    list: each built input has its own copy."""
    schema = strawberry.Schema(query=OrderQuery)
    assert install_input_building(schema) == 2
    walked = {"tags": ["first"], "note": UNSET}
    query = "{ order(order: {}) }"
    first = schema.execute_sync(query)
    second = schema.execute_sync(query)
    assert first.errors is None and first.data is not None and second.data is not None
    assert first.data["order"] == second.data["order"] == repr(Order(**walked))
    shared = ["first"]
    built = convert_argument(
        {"tags": shared, "parts": [{"label": "a", "shade": Shade.LIGHT}, None]},
        Order,
        schema.schema_converter.scalar_registry,
        schema.config,
    )
    assert isinstance(built, Order)
    assert built.tags == shared and built.tags is not shared
    assert built.parts == [Part(label="a", shade=Shade.LIGHT), None]
    assert built.codes is None and built.note is UNSET
