"""Keeps a projection's view current, on every store, with one handler code path.

``ProjectionWorker`` reads the application's notification log from the view's own
position (its ``max_tracking_id``) and hands the events to the projection a page
at a time; the view writes each page's changes and the page's tracking record in
one transaction. So a worker stopped anywhere resumes where the view stands, and
two workers on one view never both write a notification: the second's tracking
record is refused (``IntegrityError``), its transaction rolls back, and it resumes
from the position the first reached.

How it learns of new events depends on the store:

- PostgreSQL: eventsourcing's subscription (``recorder.subscribe``, LISTEN/NOTIFY),
  drained into pages as fast as it delivers them (``run``);
- SQLite (whose recorder cannot subscribe in eventsourcing 9.5.6) and the
  in-memory store: polling ``select_notifications`` (``run``, or ``start`` for a
  background thread in the serving process).

``run`` (``waymark project``) outlives the database: a lost connection is
waited out with a doubling pause and the view resumed from its own position. On
PostgreSQL, ``run`` projects only while it holds the view's advisory lock
(``projections.tracking.leadership``), so several workers started for one view
stand in for each other.

Read-your-writes: ``wait_for(position)`` returns once the view has processed that
log position, or False after a bounded wait. A worker in this process catches up
at once rather than waiting for its next poll; otherwise the view's tracking is
polled, while a worker elsewhere (``waymark project``) advances it.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import psycopg
from eventsourcing.application import Application
from eventsourcing.persistence import (
    IntegrityError,
    InterfaceError,
    Notification,
    OperationalError,
    Tracking,
)
from eventsourcing.popo import POPOApplicationRecorder

from projections.tracking.batch import BatchProjection, ViewOfNewerCode
from projections.tracking.leadership import ViewLock, view_lock

logger = logging.getLogger(__name__)

#: Notifications read and written per transaction.
BATCH_SIZE = 500
#: How often a polling worker looks for new events, in seconds.
POLL_SECONDS = 0.5
#: Bounds on the pauses while polling a view's position for read-your-writes.
_FIRST_PAUSE, _LONGEST_PAUSE = 0.01, 0.2

#: The pauses before resuming after the database was lost: doubling from the
#: first to the longest.
RETRY_FIRST_SECONDS, RETRY_LONGEST_SECONDS = 0.5, 30.0


class SubscriptionEnded(ConnectionError):
    """The store's subscription stopped delivering without saying why."""


#: What a lost database connection raises: the worker waits and resumes.
CONNECTION_LOST: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
    SubscriptionEnded,
)

Progress = Callable[[int], None]
#: Rebuilds a view its own way (e.g. into a fresh one, then switched over);
#: returns how many events were read.
Rebuilder = Callable[[Progress | None], int]


class ProjectionWorker:
    def __init__(
        self,
        application: Application[Any],
        projection: BatchProjection[Any],
        *,
        batch_size: int = BATCH_SIZE,
        poll_seconds: float = POLL_SECONDS,
        in_process: bool = False,
        rebuilder: Rebuilder | None = None,
        lock: ViewLock | None = None,
        retry_seconds: tuple[float, float] = (
            RETRY_FIRST_SECONDS,
            RETRY_LONGEST_SECONDS,
        ),
    ) -> None:
        """``in_process``: this process keeps the view current (``start``), so a
        read-your-writes wait may catch up itself instead of polling.
        ``rebuilder``: how the view is rebuilt, if not by forgetting it and
        replaying the log into it in place. ``lock``: who of several workers
        keeps the view current (default: the view's store decides, see
        ``projections.tracking.leadership``). ``retry_seconds``: the first and
        the longest pause before resuming after the database was lost."""
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.application = application
        self.projection = projection
        self.batch_size = batch_size
        self.poll_seconds = poll_seconds
        self.in_process = in_process
        self.rebuilder = rebuilder
        self.lock = lock
        self.retry_seconds = retry_seconds
        #: Whether ``run`` holds the view's lock and keeps it current now.
        self.leading = False
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def name(self) -> str:
        return self.projection.name

    @property
    def application_name(self) -> str:
        return self.application.name

    def position(self) -> int:
        """The last log position the view has processed (0: none)."""
        return self.projection.view.max_tracking_id(self.application_name) or 0

    def log_position(self) -> int:
        return self.application.recorder.max_notification_id() or 0

    # Catching up

    def catch_up(self, progress: Progress | None = None) -> int:
        """Processes every notification after the view's position; returns how
        many were read. ``progress`` is told each position reached."""
        with self._lock:
            return self._catch_up(progress)

    def rebuild(self, progress: Progress | None = None) -> int:
        """Replays the whole log into the view: by the ``rebuilder``, or by
        forgetting the view and replaying the log into it in place."""
        with self._lock:
            if self.rebuilder is not None:
                return self.rebuilder(progress)
            self.projection.view.forget(self.application_name)
            return self._catch_up(progress)

    def _catch_up(self, progress: Progress | None) -> int:
        read = 0
        start = self.position()
        while True:
            page = self.application.recorder.select_notifications(
                start, limit=self.batch_size, inclusive_of_start=False
            )
            if not page:
                return read
            start = self._process(page, start)
            read += len(page)
            if progress is not None:
                progress(start)
            if len(page) < self.batch_size:
                return read

    def _process(self, page: Sequence[Notification], start: int) -> int:
        """Processes a page read after ``start``; returns the view's position."""
        mapper = self.application.mapper
        events = [mapper.to_domain_event(notification) for notification in page]
        tracking = Tracking(self.application_name, page[-1].id)
        try:
            self.projection.process_batch(events, tracking, after=start)
        except IntegrityError:
            # Another worker moved the view first; resume where it stands. If the
            # view did not move, the refusal was about the rows: a bug.
            now = self.position()
            if now == start:
                raise
            logger.info("%s: another worker moved the view to %d", self.name, now)
            return now
        return page[-1].id

    # Keeping current

    def run(self, stop: threading.Event) -> None:
        """Keeps the view current until ``stop`` is set: following the store's
        subscription where it has one, else polling.

        It outlives the database: when a connection is lost (a server restart,
        a terminated session) it waits, doubling the pause from
        the first of ``retry_seconds`` up to the longest, and resumes
        from the view's own position. On PostgreSQL it first takes the view's
        advisory lock (``projections.tracking.leadership``), so of several
        workers started for one view only one projects; the others stand by
        and one takes over when it dies. Any other error is raised."""
        if self.lock is None:
            self.lock = view_lock(self.projection.view, self.name)
        lock = self.lock
        first_pause, longest_pause = self.retry_seconds
        pause = first_pause
        try:
            while not stop.is_set():
                try:
                    if not lock.acquire(stop, self.poll_seconds):
                        return
                    self.leading = True
                    with _while_held(lock, stop, self.poll_seconds) as halt:
                        self._follow_log(halt)
                    if not stop.is_set():
                        logger.warning(
                            "%s: lost the view's lock; standing by", self.name
                        )
                    pause = first_pause
                except CONNECTION_LOST as error:
                    self.leading = False
                    logger.warning(
                        "%s: lost the database (%s: %s); resuming in %.1f s",
                        self.name,
                        type(error).__name__,
                        _last_line(error),
                        pause,
                    )
                    self._discard_broken_connections()
                    stop.wait(pause)
                    pause = min(pause * 2, longest_pause)
                finally:
                    self.leading = False
        finally:
            lock.close()

    def _discard_broken_connections(self) -> None:
        # A restarted server leaves every pooled connection broken; have the
        # pools check theirs now, rather than failing once on each in turn.
        for recorder in (self.application.recorder, self.projection.view):
            datastore = getattr(recorder, "datastore", None)
            pool = getattr(datastore, "pool", None)
            if pool is not None:
                with contextlib.suppress(Exception):
                    pool.check()

    def _follow_log(self, stop: threading.Event) -> None:
        self.catch_up()
        if isinstance(self.application.recorder, POPOApplicationRecorder):
            # eventsourcing 9.5.6's in-memory subscription starts pulling before
            # it listens, so a write in between wakes nobody: poll instead.
            self.poll(stop)
            return
        try:
            subscription = self.application.recorder.subscribe(gt=self.position())
        except NotImplementedError:
            self.poll(stop)
            return
        with subscription:
            self._follow(subscription, stop)

    def poll(self, stop: threading.Event) -> None:
        """Catches up every ``poll_seconds`` until ``stop`` is set."""
        while not stop.is_set():
            self.catch_up()
            stop.wait(self.poll_seconds)

    def _follow(self, subscription: Any, stop: threading.Event) -> None:
        """Processes what the subscription delivers, a page at a time: all that
        has arrived, up to ``batch_size``, in one transaction."""
        delivered: queue.Queue[Notification | BaseException] = queue.Queue(
            maxsize=self.batch_size * 4
        )
        # Set when this loop ends for any reason, not only ``stop``: a pump
        # waiting for room in a full queue nobody drains any more must give up,
        # or joining it would hang.
        finished = threading.Event()

        def offer(item: Notification | BaseException) -> bool:
            while not (stop.is_set() or finished.is_set()):
                try:
                    delivered.put(item, timeout=0.1)
                    return True
                except queue.Full:
                    continue
            return False

        def pump() -> None:
            try:
                for notification in subscription:
                    if not offer(notification):
                        return
            except BaseException as error:  # handed to the processing loop
                offer(error)

        pumping = threading.Thread(target=pump, name=f"{self.name}-subscription")
        pumping.start()
        quiet_since = time.monotonic()
        try:
            while not stop.is_set():
                try:
                    item = delivered.get(timeout=0.1)
                except queue.Empty:
                    if not pumping.is_alive() and delivered.empty():
                        raise SubscriptionEnded("the subscription ended") from None
                    if time.monotonic() - quiet_since >= self.poll_seconds:
                        # eventsourcing 9.5.6's subscriptions start pulling before
                        # they listen, so a write in that instant wakes nobody
                        # until the next one: when quiet, read the log as well.
                        self.catch_up()
                        quiet_since = time.monotonic()
                    continue
                quiet_since = time.monotonic()
                page: list[Notification] = []
                while not isinstance(item, BaseException):
                    page.append(item)
                    if len(page) >= self.batch_size:
                        break
                    try:
                        item = delivered.get_nowait()
                    except queue.Empty:
                        break
                if page:
                    self._process_followed(page)
                if isinstance(item, BaseException):
                    raise item
        finally:
            finished.set()
            subscription.stop()
            pumping.join()

    def _process_followed(self, page: list[Notification]) -> None:
        with self._lock:
            position = self.position()
            fresh = [n for n in page if n.id > position]
            if not fresh:
                return
            if fresh[0].id != position + 1:
                # A gap in the ids (a rolled-back insert) or a view reset
                # elsewhere: read from the log after the view's own position.
                self._catch_up(None)
                return
            self._process(fresh, position)

    # In this process

    def start(self) -> None:
        """Keeps the view current from a background thread (polling)."""
        if self._thread is not None:
            return
        self._stopping.clear()
        self._thread = threading.Thread(
            target=self._keep_current, name=f"{self.name}-projection", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _keep_current(self) -> None:
        pause = self.poll_seconds
        while not self._stopping.is_set():
            try:
                self.catch_up()
                pause = self.poll_seconds
            except ViewOfNewerCode as error:
                # Retrying cannot help: only the newer code may write it.
                logger.error("%s projection stopped: %s", self.name, error)
                return
            except Exception:
                # The view stays where it was; queries say how current it is.
                logger.exception("%s projection failed; retrying", self.name)
                pause = min(max(pause * 2, 1.0), 30.0)
            self._stopping.wait(pause)

    # Read-your-writes

    def wait_for(self, position: int, timeout: float) -> bool:
        """True once the view has processed ``position``; False if it has not
        within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        pause = _FIRST_PAUSE
        while True:
            if self.position() >= position:
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            if self.in_process and self._lock.acquire(timeout=remaining):
                try:
                    self._catch_up(None)
                finally:
                    self._lock.release()
                if self.position() >= position:
                    return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            time.sleep(min(pause, remaining))
            pause = min(pause * 2, _LONGEST_PAUSE)


@contextlib.contextmanager
def _while_held(
    lock: ViewLock, stop: threading.Event, every: float
) -> Iterator[threading.Event]:
    """An event set as soon as ``stop`` is, or once the lock is found lost
    (checked every ``every`` seconds)."""
    halt = threading.Event()
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            if stop.wait(every) or not lock.held():
                halt.set()
                return

    watcher = threading.Thread(target=watch, name="view-lock-watch", daemon=True)
    watcher.start()
    try:
        yield halt
    finally:
        done.set()
        watcher.join()


def _last_line(error: BaseException) -> str:
    """The gist of a database error (psycopg's messages run to several lines)."""
    lines = str(error).strip().splitlines()
    return lines[-1] if lines else ""
