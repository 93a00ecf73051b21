"""CaseJourneys: the application service every command and case query goes through.

Each command loads the case, applies one rule-checked change and saves it. A command
may carry an idempotency key (a retry returns the first result and records nothing
new) and an expected version (a clash is a ``VersionConflict``). Without an expected
version, an append that lost a race to another writer is retried on the fresh case.
"""

from __future__ import annotations

import contextlib
import hashlib
import random
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from copy import deepcopy
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Required, TypedDict, Unpack, cast
from uuid import UUID

import orjson
from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import RecordConflictError

from domain.case import (
    CaseClosed,
    CaseEvent,
    CaseOpened,
    CaseReopened,
    ConsentPurpose,
    CounselShared,
    Provenance,
    ShareState,
    SurvivorCase,
    case_id_for,
)
from domain.case_locks import CaseLocks
from domain.commands import (
    AssembleBundle,
    AssignAdvocate,
    AttachEvidence,
    CaseCommand,
    CloseCase,
    CorrectStep,
    DisputeStep,
    GiveConsent,
    MarkStepSensitivity,
    RecordDateOfBirth,
    RecordStep,
    ReopenCase,
    RetractStep,
    RevokeShare,
    ServeChronology,
    ShareWithCounsel,
    StepInput,
    TransferCase,
    WithdrawConsent,
)
from domain.dates import UK
from domain.erasure import (
    CaseErased,
    CaseKeys,
    ErasureGround,
    ErasureUnavailable,
    KeyOfAnErasedCase,
    PlaintextEvents,
    SealedEvent,
)
from domain.errors import (
    CaseNotFound,
    CommandRefused,
    IdempotencyKeyReused,
    InvalidField,
    VersionConflict,
)
from domain.group_commit import GroupCommit, SavedTogetherFailed
from domain.hashchain import GENESIS
from domain.steps import past_day
from domain.text import (
    KEY_LIMIT,
    LABEL_LIMIT,
    TextKind,
    optional_text,
    required_text,
)

CaseAction = Callable[[SurvivorCase, Provenance], UUID | None]


class ImportRefused(CommandRefused):
    """One of an import's commands was refused; nothing was recorded."""

    def __init__(self, index: int, error: CommandRefused) -> None:
        super().__init__(error.message, error.field)
        self.index = index
        self.error = error


#: The longest pause before a command's second attempt, after a lost race on
#: its case (longer for later attempts): a few milliseconds, jittered.
RETRY_PAUSE_SECONDS = 0.004


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


class CommandOptions(TypedDict, total=False):
    #: A retry with the same key returns the first result and records nothing.
    idempotency_key: str | None
    #: The case version the caller read; a different one is a VersionConflict.
    expected_version: int | None
    #: The organisation the caller acts for; other organisations' cases are
    #: answered as not found.
    on_behalf_of: str | None
    #: Checks the caller may make this command on this very case (raising a
    #: refusal if not), in the same load as the change.
    guard: Callable[[CaseAccess], None] | None


class CaseOptions(CommandOptions, total=False):
    recorded_by: Required[str]


@dataclass(frozen=True)
class CaseSummary:
    id: UUID
    reference: str
    organisation_id: str
    jurisdiction: str
    local_authority: str | None
    #: The day advocacy began (``opened_at`` is when the opening was recorded).
    opened_on: date
    #: The survivor's date of birth in EDTF, if recorded.
    born: str | None
    advocate_id: str | None
    consents: tuple[str, ...]
    closed: bool
    version: int
    step_count: int
    opened_at: datetime
    modified_at: datetime


@dataclass(frozen=True)
class Share:
    """A share with counsel, as it stands on a day."""

    share_id: UUID
    counsel: str
    purpose: str
    expires_on: date
    include_sensitive: bool
    #: ``revoked`` or ``consent_withdrawn`` if it ended before expiry.
    ended: str | None
    #: Live on the day it was read.
    live: bool

    @classmethod
    def of(cls, share: ShareState, today: date) -> Share:
        return cls(
            share_id=share.share_id,
            counsel=share.counsel,
            purpose=share.purpose.value,
            expires_on=share.expires_on,
            include_sensitive=share.include_sensitive,
            ended=share.ended.value if share.ended else None,
            live=share.live_on(today),
        )


@dataclass(frozen=True)
class CaseAccess:
    """What deciding who may see or change a case needs to know of it."""

    case_id: UUID
    reference: str
    organisation_id: str
    advocate_id: str | None
    consents: tuple[str, ...]
    shares: tuple[Share, ...]
    opened_at: datetime

    def live_shares(self, counsel: str) -> tuple[Share, ...]:
        return tuple(s for s in self.shares if s.live and s.counsel == counsel)


@dataclass(frozen=True)
class ChainReport:
    case_id: UUID
    events: int
    head: str
    #: Versions whose recorded predecessor hash does not match the chain.
    breaks: tuple[int, ...]
    #: The case was erased: its events can no longer be read, by design.
    erased: bool = False
    #: Events that cannot be read (their case's keys are gone).
    sealed: int = 0

    @property
    def intact(self) -> bool:
        return not self.breaks and not self.sealed


def command_digest(name: str, inputs: object) -> str:
    """A fingerprint of a command (a dataclass or a mapping of its inputs), to tell
    a retry from a reused key."""
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
    # Cached cases are never fast-forwarded in place by the library: this class
    # brings copies up to date itself (see _fresh), so a copy is never torn.
    env = {"AGGREGATE_CACHE_MAXSIZE": "1000", "AGGREGATE_CACHE_FASTFORWARD": "n"}
    max_attempts = 5

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        today: Callable[[], date] | None = None,
    ) -> None:
        super().__init__(env)
        self.today = today or (lambda: datetime.now(UK).date())
        #: Commands' cases that finish together are saved together.
        self.saving_together = GroupCommit(self.save)
        #: One command at a time on each case.
        self.case_locks = CaseLocks()

    # Commands

    def open_case(
        self,
        *,
        reference: str,
        organisation_id: str,
        jurisdiction: str,
        local_authority: str | None = None,
        opened_on: date | None = None,
        recorded_by: str,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        """``opened_on``: the day advocacy began (today when not given)."""
        inputs = {
            "reference": reference,
            "organisation_id": organisation_id,
            "jurisdiction": jurisdiction,
            "local_authority": local_authority,
        }
        if opened_on is not None:
            # Only when given, so a retry's fingerprint is as it was before
            # the day could be given.
            inputs["opened_on"] = opened_on.isoformat()
        by = self._provenance(recorded_by, idempotency_key, "open_case", inputs)
        opened = past_day(opened_on, self.today(), "openedOn")
        for _ in range(self.max_attempts):
            if by.idempotency_key:
                existing = self._find(
                    case_id_for(organisation_id.strip(), by.idempotency_key)
                )
                if existing is not None:
                    return self._replay(existing, by)
            case = SurvivorCase.open(
                reference=reference,
                organisation_id=organisation_id,
                jurisdiction=jurisdiction,
                local_authority=local_authority,
                opened_on=opened,
                by=by,
            )
            try:
                recordings = self.save(case)
            except RecordConflictError:
                if self.erasure_of(case.id) is not None:
                    self._erased_elsewhere(case.id)  # the key just made goes
                    raise KeyOfAnErasedCase from None
                continue  # the same key opened it concurrently: answer as a retry
            return CommandResult(
                case.id, case.id, case.version, recordings[-1].notification.id
            )
        raise TooManyConcurrentWrites(self.max_attempts)

    def import_case(
        self,
        *,
        reference: str,
        organisation_id: str,
        jurisdiction: str,
        local_authority: str | None,
        commands: Sequence[Callable[[UUID], CaseCommand]],
        recorded_by: str,
        idempotency_key: str | None = None,
        opened_on: date | None = None,
    ) -> CommandResult:
        """Opens a case and applies ``commands`` (each made for the new case's id)
        in one save: a case brought from another system is recorded whole or not
        at all. A refusal names the command by its index (``ImportRefused``)."""
        inputs = {
            "reference": reference,
            "organisation_id": organisation_id,
            "commands": len(commands),
        }
        by = self._provenance(recorded_by, idempotency_key, "import_case", inputs)
        if by.idempotency_key:
            existing = self._find(
                case_id_for(organisation_id.strip(), by.idempotency_key)
            )
            if existing is not None:
                return self._replay(existing, by)
        today = self.today()
        case = SurvivorCase.open(
            reference=reference,
            organisation_id=organisation_id,
            jurisdiction=jurisdiction,
            local_authority=local_authority,
            opened_on=past_day(opened_on, today, "openedOn"),
            by=by,
        )
        # Only the opening carries the key, so a retry is answered with the case.
        then = Provenance(recorded_by=recorded_by)
        for index, make in enumerate(commands):
            try:
                make(case.id).apply(case, then, today)
            except CommandRefused as error:
                raise ImportRefused(index, error) from None
        try:
            recordings = self.save(case)
        except RecordConflictError:
            raise TooManyConcurrentWrites(1) from None
        return CommandResult(
            case.id, case.id, case.version, recordings[-1].notification.id
        )

    def handle(
        self,
        command: CaseCommand,
        *,
        recorded_by: str,
        **options: Unpack[CommandOptions],
    ) -> CommandResult:
        """Applies one command to its case and saves it, retrying lost races;
        one command at a time on each case in this process."""
        with self.case_locks.held(command.case_id):
            return self._handle(command, recorded_by, options)

    def _handle(
        self, command: CaseCommand, recorded_by: str, options: CommandOptions
    ) -> CommandResult:
        case_id = command.case_id
        key = options.get("idempotency_key")
        expected_version = options.get("expected_version")
        on_behalf_of = options.get("on_behalf_of")
        guard = options.get("guard")
        by = self._provenance(recorded_by, key, type(command).__name__, command)
        # Optimistically, the first attempt trusts this process's cached copy of
        # the case, sparing a query: if another process has written since, the
        # store refuses the append (the case's version is taken) and the next
        # attempt decides on a fresh copy. A stale copy may also refuse wrongly
        # (a case reopened elsewhere still looks closed), so a refusal is only
        # final when made on a fresh copy.
        alone = False
        for attempt in range(self.max_attempts):
            if attempt == 0:
                case, fresh = self._trusted(case_id)
            else:
                # A second attempt follows a lost race (or a stale copy):
                # writers on one case wait a little, each a different while,
                # so they do not meet again at once.
                time.sleep(random.uniform(0, RETRY_PAUSE_SECONDS * attempt))
                case, fresh = self._fresh(case_id), True
            try:
                if on_behalf_of is not None and case.organisation_id != on_behalf_of:
                    # Checked on the very case the command changes, so a transfer
                    # between an access check and the command cannot slip past.
                    raise CaseNotFound(case_id)
                if guard is not None:
                    guard(self._access(case))
                if key and case.outcome_of(key):
                    return self._replay(case, by)
                if expected_version is not None and case.version != expected_version:
                    raise VersionConflict(expected_version, case.version)
                decided_on = case.version
                made = command.apply(case, by, self.today())
            except CommandRefused:
                if fresh:
                    raise
                continue
            try:
                if alone:
                    recordings = self.save(case)
                else:
                    recordings = self.saving_together.save(case_id, case, decided_on)
            except SavedTogetherFailed:
                # Nothing of the batch was recorded: this command is tried
                # again on its own, so a conflict or refusal is its own.
                alone = True
                continue
            except RecordConflictError:
                if expected_version is not None:
                    raise VersionConflict(
                        expected_version, self._fresh(case_id).version
                    ) from None
                continue
            return CommandResult(
                case.id, made, case.version, recordings[-1].notification.id
            )
        raise TooManyConcurrentWrites(self.max_attempts)

    # The commands by name, for callers who prefer keywords to command objects.

    def record_date_of_birth(
        self, case_id: UUID, born: str, **options: Unpack[CaseOptions]
    ) -> CommandResult:
        return self.handle(RecordDateOfBirth(case_id, born), **options)

    def record_step(
        self, case_id: UUID, step: StepInput, **options: Unpack[CaseOptions]
    ) -> CommandResult:
        return self.handle(RecordStep(case_id, step), **options)

    def correct_step(
        self,
        case_id: UUID,
        step_id: UUID,
        step: StepInput,
        *,
        reason: str,
        **options: Unpack[CaseOptions],
    ) -> CommandResult:
        return self.handle(CorrectStep(case_id, step_id, step, reason), **options)

    def retract_step(
        self,
        case_id: UUID,
        step_id: UUID,
        *,
        reason: str,
        **options: Unpack[CaseOptions],
    ) -> CommandResult:
        return self.handle(RetractStep(case_id, step_id, reason), **options)

    def dispute_step(
        self,
        case_id: UUID,
        step_id: UUID,
        *,
        disputed_by: str,
        other_version: str,
        other_occurred: str | None = None,
        sources: Sequence[Mapping[str, Any]] | None = None,
        **options: Unpack[CaseOptions],
    ) -> CommandResult:
        command = DisputeStep(
            case_id, step_id, disputed_by, other_version, other_occurred, sources
        )
        return self.handle(command, **options)

    def attach_evidence(
        self,
        case_id: UUID,
        *,
        title: str,
        document_kind: str,
        bundle_ref: str | None = None,
        sha256: str | None = None,
        **options: Unpack[CaseOptions],
    ) -> CommandResult:
        command = AttachEvidence(case_id, title, document_kind, bundle_ref, sha256)
        return self.handle(command, **options)

    def give_consent(
        self,
        case_id: UUID,
        purpose: str,
        *,
        note: str | None = None,
        given_on: date | None = None,
        **options: Unpack[CaseOptions],
    ) -> CommandResult:
        return self.handle(GiveConsent(case_id, purpose, note, given_on), **options)

    def withdraw_consent(
        self,
        case_id: UUID,
        purpose: str,
        *,
        note: str | None = None,
        withdrawn_on: date | None = None,
        **options: Unpack[CaseOptions],
    ) -> CommandResult:
        command = WithdrawConsent(case_id, purpose, note, withdrawn_on)
        return self.handle(command, **options)

    def assign_advocate(
        self,
        case_id: UUID,
        advocate_id: str,
        *,
        note: str | None = None,
        **options: Unpack[CaseOptions],
    ) -> CommandResult:
        return self.handle(AssignAdvocate(case_id, advocate_id, note), **options)

    def transfer_case(
        self,
        case_id: UUID,
        to_organisation_id: str,
        *,
        reason: str,
        **options: Unpack[CaseOptions],
    ) -> CommandResult:
        return self.handle(TransferCase(case_id, to_organisation_id, reason), **options)

    def close_case(
        self, case_id: UUID, *, reason: str, **options: Unpack[CaseOptions]
    ) -> CommandResult:
        return self.handle(CloseCase(case_id, reason), **options)

    def reopen_case(
        self, case_id: UUID, *, reason: str, **options: Unpack[CaseOptions]
    ) -> CommandResult:
        return self.handle(ReopenCase(case_id, reason), **options)

    def assemble_bundle(
        self,
        case_id: UUID,
        *,
        name: str,
        purpose: str,
        sections: Sequence[Mapping[str, Any]],
        bundle_id: UUID | None = None,
        **options: Unpack[CaseOptions],
    ) -> CommandResult:
        command = AssembleBundle(case_id, name, purpose, sections, bundle_id)
        return self.handle(command, **options)

    def serve_chronology(
        self,
        case_id: UUID,
        *,
        purpose: str,
        served_on: date,
        served_to: str,
        bundle_id: UUID | None = None,
        bundle_version: int | None = None,
        **options: Unpack[CaseOptions],
    ) -> CommandResult:
        command = ServeChronology(
            case_id, purpose, served_on, served_to, bundle_id, bundle_version
        )
        return self.handle(command, **options)

    def mark_step_sensitivity(
        self,
        case_id: UUID,
        step_id: UUID,
        *,
        sensitive: bool,
        reason: str,
        **options: Unpack[CaseOptions],
    ) -> CommandResult:
        command = MarkStepSensitivity(case_id, step_id, sensitive, reason)
        return self.handle(command, **options)

    def share_with_counsel(
        self,
        case_id: UUID,
        *,
        counsel: str,
        purpose: str,
        expires_on: date,
        include_sensitive: bool = False,
        **options: Unpack[CaseOptions],
    ) -> CommandResult:
        command = ShareWithCounsel(
            case_id, counsel, purpose, expires_on, include_sensitive
        )
        return self.handle(command, **options)

    def revoke_share(
        self,
        case_id: UUID,
        share_id: UUID,
        *,
        reason: str,
        **options: Unpack[CaseOptions],
    ) -> CommandResult:
        return self.handle(RevokeShare(case_id, share_id, reason), **options)

    def erase_case(
        self,
        case_id: UUID,
        ground: str,
        *,
        erased_by: str,
        idempotency_key: str | None = None,
        on_behalf_of: str | None = None,
    ) -> CommandResult:
        """Records that the case is erased, then destroys its keys: none of its
        events can be read again. Erasing an erased case records nothing and
        answers with the first erasure (and destroys any key left behind)."""
        try:
            reason = ErasureGround(ground)
        except ValueError:
            raise InvalidField(
                "ground", f"one of {', '.join(g.value for g in ErasureGround)}"
            ) from None
        keys = self.mapper if isinstance(self.mapper, CaseKeys) else None
        if keys is None or not keys.erasable:
            raise ErasureUnavailable
        inputs = {"case": case_id, "ground": reason}
        by = self._provenance(erased_by, idempotency_key, "erase_case", inputs)
        for _ in range(self.max_attempts):
            erased = self.erasure_of(case_id)
            if erased is not None:
                if on_behalf_of is not None and erased.organisation_id != on_behalf_of:
                    raise CaseNotFound(case_id)
                keys.destroy_case_keys(case_id)
                version = erased.originator_version
                return CommandResult(
                    case_id, case_id, version, self.log_position(), replayed=True
                )
            case = self._fresh(case_id)
            if on_behalf_of is not None and case.organisation_id != on_behalf_of:
                raise CaseNotFound(case_id)
            plaintext = sum(
                1
                for stored in self.recorder.select_events(case_id)
                if not keys.is_sealed(stored.state)
            )
            if plaintext:
                raise PlaintextEvents(plaintext)
            event = CaseErased.of(
                case_id,
                case.version + 1,
                ground=reason,
                erased_by=by.recorded_by,
                organisation_id=case.organisation_id,
                idempotency_key=by.idempotency_key,
                command_digest=by.command_digest,
            )
            try:
                recordings = self.save(event)
            except RecordConflictError:
                continue  # recorded on meanwhile: decide again on the fresh case
            self._forget_cached(case_id)
            keys.destroy_case_keys(case_id)
            position = recordings[-1].notification.id
            return CommandResult(case_id, case_id, event.originator_version, position)
        raise TooManyConcurrentWrites(self.max_attempts)

    # Queries: plain data, never an aggregate

    def organisation_of(self, case_id: UUID) -> str:
        """The organisation holding the case (or that held it, if erased)."""
        erased = self.erasure_of(case_id)
        if erased is not None:
            return erased.organisation_id
        return self._fresh(case_id).organisation_id

    def erasure_of(self, case_id: UUID) -> CaseErased | None:
        """The case's erasure, if it was erased."""
        last = list(self.events.get(case_id, desc=True, limit=1))
        if last and isinstance(last[0], CaseErased):
            return last[0]
        return None

    def closed_cases(self) -> dict[UUID, datetime]:
        """Each case closed now (not reopened, not erased), with when it closed."""
        topics = [CaseClosed.TOPIC, CaseReopened.TOPIC, CaseErased.TOPIC]
        closed: dict[UUID, datetime] = {}
        start: int | None = None
        while True:
            page = self.recorder.select_notifications(
                start, limit=500, topics=topics, inclusive_of_start=False
            )
            for notification in page:
                event = self.mapper.to_domain_event(notification)
                case_id = UUID(str(notification.originator_id))
                if isinstance(event, CaseClosed):
                    closed[case_id] = event.timestamp
                else:  # reopened, erased, or sealed (erased)
                    closed.pop(case_id, None)
            if len(page) < 500:
                return closed
            start = page[-1].id

    def case_summary(self, case_id: UUID) -> CaseSummary:
        return _summary(self._fresh(case_id))

    def case_access(self, case_id: UUID) -> CaseAccess:
        """Who holds the case, its advocate, consents and shares, as of today."""
        return self._access(self._fresh(case_id))

    def shares_with(self, counsel: str) -> Iterator[CaseAccess]:
        """Every case with a live share for ``counsel``, in the order opened.

        Only cases ever shared are loaded (the log's index by topic names
        them), so a counsel's listing costs the shared cases, not the record.
        """
        shared = set(self._ids_of(CounselShared.TOPIC))
        for case_id in self.case_ids():
            if case_id not in shared:
                continue
            access = self.case_access(case_id)
            if access.live_shares(counsel):
                yield access

    def organisations(self) -> set[str]:
        """Every organisation that has opened a case or been transferred one."""
        known: set[str] = set()
        for case_id in self.case_ids():
            case = self._fresh(case_id)
            known.add(case.organisation_id)
        return known

    def case_ids(self, *, erased: bool = False) -> Iterator[UUID]:
        """Every case, in the order opened; erased ones only if ``erased``."""
        gone = set() if erased else set(self._ids_of(CaseErased.TOPIC))
        for case_id in self._ids_of(CaseOpened.TOPIC):
            if case_id not in gone:
                yield case_id

    def _ids_of(self, topic: str) -> Iterator[UUID]:
        """The case of each event with ``topic``, in log order."""
        start: int | None = None
        while True:
            page = self.recorder.select_notifications(
                start, limit=500, topics=[topic], inclusive_of_start=False
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
        events = []
        for e in self.events.get(case_id, gt=after_version):
            if isinstance(e, CaseEvent):
                events.append(e)
            elif isinstance(e, CaseErased | SealedEvent):
                raise CaseNotFound(case_id)  # erased, even since a reader's fold
        if not events and after_version is None:
            raise CaseNotFound(case_id)
        if until is not None:
            events = [e for e in events if e.timestamp <= until]
        return events

    def verify_chain(self, case_id: UUID) -> ChainReport:
        """Recomputes a case's hash chain from its stored events. An erased case
        is reported as erased: its events cannot be read, by design."""
        head, breaks, count, sealed, erased = GENESIS, [], 0, 0, False
        for event in self.events.get(case_id):
            count += 1
            if isinstance(event, SealedEvent):
                sealed += 1
            elif isinstance(event, CaseErased):
                erased = True
            elif isinstance(event, CaseEvent):
                if event.previous_hash != head:
                    breaks.append(event.originator_version)
                head = event.chain_hash()
        if not count:
            raise CaseNotFound(case_id)
        if erased:
            return ChainReport(case_id, count, GENESIS, (), erased=True)
        return ChainReport(case_id, count, head, tuple(breaks), sealed=sealed)

    def log_position(self) -> int:
        return self.recorder.max_notification_id() or 0

    # Mechanics

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
        recorded_by: str, key: str | None, name: str, inputs: object
    ) -> Provenance:
        key = optional_text(key, "idempotencyKey", KEY_LIMIT, TextKind.IDENTIFIER)
        # Who records it (a token's subject) is held to the same rule as any
        # id the log keeps.
        recorded_by = required_text(
            recorded_by, "recordedBy", LABEL_LIMIT, TextKind.IDENTIFIER
        )
        return Provenance(
            recorded_by=recorded_by,
            idempotency_key=key,
            command_digest=command_digest(name, inputs) if key else None,
        )

    def _access(self, case: SurvivorCase) -> CaseAccess:
        today = self.today()
        return CaseAccess(
            case_id=case.id,
            reference=case.reference,
            organisation_id=case.organisation_id,
            advocate_id=case.advocate_id,
            consents=tuple(sorted(p.value for p in case.consents)),
            shares=tuple(Share.of(share, today) for share in case.shares.values()),
            opened_at=case.created_on,
        )

    def _find(self, case_id: UUID) -> SurvivorCase | None:
        try:
            return self._fresh(case_id)
        except CaseNotFound:
            return None

    def _trusted(self, case_id: UUID) -> tuple[SurvivorCase, bool]:
        """A copy of the cached case without asking the store, if one is cached;
        the flag says whether the copy was read from the store just now."""
        cached = self._cached_copy(case_id)
        if cached is not None:
            return cached, False
        return self._fresh(case_id), True

    def _fresh(self, case_id: UUID) -> SurvivorCase:
        """The case as the store has it now: the cached copy brought up to date
        with what was recorded since, or read whole."""
        case = self._cached_copy(case_id)
        if case is None:
            try:
                loaded: SurvivorCase = self.repository.get(case_id)  # reads whole
            except AggregateNotFoundError:
                raise CaseNotFound(case_id) from None
            assert isinstance(loaded, SurvivorCase)
            return loaded
        newer = list(self.events.get(case_id, gt=case.version))
        if newer:
            for event in newer:
                if event.mutate(case) is None:  # type: ignore[attr-defined]
                    self._erased_elsewhere(case_id)
                    raise CaseNotFound(case_id)
            self._cache_copy(case)
        return case

    def _erased_elsewhere(self, case_id: UUID) -> None:
        """This process's copy of the case is stale: it was erased. A write made
        on the copy meanwhile may have left a fresh key (its append failed):
        that goes too."""
        self._forget_cached(case_id)
        if isinstance(self.mapper, CaseKeys) and self.mapper.erasable:
            self.mapper.destroy_case_keys(case_id)

    def _forget_cached(self, case_id: UUID) -> None:
        if self.repository.cache is not None:
            with contextlib.suppress(KeyError):
                self.repository.cache.get(case_id, evict=True)

    def close(self) -> None:
        super().close()
        if isinstance(self.mapper, CaseKeys):
            self.mapper.close()

    def _cached_copy(self, case_id: UUID) -> SurvivorCase | None:
        # Copies out and in: a cached case is never changed in place, so no
        # reader can copy it half-changed.
        if self.repository.cache is None:
            return None
        try:
            cached = self.repository.cache.get(case_id)
        except KeyError:
            return None
        return cast(SurvivorCase, deepcopy(cached))

    def _cache_copy(self, case: SurvivorCase) -> None:
        if self.repository.cache is not None:
            self.repository.cache.put(case.id, deepcopy(case))


def _summary(case: SurvivorCase) -> CaseSummary:
    return CaseSummary(
        id=case.id,
        reference=case.reference,
        organisation_id=case.organisation_id,
        jurisdiction=case.jurisdiction.value,
        local_authority=case.local_authority,
        opened_on=case.opened_on,
        born=case.born.edtf if case.born else None,
        advocate_id=case.advocate_id,
        consents=tuple(sorted(p.value for p in case.consents)),
        closed=case.closed,
        version=case.version,
        step_count=sum(1 for s in case.steps.values() if not s.retracted),
        opened_at=case.created_on,
        modified_at=case.modified_on,
    )


__all__ = [
    "CaseAccess",
    "CaseJourneys",
    "CaseSummary",
    "ChainReport",
    "CommandResult",
    "ConsentPurpose",
    "ErasureUnavailable",
    "Share",
    "StepInput",
    "TooManyConcurrentWrites",
]
