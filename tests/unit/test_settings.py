"""Tests for storage.settings.persistence_env."""

from __future__ import annotations

# Make the project importable without an installed package or a conftest.
import pytest
from eventsourcing.persistence import InfrastructureFactory
from eventsourcing.postgres import PostgresFactory

from storage.settings import UnsupportedDatabaseURL, persistence_env
from storage.transcoder import OrjsonTranscoder

COMMON = {
    "TRANSCODER_TOPIC": "storage.transcoder:OrjsonTranscoder",
    "MAPPER_TOPIC": "storage.encryption:CaseEncryptingMapper",
    "CREATE_TABLE": "y",
}
POSTGRES_DEFAULTS = {
    "PERSISTENCE_MODULE": "eventsourcing.postgres",
    "POSTGRES_LOCK_TIMEOUT": "5",
    "POSTGRES_POOL_SIZE": "5",
    "POSTGRES_MAX_OVERFLOW": "10",
    "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": "5",
    "POSTGRES_CONNECT_TIMEOUT": "5",
}


def env_for(url: str | None, **extra: str) -> dict[str, str]:
    environ = dict(extra)
    if url is not None:
        environ["WAYMARK_DATABASE_URL"] = url
    return persistence_env(environ, default_sqlite_path="/var/lib/waymark/w.db")


def test_an_unset_url_uses_sqlite_at_the_default_path() -> None:
    assert env_for(None) == {
        **COMMON,
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": "/var/lib/waymark/w.db",
    }


def test_an_empty_or_blank_url_uses_sqlite_at_the_default_path() -> None:
    assert env_for("") == env_for(None)
    assert env_for("  ") == env_for(None)


def test_a_sqlite_url_gives_its_file_path() -> None:
    assert env_for("sqlite:////srv/data/waymark.db") == {
        **COMMON,
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": "/srv/data/waymark.db",
    }
    assert env_for("sqlite:///data/waymark.db")["SQLITE_DBNAME"] == "data/waymark.db"


def test_an_in_memory_sqlite_url_is_refused_in_favour_of_memory() -> None:
    with pytest.raises(UnsupportedDatabaseURL, match="memory://"):
        env_for("sqlite:///:memory:")


def test_a_sqlite_url_without_a_path_is_refused() -> None:
    with pytest.raises(UnsupportedDatabaseURL):
        env_for("sqlite:///")
    with pytest.raises(UnsupportedDatabaseURL):
        env_for("sqlite://waymark.db")


def test_memory_uses_the_plain_python_objects_store() -> None:
    assert env_for("memory://") == {
        **COMMON,
        "PERSISTENCE_MODULE": "eventsourcing.popo",
    }


def test_a_postgresql_url_gives_every_postgres_setting() -> None:
    url = "postgresql://waymark:s3cret@db.internal:6543/waymark?schema=cases"
    assert env_for(url) == {
        **COMMON,
        **POSTGRES_DEFAULTS,
        "POSTGRES_DBNAME": "waymark",
        "POSTGRES_HOST": "db.internal",
        "POSTGRES_PORT": "6543",
        "POSTGRES_USER": "waymark",
        "POSTGRES_PASSWORD": "s3cret",
        "POSTGRES_SCHEMA": "cases",
    }


def test_the_postgres_scheme_is_an_alias_for_postgresql() -> None:
    assert env_for("postgres://u:p@h/d") == env_for("postgresql://u:p@h/d")


def test_a_postgresql_url_defaults_the_port_and_leaves_out_the_schema() -> None:
    env = env_for("postgresql://u:p@localhost/waymark")
    assert env["POSTGRES_PORT"] == "5432"
    assert "POSTGRES_SCHEMA" not in env


def test_a_postgresql_url_may_have_no_user_or_password() -> None:
    env = env_for("postgresql://127.0.0.1:5432/test")
    assert env["POSTGRES_USER"] == ""
    assert env["POSTGRES_PASSWORD"] == ""
    env = env_for("postgresql://postgres@127.0.0.1:5432/test")
    assert env["POSTGRES_USER"] == "postgres"
    assert env["POSTGRES_PASSWORD"] == ""


def test_the_parts_of_a_postgresql_url_are_url_decoded() -> None:
    env = env_for("postgresql://case%20worker:p%40ss%3Aw%2Frd@%2Frun%2FPG/my%20db")
    assert env["POSTGRES_USER"] == "case worker"
    assert env["POSTGRES_PASSWORD"] == "p@ss:w/rd"
    assert env["POSTGRES_HOST"] == "/run/PG"
    assert env["POSTGRES_DBNAME"] == "my db"


def test_an_ipv6_host_loses_its_brackets() -> None:
    env = env_for("postgresql://u:p@[::1]:5433/d")
    assert env["POSTGRES_HOST"] == "::1"
    assert env["POSTGRES_PORT"] == "5433"


def test_lock_timeout_and_pool_size_come_from_waymark_settings() -> None:
    env = env_for(
        "postgresql://u:p@h/d",
        WAYMARK_LOCK_TIMEOUT_SECONDS="12",
        WAYMARK_POOL_SIZE="20",
    )
    assert env["POSTGRES_LOCK_TIMEOUT"] == "12"
    assert env["POSTGRES_POOL_SIZE"] == "20"
    assert env["POSTGRES_MAX_OVERFLOW"] == "10"
    assert env["POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT"] == "5"


def test_a_lock_timeout_that_is_not_a_whole_number_is_refused() -> None:
    with pytest.raises(ValueError, match="WAYMARK_LOCK_TIMEOUT_SECONDS"):
        env_for("postgresql://u:p@h/d", WAYMARK_LOCK_TIMEOUT_SECONDS="1.5")


def test_an_unsupported_scheme_is_named_in_the_error() -> None:
    with pytest.raises(UnsupportedDatabaseURL, match="'mysql'"):
        env_for("mysql://root:hunter2@db/waymark")


def test_an_unsupported_scheme_error_is_a_value_error() -> None:
    assert issubclass(UnsupportedDatabaseURL, ValueError)


@pytest.mark.parametrize(
    "url",
    [
        "mysql://root:hunter2@db/waymark",
        "postgresql+psycopg://root:hunter2@db/waymark",
        "postgresql://root:hunter2@db:notaport/waymark",
        "postgresql://root:hunter2/x@db/waymark",
        "postgresql://root:hun?ter2@db/waymark",
        "postgresql://root:hunter2@db/waymark?sslmode=require",
        "postgresql://root:hunter2@/waymark",
        "postgresql://root:hunter2@db/",
    ],
)
def test_errors_never_echo_the_password(url: str) -> None:
    with pytest.raises(UnsupportedDatabaseURL) as info:
        env_for(url)
    assert "hunter2" not in str(info.value)
    assert "ter2" not in str(info.value)
    assert info.value.__cause__ is None
    assert info.value.__suppress_context__ or info.value.__context__ is None


def test_an_unknown_query_parameter_is_refused_and_named() -> None:
    with pytest.raises(UnsupportedDatabaseURL, match="sslmode"):
        env_for("postgresql://u:p@h/d?sslmode=require")


def test_the_keys_are_ones_the_eventsourcing_postgres_factory_reads() -> None:
    env = env_for("postgresql://u:p@h/d?schema=s")
    factory_keys = {
        getattr(PostgresFactory, name)
        for name in dir(PostgresFactory)
        if name.isupper()
    }
    factory_keys |= {
        InfrastructureFactory.PERSISTENCE_MODULE,
        InfrastructureFactory.TRANSCODER_TOPIC,
    }
    assert set(env) <= factory_keys


def test_the_transcoder_topic_resolves_to_the_orjson_transcoder() -> None:
    from eventsourcing.utils import resolve_topic

    assert resolve_topic(env_for(None)["TRANSCODER_TOPIC"]) is OrjsonTranscoder


def test_the_settings_are_a_fresh_dict_each_time() -> None:
    first = env_for(None)
    first["SQLITE_DBNAME"] = "changed"
    assert env_for(None)["SQLITE_DBNAME"] == "/var/lib/waymark/w.db"


def test_the_connect_timeout_can_be_set_in_whole_seconds() -> None:
    env = persistence_env(
        {
            "WAYMARK_DATABASE_URL": "postgresql://waymark@db.example:5432/waymark",
            "WAYMARK_CONNECT_TIMEOUT_SECONDS": "12",
        },
        default_sqlite_path="unused.db",
    )
    assert env["POSTGRES_CONNECT_TIMEOUT"] == "12"
