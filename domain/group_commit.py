"""Cases changed by commands that arrive together are saved in one transaction.

Each save to the store pays for a connection, a transaction, the events
table's lock (eventsourcing's PostgreSQL recorder takes it EXCLUSIVE, so that
notification ids commit in order), a NOTIFY and a commit, whatever it holds.
When several commands finish at once (advocates of several organisations
recording on one server), their cases can share those costs: the first to
arrive saves every case waiting then, in one ``Application.save``, and the
next in the queue saves the ones that arrived meanwhile. One command alone is
saved at once, as before: nothing waits for company.

What it keeps:

- **All or nothing, per transaction.** The cases of a batch are recorded
  together or not at all. When a batch of several fails (another process
  wrote one of its cases first, or the store refused), nothing of it is
  recorded and every command in it is told so (``SavedTogetherFailed``); the
  caller tries each again on its own, on a fresh copy of its case, where a
  real conflict or refusal is met by that command alone.
- **One change of a case per batch.** Two commands on the same case never
  share a batch; the later waits for the next. A command decided on a version
  of its case older than one saved since (two commands on one case at once:
  one must lose) is refused with ``RecordConflictError`` without troubling
  the store or its batch, as the store would refuse it; its caller decides
  again on a fresh copy.
- **Order.** Cases are taken in the order their commands finished.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.persistence import RecordConflictError, Recording

#: Cases saved in one transaction at most.
MOST_CASES = 32
#: Cases whose last saved version is remembered (to refuse stale changes).
REMEMBERED_CASES = 4096


class SavedTogetherFailed(Exception):
    """The batch this case was saved in failed: nothing in it was recorded."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(f"a save shared with other cases failed: {cause!r}")


@dataclass(eq=False)
class _Turn:
    """One case waiting to be saved, and what became of it."""

    case_id: UUID
    case: Any
    #: The case's version when the command was decided on it.
    decided_on: int
    ready: threading.Event = field(default_factory=threading.Event)
    #: Set when the turn is handed the saving of the next batch.
    leads: bool = False
    recordings: list[Recording[UUID]] | None = None
    error: BaseException | None = None

    def outcome(self) -> list[Recording[UUID]]:
        if self.error is not None:
            raise self.error
        assert self.recordings is not None
        return self.recordings


class GroupCommit:
    """Saves cases through ``save`` (an ``Application.save``), those waiting
    together in one call."""

    def __init__(
        self,
        save: Callable[..., Sequence[Recording[UUID]]],
        most: int = MOST_CASES,
    ) -> None:
        self._save = save
        self._most = most
        self._lock = threading.Lock()
        self._queue: list[_Turn] = []
        #: Whether a thread is saving a batch now (then new turns wait for it).
        self._saving = False
        #: The version each recently saved case was saved at, oldest first.
        self._saved: OrderedDict[UUID, int] = OrderedDict()

    @property
    def waiting(self) -> int:
        """Cases waiting for a batch now."""
        with self._lock:
            return len(self._queue)

    def save(
        self, case_id: UUID, case: object, decided_on: int
    ) -> list[Recording[UUID]]:
        """Records ``case``'s pending events (of a command decided on version
        ``decided_on``), with other cases waiting now; returns the recordings
        of this case's events."""
        turn = _Turn(case_id, case, decided_on)
        with self._lock:
            self._queue.append(turn)
            leads = not self._saving
            self._saving = True
        if not leads:
            turn.ready.wait()
            if not turn.leads:
                return turn.outcome()
        with self._lock:
            batch = self._take()
        try:
            if batch:  # none if this turn and all behind it were stale
                self._commit(batch)
        finally:
            with self._lock:
                if self._queue:
                    following = self._queue[0]
                    following.leads = True
                    following.ready.set()
                else:
                    self._saving = False
        return turn.outcome()

    def _take(self) -> list[_Turn]:
        """The next batch: waiting turns in order, one per case (the first in
        the queue always among them), the rest left waiting; a stale turn is
        refused on the spot."""
        batch: list[_Turn] = []
        left: list[_Turn] = []
        cases: set[UUID] = set()
        for turn in self._queue:
            if self._saved.get(turn.case_id, -1) > turn.decided_on:
                turn.error = RecordConflictError(
                    f"case {turn.case_id} was saved at a later version meanwhile"
                )
                turn.ready.set()
            elif len(batch) < self._most and turn.case_id not in cases:
                batch.append(turn)
                cases.add(turn.case_id)
            else:
                left.append(turn)
        self._queue = left
        return batch

    def _commit(self, batch: list[_Turn]) -> None:
        """Saves the batch; whatever happens, every turn in it is told."""
        try:
            recordings = self._save(*(turn.case for turn in batch))
        except BaseException as error:
            # Nothing was recorded: each may be tried again.
            for turn in batch:
                turn.error = error if len(batch) == 1 else SavedTogetherFailed(error)
            self._release(batch)
            if not isinstance(error, Exception):  # an interrupt: this thread stops
                raise
            return
        try:
            by_case: dict[UUID, list[Recording[UUID]]] = {t.case_id: [] for t in batch}
            for recording in recordings:
                by_case[recording.domain_event.originator_id].append(recording)
            with self._lock:
                for turn in batch:
                    turn.recordings = by_case[turn.case_id]
                    self._remember(turn)
        except Exception as error:  # recorded, but not answerable: not retried
            for turn in batch:
                turn.error = error
        self._release(batch)

    def _remember(self, turn: _Turn) -> None:
        """The version the turn's case was saved at (under the lock)."""
        if turn.recordings:
            version = turn.recordings[-1].domain_event.originator_version
            self._saved[turn.case_id] = version
            self._saved.move_to_end(turn.case_id)
        while len(self._saved) > REMEMBERED_CASES:
            self._saved.popitem(last=False)

    @staticmethod
    def _release(batch: list[_Turn]) -> None:
        for turn in batch:
            turn.ready.set()
