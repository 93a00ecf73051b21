"""The folds of recently read cases, kept warm between reads.

A per-case view is a fold of the case's own stream. Refolding a long case on
every read repeats work, so a reader keeps the fold of recently read cases (the
least recently read go first) and, on each read, folds only the events recorded
since. What a fold was frozen into is kept too, by what it was asked for, until
the next event arrives: reading an unchanged case again costs one query for
new events (none) and no freezing. A frozen view is immutable, so one may be
handed to several readers.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any, Generic, TypeVar
from uuid import UUID

from domain.application import CaseJourneys
from domain.errors import CaseNotFound
from projections.case_stream import CaseStreamFold

F = TypeVar("F", bound=CaseStreamFold)
T = TypeVar("T")

#: Views frozen from one fold kept at once (by what they were asked for).
FROZEN_PER_CASE = 8


class WarmFold(Generic[F]):
    """One case's fold and what it was frozen into since its last event."""

    def __init__(self, fold: F) -> None:
        self.lock = threading.Lock()
        self.fold = fold
        self._frozen: OrderedDict[Hashable, Any] = OrderedDict()

    def frozen(self, key: Hashable, freeze: Callable[[F], T]) -> T:
        """``freeze(fold)``, or what it gave for ``key`` since the last event.

        ``key`` must name everything ``freeze`` depends on besides the fold."""
        if key in self._frozen:
            self._frozen.move_to_end(key)
            return self._frozen[key]  # type: ignore[no-any-return]
        view = freeze(self.fold)
        self._frozen[key] = view
        while len(self._frozen) > FROZEN_PER_CASE:
            self._frozen.popitem(last=False)
        return view


class WarmFolds(Generic[F]):
    def __init__(
        self, journeys: CaseJourneys, new_fold: Callable[[], F], *, cases: int
    ) -> None:
        self.journeys = journeys
        self.new_fold = new_fold
        self.cases = cases
        self._folds: OrderedDict[UUID, WarmFold[F]] = OrderedDict()
        self._lock = threading.Lock()

    @contextmanager
    def current(self, case_id: UUID) -> Iterator[WarmFold[F]]:
        """The case's fold brought up to date with its stream, held for this
        reader alone (``CaseNotFound`` if it does not exist or was erased)."""
        warm = self._warm(case_id)
        with warm.lock:
            version = warm.fold.version
            try:
                events = self.journeys.case_events(case_id, after_version=version)
            except CaseNotFound:
                # Erased (or never there): its fold, decrypted, goes at once.
                with self._lock:
                    if self._folds.get(case_id) is warm:
                        del self._folds[case_id]
                raise
            if events:
                # Before folding: a fold that fails half-way must not leave
                # views frozen from its earlier state to be handed out again.
                warm._frozen.clear()
            for event in events:
                warm.fold.fold(event)
            yield warm

    def _warm(self, case_id: UUID) -> WarmFold[F]:
        with self._lock:
            warm = self._folds.get(case_id)
            if warm is None:
                warm = self._folds[case_id] = WarmFold(self.new_fold())
                while len(self._folds) > self.cases:
                    self._folds.popitem(last=False)
            else:
                self._folds.move_to_end(case_id)
            return warm
