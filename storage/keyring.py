"""Per-case data keys under a master key: envelope encryption for the event store.

Every case has its own random 256-bit data key (AES-GCM); the key table
(``storage.keys``) holds it wrapped under the master key. Destroying a case's rows
there makes every event of the case unreadable by any key the system holds
("crypto-shredding"), while every other case reads and verifies as before.

Sealed bytes carry a small header, so events written under any format or key
version stay readable::

    b"\\xffWM" | format (1 byte) | scope (1 byte) | key version (4 bytes)
    | nonce (12 bytes) | AES-GCM ciphertext and tag

The key version is the key's number in the key table (random, so that no
new key is ever mistaken for an old one). ``scope`` is 0 for the case's own
key, 1 for the system key (facts that must stay
readable after the case's key is gone, such as the erasure itself). JSON never
begins with ``0xff``, so a stored state without the header is plaintext written
before encryption was turned on.

The master key rotates without rewriting events: ``rotate_master`` rewraps the
data keys under the current master key (``WAYMARK_MASTER_KEY``), unwrapping them
with a previous one (``WAYMARK_PREVIOUS_MASTER_KEYS``). A case's data key can be
renewed too (``renew``): new events use the new version, old ones keep theirs.

The keyring is the store's cipher (eventsourcing's ``CIPHER_TOPIC``), the one
piece of infrastructure the library builds from its settings and hands to the
mapper; ``storage.encryption`` seals each event under its own case's key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import struct
import threading
from collections import OrderedDict
from collections.abc import Sequence
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.persistence import Cipher
from eventsourcing.utils import Environment

from storage.keys import (
    KeyStore,
    MemoryKeyStore,
    WrappedKey,
    every_key_page,
    key_store,
)

#: eventsourcing settings the keyring reads (beside the store's own).
MASTER_KEY = "MASTER_KEY"
PREVIOUS_MASTER_KEYS = "PREVIOUS_MASTER_KEYS"
KEY_CACHE_SIZE = "KEY_CACHE_SIZE"
KEYRING_TOPIC = "storage.keyring:CaseKeyring"

#: The system key's id in the key table: never destroyed.
SYSTEM = UUID(int=0)
CASE_SCOPE, SYSTEM_SCOPE = 0, 1

MAGIC = b"\xffWM"
FORMAT = 1
_HEADER = struct.Struct("!3sBBI")
HEADER_SIZE = _HEADER.size
NONCE_SIZE = 12
_BODY = HEADER_SIZE + NONCE_SIZE
KEY_BYTES = 32
DEFAULT_CACHE_SIZE = 10_000


class KeyringError(RuntimeError):
    """The keys cannot be used as configured; the message says what to set."""


def decode_master_key(text: str, name: str = "WAYMARK_MASTER_KEY") -> bytes:
    """A master key from its base64 text (32 bytes)."""
    try:
        key = base64.b64decode(text.strip().encode(), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"{name} must be base64 (of 32 random bytes)") from None
    if len(key) != KEY_BYTES:
        raise ValueError(f"{name} must be 32 bytes in base64, not {len(key)} bytes")
    return key


def new_master_key() -> str:
    return base64.b64encode(os.urandom(KEY_BYTES)).decode()


def master_key_id(key: bytes) -> str:
    """A short public name of a master key, kept with each key it wraps."""
    return hashlib.sha256(b"waymark master key id\x00" + key).hexdigest()[:16]


def is_sealed(state: bytes) -> bool:
    return state.startswith(MAGIC)


class CaseKeyring(Cipher):
    def __init__(self, environment: Environment) -> None:
        text = environment.get(MASTER_KEY) or ""
        if not text:
            raise KeyringError(
                "no master key: set WAYMARK_MASTER_KEY (base64 of 32 random bytes)"
            )
        self._master = decode_master_key(text)
        self._master_id = master_key_id(self._master)
        self._masters = {self._master_id: AESGCM(self._master)}
        for old in (environment.get(PREVIOUS_MASTER_KEYS) or "").split(","):
            if old.strip():
                key = decode_master_key(old, "WAYMARK_PREVIOUS_MASTER_KEYS")
                self._masters.setdefault(master_key_id(key), AESGCM(key))
        self._cache_size = int(environment.get(KEY_CACHE_SIZE) or DEFAULT_CACHE_SIZE)
        self._env = Environment(environment.name, dict(environment))
        self._lock = threading.Lock()
        #: Unwrapped data keys, by case and version, the most recent use last.
        self._keys: OrderedDict[tuple[UUID, int], AESGCM] = OrderedDict()
        #: Each cached case's key version for writing.
        self._current: OrderedDict[UUID, int] = OrderedDict()
        self._store: KeyStore | None = None
        self._store_pid = 0

    @property
    def master_key_id(self) -> str:
        return self._master_id

    def use(self, store: KeyStore) -> None:
        """Keeps the keys in ``store`` (in this process) rather than in a table
        on connections of the keyring's own."""
        with self._lock:
            if self._store is not None and self._store_pid == os.getpid():
                self._store.close()
            self._store, self._store_pid = store, os.getpid()

    @property
    def in_memory(self) -> bool:
        """Whether the key table lives in this process only (the in-memory store)."""
        return isinstance(self.store, MemoryKeyStore)

    @property
    def store(self) -> KeyStore:
        """The key table, opened on first use in each process (a forked child
        opens its own: connections do not survive a fork)."""
        pid = os.getpid()
        if self._store is None or self._store_pid != pid:
            with self._lock:
                if self._store is None or self._store_pid != pid:
                    self._store = key_store(self._env)
                    self._store_pid = pid
        return self._store

    # Sealing and opening

    def seal(self, case_id: UUID, plaintext: bytes, context: bytes = b"") -> bytes:
        """``plaintext`` sealed under the case's current key (the system key for
        ``SYSTEM``), bound to ``context`` (which must be given again to open)."""
        scope = SYSTEM_SCOPE if case_id == SYSTEM else CASE_SCOPE
        version, aead = self._writer(case_id)
        header = _HEADER.pack(MAGIC, FORMAT, scope, version)
        nonce = os.urandom(NONCE_SIZE)
        return header + nonce + aead.encrypt(nonce, plaintext, header + context)

    def open(self, case_id: UUID, sealed: bytes, context: bytes = b"") -> bytes | None:
        """The plaintext of ``sealed``; None when the case's key was destroyed
        (the case was erased). A tampered or misplaced ciphertext raises."""
        # On the path of every event read: kept to a few steps.
        magic, form, scope, version = _HEADER.unpack_from(sealed)
        if magic != MAGIC or form != FORMAT or scope > SYSTEM_SCOPE:
            raise KeyringError(f"unknown sealed format {form} (scope {scope})")
        owner = SYSTEM if scope == SYSTEM_SCOPE else case_id
        aead = self._keys.get((owner, version)) or self._reader(owner, version)
        if aead is None:
            return None
        try:
            return aead.decrypt(
                sealed[HEADER_SIZE:_BODY],
                sealed[_BODY:],
                sealed[:HEADER_SIZE] + context,
            )
        except InvalidTag:
            raise KeyringError(
                f"a sealed record of case {case_id} fails its integrity check"
            ) from None

    # The library's Cipher interface: sealed under the system key.

    def encrypt(self, plaintext: bytes) -> bytes:
        return self.seal(SYSTEM, plaintext)

    def decrypt(self, ciphertext: bytes) -> bytes:
        plaintext = self.open(SYSTEM, ciphertext)
        if plaintext is None:
            raise KeyringError("the system key is missing from the key table")
        return plaintext

    # Keys

    def destroy(self, case_id: UUID) -> int:
        """Deletes every data key of the case, here and in the key table."""
        if case_id == SYSTEM:
            raise ValueError("the system key is never destroyed")
        self.forget(case_id)
        return self.store.destroy(case_id)

    def forget(self, case_id: UUID) -> None:
        """Drops the case's keys from this process's memory."""
        with self._lock:
            self._current.pop(case_id, None)
            for index in [index for index in self._keys if index[0] == case_id]:
                del self._keys[index]

    def holds_key(self, case_id: UUID) -> bool:
        """Whether the key table holds any key of the case."""
        return self.store.latest(case_id) is not None

    def renew(self, case_id: UUID) -> int:
        """A new data key for the case; new events use it, earlier ones keep
        theirs. Returns its key number."""
        kept = self.store.add(self._new_key(case_id))
        self.forget(case_id)
        return kept.version

    def rotate_master(self) -> int:
        """Rewraps every data key under the current master key; the number moved."""
        moved = 0
        for page in every_key_page(self.store, self._master_id):
            rewrapped = [
                self._wrap(key.case_id, key.version, self.unwrap(key)) for key in page
            ]
            self.store.rewrap(rewrapped)
            moved += len(rewrapped)
        return moved

    def keys_by_master(self) -> dict[str, int]:
        return self.store.count_by_master()

    # Mechanics

    def _writer(self, case_id: UUID) -> tuple[int, AESGCM]:
        with self._lock:
            version = self._current.get(case_id)
            if version is not None:
                aead = self._keys.get((case_id, version))
                if aead is not None:
                    self._current.move_to_end(case_id)
                    self._keys.move_to_end((case_id, version))
                    return version, aead
        key = self.store.latest(case_id)
        if key is None:
            # The case's first key. Two writers at once each make one (only one
            # append wins; both keys stay until the case is erased).
            key = self.store.add(self._new_key(case_id))
        aead = AESGCM(self.unwrap(key))
        self._remember(key, aead, current=True)
        return key.version, aead

    def _reader(self, case_id: UUID, version: int) -> AESGCM | None:
        # The hot path takes no lock (a dict read is atomic) and leaves the order
        # alone: the cache forgets the keys it learnt first, not those used last.
        aead = self._keys.get((case_id, version))
        if aead is not None:
            return aead
        key = self.store.get(case_id, version)
        if key is None:
            return None
        aead = AESGCM(self.unwrap(key))
        self._remember(key, aead, current=False)
        return aead

    def _remember(self, key: WrappedKey, aead: AESGCM, *, current: bool) -> None:
        with self._lock:
            self._keys[key.case_id, key.version] = aead
            if current:
                self._current[key.case_id] = key.version
            while len(self._keys) > self._cache_size:
                self._keys.popitem(last=False)
            while len(self._current) > self._cache_size:
                self._current.popitem(last=False)

    def _new_key(self, case_id: UUID) -> WrappedKey:
        # Numbered at random, not in sequence: a key made for an erased case (by
        # a write that races the erasure, and fails) can never be taken for a
        # key of the case's earlier events, which then read as erased.
        number = (int.from_bytes(os.urandom(4), "big") >> 1) or 1  # an SQL INTEGER
        return self._wrap(case_id, number, AESGCM.generate_key(256))

    @staticmethod
    def _wrapping_context(case_id: UUID, version: int) -> bytes:
        return b"waymark data key\x00" + case_id.bytes + version.to_bytes(4, "big")

    def _wrap(self, case_id: UUID, version: int, data_key: bytes) -> WrappedKey:
        nonce = os.urandom(NONCE_SIZE)
        master = self._masters[self._master_id]
        wrapped = master.encrypt(
            nonce, data_key, self._wrapping_context(case_id, version)
        )
        return WrappedKey(case_id, version, nonce + wrapped, self._master_id)

    def unwrap(self, key: WrappedKey) -> bytes:
        """The data key in plain bytes (raises for a master key not held)."""
        master = self._masters.get(key.master_key_id)
        if master is None:
            raise KeyringError(
                f"a data key is wrapped under master key {key.master_key_id}, which "
                "this process does not hold: set WAYMARK_MASTER_KEY, or name the old "
                "key in WAYMARK_PREVIOUS_MASTER_KEYS and run `waymark keys rotate`"
            )
        try:
            return master.decrypt(
                key.wrapped[:NONCE_SIZE],
                key.wrapped[NONCE_SIZE:],
                self._wrapping_context(key.case_id, key.version),
            )
        except InvalidTag:
            raise KeyringError(
                f"the data key of case {key.case_id} fails its integrity check"
            ) from None

    def close(self) -> None:
        if self._store is not None and self._store_pid == os.getpid():
            self._store.close()
        self._store = None


def keyring_env(
    master_key: str, previous_master_keys: Sequence[str] = ()
) -> dict[str, str]:
    """eventsourcing settings that seal every event under its case's key."""
    env = {"CIPHER_TOPIC": KEYRING_TOPIC, MASTER_KEY: master_key}
    if previous_master_keys:
        env[PREVIOUS_MASTER_KEYS] = ",".join(previous_master_keys)
    return env
