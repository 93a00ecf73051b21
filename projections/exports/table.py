"""What every export of a chronology holds, whatever its file format.

A chronology row becomes three cells, Date, Event and Source, in neutral words:
an uncertain date as the chronology prints it; the step's label and summary, with
any dispute's other version and any correction stated shortly; its sources, or
"No source recorded". The heading says what the purpose includes and what it
left out, and why. The proof names the record the rows came from (case,
purpose, case version, chain head) and carries the SHA-256 of the rows, so a file
can be checked against the record, or against itself, at any later time.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

import orjson

from domain.dates import UK
from projections.chronology import Chronology, ChronologyRow, Purpose, RowStatus

#: The proof's format; a reader refuses proofs of a format it does not know.
PROOF_FORMAT = "waymark-chronology-export/1"
_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]"
)
COLUMNS = ("Date", "Event", "Source")


class ExportFormat(StrEnum):
    DOCX = "docx"
    PDF = "pdf"
    CSV = "csv"

    @property
    def media_type(self) -> str:
        return _MEDIA_TYPES[self]


_MEDIA_TYPES = {
    ExportFormat.DOCX: (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    ExportFormat.PDF: "application/pdf",
    ExportFormat.CSV: "text/csv; charset=utf-8",
}

PURPOSE_TITLES = {
    Purpose.FULL: "Full chronology",
    Purpose.CRIMINAL_TRIAL: "Chronology for a criminal trial",
    Purpose.CICA: "Chronology for a CICA claim",
    Purpose.IMMIGRATION: "Chronology for an immigration matter",
}


@dataclass(frozen=True)
class ExportRow:
    date: str
    event: str
    source: str

    def cells(self) -> tuple[str, str, str]:
        return (self.date, self.event, self.source)


@dataclass(frozen=True)
class Proof:
    """Which record the rows came from, and the digest that binds them to it."""

    case_id: UUID
    reference: str
    purpose: Purpose
    #: The moment the chronology reflects; None: the moment it was exported.
    as_at: datetime | None
    #: Whether retracted steps are listed (with their retraction).
    with_history: bool
    case_version: int
    chain_head: str
    log_position: int
    exported_at: datetime
    rows_sha256: str
    #: The bundle version the page references follow, when one was chosen.
    bundle_id: UUID | None = None
    bundle_version: int | None = None
    #: The service the export reproduces, when it is "as served".
    service_id: UUID | None = None
    #: Whether sensitive steps were shown; if not, which steps were sensitive
    #: when it was exported (ids only), so a check can leave out the same.
    include_sensitive: bool = True
    sensitive_steps: tuple[UUID, ...] = ()

    def as_json(self) -> bytes:
        record: dict[str, Any] = {"format": PROOF_FORMAT, **asdict(self)}
        return orjson.dumps(record, option=orjson.OPT_SORT_KEYS)

    @classmethod
    def from_json(cls, data: bytes | str) -> Proof:
        record = orjson.loads(data)
        if not isinstance(record, dict) or record.get("format") != PROOF_FORMAT:
            raise ValueError("this is not a Waymark chronology export's proof")
        as_at = record["as_at"]
        return cls(
            case_id=UUID(record["case_id"]),
            reference=str(record["reference"]),
            purpose=Purpose(record["purpose"]),
            as_at=datetime.fromisoformat(as_at) if as_at else None,
            with_history=bool(record["with_history"]),
            case_version=int(record["case_version"]),
            chain_head=str(record["chain_head"]),
            log_position=int(record["log_position"]),
            exported_at=datetime.fromisoformat(record["exported_at"]),
            rows_sha256=str(record["rows_sha256"]),
            bundle_id=_optional_uuid(record.get("bundle_id")),
            bundle_version=(
                int(record["bundle_version"])
                if record.get("bundle_version") is not None
                else None
            ),
            service_id=_optional_uuid(record.get("service_id")),
            include_sensitive=bool(record.get("include_sensitive", True)),
            sensitive_steps=tuple(UUID(i) for i in record.get("sensitive_steps", ())),
        )


@dataclass(frozen=True)
class ExportedChronology:
    proof: Proof
    rows: tuple[ExportRow, ...]
    #: The bundle the references follow, by name, when one was chosen.
    bundle_name: str | None = None
    #: "on 3 March 2025 to the defence", when the export is as served.
    served: str | None = None
    #: What the chronology's purpose includes, and what it left out and why.
    includes: str = ""
    left_out: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return PURPOSE_TITLES[self.proof.purpose]

    def heading(self) -> list[tuple[str, str]]:
        """The lines above the table, as label and value."""
        proof = self.proof
        as_at = proof.as_at or proof.exported_at
        lines = [
            ("Case reference", proof.reference),
            ("Purpose", self.title),
            ("As at", moment(as_at)),
            ("Case version", str(proof.case_version)),
            ("Log position", str(proof.log_position)),
            ("Chain head", proof.chain_head),
        ]
        if self.bundle_name is not None:
            lines.append(
                (
                    "Page references",
                    f"{self.bundle_name}, version {proof.bundle_version}",
                )
            )
        if self.served is not None:
            lines.append(("As served", self.served))
        if self.includes:
            lines.append(("Includes", self.includes))
        lines.extend(("Left out", line) for line in self.left_out)
        return lines

    def file_name(self, export_format: ExportFormat) -> str:
        """Reference, purpose and day, as a lawyer files it."""
        day = (self.proof.as_at or self.proof.exported_at).astimezone(UK).date()
        safe = "".join(
            c if c.isalnum() or c in "-_" else "-" for c in self.proof.reference
        )
        purpose = self.proof.purpose.value.replace("_", "-")
        return f"{safe} chronology {purpose} {day.isoformat()}.{export_format.value}"


def _optional_uuid(value: object) -> UUID | None:
    return UUID(str(value)) if value else None


def export_table(
    chronology: Chronology,
    *,
    log_position: int,
    exported_at: datetime,
    with_history: bool = False,
    service_id: UUID | None = None,
    served: str | None = None,
    sensitive_steps: tuple[UUID, ...] | None = None,
) -> ExportedChronology:
    """``sensitive_steps``: the steps left out as sensitive, when they were."""
    """The rows and proof of ``chronology``; retracted steps only ``with_history``."""
    rows = tuple(
        export_row(row)
        for row in chronology.rows
        if with_history or row.status is not RowStatus.RETRACTED
    )
    bundle = chronology.bundle
    proof = Proof(
        case_id=chronology.case_id,
        reference=chronology.reference,
        purpose=chronology.purpose,
        as_at=chronology.as_at,
        with_history=with_history,
        case_version=chronology.version,
        chain_head=chronology.chain_head,
        log_position=log_position,
        exported_at=exported_at,
        rows_sha256=rows_digest(rows),
        bundle_id=bundle.bundle_id if bundle else None,
        bundle_version=bundle.version if bundle else None,
        service_id=service_id,
        include_sensitive=sensitive_steps is None,
        sensitive_steps=tuple(sorted(sensitive_steps or ())),
    )
    statement = chronology.selection
    return ExportedChronology(
        proof,
        rows,
        bundle_name=bundle.name if bundle else None,
        served=served,
        includes=statement.includes,
        left_out=tuple(
            f"{_steps(omission.steps)}: {omission.why}"
            for omission in statement.left_out
            if omission.steps
        )
        + (
            (
                f"{_steps(chronology.sensitive_left_out)}: sensitive (the "
                "survivor's accounts, mental-health content, or marked so); this "
                "export does not include sensitive steps.",
            )
            if chronology.sensitive_left_out
            else ()
        ),
    )


def _steps(count: int) -> str:
    return f"{count} step{'s' if count != 1 else ''}"


def export_row(row: ChronologyRow) -> ExportRow:
    current = row.current
    event = [f"{row.label}: {current.summary}"]
    if len(row.history) > 1 and current.reason:
        event.append(f"Corrected on {day(current.recorded_at)}: {current.reason}")
    for dispute in row.disputes:
        other = f"Disputed by {dispute.disputed_by}: {dispute.other_version}"
        if dispute.other_occurred is not None:
            other += f" (dated by them {dispute.other_occurred.display})"
        event.append(other)
    if row.retraction is not None:
        event.append(
            f"Retracted on {day(row.retraction.recorded_at)}: {row.retraction.reason}"
        )
    return ExportRow(
        date=printable(current.when),
        event=printable("\n".join(event)),
        source=printable(current.citation),
    )


def printable(text: str) -> str:
    """The text with what no document format can hold (control characters but
    newline and tab, lone surrogates) shown as U+FFFD: an old event holding one
    must not stop its chronology from being exported."""
    return _UNPRINTABLE.sub("\ufffd", text)


def rows_digest(rows: tuple[ExportRow, ...] | list[ExportRow]) -> str:
    canonical = orjson.dumps([list(row.cells()) for row in rows])
    return hashlib.sha256(canonical).hexdigest()


def moment(at: datetime) -> str:
    """A recorded moment as the UK reads it: 3 March 2025, 14:05 (UK time)."""
    local = at.astimezone(UK)
    return f"{local.day} {local:%B %Y, %H:%M} (UK time)"


def day(at: datetime) -> str:
    local = at.astimezone(UK)
    return f"{local.day} {local:%B %Y}"
