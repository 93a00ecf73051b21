"""The keyring: per-case data keys wrapped under a master key, in memory."""

from __future__ import annotations

import base64
import os
import stat
from pathlib import Path
from uuid import uuid4

import pytest
from eventsourcing.utils import Environment

from api.settings import (
    DEFAULT_MASTER_KEY_FILE,
    Settings,
    master_key,
    retention_days,
)
from storage.keyring import (
    SYSTEM,
    CaseKeyring,
    KeyringError,
    is_sealed,
    keyring_env,
)

KEY = base64.b64encode(b"unit test master key of 32 bytes").decode()
OTHER = base64.b64encode(b"another unit master key 32 bytes").decode()


def keyring(key: str = KEY, previous: tuple[str, ...] = ()) -> CaseKeyring:
    return CaseKeyring(Environment("Cases", keyring_env(key, previous)))


def test_a_case_sealed_under_its_key_opens_only_in_its_own_place() -> None:
    ring, case_id = keyring(), uuid4()

    sealed = ring.seal(case_id, b'{"reference":"R-1"}', b"place-1")

    assert is_sealed(sealed) and b"R-1" not in sealed
    assert ring.open(case_id, sealed, b"place-1") == b'{"reference":"R-1"}'
    with pytest.raises(KeyringError, match="integrity"):
        ring.open(case_id, sealed, b"place-2")
    # Moved to another case, it names a key that case never had: unreadable
    # (and ``waymark verify`` reports a case with unreadable events).
    other = uuid4()
    ring.seal(other, b"{}")
    assert ring.open(other, sealed, b"place-1") is None


def test_a_destroyed_key_reads_as_erased_and_the_system_key_is_never_destroyed() -> (
    None
):
    ring, case_id = keyring(), uuid4()
    sealed = ring.seal(case_id, b"{}")
    ring.encrypt(b"{}")  # the system key exists

    assert ring.destroy(case_id) == 1
    assert ring.open(case_id, sealed) is None
    with pytest.raises(ValueError):
        ring.destroy(SYSTEM)
    assert ring.decrypt(ring.encrypt(b"erasure")) == b"erasure"


def test_a_key_under_a_master_key_this_process_lacks_is_an_error_not_an_erasure() -> (
    None
):
    first, case_id = keyring(), uuid4()
    sealed = first.seal(case_id, b"{}")
    second = keyring(OTHER)
    second._store = first.store  # the same key table, another master key
    second._store_pid = os.getpid()

    with pytest.raises(KeyringError, match="does not hold"):
        second.open(case_id, sealed)


def test_rotation_rewraps_under_the_new_master_key_and_renewal_keeps_old_versions() -> (
    None
):
    old, case_id = keyring(), uuid4()
    before = old.seal(case_id, b"before")
    rotated = keyring(OTHER, (KEY,))
    rotated._store = old.store
    rotated._store_pid = os.getpid()

    assert rotated.rotate_master() == 1
    assert rotated.keys_by_master() == {rotated.master_key_id: 1}
    renewed = rotated.renew(case_id)
    after = rotated.seal(case_id, b"after")

    # The key's number, in the header after the format and scope bytes.
    first, second = (int.from_bytes(s[5:9], "big") for s in (before, after))
    assert second == renewed != first
    alone = keyring(OTHER)
    alone._store = old.store
    alone._store_pid = os.getpid()
    assert alone.open(case_id, before) == b"before"
    assert alone.open(case_id, after) == b"after"


def test_the_memory_holds_a_bounded_number_of_keys() -> None:
    ring = CaseKeyring(
        Environment("Cases", {**keyring_env(KEY), "KEY_CACHE_SIZE": "3"})
    )
    cases = [uuid4() for _ in range(10)]
    sealed = [ring.seal(case_id, b"x") for case_id in cases]

    assert len(ring._keys) <= 3
    assert all(ring.open(c, s) == b"x" for c, s in zip(cases, sealed, strict=True))


def test_a_master_key_must_be_32_bytes_of_base64_and_is_named_when_wrong() -> None:
    for bad in ("not base64!", base64.b64encode(b"short").decode()):
        with pytest.raises(ValueError, match="WAYMARK_MASTER_KEY"):
            Settings.from_environ({"WAYMARK_MASTER_KEY": bad})


def test_the_key_file_is_made_owner_only_once_and_then_reused(tmp_path: Path) -> None:
    made = master_key({}, tmp_path / DEFAULT_MASTER_KEY_FILE)

    assert stat.S_IMODE((tmp_path / DEFAULT_MASTER_KEY_FILE).stat().st_mode) == 0o600
    assert master_key({}, tmp_path / DEFAULT_MASTER_KEY_FILE) == made
    assert master_key({"WAYMARK_MASTER_KEY": KEY}, tmp_path / "unused") == KEY


def test_a_retention_period_is_whole_days_or_unset() -> None:
    assert retention_days({}) is None
    assert retention_days({"WAYMARK_RETENTION_DAYS": "2190"}) == 2190
    for bad in ("0", "-3", "six years", "36501"):
        with pytest.raises(ValueError, match="WAYMARK_RETENTION_DAYS"):
            retention_days({"WAYMARK_RETENTION_DAYS": bad})
