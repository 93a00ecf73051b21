"""Whether an exported chronology is exactly what the record held.

Two checks, either alone or both:

- **the file against itself** (no network, no account): the rows the file now
  holds must hash to the digest in its proof, and the proof's chain head must be
  the case's published chain head when one is given;
- **the file against the record**: the case's chain at the proof's version must
  end in the proof's chain head, and the chronology folded afresh from the
  case's first ``case_version`` events must give exactly the file's rows. Rows
  changed since that version are listed, so "what changed since it was served"
  is answered in the same step.

A file edited after export (counsel's working copy, say) fails the first check,
which is right: it is no longer the chronology that was exported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from domain.application import CaseJourneys
from projections.chronology import chronology_of
from projections.chronology.fold import BundleChoice
from projections.exports.table import (
    ExportRow,
    Proof,
    export_row,
    export_table,
    rows_digest,
)


@dataclass(frozen=True)
class RecordCheck:
    #: The record reaches the proof's version and its chain ends there in the
    #: proof's chain head.
    chain_head_matches: bool
    #: Folded afresh at that version, the chronology gives exactly these rows.
    rows_match: bool
    #: The case's version now.
    current_version: int
    #: Rows of the purpose recorded, corrected, disputed or retracted since.
    changed_since: tuple[ExportRow, ...]

    @property
    def matches(self) -> bool:
        return self.chain_head_matches and self.rows_match


@dataclass(frozen=True)
class FileCheck:
    #: The file's rows hash to its proof's digest: nothing in them was changed.
    rows_intact: bool
    #: The proof names the published chain head; None when none was given.
    chain_head_published: bool | None

    @property
    def matches(self) -> bool:
        return self.rows_intact and self.chain_head_published is not False


def check_file(
    proof: Proof, rows: Sequence[ExportRow], published_head: str | None = None
) -> FileCheck:
    return FileCheck(
        rows_intact=rows_digest(list(rows)) == proof.rows_sha256,
        chain_head_published=(
            None
            if published_head is None
            else published_head.strip() == proof.chain_head
        ),
    )


def check_record(journeys: CaseJourneys, proof: Proof) -> RecordCheck:
    """Raises ``CaseNotFound`` when the record holds no such case."""
    events = journeys.case_events(proof.case_id)
    reached = events[: proof.case_version]
    head_matches = (
        len(events) >= proof.case_version
        and reached[-1].chain_hash() == proof.chain_head
    )
    rows_match = False
    if head_matches:
        bundle = (
            BundleChoice(proof.bundle_id, proof.bundle_version)
            if proof.bundle_id is not None
            else None
        )
        then = chronology_of(
            reached,
            purpose=proof.purpose,
            as_at=proof.as_at,
            bundle=bundle,
            include_sensitive=proof.include_sensitive,
            sensitive_now=frozenset(proof.sensitive_steps),
        )
        again = export_table(
            then,
            log_position=proof.log_position,
            exported_at=proof.exported_at,
            with_history=proof.with_history,
            sensitive_steps=None if proof.include_sensitive else proof.sensitive_steps,
        )
        rows_match = again.proof.rows_sha256 == proof.rows_sha256
    since = reached[-1].timestamp if head_matches else None
    changed = (
        tuple(
            export_row(row)
            for row in chronology_of(
                events,
                purpose=proof.purpose,
                changed_since=since,
                include_sensitive=proof.include_sensitive,
                sensitive_now=frozenset(proof.sensitive_steps),
            ).rows
        )
        if since is not None and len(events) > proof.case_version
        else ()
    )
    return RecordCheck(
        chain_head_matches=head_matches,
        rows_match=rows_match,
        current_version=len(events),
        changed_since=changed,
    )
