"""A chronology as CSV: the heading and the proof as label-value rows, a blank
row, then the Date, Event and Source table."""

from __future__ import annotations

import csv
from io import StringIO

from projections.exports.table import COLUMNS, ExportedChronology, ExportRow, Proof

PROOF_LABEL = "Proof"


def csv_document(export: ExportedChronology) -> bytes:
    out = StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([export.title])
    writer.writerows(export.heading())
    writer.writerow([PROOF_LABEL, export.proof.as_json().decode()])
    writer.writerow([])
    writer.writerow(COLUMNS)
    writer.writerows(row.cells() for row in export.rows)
    # A byte-order mark, so spreadsheet programs read the file as UTF-8.
    return ("\ufeff" + out.getvalue()).encode()


def read_csv_document(data: bytes) -> tuple[Proof, list[ExportRow]]:
    lines = list(csv.reader(StringIO(data.decode("utf-8-sig"))))
    proof = next(
        (Proof.from_json(line[1]) for line in lines if line[:1] == [PROOF_LABEL]),
        None,
    )
    if proof is None:
        raise ValueError("the CSV carries no Waymark proof")
    try:
        start = lines.index(list(COLUMNS)) + 1
    except ValueError:
        raise ValueError("the CSV holds no Date, Event, Source table") from None
    return proof, [ExportRow(*line) for line in lines[start:] if line]
