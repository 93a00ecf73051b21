"""Query documents checked before they run: size, cost, then validation, each
document's outcome kept by the hash of its text.

- A document's text is refused above ``MAX_QUERY_CHARACTERS``, comments and
  whitespace included (the token limit, ``MAX_TOKENS``, counts neither).
- Its cost (``api.graphql.query_cost``) is measured before validation, so an
  over-cost document is refused with ``QUERY_TOO_COSTLY`` and never executed.
- The parsed document and its validation errors are kept in a bounded cache
  keyed by the text's SHA-256, for texts up to ``CACHED_CHARACTERS`` long: a
  parsed document takes about a hundred times its text in memory, so at most
  ``CACHE_SIZE`` of these small ones are held, and a client's usual documents
  are parsed and validated once per process.
- Outside development, introspection (``__schema``, ``__type``) is refused.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from graphql import ASTValidationRule, DocumentNode, GraphQLError
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from api.bounded import BoundedCache
from api.graphql.query_cost import QueryLimits

#: The longest query text accepted, in characters, comments included.
MAX_QUERY_CHARACTERS = 20_000
#: Tokens the parser reads at most (graphql-core's count; comments not counted).
MAX_TOKENS = 5_000
#: Distinct documents kept parsed and validated (per process)...
CACHE_SIZE = 128
#: ...of texts up to this long.
CACHED_CHARACTERS = 4_096
TOO_LARGE_CODE = "QUERY_TOO_LARGE"


@dataclass(frozen=True)
class Checked:
    document: DocumentNode
    errors: tuple[GraphQLError, ...]


class DocumentChecks:
    """One schema's checks and the documents that passed through them."""

    def __init__(
        self,
        *,
        introspection: bool,
        limits: QueryLimits | None = None,
        cache_size: int = CACHE_SIZE,
    ) -> None:
        self.limits = limits or QueryLimits()
        self.introspection = introspection
        self.extra_rules: tuple[type[ASTValidationRule], ...] = (
            () if introspection else (NoSchemaIntrospectionCustomRule,)
        )
        self.checked: BoundedCache[bytes, Checked] = BoundedCache(cache_size)

    def extension(self) -> DocumentGuard:
        return DocumentGuard(self)

    @staticmethod
    def key(query: str) -> bytes | None:
        """The cache's key for this text, or None if it is too long to keep."""
        if len(query) > CACHED_CHARACTERS:
            return None
        return hashlib.sha256(query.encode()).digest()

    def known(self, query: str) -> Checked | None:
        """This text's document and validation errors, if it was checked before."""
        key = self.key(query)
        return None if key is None else self.checked.get(key)


class DocumentGuard(SchemaExtension):
    """Per operation: refuses an oversized text, reuses a checked document, or
    measures and validates a new one."""

    def __init__(self, checks: DocumentChecks) -> None:
        super().__init__()
        self.checks = checks
        self.key: bytes | None = None
        self.known: Checked | None = None

    def on_operation(self) -> Iterator[None]:
        self.execution_context.parse_options["max_tokens"] = MAX_TOKENS
        yield

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        query = context.query
        if query is not None:
            if len(query) > MAX_QUERY_CHARACTERS:
                raise GraphQLError(
                    f"the query is {len(query):,} characters long; at most "
                    f"{MAX_QUERY_CHARACTERS:,} are accepted, comments included",
                    extensions={"code": TOO_LARGE_CODE},
                )
            self.key = self.checks.key(query)
            if self.key is not None:
                self.known = self.checks.checked.get(self.key)
                if self.known is not None:
                    context.graphql_document = self.known.document
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if self.known is not None:
            context.pre_execution_errors = list(self.known.errors)
        elif context.graphql_document is not None:
            errors = self._check(context.graphql_document, context.validation_rules)
            context.pre_execution_errors = list(errors)
            if self.key is not None:
                self.checks.checked.put(
                    self.key, Checked(context.graphql_document, tuple(errors))
                )
        yield

    def _check(
        self,
        document: DocumentNode,
        rules: Sequence[type[ASTValidationRule]],
    ) -> Sequence[GraphQLError]:
        refusal = self.checks.limits.refusal(document)
        if refusal is not None:
            return [refusal]
        schema = self.execution_context.schema._schema
        return validate_document(schema, document, (*rules, *self.checks.extra_rules))
