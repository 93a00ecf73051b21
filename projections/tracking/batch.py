"""Views that take a batch of changes with its tracking record, and projections
whose event handlers say what changes, not how it is written.

A handler maps one domain event to a list of plain change values. The same handler
serves both paths:

- one event at a time (``process_event``), as eventsourcing's ``ProjectionRunner``
  calls it: the event's changes and its tracking record in one transaction;
- a page of events (``process_batch``), as ``ProjectionWorker`` catches up: the
  page's changes and the tracking record of its last notification in one
  transaction, so a catch-up costs one commit per page, not per event.

Either way a view's rows and its position move together or not at all, and a
tracking record that is not new (a notification processed already) is refused with
``IntegrityError`` and writes nothing: exactly once.

A page also names the position it was read after, and is written only if the view
is still exactly there (compare-and-set). A monotonic check alone would let two
workers whose pages overlap but end at different positions both write the
overlap; this way the second is refused and resumes where the first stopped.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from typing import Any, Generic, TypeVar

from eventsourcing.persistence import Tracking, TrackingRecorder
from eventsourcing.projection import Projection

from projections.tracking.storable import storable_changes


class ViewOfNewerCode(RuntimeError):
    """Raised by a view's write when the view is no longer this code's to write
    (newer code stamped it): the worker stops instead of retrying."""


class BatchView(TrackingRecorder, ABC):
    """A materialised view that writes changes and tracking atomically."""

    @abstractmethod
    def apply(
        self, changes: Sequence[Any], tracking: Tracking, *, after: int | None = None
    ) -> None:
        """Writes the changes and the tracking record in one transaction.

        Raises ``IntegrityError``, having written nothing, when the tracking
        record is not beyond the view's position for that application; or, if
        ``after`` is given, when the view's position is not exactly ``after``
        (0: no tracking record yet).
        """

    @abstractmethod
    def forget(self, application_name: str) -> None:
        """Deletes every row and the application's tracking record, in one
        transaction: the view is then as new, ready to be rebuilt."""

    @abstractmethod
    def close(self) -> None:
        """Releases the view's connections."""


TBatchView = TypeVar("TBatchView", bound=BatchView)


class BatchProjection(Projection[TBatchView], ABC, Generic[TBatchView]):
    """A projection whose handlers return changes for its view to write."""

    @abstractmethod
    def changes(self, domain_event: Any) -> Sequence[Any]:
        """What the event changes in the view; empty when nothing."""

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.apply(storable_changes(self.changes(domain_event)), tracking)

    def process_batch(
        self, domain_events: Iterable[Any], tracking: Tracking, *, after: int
    ) -> None:
        """Processes the events of the log after position ``after`` up to the
        tracking record's, in one transaction."""
        changes: list[Any] = []
        for domain_event in domain_events:
            changes.extend(self.changes(domain_event))
        # Whatever the log holds, the view can store (see ``storable``).
        self.view.apply(storable_changes(changes), tracking, after=after)
