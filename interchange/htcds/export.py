"""A case as an HTCDS 2.0 record, folded from its events."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import orjson

from domain.case import (
    AdvocateAssigned,
    CaseClosed,
    CaseEvent,
    CaseReopened,
    CaseTransferred,
    ConsentGiven,
    ConsentWithdrawn,
    DateOfBirthRecorded,
)
from domain.dates import UncertainDate, described
from domain.steps import StepReading, chronological_order
from domain.vocabulary import step_kind
from interchange.htcds.fields import STANDARD
from projections.case_stream import StepHistoryFold

#: NRM decisions, latest first, and the trafficking status each gives.
_STATUS = {
    ("nrm.conclusive_grounds_decision", "positive"): "ActualVictimOfTrafficking",
    ("nrm.conclusive_grounds_decision", "negative"): "NotAVictimOfTrafficking",
    ("nrm.reasonable_grounds_decision", "positive"): "PossibleVictimOfTrafficking",
}
DECISION_MAKER = "NonPoliceGovernmentalOrganization"
HtcdsRecord = dict[str, Any]


class HtcdsFold(StepHistoryFold):
    """Everything an HTCDS record carries of the case."""

    def __init__(self) -> None:
        self.born: UncertainDate | None = None
        self.advocate: str | None = None
        self.consents: set[str] = set()
        self.closed_because: str | None = None
        self.organisation: str | None = None
        super().__init__()

    def handlers(self) -> Mapping[type[CaseEvent], Callable[[Any], None]]:
        return {
            **super().handlers(),
            DateOfBirthRecorded: self._born,
            AdvocateAssigned: self._assigned,
            ConsentGiven: lambda e: self.consents.add(e.purpose),
            ConsentWithdrawn: lambda e: self.consents.discard(e.purpose),
            CaseClosed: self._closed,
            CaseReopened: self._reopened,
            CaseTransferred: self._transferred,
        }

    def _born(self, event: DateOfBirthRecorded) -> None:
        self.born = UncertainDate.from_record(event.born)

    def _assigned(self, event: AdvocateAssigned) -> None:
        self.advocate = event.advocate_id

    def _closed(self, event: CaseClosed) -> None:
        self.closed_because = event.reason

    def _reopened(self, event: CaseReopened) -> None:
        self.closed_because = None

    def _transferred(self, event: CaseTransferred) -> None:
        self.organisation = event.to_organisation_id


def htcds_record(events: Iterable[CaseEvent]) -> HtcdsRecord:
    """The case in HTCDS 2.0 field names, with Waymark's own beside them."""
    fold = HtcdsFold()
    for event in events:
        fold.fold(event)
    opened, _ = fold.opening()
    readings = sorted(
        (
            (StepReading.from_record(draft.reading), draft.sequence)
            for draft in fold.steps.values()
            if not draft.retracted
        ),
        key=lambda pair: chronological_order(pair[0].occurred, pair[0].order, pair[1]),
    )
    steps = [reading for reading, _ in readings]
    status = _trafficking_status(steps)
    return {
        "standard": STANDARD,
        "Case": {
            "cas_Status": "Closed" if fold.closed_because else "Active",
            "cas_ReasonForCaseClosure": fold.closed_because,
            "cas_CaseOwner": fold.advocate,
            "wmk_Reference": opened.reference,
            "wmk_OpenedOn": opened.opened_on,
            "wmk_Jurisdiction": opened.jurisdiction,
            "wmk_LocalAuthority": opened.local_authority,
        },
        "Person": {
            "prs_Birthdate": _day(fold.born),
            "wmk_BirthdateEdtf": fold.born.edtf if fold.born else None,
        },
        "VictimContext": {
            "vic_TraffickingStatus": status,
            "vic_TraffickingStatusDecisionMakingOrg": DECISION_MAKER
            if status
            else None,
        },
        "Consent": {
            "con_Consent": "record_keeping" in fold.consents,
            "wmk_Consents": " ".join(sorted(fold.consents)),
        },
        "HistoricTraffickingEvent": [
            {
                "hte_Date": _day(step.occurred),
                "hte_Type": "Exploitation",
                "hte_Description": _incident(step),
            }
            for step in steps
            if step.kind == "harm.incident"
        ],
        "CaseComment": [_comment(step, fold) for step in steps],
    }


def _comment(step: StepReading, fold: HtcdsFold) -> dict[str, Any]:
    label = step_kind(step.kind).label
    sources = []
    for source in step.sources:
        document = fold.documents.get(source.document)
        sources.append(
            {
                "document": document.title if document else source.document,
                "pin": source.pin,
            }
        )
    return {
        "cco_CaseComment": f"{described(step.occurred)}: {label}: {step.summary}",
        "wmk_Kind": step.kind,
        "wmk_Occurred": step.occurred.edtf if step.occurred else None,
        "wmk_Summary": step.summary,
        "wmk_Details": orjson.dumps(step.details, default=str).decode(),
        "wmk_Sources": orjson.dumps(sources).decode(),
        "wmk_Order": step.order,
    }


def _trafficking_status(steps: list[StepReading]) -> str | None:
    status = None
    for step in steps:  # in chronological order: the latest decision stands
        status = _STATUS.get((step.kind, str(step.details.get("outcome"))), status)
    return status


def _incident(step: StepReading) -> str:
    offences = step.details.get("offences") or []
    return f"{step.summary} ({', '.join(offences)})" if offences else step.summary


def _day(occurred: UncertainDate | None) -> str | None:
    return occurred.earliest.isoformat() if occurred and occurred.earliest else None
