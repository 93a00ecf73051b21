"""The keys bearer tokens are checked with, and the algorithms each allows.

Three sources, chosen by the settings (``key_source``):

- Waymark's own secret (HS256), for tokens it mints itself;
- an identity provider's PEM public key (RS256, ``WAYMARK_TOKEN_PUBLIC_KEY``);
- an identity provider's published key set (JWKS): at ``WAYMARK_TOKEN_JWKS_URL``,
  or found by OpenID Connect discovery at the issuer's
  ``/.well-known/openid-configuration`` (``WAYMARK_TOKEN_DISCOVERY=yes``). The
  set is fetched when first needed, again when older than ``KEYS_MAX_AGE``, and
  again when a token names a key id (``kid``) it does not hold, at most once per
  ``REFRESH_INTERVAL``: a provider's new key is picked up at once, and a flood of
  made-up key ids costs one fetch a minute. A key the provider stops publishing
  is refused from the next fetch on.

Each key allows exactly one algorithm, never ``none`` and never a symmetric one
for a provider's key, so a token cannot choose how it is checked (signing with
the provider's public key as an HMAC secret is refused).
"""

from __future__ import annotations

import ipaddress
import logging
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

import jwt
import orjson

logger = logging.getLogger(__name__)

LOCAL_ALGORITHM = "HS256"
PROVIDER_ALGORITHM = "RS256"
#: Algorithms a provider's published key may name: asymmetric only.
PROVIDER_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"}
)
#: A published key set is fetched again when older than this (seconds)...
KEYS_MAX_AGE = 3600.0
#: ...or when a token names an unknown key, but not more often than this.
REFRESH_INTERVAL = 60.0
#: Fetching a key set or discovery document: its time and size, at most.
FETCH_TIMEOUT = 5.0
MAX_DOCUMENT_BYTES = 1 << 20

Fetch = Callable[[str], object]


class KeysUnavailable(Exception):
    """No key can be had to check this token; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class SigningKey:
    key: object
    algorithm: str


class KeySource(Protocol):
    #: Changes whenever the keys change: what was verified before is checked again.
    @property
    def generation(self) -> int: ...

    def key_for(self, header: Mapping[str, object]) -> SigningKey:
        """The key to check a token with this (unverified) header."""
        ...


@dataclass(frozen=True)
class FixedKey:
    """One key, one algorithm: the local secret, or a provider's PEM key."""

    signing: SigningKey
    generation: int = 0

    def key_for(self, header: Mapping[str, object]) -> SigningKey:
        return self.signing


class PublishedKeys:
    """An identity provider's JWKS, fetched and kept as described above."""

    def __init__(
        self,
        locate: Callable[[], str],
        *,
        fetch: Fetch | None = None,
        clock: Callable[[], float] = time.monotonic,
        max_age: float = KEYS_MAX_AGE,
        refresh_interval: float = REFRESH_INTERVAL,
    ) -> None:
        self._locate = locate
        self._fetch = fetch or fetch_json
        self._clock = clock
        self.max_age = max_age
        self.refresh_interval = refresh_interval
        self._url: str | None = None
        self._keys: dict[str, SigningKey] = {}
        self._fetched_at: float | None = None
        self._tried_at: float | None = None
        self._lock = threading.Lock()
        self.generation = 0
        #: Fetches made, for tests and logs.
        self.fetches = 0

    def key_for(self, header: Mapping[str, object]) -> SigningKey:
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise KeysUnavailable("the token names no key ('kid' header)")
        with self._lock:
            now = self._clock()
            stale = self._fetched_at is None or now - self._fetched_at > self.max_age
            if (stale or kid not in self._keys) and self._may_try(now):
                self._refresh(now)
            found = self._keys.get(kid)
        if found is None:
            raise KeysUnavailable(
                "the token's key is not one the identity provider publishes"
            )
        return found

    def _may_try(self, now: float) -> bool:
        return self._tried_at is None or now - self._tried_at >= self.refresh_interval

    def _refresh(self, now: float) -> None:
        self._tried_at = now
        try:
            if self._url is None:
                self._url = self._locate()
            self.fetches += 1
            keys = parse_key_set(self._fetch(self._url))
        except (KeysUnavailable, OSError, ValueError) as error:
            reason = getattr(error, "reason", None) or type(error).__name__
            logger.warning("identity provider's keys not fetched: %s", reason)
            if not self._keys:
                raise KeysUnavailable(
                    "the identity provider's keys cannot be fetched now; try again "
                    "shortly"
                ) from None
            return  # keep the keys already held until a fetch succeeds
        if keys != self._keys:
            self.generation += 1
        self._keys = keys
        self._fetched_at = now


def parse_key_set(document: object) -> dict[str, SigningKey]:
    """A JWKS's usable signing keys by id; symmetric and unnamed ones left out."""
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise KeysUnavailable("the key set is not a JWKS document")
    keys: dict[str, SigningKey] = {}
    for entry in document["keys"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("kid"), str):
            continue
        if entry.get("use", "sig") != "sig" or entry.get("kty") == "oct":
            continue
        try:
            jwk = jwt.PyJWK(entry)
        except jwt.PyJWTError:
            continue
        if jwk.algorithm_name in PROVIDER_ALGORITHMS:
            keys[entry["kid"]] = SigningKey(jwk.key, jwk.algorithm_name)
    return keys


def discovered_key_set_url(issuer: str, fetch: Fetch) -> str:
    """The ``jwks_uri`` an OpenID Connect issuer publishes (its discovery
    document must name the same issuer)."""
    config = fetch(issuer.rstrip("/") + "/.well-known/openid-configuration")
    if not isinstance(config, dict) or not isinstance(config.get("jwks_uri"), str):
        raise KeysUnavailable("the issuer's discovery document names no jwks_uri")
    if config.get("issuer") != issuer:
        raise KeysUnavailable(
            "the discovery document is for another issuer than WAYMARK_TOKEN_ISSUER"
        )
    url: str = config["jwks_uri"]
    check_fetchable(url)
    return url


def check_fetchable(url: str) -> None:
    """Keys come over HTTPS, or plain HTTP from this machine only."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and _is_loopback(parts.hostname or ""):
        return
    raise ValueError(f"keys are fetched over https, not from {url!r}")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def fetch_json(url: str) -> object:
    """A JSON document over HTTP(S), bounded in time and size."""
    check_fetchable(url)
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:
        body = response.read(MAX_DOCUMENT_BYTES + 1)
    if len(body) > MAX_DOCUMENT_BYTES:
        raise ValueError(f"{url} answered more than {MAX_DOCUMENT_BYTES} bytes")
    return orjson.loads(body)


__all__ = [
    "LOCAL_ALGORITHM",
    "PROVIDER_ALGORITHM",
    "FixedKey",
    "KeySource",
    "KeysUnavailable",
    "PublishedKeys",
    "SigningKey",
    "discovered_key_set_url",
    "fetch_json",
    "parse_key_set",
]
