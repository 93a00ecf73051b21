"""Who is asking, and what they may see and change.

Callers present a bearer JWT. Locally Waymark signs its own (HS256 with the
configured secret); a deployment may instead trust an organisation's identity
provider, by its RS256 public key or its published key set (JWKS, by URL or by
OpenID Connect discovery), and then accepts nothing else (``api.token_keys``).

Claims: ``sub`` (the person, recorded as ``recorded_by``), ``role``, and
``organisation_id`` (required for advocates, managers and counsel), with ``iss``,
``aud``, ``iat`` and ``exp`` checked against the settings.

What each role may do is decided in one place, ``api.policy``; a
``Principal`` only says who is asking.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

import jwt
from jwt.algorithms import has_crypto

from api.bounded import BoundedCache
from api.settings import Settings
from api.token_keys import (
    LOCAL_ALGORITHM,
    PROVIDER_ALGORITHM,
    Fetch,
    FixedKey,
    KeySource,
    KeysUnavailable,
    PublishedKeys,
    SigningKey,
    discovered_key_set_url,
    fetch_json,
)

#: Tolerated clock difference between the token's signer and this server.
CLOCK_LEEWAY = timedelta(seconds=30)
#: A bearer token longer than this is refused unread (characters).
MAX_TOKEN_LENGTH = 8192
REQUIRED_CLAIMS = ("sub", "role", "iss", "aud", "iat", "exp")


class Role(StrEnum):
    ADVOCATE = "advocate"
    MANAGER = "manager"
    COUNSEL = "counsel"
    EVALUATOR = "evaluator"
    ADMINISTRATOR = "administrator"


#: Roles whose tokens must name the organisation they act for.
ORGANISATION_ROLES = frozenset({Role.ADVOCATE, Role.MANAGER, Role.COUNSEL})


class AuthenticationFailed(Exception):
    """The request carries no usable credentials; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TokenMintingUnavailable(Exception):
    """This deployment trusts an identity provider, so it mints no tokens."""


@dataclass(frozen=True)
class Principal:
    """The authenticated caller: who, in which role, for which organisation.

    What they may do is ``api.policy``'s to decide. A counsel's organisation,
    if their token names one, decides nothing: counsel see what is shared with
    them as a person.
    """

    subject: str
    role: Role
    organisation_id: str | None


def mint_token(
    settings: Settings,
    *,
    subject: str,
    role: Role | str,
    organisation_id: str | None,
    ttl: timedelta = timedelta(hours=12),
) -> str:
    """A locally signed bearer token (HS256 with ``settings.token_secret``)."""
    if settings.uses_identity_provider:
        raise TokenMintingUnavailable(
            "this deployment verifies tokens signed by its identity provider "
            "(WAYMARK_TOKEN_PUBLIC_KEY, WAYMARK_TOKEN_JWKS_URL or "
            "WAYMARK_TOKEN_DISCOVERY is set); obtain tokens there"
        )
    role = _role(str(role))
    _check_subject(subject)
    _check_organisation(role, organisation_id)
    if ttl <= timedelta(0):
        raise ValueError("a token's lifetime must be positive")
    now = datetime.now(UTC)
    claims: dict[str, object] = {
        "sub": subject,
        "role": role.value,
        "iss": settings.token_issuer,
        "aud": settings.token_audience,
        "iat": now,
        "nbf": now,
        "exp": now + ttl,
    }
    if organisation_id is not None:
        claims["organisation_id"] = organisation_id
    return jwt.encode(claims, settings.token_secret, algorithm=LOCAL_ALGORITHM)


def authenticate(
    settings: Settings,
    authorization_header: str | None,
    keys: KeySource | None = None,
) -> Principal:
    """The caller named by an ``Authorization: Bearer <jwt>`` header.

    ``keys`` defaults to the settings' (``key_source``); pass one to keep a
    provider's published keys between calls. Raises ``AuthenticationFailed``
    with a reason fit to show the caller.
    """
    return _verified(settings, _bearer_token(authorization_header), keys)[0]


def _verified(
    settings: Settings, token: str, keys: KeySource | None
) -> tuple[Principal, float]:
    """The token's principal and expiry (a POSIX time), its signature checked."""
    check_token_settings(settings)
    keys = keys or key_source(settings)
    try:
        signing = keys.key_for(jwt.get_unverified_header(token))
    except KeysUnavailable as error:
        raise AuthenticationFailed(error.reason) from None
    except jwt.PyJWTError as error:
        raise AuthenticationFailed(f"the token is not valid ({error})") from None
    claims = _claims(settings, token, signing)
    subject, expires = claims["sub"], claims["exp"]
    organisation_id = claims.get("organisation_id")
    if not isinstance(organisation_id, str | None):
        raise AuthenticationFailed("the token's 'organisation_id' must be a string")
    try:
        role = _role(claims["role"])
        _check_subject(subject)
        _check_organisation(role, organisation_id)
    except ValueError as error:
        raise AuthenticationFailed(f"the token is not valid ({error})") from None
    assert isinstance(subject, str)  # _check_subject
    assert isinstance(expires, int | float)  # PyJWT checked it is a number
    principal = Principal(subject=subject, role=role, organisation_id=organisation_id)
    return principal, float(expires)


def _claims(settings: Settings, token: str, signing: SigningKey) -> dict[str, object]:
    algorithm = signing.algorithm
    try:
        claims: dict[str, object] = jwt.decode(
            token,
            signing.key,  # type: ignore[arg-type]
            algorithms=[algorithm],
            audience=settings.token_audience,
            issuer=settings.token_issuer,
            leeway=CLOCK_LEEWAY,
            options={"require": list(REQUIRED_CLAIMS)},
        )
    except jwt.ExpiredSignatureError:
        raise AuthenticationFailed("the token has expired") from None
    except jwt.ImmatureSignatureError:
        raise AuthenticationFailed("the token is not valid yet") from None
    except jwt.InvalidAudienceError:
        raise AuthenticationFailed("the token is for another audience") from None
    except jwt.InvalidIssuerError:
        raise AuthenticationFailed("the token is from an untrusted issuer") from None
    except jwt.MissingRequiredClaimError as error:
        raise AuthenticationFailed(f"the token has no {error.claim!r} claim") from None
    except jwt.InvalidAlgorithmError:
        raise AuthenticationFailed(
            f"the token must be signed with {algorithm}"
        ) from None
    except jwt.InvalidSignatureError:
        raise AuthenticationFailed("the token's signature does not verify") from None
    except jwt.PyJWTError as error:
        raise AuthenticationFailed(f"the token is not valid ({error})") from None
    return claims


def key_source(
    settings: Settings,
    *,
    fetch: Fetch | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> KeySource:
    """Where the settings say tokens' keys come from (``api.token_keys``)."""
    if settings.token_jwks_url or settings.token_discovery:
        fetcher = fetch or fetch_json
        jwks_url = settings.token_jwks_url

        def locate() -> str:
            if jwks_url:
                return jwks_url
            return discovered_key_set_url(settings.token_issuer, fetcher)

        return PublishedKeys(locate, fetch=fetcher, clock=clock)
    if settings.token_public_key:
        return FixedKey(SigningKey(settings.token_public_key, PROVIDER_ALGORITHM))
    return FixedKey(SigningKey(settings.token_secret, LOCAL_ALGORITHM))


def check_token_settings(settings: Settings) -> None:
    """Fails fast on settings that could never verify a token."""
    providers = [
        name
        for name, value in (
            ("WAYMARK_TOKEN_PUBLIC_KEY", settings.token_public_key),
            ("WAYMARK_TOKEN_JWKS_URL", settings.token_jwks_url),
            ("WAYMARK_TOKEN_DISCOVERY", settings.token_discovery),
        )
        if value
    ]
    if len(providers) > 1:
        raise RuntimeError(
            f"set one of {' and '.join(providers)}: each names the identity "
            "provider's keys"
        )
    if providers:
        if not has_crypto:
            raise RuntimeError(
                "verifying an identity provider's tokens needs the 'cryptography' "
                f"package (install pyjwt[crypto]) because {providers[0]} is set"
            )
    elif len(settings.token_secret.encode()) < 32:
        raise RuntimeError("the token secret must be at least 32 bytes long")


def _bearer_token(header: str | None) -> str:
    if not header or not header.strip():
        raise AuthenticationFailed(
            "send a bearer token: 'Authorization: Bearer <token>'"
        )
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationFailed(
            "the Authorization header must read 'Bearer <token>'"
        )
    if len(token) > MAX_TOKEN_LENGTH:
        raise AuthenticationFailed(
            f"the token is longer than {MAX_TOKEN_LENGTH} characters"
        )
    return token.strip()


def _role(value: object) -> Role:
    try:
        return Role(str(value))
    except ValueError:
        known = ", ".join(role.value for role in Role)
        raise ValueError(f"role {value!r} is not one of {known}") from None


def _check_subject(subject: object) -> None:
    if not isinstance(subject, str) or not subject.strip():
        raise ValueError("the subject must name the person")


def _check_organisation(role: Role, organisation_id: str | None) -> None:
    if role in ORGANISATION_ROLES and not (organisation_id or "").strip():
        raise ValueError(f"{role.value} tokens must name their organisation")


__all__ = [
    "AuthenticationFailed",
    "Principal",
    "Role",
    "TokenMintingUnavailable",
    "TokenVerifier",
    "authenticate",
    "check_token_settings",
    "key_source",
    "mint_token",
]


class TokenVerifier:
    """Authenticates callers, remembering tokens it has verified until they expire.

    Verifying a signature costs more than the rest of a small request's
    authentication; a client sends the same token with every request. Tokens are
    remembered by the token itself (however the header spells ``Bearer``), at
    most ``remembered`` of them, the least recently used forgotten first, and
    only while the keys they were checked with are unchanged.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        remembered: int = 1024,
        clock: Callable[[], float] = time.time,
        keys: KeySource | None = None,
    ) -> None:
        check_token_settings(settings)
        self.settings = settings
        self.clock = clock
        self.keys = keys or key_source(settings)
        self._verified: BoundedCache[str, tuple[Principal, float, int]] = BoundedCache(
            remembered
        )

    def remembered(self, authorization_header: str | None) -> Principal | None:
        """The caller, if this token was verified before (no key is fetched)."""
        try:
            token = _bearer_token(authorization_header)
        except AuthenticationFailed:
            return None
        known = self._verified.get(token)
        if known is None:
            return None
        principal, expires, generation = known
        if self.clock() < expires and generation == self.keys.generation:
            return principal
        self._verified.discard(token)
        return None

    def authenticate(self, authorization_header: str | None) -> Principal:
        """The caller; may fetch a provider's keys, so call it off the event loop
        unless ``remembered`` answered."""
        principal = self.remembered(authorization_header)
        if principal is not None:
            return principal
        token = _bearer_token(authorization_header)
        generation = self.keys.generation
        principal, expires = _verified(self.settings, token, self.keys)
        if generation == self.keys.generation:
            self._verified.put(token, (principal, expires, generation))
        return principal

    def __len__(self) -> int:
        return len(self._verified)
