"""The survivor case: one aggregate per survivor, holding every step of the journey.

Nothing is edited or deleted. Case-level facts are events of their own; journey
steps are ``StepRecorded`` events whose kind comes from the vocabulary. A
correction, retraction or dispute is a new event naming the step and why.

Events are persisted contracts: each has an explicit, stable ``TOPIC`` so the class
can move, and evolves by ``class_version`` with ``upcast_vN_vM``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from copy import copy
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, cast
from uuid import UUID, uuid4, uuid5

from eventsourcing.domain import Aggregate
from eventsourcing.utils import register_topic

from domain.bundles import NAME_LIMIT, Bundle, BundlePurpose, parse_sections
from domain.dates import UncertainDate, uk_day
from domain.errors import (
    CaseIsClosed,
    CaseIsOpen,
    ConsentRequired,
    InvalidField,
    NothingToChange,
    ShareNotFound,
    StepIsRetracted,
    StepNotFound,
)
from domain.hashchain import GENESIS, event_hash
from domain.sensitivity import sensitive_by_default
from domain.steps import Source, StepReading, parse_summary
from domain.text import (
    CODE_LIMIT,
    IDENTIFIER_LIMIT,
    LABEL_LIMIT,
    PLACE_LIMIT,
    PROSE_LIMIT,
    REFERENCE_LIMIT,
    TextKind,
    optional_text,
    required_text,
)

CASE_ID_NAMESPACE = UUID("5d1c2f4e-7a8b-4c1d-9e0f-3a2b1c0d9e8f")


class Jurisdiction(StrEnum):
    ENGLAND_AND_WALES = "england_and_wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern_ireland"


class ConsentPurpose(StrEnum):
    RECORD_KEEPING = "record_keeping"
    SHARING_WITH_COUNSEL = "sharing_with_counsel"
    EVALUATION = "evaluation"
    NRM_REFERRAL = "nrm_referral"


class SharePurpose(StrEnum):
    """What a case is shared with counsel for: a chronology purpose (never the
    full record)."""

    CRIMINAL_TRIAL = "criminal_trial"
    CICA = "cica"
    IMMIGRATION = "immigration"


#: How far ahead a share may run: a year and a day, renewed by sharing again.
MAX_SHARE_DAYS = 366


def case_id_for(organisation_id: str, idempotency_key: str) -> UUID:
    """A retried ``open`` names the same case, so it cannot open a second one."""
    return uuid5(CASE_ID_NAMESPACE, f"{organisation_id}\x1f{idempotency_key}")


@dataclass(frozen=True)
class StepState:
    """What the aggregate must know of a step to enforce its rules."""

    kind: str
    retracted: bool = False
    #: Whether its current reading is sensitive unless marked otherwise.
    sensitive_by_default: bool = False
    #: As marked by ``StepSensitivityMarked``; None while never marked.
    marked_sensitive: bool | None = None

    @property
    def sensitive(self) -> bool:
        if self.marked_sensitive is None:
            return self.sensitive_by_default
        return self.marked_sensitive


class ShareEnd(StrEnum):
    REVOKED = "revoked"
    CONSENT_WITHDRAWN = "consent_withdrawn"


@dataclass(frozen=True)
class ShareState:
    """A share with counsel as the case's events leave it."""

    share_id: UUID
    #: The barrister: a person's subject, never an organisation.
    counsel: str
    purpose: SharePurpose
    #: The last day the share is live.
    expires_on: date
    #: Whether steps marked sensitive are shared too.
    include_sensitive: bool
    #: How it ended before expiry, if it did.
    ended: ShareEnd | None = None

    def live_on(self, today: date) -> bool:
        return self.ended is None and today <= self.expires_on


@dataclass(frozen=True)
class CommandOutcome:
    """What an idempotent command produced, so a retry can be answered the same."""

    digest: str
    result_id: UUID
    version: int


class CaseEvent(Aggregate.Event):
    """Every case event: who recorded it, its place in the chain, its command."""

    TOPIC: ClassVar[str]

    recorded_by: str
    previous_hash: str
    idempotency_key: str | None
    command_digest: str | None

    def recorded_state(self) -> dict[str, Any]:
        state = dict(vars(self))
        state.pop("originator_id")
        state.pop("originator_version")
        class_version = getattr(type(self), "class_version", 1)
        if class_version > 1:
            state["class_version"] = class_version
        return state

    def chain_hash(self) -> str:
        """This event's hash: as it was stored, when the mapper read it so."""
        recorded = self.__dict__.get("_recorded_hash")
        if recorded is not None:
            return cast(str, recorded)
        return event_hash(
            self.TOPIC,
            self.originator_id,
            self.originator_version,
            self.recorded_state(),
        )

    def result_id(self) -> UUID:
        """The id a command that raised this event returns."""
        return self.originator_id

    def mutate(self, aggregate: Any) -> Any:
        expected_previous = aggregate.chain_head if aggregate is not None else GENESIS
        case = cast("SurvivorCase", super().mutate(aggregate))
        case.follow_chain(self, expected_previous)
        return case


class CaseOpened(CaseEvent, Aggregate.Created):
    TOPIC = "waymark.case:CaseOpened"
    class_version = 3

    reference: str
    organisation_id: str
    jurisdiction: str
    local_authority: str | None
    #: The day advocacy began, as the advocate gives it; the event's timestamp
    #: is when the opening was recorded.
    opened_on: date

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        # v1 cases were opened before the local authority was asked for.
        state["local_authority"] = None

    @staticmethod
    def upcast_v2_v3(state: dict[str, Any]) -> None:
        # v2 cases were taken to open on the UK day they were recorded.
        state["opened_on"] = uk_day(state["timestamp"])

    def apply(self, case: SurvivorCase) -> None:
        case.opened_on = self.opened_on
        case.consent_days = {}
        case.reference = self.reference
        case.organisation_id = self.organisation_id
        case.jurisdiction = Jurisdiction(self.jurisdiction)
        case.local_authority = self.local_authority
        case.advocate_id = None
        case.born = None
        case.consents = set()
        case.closed = False
        case.steps = {}
        case.documents = set()
        case.bundles = {}
        case.outcomes = {}
        case.shares = {}


class DateOfBirthRecorded(CaseEvent):
    """The survivor's date of birth, as exactly as it is known; legal clocks
    (turning 18, the 20th birthday) run from it."""

    TOPIC = "waymark.case:DateOfBirthRecorded"

    born: dict[str, Any]

    def apply(self, case: SurvivorCase) -> None:
        case.born = UncertainDate.from_record(self.born)


class AdvocateAssigned(CaseEvent):
    TOPIC = "waymark.case:AdvocateAssigned"

    advocate_id: str
    previous_advocate_id: str | None
    note: str | None

    def apply(self, case: SurvivorCase) -> None:
        case.advocate_id = self.advocate_id


class ConsentGiven(CaseEvent):
    TOPIC = "waymark.case:ConsentGiven"
    class_version = 2

    purpose: str
    note: str | None
    #: The day the survivor gave it; the timestamp is when it was recorded.
    given_on: date

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        # v1 consents were taken to be given on the UK day they were recorded.
        state["given_on"] = uk_day(state["timestamp"])

    def apply(self, case: SurvivorCase) -> None:
        purpose = ConsentPurpose(self.purpose)
        case.consents.add(purpose)
        case.consent_days[purpose] = self.given_on


class ConsentWithdrawn(CaseEvent):
    TOPIC = "waymark.case:ConsentWithdrawn"
    class_version = 2

    purpose: str
    note: str | None
    #: The day the survivor withdrew it; the timestamp is when it was recorded.
    withdrawn_on: date

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        # v1 withdrawals were taken to be made on the UK day they were recorded.
        state["withdrawn_on"] = uk_day(state["timestamp"])

    def apply(self, case: SurvivorCase) -> None:
        purpose = ConsentPurpose(self.purpose)
        case.consents.discard(purpose)
        case.consent_days.pop(purpose, None)
        if purpose is ConsentPurpose.SHARING_WITH_COUNSEL:
            # Every share ends with the consent; a later consent revives none.
            case.shares = {
                share_id: share
                if share.ended
                else replace(share, ended=ShareEnd.CONSENT_WITHDRAWN)
                for share_id, share in case.shares.items()
            }


class StepRecorded(CaseEvent):
    TOPIC = "waymark.case:StepRecorded"

    step_id: UUID
    reading: dict[str, Any]

    def apply(self, case: SurvivorCase) -> None:
        case.steps[self.step_id] = StepState(
            kind=self.reading["kind"],
            sensitive_by_default=sensitive_by_default(self.reading),
        )

    def result_id(self) -> UUID:
        return self.step_id


class StepCorrected(CaseEvent):
    TOPIC = "waymark.case:StepCorrected"

    step_id: UUID
    reading: dict[str, Any]
    reason: str

    def apply(self, case: SurvivorCase) -> None:
        case.steps[self.step_id] = replace(
            case.steps[self.step_id],
            kind=self.reading["kind"],
            sensitive_by_default=sensitive_by_default(self.reading),
        )

    def result_id(self) -> UUID:
        return self.step_id


class StepRetracted(CaseEvent):
    TOPIC = "waymark.case:StepRetracted"

    step_id: UUID
    reason: str

    def apply(self, case: SurvivorCase) -> None:
        case.steps[self.step_id] = replace(case.steps[self.step_id], retracted=True)

    def result_id(self) -> UUID:
        return self.step_id


class StepDisputed(CaseEvent):
    """Someone gives another version of a step; both stand on the chronology."""

    TOPIC = "waymark.case:StepDisputed"

    step_id: UUID
    disputed_by: str
    other_version: str
    other_occurred: dict[str, Any] | None
    sources: list[dict[str, Any]]

    def result_id(self) -> UUID:
        return self.step_id


class EvidenceAttached(CaseEvent):
    TOPIC = "waymark.case:EvidenceAttached"

    document_id: UUID
    title: str
    document_kind: str
    bundle_ref: str | None
    sha256: str | None

    def apply(self, case: SurvivorCase) -> None:
        case.documents.add(self.document_id)

    def result_id(self) -> UUID:
        return self.document_id


class BundleVersionRecorded(CaseEvent):
    """A version of a court bundle: its documents in sections, with page counts."""

    TOPIC = "waymark.case:BundleVersionRecorded"

    bundle_id: UUID
    version: int
    name: str
    purpose: str
    sections: list[dict[str, Any]]

    def apply(self, case: SurvivorCase) -> None:
        case.bundles[self.bundle_id] = self.version

    def result_id(self) -> UUID:
        return self.bundle_id


class ChronologyServed(CaseEvent):
    """A chronology served on a party: what it was (purpose, the case's version
    and chain head when served, the bundle version its references follow), when
    and on whom."""

    TOPIC = "waymark.case:ChronologyServed"

    service_id: UUID
    purpose: str
    case_version: int
    chain_head: str
    bundle_id: UUID | None
    bundle_version: int | None
    served_on: str
    served_to: str

    def result_id(self) -> UUID:
        return self.service_id


class CaseTransferred(CaseEvent):
    TOPIC = "waymark.case:CaseTransferred"

    from_organisation_id: str
    to_organisation_id: str
    reason: str

    def apply(self, case: SurvivorCase) -> None:
        case.organisation_id = self.to_organisation_id


class CaseClosed(CaseEvent):
    TOPIC = "waymark.case:CaseClosed"

    reason: str

    def apply(self, case: SurvivorCase) -> None:
        case.closed = True


class CaseReopened(CaseEvent):
    TOPIC = "waymark.case:CaseReopened"

    reason: str

    def apply(self, case: SurvivorCase) -> None:
        case.closed = False


class StepSensitivityMarked(CaseEvent):
    """A step marked sensitive (kept out of shares, exports and evaluation
    unless the purpose names them) or not; it outlives corrections."""

    TOPIC = "waymark.case:StepSensitivityMarked"

    step_id: UUID
    sensitive: bool
    reason: str

    def apply(self, case: SurvivorCase) -> None:
        case.steps[self.step_id] = replace(
            case.steps[self.step_id], marked_sensitive=self.sensitive
        )

    def result_id(self) -> UUID:
        return self.step_id


class CounselShared(CaseEvent):
    """The case shared with one barrister for one purpose, until a day."""

    TOPIC = "waymark.case:CounselShared"

    share_id: UUID
    counsel: str
    purpose: str
    expires_on: date
    include_sensitive: bool

    def apply(self, case: SurvivorCase) -> None:
        case.shares[self.share_id] = ShareState(
            share_id=self.share_id,
            counsel=self.counsel,
            purpose=SharePurpose(self.purpose),
            expires_on=self.expires_on,
            include_sensitive=self.include_sensitive,
        )

    def result_id(self) -> UUID:
        return self.share_id


class ShareRevoked(CaseEvent):
    TOPIC = "waymark.case:ShareRevoked"

    share_id: UUID
    reason: str

    def apply(self, case: SurvivorCase) -> None:
        case.shares[self.share_id] = replace(
            case.shares[self.share_id], ended=ShareEnd.REVOKED
        )

    def result_id(self) -> UUID:
        return self.share_id


CASE_EVENTS: tuple[type[CaseEvent], ...] = (
    CaseOpened,
    DateOfBirthRecorded,
    AdvocateAssigned,
    ConsentGiven,
    ConsentWithdrawn,
    StepRecorded,
    StepCorrected,
    StepRetracted,
    StepDisputed,
    EvidenceAttached,
    CaseTransferred,
    CaseClosed,
    CaseReopened,
    BundleVersionRecorded,
    ChronologyServed,
    StepSensitivityMarked,
    CounselShared,
    ShareRevoked,
)


@dataclass(frozen=True)
class Provenance:
    """Who asks for a command, and the key that makes a retry harmless."""

    recorded_by: str
    idempotency_key: str | None = None
    command_digest: str | None = None


class SurvivorCase(Aggregate):
    """A pseudonymous survivor's case and the facts its rules depend on."""

    if TYPE_CHECKING:
        reference: str
        organisation_id: str
        jurisdiction: Jurisdiction
        local_authority: str | None
        opened_on: date
        advocate_id: str | None
        born: UncertainDate | None
        consents: set[ConsentPurpose]
        #: The day each standing consent was given.
        consent_days: dict[ConsentPurpose, date]
        closed: bool
        steps: dict[UUID, StepState]
        documents: set[UUID]
        #: Each bundle's newest version.
        bundles: dict[UUID, int]
        outcomes: dict[str, CommandOutcome]
        shares: dict[UUID, ShareState]
        chain_head: str
        chain_breaks: list[int]

    @classmethod
    def open(
        cls,
        *,
        reference: str,
        organisation_id: str,
        jurisdiction: str,
        local_authority: str | None,
        opened_on: date,
        by: Provenance,
    ) -> SurvivorCase:
        """``opened_on``: the day advocacy began, already checked (``past_day``)."""
        reference = _identifier(reference, "reference", REFERENCE_LIMIT)
        organisation_id = _identifier(organisation_id, "organisationId")
        try:
            jurisdiction = Jurisdiction(jurisdiction).value
        except ValueError:
            raise InvalidField(
                "jurisdiction",
                f"one of {', '.join(j.value for j in Jurisdiction)}",
            ) from None
        local_authority = optional_text(local_authority, "localAuthority", PLACE_LIMIT)
        case_id = (
            case_id_for(organisation_id, by.idempotency_key)
            if by.idempotency_key
            else uuid4()
        )
        return cls._create(
            CaseOpened,
            id=case_id,
            reference=reference,
            organisation_id=organisation_id,
            jurisdiction=jurisdiction,
            local_authority=local_authority,
            opened_on=opened_on,
            recorded_by=by.recorded_by,
            previous_hash=GENESIS,
            idempotency_key=by.idempotency_key,
            command_digest=by.command_digest,
        )

    def __deepcopy__(self, memo: dict[int, Any]) -> SurvivorCase:
        # The repository hands out a deep copy of each cached case. Every value
        # inside the case's containers is immutable, so copying the containers
        # is a deep copy, and thousands of times cheaper than copy.deepcopy.
        clone = object.__new__(type(self))
        clone.__dict__.update(
            {
                name: copy(value) if isinstance(value, (dict, set, list)) else value
                for name, value in self.__dict__.items()
            }
        )
        return clone

    # Rules

    def check_open(self) -> None:
        if self.closed:
            raise CaseIsClosed

    def check_step_amendable(self, step_id: UUID) -> None:
        step = self.steps.get(step_id)
        if step is None:
            raise StepNotFound(step_id)
        if step.retracted:
            raise StepIsRetracted(step_id)

    def outcome_of(self, idempotency_key: str) -> CommandOutcome | None:
        return self.outcomes.get(idempotency_key)

    # Commands

    def record_date_of_birth(self, born: UncertainDate, by: Provenance) -> None:
        self.check_open()
        if self.born is not None and self.born.edtf == born.edtf:
            raise NothingToChange(
                f"the date of birth is already {born.display}", "born"
            )
        self._trigger(DateOfBirthRecorded, by, born=born.as_record())

    def assign_advocate(
        self, advocate_id: str, note: str | None, by: Provenance
    ) -> None:
        self.check_open()
        advocate_id = _identifier(advocate_id, "advocateId")
        if advocate_id == self.advocate_id:
            raise NothingToChange(
                f"{advocate_id} is already the advocate", "advocateId"
            )
        self._trigger(
            AdvocateAssigned,
            by,
            advocate_id=advocate_id,
            previous_advocate_id=self.advocate_id,
            note=_note(note),
        )

    def give_consent(
        self, purpose: str, note: str | None, given_on: date, by: Provenance
    ) -> None:
        """``given_on``: a day already checked not to be in the future."""
        self.check_open()
        consent = self._purpose(purpose)
        if consent in self.consents:
            raise NothingToChange(
                f"consent to {consent.value} is already given", "purpose"
            )
        if given_on < self.opened_on:
            raise InvalidField(
                "givenOn",
                f"a day on or after the case opened ({self.opened_on.isoformat()})",
            )
        self._trigger(
            ConsentGiven,
            by,
            purpose=consent.value,
            note=_note(note),
            given_on=given_on,
        )

    def withdraw_consent(
        self, purpose: str, note: str | None, withdrawn_on: date, by: Provenance
    ) -> None:
        """``withdrawn_on``: a day already checked not to be in the future."""
        # Unlike everything else, a withdrawal is taken on a closed case too: a
        # survivor may withdraw consent at any time, and evaluation must stop
        # counting a case whose support has ended.
        consent = self._purpose(purpose)
        if consent not in self.consents:
            raise NothingToChange(f"consent to {consent.value} is not given", "purpose")
        given_on = self.consent_days.get(consent)
        if given_on is not None and withdrawn_on < given_on:
            raise InvalidField(
                "withdrawnOn",
                f"a day on or after the consent was given ({given_on.isoformat()})",
            )
        self._trigger(
            ConsentWithdrawn,
            by,
            purpose=consent.value,
            note=_note(note),
            withdrawn_on=withdrawn_on,
        )

    def record_step(self, reading: StepReading, by: Provenance) -> UUID:
        self.check_open()
        step_id = uuid4()
        self._trigger(StepRecorded, by, step_id=step_id, reading=reading.as_record())
        return step_id

    def correct_step(
        self, step_id: UUID, reading: StepReading, reason: str, by: Provenance
    ) -> None:
        self.check_open()
        self.check_step_amendable(step_id)
        self._trigger(
            StepCorrected,
            by,
            step_id=step_id,
            reading=reading.as_record(),
            reason=parse_summary(reason, "reason"),
        )

    def retract_step(self, step_id: UUID, reason: str, by: Provenance) -> None:
        self.check_open()
        self.check_step_amendable(step_id)
        self._trigger(
            StepRetracted, by, step_id=step_id, reason=parse_summary(reason, "reason")
        )

    def dispute_step(
        self,
        step_id: UUID,
        *,
        disputed_by: str,
        other_version: str,
        other_occurred: dict[str, Any] | None,
        sources: list[Source],
        by: Provenance,
    ) -> None:
        self.check_open()
        self.check_step_amendable(step_id)
        self._trigger(
            StepDisputed,
            by,
            step_id=step_id,
            disputed_by=required_text(disputed_by, "disputedBy", LABEL_LIMIT),
            other_version=parse_summary(other_version, "otherVersion"),
            other_occurred=other_occurred,
            sources=[source.as_record() for source in sources],
        )

    def attach_evidence(
        self,
        *,
        title: str,
        document_kind: str,
        bundle_ref: str | None,
        sha256: str | None,
        by: Provenance,
    ) -> UUID:
        self.check_open()
        if sha256 is not None and not _is_sha256(sha256):
            raise InvalidField("sha256", "64 hexadecimal characters")
        document_id = uuid4()
        self._trigger(
            EvidenceAttached,
            by,
            document_id=document_id,
            title=required_text(title, "title", LABEL_LIMIT),
            document_kind=_identifier(document_kind, "documentKind", CODE_LIMIT),
            bundle_ref=optional_text(bundle_ref, "bundleRef", CODE_LIMIT),
            sha256=sha256.lower() if sha256 else None,
        )
        return document_id

    def assemble_bundle(
        self,
        bundle_id: UUID | None,
        *,
        name: str,
        purpose: str,
        sections: Sequence[Mapping[str, Any]] | None,
        by: Provenance,
    ) -> UUID:
        """A new bundle, or the next version of ``bundle_id``."""
        self.check_open()
        if bundle_id is not None and bundle_id not in self.bundles:
            raise InvalidField("bundleId", "no such bundle on this case")
        try:
            purpose = BundlePurpose(purpose).value
        except ValueError:
            raise InvalidField(
                "purpose", f"one of {', '.join(p.value for p in BundlePurpose)}"
            ) from None
        bundle_id = bundle_id or uuid4()
        bundle = Bundle(
            bundle_id=bundle_id,
            version=self.bundles.get(bundle_id, 0) + 1,
            name=required_text(name, "name", NAME_LIMIT),
            purpose=BundlePurpose(purpose),
            sections=parse_sections(sections, self.documents),
        )
        self._trigger(
            BundleVersionRecorded,
            by,
            bundle_id=bundle.bundle_id,
            version=bundle.version,
            name=bundle.name,
            purpose=purpose,
            sections=bundle.as_record(),
        )
        return bundle_id

    def serve_chronology(
        self,
        *,
        purpose: str,
        bundle_id: UUID | None,
        bundle_version: int | None,
        served_on: date,
        served_to: str,
        by: Provenance,
    ) -> UUID:
        """Records that the chronology as it stands now was served."""
        if bundle_id is None and bundle_version is not None:
            raise InvalidField("bundleVersion", "name the bundle too")
        if bundle_id is not None:
            newest = self.bundles.get(bundle_id)
            if newest is None:
                raise InvalidField("bundleId", "no such bundle on this case")
            bundle_version = bundle_version or newest
            if not 1 <= bundle_version <= newest:
                raise InvalidField("bundleVersion", f"a version from 1 to {newest}")
        service_id = uuid4()
        self._trigger(
            ChronologyServed,
            by,
            service_id=service_id,
            purpose=required_text(purpose, "purpose", 32),
            case_version=self.version,
            chain_head=self.chain_head,
            bundle_id=bundle_id,
            bundle_version=bundle_version,
            served_on=served_on.isoformat(),
            served_to=required_text(served_to, "servedTo"),
        )
        return service_id

    def transfer(self, to_organisation_id: str, reason: str, by: Provenance) -> None:
        self.check_open()
        to_organisation_id = _identifier(to_organisation_id, "toOrganisationId")
        if to_organisation_id == self.organisation_id:
            raise NothingToChange(
                "the case is already with that organisation", "toOrganisationId"
            )
        self._trigger(
            CaseTransferred,
            by,
            from_organisation_id=self.organisation_id,
            to_organisation_id=to_organisation_id,
            reason=parse_summary(reason, "reason"),
        )

    def mark_step_sensitivity(
        self, step_id: UUID, sensitive: bool, reason: str, by: Provenance
    ) -> None:
        self.check_open()
        self.check_step_amendable(step_id)
        step = self.steps[step_id]
        if step.marked_sensitive is not None and step.sensitive == sensitive:
            raise NothingToChange(
                f"the step is already marked {_sensitivity(sensitive)}", "sensitive"
            )
        self._trigger(
            StepSensitivityMarked,
            by,
            step_id=step_id,
            sensitive=sensitive,
            reason=parse_summary(reason, "reason"),
        )

    def share_with_counsel(
        self,
        *,
        counsel: str,
        purpose: str,
        expires_on: date,
        include_sensitive: bool,
        today: date,
        by: Provenance,
    ) -> UUID:
        self.check_open()
        if ConsentPurpose.SHARING_WITH_COUNSEL not in self.consents:
            raise ConsentRequired(ConsentPurpose.SHARING_WITH_COUNSEL.value)
        counsel = required_text(counsel, "counsel")
        try:
            share_purpose = SharePurpose(purpose)
        except ValueError:
            raise InvalidField(
                "purpose", f"one of {', '.join(p.value for p in SharePurpose)}"
            ) from None
        if not today <= expires_on <= today + timedelta(days=MAX_SHARE_DAYS):
            raise InvalidField(
                "expiresOn", f"a day from today to {MAX_SHARE_DAYS} days ahead"
            )
        share_id = uuid4()
        self._trigger(
            CounselShared,
            by,
            share_id=share_id,
            counsel=counsel,
            purpose=share_purpose.value,
            expires_on=expires_on,
            include_sensitive=include_sensitive,
        )
        return share_id

    def revoke_share(
        self, share_id: UUID, reason: str, today: date, by: Provenance
    ) -> None:
        # Taken on a closed case too: ending access is always allowed.
        share = self.shares.get(share_id)
        if share is None:
            raise ShareNotFound(share_id)
        if not share.live_on(today):
            raise NothingToChange("the share has already ended", "shareId")
        self._trigger(
            ShareRevoked, by, share_id=share_id, reason=parse_summary(reason, "reason")
        )

    def close(self, reason: str, by: Provenance) -> None:
        self.check_open()
        self._trigger(CaseClosed, by, reason=parse_summary(reason, "reason"))

    def reopen(self, reason: str, by: Provenance) -> None:
        if not self.closed:
            raise CaseIsOpen
        self._trigger(CaseReopened, by, reason=parse_summary(reason, "reason"))

    # Mechanics

    def follow_chain(self, event: CaseEvent, expected_previous: str) -> None:
        """Moves the chain head on, noting (never refusing) a broken link."""
        if event.originator_version == self.INITIAL_VERSION:
            self.chain_breaks = []
        if event.previous_hash != expected_previous:
            self.chain_breaks.append(event.originator_version)
        self.chain_head = event.chain_hash()
        if event.idempotency_key and event.command_digest:
            self.outcomes[event.idempotency_key] = CommandOutcome(
                digest=event.command_digest,
                result_id=event.result_id(),
                version=event.originator_version,
            )

    def _trigger(
        self, event_class: type[CaseEvent], by: Provenance, **kwargs: Any
    ) -> None:
        self.trigger_event(
            event_class,
            recorded_by=by.recorded_by,
            previous_hash=self.chain_head,
            idempotency_key=by.idempotency_key,
            command_digest=by.command_digest,
            **kwargs,
        )

    @staticmethod
    def _purpose(purpose: str) -> ConsentPurpose:
        try:
            return ConsentPurpose(purpose)
        except ValueError:
            raise InvalidField(
                "purpose", f"one of {', '.join(p.value for p in ConsentPurpose)}"
            ) from None


def _sensitivity(sensitive: bool) -> str:
    return "sensitive" if sensitive else "not sensitive"


def _note(note: str | None) -> str | None:
    return optional_text(note, "note", PROSE_LIMIT, TextKind.PROSE)


def _identifier(value: str, field: str, limit: int = IDENTIFIER_LIMIT) -> str:
    return required_text(value, field, limit, TextKind.IDENTIFIER)


def _is_sha256(value: str) -> bool:
    return len(value) == 64 and all(c in "0123456789abcdefABCDEF" for c in value)


# The aggregate's topic is set after its class body: inside it, the library would
# demand explicit topics for the event classes it derives itself.
SurvivorCase.TOPIC = "waymark.case:SurvivorCase"  # type: ignore[attr-defined]
register_topic(SurvivorCase.TOPIC, SurvivorCase)  # type: ignore[attr-defined]
for _event_class in CASE_EVENTS:
    register_topic(_event_class.TOPIC, _event_class)
