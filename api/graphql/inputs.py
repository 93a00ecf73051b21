"""What clients send to change a case. Every command input may carry an
``idempotencyKey`` (a retry returns the first result, recording nothing new) and,
for an existing case, an ``expectedVersion`` (a stale one is a ``VersionConflict``).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import strawberry
from strawberry.scalars import JSON

from api.graphql.enums import ConsentPurpose, ErasureGround, Jurisdiction, SharePurpose
from domain.commands import (
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
    ShareWithCounsel,
    StepInput,
    TransferCase,
    WithdrawConsent,
)
from domain.dates import EDTF_LIMIT, SET_LIMIT
from domain.errors import InvalidField
from domain.text import (
    CODE_LIMIT,
    IDENTIFIER_LIMIT,
    KEY_LIMIT,
    LABEL_LIMIT,
    PLACE_LIMIT,
    PROSE_LIMIT,
    REFERENCE_LIMIT,
    SOURCES_LIMIT,
)

#: What every text input refuses (``domain.text``), said once.
TEXT_RULE = (
    "Control characters, unpaired surrogates and invisible formatting "
    "characters (such as bidirectional overrides) are refused"
)


def _line(limit: int) -> str:
    return f"At most {limit} characters, on one line. {TEXT_RULE}."


def _prose(limit: int) -> str:
    return (
        f"At most {limit} characters; newlines and tabs are kept (a CR LF line end "
        f"is read as a newline). {TEXT_RULE}."
    )


def _identifier(limit: int) -> str:
    return (
        f"At most {limit} characters, on one line. {TEXT_RULE}, and so are "
        "zero-width joiners."
    )


#: How every EDTF input is read.
EDTF_RULE = (
    f"At most {EDTF_LIMIT} characters. Years run from 1 to 9999; digits of any "
    "script (Arabic-Indic, fullwidth) are read as 0-9; a date-time "
    "(`2019-06-03T10:00`) is read as the day it is written on. A set lists at "
    f"most {SET_LIMIT} dates: `[2019-06, 2019-08]` (one of them), "
    "`{2019-06, 2019-08}` (all of them)."
)

IDEMPOTENCY_KEY = (
    "Makes a retry harmless: a command repeated with the same key returns the "
    "first result (`replayed: true`) and records nothing new. A key reused for a "
    f"different command is refused. {_identifier(KEY_LIMIT)}"
)
EXPECTED_VERSION = (
    "The case version the client last read; if the case has moved on, nothing is "
    "recorded and the answer is a `VersionConflict`."
)
CASE_ID = "The case."
STEP_ID = "The step, as returned by `recordStep` or listed on the chronology."
REASON = f"Why, in neutral words; kept on the record. {_prose(PROSE_LIMIT)}"
NOTE_LIMITS = _prose(PROSE_LIMIT)


@strawberry.input(description="A source for a fact: a document and a pin cite in it.")
class SourceInput:
    document: str = strawberry.field(
        description="The document: an attached document's id (then the chronology "
        f"shows its title and bundle reference) or its name. {_line(LABEL_LIMIT)}"
    )
    pin: str | None = strawberry.field(
        default=None,
        description="Where in the document: a page or paragraph. " + _line(LABEL_LIMIT),
    )


def source_records(sources: list[SourceInput] | None) -> list[dict[str, Any]] | None:
    if sources is None:
        return None
    return [{"document": s.document, "pin": s.pin} for s in sources]


@strawberry.input(description="Open a case for a survivor.")
class OpenCaseInput:
    reference: str = strawberry.field(
        description="The organisation's pseudonymous reference for the survivor. "
        + _identifier(REFERENCE_LIMIT)
    )
    jurisdiction: Jurisdiction = strawberry.field(
        description="Whose law governs the survivor's case."
    )
    local_authority: str | None = strawberry.field(
        default=None,
        description="The local authority the survivor lives in. " + _line(PLACE_LIMIT),
    )
    organisation_id: str | None = strawberry.field(
        default=None,
        description="The organisation holding the case; defaults to the caller's. "
        "Only an administrator may name another. " + _identifier(IDENTIFIER_LIMIT),
    )
    opened_on: date | None = strawberry.field(
        default=None,
        description="The day advocacy began (when the advocate first met the "
        "survivor, or the case's opening in a caseload moved onto Waymark): an "
        "exact day, not in the future; today when not given. Evaluation periods "
        "and durations count from it; the log's timestamp still shows when the "
        "case was entered.",
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description=IDEMPOTENCY_KEY
    )


@strawberry.input(
    description="What every command on an existing case carries besides its own fields."
)
class CaseCommandInput:
    case_id: UUID = strawberry.field(description=CASE_ID)
    idempotency_key: str | None = strawberry.field(
        default=None, description=IDEMPOTENCY_KEY
    )
    expected_version: int | None = strawberry.field(
        default=None, description=EXPECTED_VERSION
    )

    def command(self) -> CaseCommand:
        raise NotImplementedError


@strawberry.input(description="Record the survivor's date of birth.")
class RecordDateOfBirthInput(CaseCommandInput):
    born: str = strawberry.field(
        description="In EDTF, as exactly as it is known: `2003-04-17`, `2003`, "
        f"`2003~`; never in the future. {EDTF_RULE}"
    )

    def command(self) -> CaseCommand:
        return RecordDateOfBirth(self.case_id, self.born)


@strawberry.input(description="A step as the client states it.")
class StepFieldsInput(CaseCommandInput):
    kind: str = strawberry.field(
        description="The step's kind from the vocabulary (`stepKinds`), e.g. "
        "`nrm.reasonable_grounds_decision`. " + _identifier(IDENTIFIER_LIMIT)
    )
    occurred: str | None = strawberry.field(
        default=None,
        description="When it happened, in EDTF: `2019-06-14`, `2019-06`, `2019-06~` "
        "(approximately), `2019-06?` (uncertain), `2018-03/2018-05` (between), "
        "`../2016` (on or before). Null or empty for an undated step; never wholly "
        f"in the future. {EDTF_RULE}",
    )
    summary: str = strawberry.field(
        description=f"What happened, in neutral words. {_prose(PROSE_LIMIT)}"
    )
    details: JSON | None = strawberry.field(
        default=None,
        description="The kind's payload as a JSON object, with the fields "
        "`stepKinds` lists for the kind (snake_case names; amounts as strings or "
        "numbers). Omit for kinds without details. Each string in it: "
        + _line(LABEL_LIMIT),
    )
    sources: list[SourceInput] | None = strawberry.field(
        default=None,
        description=f"Where the fact comes from: at most {SOURCES_LIMIT} sources.",
    )
    order: int | None = strawberry.field(
        default=None,
        description="A stated order among steps on the same date (0 to 10000).",
    )

    def step(self) -> StepInput:
        return StepInput(
            kind=self.kind,
            occurred=self.occurred,
            summary=self.summary,
            details=_details(self.details),
            sources=source_records(self.sources),
            order=self.order,
        )


@strawberry.input(description="Record a step of the survivor's journey.")
class RecordStepInput(StepFieldsInput):
    def command(self) -> CaseCommand:
        return RecordStep(self.case_id, self.step())


@strawberry.input(
    description="Correct a step: a complete new reading replaces the current one; "
    "earlier readings stay in its history."
)
class CorrectStepInput(StepFieldsInput):
    step_id: UUID = strawberry.field(description=STEP_ID)
    reason: str = strawberry.field(description=REASON)

    def command(self) -> CaseCommand:
        return CorrectStep(self.case_id, self.step_id, self.step(), self.reason)


@strawberry.input(description="Retract a step recorded in error; it stays on record.")
class RetractStepInput(CaseCommandInput):
    step_id: UUID = strawberry.field(description=STEP_ID)
    reason: str = strawberry.field(description=REASON)

    def command(self) -> CaseCommand:
        return RetractStep(self.case_id, self.step_id, self.reason)


@strawberry.input(
    description="Record another version of a step; the chronology then shows both."
)
class DisputeStepInput(CaseCommandInput):
    step_id: UUID = strawberry.field(description=STEP_ID)
    disputed_by: str = strawberry.field(
        description="Who gives the other version (a role or party, not a name). "
        + _line(LABEL_LIMIT)
    )
    other_version: str = strawberry.field(
        description="The other version, stated shortly and neutrally. "
        + _prose(PROSE_LIMIT)
    )
    other_occurred: str | None = strawberry.field(
        default=None,
        description=f"When it happened in the other version, in EDTF. {EDTF_RULE}",
    )
    sources: list[SourceInput] | None = strawberry.field(
        default=None,
        description="Where the other version comes from: at most "
        f"{SOURCES_LIMIT} sources.",
    )

    def command(self) -> CaseCommand:
        return DisputeStep(
            self.case_id,
            self.step_id,
            self.disputed_by,
            self.other_version,
            self.other_occurred,
            source_records(self.sources),
        )


@strawberry.input(description="Attach an evidence document to the case.")
class AttachEvidenceInput(CaseCommandInput):
    title: str = strawberry.field(
        description=f"The document's title. {_line(LABEL_LIMIT)}"
    )
    document_kind: str = strawberry.field(
        description="What kind of document it is (e.g. `witness_statement`). "
        + _identifier(CODE_LIMIT)
    )
    bundle_ref: str | None = strawberry.field(
        default=None,
        description=f"Its place in the bundle, e.g. `B/345`. {_line(CODE_LIMIT)}",
    )
    sha256: str | None = strawberry.field(
        default=None, description="The file's SHA-256 digest, 64 hex characters."
    )

    def command(self) -> CaseCommand:
        return AttachEvidence(
            self.case_id, self.title, self.document_kind, self.bundle_ref, self.sha256
        )


@strawberry.input(description="The survivor's consent for a purpose.")
class ConsentInput(CaseCommandInput):
    purpose: ConsentPurpose = strawberry.field(description="What the consent is for.")
    note: str | None = strawberry.field(
        default=None,
        description=f"How and when the survivor said so. {NOTE_LIMITS}",
    )


@strawberry.input(description="Record the survivor's consent for a purpose.")
class GiveConsentInput(ConsentInput):
    given_on: date | None = strawberry.field(
        default=None,
        description="The day the survivor gave it: an exact day, not in the "
        "future nor before the case opened; today when not given.",
    )

    def command(self) -> CaseCommand:
        return GiveConsent(self.case_id, self.purpose.value, self.note, self.given_on)


@strawberry.input(
    description="Record that the survivor withdrew consent for a purpose."
)
class WithdrawConsentInput(ConsentInput):
    withdrawn_on: date | None = strawberry.field(
        default=None,
        description="The day the survivor withdrew it: an exact day, not in the "
        "future nor before the consent was given; today when not given.",
    )

    def command(self) -> CaseCommand:
        return WithdrawConsent(
            self.case_id, self.purpose.value, self.note, self.withdrawn_on
        )


@strawberry.input(description="Assign an advocate to the case, or hand it over.")
class AssignAdvocateInput(CaseCommandInput):
    advocate_id: str = strawberry.field(
        description=f"The advocate taking the case. {_identifier(IDENTIFIER_LIMIT)}"
    )
    note: str | None = strawberry.field(
        default=None, description=f"A handover note. {NOTE_LIMITS}"
    )

    def command(self) -> CaseCommand:
        return AssignAdvocate(self.case_id, self.advocate_id, self.note)


@strawberry.input(description="Transfer the case to another organisation.")
class TransferCaseInput(CaseCommandInput):
    to_organisation_id: str = strawberry.field(
        description="The organisation taking the case over. "
        + _identifier(IDENTIFIER_LIMIT)
    )
    reason: str = strawberry.field(description=REASON)

    def command(self) -> CaseCommand:
        return TransferCase(self.case_id, self.to_organisation_id, self.reason)


@strawberry.input(description="Close the case.")
class CloseCaseInput(CaseCommandInput):
    reason: str = strawberry.field(description=REASON)

    def command(self) -> CaseCommand:
        return CloseCase(self.case_id, self.reason)


@strawberry.input(description="Reopen a closed case.")
class ReopenCaseInput(CaseCommandInput):
    reason: str = strawberry.field(description=REASON)

    def command(self) -> CaseCommand:
        return ReopenCase(self.case_id, self.reason)


@strawberry.input(
    description="Mark a step sensitive (kept out of shares, exports and "
    "evaluation unless the purpose names sensitive steps) or not."
)
class MarkStepSensitivityInput(CaseCommandInput):
    step_id: UUID = strawberry.field(description=STEP_ID)
    sensitive: bool = strawberry.field(
        description="True: sensitive. False: not, even if its kind is sensitive "
        "by default (the survivor's accounts, mental-health content)."
    )
    reason: str = strawberry.field(description=REASON)

    def command(self) -> CaseCommand:
        return MarkStepSensitivity(
            self.case_id, self.step_id, self.sensitive, self.reason
        )


@strawberry.input(
    description="Share the case with one barrister for one purpose, until a "
    "day. Needs the survivor's consent to sharing with counsel on record; "
    "withdrawing that consent ends every share."
)
class ShareWithCounselInput(CaseCommandInput):
    counsel: str = strawberry.field(
        description="The barrister: the subject their token names (a person, "
        "not an organisation), at most 200 characters."
    )
    purpose: SharePurpose = strawberry.field(
        description="What counsel may read: that purpose's chronology (and, for "
        "CICA, the compensation evidence pack)."
    )
    expires_on: date = strawberry.field(
        description="The last day counsel may read it: from today to 366 days ahead."
    )
    include_sensitive: bool = strawberry.field(
        default=False,
        description="Also share the sensitive steps of the purpose's areas (e.g. "
        '"CICA including sensitive steps"); by default they are left out.',
    )

    def command(self) -> CaseCommand:
        return ShareWithCounsel(
            self.case_id,
            self.counsel,
            self.purpose.value,
            self.expires_on,
            self.include_sensitive,
        )


@strawberry.input(description="End a share with counsel before it expires.")
class RevokeShareInput(CaseCommandInput):
    share_id: UUID = strawberry.field(
        description="The share, as returned by `shareWithCounsel`."
    )
    reason: str = strawberry.field(description=REASON)

    def command(self) -> CaseCommand:
        return RevokeShare(self.case_id, self.share_id, self.reason)


@strawberry.input(
    description="Erase a case for good: its keys are destroyed and none of its "
    "events can be read again. Managers of the organisation holding it only."
)
class EraseCaseInput:
    case_id: UUID = strawberry.field(description=CASE_ID)
    ground: ErasureGround = strawberry.field(description="Why the case is erased.")
    idempotency_key: str | None = strawberry.field(
        default=None, description=IDEMPOTENCY_KEY
    )


def _details(details: object) -> dict[str, Any] | None:
    if details is None:
        return None
    if not isinstance(details, dict):
        raise InvalidField("details", "a JSON object with the kind's fields")
    return details
