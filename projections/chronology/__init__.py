"""The chronology: a case's steps, earliest first, as the record stood at any moment."""

from projections.chronology.fold import chronology_of
from projections.chronology.reader import ChronologyReader
from projections.chronology.rows import (
    NO_SOURCE_RECORDED,
    Chronology,
    ChronologyRow,
    Dispute,
    RowStatus,
    SourceCite,
    StepVersion,
)
from projections.chronology.selection import (
    SELECTIONS,
    LeftOutReason,
    Omission,
    Purpose,
    SelectionStatement,
)

__all__ = [
    "NO_SOURCE_RECORDED",
    "SELECTIONS",
    "Chronology",
    "ChronologyReader",
    "ChronologyRow",
    "Dispute",
    "LeftOutReason",
    "Omission",
    "Purpose",
    "RowStatus",
    "SelectionStatement",
    "SourceCite",
    "StepVersion",
    "chronology_of",
]
