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
    CONVICTION_RATE = "conviction_rate"
    NRM_REFERRAL_TO_CG = "nrm_referral_to_conclusive_grounds"
    ASYLUM_CLAIM_TO_DECISION = "asylum_claim_to_decision"
    CICA_APPLICATION_TO_AWARD = "cica_application_to_award"


class Fact(StrEnum):
    """What a step can tell the evaluation; most are a metric of the same name."""

    CONTACT = "contact"
    DISENGAGED = "disengaged"
    RE_ENGAGED = "re_engaged"
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
    #: A trial took place: a verdict of conviction or acquittal, or a hung jury.
    TRIAL_HELD = "trial_held"
    CONVICTED = "convicted"
    ACQUITTED = "acquitted"
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
ENGAGEMENT_FACTS = frozenset({Fact.CONTACT, Fact.DISENGAGED, Fact.RE_ENGAGED})
#: Verdict facts, which name their prosecution and defendant.
VERDICT_FACTS = frozenset({Fact.CONVICTED, Fact.ACQUITTED})

_GRANTS = {
    "refugee_status",
    "humanitarian_protection",
    "discretionary_leave",
    "other_leave",
}

#: Outcomes that only a protection claim can have: an immigration decision
#: recorded without saying what it decided is an asylum decision if it has one.
_PROTECTION = {"refugee_status", "humanitarian_protection"}

_KIND_FACTS: Mapping[str, Fact] = {
    "engagement.contact": Fact.CONTACT,
    "engagement.disengaged": Fact.DISENGAGED,
    "engagement.re_engaged": Fact.RE_ENGAGED,
    "immigration.advice_accessed": Fact.ADVOCACY_IMMIGRATION_ADVICE,
    "employment.employment_gained": Fact.EMPLOYMENT_GAINED,
    "own_conviction.conviction_overturned": Fact.CONVICTION_OVERTURNED,
    "safety.re_exploited": Fact.RE_EXPLOITED,
    "criminal_justice.witness_called": Fact.WITNESS_CALLED,
    "criminal_justice.trial_attended": Fact.TRIAL_ATTENDED,
    "nrm.referred": Fact.NRM_REFERRED,
    "nrm.conclusive_grounds_decision": Fact.CG_DECIDED,
    "immigration.asylum_claim_lodged": Fact.ASYLUM_CLAIMED,
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
    #: For a verdict: its prosecution's and defendant's references as recorded
    #: (None where the verdict names none: then it is its own case's).
    prosecution: str | None = None
    defendant: str | None = None


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
        found.append(StepFact(_KIND_FACTS[kind], on))
    if kind == "immigration.decision":
        outcome = details.get("outcome")
        if outcome in _GRANTS:
            found.append(StepFact(Fact.STATUS_GRANTED, on))
        asylum = details.get("asylum_claim")
        if asylum or (asylum is None and outcome in _PROTECTION):
            found.append(StepFact(Fact.ASYLUM_DECIDED, on))
    elif kind == "immigration.appeal_decided" and details.get("outcome") == "allowed":
        found.append(StepFact(Fact.STATUS_GRANTED, on))
    elif area == "housing":
        if kind not in _NOT_ADVOCACY:
            found.append(StepFact(Fact.ADVOCACY_HOUSING, on))
        if (
            kind == "housing.accommodation_secured"
            and details.get("tenure") == "permanent"
        ):
            found.append(StepFact(Fact.PERMANENT_ACCOMMODATION, on))
    elif area == "benefits":
        found.append(StepFact(Fact.ADVOCACY_BENEFITS, on))
    elif kind == "criminal_justice.verdict":
        found.extend(_verdict_facts(details, on))
    elif kind == "compensation.award_received":
        found.append(StepFact(Fact.AWARD_RECEIVED, on, _pence(details.get("amount"))))
    elif kind in _AWARD_DECISIONS and details.get("outcome") in _AWARD_DECISIONS[kind]:
        amount = _pence(details.get("amount"))
        if amount:
            found.append(StepFact(Fact.CICA_AWARDED, on, amount))
    return found


def _verdict_facts(details: Mapping[str, Any], on: int | None) -> list[StepFact]:
    outcome = details.get("outcome")
    if outcome not in _TRIAL_OUTCOMES:
        return []  # discontinued: no trial took place
    found = [StepFact(Fact.TRIAL_HELD, on)]
    fact = _VERDICTS.get(str(outcome))
    if fact is not None:
        trafficking = bool(details.get("trafficking_offence"))
        found.append(
            StepFact(
                fact,
                on,
                flag=fact is Fact.CONVICTED and trafficking,
                prosecution=details.get("prosecution_ref"),
                defendant=details.get("defendant_ref"),
            )
        )
    return found


_NOT_ADVOCACY = frozenset({"housing.accommodation_lost"})
_TRIAL_OUTCOMES = frozenset({"convicted", "acquitted", "hung_jury"})
_VERDICTS: Mapping[str, Fact] = {
    "convicted": Fact.CONVICTED,
    "acquitted": Fact.ACQUITTED,
}
_AWARD_DECISIONS: Mapping[str, frozenset[str]] = {
    "compensation.cica_decision": frozenset({"award"}),
    "compensation.cica_review_decision": frozenset({"award"}),
    "compensation.tribunal_decision": frozenset({"allowed"}),
}
_AREAS_READ = frozenset(
    {"housing", "benefits", "criminal_justice", "compensation", "immigration"}
)


@dataclass(frozen=True)
class Definition:
    metric: Metric
    numerator: str
    denominator: str
    notes: str = ""
    #: Where the measure comes from: the figure evaluators already publish.
    source: str = ""


_CLIENTS = "clients (consenting cases open on any day of the period)"
_PAPER = (
    "Independent Modern Slavery Advocacy: Working Together for Lasting Change "
    "(IMSA policy paper)"
)
_SNOWDROP = f"{_PAPER}: the Snowdrop Project's 2023/24 figures"
_HOPE = f"{_PAPER}: Hope for Justice's figures for survivors supported since 2013"
_REVIEW = f"{_PAPER}: the outcome areas of the independent review"
_DAYS = (
    "Every day is the day a thing happened, as recorded: a case opens on the day "
    "advocacy began (not the day it was entered), a step on the earliest day its "
    "date can mean."
)

DEFINITIONS: tuple[Definition, ...] = (
    Definition(
        Metric.CLIENTS,
        "Cases whose survivor consents to inclusion in evaluation and which were "
        "open on at least one day of the period (from the day advocacy began to "
        "the day of closing, inclusive; a reopened case is open again from the "
        "day it reopened).",
        "The same count: a share of 100% is not published for it.",
        _DAYS,
        _SNOWDROP,
    ),
    Definition(
        Metric.ENGAGED_6_MONTHS,
        "Of the denominator, those with an engagement.contact dated on or after "
        "the six-month anniversary of opening and on or before the period's "
        "last day, on a day the survivor was not disengaged: no "
        "engagement.disengaged dated before the contact, unless an "
        "engagement.re_engaged is dated on or after that disengagement and on "
        "or before the contact (a re-engagement ends a disengagement).",
        "Clients whose case opened at least six months before the period's last "
        "day (the anniversary falls on or before it).",
        "Six months: the same day of the month six months on, or the month's "
        "last day when it has no such day.",
        _SNOWDROP,
    ),
    Definition(
        Metric.ADVOCACY_HOUSING,
        "Clients with a housing step of advocacy or its result dated in the "
        "period: any housing step but housing.accommodation_lost, which is not "
        "advocacy.",
        _CLIENTS,
        source=_SNOWDROP,
    ),
    Definition(
        Metric.PERMANENT_ACCOMMODATION,
        "Clients with housing.accommodation_secured of permanent tenure dated in "
        "the period.",
        _CLIENTS,
        source=_SNOWDROP,
    ),
    Definition(
        Metric.ADVOCACY_IMMIGRATION_ADVICE,
        "Clients with immigration.advice_accessed dated in the period.",
        _CLIENTS,
        source=_SNOWDROP,
    ),
    Definition(
        Metric.ADVOCACY_BENEFITS,
        "Clients with any benefits step dated in the period.",
        _CLIENTS,
        source=_SNOWDROP,
    ),
    Definition(
        Metric.EMPLOYMENT_GAINED,
        "Clients with employment.employment_gained dated in the period.",
        _CLIENTS,
        source=_SNOWDROP,
    ),
    Definition(
        Metric.STATUS_GRANTED,
        "Clients with an immigration.decision granting status (refugee status, "
        "humanitarian protection, discretionary or other leave) or an "
        "immigration.appeal_decided allowing the appeal, dated in the period.",
        _CLIENTS,
        source=_REVIEW,
    ),
    Definition(
        Metric.COMPENSATION_AWARDED,
        "Clients with compensation.award_received (any source) dated in the "
        "period; the total is the sum of those receipts' amounts.",
        _CLIENTS,
        "Receipts, not decisions, so a review that raises an award is not "
        "counted twice.",
        _REVIEW,
    ),
    Definition(
        Metric.CONVICTION_OVERTURNED,
        "Clients with own_conviction.conviction_overturned dated in the period.",
        _CLIENTS,
        source=_REVIEW,
    ),
    Definition(
        Metric.RE_EXPLOITED,
        "Clients with safety.re_exploited dated in the period.",
        _CLIENTS,
    ),
    Definition(
        Metric.ATTENDED_WHEN_CALLED,
        "Of the denominator, the calls followed by an attendance dated on or "
        "before the period's last day: each criminal_justice.witness_called is "
        "paired with the first criminal_justice.trial_attended in its case "
        "dated on or after it that no earlier call took.",
        "Calls to give evidence (criminal_justice.witness_called) dated in the "
        "period in clients' cases whose trial had taken place by the period's "
        "last day: the call's attendance, or a verdict of conviction or "
        "acquittal or a hung jury in its case dated on or after the call, is "
        "dated on or before that day. A count of calls, not of clients.",
        "A call whose trial is still to come is in no period's count yet.",
        _HOPE,
    ),
    Definition(
        Metric.CONVICTIONS,
        "Of the denominator, the defendants convicted of a trafficking or "
        "exploitation offence (a conviction verdict with trafficking_offence).",
        "Defendants convicted (criminal_justice.verdict, outcome convicted) "
        "dated in the period in clients' cases, each counted once however many "
        "survivors' cases record the verdict: a defendant is the verdict's "
        "prosecution_ref and defendant_ref together.",
        "A verdict without a prosecution_ref is its own case's prosecution, and "
        "one without a defendant_ref its own case's defendant in that "
        "prosecution (so verdicts recorded before references could be given "
        "count once per case). In a breakdown, a defendant is counted in the "
        "cell of the client whose case records the earliest such verdict.",
        _HOPE,
    ),
    Definition(
        Metric.CONVICTION_RATE,
        "Of the denominator, the prosecutions with a conviction verdict dated "
        "in the period.",
        "Prosecutions that reached a verdict (criminal_justice.verdict, outcome "
        "convicted or acquitted) dated in the period in clients' cases, each "
        "counted once however many survivors' cases record it.",
        "Prosecutions are told apart as for convictions. A hung jury or a "
        "discontinuance is not a verdict. In a breakdown, a prosecution is "
        "counted in the cell of the client whose case records its earliest "
        "verdict in the period.",
        _HOPE,
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
        "asylum decision on or after it, for decisions dated in the period: "
        "median and quartiles. An asylum decision is an immigration.decision "
        "recorded as deciding an asylum claim (asylum_claim), or, where that is "
        "not recorded, one granting refugee status or humanitarian protection.",
        "Clients with such a decision in the period.",
        "A decision on another application (asylum_claim false) does not end "
        "the wait for the asylum decision.",
        _PAPER,
    ),
    Definition(
        Metric.CICA_APPLICATION_TO_AWARD,
        "Days from a client's first compensation.cica_application_submitted to "
        "the first award with an amount on or after it (a CICA decision or "
        "review decision making an award, or a tribunal decision allowing the "
        "appeal, each with an amount above nil), for awards dated in the "
        "period: median and quartiles.",
        "Clients with such an award in the period.",
        "A decision recorded without an amount does not end the wait.",
        _REVIEW,
    ),
)

DEFINITION_OF: Mapping[Metric, Definition] = {d.metric: d for d in DEFINITIONS}
