"""The composition root: builds Waymark's application and views from settings."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from api.policy import Policy
from api.settings import Settings
from domain.application import CaseJourneys
from domain.clocks import RuleBook, rule_book
from projections.audit import AuditStore, audit_store
from projections.caseload import (
    DRIFT_DAYS,
    MAX_DRIFT_DAYS,
    CaseloadProjection,
    CaseloadReader,
    caseload_view,
)
from projections.evaluation import evaluation_view
from projections.evaluation.projection import EvaluationProjection
from projections.evaluation.reader import EvaluationReader
from projections.evaluation.rebuild import rebuild_evaluation
from projections.tracking import ProjectionWorker, store_kind
from projections.tracking.worker import POLL_SECONDS
from storage.encryption import share_connections
from storage.files import owner_only_sqlite
from storage.keyring import keyring_env

#: Drift: an open case with no contact for this many days (default 28).
DRIFT_DAYS_SETTING = "WAYMARK_DRIFT_DAYS"
#: Whether the serving process keeps the views current itself: yes or no. By
#: default yes on SQLite and the in-memory store, no on PostgreSQL (run
#: ``waymark project`` beside the API).
IN_PROCESS_SETTING = "WAYMARK_PROJECT_IN_PROCESS"
#: How often a polling worker looks for new events, in seconds (default 0.5).
POLL_SETTING = "WAYMARK_PROJECTION_POLL_SECONDS"

_YES, _NO = {"1", "yes", "y", "true", "on"}, {"0", "no", "n", "false", "off"}


def build_journeys(
    settings: Settings, *, today: Callable[[], date] | None = None
) -> CaseJourneys:
    owner_only_sqlite(settings.persistence)
    journeys = CaseJourneys(env=journeys_env(settings), today=today)
    share_connections(journeys)
    return journeys


def journeys_env(settings: Settings) -> dict[str, str]:
    """The store's settings, with each case sealed under its own key when the
    settings hold a master key."""
    env = dict(settings.persistence)
    if settings.master_key:
        env.update(keyring_env(settings.master_key, settings.previous_master_keys))
    return env


def build_policy(settings: Settings) -> Policy:
    """Who may do what, with the organisations the settings name."""
    return Policy(
        assigned_only=settings.assigned_only_organisations,
        organisations=settings.organisations,
    )


def build_rule_book(settings: Settings) -> RuleBook:
    """The legal clocks' rules, with the *(check)* periods the settings set.

    Built once per application (``api.app.create_app``) and handed to every
    request; ``Settings.from_environ`` has already refused unusable overrides.
    """
    return rule_book(settings.clock_periods)


@dataclass(frozen=True)
class ProjectionSettings:
    drift_days: int = DRIFT_DAYS
    #: None: by store (SQLite and in-memory: in this process; PostgreSQL: not).
    in_process: bool | None = None
    poll_seconds: float = POLL_SECONDS
    #: How long a query asking for a log position waits for the views.
    wait_seconds: float = 2.0

    @classmethod
    def from_environ(
        cls, environ: Mapping[str, str] | None = None
    ) -> ProjectionSettings:
        environ = os.environ if environ is None else environ
        drift = environ.get(DRIFT_DAYS_SETTING, "").strip() or str(DRIFT_DAYS)
        if not (drift.isascii() and drift.isdigit()) or not (
            1 <= int(drift) <= MAX_DRIFT_DAYS
        ):
            msg = (
                f"{DRIFT_DAYS_SETTING} must be a whole number of days from 1 to "
                f"{MAX_DRIFT_DAYS}, not {drift!r}."
            )
            raise ValueError(msg)
        in_process_text = environ.get(IN_PROCESS_SETTING, "").strip().lower()
        in_process: bool | None = None
        if in_process_text in _YES:
            in_process = True
        elif in_process_text in _NO:
            in_process = False
        elif in_process_text:
            msg = f"{IN_PROCESS_SETTING} must be yes or no, not {in_process_text!r}."
            raise ValueError(msg)
        poll = environ.get(POLL_SETTING, "").strip() or str(POLL_SECONDS)
        try:
            poll_seconds = float(poll)
        except ValueError:
            poll_seconds = -1.0
        if not 0.01 <= poll_seconds <= 3600:
            msg = f"{POLL_SETTING} must be seconds from 0.01 to 3600, not {poll!r}."
            raise ValueError(msg)
        return cls(
            drift_days=int(drift), in_process=in_process, poll_seconds=poll_seconds
        )


@dataclass(frozen=True)
class Views:
    """The materialised views, their readers and the workers that keep them."""

    caseload: CaseloadReader
    evaluation: EvaluationReader
    workers: tuple[ProjectionWorker, ...]
    #: Whether this process keeps them current (``start``) or a worker elsewhere
    #: does (``waymark project``).
    in_process: bool
    #: The audit of every read, beside the views (not a view: it cannot be
    #: rebuilt from the log).
    audit: AuditStore

    def start(self) -> None:
        """Keeps the views current from this process, if it is to."""
        if self.in_process:
            for worker in self.workers:
                worker.start()

    def stop(self) -> None:
        for worker in self.workers:
            worker.stop()

    def close(self) -> None:
        self.stop()
        for worker in self.workers:
            worker.projection.view.close()
        self.audit.close()


def build_views(
    settings: Settings,
    journeys: CaseJourneys,
    options: ProjectionSettings | None = None,
) -> Views:
    """The views beside ``journeys``' store (see ``projections.tracking.stores``).

    The in-memory store's events live only in this process, so its views are
    always kept current here.
    """
    options = options or ProjectionSettings.from_environ()
    kind = store_kind(settings.persistence)
    in_process = kind == "memory" or (
        options.in_process if options.in_process is not None else kind == "sqlite"
    )
    view = caseload_view(settings.persistence, build_rule_book(settings))
    worker = ProjectionWorker(
        journeys,
        CaseloadProjection(view),
        poll_seconds=options.poll_seconds,
        in_process=in_process,
    )
    caseload = CaseloadReader(
        view,
        worker,
        today=journeys.today,
        drift_days=options.drift_days,
        wait_seconds=options.wait_seconds,
    )
    evaluation_live = evaluation_view(settings.persistence)
    evaluation_worker = ProjectionWorker(
        journeys,
        EvaluationProjection.of(journeys, evaluation_live),
        poll_seconds=options.poll_seconds,
        in_process=in_process,
        # Into a fresh view, then switched over: never a half-built one.
        rebuilder=lambda progress: (
            rebuild_evaluation(
                journeys, settings.persistence, live=evaluation_live, progress=progress
            ).events
        ),
    )
    evaluation = EvaluationReader(
        evaluation_live,
        journeys.name,
        threshold=settings.evaluation_threshold,
        pseudonym_key=settings.pseudonym_key_bytes(),
    )
    return Views(
        caseload=caseload,
        evaluation=evaluation,
        workers=(worker, evaluation_worker),
        in_process=in_process,
        audit=audit_store(settings.persistence),
    )
