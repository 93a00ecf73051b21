"""Bearer tokens and what each role may do with a case."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest

from api.auth import (
    AuthenticationFailed,
    Principal,
    Role,
    TokenMintingUnavailable,
    authenticate,
    mint_token,
)
from api.settings import Settings

SETTINGS = Settings(
    persistence={},
    token_secret="unit-test-secret-" + "y" * 32,
    token_issuer="waymark",
    token_audience="waymark",
    token_public_key=None,
)


def claims(**changes: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    base = {
        "sub": "advocate-1",
        "role": "advocate",
        "organisation_id": "org-north",
        "iss": "waymark",
        "aud": "waymark",
        "iat": now,
        "exp": now + timedelta(hours=1),
    }
    return {
        key: value for key, value in {**base, **changes}.items() if value is not ...
    }


def signed(secret: str = SETTINGS.token_secret, **changes: Any) -> str:
    return jwt.encode(claims(**changes), secret, algorithm="HS256")


def refusal(header: str | None, settings: Settings = SETTINGS) -> str:
    with pytest.raises(AuthenticationFailed) as caught:
        authenticate(settings, header)
    return caught.value.reason


def test_a_minted_token_authenticates_its_subject_role_and_organisation() -> None:
    token = mint_token(
        SETTINGS, subject="advocate-1", role="advocate", organisation_id="org-north"
    )

    principal = authenticate(SETTINGS, f"Bearer {token}")

    assert principal == Principal("advocate-1", Role.ADVOCATE, "org-north")


def test_administrators_and_evaluators_need_no_organisation() -> None:
    for role in (Role.ADMINISTRATOR, Role.EVALUATOR):
        token = mint_token(SETTINGS, subject="x", role=role, organisation_id=None)
        assert authenticate(SETTINGS, f"bearer {token}").role is role


def test_a_missing_or_malformed_header_is_refused_with_a_reason() -> None:
    assert "send a bearer token" in refusal(None)
    assert "send a bearer token" in refusal("  ")
    assert "must read 'Bearer <token>'" in refusal("Basic abc")
    assert "must read 'Bearer <token>'" in refusal("Bearer ")
    assert "not valid" in refusal("Bearer not.a.jwt")


def test_an_expired_token_is_refused() -> None:
    past = datetime.now(UTC) - timedelta(hours=2)
    token = signed(iat=past, exp=past + timedelta(hours=1))

    assert refusal(f"Bearer {token}") == "the token has expired"


def test_a_token_signed_with_another_key_is_refused() -> None:
    token = signed(secret="someone-elses-secret-" + "z" * 32)

    assert refusal(f"Bearer {token}") == "the token's signature does not verify"


def test_a_token_for_another_issuer_or_audience_is_refused() -> None:
    assert "untrusted issuer" in refusal(f"Bearer {signed(iss='elsewhere')}")
    assert "another audience" in refusal(f"Bearer {signed(aud='elsewhere')}")


def test_a_token_missing_a_required_claim_is_refused() -> None:
    for claim in ("sub", "role", "exp", "iat", "iss", "aud"):
        reason = refusal(f"Bearer {signed(**{claim: ...})}")
        assert claim in reason or "audience" in reason or "issuer" in reason, claim


def test_an_unsigned_token_is_refused() -> None:
    token = jwt.encode(claims(), key=None, algorithm="none")

    assert "signed with HS256" in refusal(f"Bearer {token}")


def test_a_token_with_an_unknown_role_or_no_organisation_is_refused() -> None:
    assert "role 'superuser'" in refusal(f"Bearer {signed(role='superuser')}")
    assert "must name their organisation" in refusal(
        f"Bearer {signed(organisation_id=...)}"
    )
    assert "must be a string" in refusal(f"Bearer {signed(organisation_id=7)}")


def test_minting_checks_what_it_signs() -> None:
    with pytest.raises(ValueError, match="role 'judge'"):
        mint_token(SETTINGS, subject="x", role="judge", organisation_id="o")
    with pytest.raises(ValueError, match="must name their organisation"):
        mint_token(SETTINGS, subject="x", role="counsel", organisation_id=None)
    with pytest.raises(ValueError, match="subject"):
        mint_token(SETTINGS, subject=" ", role="advocate", organisation_id="o")
    with pytest.raises(ValueError, match="lifetime"):
        mint_token(
            SETTINGS,
            subject="x",
            role="advocate",
            organisation_id="o",
            ttl=timedelta(0),
        )


def test_a_short_secret_is_a_configuration_error() -> None:
    weak = replace(SETTINGS, token_secret="short")

    with pytest.raises(RuntimeError, match="at least 32 bytes"):
        authenticate(weak, f"Bearer {signed()}")


def test_with_an_identity_providers_key_only_its_rs256_tokens_are_accepted() -> None:
    serialization = pytest.importorskip("cryptography.hazmat.primitives.serialization")
    rsa = pytest.importorskip("cryptography.hazmat.primitives.asymmetric.rsa")
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = (
        private_key.public_key()
        .public_bytes(
            serialization.Encoding.PEM,
            serialization.PublicFormat.SubjectPublicKeyInfo,
        )
        .decode()
    )
    provider = replace(SETTINGS, token_public_key=public_pem)
    token = jwt.encode(claims(sub="idp-user"), private_key, algorithm="RS256")

    assert authenticate(provider, f"Bearer {token}").subject == "idp-user"
    # A token signed with the public key as an HMAC secret (algorithm confusion).
    assert "signed with RS256" in refusal(f"Bearer {signed()}", provider)
    with pytest.raises(TokenMintingUnavailable):
        mint_token(provider, subject="x", role="advocate", organisation_id="o")


def test_without_cryptography_an_identity_providers_key_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("api.auth.has_crypto", False)
    provider = replace(SETTINGS, token_public_key="-----BEGIN PUBLIC KEY-----")

    with pytest.raises(RuntimeError, match=r"pyjwt\[crypto\]"):
        authenticate(provider, f"Bearer {signed()}")


def test_a_token_is_verified_once_and_again_only_after_it_expires(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import api.auth

    settings = SETTINGS
    now = [datetime.now(UTC).timestamp()]
    verifier = api.auth.TokenVerifier(settings, clock=lambda: now[0])
    token = mint_token(
        settings,
        subject="advocate-1",
        role="advocate",
        organisation_id="org-north",
        ttl=timedelta(minutes=5),
    )
    verified = []
    real = api.auth._verified
    monkeypatch.setattr(
        api.auth, "_verified", lambda *args: verified.append(1) or real(*args)
    )
    for _ in range(3):
        assert verifier.authenticate(f"Bearer {token}").subject == "advocate-1"
    assert len(verified) == 1
    now[0] += 5 * 60 + 1
    verifier.authenticate(f"Bearer {token}")
    assert len(verified) == 2


def test_a_bad_token_is_never_remembered() -> None:
    from api.auth import TokenVerifier

    verifier = TokenVerifier(SETTINGS)
    for _ in range(2):
        with pytest.raises(AuthenticationFailed):
            verifier.authenticate("Bearer not-a-token")


def test_a_token_is_remembered_by_the_token_however_the_header_is_padded() -> None:
    from api.auth import TokenVerifier

    verifier = TokenVerifier(SETTINGS)
    token = signed()

    for header in (f"Bearer {token}", f"bearer      {token}", f"  BEARER {token}  "):
        assert verifier.authenticate(header).subject == "advocate-1"

    assert len(verifier) == 1


def test_at_most_so_many_tokens_are_remembered_the_least_recent_forgotten() -> None:
    from api.auth import TokenVerifier

    verifier = TokenVerifier(SETTINGS, remembered=3)
    tokens = [signed(sub=f"advocate-{n}") for n in range(5)]

    for token in tokens:
        verifier.authenticate(f"Bearer {token}")

    assert len(verifier) == 3
    assert verifier.remembered(f"Bearer {tokens[0]}") is None
    assert verifier.remembered(f"Bearer {tokens[4]}") is not None


def test_a_tampered_token_is_refused() -> None:
    header, payload, signature = signed().split(".")
    forged = jwt.utils.base64url_encode(
        jwt.utils.base64url_decode(payload).replace(b"advocate-1", b"advocate-2")
    ).decode()

    assert refusal(f"Bearer {header}.{forged}.{signature}") == (
        "the token's signature does not verify"
    )


def test_a_token_without_an_expiry_is_refused() -> None:
    assert refusal(f"Bearer {signed(exp=...)}") == "the token has no 'exp' claim"


def test_an_overlong_token_is_refused_unread() -> None:
    assert "longer than 8192" in refusal("Bearer " + "a" * 9000)
