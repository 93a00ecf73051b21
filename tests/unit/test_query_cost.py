"""A query's cost is measured in one pass, each fragment once, whatever the
document stands for once its fragments are expanded."""

from __future__ import annotations

from graphql import parse

from api.graphql import build_schema
from api.graphql.query_cost import (
    REFUSAL_CODE,
    Cost,
    QueryLimits,
    measure,
    measure_counting,
)


def doubling_fragments(levels: int) -> str:
    """Each fragment spreads the one below twice: a few hundred characters that
    stand for 2^levels fields."""
    fragments = ["fragment F0 on Query { viewer { subject } }"]
    fragments += [
        f"fragment F{n} on Query {{ ...F{n - 1} ...F{n - 1} }}"
        for n in range(1, levels + 1)
    ]
    return f"query {{ ...F{levels} }} " + " ".join(fragments)


def test_fragments_that_double_at_each_level_are_measured_once_each() -> None:
    document = parse(doubling_fragments(25))

    cost, walked = measure_counting(document)

    assert walked == 26
    assert cost == Cost(fields=2 * 2**25, depth=1, aliases=0)


def test_a_hundred_levels_of_doubling_are_measured_as_quickly() -> None:
    # Walking every spread again would take longer than the universe has left.
    cost, walked = measure_counting(parse(doubling_fragments(100)))

    assert walked == 101
    assert cost.fields > QueryLimits().max_fields


def test_the_doubling_query_is_refused_as_too_costly_before_it_runs() -> None:
    schema = build_schema()

    result = schema.execute_sync(doubling_fragments(25))

    assert result.data is None
    assert result.errors is not None
    (error,) = result.errors
    assert error.extensions == {"code": REFUSAL_CODE}
    assert f"{2 * 2**25} field selections (at most 2000)" in error.message


def test_depth_counts_nested_selections_and_ignores_introspection() -> None:
    deepest = (
        "query($id: UUID!) { chronology(caseId: $id) { ... on Chronology {"
        " rows { history { sources { cite } } } } } }"
    )
    introspection = "{ __schema { types { fields { type { ofType { name } } } } } }"

    assert measure(parse(deepest)).depth == 4
    assert measure(parse(introspection)).depth == 0
    refusal = QueryLimits(max_depth=3).refusal(parse(deepest))
    assert refusal is not None
    assert "depth 4 (at most 3)" in refusal.message


def test_aliases_count_wherever_their_fragment_is_spread() -> None:
    document = parse(
        "query { ...A ...B } fragment A on Query { a: viewer { r: role } } "
        "fragment B on Query { ...A b: viewer { role } }"
    )

    assert measure(document) == Cost(fields=6, depth=1, aliases=5)


def test_cyclic_and_unknown_fragments_end_the_measure() -> None:
    document = parse(
        "query { ...A ...Missing } fragment A on Query { viewer { role } ...B } "
        "fragment B on Query { ...A }"
    )

    assert measure(document).fields == 2
    errors = (
        build_schema()
        .execute_sync(
            "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }"
        )
        .errors
    )
    assert errors is not None
    assert "Cannot spread fragment 'A' within itself" in errors[0].message
