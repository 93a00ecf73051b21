"""The projection worker following a store's subscription: when writing a page
fails, the error reaches the caller and the worker's own threads end, even with a
backlog the subscription is still delivering."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from typing import Any, cast

from eventsourcing.persistence import Notification, Tracking

from projections.tracking import ProjectionWorker


class EndlessSubscription:
    """Delivers notifications as fast as asked, until stopped."""

    def __init__(self) -> None:
        self.stopped = threading.Event()

    def __enter__(self) -> EndlessSubscription:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def stop(self) -> None:
        self.stopped.set()

    def __iter__(self) -> Iterator[Notification]:
        position = 0
        while not self.stopped.is_set():
            position += 1
            yield Notification(uuid.uuid4(), 1, "topic", b"", position)


class Recorder:
    def __init__(self, subscription: EndlessSubscription) -> None:
        self.subscription = subscription

    def select_notifications(self, start: int, **kwargs: Any) -> list[Notification]:
        return []

    def subscribe(self, gt: int) -> EndlessSubscription:
        return self.subscription


class Mapper:
    def to_domain_event(self, notification: Notification) -> Notification:
        return notification


class Application:
    name = "Journeys"
    mapper = Mapper()

    def __init__(self, subscription: EndlessSubscription) -> None:
        self.recorder = Recorder(subscription)


class View:
    def max_tracking_id(self, application_name: str) -> int:
        return 0


class FailingProjection:
    """Fails to write its first page, once the subscription has filled the queue."""

    name = "failing"
    view = View()

    def process_batch(
        self, domain_events: Sequence[Any], tracking: Tracking, *, after: int
    ) -> None:
        time.sleep(0.2)
        raise RuntimeError("the view refused the page")


def test_a_failed_page_while_following_is_raised_and_the_worker_does_not_hang() -> None:
    subscription = EndlessSubscription()
    worker = ProjectionWorker(
        cast(Any, Application(subscription)),
        cast(Any, FailingProjection()),
        batch_size=1,
    )
    raised: list[BaseException] = []

    def run() -> None:
        try:
            worker.run(threading.Event())
        except BaseException as error:
            raised.append(error)

    running = threading.Thread(target=run, daemon=True)
    running.start()
    running.join(timeout=10)

    assert not running.is_alive(), "the worker hung after a failed page"
    assert [str(error) for error in raised] == ["the view refused the page"]
    assert subscription.stopped.is_set()
