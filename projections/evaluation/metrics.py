"""The evaluation metrics: what each counts, in the words published beside it,
and which facts of a step each reads.

A step contributes *facts*: a metric it counts towards (or a marker the metrics
read, such as a contact), the day it is dated by, and for some an amount or a
flag. Facts are all the evaluation view keeps of a step: no summary, no source,
no free text. A step dated uncertainly is dated by its earliest possible day
(so every step falls in exactly one of a run of consecutive periods); an
undated step counts in no period.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from domain.steps import StepReading


class Metric(StrEnum):
    CLIENTS = "clients"
    ENGAGED_6_MONTHS = "engaged_6_months"
    ADVOCACY_HOUSING = "advocacy_housing"
    PERMANENT_ACCOMMODATION = "permanent_accommodation"
    ADVOCACY_IMMIGRATION_ADVICE = "advocacy_immigration_advice"
    ADVOCACY_BENEFITS = "advocacy_benefits"
    EMPLOYMENT_GAINED = "employment_gained"
    STATUS_GRANTED = "status_granted"
    COMPENSATION_AWARDED = "compensation_awarded"
    CONVICTION_OVERTURNED = "conviction_overturned"
    RE_EXPLOITED = "re_exploited"
    ATTENDED_WHEN_CALLED = "attended_when_called"
    CONVICTIONS = "convictions"
    NRM_REFERRAL_TO_CG = "nrm_referral_to_conclusive_grounds"
    ASYLUM_CLAIM_TO_DECISION = "asylum_claim_to_decision"
    CICA_APPLICATION_TO_AWARD = "cica_application_to_award"


class Fact(StrEnum):
    """What a step can tell the evaluation; most are a metric of the same name."""

    CONTACT = "contact"
    DISENGAGED = "disengaged"
    ADVOCACY_HOUSING = "advocacy_housing"
    PERMANENT_ACCOMMODATION = "permanent_accommodation"
    ADVOCACY_IMMIGRATION_ADVICE = "advocacy_immigration_advice"
    ADVOCACY_BENEFITS = "advocacy_benefits"
    EMPLOYMENT_GAINED = "employment_gained"
    STATUS_GRANTED = "status_granted"
    AWARD_RECEIVED = "award_received"
    CONVICTION_OVERTURNED = "conviction_overturned"
    RE_EXPLOITED = "re_exploited"
    WITNESS_CALLED = "witness_called"
    TRIAL_ATTENDED = "trial_attended"
    CONVICTED = "convicted"
    NRM_REFERRED = "nrm_referred"
    CG_DECIDED = "cg_decided"
    ASYLUM_CLAIMED = "asylum_claimed"
    ASYLUM_DECIDED = "asylum_decided"
    CICA_APPLIED = "cica_applied"
    CICA_AWARDED = "cica_awarded"


#: Facts a case's clients-in-period metrics read, one per step in a period.
PERIOD_FACTS: Mapping[Metric, Fact] = {
    Metric.ADVOCACY_HOUSING: Fact.ADVOCACY_HOUSING,
    Metric.PERMANENT_ACCOMMODATION: Fact.PERMANENT_ACCOMMODATION,
    Metric.ADVOCACY_IMMIGRATION_ADVICE: Fact.ADVOCACY_IMMIGRATION_ADVICE,
    Metric.ADVOCACY_BENEFITS: Fact.ADVOCACY_BENEFITS,
    Metric.EMPLOYMENT_GAINED: Fact.EMPLOYMENT_GAINED,
    Metric.STATUS_GRANTED: Fact.STATUS_GRANTED,
    Metric.COMPENSATION_AWARDED: Fact.AWARD_RECEIVED,
    Metric.CONVICTION_OVERTURNED: Fact.CONVICTION_OVERTURNED,
    Metric.RE_EXPLOITED: Fact.RE_EXPLOITED,
}

#: Durations: from the first start fact to the first end fact on or after it.
DURATIONS: Mapping[Metric, tuple[Fact, Fact]] = {
    Metric.NRM_REFERRAL_TO_CG: (Fact.NRM_REFERRED, Fact.CG_DECIDED),
    Metric.ASYLUM_CLAIM_TO_DECISION: (Fact.ASYLUM_CLAIMED, Fact.ASYLUM_DECIDED),
    Metric.CICA_APPLICATION_TO_AWARD: (Fact.CICA_APPLIED, Fact.CICA_AWARDED),
}

#: Facts the engagement measure reads; kept in the view, not loaded to count.
ENGAGEMENT_FACTS = frozenset({Fact.CONTACT, Fact.DISENGAGED})

_GRANTS = {
    "refugee_status",
    "humanitarian_protection",
    "discretionary_leave",
    "other_leave",
}

_KIND_FACTS: Mapping[str, Fact] = {
    "engagement.contact": Fact.CONTACT,
    "engagement.disengaged": Fact.DISENGAGED,
    "immigration.advice_accessed": Fact.ADVOCACY_IMMIGRATION_ADVICE,
    "employment.employment_gained": Fact.EMPLOYMENT_GAINED,
    "own_conviction.conviction_overturned": Fact.CONVICTION_OVERTURNED,
    "safety.re_exploited": Fact.RE_EXPLOITED,
    "criminal_justice.witness_called": Fact.WITNESS_CALLED,
    "criminal_justice.trial_attended": Fact.TRIAL_ATTENDED,
    "nrm.referred": Fact.NRM_REFERRED,
    "nrm.conclusive_grounds_decision": Fact.CG_DECIDED,
    "immigration.asylum_claim_lodged": Fact.ASYLUM_CLAIMED,
    "immigration.decision": Fact.ASYLUM_DECIDED,
    "compensation.cica_application_submitted": Fact.CICA_APPLIED,
}


@dataclass(frozen=True)
class StepFact:
    fact: Fact
    #: The step's earliest possible day (``date.toordinal``); None if undated.
    on: int | None
    #: Pence, for money facts.
    amount: int | None = None
    #: For a conviction: whether a trafficking offence was among them.
    flag: bool = False


def _pence(amount: Any) -> int | None:
    if amount is None:
        return None
    return int((Decimal(str(amount)) * 100).to_integral_value())


def facts_of(reading: Mapping[str, Any]) -> list[StepFact]:
    """The evaluation's facts of a stored step reading (upgraded to the
    vocabulary's current payloads first)."""
    kind = str(reading["kind"])
    area = kind.partition(".")[0]
    if area not in _AREAS_READ and kind not in _KIND_FACTS:
        return []
    step = StepReading.from_record(reading)
    occurred = step.occurred
    earliest = occurred.earliest if occurred else None
    on = earliest.toordinal() if isinstance(earliest, date) else None
    details = step.details
    found: list[StepFact] = []
    if kind in _KIND_FACTS:
        fact = _KIND_FACTS[kind]
        found.append(StepFact(fact, on))
        if kind == "immigration.decision" and details.get("outcome") in _GRANTS:
            found.append(StepFact(Fact.STATUS_GRANTED, on))
    if area == "housing":
        found.append(StepFact(Fact.ADVOCACY_HOUSING, on))
        if (
            kind == "housing.accommodation_secured"
            and details.get("tenure") == "permanent"
        ):
            found.append(StepFact(Fact.PERMANENT_ACCOMMODATION, on))
    elif area == "benefits":
        found.append(StepFact(Fact.ADVOCACY_BENEFITS, on))
    elif kind == "criminal_justice.verdict" and details.get("outcome") == "convicted":
        found.append(
            StepFact(Fact.CONVICTED, on, flag=bool(details.get("trafficking_offence")))
        )
    elif kind == "compensation.award_received":
        found.append(StepFact(Fact.AWARD_RECEIVED, on, _pence(details.get("amount"))))
    elif kind in _AWARD_DECISIONS and details.get("outcome") in _AWARD_DECISIONS[kind]:
        found.append(StepFact(Fact.CICA_AWARDED, on, _pence(details.get("amount"))))
    return found


_AWARD_DECISIONS: Mapping[str, frozenset[str]] = {
    "compensation.cica_decision": frozenset({"award"}),
    "compensation.cica_review_decision": frozenset({"award"}),
    "compensation.tribunal_decision": frozenset({"allowed"}),
}
_AREAS_READ = frozenset({"housing", "benefits", "criminal_justice", "compensation"})


@dataclass(frozen=True)
class Definition:
    metric: Metric
    numerator: str
    denominator: str
    notes: str = ""


_CLIENTS = "clients (consenting cases open on any day of the period)"

DEFINITIONS: tuple[Definition, ...] = (
    Definition(
        Metric.CLIENTS,
        "Cases whose survivor consents to inclusion in evaluation and which were "
        "open on at least one day of the period (from opening to closing, "
        "inclusive; a reopened case is open again from the day it reopened).",
        "The same count: a share of 100% is not published for it.",
    ),
    Definition(
        Metric.ENGAGED_6_MONTHS,
        "Of the denominator, those with an engagement contact dated on or after "
        "the six-month anniversary of opening and on or before the period's "
        "last day, and no disengagement dated before that anniversary.",
        "Clients whose case opened at least six months before the period's last "
        "day (the anniversary falls on or before it).",
        "Six months: the same day of the month six months on, or the month's "
        "last day when it has no such day.",
    ),
    Definition(
        Metric.ADVOCACY_HOUSING,
        "Clients with any housing step dated in the period.",
        _CLIENTS,
    ),
    Definition(
        Metric.PERMANENT_ACCOMMODATION,
        "Clients with housing.accommodation_secured of permanent tenure dated in "
        "the period.",
        _CLIENTS,
    ),
    Definition(
        Metric.ADVOCACY_IMMIGRATION_ADVICE,
        "Clients with immigration.advice_accessed dated in the period.",
        _CLIENTS,
    ),
    Definition(
        Metric.ADVOCACY_BENEFITS,
        "Clients with any benefits step dated in the period.",
        _CLIENTS,
    ),
    Definition(
        Metric.EMPLOYMENT_GAINED,
        "Clients with employment.employment_gained dated in the period.",
        _CLIENTS,
    ),
    Definition(
        Metric.STATUS_GRANTED,
        "Clients with an immigration.decision granting status (refugee status, "
        "humanitarian protection, discretionary or other leave) dated in the "
        "period.",
        _CLIENTS,
    ),
    Definition(
        Metric.COMPENSATION_AWARDED,
        "Clients with compensation.award_received (any source) dated in the "
        "period; the total is the sum of those receipts' amounts.",
        _CLIENTS,
        "Receipts, not decisions, so a review that raises an award is not "
        "counted twice.",
    ),
    Definition(
        Metric.CONVICTION_OVERTURNED,
        "Clients with own_conviction.conviction_overturned dated in the period.",
        _CLIENTS,
    ),
    Definition(
        Metric.RE_EXPLOITED,
        "Clients with safety.re_exploited dated in the period.",
        _CLIENTS,
    ),
    Definition(
        Metric.ATTENDED_WHEN_CALLED,
        "Of the denominator, those with criminal_justice.trial_attended dated on "
        "or before the period's last day.",
        "Clients with criminal_justice.witness_called dated in the period.",
    ),
    Definition(
        Metric.CONVICTIONS,
        "Of the denominator, the verdicts that included a trafficking or "
        "exploitation offence.",
        "Verdicts (criminal_justice.verdict, outcome convicted) dated in the "
        "period in clients' cases: a count of verdicts, not of clients.",
    ),
    Definition(
        Metric.NRM_REFERRAL_TO_CG,
        "Days from a client's first nrm.referred to the first "
        "nrm.conclusive_grounds_decision on or after it, for decisions dated in "
        "the period: median and quartiles.",
        "Clients with such a decision in the period.",
    ),
    Definition(
        Metric.ASYLUM_CLAIM_TO_DECISION,
        "Days from a client's first immigration.asylum_claim_lodged to the first "
        "immigration.decision on or after it, for decisions dated in the period: "
        "median and quartiles.",
        "Clients with such a decision in the period.",
    ),
    Definition(
        Metric.CICA_APPLICATION_TO_AWARD,
        "Days from a client's first compensation.cica_application_submitted to "
        "the first award on or after it (a CICA decision or review decision "
        "making an award, or a tribunal decision allowing the appeal), for awards "
        "dated in the period: median and quartiles.",
        "Clients with such an award in the period.",
    ),
)

DEFINITION_OF: Mapping[Metric, Definition] = {d.metric: d for d in DEFINITIONS}
