"""The command line's erasure, retention and key commands, on the embedded default
(a SQLite file in the working directory). Every case is synthetic."""

from __future__ import annotations

import base64
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest
from typer.testing import CliRunner

from api.cli import app
from api.settings import DEFAULT_MASTER_KEY_FILE

SECRET = "cli-test-secret-" + "z" * 32


@pytest.fixture
def cli_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, str]]:
    """A newcomer's working directory, with the default SQLite file in it."""
    monkeypatch.chdir(tmp_path)
    for name in (
        "WAYMARK_DATABASE_URL",
        "WAYMARK_MASTER_KEY",
        "WAYMARK_PREVIOUS_MASTER_KEYS",
        "WAYMARK_RETENTION_DAYS",
    ):
        monkeypatch.delenv(name, raising=False)
    yield {"WAYMARK_TOKEN_SECRET": SECRET}


def cli(env: dict[str, str], *args: str, answer: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env=env, input=answer)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        result.exception
    )
    return result.exit_code, result.output


def _files(directory: Path, stem: str) -> bytes:
    """The bytes of a SQLite file and its write-ahead log."""
    return b"".join(
        path.read_bytes()
        for path in sorted(directory.glob(f"{stem}*"))
        if path.is_file()
    )


def _first_case(path: Path) -> tuple[UUID, bytes]:
    with sqlite3.connect(path) as connection:
        (case_id,) = connection.execute(
            "SELECT originator_id FROM stored_events "
            "WHERE topic = 'waymark.case:CaseOpened' ORDER BY rowid LIMIT 1"
        ).fetchone()
        (wrapped,) = connection.execute(
            "SELECT wrapped_key FROM case_keys WHERE case_id = ?",
            (str(UUID(case_id)),),
        ).fetchone()
    connection.close()
    return UUID(case_id), bytes(wrapped)


def test_the_embedded_default_makes_its_master_key_owner_only_on_first_run(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    code, _ = cli(cli_env, "demo", "--cohort", "0")

    key_file = tmp_path / DEFAULT_MASTER_KEY_FILE
    assert code == 0
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(base64.b64decode(key_file.read_text())) == 32


def test_erase_destroys_the_key_and_no_file_of_the_views_mentions_the_case(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    cli(cli_env, "demo", "--cohort", "0")
    cli(cli_env, "project", "--once")
    case_id, wrapped = _first_case(tmp_path / "waymark.db")
    assert str(case_id).encode() in _files(tmp_path, "waymark.caseload")

    code, output = cli(cli_env, "erase", str(case_id), "--ground", "erasure_request")
    assert code == 1 and "Aborted" in output  # asked, and not confirmed

    code, output = cli(
        cli_env, "erase", str(case_id), "--ground", "erasure_request", "--yes"
    )

    assert code == 0, output
    assert f"Case {case_id} erased" in output
    assert wrapped not in _files(tmp_path, "waymark.db")
    for view in ("waymark.caseload", "waymark.evaluation"):
        text = _files(tmp_path, view)
        assert str(case_id).encode() not in text and case_id.hex.encode() not in text
    code, output = cli(cli_env, "verify")
    assert code == 0
    assert "Checked 7 cases" in output and "every chain is intact (1 erased)" in output
    code, output = cli(
        cli_env, "erase", str(case_id), "--ground", "erasure_request", "-y"
    )
    assert code == 0 and "already erased" in output


def test_retention_lists_the_cases_closed_too_long_ago_and_erases_them_on_request(
    cli_env: dict[str, str],
) -> None:
    cli(cli_env, "demo", "--cohort", "30")
    env = {**cli_env, "WAYMARK_RETENTION_DAYS": "365"}

    code, output = cli(env, "retention")
    assert code == 0
    due = [line.split()[0] for line in output.splitlines() if "past retention" in line]
    assert due and f"{len(due)} cases closed more than 365 days ago." in output

    code, output = cli(env, "retention", "--erase", answer="n\n")
    assert code == 1 and "Aborted" in output
    code, output = cli(env, "retention", "--erase", "--yes")
    assert code == 0
    assert f"Erased {len(due)} cases (ground retention_expired)." in output

    code, output = cli(env, "retention")
    assert "0 cases closed more than 365 days ago." in output
    code, output = cli(env, "verify")
    assert code == 0 and f"every chain is intact ({len(due)} erased)" in output


def test_retention_needs_a_retention_period(cli_env: dict[str, str]) -> None:
    code, output = cli(cli_env, "retention")

    assert code == 2 and "WAYMARK_RETENTION_DAYS" in output


def test_a_new_master_key_takes_over_after_keys_rotate(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    cli(cli_env, "demo", "--cohort", "0")
    old = (tmp_path / DEFAULT_MASTER_KEY_FILE).read_text().strip()
    new = base64.b64encode(b"a rotated cli master key 32 byte").decode()
    rotating = {
        **cli_env,
        "WAYMARK_MASTER_KEY": new,
        "WAYMARK_PREVIOUS_MASTER_KEYS": old,
    }

    code, output = cli(rotating, "keys", "rotate")
    assert code == 0 and "Rewrapped 7 data keys" in output  # one per case

    code, output = cli({**cli_env, "WAYMARK_MASTER_KEY": new}, "verify")
    assert code == 0 and "every chain is intact" in output
    code, output = cli({**cli_env, "WAYMARK_MASTER_KEY": new}, "keys", "status")
    assert code == 0 and ": 7 data keys (current)" in output
    # The old key alone no longer opens anything.
    code, output = cli(cli_env, "verify")
    assert code == 1 and "does not hold" in output
