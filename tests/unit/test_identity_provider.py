"""The issuer's origin is written into every response's CSP: only a plain
https origin (http on loopback) gets there, and anything else stops startup."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.identity_provider import issuer_origin
from api.settings import Settings


@pytest.mark.parametrize(
    ("issuer", "origin"),
    [
        ("https://id.example.org/realms/imsa", "https://id.example.org"),
        ("https://ID.example.org:8443/", "https://id.example.org:8443"),
        ("http://127.0.0.1:8123", "http://127.0.0.1:8123"),
        ("http://localhost:9000/oidc", "http://localhost:9000"),
        ("https://[::1]:9/x", "https://[::1]:9"),
    ],
)
def test_the_origin_is_scheme_host_and_port(issuer: str, origin: str) -> None:
    assert issuer_origin(issuer) == origin


@pytest.mark.parametrize(
    ("issuer", "says"),
    [
        ("https://idp.example;frame-src *", "no plain host name"),
        ("https://idp *", "no plain host name"),
        ("https://idp.example,evil.example", "no plain host name"),
        ("https://user:pw@idp.example", "user name or password"),
        ("idp.example", "https address"),
        ("http://idp.example", "https address"),
        ("javascript:alert(1)", "https address"),
        ("https://idp.example:99999", "unusable port"),
    ],
)
def test_anything_else_is_refused_naming_the_setting(issuer: str, says: str) -> None:
    with pytest.raises(ValueError, match="WAYMARK_OIDC_ISSUER") as refused:
        issuer_origin(issuer)
    assert says in str(refused.value)


def test_settings_refuse_an_unusable_issuer_at_start(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="WAYMARK_OIDC_ISSUER"):
        Settings.from_environ(
            {"WAYMARK_OIDC_ISSUER": "https://idp.example; script-src *"},
            workdir=tmp_path,
        )
