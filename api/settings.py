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

from domain.clocks import DEFAULT_RULES, RuleBook
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
    #: to the period's amount in the rule's own unit. Empty: DOMAIN.md's periods.
    clock_periods: Mapping[str, int] = field(
        default_factory=lambda: MappingProxyType({})
    )
    evaluation_threshold: int = DEFAULT_THRESHOLD
    #: None: derived from ``token_secret``.
    pseudonym_key: str | None = None
    #: Whether ``/graphiql`` serves the bundled GraphiQL (``WAYMARK_GRAPHIQL``).
    graphiql: bool = False
    #: The identity provider the web workspace signs in with (OpenID Connect,
    #: authorization code with PKCE); unset, only the embedded demo's sign-in.
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None

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
            graphiql=flag(environ, GRAPHIQL_SETTING),
            oidc_issuer=environ.get("WAYMARK_OIDC_ISSUER", "").strip() or None,
            oidc_client_id=environ.get("WAYMARK_OIDC_CLIENT_ID", "").strip() or None,
        )


GRAPHIQL_SETTING = "WAYMARK_GRAPHIQL"
_YES, _NO = {"1", "yes", "y", "true", "on"}, {"", "0", "no", "n", "false", "off"}


def flag(environ: Mapping[str, str], name: str) -> bool:
    """A yes/no setting; unset or blank is no."""
    text = environ.get(name, "").strip().lower()
    if text not in _YES | _NO:
        raise ValueError(f"{name} must be yes or no, not {text!r}.")
    return text in _YES


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
