"""The API's guard settings: identity provider, GraphiQL, introspection, rate
and body limits, read from the environment and refused by name when unusable;
and what `waymark serve` prints about tokens."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from api.cli import _describe_tokens
from api.log_redaction import REDACTED, Redaction
from api.settings import Settings

SECRET = {"WAYMARK_TOKEN_SECRET": "s" * 40}


def read(tmp_path: Path, **environ: str) -> Settings:
    return Settings.from_environ({**SECRET, **environ}, workdir=tmp_path)


def test_by_default_graphiql_and_introspection_are_off_and_limits_on(
    tmp_path: Path,
) -> None:
    settings = read(tmp_path)

    assert (settings.graphiql, settings.introspection) == (False, False)
    assert (settings.rate_per_second, settings.rate_burst) == (20.0, 200)
    assert settings.max_body_bytes == 1 << 20
    assert not settings.uses_identity_provider


def test_each_guard_setting_is_read_from_its_variable(tmp_path: Path) -> None:
    settings = read(
        tmp_path,
        WAYMARK_GRAPHIQL="yes",
        WAYMARK_INTROSPECTION="on",
        WAYMARK_RATE_PER_SECOND="2.5",
        WAYMARK_RATE_BURST="10",
        WAYMARK_MAX_BODY_BYTES="65536",
        WAYMARK_TOKEN_JWKS_URL="https://idp.example/keys",
    )

    assert (settings.graphiql, settings.introspection) == (True, True)
    assert (settings.rate_per_second, settings.rate_burst) == (2.5, 10)
    assert settings.max_body_bytes == 65536
    assert settings.uses_identity_provider
    assert read(tmp_path, WAYMARK_TOKEN_DISCOVERY="yes").token_discovery


@pytest.mark.parametrize(
    ("variable", "value", "words"),
    [
        ("WAYMARK_GRAPHIQL", "maybe", "yes or no"),
        ("WAYMARK_RATE_PER_SECOND", "-1", "from 0 to"),
        ("WAYMARK_RATE_PER_SECOND", "fast", "a number"),
        ("WAYMARK_RATE_BURST", "0", "whole number from 1"),
        ("WAYMARK_MAX_BODY_BYTES", "1.5", "whole number"),
        ("WAYMARK_MAX_BODY_BYTES", str(1 << 30), "67,108,864"),
    ],
)
def test_an_unusable_guard_setting_is_refused_by_name(
    tmp_path: Path, variable: str, value: str, words: str
) -> None:
    with pytest.raises(ValueError, match=variable) as caught:
        read(tmp_path, **{variable: value})
    assert words in str(caught.value)


def test_serve_prints_a_token_only_for_the_demo(tmp_path: Path) -> None:
    settings = read(tmp_path)

    assert "Bearer ey" in _describe_tokens(settings, demo=True)
    assert "Bearer" not in _describe_tokens(settings, demo=False)
    assert "waymark token" in _describe_tokens(settings, demo=False)
    provider = read(tmp_path, WAYMARK_TOKEN_JWKS_URL="https://idp.example/keys")
    assert "identity provider" in _describe_tokens(provider, demo=True)


def record(name: str, message: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord(name, logging.INFO, __file__, 1, message, args, None)


#: Shaped like a JWT, as the redaction looks for.
JWT_LIKE = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"


def access_record(path: str, status: int) -> logging.LogRecord:
    """An access line as uvicorn logs it: its fields as the arguments."""
    return record(
        "uvicorn.access",
        '%s - "%s %s HTTP/%s" %d',
        "127.0.0.1:5000",
        "GET",
        path,
        "1.1",
        status,
    )


def test_logs_never_carry_tokens_nor_query_strings() -> None:
    jwt_like = JWT_LIKE
    access = access_record(f"/graphql?query=x&token={jwt_like}", 200)
    leaked = record("api.app", "header was %s", f"Bearer {jwt_like}")
    bare = record("api.app", "saw %s", jwt_like)

    for entry in (access, leaked, bare):
        assert Redaction().filter(entry)
        assert jwt_like not in entry.getMessage()
    assert access.getMessage() == '127.0.0.1:5000 - "GET /graphql HTTP/1.1" 200'
    assert leaked.getMessage() == f"header was {REDACTED}"


def test_an_access_line_with_a_token_in_its_path_is_written_redacted() -> None:
    """A JWT-shaped path used to fold the access line's arguments into its
    message, which uvicorn's access formatter cannot read: the line became a
    logging error, so a request could hide itself from the access log."""
    from uvicorn.logging import AccessFormatter

    jwt_like = JWT_LIKE
    access = access_record(f"/exports/{jwt_like}", 404)
    assert Redaction().filter(access)
    formatter = AccessFormatter(
        "%(client_addr)s %(request_line)s %(status_code)s", use_colors=False
    )

    line = formatter.format(access)

    assert jwt_like not in line
    assert line == f"127.0.0.1:5000 GET /exports/{REDACTED} HTTP/1.1 404 Not Found"
