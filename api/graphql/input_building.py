"""Builds command inputs from what graphql-core coerced, by a plan made once.

Strawberry converts an input value field by field, asking at each one, on every
request, what the field's type is (resolving its annotation) and what GraphQL
calls it (camel-casing its Python name): about a fifth of the event loop's time
when recording a step. An input's fields and their types are fixed once the
schema is built, so each input type here gets a plan made then: which GraphQL
name fills which Python name, and how its value is converted (as it is, for a
scalar or an enum, whose values graphql-core has already parsed; item by item,
for a list; by the nested type's own plan, reached through Strawberry). The
plan is installed as the type's ``from_input`` hook, which Strawberry calls
instead of its own walk.

It gives what Strawberry's walk gives (``tests/unit/test_input_building.py``
compares the two on every input of the schema): a field the client omitted is
None unless the type gives it a default, and the class is called with keyword
arguments. A field of a type the plan does not know (``Maybe``, lazy types,
global ids, anything added later) is converted by Strawberry's own walk.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

import strawberry
from strawberry.relay.types import GlobalID
from strawberry.scalars import is_scalar
from strawberry.types.arguments import InputContext
from strawberry.types.base import (
    StrawberryList,
    StrawberryMaybe,
    StrawberryObjectDefinition,
    StrawberryOptional,
    StrawberryType,
)
from strawberry.types.enum import StrawberryEnumDefinition, has_enum_definition
from strawberry.types.unset import UNSET

#: Converts one field's coerced value to what the input class is given.
Conversion = Callable[[object, InputContext], object]


def _as_is(value: object, _context: InputContext) -> object:
    return value


@dataclasses.dataclass(frozen=True)
class _Field:
    graphql_name: str
    python_name: str
    convert: Conversion


class _Planner:
    """Plans every input type of one schema (its names and scalars)."""

    def __init__(self, schema: strawberry.Schema) -> None:
        self._names = schema.config.name_converter
        self._scalars = schema.schema_converter.scalar_registry

    def conversion(self, type_: StrawberryType | type) -> Conversion:
        if isinstance(type_, StrawberryMaybe) or type_ is GlobalID:
            return _strawberry_walk(type_)
        if isinstance(type_, StrawberryOptional):
            inner = self.conversion(type_.of_type)
            if inner is _as_is:
                return _as_is
            return lambda value, context: (
                value if value is None or value is UNSET else inner(value, context)
            )
        if isinstance(type_, StrawberryList):
            item = self.conversion(type_.of_type)
            if item is _as_is:
                # A copy, as Strawberry makes: graphql-core hands every request
                # that omits a value the same default list.
                return lambda value, _context: (
                    value if value is None or value is UNSET else list(value)  # type: ignore[call-overload]
                )
            return lambda value, context: (
                value
                if value is None or value is UNSET
                else [item(each, context) for each in value]  # type: ignore[attr-defined]
            )
        if self._is_leaf(type_):
            return _as_is
        # A nested input (built by its own plan, through Strawberry's walk,
        # which gives it its path) and any type the plan does not know.
        return _strawberry_walk(type_)

    def _is_leaf(self, type_: StrawberryType | type) -> bool:
        # As Strawberry's own walk tells a leaf, lazy types aside (they take
        # its walk): graphql-core has parsed scalars and enums already.
        if isinstance(type_, StrawberryEnumDefinition) or has_enum_definition(type_):
            return True
        return is_scalar(type_, self._scalars)

    def plan(self, definition: StrawberryObjectDefinition) -> Callable[..., Any]:
        fields = [
            _Field(
                graphql_name=self._names.from_field(field),
                python_name=field.python_name,
                convert=self.conversion(field.resolve_type(type_definition=definition)),
            )
            for field in definition.fields
        ]
        # Strawberry's own default for a field with none: the client may omit a
        # nullable one, and graphql-core has already refused a missing required one.
        omitted = {
            field.python_name: None
            for field in definition.fields
            if field.default_value is dataclasses.MISSING
            and field.default_factory is dataclasses.MISSING
        }

        def build(cls: type, value: Mapping[str, Any], context: InputContext) -> Any:
            given: dict[str, object] = dict(omitted)
            for field in fields:
                if field.graphql_name in value:
                    given[field.python_name] = field.convert(
                        value[field.graphql_name], context
                    )
            return cls(**given)

        return build


def _strawberry_walk(type_: StrawberryType | type) -> Conversion:
    return lambda value, context: context.convert(value, type_)


def install_input_building(schema: strawberry.Schema) -> int:
    """Gives every input type of the schema that builds no value of its own a
    plan; returns how many were given one. The hook is kept on the class's
    definition, which every schema built from the class shares (they all use
    Strawberry's default names), so a second schema finds its inputs planned."""
    planner = _Planner(schema)
    definitions = [
        concrete.definition
        for concrete in schema.schema_converter.type_map.values()
        if isinstance(concrete.definition, StrawberryObjectDefinition)
        and concrete.definition.is_input
        and concrete.definition.from_input is None
    ]
    # Plans first, hooks after: a plan only reads the definitions, and a nested
    # type's hook is looked up when a value is built, so the order is free.
    plans = [(definition, planner.plan(definition)) for definition in definitions]
    for definition, build in plans:
        definition.from_input = build
    return len(plans)
