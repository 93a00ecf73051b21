"""Waymark's GraphQL schema (Strawberry): one module per family of types."""

from api.graphql.context import WaymarkContext
from api.graphql.schema import build_schema

__all__ = ["WaymarkContext", "build_schema"]
