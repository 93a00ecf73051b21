"""The chronology: a case's steps, earliest first, as the record stood at any moment."""

from projections.chronology.fold import chronology_of
from projections.chronology.reader import ChronologyReader
from projections.chronology.rows import (
    Chronology,
    ChronologyRow,
    Dispute,
    Purpose,
    RowStatus,
    SourceCite,
    StepVersion,
)

__all__ = [
    "Chronology",
    "ChronologyReader",
    "ChronologyRow",
    "Dispute",
    "Purpose",
    "RowStatus",
    "SourceCite",
    "StepVersion",
    "chronology_of",
]
