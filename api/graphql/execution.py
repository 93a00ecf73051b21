"""Query execution with a short way for plain leaf fields.

graphql-core executes every field alike: a path, a resolve info, the
resolver (Strawberry's, which reads the attribute), then completion by the
field's type. For a field of scalars or enums that Strawberry resolves by
reading an attribute (no resolver of ours, no arguments, no extensions, no
middleware) that is most of the cost of a large answer: a 1,000-row
chronology has some 17,000 of them. ``FieldsAtOnce`` reads and coerces such a
field in one step, with the same attribute read and the same coercion.

Anything unusual falls back to graphql-core's way for that field, which then
runs it as it always did, errors and their paths included: a null for a
non-null field, a value the scalar cannot coerce, a list that is not one, or
an attribute read that raises. The attribute is read again there: harmless
for the plain fields and pure properties of this schema's result types, which
read without side effects (a property that changed something would run twice).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from graphql import (
    GraphQLField,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    Undefined,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetailsList
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField


class _Fallback(Exception):
    """This field goes graphql-core's way."""


class Leaf(NamedTuple):
    """How to answer a plain leaf field (or a list of leaves) at once."""

    read: Callable[[Any, str], object]
    attribute: str
    type: GraphQLLeafType
    non_null: bool
    #: A list of ``type``, whose items are non-null if ``items_non_null``.
    is_list: bool = False
    items_non_null: bool = False


#: Per schema: each (type, field) name's ``Leaf``, or None for graphql-core's way.
_PLANS: weakref.WeakKeyDictionary[GraphQLSchema, dict[tuple[str, str], Leaf | None]] = (
    weakref.WeakKeyDictionary()
)


def leaf_plan(field: GraphQLField) -> Leaf | None:
    """How to answer ``field`` at once, if it is a plain leaf (or list of
    leaves) Strawberry resolves by reading an attribute; else None."""
    definition = (field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    resolve = field.resolve
    if (
        not isinstance(definition, StrawberryField)
        or field.args
        or resolve is None
        or not getattr(resolve, "_is_default", False)
        or definition.base_resolver is not None
        or definition.extensions
        or not definition.python_name
    ):
        return None
    type_: GraphQLOutputType = field.type
    non_null = isinstance(type_, GraphQLNonNull)
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    is_list = isinstance(type_, GraphQLList)
    items_non_null = False
    if isinstance(type_, GraphQLList):
        type_ = type_.of_type
        items_non_null = isinstance(type_, GraphQLNonNull)
        if isinstance(type_, GraphQLNonNull):
            type_ = type_.of_type
    if not is_leaf_type(type_):
        return None
    return Leaf(
        definition.default_resolver,
        definition.python_name,
        type_,
        non_null,
        is_list,
        items_non_null,
    )


def _coerced(type_: GraphQLLeafType, value: object) -> object:
    coerced = type_.coerce_output_value(value)
    if coerced is Undefined or coerced is None:
        raise _Fallback
    return coerced


def answer(leaf: Leaf, source: object) -> object:
    """The field's completed value, or ``_Fallback``."""
    value = leaf.read(source, leaf.attribute)
    if value is None:
        if leaf.non_null:
            raise _Fallback
        return None
    if not leaf.is_list:
        return _coerced(leaf.type, value)
    if not isinstance(value, list | tuple):
        raise _Fallback
    items: list[object] = []
    for item in value:
        if item is None:
            if leaf.items_non_null:
                raise _Fallback
            items.append(None)
        else:
            items.append(_coerced(leaf.type, item))
    return items


class FieldsAtOnce(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution, answering plain leaf fields at once."""

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: dict[str, FieldDetailsList],
        position_context: Any,
    ) -> Any:
        if self.middleware_manager is not None and (
            self.middleware_manager.middlewares
        ):
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        plans = _PLANS.setdefault(self.schema, {})
        answered: dict[str, object] = {}
        rest: dict[str, FieldDetailsList] = {}
        for response_name, field_details_list in grouped_field_set.items():
            node = field_details_list[0].node
            field_name = node.name.value
            key = (parent_type.name, field_name)
            try:
                leaf = plans[key]
            except KeyError:
                field = self.schema.get_field(parent_type, field_name)
                leaf = plans[key] = leaf_plan(field) if field else None
            # As graphql-core, the first node's arguments (validation made the
            # others' the same); none are valid on a field without arguments.
            if leaf is not None and not node.arguments:
                try:
                    answered[response_name] = answer(leaf, source_value)
                    continue
                except Exception:  # anything at all: graphql-core's way
                    pass
            rest[response_name] = field_details_list
        if not rest:
            return answered
        executed = super().execute_fields(
            parent_type, source_value, path, rest, position_context
        )
        if self.is_awaitable(executed):

            async def in_order() -> dict[str, Any]:
                return _in_order(grouped_field_set, answered, await executed)

            return in_order()
        assert isinstance(executed, dict)
        return _in_order(grouped_field_set, answered, executed)


def _in_order(
    grouped_field_set: Mapping[str, FieldDetailsList],
    answered: Mapping[str, object],
    executed: Mapping[str, object],
) -> dict[str, object]:
    """Both sets of answers, in the order the query asked for them."""
    results: dict[str, object] = {}
    for response_name in grouped_field_set:
        if response_name in answered:
            results[response_name] = answered[response_name]
        elif response_name in executed:
            results[response_name] = executed[response_name]
    return results
