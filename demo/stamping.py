"""Synthetic cases recorded on the days they happened, not the day they are loaded.

The library asks each event class for ``create_timestamp()`` when it makes an
event; case events inherit it from ``CaseEvent``. While ``events_stamped_by`` is
in force, case events take their timestamps from the clock given instead. Each
event's hash covers its stored state, timestamp included, and is worked out when
the event is made, so the chain of a case recorded this way verifies like any
other. The clock is patched for this process alone: nothing else may record cases
in it meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from unittest import mock

from domain.case import CaseEvent


@contextmanager
def events_stamped_by(clock: Callable[[], datetime]) -> Iterator[None]:
    """Case events made inside the block are stamped by ``clock``."""
    with mock.patch.object(CaseEvent, "create_timestamp", staticmethod(clock)):
        yield
