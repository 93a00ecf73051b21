"""The committed schema.graphql is the schema the API serves, and is documented."""

from __future__ import annotations

from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType

from api.export_schema import REGENERATE, SCHEMA_FILE, schema_sdl
from api.graphql import build_schema


def test_the_committed_schema_file_is_up_to_date() -> None:
    committed = SCHEMA_FILE.read_text() if SCHEMA_FILE.exists() else ""

    assert committed == schema_sdl(), (
        f"{SCHEMA_FILE.name} is stale: regenerate it with `{REGENERATE}`"
    )


def test_every_type_field_and_argument_is_described() -> None:
    schema = build_schema()._schema
    undescribed = []
    for name, kind in schema.type_map.items():
        if name.startswith("__"):
            continue
        described = GraphQLEnumType | GraphQLObjectType | GraphQLInputObjectType
        if isinstance(kind, described) and not kind.description:
            undescribed.append(name)
        if isinstance(kind, GraphQLObjectType | GraphQLInputObjectType):
            for field_name, field in kind.fields.items():
                if not field.description:
                    undescribed.append(f"{name}.{field_name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not arg.description:
                        undescribed.append(f"{name}.{field_name}({arg_name})")

    assert undescribed == []
