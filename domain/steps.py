"""A reading of one step: what happened, when, in neutral words, and on what source.

A step is recorded once and may later be corrected; each version is a complete
``StepReading``, validated the same way, so a correction can never smuggle in what
a first recording could not.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from domain.dates import InvalidDate, UncertainDate
from domain.errors import InvalidField
from domain.text import (
    IDENTIFIER_LIMIT,
    PROSE_LIMIT,
    SOURCES_LIMIT,
    TextKind,
    optional_text,
)

# Kept importable from here, where they were first defined.
from domain.text import LABEL_LIMIT as LABEL_LIMIT
from domain.text import required_text as required_text
from domain.vocabulary import step_kind, upgrade_details, validate_details

SUMMARY_LIMIT = PROSE_LIMIT


@dataclass(frozen=True)
class Source:
    """Where a fact comes from: a document (or its id) and a pin cite within it."""

    document: str
    pin: str | None = None

    @classmethod
    def parse(cls, raw: Mapping[str, Any], where: str) -> Source:
        document = required_text(
            raw.get("document"),
            f"{where}.document",
            LABEL_LIMIT,
            missing="name the document",
        )
        pin = optional_text(raw.get("pin"), f"{where}.pin", LABEL_LIMIT)
        unknown = set(raw) - {"document", "pin"}
        if unknown:
            raise InvalidField(where, f"unknown fields {sorted(unknown)}")
        return cls(document=document, pin=pin)

    def as_record(self) -> dict[str, Any]:
        return {"document": self.document, "pin": self.pin}


def parse_sources(raw: Sequence[Mapping[str, Any]] | None, where: str) -> list[Source]:
    if raw is not None and len(raw) > SOURCES_LIMIT:
        raise InvalidField(where, f"at most {SOURCES_LIMIT} sources")
    return [Source.parse(item, f"{where}[{i}]") for i, item in enumerate(raw or ())]


def chronological_order(
    occurred: UncertainDate | None, order: int | None, sequence: int
) -> tuple[int, date, int, int]:
    """Where a step stands on a chronology: by its earliest possible day, then
    its stated order, then the order it was recorded; undated steps last."""
    if occurred is None:
        return (1, date.min, 0, sequence)
    return (0, occurred.earliest or date.min, order or 0, sequence)


def parse_occurred(text: str | None, today: date, where: str) -> UncertainDate | None:
    """An EDTF date, or None for an undated step; never a date wholly in the future."""
    if text is None or not text.strip():
        return None
    try:
        occurred = UncertainDate.parse(text)
    except InvalidDate as error:
        raise InvalidField(where, str(error)) from None
    if occurred.is_after(today):
        raise InvalidField(where, f"{occurred.display} is in the future")
    return occurred


#: No day Waymark is told of is earlier: a guard against a mistyped year (0202
#: for 2022), not a rule of the domain.
EARLIEST_DAY = date(2000, 1, 1)


def past_day(day: date | None, today: date, where: str) -> date:
    """An exact day something happened (a case opened, consent was given): today
    when not given, never in the future, never before ``EARLIEST_DAY``."""
    if day is None:
        return today
    if day > today:
        raise InvalidField(where, f"{day.isoformat()} is in the future")
    if day < EARLIEST_DAY:
        raise InvalidField(where, f"a day from {EARLIEST_DAY.isoformat()} on")
    return day


def parse_summary(text: str | None, where: str = "summary") -> str:
    return required_text(
        text,
        where,
        SUMMARY_LIMIT,
        TextKind.PROSE,
        missing="say in neutral words what happened",
    )


@dataclass(frozen=True)
class StepReading:
    """One complete version of a step."""

    kind: str
    occurred: UncertainDate | None
    summary: str
    details: dict[str, Any] = field(default_factory=dict)
    sources: tuple[Source, ...] = ()
    order: int | None = None
    kind_version: int = 1

    @classmethod
    def from_input(
        cls,
        *,
        kind: str,
        occurred: str | None,
        summary: str | None,
        details: Mapping[str, Any] | None,
        sources: Sequence[Mapping[str, Any]] | None,
        order: int | None,
        today: date,
    ) -> StepReading:
        step = step_kind(
            required_text(kind, "kind", IDENTIFIER_LIMIT, TextKind.IDENTIFIER)
        )
        if order is not None and not 0 <= order <= 10_000:
            raise InvalidField("order", "a stated order is between 0 and 10000")
        return cls(
            kind=step.code,
            occurred=parse_occurred(occurred, today, "occurred"),
            summary=parse_summary(summary),
            details=validate_details(step, details),
            sources=tuple(parse_sources(sources, "sources")),
            order=order,
            kind_version=step.version,
        )

    def as_record(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "kind_version": self.kind_version,
            "occurred": self.occurred.as_record() if self.occurred else None,
            "summary": self.summary,
            "details": self.details,
            "sources": [source.as_record() for source in self.sources],
            "order": self.order,
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> StepReading:
        kind = step_kind(record["kind"])
        occurred = record["occurred"]
        return cls(
            kind=kind.code,
            occurred=UncertainDate.from_record(occurred) if occurred else None,
            summary=record["summary"],
            details=upgrade_details(
                kind, dict(record["details"]), record["kind_version"]
            ),
            sources=tuple(Source(**source) for source in record["sources"]),
            order=record["order"],
            kind_version=kind.version,
        )
