"""An identity provider's published keys (JWKS): found by discovery, fetched
over HTTP, refreshed when a token names a new key, and no way round them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from api.auth import (
    AuthenticationFailed,
    TokenMintingUnavailable,
    TokenVerifier,
    key_source,
    mint_token,
)
from api.settings import Settings
from api.token_keys import REFRESH_INTERVAL, PublishedKeys, parse_key_set


class Provider:
    """A test identity provider on 127.0.0.1: a discovery document and a key
    set that can be rotated, with a count of the fetches made."""

    def __init__(self) -> None:
        self.keys: dict[str, rsa.RSAPrivateKey] = {}
        self.fetches: list[str] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                provider.fetches.append(self.path)
                if self.path == "/.well-known/openid-configuration":
                    body = {
                        "issuer": provider.issuer,
                        "jwks_uri": f"{provider.issuer}/keys",
                    }
                elif self.path == "/keys":
                    body = provider.key_set()
                else:
                    self.send_error(404)
                    return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler

    def key_set(self) -> dict[str, Any]:
        published = []
        for kid, key in self.keys.items():
            jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
            published.append({**jwk, "kid": kid, "alg": "RS256", "use": "sig"})
        return {"keys": published}

    def rotate_to(self, kid: str) -> None:
        self.keys = {
            kid: rsa.generate_private_key(public_exponent=65537, key_size=2048)
        }

    def token(self, kid: str, **claims: Any) -> str:
        now = datetime.now(UTC)
        payload = {
            "sub": "idp-advocate",
            "role": "advocate",
            "organisation_id": "org-north",
            "iss": self.issuer,
            "aud": "waymark",
            "iat": now,
            "exp": now + timedelta(hours=1),
            **claims,
        }
        return jwt.encode(
            payload, self.keys[kid], algorithm="RS256", headers={"kid": kid}
        )

    def public_pem(self, kid: str) -> bytes:
        return (
            self.keys[kid]
            .public_key()
            .public_bytes(
                serialization.Encoding.PEM,
                serialization.PublicFormat.SubjectPublicKeyInfo,
            )
        )


@pytest.fixture
def provider() -> Iterator[Provider]:
    provider = Provider()
    provider.rotate_to("key-1")
    thread = threading.Thread(target=provider.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        provider.server.shutdown()
        provider.server.server_close()


def settings_for(provider: Provider) -> Settings:
    return Settings(
        persistence={},
        token_secret="unused-local-secret-" + "q" * 32,
        token_issuer=provider.issuer,
        token_audience="waymark",
        token_public_key=None,
        token_discovery=True,
    )


def verifier_for(provider: Provider, now: list[float]) -> TokenVerifier:
    settings = settings_for(provider)
    return TokenVerifier(settings, keys=key_source(settings, clock=lambda: now[0]))


def refusal(verifier: TokenVerifier, token: str) -> str:
    with pytest.raises(AuthenticationFailed) as caught:
        verifier.authenticate(f"Bearer {token}")
    return caught.value.reason


def test_the_providers_keys_are_found_by_discovery_and_its_tokens_accepted(
    provider: Provider,
) -> None:
    verifier = verifier_for(provider, [0.0])

    principal = verifier.authenticate(f"Bearer {provider.token('key-1')}")

    assert principal.subject == "idp-advocate"
    assert provider.fetches == ["/.well-known/openid-configuration", "/keys"]
    with pytest.raises(TokenMintingUnavailable):
        mint_token(
            settings_for(provider), subject="x", role="advocate", organisation_id="o"
        )


def test_after_a_rotation_the_new_key_is_picked_up_and_the_old_one_refused(
    provider: Provider,
) -> None:
    now = [0.0]
    verifier = verifier_for(provider, now)
    old_token = provider.token("key-1")
    assert verifier.authenticate(f"Bearer {old_token}").subject == "idp-advocate"

    provider.rotate_to("key-2")
    now[0] += REFRESH_INTERVAL
    new_token = provider.token("key-2", sub="idp-manager")

    assert verifier.authenticate(f"Bearer {new_token}").subject == "idp-manager"
    assert provider.fetches.count("/keys") == 2
    # Remembered before the rotation, the old token is checked again, and fails.
    assert refusal(verifier, old_token) == (
        "the token's key is not one the identity provider publishes"
    )


def test_unknown_key_ids_refresh_the_keys_at_most_once_a_minute(
    provider: Provider,
) -> None:
    now = [0.0]
    verifier = verifier_for(provider, now)
    verifier.authenticate(f"Bearer {provider.token('key-1')}")
    now[0] += REFRESH_INTERVAL

    for n in range(5):
        made_up = jwt.encode(
            {"sub": "x"},
            provider.keys["key-1"],
            algorithm="RS256",
            headers={"kid": f"x{n}"},
        )
        now[0] += 1
        assert "not one the identity provider publishes" in refusal(verifier, made_up)

    assert provider.fetches.count("/keys") == 2  # the first, and one refresh


def hs256_with(secret: bytes, payload: dict[str, Any], kid: str) -> str:
    """An HS256 token made by hand: PyJWT itself refuses a PEM as HMAC secret."""

    def part(value: dict[str, Any]) -> str:
        text = json.dumps(value, default=lambda d: int(d.timestamp())).encode()
        return base64.urlsafe_b64encode(text).rstrip(b"=").decode()

    signing_input = (
        f"{part({'alg': 'HS256', 'typ': 'JWT', 'kid': kid})}.{part(payload)}"
    )
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return (
        f"{signing_input}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"
    )


def test_the_providers_public_key_used_as_an_hmac_secret_is_refused(
    provider: Provider,
) -> None:
    verifier = verifier_for(provider, [0.0])
    now = datetime.now(UTC)
    claims = {
        "sub": "intruder",
        "role": "administrator",
        "iss": provider.issuer,
        "aud": "waymark",
        "iat": now,
        "exp": now + timedelta(hours=1),
    }
    confused = hs256_with(provider.public_pem("key-1"), claims, "key-1")
    unsigned = jwt.encode(claims, None, algorithm="none", headers={"kid": "key-1"})

    assert refusal(verifier, confused) == "the token must be signed with RS256"
    assert refusal(verifier, unsigned) == "the token must be signed with RS256"
    # The same with a PEM public key configured instead of a key set.
    pem = replace(
        settings_for(provider),
        token_discovery=False,
        token_public_key=provider.public_pem("key-1").decode(),
    )
    assert (
        refusal(TokenVerifier(pem), confused) == "the token must be signed with RS256"
    )


def test_a_token_for_another_issuer_or_audience_or_expired_is_refused(
    provider: Provider,
) -> None:
    verifier = verifier_for(provider, [0.0])
    past = datetime.now(UTC) - timedelta(hours=2)

    assert "untrusted issuer" in refusal(verifier, provider.token("key-1", iss="evil"))
    assert "another audience" in refusal(verifier, provider.token("key-1", aud="x"))
    assert refusal(
        verifier, provider.token("key-1", iat=past, exp=past + timedelta(hours=1))
    ) == ("the token has expired")
    assert "names no key" in refusal(
        verifier,
        jwt.encode({"sub": "x"}, provider.keys["key-1"], algorithm="RS256"),
    )


def test_a_key_set_keeps_only_asymmetric_signing_keys_with_ids() -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    rsa_jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    document = {
        "keys": [
            {**rsa_jwk, "kid": "good", "alg": "RS256"},
            {**rsa_jwk, "kid": "encryption", "use": "enc"},
            {**rsa_jwk},  # no kid
            {"kty": "oct", "kid": "shared", "k": "c2VjcmV0", "alg": "HS256"},
        ]
    }

    assert list(parse_key_set(document)) == ["good"]


def test_an_unreachable_provider_is_a_clear_refusal() -> None:
    def unreachable(url: str) -> object:
        raise OSError("connection refused")

    keys = PublishedKeys(lambda: "https://idp.invalid/keys", fetch=unreachable)
    settings = Settings(
        persistence={},
        token_secret="unused-local-secret-" + "q" * 32,
        token_issuer="https://idp.invalid",
        token_audience="waymark",
        token_public_key=None,
        token_jwks_url="https://idp.invalid/keys",
    )
    verifier = TokenVerifier(settings, keys=keys)
    token = jwt.encode({"sub": "x"}, "k" * 32, algorithm="HS256", headers={"kid": "a"})

    assert "cannot be fetched now" in refusal(verifier, token)
