"""Who is asking, and what they may see and change.

Callers present a bearer JWT. Locally Waymark signs its own (HS256 with the
configured secret); a deployment may instead trust an organisation's identity
provider by configuring its RS256 public key, and then accepts nothing else.

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

from api.settings import Settings

#: Tolerated clock difference between the token's signer and this server.
CLOCK_LEEWAY = timedelta(seconds=30)
LOCAL_ALGORITHM = "HS256"
PROVIDER_ALGORITHM = "RS256"
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
    if settings.token_public_key:
        raise TokenMintingUnavailable(
            "this deployment verifies tokens signed by its identity provider "
            "(WAYMARK_TOKEN_PUBLIC_KEY is set); obtain tokens there"
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


def authenticate(settings: Settings, authorization_header: str | None) -> Principal:
    """The caller named by an ``Authorization: Bearer <jwt>`` header.

    Raises ``AuthenticationFailed`` with a reason fit to show the caller.
    """
    token = _bearer_token(authorization_header)
    check_token_settings(settings)
    if settings.token_public_key:
        key, algorithm = settings.token_public_key, PROVIDER_ALGORITHM
    else:
        key, algorithm = settings.token_secret, LOCAL_ALGORITHM
    try:
        claims = jwt.decode(
            token,
            key,
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
    subject = claims["sub"]
    organisation_id = claims.get("organisation_id")
    if not isinstance(organisation_id, str | None):
        raise AuthenticationFailed("the token's 'organisation_id' must be a string")
    try:
        role = _role(claims["role"])
        _check_subject(subject)
        _check_organisation(role, organisation_id)
    except ValueError as error:
        raise AuthenticationFailed(f"the token is not valid ({error})") from None
    return Principal(subject=subject, role=role, organisation_id=organisation_id)


def check_token_settings(settings: Settings) -> None:
    """Fails fast on settings that could never verify a token."""
    if settings.token_public_key:
        if not has_crypto:
            raise RuntimeError(
                "verifying RS256 tokens needs the 'cryptography' package "
                "(install pyjwt[crypto]) because WAYMARK_TOKEN_PUBLIC_KEY is set"
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
    "mint_token",
]


class TokenVerifier:
    """Authenticates callers, remembering tokens it has verified until they expire.

    Verifying a signature costs more than the rest of a small request's
    authentication; a client sends the same token with every request.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        remembered: int = 1024,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self.remembered = remembered
        self.clock = clock
        self._verified: dict[str, tuple[Principal, float]] = {}

    def authenticate(self, authorization_header: str | None) -> Principal:
        header = authorization_header or ""
        known = self._verified.get(header)
        now = self.clock()
        if known is not None and now < known[1]:
            return known[0]
        principal = authenticate(self.settings, authorization_header)
        expires = _expiry(_bearer_token(header))
        if len(self._verified) >= self.remembered:
            self._verified.clear()
        self._verified[header] = (principal, expires)
        return principal


def _expiry(token: str) -> float:
    """The verified token's own expiry (its signature was checked just before)."""
    claims = jwt.decode(token, options={"verify_signature": False})
    return float(claims["exp"])
