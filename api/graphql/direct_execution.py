"""The common request, answered the short way: a POST of one JSON object whose
query was checked before and passed, executed by graphql-core on the schema
Strawberry built, with the same executor, context, logging and masking.

Strawberry's HTTP view and ``Schema.execute`` wrap every operation in layers
this schema does not use (streamed and multipart transports, batches, a response
for resolvers to edit, extension hooks looked up anew on each request); with
them, a recorded step cost about an eighth more server CPU (1.66 against 1.48 ms,
one client, PostgreSQL). Their work that matters here is done the same way:

- the document and its validation come from the same cache of checked
  documents (``DocumentChecks``), so only a text that passed every check
  (size, cost, validation, introspection) is answered here;
- errors are logged through ``Schema.process_errors``, as Strawberry logs them,
  then masked by ``masked``, as ``MaskUnexpectedErrors`` masks them;
- the answer is Strawberry's: ``data``, then ``errors`` if any, status 200.

Everything else (any other method or content type, a streaming ``Accept``, a
body that is not one object of the expected shape, a text not yet checked or
that failed its checks, a subscription, an operation name that picks nothing)
is declined, before the caller's context is built, and Strawberry's view answers
it as it always has. ``tests/e2e/test_direct_execution.py`` sends the same
requests both ways and compares the answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import orjson
import strawberry
from graphql import (
    DocumentNode,
    ExecutionResult,
    OperationType,
    execute,
    get_operation_ast,
)
from strawberry.execution.is_awaitable import optimized_is_awaitable
from strawberry.http import GraphQLHTTPResponse

from api.graphql.documents import DocumentChecks
from api.graphql.error_masking import masked

#: Operations a POST may run (as Strawberry's view allows).
POST_OPERATIONS = frozenset({OperationType.QUERY, OperationType.MUTATION})
#: Accept types that ask for a streamed answer: Strawberry's to handle.
STREAMING = ("multipart/mixed", "text/event-stream")


@dataclass(frozen=True)
class Prepared:
    """A request this path will answer."""

    document: DocumentNode
    variables: dict[str, Any] | None
    operation_name: str | None
    extensions: dict[str, Any] | None


def is_json(content_type: str | None) -> bool:
    """``application/json``, with or without parameters (``charset=utf-8``)."""
    if content_type is None:
        return False
    return content_type.partition(";")[0].strip().lower() == "application/json"


class DirectExecution:
    """One schema's short way, sharing its document checks."""

    def __init__(self, schema: strawberry.Schema, checks: DocumentChecks) -> None:
        self.schema = schema
        self.checks = checks
        #: Requests answered here (a test's evidence that this path ran).
        self.answered = 0

    def prepare(
        self, method: str, content_type: str | None, accept: str | None, body: bytes
    ) -> Prepared | None:
        """The request, ready to run, or None to leave it to Strawberry."""
        if method != "POST" or not is_json(content_type):
            return None
        if accept is not None and any(kind in accept for kind in STREAMING):
            return None
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError:
            return None
        if not isinstance(data, dict):
            return None
        query = data.get("query")
        variables = data.get("variables")
        name = data.get("operationName")
        extensions = data.get("extensions")
        if (
            not isinstance(query, str)
            or not isinstance(variables, (dict, type(None)))
            or not isinstance(name, (str, type(None)))
            or not isinstance(extensions, (dict, type(None)))
        ):
            return None
        checked = self.checks.known(query)
        if checked is None or checked.errors:
            return None
        operation = get_operation_ast(checked.document, name)
        if operation is None or operation.operation not in POST_OPERATIONS:
            return None
        return Prepared(checked.document, variables, name, extensions)

    async def answer(self, prepared: Prepared, context: object) -> GraphQLHTTPResponse:
        """Executes the request; the answer as Strawberry's view would give it."""
        self.answered += 1
        outcome = execute(
            self.schema._schema,
            prepared.document,
            root_value=None,
            context_value=context,
            variable_values=prepared.variables,
            operation_name=prepared.operation_name,
            executor_class=self.schema.execution_context_class,
            is_awaitable=cast("Any", optimized_is_awaitable),  # as Strawberry
            operation_extensions=prepared.extensions,
        )
        result = outcome if isinstance(outcome, ExecutionResult) else await outcome
        response: GraphQLHTTPResponse = {"data": result.data}
        if result.errors:
            self.schema.process_errors(result.errors)
            response["errors"] = [masked(error).formatted for error in result.errors]
        # graphql-core's execute sets no extensions, and the schema's extensions
        # add none, so there are none to answer.
        return response
