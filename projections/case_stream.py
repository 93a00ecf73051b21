"""The shape every per-case view shares: one case's events folded in order.

A view says which events it reads (``handlers``); the fold keeps the case's
opening and the last event folded, which every view needs to say what it
reflects.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from domain.case import CaseEvent, CaseOpened


class CaseStreamFold:
    def __init__(self) -> None:
        self.opened: CaseOpened | None = None
        self.last: CaseEvent | None = None
        self._handlers: dict[type[CaseEvent], Callable[[Any], None]] = {
            CaseOpened: self._case_opened,
            **self.handlers(),
        }

    def handlers(self) -> Mapping[type[CaseEvent], Callable[[Any], None]]:
        """The events this view reads besides the opening, and how."""
        return {}

    @property
    def version(self) -> int | None:
        """The case's version folded so far; None before the opening."""
        return self.last.originator_version if self.last else None

    def fold(self, event: CaseEvent) -> None:
        handler = self._handlers.get(type(event))
        if handler is not None:
            handler(event)
        self.last = event

    def opening(self) -> tuple[CaseOpened, CaseEvent]:
        """The case's opening and the last event folded, once both exist."""
        if self.opened is None or self.last is None:
            raise ValueError("a case view needs the case's opening event")
        return self.opened, self.last

    def _case_opened(self, event: CaseOpened) -> None:
        self.opened = event
