"""Chronologies as files a court can use: Word, PDF and CSV, each carrying the
proof (case version, chain head, log position and a digest of its rows) that lets
anyone check it is exactly what the record held."""

from projections.exports.table import (
    ExportedChronology,
    ExportFormat,
    ExportRow,
    Proof,
    export_table,
)

__all__ = ["ExportFormat", "ExportRow", "ExportedChronology", "Proof", "export_table"]
