"""The step vocabulary: every kind of step in a survivor's journey, with its payload.

A step's kind is ``area.kind`` (``nrm.reasonable_grounds_decision``). Each kind has
a small typed payload, validated when the step is recorded, and a version so the
payload can evolve: a stored payload of an older version is upgraded on reading.
New kinds need a payload model here, never free-form JSON.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Set
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from domain.errors import InvalidField
from domain.text import LABEL_LIMIT, TextKind, checked_text


class Payload(BaseModel):
    """A step's details: strict, closed to unknown fields, immutable.

    Every string in a payload, whatever its field (and each string of a list),
    is held to the rule every command's text is (``domain.text``) and to
    ``LABEL_LIMIT`` characters, so a payload model cannot forget to bound one.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _recordable_text(cls, value: Any) -> Any:
        if isinstance(value, str):
            return _recordable(value)
        if isinstance(value, list):
            return [
                _recordable(item) if isinstance(item, str) else item for item in value
            ]
        return value


def _recordable(text: str) -> str:
    try:
        return checked_text(text, "text", LABEL_LIMIT, TextKind.LINE)
    except InvalidField as refusal:
        # Pydantic names the field; the message is the rule that was broken.
        raise ValueError(refusal.message.removeprefix("text: ")) from None


class NoDetails(Payload):
    pass


Text = Field(min_length=1, max_length=LABEL_LIMIT)
Money = Field(ge=Decimal(0), max_digits=12, decimal_places=2)

GroundsOutcome = Literal["positive", "negative"]


class GroundsDecision(Payload):
    outcome: GroundsOutcome


class ImmigrationDecision(Payload):
    outcome: Literal[
        "refugee_status",
        "humanitarian_protection",
        "discretionary_leave",
        "other_leave",
        "refused",
    ]
    #: True when the decision decides an asylum (protection) claim, False when
    #: it decides another application; None where not recorded (version 1 of
    #: this payload had no such field).
    asylum_claim: bool | None = None


class AppealDecided(Payload):
    outcome: Literal["allowed", "dismissed", "withdrawn", "remitted"]


class AccommodationSecured(Payload):
    tenure: Literal["emergency", "temporary", "safe_house", "supported", "permanent"]


class CrimeReported(Payload):
    crime_reference: str = Text


class EvidenceGiven(Payload):
    special_measures: bool


#: A pseudonymous reference: letters, digits and ``-_./:``, never a name.
Reference = Field(
    default=None, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_./:-]*$"
)


class Verdict(Payload):
    outcome: Literal["convicted", "acquitted", "hung_jury", "discontinued"]
    trafficking_offence: bool
    #: The prosecution (trial) the verdict ends, as everyone recording it calls
    #: it (the police operation's pseudonym, say): the same reference in many
    #: survivors' cases is one prosecution. Version 1 had no references.
    prosecution_ref: str | None = Reference
    #: The defendant the verdict is about, pseudonymously (``D-07``); with the
    #: prosecution's reference, one offender convicted with fifty survivors as
    #: witnesses is one conviction.
    defendant_ref: str | None = Reference


class Convicted(Payload):
    sentence: Literal[
        "custodial", "suspended", "community", "fine", "discharge", "other"
    ]


class CompensationDecision(Payload):
    outcome: Literal["award", "nil_award", "refused", "withdrawn"]
    amount: Decimal | None = Money


class TribunalDecision(Payload):
    outcome: Literal["allowed", "dismissed", "remitted", "struck_out"]
    amount: Decimal | None = Money


class AwardReceived(Payload):
    amount: Decimal = Money
    source: Literal["cica", "civil_claim", "compensation_order", "other"]


Jurisdiction = Literal["england_and_wales", "scotland", "northern_ireland"]


class MovedArea(Payload):
    local_authority: str = Text
    #: Set when the move crosses into another jurisdiction (its legal clocks
    #: then apply); version 1 of this payload had no such field.
    jurisdiction: Jurisdiction | None = None


class Incident(Payload):
    """Harm the survivor suffered: the crime of violence a CICA claim rests on."""

    offences: list[str] = Field(min_length=1, max_length=10)


class Injury(Payload):
    nature: Literal["physical", "mental", "physical_and_mental"]


class Diagnosis(Payload):
    condition: str = Text
    diagnosed_by: Literal[
        "psychiatrist", "clinical_psychologist", "general_practitioner", "other"
    ]


class Loss(Payload):
    kind: Literal["earnings", "expenses", "property", "care", "other"]
    amount: Decimal | None = Money


class CooperationStopped(Payload):
    reason: str = Text


class ExtensionGranted(Payload):
    #: The day the extension runs to, when the grant names one; version 1 of this
    #: payload had no fields.
    until: date | None = None


class ServiceEnded(Payload):
    service: str = Text


class Contact(Payload):
    mode: Literal["in_person", "phone", "video", "message", "letter"]


class Disclosure(Payload):
    to_whom: str = Text


PayloadUpgrade = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class StepKind:
    """One kind of step: its code, neutral label, payload and what it follows."""

    code: str
    #: As a chronology served on a court prints it: neutral, sentence case, a
    #: heading with no full stop, and no citation or drafting aside.
    label: str
    payload: type[Payload] = NoDetails
    version: int = 1
    #: Kinds one of which a chronology expects on record before this one.
    expects: tuple[str, ...] = ()
    #: ``upgrades[n]`` turns a version-n payload into version n+1.
    upgrades: Mapping[int, PayloadUpgrade] = field(default_factory=dict)

    @property
    def area(self) -> str:
        return self.code.split(".", 1)[0]

    @property
    def fields(self) -> dict[str, Any]:
        return dict(self.payload.model_fields)


def _kinds(*kinds: StepKind) -> dict[str, StepKind]:
    return {kind.code: kind for kind in kinds}


STEP_KINDS: Mapping[str, StepKind] = _kinds(
    # National Referral Mechanism
    StepKind("nrm.referral_consent_declined", "Declined consent to an NRM referral"),
    StepKind("nrm.duty_to_notify", "Home Office notified under the duty to notify"),
    StepKind("nrm.referred", "Referred into the NRM"),
    StepKind(
        "nrm.reasonable_grounds_decision",
        "Reasonable grounds decision",
        GroundsDecision,
        expects=("nrm.referred",),
    ),
    StepKind(
        "nrm.reconsideration_requested",
        "Reconsideration of an NRM decision requested",
        expects=("nrm.reasonable_grounds_decision", "nrm.conclusive_grounds_decision"),
    ),
    StepKind(
        "nrm.conclusive_grounds_decision",
        "Conclusive grounds decision",
        GroundsDecision,
        expects=("nrm.referred",),
    ),
    StepKind("nrm.support_ended", "NRM support ended"),
    # Immigration
    StepKind("immigration.advice_accessed", "Immigration advice received"),
    StepKind("immigration.asylum_claim_lodged", "Asylum claim lodged"),
    StepKind(
        "immigration.decision",
        "Immigration decision",
        ImmigrationDecision,
        version=2,
        upgrades={1: lambda payload: {**payload, "asylum_claim": None}},
        expects=("immigration.asylum_claim_lodged",),
    ),
    StepKind(
        "immigration.appeal_lodged",
        "Immigration appeal lodged",
        expects=("immigration.decision",),
    ),
    StepKind(
        "immigration.appeal_decided",
        "Immigration appeal decided",
        AppealDecided,
        expects=("immigration.appeal_lodged",),
    ),
    # Housing
    StepKind("housing.advocacy", "Advocacy on housing"),
    StepKind(
        "housing.accommodation_secured", "Accommodation secured", AccommodationSecured
    ),
    StepKind("housing.housing_benefit_awarded", "Housing benefit awarded"),
    StepKind("housing.accommodation_lost", "Accommodation lost"),
    # Benefits
    StepKind("benefits.advocacy", "Advocacy on benefits"),
    StepKind("benefits.claim_made", "Benefits claim made"),
    StepKind("benefits.awarded", "Benefits awarded", expects=("benefits.claim_made",)),
    StepKind("benefits.refused", "Benefits refused", expects=("benefits.claim_made",)),
    # Health
    StepKind("health.gp_registered", "Registered with a GP"),
    StepKind("health.referral", "Health referral made"),
    StepKind("health.mental_health_support_accessed", "Mental health support received"),
    StepKind("health.medico_legal_report", "Medico-legal report obtained"),
    StepKind("health.diagnosis", "Diagnosis", Diagnosis),
    # Legal
    StepKind("legal.legal_aid_secured", "Legal aid secured"),
    StepKind("legal.advice_accessed", "Legal advice received"),
    # Criminal justice: the survivor as victim or witness
    StepKind("criminal_justice.crime_reported", "Crime reported", CrimeReported),
    StepKind(
        "criminal_justice.cooperation_stopped",
        "Stopped cooperating with the police",
        CooperationStopped,
    ),
    StepKind("criminal_justice.abe_interview", "Achieving Best Evidence interview"),
    StepKind("criminal_justice.witness_called", "Called as a witness"),
    StepKind("criminal_justice.trial_listed", "Trial listed"),
    StepKind(
        "criminal_justice.trial_attended",
        "Attended trial",
        expects=("criminal_justice.witness_called",),
    ),
    StepKind(
        "criminal_justice.evidence_given",
        "Gave evidence",
        EvidenceGiven,
        expects=("criminal_justice.witness_called",),
    ),
    StepKind(
        "criminal_justice.verdict",
        "Verdict",
        Verdict,
        version=2,
        upgrades={
            1: lambda payload: {
                **payload,
                "prosecution_ref": None,
                "defendant_ref": None,
            }
        },
        expects=("criminal_justice.trial_listed", "criminal_justice.trial_attended"),
    ),
    # The survivor's own convictions
    StepKind("own_conviction.arrested", "Arrested"),
    StepKind("own_conviction.charged", "Charged"),
    StepKind("own_conviction.convicted", "Convicted", Convicted),
    StepKind(
        "own_conviction.statutory_defence_raised",
        "Statutory defence raised",
    ),
    StepKind(
        "own_conviction.appeal_lodged",
        "Appeal against conviction lodged",
        expects=("own_conviction.convicted",),
    ),
    StepKind(
        "own_conviction.conviction_overturned",
        "Conviction overturned",
        expects=("own_conviction.convicted",),
    ),
    # Compensation
    StepKind("compensation.cica_application_submitted", "CICA application submitted"),
    StepKind(
        "compensation.cica_decision",
        "CICA decision",
        CompensationDecision,
        expects=("compensation.cica_application_submitted",),
    ),
    StepKind(
        "compensation.cica_review_requested",
        "CICA review requested",
        expects=("compensation.cica_decision",),
    ),
    StepKind(
        "compensation.cica_review_decision",
        "CICA review decision",
        CompensationDecision,
        expects=("compensation.cica_review_requested",),
    ),
    StepKind(
        "compensation.tribunal_appeal_lodged",
        "Appeal to the First-tier Tribunal lodged",
        expects=("compensation.cica_review_decision",),
    ),
    StepKind(
        "compensation.tribunal_hearing_listed",
        "First-tier Tribunal hearing listed",
        expects=("compensation.tribunal_appeal_lodged",),
    ),
    StepKind(
        "compensation.tribunal_decision",
        "First-tier Tribunal decision",
        TribunalDecision,
        expects=("compensation.tribunal_appeal_lodged",),
    ),
    StepKind(
        "compensation.tribunal_extension_requested",
        "Extension of time to appeal requested",
        expects=("compensation.cica_review_decision",),
    ),
    StepKind(
        "compensation.tribunal_extension_granted",
        "Extension of time to appeal granted",
        ExtensionGranted,
        version=2,
        expects=("compensation.tribunal_extension_requested",),
        upgrades={1: lambda payload: {**payload, "until": None}},
    ),
    StepKind("compensation.loss", "Loss", Loss),
    StepKind("compensation.civil_claim_issued", "Civil claim issued"),
    StepKind("compensation.award_received", "Compensation received", AwardReceived),
    # Employment and education
    StepKind("employment.training_started", "Training started"),
    StepKind("employment.education_enrolled", "Enrolled in education"),
    StepKind("employment.employment_gained", "Employment gained"),
    # Safety
    StepKind("safety.risk_identified", "Risk identified"),
    StepKind("safety.safeguarding_referral", "Safeguarding referral made"),
    StepKind("safety.re_exploited", "Re-exploitation reported"),
    # Transitions
    StepKind("transition.turned_18", "Turned 18"),
    StepKind("transition.left_prison", "Released from prison"),
    StepKind(
        "transition.moved_area",
        "Moved to another area",
        MovedArea,
        version=2,
        upgrades={1: lambda payload: {**payload, "jurisdiction": None}},
    ),
    StepKind("transition.service_ended", "Service ended", ServiceEnded),
    # Engagement with the advocate
    StepKind("engagement.contact", "Contact with the advocate", Contact),
    StepKind("engagement.disengaged", "Disengaged from advocacy"),
    StepKind(
        "engagement.re_engaged",
        "Re-engaged with advocacy",
        expects=("engagement.disengaged",),
    ),
    # Harm suffered: what a compensation claim rests on
    StepKind("harm.incident", "Incident", Incident),
    StepKind("harm.injury", "Injury", Injury, expects=("harm.incident",)),
    # Accounts given: when, and to whom; the content itself is sensitive
    StepKind("account.disclosure", "Account given", Disclosure),
)


class UnknownStepKind(InvalidField):
    def __init__(self, kind: str) -> None:
        super().__init__("kind", f"{kind!r} is not a step kind in the vocabulary")


def step_kind(code: str) -> StepKind:
    try:
        return STEP_KINDS[code]
    except KeyError:
        raise UnknownStepKind(code) from None


def validate_details(
    kind: StepKind, details: Mapping[str, Any] | None
) -> dict[str, Any]:
    """Validates a payload for ``kind``; returns it normalised, or names the fault."""
    try:
        payload = kind.payload.model_validate(dict(details or {}))
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise InvalidField(
            f"details.{where}" if where else "details",
            f"{first['msg'].removeprefix('Value error, ')} (for {kind.code})",
        ) from None
    return payload.model_dump()


def upgrade_details(
    kind: StepKind, details: dict[str, Any], from_version: int
) -> dict[str, Any]:
    """Reads a payload stored under an older version of its kind."""
    version = from_version
    while version < kind.version:
        details = kind.upgrades[version](details)
        version += 1
    return details


def plausibility_warnings(code: str, on_record: Set[str]) -> tuple[str, ...]:
    """A step's warnings, never refusals (advocates often join a journey midway):
    a step of a kind that expects another (a reasonable grounds decision expects a
    referral) warns while no step of those kinds is on record. ``on_record``: the
    kinds of the case's steps, retracted ones left out."""
    kind = STEP_KINDS.get(code)
    if kind is None or not kind.expects or not on_record.isdisjoint(kind.expects):
        return ()
    missing = " or ".join(f"“{STEP_KINDS[other].label}”" for other in kind.expects)
    return (f"{kind.label} recorded, but no {missing} step is on record",)


def open_warnings(kinds: Collection[str]) -> int:
    """How many plausibility warnings stand on a case whose steps on record (each
    one's kind; retracted steps left out) are ``kinds``: a chronology shows them
    on its rows, a caseload counts them."""
    on_record = frozenset(kinds)
    return sum(len(plausibility_warnings(code, on_record)) for code in kinds)
