"""Waymark's settings: environment variables with the one prefix ``WAYMARK_``.

Read once, by the composition root; nothing reads the environment at import time.
"""

from __future__ import annotations

import hmac
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from api.identity_provider import issuer_origin
from domain.clocks import DEFAULT_RULES, RuleBook
from storage.keyring import decode_master_key, new_master_key
from storage.settings import persistence_env

DEFAULT_DATABASE_FILE = "waymark.db"
DEFAULT_SECRET_FILE = ".waymark-secret"
#: A *(check)* rule's period is set by ``WAYMARK_CLOCK_<RULE_ID>``: the rule's id
#: upper-cased, non-alphanumerics as underscores (``WAYMARK_CLOCK_CICA_2012_REVIEW``).
CLOCK_SETTING_PREFIX = "WAYMARK_CLOCK_"
#: Evaluation counts below this are suppressed (default 10; at least 3).
THRESHOLD_SETTING = "WAYMARK_EVALUATION_THRESHOLD"
DEFAULT_THRESHOLD, MIN_THRESHOLD, MAX_THRESHOLD = 10, 3, 1000
#: The key of evaluators' cohort pseudonyms; by default derived from the token
#: secret, so a deployment's pseudonyms stay the same from run to run.
PSEUDONYM_KEY_SETTING = "WAYMARK_PSEUDONYM_KEY"
#: Per caller (token subject): requests a second, sustained, and in a burst.
DEFAULT_RATE_PER_SECOND, DEFAULT_RATE_BURST = 20.0, 200
#: The largest request body accepted (1 MiB), and the most it may be set to.
DEFAULT_MAX_BODY_BYTES, MAX_MAX_BODY_BYTES = 1 << 20, 64 << 20
_YES, _NO = {"1", "yes", "y", "true", "on"}, {"0", "no", "n", "false", "off"}
#: Organisations known besides those holding cases (comma-separated ids): a
#: case may be transferred only to an organisation that exists.
ORGANISATIONS_SETTING = "WAYMARK_ORGANISATIONS"
#: Organisations whose advocates see only the cases assigned to them (and
#: cases no advocate has yet taken up); elsewhere every case of theirs.
ASSIGNED_ONLY_SETTING = "WAYMARK_ASSIGNED_ONLY_ORGANISATIONS"
MAX_ORGANISATION_ID = 200
#: The master key that wraps every case's data key (base64 of 32 bytes); by
#: default kept in ``DEFAULT_MASTER_KEY_FILE``, made on the first run.
MASTER_KEY_SETTING = "WAYMARK_MASTER_KEY"
#: Master keys rotated out, comma-separated: still unwrap data keys until
#: ``waymark keys rotate`` has rewrapped them under the current one.
PREVIOUS_MASTER_KEYS_SETTING = "WAYMARK_PREVIOUS_MASTER_KEYS"
DEFAULT_MASTER_KEY_FILE = ".waymark-master-key"
#: Days a case is kept after it closes; unset: no retention period is applied.
RETENTION_DAYS_SETTING = "WAYMARK_RETENTION_DAYS"
MAX_RETENTION_DAYS = 36_500


@dataclass(frozen=True)
class Settings:
    #: eventsourcing's settings for the store; by default a SQLite file in the
    #: working directory, else from WAYMARK_DATABASE_URL.
    persistence: Mapping[str, str]
    #: Signs and checks bearer tokens (HS256) unless a public key is configured.
    token_secret: str
    token_issuer: str
    token_audience: str
    #: PEM public key of an organisation's identity provider (RS256), optional.
    token_public_key: str | None
    #: Periods of *(check)* clock rules set by ``WAYMARK_CLOCK_<RULE_ID>``: rule id
    #: to the period's amount in the rule's own unit. Empty: the rules' own periods.
    clock_periods: Mapping[str, int] = field(
        default_factory=lambda: MappingProxyType({})
    )
    evaluation_threshold: int = DEFAULT_THRESHOLD
    #: None: derived from ``token_secret``.
    pseudonym_key: str | None = None
    #: An identity provider's published keys (JWKS), optional.
    token_jwks_url: str | None = None
    #: Find the JWKS by OpenID Connect discovery from ``token_issuer``.
    token_discovery: bool = False
    #: Whether GraphiQL is served (at ``/graphiql``, from the workspace's own
    #: assets); off unless enabled; ``waymark serve --demo`` turns it on.
    graphiql: bool = False
    #: Where the built workspace lies (``index.html``, ``assets/``); by default
    #: ``web/dist`` of the checkout. An installed package (the Docker image)
    #: names the copy it serves.
    workspace_dir: Path | None = None
    #: Whether GraphQL introspection is answered: for development and the demo.
    introspection: bool = False
    #: Requests each caller (token subject) may make: a second, sustained, and
    #: in a burst. A rate of 0 turns the limit off.
    rate_per_second: float = DEFAULT_RATE_PER_SECOND
    rate_burst: int = DEFAULT_RATE_BURST
    #: The largest request body accepted, in bytes.
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    #: Organisations that exist besides those holding cases (transfers), and
    #: those whose advocates see only the cases assigned to them.
    organisations: frozenset[str] = frozenset()
    assigned_only_organisations: frozenset[str] = frozenset()
    #: Seals each case's events under its own key (base64); None: plaintext.
    master_key: str | None = field(default=None, repr=False)
    previous_master_keys: tuple[str, ...] = field(default=(), repr=False)
    #: Days a closed case is kept before ``waymark retention`` erases it.
    retention_days: int | None = None

    @property
    def uses_identity_provider(self) -> bool:
        """Tokens come from an identity provider; Waymark mints none."""
        return bool(
            self.token_public_key or self.token_jwks_url or self.token_discovery
        )

    def cursor_key_bytes(self) -> bytes:
        """Signs the cursors of listings; derived from the token secret, so every
        API process of a deployment that shares the secret accepts them."""
        return hmac.new(
            self.token_secret.encode(), b"waymark listing cursors", "sha256"
        ).digest()

    #: The identity provider the web workspace signs in with (OpenID Connect,
    #: authorization code with PKCE); unset, only the embedded demo's sign-in.
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None

    @property
    def trusts_identity_provider(self) -> bool:
        """Whether tokens are an identity provider's (its public key, key set
        or discovery), not signed here with the token secret."""
        return bool(
            self.token_public_key or self.token_jwks_url or self.token_discovery
        )

    def pseudonym_key_bytes(self) -> bytes:
        if self.pseudonym_key:
            return self.pseudonym_key.encode()
        return hmac.new(
            self.token_secret.encode(), b"waymark evaluation pseudonyms", "sha256"
        ).digest()

    @classmethod
    def from_environ(
        cls, environ: Mapping[str, str] | None = None, *, workdir: Path | None = None
    ) -> Settings:
        environ = os.environ if environ is None else environ
        workdir = workdir or Path.cwd()
        return cls(
            persistence=persistence_env(
                environ, default_sqlite_path=str(workdir / DEFAULT_DATABASE_FILE)
            ),
            token_secret=environ.get("WAYMARK_TOKEN_SECRET")
            or _local_secret(workdir / DEFAULT_SECRET_FILE),
            token_issuer=environ.get("WAYMARK_TOKEN_ISSUER", "waymark"),
            token_audience=environ.get("WAYMARK_TOKEN_AUDIENCE", "waymark"),
            token_public_key=environ.get("WAYMARK_TOKEN_PUBLIC_KEY") or None,
            clock_periods=clock_periods(environ),
            evaluation_threshold=evaluation_threshold(environ),
            pseudonym_key=environ.get(PSEUDONYM_KEY_SETTING) or None,
            token_jwks_url=environ.get("WAYMARK_TOKEN_JWKS_URL") or None,
            token_discovery=yes_or_no(environ, "WAYMARK_TOKEN_DISCOVERY", False),
            graphiql=yes_or_no(environ, "WAYMARK_GRAPHIQL", False),
            workspace_dir=workspace_dir(environ),
            introspection=yes_or_no(environ, "WAYMARK_INTROSPECTION", False),
            rate_per_second=number(
                environ, "WAYMARK_RATE_PER_SECOND", DEFAULT_RATE_PER_SECOND, 0, 1e6
            ),
            rate_burst=int(
                number(
                    environ,
                    "WAYMARK_RATE_BURST",
                    DEFAULT_RATE_BURST,
                    1,
                    1e6,
                    whole=True,
                )
            ),
            max_body_bytes=int(
                number(
                    environ,
                    "WAYMARK_MAX_BODY_BYTES",
                    DEFAULT_MAX_BODY_BYTES,
                    1024,
                    MAX_MAX_BODY_BYTES,
                    whole=True,
                )
            ),
            organisations=organisation_list(environ, ORGANISATIONS_SETTING),
            assigned_only_organisations=organisation_list(
                environ, ASSIGNED_ONLY_SETTING
            ),
            master_key=master_key(environ, workdir / DEFAULT_MASTER_KEY_FILE),
            previous_master_keys=previous_master_keys(environ),
            retention_days=retention_days(environ),
            oidc_issuer=oidc_issuer(environ),
            oidc_client_id=environ.get("WAYMARK_OIDC_CLIENT_ID", "").strip() or None,
        )


def yes_or_no(environ: Mapping[str, str], name: str, default: bool) -> bool:
    text = environ.get(name, "").strip().lower()
    if not text:
        return default
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError(f"{name} must be yes or no, not {text!r}.")


def number(
    environ: Mapping[str, str],
    name: str,
    default: float,
    least: float,
    most: float,
    *,
    whole: bool = False,
) -> float:
    text = environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(int(text)) if whole else float(text)
    except ValueError:
        value = float("nan")
    if not least <= value <= most:  # also false for nan
        kind = "a whole number" if whole else "a number"
        raise ValueError(
            f"{name} must be {kind} from {least:,.0f} to {most:,.0f}, not {text!r}."
        )
    return value


def organisation_list(environ: Mapping[str, str], name: str) -> frozenset[str]:
    """Comma-separated organisation ids; blanks between commas are ignored."""
    ids = frozenset(
        part.strip() for part in environ.get(name, "").split(",") if part.strip()
    )
    for organisation_id in ids:
        if (
            len(organisation_id) > MAX_ORGANISATION_ID
            or not organisation_id.isprintable()
        ):
            msg = (
                f"{name}: {organisation_id[:40]!r} is not an organisation id "
                f"(printable, at most {MAX_ORGANISATION_ID} characters)."
            )
            raise ValueError(msg)
    return ids


def master_key(environ: Mapping[str, str], key_file: Path) -> str:
    """``WAYMARK_MASTER_KEY``, else the key file (made owner-only on first run)."""
    text = environ.get(MASTER_KEY_SETTING, "").strip()
    if text:
        decode_master_key(text)
        return text
    if key_file.exists():
        text = key_file.read_text().strip()
        decode_master_key(text, str(key_file))
        return text
    text = new_master_key()
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    return text


def previous_master_keys(environ: Mapping[str, str]) -> tuple[str, ...]:
    keys = tuple(
        key.strip()
        for key in environ.get(PREVIOUS_MASTER_KEYS_SETTING, "").split(",")
        if key.strip()
    )
    for key in keys:
        decode_master_key(key, PREVIOUS_MASTER_KEYS_SETTING)
    return keys


def retention_days(environ: Mapping[str, str]) -> int | None:
    text = environ.get(RETENTION_DAYS_SETTING, "").strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or not (
        1 <= int(text) <= MAX_RETENTION_DAYS
    ):
        msg = (
            f"{RETENTION_DAYS_SETTING} must be a whole number of days from 1 to "
            f"{MAX_RETENTION_DAYS}, not {text!r}."
        )
        raise ValueError(msg)
    return int(text)


def clock_setting(rule_id: str) -> str:
    """The environment variable that sets a rule's period."""
    return CLOCK_SETTING_PREFIX + re.sub(r"[^A-Z0-9]", "_", rule_id.upper())


def clock_periods(
    environ: Mapping[str, str], rules: RuleBook = DEFAULT_RULES
) -> Mapping[str, int]:
    """The *(check)* rules' periods set in ``environ``, by rule id.

    A variable naming no rule, a rule that is law rather than *(check)*, or a
    period that is not a whole number of at least 1 is refused, naming the
    variable: a mistyped override must not silently leave the default in place.
    """
    by_setting = {clock_setting(rule.id): rule for rule in rules.rules}
    periods: dict[str, int] = {}
    for name in sorted(environ):
        if not name.startswith(CLOCK_SETTING_PREFIX):
            continue
        text = environ[name].strip()
        if not text:
            continue  # blank, like every other setting: the default
        rule = by_setting.get(name)
        if rule is None:
            configurable = ", ".join(
                clock_setting(rule.id) for rule in rules.rules if rule.check
            )
            msg = f"{name} names no clock rule; the settable ones are {configurable}."
            raise ValueError(msg)
        if not rule.check:
            msg = (
                f"{name}: the rule {rule.id} comes from {rule.source}; its period "
                "is law, not a setting (only rules marked check are settable)."
            )
            raise ValueError(msg)
        unit = rule.period.unit.value.replace("_", " ")
        if not (text.isascii() and text.isdigit()) or int(text) < 1:
            msg = (
                f"{name} must be a whole number of {unit} of at least 1 for the "
                f"rule {rule.id}, not {text!r}."
            )
            raise ValueError(msg)
        periods[rule.id] = int(text)
    rules.configured(periods)  # any remaining refusal, at startup
    return MappingProxyType(periods)


def evaluation_threshold(environ: Mapping[str, str]) -> int:
    text = environ.get(THRESHOLD_SETTING, "").strip() or str(DEFAULT_THRESHOLD)
    if not (text.isascii() and text.isdigit()) or not (
        MIN_THRESHOLD <= int(text) <= MAX_THRESHOLD
    ):
        msg = (
            f"{THRESHOLD_SETTING} must be a whole number from {MIN_THRESHOLD} to "
            f"{MAX_THRESHOLD}, not {text!r}."
        )
        raise ValueError(msg)
    return int(text)


def _local_secret(path: Path) -> str:
    """The embedded default keeps its signing secret beside its database.

    The CLI mints tokens and the server checks them; both read this file, so a
    newcomer needs no configuration. Deployments set WAYMARK_TOKEN_SECRET.
    """
    if path.exists():
        return path.read_text().strip()
    secret = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secret)
    return secret


def oidc_issuer(environ: Mapping[str, str]) -> str | None:
    """The identity provider's issuer, refused at start when the CSP could not
    name its origin safely (``api.identity_provider``)."""
    issuer = environ.get("WAYMARK_OIDC_ISSUER", "").strip() or None
    if issuer is not None:
        issuer_origin(issuer)
    return issuer


def workspace_dir(environ: Mapping[str, str]) -> Path | None:
    """The built workspace's folder, refused at start when there is none."""
    text = environ.get("WAYMARK_WORKSPACE_DIR", "").strip()
    if not text:
        return None
    folder = Path(text)
    if not (folder / "index.html").is_file():
        raise ValueError(
            "WAYMARK_WORKSPACE_DIR names no built workspace "
            f"(no index.html in {text!r})"
        )
    return folder
