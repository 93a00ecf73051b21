"""Synthetic steps for the benchmarks: every kind in the vocabulary, uncertain EDTF
dates of every form, neutral summaries and sources with pin cites."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from domain.application import StepInput
from domain.vocabulary import STEP_KINDS, StepKind

#: A valid payload for each payload model, by the model's name.
DETAILS: dict[str, dict[str, Any]] = {
    "NoDetails": {},
    "GroundsDecision": {"outcome": "positive"},
    "ImmigrationDecision": {"outcome": "discretionary_leave"},
    "AppealDecided": {"outcome": "allowed"},
    "AccommodationSecured": {"tenure": "supported"},
    "CrimeReported": {"crime_reference": "CR/2018/0412"},
    "EvidenceGiven": {"special_measures": True},
    "Verdict": {"outcome": "convicted", "trafficking_offence": True},
    "Convicted": {"sentence": "suspended"},
    "CompensationDecision": {"outcome": "award", "amount": "2200.00"},
    "TribunalDecision": {"outcome": "allowed", "amount": "5400.50"},
    "AwardReceived": {"amount": "2200.00", "source": "cica"},
    "MovedArea": {"local_authority": "Northshire"},
    "ServiceEnded": {"service": "NRM support"},
    "Contact": {"mode": "phone"},
    "Disclosure": {"to_whom": "police"},
}

#: EDTF forms, with a year to fill in: exact, month, approximate, uncertain,
#: a range, open-ended, a season, an uncertain start; and undated (None).
DATE_FORMS: tuple[str | None, ...] = (
    "{y}-06-14",
    "{y}-06",
    "{y}-06~",
    "{y}-09?",
    "{y}-03/{y}-05",
    "../{y}",
    "{y}-21",
    "{p}?/{y}",
    "{y}-11-02~",
    None,
)

NAMED_DOCUMENTS = (
    "Police referral form",
    "Home Office letter",
    "Advocate contact log",
    "Witness statement",
    "GP letter",
)


def kinds_with_samples() -> list[StepKind]:
    """Every kind whose payload model has a sample above."""
    return [kind for kind in STEP_KINDS.values() if kind.payload.__name__ in DETAILS]


def occurred(index: int) -> str | None:
    form = DATE_FORMS[index % len(DATE_FORMS)]
    if form is None:
        return None
    year = 2008 + (index * 7) % 16  # 2008..2023: never in the future
    return form.format(y=year, p=year - 1)


def sources(index: int, documents: Sequence[str]) -> list[dict[str, Any]]:
    """No source, a named document, attached evidence, or both, with pin cites."""
    named = {
        "document": NAMED_DOCUMENTS[index % len(NAMED_DOCUMENTS)],
        "pin": f"p. {index % 40 + 1}",
    }
    choice = index % 4
    if choice == 0:
        return []
    if choice == 1 or not documents:
        return [named]
    attached = {"document": documents[index % len(documents)], "pin": f"para {index}"}
    return [attached] if choice == 2 else [attached, named]


def step_input(index: int, documents: Sequence[str] = ()) -> StepInput:
    kinds = kinds_with_samples()
    kind = kinds[index % len(kinds)]
    details = DETAILS[kind.payload.__name__]
    return StepInput(
        kind=kind.code,
        occurred=occurred(index),
        summary=f"{kind.label}, as the advocate's notes record it (step {index}).",
        details=dict(details) if details else None,
        sources=sources(index, documents),
        order=index % 3 if index % 5 == 0 else None,
    )


def graphql_input(step: StepInput) -> dict[str, Any]:
    """The ``RecordStepInput`` fields for a step, less the case."""
    return {
        "kind": step.kind,
        "occurred": step.occurred,
        "summary": step.summary,
        "details": dict(step.details) if step.details else None,
        "sources": [dict(source) for source in step.sources or ()],
        "order": step.order,
    }
