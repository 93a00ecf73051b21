"""One command at a time on each case, within this process.

Two commands on one case decided at once are decided on the same version, and
the store takes only one of them: the other must be decided again, and again
if it loses once more. Three writers on one case could run out of attempts
that way. Taking the case's lock for the whole of a command makes the second
wait for the first and then decide on the case as the first left it. Commands
on other cases do not wait (each case has a lock of its own while anyone holds
or awaits it), so they are still saved together. Another process writing the
same case is still met by the store's version check, and a fresh attempt.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from uuid import UUID


class CaseLocks:
    def __init__(self) -> None:
        self._guard = threading.Lock()
        #: Each case's lock, with how many commands hold or await it.
        self._locks: dict[UUID, tuple[threading.Lock, int]] = {}

    @contextmanager
    def held(self, case_id: UUID) -> Iterator[None]:
        """The case's lock, for the block."""
        with self._guard:
            lock, users = self._locks.get(case_id, (None, 0))
            if lock is None:
                lock = threading.Lock()
            self._locks[case_id] = (lock, users + 1)
        try:
            with lock:
                yield
        finally:
            with self._guard:
                _, users = self._locks[case_id]
                if users == 1:
                    del self._locks[case_id]
                else:
                    self._locks[case_id] = (lock, users - 1)

    def __len__(self) -> int:
        """Cases whose lock is held or awaited now."""
        with self._guard:
            return len(self._locks)
