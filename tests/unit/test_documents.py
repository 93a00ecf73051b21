"""Documents are checked for size before parsing, and kept checked by the hash
of their text in a cache of bounded size."""

from __future__ import annotations

import hashlib

from api.graphql import build_schema
from api.graphql.documents import (
    CACHE_SIZE,
    CACHED_CHARACTERS,
    MAX_QUERY_CHARACTERS,
    TOO_LARGE_CODE,
    DocumentGuard,
)

QUERY = "{ stepKinds { code } }"


def guard_of(schema: object) -> DocumentGuard:
    extensions = schema.get_extensions()  # type: ignore[attr-defined]
    return next(e for e in extensions if isinstance(e, DocumentGuard))


def test_comments_count_toward_the_size_of_a_query() -> None:
    # Comments are no tokens, so the token limit alone let megabytes through.
    padded = "# " + "x" * MAX_QUERY_CHARACTERS + "\n" + QUERY

    result = build_schema().execute_sync(padded)

    assert result.errors is not None
    (error,) = result.errors
    assert error.extensions == {"code": TOO_LARGE_CODE}
    assert "comments included" in error.message
    assert build_schema().execute_sync(QUERY).errors is None


def test_a_document_is_kept_by_the_hash_of_its_text_and_reused() -> None:
    schema = build_schema()
    checks = guard_of(schema).checks

    schema.execute_sync(QUERY)
    kept = checks.checked.get(hashlib.sha256(QUERY.encode()).digest())
    schema.execute_sync(QUERY)

    assert kept is not None
    assert kept.errors == ()
    assert len(checks.checked) == 1
    assert kept.document.loc is not None
    assert kept.document.loc.source.body == QUERY


def test_the_cache_holds_a_bounded_number_of_small_documents() -> None:
    schema = build_schema()
    checks = guard_of(schema).checks

    for n in range(CACHE_SIZE + 20):
        schema.execute_sync(f"{{ stepKinds {{ code }} }} # {n}")
    schema.execute_sync("{ stepKinds { code } } #" + " " * CACHED_CHARACTERS)

    assert len(checks.checked) == CACHE_SIZE
    assert (
        checks.checked.get(hashlib.sha256(b"{ stepKinds { code } } # 0").digest())
        is None
    )


def test_invalid_documents_are_remembered_with_their_errors() -> None:
    schema = build_schema()

    first = schema.execute_sync("{ noSuchField }")
    second = schema.execute_sync("{ noSuchField }")

    assert first.errors is not None and second.errors is not None
    assert [e.message for e in first.errors] == [e.message for e in second.errors]


def test_introspection_is_refused_where_it_is_off() -> None:
    query = "{ __schema { queryType { name } } }"

    closed = build_schema(introspection=False).execute_sync(query)
    open_ = build_schema(introspection=True).execute_sync(query)

    assert closed.errors is not None
    assert "introspection" in closed.errors[0].message.lower()
    assert open_.errors is None
    assert (
        build_schema(introspection=False).execute_sync("{ __typename }").errors is None
    )
