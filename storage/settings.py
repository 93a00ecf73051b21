"""Maps Waymark's database settings onto eventsourcing's environment keys."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qs, unquote, urlsplit

DATABASE_URL = "WAYMARK_DATABASE_URL"
LOCK_TIMEOUT_SECONDS = "WAYMARK_LOCK_TIMEOUT_SECONDS"
POOL_SIZE = "WAYMARK_POOL_SIZE"
CONNECT_TIMEOUT_SECONDS = "WAYMARK_CONNECT_TIMEOUT_SECONDS"

TRANSCODER_TOPIC = "storage.transcoder:OrjsonTranscoder"
MAPPER_TOPIC = "storage.encryption:CaseEncryptingMapper"

_SQLITE_PREFIX = "sqlite:///"
_POSTGRES_SCHEMES = frozenset({"postgresql", "postgres"})
_POSTGRES_QUERY_PARAMETERS = frozenset({"schema"})


class UnsupportedDatabaseURL(ValueError):
    """The database URL has an unsupported scheme or cannot be used.

    Messages never include the URL itself, which may hold a password.
    """


def persistence_env(
    environ: Mapping[str, str], *, default_sqlite_path: str
) -> dict[str, str]:
    """Returns eventsourcing environment settings for Waymark's settings.

    ``WAYMARK_DATABASE_URL`` selects the store:

    - unset or empty: SQLite, in the file ``default_sqlite_path``;
    - ``sqlite:///PATH``: SQLite, in the file PATH (``sqlite:///data/w.db`` is
      relative, ``sqlite:////var/lib/w.db`` is absolute);
    - ``memory://``: eventsourcing's in-process "plain old Python objects"
      store, which is lost when the process ends;
    - ``postgresql://USER:PASSWORD@HOST:PORT/DBNAME?schema=SCHEMA`` (or
      ``postgres://``): PostgreSQL. USER, PASSWORD, HOST and DBNAME are
      URL-decoded; PORT defaults to 5432; ``schema`` is optional.
      ``WAYMARK_LOCK_TIMEOUT_SECONDS`` (default 5) and ``WAYMARK_POOL_SIZE``
      (default 5) are also read.

    Raises ``UnsupportedDatabaseURL`` for any other URL.
    """
    env = {
        "TRANSCODER_TOPIC": TRANSCODER_TOPIC,
        "MAPPER_TOPIC": MAPPER_TOPIC,
        "CREATE_TABLE": "y",
    }
    url = environ.get(DATABASE_URL, "").strip()
    if not url:
        env.update(_sqlite_env(default_sqlite_path))
        return env
    scheme = url.partition(":")[0].lower() if ":" in url else ""
    if scheme == "sqlite":
        env.update(_sqlite_env(_sqlite_path(url)))
    elif scheme == "memory":
        if url.lower() != "memory://":
            msg = "Use exactly 'memory://' for the in-memory store."
            raise UnsupportedDatabaseURL(msg)
        env["PERSISTENCE_MODULE"] = "eventsourcing.popo"
    elif scheme in _POSTGRES_SCHEMES:
        env.update(_postgres_env(url))
        env["POSTGRES_LOCK_TIMEOUT"] = _whole_number(environ, LOCK_TIMEOUT_SECONDS, "5")
        env["POSTGRES_POOL_SIZE"] = _whole_number(environ, POOL_SIZE, "5")
        env["POSTGRES_MAX_OVERFLOW"] = "10"
        env["POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT"] = "5"
        # The library waits 30 s for a server that is down; say so sooner.
        env["POSTGRES_CONNECT_TIMEOUT"] = _whole_number(
            environ, CONNECT_TIMEOUT_SECONDS, "5"
        )
    else:
        named = f"'{scheme}'" if scheme else "no scheme"
        msg = (
            f"Unsupported database URL scheme: {named}. Use sqlite:///PATH, "
            "memory:// or postgresql://USER:PASSWORD@HOST:PORT/DBNAME."
        )
        raise UnsupportedDatabaseURL(msg)
    return env


def _sqlite_env(path: str) -> dict[str, str]:
    return {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": path}


def _sqlite_path(url: str) -> str:
    if url[: len(_SQLITE_PREFIX)].lower() != _SQLITE_PREFIX:
        msg = "A SQLite database URL must look like sqlite:///PATH."
        raise UnsupportedDatabaseURL(msg)
    path = url[len(_SQLITE_PREFIX) :]
    if not path:
        msg = "The SQLite database URL has no file path: use sqlite:///PATH."
        raise UnsupportedDatabaseURL(msg)
    if ":memory:" in path or "mode=memory" in path:
        msg = "For an in-memory store use memory://, not an in-memory SQLite URL."
        raise UnsupportedDatabaseURL(msg)
    return path


def _postgres_env(url: str) -> dict[str, str]:
    # No message below may include any part of the URL: it may hold a password,
    # and a malformed URL can put the password where a port or host is expected.
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        msg = "The PostgreSQL database URL is malformed (check host and port)."
        raise UnsupportedDatabaseURL(msg) from None
    host_and_port = parts.netloc.rpartition("@")[2]
    if host_and_port.startswith("["):
        host = host_and_port[1:].partition("]")[0]
    else:
        host = host_and_port.partition(":")[0]
    host = unquote(host)
    if not host:
        msg = "The PostgreSQL database URL has no host."
        raise UnsupportedDatabaseURL(msg)
    dbname = unquote(parts.path.lstrip("/"))
    if not dbname:
        msg = "The PostgreSQL database URL has no database name."
        raise UnsupportedDatabaseURL(msg)
    query = parse_qs(parts.query, keep_blank_values=True)
    unknown = sorted(set(query) - _POSTGRES_QUERY_PARAMETERS)
    if unknown:
        # A password with an unencoded "?" ends up in the query: name only
        # parameters that look like parameter names.
        named = (
            f": {', '.join(unknown)}"
            if all(name.isidentifier() for name in unknown)
            else ""
        )
        msg = (
            f"Unsupported query parameters in the PostgreSQL database URL{named} "
            "(only 'schema' is supported)."
        )
        raise UnsupportedDatabaseURL(msg)
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": dbname,
        "POSTGRES_HOST": host,
        "POSTGRES_PORT": str(port if port is not None else 5432),
        "POSTGRES_USER": unquote(parts.username or ""),
        "POSTGRES_PASSWORD": unquote(parts.password or ""),
    }
    schemas = query.get("schema")
    if schemas:
        env["POSTGRES_SCHEMA"] = schemas[-1]
    return env


def _whole_number(environ: Mapping[str, str], key: str, default: str) -> str:
    value = environ.get(key, "").strip() or default
    if not (value.isascii() and value.isdigit()):
        msg = f"{key} must be a whole number, not {value!r}."
        raise ValueError(msg)
    return value
