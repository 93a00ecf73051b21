"""Waymark's settings: environment variables with the one prefix ``WAYMARK_``.

Read once, by the composition root; nothing reads the environment at import time.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from storage.settings import persistence_env

DEFAULT_DATABASE_FILE = "waymark.db"
DEFAULT_SECRET_FILE = ".waymark-secret"


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
        )


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
