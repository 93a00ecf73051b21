"""Which steps are sensitive: kept out of shares, exports and evaluation unless
the purpose names them.

Some kinds are sensitive by default: the survivor's accounts (what was
disclosed, to whom) and mental-health content (support accessed; a diagnosis by
a psychiatrist or clinical psychologist). A medico-legal report is not: it is
prepared to be served as evidence in a claim, and a CICA share needs it. Any
step can be marked sensitive or not, as an event (``StepSensitivityMarked``);
a marking outlives corrections of the step.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SENSITIVE_KINDS = frozenset(
    {"account.disclosure", "health.mental_health_support_accessed"}
)
#: Diagnoses by these are mental-health content.
MENTAL_HEALTH_DIAGNOSERS = frozenset({"psychiatrist", "clinical_psychologist"})


def sensitive_by_default(reading: Mapping[str, Any]) -> bool:
    """Whether a step reading (as stored) is sensitive unless marked otherwise."""
    kind = str(reading.get("kind", ""))
    if kind in SENSITIVE_KINDS:
        return True
    details = reading.get("details") or {}
    return (
        kind == "health.diagnosis"
        and details.get("diagnosed_by") in MENTAL_HEALTH_DIAGNOSERS
    )


def is_sensitive(reading: Mapping[str, Any], marked: bool | None) -> bool:
    """A step's sensitivity: as marked, else as its kind says."""
    return sensitive_by_default(reading) if marked is None else marked
