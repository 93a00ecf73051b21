"""Writes an export in a format, and reads any export back (by its first bytes)."""

from __future__ import annotations

from collections.abc import Callable

from projections.exports.delimited import csv_document, read_csv_document
from projections.exports.pdf import pdf_document, read_pdf_document
from projections.exports.table import ExportedChronology, ExportFormat, ExportRow, Proof
from projections.exports.word import read_word_document, word_document

_WRITERS: dict[ExportFormat, Callable[[ExportedChronology], bytes]] = {
    ExportFormat.DOCX: word_document,
    ExportFormat.PDF: pdf_document,
    ExportFormat.CSV: csv_document,
}


def write_export(export: ExportedChronology, export_format: ExportFormat) -> bytes:
    return _WRITERS[export_format](export)


def read_export(data: bytes) -> tuple[ExportFormat, Proof, list[ExportRow]]:
    """The format, proof and rows of an export file; ValueError if it is none."""
    if data.startswith(b"%PDF"):
        return (ExportFormat.PDF, *read_pdf_document(data))
    if data.startswith(b"PK"):
        return (ExportFormat.DOCX, *read_word_document(data))
    try:
        return (ExportFormat.CSV, *read_csv_document(data))
    except UnicodeDecodeError:
        raise ValueError("the file is not a Waymark chronology export") from None
