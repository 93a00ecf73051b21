"""Fuzzing from ``schema.graphql``: queries and single-field mutations generated
by hypothesis-graphql, sent one at a time with a valid token of a role drawn
from every role, bounded in count and time.

A case fails on: a 5xx; no answer within the timeout; a masked unexpected error
(Strawberry's "Unexpected error." anywhere in the answer); or a mutation
answered with a typed failure (or only errors) after which the log's position
moved: a refused command must record nothing. Nothing else writes while it runs.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC
from typing import Any

import graphql
import httpx
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from hypothesis_graphql import mutations, nodes, queries

from bench.harness import ROOT

SCHEMA_FILE = ROOT / "schema.graphql"
MASKED = "Unexpected error."
FAILURES = frozenset(
    {
        "ValidationFailed",
        "NotFound",
        "NotPermitted",
        "Refused",
        "VersionConflict",
        "ImportRejected",
        "NotYetProjected",
    }
)
TYPENAME_ALIAS = "wmTypename"
TIMEOUT = 30.0


@dataclass
class FuzzResult:
    cases: int = 0
    queries: int = 0
    mutations: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    #: What the root fields answered, by type (or "errors" for none).
    answers: Counter[str] = field(default_factory=Counter)
    examples: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0

    def fail(self, kind: str, document: str, role: str, detail: str) -> None:
        self.failures[kind] += 1
        if sum(1 for e in self.examples if e["kind"] == kind) < 3:
            self.examples.append(
                {
                    "kind": kind,
                    "role": role,
                    "detail": detail[:300],
                    "document": document[:600],
                }
            )


def _json_node(pairs: dict[str, str]) -> graphql.ObjectValueNode:
    return nodes.Object(
        [
            graphql.ObjectFieldNode(
                name=graphql.NameNode(value=k), value=nodes.String(v)
            )
            for k, v in pairs.items()
        ]
    )


def scalars(known_ids: Sequence[str]) -> dict[str, st.SearchStrategy[Any]]:
    """Values for the schema's custom scalars: ids mostly of real cases and steps
    (so commands reach the rules, not just NotFound), dates, money, JSON."""
    ids = st.sampled_from(list(known_ids)) if known_ids else st.uuids().map(str)
    return {
        "UUID": st.one_of(ids, ids, st.uuids().map(str)).map(nodes.String),
        "Date": st.dates().map(lambda d: nodes.String(d.isoformat())),
        "DateTime": st.datetimes(timezones=st.just(UTC)).map(
            lambda d: nodes.String(d.isoformat())
        ),
        "Decimal": st.decimals(allow_nan=False, allow_infinity=False, places=2).map(
            nodes.String
        ),
        "JSON": st.dictionaries(
            st.sampled_from(["outcome", "tenure", "amount", "mode", "x"]),
            st.text(max_size=20),
            max_size=3,
        ).map(_json_node),
    }


def with_typenames(document: graphql.DocumentNode) -> str:
    """The document with ``__typename`` asked of every root field that has a
    selection, so a typed failure can be told from a success."""
    typename = graphql.FieldNode(
        alias=graphql.NameNode(value=TYPENAME_ALIAS),
        name=graphql.NameNode(value="__typename"),
    )
    definitions = []
    for definition in document.definitions:
        if isinstance(definition, graphql.OperationDefinitionNode):
            selections = tuple(
                replace(
                    s,
                    selection_set=replace(
                        s.selection_set,
                        selections=(typename, *s.selection_set.selections),
                    ),
                )
                if isinstance(s, graphql.FieldNode) and s.selection_set
                else s
                for s in definition.selection_set.selections
            )
            definition = replace(
                definition,
                selection_set=replace(definition.selection_set, selections=selections),
            )
        definitions.append(definition)
    return graphql.print_ast(replace(document, definitions=tuple(definitions)))


def fuzz(
    url: str,
    tokens: dict[str, str],
    known_ids: Sequence[str],
    log_position: Callable[[], int],
    *,
    cases: int,
    seconds: float,
    seed_value: int,
    progress: Callable[[str], None],
) -> FuzzResult:
    schema = graphql.build_schema(SCHEMA_FILE.read_text())
    custom = scalars(known_ids)
    assert schema.mutation_type is not None
    identity: Callable[[graphql.DocumentNode], graphql.DocumentNode] = lambda d: d  # noqa: E731
    query = queries(schema, custom_scalars=custom, print_ast=identity)
    mutation = st.one_of(
        *[
            mutations(schema, fields=[name], custom_scalars=custom, print_ast=identity)
            for name in sorted(schema.mutation_type.fields)
        ]
    )
    # Half queries, half mutations (one_of would flatten the mutations' branches
    # in with the query's and draw a query one time in seventeen).
    operations = st.booleans().flatmap(
        lambda is_query: (
            query.map(lambda d: ("query", d))
            if is_query
            else mutation.map(lambda d: ("mutation", d))
        )
    )
    result = FuzzResult()
    started = time.monotonic()
    last_report = started
    http = httpx.Client(timeout=TIMEOUT)

    @settings(
        max_examples=cases,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @seed(seed_value)
    @given(operation=operations, role=st.sampled_from(sorted(tokens)))
    def one(operation: tuple[str, graphql.DocumentNode], role: str) -> None:
        nonlocal last_report
        if time.monotonic() - started > seconds or result.cases >= cases:
            return
        kind, node = operation
        document = with_typenames(node)
        result.cases += 1
        if kind == "query":
            result.queries += 1
        else:
            result.mutations += 1
        before = log_position() if kind == "mutation" else 0
        try:
            response = http.post(
                f"{url}/graphql",
                json={"query": document},
                headers={
                    "Authorization": f"Bearer {tokens[role]}",
                    "X-Request-Id": str(uuid.uuid4()),
                },
            )
        except httpx.TimeoutException:
            result.fail("unanswered", document, role, f"none within {TIMEOUT:.0f} s")
            return
        except httpx.TransportError as error:
            result.fail("connection failed", document, role, repr(error))
            return
        result.statuses[response.status_code] += 1
        if response.status_code >= 500:
            result.fail(
                "5xx", document, role, f"{response.status_code} {response.text}"
            )
        if MASKED in response.text:
            result.fail("masked unexpected error", document, role, response.text)
        _count_answers(result, response)
        if kind == "mutation":
            _check_refusal(result, response, document, role, before, log_position())
        if time.monotonic() - last_report >= 10:
            last_report = time.monotonic()
            progress(
                f"fuzz: {result.cases} cases, {sum(result.failures.values())} failures"
            )

    try:
        one()
    finally:
        http.close()
        result.seconds = time.monotonic() - started
    return result


def _check_refusal(
    result: FuzzResult,
    response: httpx.Response,
    document: str,
    role: str,
    before: int,
    after: int,
) -> None:
    try:
        body = response.json()
    except ValueError:
        body = {}
    data = body.get("data") if isinstance(body, dict) else None
    answers = list(data.values()) if isinstance(data, dict) else []
    typenames = [a.get(TYPENAME_ALIAS) for a in answers if isinstance(a, dict)]
    refused = (not answers or any(a is None for a in answers)) or all(
        name in FAILURES for name in typenames
    )
    if refused and after != before:
        result.fail(
            "refused command recorded",
            document,
            role,
            f"log {before} -> {after} after {response.text}",
        )


def _count_answers(result: FuzzResult, response: httpx.Response) -> None:
    try:
        body = response.json()
    except ValueError:
        result.answers["not JSON"] += 1
        return
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict):
        result.answers["errors"] += 1
        return
    for answer in data.values():
        name = answer.get(TYPENAME_ALIAS) if isinstance(answer, dict) else None
        result.answers[str(name or "a list or scalar")] += 1
