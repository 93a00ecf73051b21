"""An HTCDS record as JSON (one object) or CSV (a row a record, named in the
``Record`` column), and read back from either."""

from __future__ import annotations

import csv
from io import StringIO
from typing import Any

import orjson

from interchange.htcds.export import HtcdsRecord
from interchange.htcds.fields import FIELDS, RECORDS, STANDARD

LISTS = ("HistoricTraffickingEvent", "CaseComment")
RECORD_COLUMN = "Record"
COLUMNS = (RECORD_COLUMN, *(mapping.field for mapping in FIELDS))
#: An import reads at most this much: a case is thousands of steps, not millions.
MAX_BYTES = 20 * 1024 * 1024


class UnreadableFile(ValueError):
    """The file is not an HTCDS record this importer can read at all."""


def as_json(record: HtcdsRecord) -> bytes:
    return orjson.dumps(record, option=orjson.OPT_INDENT_2)


def as_csv(record: HtcdsRecord) -> bytes:
    out = StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for name in RECORDS:
        items = record[name] if name in LISTS else [record[name]]
        for item in items:
            writer.writerow(
                {RECORD_COLUMN: name, **{k: _cell(v) for k, v in item.items()}}
            )
    return ("\ufeff" + out.getvalue()).encode()


def read_record(data: bytes) -> tuple[HtcdsRecord, dict[str, int]]:
    """The record, and for CSV the file row of each record (``CaseComment[2]``:
    5), so a refusal can name the row a person sees in a spreadsheet."""
    if len(data) > MAX_BYTES:
        raise UnreadableFile(f"the file is over {MAX_BYTES // (1024 * 1024)} MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile("the file is not UTF-8 text") from None
    if text.lstrip().startswith("{"):
        try:
            record = orjson.loads(text)
        except orjson.JSONDecodeError as error:
            raise UnreadableFile(f"the JSON does not parse ({error})") from None
        if not isinstance(record, dict) or record.get("standard") != STANDARD:
            raise UnreadableFile(f"the JSON is not an {STANDARD} case record")
        return record, {}
    return _read_csv(text)


def _read_csv(text: str) -> tuple[HtcdsRecord, dict[str, int]]:
    reader = csv.DictReader(StringIO(text))
    if reader.fieldnames is None or RECORD_COLUMN not in reader.fieldnames:
        raise UnreadableFile(f"the CSV has no {RECORD_COLUMN!r} column")
    unknown = set(reader.fieldnames) - set(COLUMNS)
    if unknown:
        raise UnreadableFile(f"the CSV has unknown columns {sorted(unknown)}")
    record: HtcdsRecord = {"standard": STANDARD, **{name: [] for name in LISTS}}
    rows: dict[str, int] = {}
    for line, row in enumerate(reader, start=2):
        name = row.pop(RECORD_COLUMN)
        values = {key: _value(value) for key, value in row.items() if value != ""}
        if name in LISTS:
            rows[f"{name}[{len(record[name])}]"] = line
            record[name].append(values)
        elif name in RECORDS:
            rows[name] = line
            record[name] = values
        else:
            raise UnreadableFile(f"row {line}: no record {name!r}")
    return record, rows


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _value(text: str | None) -> Any:
    if text in ("true", "false"):
        return text == "true"
    return text
