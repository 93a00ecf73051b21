"""What a step tells the evaluation is pinned to the definitions' ``VERSION``.

The evaluation view is written again from the log only when the ``VERSION`` it
is stamped with is older than the code's (``projections.evaluation.view``). A
change to the facts a step gives that does not raise ``VERSION`` leaves views
written before it as they were: the live view then mixes two readings of the
steps, and differs from a rebuild in its facts alone. So the facts of a fixed
corpus of steps (every kind with a sample payload, every EDTF form, and the
payloads whose outcomes the metrics tell apart) are pinned here by digest, one
per ``VERSION``: when this fails, raise ``VERSION`` and pin the new digest.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from bench import samples
from domain.steps import StepReading
from projections.evaluation.metrics import facts_of
from projections.evaluation.view import VERSION

#: The digest of the corpus's facts under each VERSION of the definitions.
PINNED = {2: "24205739b5c7b812"}

#: Payloads beyond the samples' one per model: the outcomes the metrics read.
VARIANTS: list[tuple[str, dict[str, Any] | None]] = [
    ("housing.accommodation_secured", {"tenure": "permanent"}),
    ("housing.accommodation_lost", None),
    ("immigration.decision", {"outcome": "refugee_status"}),
    ("immigration.decision", {"outcome": "refused", "asylum_claim": True}),
    ("immigration.decision", {"outcome": "other_leave", "asylum_claim": False}),
    ("immigration.appeal_decided", {"outcome": "dismissed"}),
    (
        "criminal_justice.verdict",
        {"outcome": "acquitted", "trafficking_offence": False},
    ),
    (
        "criminal_justice.verdict",
        {"outcome": "hung_jury", "trafficking_offence": False},
    ),
    (
        "criminal_justice.verdict",
        {"outcome": "discontinued", "trafficking_offence": False},
    ),
    (
        "criminal_justice.verdict",
        {
            "outcome": "convicted",
            "trafficking_offence": False,
            "prosecution_ref": "OP-A",
            "defendant_ref": "D-1",
        },
    ),
    ("compensation.cica_decision", {"outcome": "award", "amount": None}),
    ("compensation.cica_decision", {"outcome": "nil_award", "amount": None}),
    ("engagement.disengaged", None),
    ("engagement.re_engaged", None),
]

TODAY = date(2026, 11, 26)


def _reading(kind: str, occurred: str | None, details: Any) -> dict[str, Any]:
    return StepReading.from_input(
        kind=kind,
        occurred=occurred,
        summary="A step of the pinned corpus.",
        details=details,
        sources=None,
        order=None,
        today=TODAY,
    ).as_record()


def corpus() -> list[dict[str, Any]]:
    kinds = len(samples.kinds_with_samples())
    readings = []
    for index in range(kinds * len(samples.DATE_FORMS)):
        step = samples.step_input(index)
        readings.append(_reading(step.kind, step.occurred, step.details))
    for index, (kind, details) in enumerate(VARIANTS):
        readings.append(_reading(kind, samples.occurred(index), details))
    return readings


def digest() -> str:
    lines = [
        repr((reading["kind"], sorted(map(repr, facts_of(reading)))))
        for reading in corpus()
    ]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


def test_the_facts_steps_give_are_those_pinned_to_this_version() -> None:
    assert PINNED.get(VERSION) == digest(), (
        "the facts steps give the evaluation have changed: raise VERSION in "
        "projections/evaluation/view.py (so views are written again from the "
        f"log) and pin {{{VERSION + 1}: {digest()!r}}} here"
    )
