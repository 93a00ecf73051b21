"""CaseJourneys: the application service every command and case query goes through.

Each command loads the case, applies one rule-checked change and saves it. A command
may carry an idempotency key (a retry returns the first result and records nothing
new) and an expected version (a clash is a ``VersionConflict``). Without an expected
version, an append that lost a race to another writer is retried on the fresh case.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import orjson
from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import RecordConflictError

from domain.case import (
    CaseEvent,
    CaseOpened,
    ConsentPurpose,
    Provenance,
    SurvivorCase,
    case_id_for,
)
from domain.errors import (
    CaseNotFound,
    CommandRefused,
    IdempotencyKeyReused,
    VersionConflict,
)
from domain.hashchain import GENESIS
from domain.steps import StepReading, parse_occurred, parse_sources

UK = ZoneInfo("Europe/London")

CaseAction = Callable[[SurvivorCase, Provenance], UUID | None]


class TooManyConcurrentWrites(CommandRefused):
    def __init__(self, attempts: int) -> None:
        super().__init__(
            f"the case kept changing under this command ({attempts} attempts); retry"
        )


@dataclass(frozen=True)
class CommandResult:
    case_id: UUID
    #: The case, step or document the command made or concerned.
    id: UUID
    #: The case's version after the command.
    version: int
    #: A log position at which the change is visible (for read-your-writes).
    position: int
    #: True when an idempotent retry was answered with the first result.
    replayed: bool = False


@dataclass(frozen=True)
class StepInput:
    """A step as a client states it, before validation."""

    kind: str
    occurred: str | None
    summary: str
    details: Mapping[str, Any] | None = None
    sources: Sequence[Mapping[str, Any]] | None = None
    order: int | None = None


@dataclass(frozen=True)
class CaseSummary:
    id: UUID
    reference: str
    organisation_id: str
    jurisdiction: str
    local_authority: str | None
    advocate_id: str | None
    consents: tuple[str, ...]
    closed: bool
    version: int
    step_count: int
    opened_at: datetime
    modified_at: datetime


@dataclass(frozen=True)
class ChainReport:
    case_id: UUID
    events: int
    head: str
    #: Versions whose recorded predecessor hash does not match the chain.
    breaks: tuple[int, ...]

    @property
    def intact(self) -> bool:
        return not self.breaks


def command_digest(name: str, inputs: Mapping[str, Any]) -> str:
    """A fingerprint of a command, to tell a retry from a reused key."""
    canonical = orjson.dumps(
        {"command": name, "inputs": inputs},
        default=str,
        option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS,
    )
    return hashlib.sha256(canonical).hexdigest()


class CaseJourneys(Application[UUID]):
    """Survivor cases: opening, recording the journey, reading it back.

    A command made ``on_behalf_of`` an organisation acts only on that
    organisation's cases; any other case is answered as not found.
    """

    name = "CaseJourneys"
    env = {"AGGREGATE_CACHE_MAXSIZE": "1000"}
    max_attempts = 5

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        today: Callable[[], date] | None = None,
    ) -> None:
        super().__init__(env)
        self.today = today or (lambda: datetime.now(UK).date())

    # Commands

    def open_case(
        self,
        *,
        reference: str,
        organisation_id: str,
        jurisdiction: str,
        local_authority: str | None = None,
        recorded_by: str,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        inputs = {
            "reference": reference,
            "organisation_id": organisation_id,
            "jurisdiction": jurisdiction,
            "local_authority": local_authority,
        }
        by = self._provenance(recorded_by, idempotency_key, "open_case", inputs)
        for _ in range(self.max_attempts):
            if idempotency_key:
                existing = self._find(
                    case_id_for(organisation_id.strip(), idempotency_key)
                )
                if existing is not None:
                    return self._replay(existing, by)
            case = SurvivorCase.open(
                reference=reference,
                organisation_id=organisation_id,
                jurisdiction=jurisdiction,
                local_authority=local_authority,
                by=by,
            )
            try:
                recordings = self.save(case)
            except RecordConflictError:
                continue  # the same key opened it concurrently: answer as a retry
            return CommandResult(
                case.id, case.id, case.version, recordings[-1].notification.id
            )
        raise TooManyConcurrentWrites(self.max_attempts)

    def record_step(
        self,
        case_id: UUID,
        step: StepInput,
        *,
        recorded_by: str,
        idempotency_key: str | None = None,
        expected_version: int | None = None,
        on_behalf_of: str | None = None,
    ) -> CommandResult:
        reading = self._reading(step)
        return self._execute(
            case_id,
            "record_step",
            {"step": step},
            lambda case, by: case.record_step(reading, by),
            recorded_by,
            idempotency_key,
            expected_version,
            on_behalf_of,
        )

    def correct_step(
        self,
        case_id: UUID,
        step_id: UUID,
        step: StepInput,
        *,
        reason: str,
        recorded_by: str,
        idempotency_key: str | None = None,
        expected_version: int | None = None,
        on_behalf_of: str | None = None,
    ) -> CommandResult:
        reading = self._reading(step)
        return self._execute(
            case_id,
            "correct_step",
            {"step_id": step_id, "step": step, "reason": reason},
            lambda case, by: case.correct_step(step_id, reading, reason, by),
            recorded_by,
            idempotency_key,
            expected_version,
            on_behalf_of,
            result_id=step_id,
        )

    def retract_step(
        self,
        case_id: UUID,
        step_id: UUID,
        *,
        reason: str,
        recorded_by: str,
        idempotency_key: str | None = None,
        expected_version: int | None = None,
        on_behalf_of: str | None = None,
    ) -> CommandResult:
        return self._execute(
            case_id,
            "retract_step",
            {"step_id": step_id, "reason": reason},
            lambda case, by: case.retract_step(step_id, reason, by),
            recorded_by,
            idempotency_key,
            expected_version,
            on_behalf_of,
            result_id=step_id,
        )

    def dispute_step(
        self,
        case_id: UUID,
        step_id: UUID,
        *,
        disputed_by: str,
        other_version: str,
        other_occurred: str | None = None,
        sources: Sequence[Mapping[str, Any]] | None = None,
        recorded_by: str,
        idempotency_key: str | None = None,
        expected_version: int | None = None,
        on_behalf_of: str | None = None,
    ) -> CommandResult:
        occurred = parse_occurred(other_occurred, self.today(), "otherOccurred")
        parsed_sources = parse_sources(sources, "sources")
        return self._execute(
            case_id,
            "dispute_step",
            {
                "step_id": step_id,
                "disputed_by": disputed_by,
                "other_version": other_version,
                "other_occurred": other_occurred,
                "sources": sources,
            },
            lambda case, by: case.dispute_step(
                step_id,
                disputed_by=disputed_by,
                other_version=other_version,
                other_occurred=occurred.as_record() if occurred else None,
                sources=parsed_sources,
                by=by,
            ),
            recorded_by,
            idempotency_key,
            expected_version,
            on_behalf_of,
            result_id=step_id,
        )

    def attach_evidence(
        self,
        case_id: UUID,
        *,
        title: str,
        document_kind: str,
        bundle_ref: str | None = None,
        sha256: str | None = None,
        recorded_by: str,
        idempotency_key: str | None = None,
        expected_version: int | None = None,
        on_behalf_of: str | None = None,
    ) -> CommandResult:
        return self._execute(
            case_id,
            "attach_evidence",
            {
                "title": title,
                "document_kind": document_kind,
                "bundle_ref": bundle_ref,
                "sha256": sha256,
            },
            lambda case, by: case.attach_evidence(
                title=title,
                document_kind=document_kind,
                bundle_ref=bundle_ref,
                sha256=sha256,
                by=by,
            ),
            recorded_by,
            idempotency_key,
            expected_version,
            on_behalf_of,
        )

    def give_consent(
        self,
        case_id: UUID,
        purpose: str,
        *,
        note: str | None = None,
        recorded_by: str,
        idempotency_key: str | None = None,
        expected_version: int | None = None,
        on_behalf_of: str | None = None,
    ) -> CommandResult:
        return self._execute(
            case_id,
            "give_consent",
            {"purpose": purpose, "note": note},
            lambda case, by: case.give_consent(purpose, note, by),
            recorded_by,
            idempotency_key,
            expected_version,
            on_behalf_of,
        )

    def withdraw_consent(
        self,
        case_id: UUID,
        purpose: str,
        *,
        note: str | None = None,
        recorded_by: str,
        idempotency_key: str | None = None,
        expected_version: int | None = None,
        on_behalf_of: str | None = None,
    ) -> CommandResult:
        return self._execute(
            case_id,
            "withdraw_consent",
            {"purpose": purpose, "note": note},
            lambda case, by: case.withdraw_consent(purpose, note, by),
            recorded_by,
            idempotency_key,
            expected_version,
            on_behalf_of,
        )

    def assign_advocate(
        self,
        case_id: UUID,
        advocate_id: str,
        *,
        note: str | None = None,
        recorded_by: str,
        idempotency_key: str | None = None,
        expected_version: int | None = None,
        on_behalf_of: str | None = None,
    ) -> CommandResult:
        return self._execute(
            case_id,
            "assign_advocate",
            {"advocate_id": advocate_id, "note": note},
            lambda case, by: case.assign_advocate(advocate_id, note, by),
            recorded_by,
            idempotency_key,
            expected_version,
            on_behalf_of,
        )

    def transfer_case(
        self,
        case_id: UUID,
        to_organisation_id: str,
        *,
        reason: str,
        recorded_by: str,
        idempotency_key: str | None = None,
        expected_version: int | None = None,
        on_behalf_of: str | None = None,
    ) -> CommandResult:
        return self._execute(
            case_id,
            "transfer_case",
            {"to_organisation_id": to_organisation_id, "reason": reason},
            lambda case, by: case.transfer(to_organisation_id, reason, by),
            recorded_by,
            idempotency_key,
            expected_version,
            on_behalf_of,
        )

    def close_case(
        self,
        case_id: UUID,
        *,
        reason: str,
        recorded_by: str,
        idempotency_key: str | None = None,
        expected_version: int | None = None,
        on_behalf_of: str | None = None,
    ) -> CommandResult:
        return self._execute(
            case_id,
            "close_case",
            {"reason": reason},
            lambda case, by: case.close(reason, by),
            recorded_by,
            idempotency_key,
            expected_version,
            on_behalf_of,
        )

    def reopen_case(
        self,
        case_id: UUID,
        *,
        reason: str,
        recorded_by: str,
        idempotency_key: str | None = None,
        expected_version: int | None = None,
        on_behalf_of: str | None = None,
    ) -> CommandResult:
        return self._execute(
            case_id,
            "reopen_case",
            {"reason": reason},
            lambda case, by: case.reopen(reason, by),
            recorded_by,
            idempotency_key,
            expected_version,
            on_behalf_of,
        )

    # Queries: plain data, never an aggregate

    def case_summary(self, case_id: UUID) -> CaseSummary:
        return _summary(self._load(case_id))

    def case_ids(self) -> Iterator[UUID]:
        """Every case, in the order opened."""
        start: int | None = None
        while True:
            page = self.recorder.select_notifications(
                start, limit=500, topics=[CaseOpened.TOPIC], inclusive_of_start=False
            )
            for notification in page:
                yield UUID(str(notification.originator_id))
            if len(page) < 500:
                return
            start = page[-1].id

    def case_events(
        self,
        case_id: UUID,
        *,
        until: datetime | None = None,
        after_version: int | None = None,
    ) -> list[CaseEvent]:
        """The case's events in order: those recorded up to and including ``until``,
        or those after ``after_version`` (none, when nothing new was recorded)."""
        events = [
            e
            for e in self.events.get(case_id, gt=after_version)
            if isinstance(e, CaseEvent)
        ]
        if not events and after_version is None:
            raise CaseNotFound(case_id)
        if until is not None:
            events = [e for e in events if e.timestamp <= until]
        return events

    def verify_chain(self, case_id: UUID) -> ChainReport:
        """Recomputes a case's hash chain from its stored events."""
        head, breaks, count = GENESIS, [], 0
        for event in self.case_events(case_id):
            count += 1
            if event.previous_hash != head:
                breaks.append(event.originator_version)
            head = event.chain_hash()
        return ChainReport(case_id, count, head, tuple(breaks))

    def log_position(self) -> int:
        return self.recorder.max_notification_id() or 0

    # Mechanics

    def _execute(
        self,
        case_id: UUID,
        name: str,
        inputs: Mapping[str, Any],
        action: Callable[[SurvivorCase, Provenance], Any],
        recorded_by: str,
        idempotency_key: str | None,
        expected_version: int | None,
        on_behalf_of: str | None,
        result_id: UUID | None = None,
    ) -> CommandResult:
        by = self._provenance(recorded_by, idempotency_key, name, inputs)
        for _ in range(self.max_attempts):
            case = self._load(case_id)
            if on_behalf_of is not None and case.organisation_id != on_behalf_of:
                # Checked on the very case the command changes, so a transfer
                # between an access check and the command cannot slip past.
                raise CaseNotFound(case_id)
            if idempotency_key and case.outcome_of(idempotency_key):
                return self._replay(case, by)
            if expected_version is not None and case.version != expected_version:
                raise VersionConflict(expected_version, case.version)
            made = action(case, by)
            try:
                recordings = self.save(case)
            except RecordConflictError:
                if expected_version is not None:
                    raise VersionConflict(
                        expected_version, self._load(case_id).version
                    ) from None
                continue
            return CommandResult(
                case.id,
                made or result_id or case.id,
                case.version,
                recordings[-1].notification.id,
            )
        raise TooManyConcurrentWrites(self.max_attempts)

    def _replay(self, case: SurvivorCase, by: Provenance) -> CommandResult:
        assert by.idempotency_key is not None
        outcome = case.outcome_of(by.idempotency_key)
        if outcome is None or outcome.digest != by.command_digest:
            raise IdempotencyKeyReused(by.idempotency_key)
        return CommandResult(
            case.id, outcome.result_id, outcome.version, self.log_position(), True
        )

    @staticmethod
    def _provenance(
        recorded_by: str, key: str | None, name: str, inputs: Mapping[str, Any]
    ) -> Provenance:
        key = (key or "").strip() or None
        if key is not None and len(key) > 200:
            raise CommandRefused("at most 200 characters", field="idempotencyKey")
        return Provenance(
            recorded_by=recorded_by,
            idempotency_key=key,
            command_digest=command_digest(name, inputs) if key else None,
        )

    def _reading(self, step: StepInput) -> StepReading:
        return StepReading.from_input(
            kind=step.kind,
            occurred=step.occurred,
            summary=step.summary,
            details=step.details,
            sources=step.sources,
            order=step.order,
            today=self.today(),
        )

    def _find(self, case_id: UUID) -> SurvivorCase | None:
        try:
            case: SurvivorCase = self.repository.get(case_id)
        except AggregateNotFoundError:
            return None
        assert isinstance(case, SurvivorCase)
        return case

    def _load(self, case_id: UUID) -> SurvivorCase:
        case = self._find(case_id)
        if case is None:
            raise CaseNotFound(case_id)
        return case


def _summary(case: SurvivorCase) -> CaseSummary:
    return CaseSummary(
        id=case.id,
        reference=case.reference,
        organisation_id=case.organisation_id,
        jurisdiction=case.jurisdiction.value,
        local_authority=case.local_authority,
        advocate_id=case.advocate_id,
        consents=tuple(sorted(p.value for p in case.consents)),
        closed=case.closed,
        version=case.version,
        step_count=sum(1 for s in case.steps.values() if not s.retracted),
        opened_at=case.created_on,
        modified_at=case.modified_on,
    )


__all__ = [
    "CaseJourneys",
    "CaseSummary",
    "ChainReport",
    "CommandResult",
    "ConsentPurpose",
    "StepInput",
    "TooManyConcurrentWrites",
]
