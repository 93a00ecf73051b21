"""What every resolver is handed: the application, the caller and the request."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TypeVar

from strawberry.fastapi import BaseContext
from strawberry.types import Info

from api.auth import Principal
from api.graphql.access import Gate
from api.graphql.cursors import ListingCursors
from api.policy import Policy
from api.store_threads import StoreThreads
from domain.application import CaseJourneys
from domain.clocks import DEFAULT_RULES, RuleBook
from projections.audit import AuditStore
from projections.caseload import CaseloadReader
from projections.chronology import ChronologyReader
from projections.deadlines import DeadlinesReader
from projections.evaluation.reader import EvaluationReader

T = TypeVar("T")


class WaymarkContext(BaseContext):
    """Per request: the application and its readers are shared; the principal is
    this caller's."""

    def __init__(
        self,
        journeys: CaseJourneys,
        chronologies: ChronologyReader,
        principal: Principal | None,
        threads: StoreThreads | None = None,
        caseload: CaseloadReader | None = None,
        rules: RuleBook = DEFAULT_RULES,
        evaluation: EvaluationReader | None = None,
        cursors: ListingCursors | None = None,
        policy: Policy | None = None,
        audit: AuditStore | None = None,
        deadlines: DeadlinesReader | None = None,
    ) -> None:
        super().__init__()
        self.journeys = journeys
        self.chronologies = chronologies
        self._principal = principal
        #: Where store work runs, off the event loop.
        self.threads = threads
        #: The caseload view's reader (None only where no views were built).
        self.caseload = caseload
        #: The legal clocks' rules, with any configured *(check)* periods.
        self.rules = rules
        #: The evaluation view's reader (None only where no views were built).
        self.evaluation = evaluation
        #: Signs and checks listings' cursors (keyed from the settings).
        self.cursors = cursors or ListingCursors()
        #: Who may do what (``api.policy``), from the settings.
        self.policy = policy or Policy()
        #: Where every read is recorded (None only where no views were built).
        self.audit = audit
        #: Reads cases' legal clocks (shared by the requests, to keep folds warm).
        self.deadlines = deadlines or DeadlinesReader(journeys)

    @property
    def principal(self) -> Principal:
        # Every operation is run for an authenticated caller (the API serves no
        # page without one); reaching here without one is a bug: it fails, masked.
        if self._principal is None:
            raise RuntimeError("an operation ran without an authenticated caller")
        return self._principal

    @property
    def gate(self) -> Gate:
        """The policy and the audit, for this caller."""
        if self.audit is None:
            raise RuntimeError("no audit store: nothing may be read unrecorded")
        return Gate(self.journeys, self.policy, self.audit, self.principal)

    async def in_thread(self, work: Callable[..., T], *args: object) -> T:
        """Runs synchronous store work off the event loop."""
        if self.threads is None:
            raise RuntimeError("no store threads: this context has no store work")
        return await self.threads.run(partial(work, *args))


Information = Info[WaymarkContext, None]
