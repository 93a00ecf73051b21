"""What a caller is told of an error: a resolver's surprise is hidden behind
``UNEXPECTED_MESSAGE`` (its path and position kept, so a client knows which field
failed); a malformed request or a typed refusal is shown as it is.

Strawberry logs every error with its traceback before extensions see the result
(``Schema.process_errors``), so masking loses nothing from the server's log.

This does what Strawberry's ``MaskErrors`` does for our results, without its
question, on every request, of whether the result has errors: it is asked through
a runtime-checkable ``Protocol``, which inspects the result's class each time (a
twentieth of a small mutation's server CPU, in a profile of ``record_steps``).
The schema runs no subscriptions, streams or incremental delivery, so a result is
always one ``ExecutionResult``; anything else is refused rather than passed
unmasked.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionResult

UNEXPECTED_MESSAGE = "Unexpected error."


def is_unexpected(error: GraphQLError) -> bool:
    """What a resolver raised by surprise (not a GraphQL error of its own)."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


def masked(error: GraphQLError) -> GraphQLError:
    """The error as a caller may see it."""
    if not is_unexpected(error):
        return error
    return GraphQLError(
        UNEXPECTED_MESSAGE,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
    )


class MaskUnexpectedErrors(SchemaExtension):
    """Masks the unexpected errors of each operation's result, however it ended."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is None:
            return
        if not isinstance(result, (ExecutionResult, GraphQLExecutionResult)):
            raise TypeError(f"no masking for a result of type {type(result)!r}")
        if result.errors:
            result.errors = [masked(error) for error in result.errors]
