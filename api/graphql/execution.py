"""Query execution with a short way for plain fields.

graphql-core executes every field alike: a path, a resolve info, the
resolver (Strawberry's, which reads the attribute), then completion by the
field's type, one dispatch after another. For a field that Strawberry resolves
by reading an attribute (no resolver of ours, no arguments, no extensions, no
middleware) that is most of the cost of a large answer: a 1,000-row
chronology has some 9,000 leaves in 1,200 objects and 1,400 lists.

- A field of scalars or enums (or a list of them) is read and coerced in one
  step, with the same attribute read and the same coercion. Anything unusual
  falls back to graphql-core's way for that field, which then runs it as it
  always did, errors and their paths included: a null for a non-null field, a
  value the scalar cannot coerce, a list that is not one, or an attribute read
  that raises. The attribute is read again there: harmless for the plain
  fields and pure properties of this schema's result types, which read
  without side effects (a property that changed something would run twice).
- A field of an object type (or a list of them) is read once, and each object
  goes straight to graphql-core's own execution of its sub-selection, with the
  same paths. Only a value graphql-core would refuse or treat specially (a
  null, something not a list, a value still to come, an object type that
  checks what it is given, a directive on the field) is handed, as read, to
  graphql-core's completion;
  an error raised below is placed and propagated by graphql-core's own
  ``handle_field_error``, as it would be.
"""

from __future__ import annotations

import builtins
import weakref
from collections.abc import Awaitable, Callable
from typing import Any, NamedTuple, TypeVar

from graphql import (
    GraphQLField,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLSchema,
    Undefined,
    is_leaf_type,
    specified_scalar_types,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.pyutils import Path, gather_with_cancel
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
    #: The Python type the scalar gives out as it is (``str`` for String and
    #: ID, ``bool`` for Boolean), so a value of exactly it needs no coercion.
    unchanged: builtins.type | None = None


#: Scalars whose coercion returns a value of exactly this type as it is (only
#: GraphQL's own: a schema's scalar of the same name may coerce otherwise).
_UNCHANGED: dict[str, type] = {"String": str, "ID": str, "Boolean": bool}
_SPECIFIED = frozenset(id(scalar) for scalar in specified_scalar_types)


class Composite(NamedTuple):
    """How to answer a plain field of an object type (or a list of them)."""

    read: Callable[[Any, str], object]
    attribute: str
    #: The field's type, as graphql-core completes it.
    type: GraphQLOutputType
    object_type: GraphQLObjectType
    non_null: bool
    #: A list of ``object_type`` (``item_type``, non-null or not).
    is_list: bool
    item_type: GraphQLOutputType
    items_non_null: bool


Plan = Leaf | Composite | None
#: A field of a selection: its response name, its nodes and its plan.
Planned = tuple[str, FieldDetailsList, Plan]

#: Per schema: each (type, field) name's plan, or None for graphql-core's way.
_PLANS: weakref.WeakKeyDictionary[GraphQLSchema, dict[tuple[str, str], Plan]] = (
    weakref.WeakKeyDictionary()
)


def field_plan(field: GraphQLField) -> Plan:
    """How to answer ``field`` at once, if Strawberry resolves it by reading an
    attribute and it is a leaf, a plain object or a list of either; else None."""
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
    item_type = type_
    if isinstance(type_, GraphQLList):
        item_type = type_ = type_.of_type
        items_non_null = isinstance(type_, GraphQLNonNull)
        if isinstance(type_, GraphQLNonNull):
            type_ = type_.of_type
    if isinstance(type_, GraphQLObjectType) and type_.is_type_of is None:
        return Composite(
            definition.default_resolver,
            definition.python_name,
            field.type,
            type_,
            non_null,
            is_list,
            item_type,
            items_non_null,
        )
    if not is_leaf_type(type_):
        return None
    return Leaf(
        definition.default_resolver,
        definition.python_name,
        type_,
        non_null,
        is_list,
        items_non_null,
        _UNCHANGED.get(type_.name) if id(type_) in _SPECIFIED else None,
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
        if type(value) is leaf.unchanged:
            return value
        return _coerced(leaf.type, value)
    if not isinstance(value, list | tuple):
        raise _Fallback
    items: list[object] = []
    for item in value:
        if item is None:
            if leaf.items_non_null:
                raise _Fallback
            items.append(None)
        elif type(item) is leaf.unchanged:
            items.append(item)
        else:
            items.append(_coerced(leaf.type, item))
    return items


class FieldsAtOnce(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution, answering plain fields at once."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: This request's selections, planned (``_planned``), by their id.
        self._selections: dict[int, tuple[GroupedFieldSet, list[Planned]]] = {}

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> Any:
        """graphql-core's ``execute_fields``, each plain field answered at once."""
        if self.middleware_manager is not None and (
            self.middleware_manager.middlewares
        ):
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        is_awaitable = self.is_awaitable
        results: dict[str, Any] = {}
        awaitable_fields: list[str] = []
        try:
            for response_name, field_details_list, plan in self._planned(
                parent_type, grouped_field_set
            ):
                if type(plan) is Leaf:
                    try:
                        results[response_name] = answer(plan, source_value)
                        continue
                    except Exception:  # anything at all: graphql-core's way
                        plan = None
                field_path = Path(path, response_name, parent_type.name)
                if type(plan) is Composite:
                    result = self._composite(
                        plan,
                        parent_type,
                        source_value,
                        field_details_list,
                        field_path,
                        position_context,
                    )
                else:
                    result = self.execute_field(
                        parent_type,
                        source_value,
                        field_details_list,
                        field_path,
                        position_context,
                    )
                if result is not Undefined:
                    results[response_name] = result
                    if is_awaitable(result):
                        awaitable_fields.append(response_name)
        except Exception:
            self._settle(results, awaitable_fields)
            raise
        return _completed(results, awaitable_fields)

    def _planned(
        self, parent_type: GraphQLObjectType, grouped_field_set: GroupedFieldSet
    ) -> list[Planned]:
        """Each field of a selection with its plan. graphql-core collects an
        object type's selection once per request (``collect_subfields``), so
        every item of a list brings the same set: it is planned once."""
        selections = self._selections
        known = selections.get(id(grouped_field_set))
        if known is not None and known[0] is grouped_field_set:
            return known[1]
        plans = _PLANS.setdefault(self.schema, {})
        planned: list[Planned] = []
        for response_name, field_details_list in grouped_field_set.items():
            node = field_details_list[0].node
            key = (parent_type.name, node.name.value)
            try:
                plan = plans[key]
            except KeyError:
                field = self.schema.get_field(parent_type, node.name.value)
                plan = plans[key] = field_plan(field) if field else None
            # As graphql-core, the first node's arguments (validation made the
            # others' the same); none are valid on a field without any. A
            # directive left on a field (``@stream``, say) is graphql-core's.
            if node.arguments or any(d.node.directives for d in field_details_list):
                plan = None
            planned.append((response_name, field_details_list, plan))
        # The set is kept with its plan, so its id cannot be reused meanwhile.
        selections[id(grouped_field_set)] = (grouped_field_set, planned)
        return planned

    def _composite(
        self,
        plan: Composite,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: FieldDetailsList,
        path: Path,
        position_context: Any,
    ) -> Any:
        """``execute_field`` for a plain object field, without a resolve info
        or a resolver call unless graphql-core's completion is needed."""
        try:
            value = plan.read(source, plan.attribute)
            if value is None and not plan.non_null:
                return None
            if self.is_awaitable(value):  # still to come: graphql-core's way
                return self.complete_awaitable_value(
                    plan.type,
                    field_details_list,
                    self._info(parent_type, field_details_list, path),
                    path,
                    value,
                    position_context,
                )
            if value is None or (plan.is_list and not isinstance(value, list | tuple)):
                completed = self.complete_value(
                    plan.type,
                    field_details_list,
                    self._info(parent_type, field_details_list, path),
                    path,
                    value,
                    position_context,
                )
            elif plan.is_list:
                completed = self._objects(
                    plan, parent_type, field_details_list, path, value, position_context
                )
            else:
                completed = self.collect_and_execute_subfields(
                    plan.object_type, field_details_list, path, value, position_context
                )
            if self.is_awaitable(completed):
                return self._placing_errors(
                    completed, plan.type, field_details_list, path
                )
        except Exception as raw_error:
            self.handle_field_error(raw_error, plan.type, field_details_list, path)
            return None
        return completed

    def _objects(
        self,
        plan: Composite,
        parent_type: GraphQLObjectType,
        field_details_list: FieldDetailsList,
        path: Path,
        items: Any,
        position_context: Any,
    ) -> Any:
        """``complete_iterable_value`` for a list of plain objects."""
        completed: list[Any] = []
        awaitable_indices: list[int] = []
        info: GraphQLResolveInfo[Any] | None = None
        try:
            for index, item in enumerate(items):
                if item is None and not plan.items_non_null:
                    completed.append(None)
                    continue
                item_path = path.add_key(index, None)
                if item is None or self.is_awaitable(item):
                    # graphql-core's way: a null item (an error if non-null)
                    # or one still to come.
                    info = info or self._info(parent_type, field_details_list, path)
                    if self.complete_list_item_value(
                        item,
                        completed,
                        plan.item_type,
                        field_details_list,
                        info,
                        item_path,
                        position_context,
                    ):
                        awaitable_indices.append(index)
                    continue
                try:
                    result = self.collect_and_execute_subfields(
                        plan.object_type,
                        field_details_list,
                        item_path,
                        item,
                        position_context,
                    )
                except Exception as raw_error:
                    self.handle_field_error(
                        raw_error, plan.item_type, field_details_list, item_path
                    )
                    result = None
                if self.is_awaitable(result):
                    result = self._placing_errors(
                        result, plan.item_type, field_details_list, item_path
                    )
                    awaitable_indices.append(index)
                completed.append(result)
        except Exception:
            self._settle(completed, awaitable_indices)
            raise
        return _completed(completed, awaitable_indices)

    def _settle(self, values: Any, pending: list[Any]) -> None:
        """As graphql-core, when one field or item fails: the awaitables of
        the others (``pending``: their keys or indices) are settled."""
        if pending:
            self.settle_in_background([values[key] for key in pending])

    async def _placing_errors(
        self,
        completed: Awaitable[Any],
        return_type: GraphQLOutputType,
        field_details_list: FieldDetailsList,
        path: Path,
    ) -> Any:
        try:
            return await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None

    def _info(
        self,
        parent_type: GraphQLObjectType,
        field_details_list: FieldDetailsList,
        path: Path,
    ) -> GraphQLResolveInfo[Any]:
        field = self.schema.get_field(
            parent_type, field_details_list[0].node.name.value
        )
        assert field is not None  # it has a plan
        return self.build_resolve_info(
            field, [details.node for details in field_details_list], parent_type, path
        )


Values = TypeVar("Values", dict[str, Any], list[Any])


def _completed(values: Values, pending: list[Any]) -> Values | Awaitable[Values]:
    """The fields' (or items') values, or, if some are awaitable (``pending``:
    their keys or indices), all of them once those are awaited together."""
    if not pending:
        return values
    return _awaited(values, pending)


async def _awaited(values: Values, pending: list[Any]) -> Values:
    """graphql-core's ``get_results`` and ``get_completed_results``."""
    if len(pending) == 1:
        values[pending[0]] = await values[pending[0]]
    else:
        awaited = await gather_with_cancel(*(values[key] for key in pending))
        for key, value in zip(pending, awaited, strict=True):
            values[key] = value
    return values
