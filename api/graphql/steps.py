"""The step vocabulary, described from its pydantic payload models so clients can
build forms: every kind with its payload fields, types, limits and allowed values."""

from __future__ import annotations

import types
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any, Literal, Union, get_args, get_origin

import strawberry
from pydantic.fields import FieldInfo

from domain.vocabulary import StepKind as StepKindModel


@strawberry.enum(description="The type of a payload field's value in `details`.")
class PayloadFieldType(Enum):
    TEXT = strawberry.enum_value("text", description="A JSON string.")
    CHOICE = strawberry.enum_value(
        "choice", description="A JSON string, one of `allowedValues`."
    )
    BOOLEAN = strawberry.enum_value("boolean", description="true or false.")
    INTEGER = strawberry.enum_value("integer", description="A whole number.")
    DECIMAL = strawberry.enum_value(
        "decimal",
        description='An exact amount: a JSON string (`"1500.00"`) or number.',
    )
    DATE = strawberry.enum_value(
        "date", description="A calendar day as a JSON string, `YYYY-MM-DD`."
    )
    TEXT_LIST = strawberry.enum_value(
        "text_list",
        description="A JSON array of strings; `minLength` and `maxLength` count "
        "its items.",
    )


@strawberry.type(description="One field of a step kind's payload (`details`).")
class PayloadField:
    name: str = strawberry.field(description="The key in `details` (snake_case).")
    type: PayloadFieldType = strawberry.field(description="The value's type.")
    required: bool = strawberry.field(
        description="Whether `details` must contain the key."
    )
    nullable: bool = strawberry.field(description="Whether the value may be null.")
    allowed_values: list[str] | None = strawberry.field(
        description="For CHOICE fields, the values allowed; null otherwise."
    )
    min_length: int | None = strawberry.field(
        description="For TEXT, the fewest characters allowed."
    )
    max_length: int | None = strawberry.field(
        description="For TEXT, the most characters allowed."
    )
    minimum: str | None = strawberry.field(
        description="For numbers, the least value allowed (as a decimal string)."
    )
    decimal_places: int | None = strawberry.field(
        description="For DECIMAL, the most digits after the point."
    )
    max_digits: int | None = strawberry.field(
        description="For DECIMAL, the most digits in all."
    )


@strawberry.type(description="A kind of step in a survivor's journey.")
class StepKind:
    code: str = strawberry.field(
        description="The kind's code, `area.kind` (send it as a step's `kind`)."
    )
    area: str = strawberry.field(description="The area of the journey.")
    label: str = strawberry.field(description="The neutral label chronologies print.")
    version: int = strawberry.field(
        description="The payload's version; older payloads are upgraded on reading."
    )
    expects: list[str] = strawberry.field(
        description="Kinds one of which a chronology expects on record before this "
        "one (a warning, never a refusal, when none is)."
    )
    fields: list[PayloadField] = strawberry.field(
        description="The payload's fields; empty when the kind has no details."
    )

    @classmethod
    def of(cls, kind: StepKindModel) -> StepKind:
        return cls(
            code=kind.code,
            area=kind.area,
            label=kind.label,
            version=kind.version,
            expects=list(kind.expects),
            fields=[describe_field(name, info) for name, info in kind.fields.items()],
        )


def describe_kinds(kinds: Iterable[StepKindModel]) -> list[StepKind]:
    return [StepKind.of(kind) for kind in kinds]


def describe_field(name: str, info: FieldInfo) -> PayloadField:
    """A payload field as clients see it; an unknown annotation is an error."""
    annotation, nullable = _without_none(info.annotation)
    constraints = _constraints(info.metadata)
    allowed: list[str] | None = None
    if get_origin(annotation) is Literal:
        kind = PayloadFieldType.CHOICE
        allowed = [str(value) for value in get_args(annotation)]
    elif annotation is bool:
        kind = PayloadFieldType.BOOLEAN
    elif annotation is int:
        kind = PayloadFieldType.INTEGER
    elif annotation is Decimal:
        kind = PayloadFieldType.DECIMAL
    elif annotation is str:
        kind = PayloadFieldType.TEXT
    elif annotation is date:
        kind = PayloadFieldType.DATE
    elif get_origin(annotation) is list and get_args(annotation) == (str,):
        kind = PayloadFieldType.TEXT_LIST
    else:
        raise TypeError(f"cannot describe payload field {name!r}: {annotation!r}")
    minimum = constraints.get("ge")
    return PayloadField(
        name=name,
        type=kind,
        required=info.is_required(),
        nullable=nullable,
        allowed_values=allowed,
        min_length=constraints.get("min_length"),
        max_length=constraints.get("max_length"),
        minimum=str(minimum) if minimum is not None else None,
        decimal_places=constraints.get("decimal_places"),
        max_digits=constraints.get("max_digits"),
    )


def _without_none(annotation: Any) -> tuple[Any, bool]:
    if get_origin(annotation) in (Union, types.UnionType):
        args = [arg for arg in get_args(annotation) if arg is not type(None)]
        nullable = len(args) < len(get_args(annotation))
        if len(args) == 1:
            return args[0], nullable
    return annotation, False


_CONSTRAINTS = ("ge", "min_length", "max_length", "decimal_places", "max_digits")


def _constraints(metadata: Iterable[Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for item in metadata:
        for name in _CONSTRAINTS:
            value = getattr(item, name, None)
            if value is not None:
                found[name] = value
    return found
