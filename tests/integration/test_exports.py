"""Court-ready chronologies: Word, PDF and CSV, read back and checked.

A witness's case is recorded over three years: an account given and later
disputed, a step corrected, one retracted, evidence with bundle references, an
uncertain date. Its exports are read back with python-docx and pypdf and must
carry the heading counsel and the court need, the rows as the chronology prints
them, a footer on every PDF page, and a proof that ties them to the record: a
file edited afterwards fails verification, and an export made as at last month
is the export that was made last month.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from io import BytesIO
from pathlib import Path
from uuid import UUID

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from pypdf import PdfReader

from api.bootstrap import build_journeys
from api.settings import Settings
from domain.application import CaseJourneys, StepInput
from domain.dates import UK
from projections.chronology import NO_SOURCE_RECORDED as NO_SOURCE
from projections.chronology import Purpose, chronology_of
from projections.exports import ExportFormat
from projections.exports.build import export_chronology
from projections.exports.files import read_export, write_export
from projections.exports.table import export_row
from projections.exports.verify import check_file, check_record
from tests.time_machine import TimeMachine

ADVOCATE = "advocate-rowan"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "exports"


class Witness:
    def __init__(self, journeys: CaseJourneys, machine: TimeMachine) -> None:
        self.journeys, self.machine = journeys, machine
        self.case_id = journeys.open_case(
            reference="EXPORT-W1",
            organisation_id="org-north",
            jurisdiction="england_and_wales",
            recorded_by=ADVOCATE,
        ).case_id

    def step(
        self, kind: str, occurred: str | None, summary: str, **extra: object
    ) -> UUID:
        made = self.journeys.record_step(
            self.case_id,
            StepInput(kind, occurred, summary, **extra),  # type: ignore[arg-type]
            recorded_by=ADVOCATE,
        )
        return made.id


@pytest.fixture
def witness(settings: Settings) -> Iterator[Witness]:
    machine = TimeMachine(date(2022, 3, 1))
    journeys = build_journeys(settings, today=machine.today)
    with machine.running():
        case = Witness(journeys, machine)
        statement = journeys.attach_evidence(
            case.case_id,
            title="Witness statement",
            document_kind="statement",
            bundle_ref="B/12",
            recorded_by=ADVOCATE,
        ).id
        account = case.step(
            "account.disclosure",
            "2019-06~",
            "Gave an account of domestic servitude to the police.",
            details={"to_whom": "police"},
            sources=[{"document": str(statement), "pin": "para 4"}],
        )
        case.step("nrm.referred", "2019-07-02", "Referred into the NRM.")
        mistaken = case.step("benefits.claim_made", "2021-02", "Benefits claim made.")
        machine.on(date(2023, 5, 2))
        journeys.dispute_step(
            case.case_id,
            account,
            disputed_by="the defence",
            other_version="The defence say the account was first given in 2020.",
            other_occurred="2020",
            recorded_by=ADVOCATE,
        )
        journeys.retract_step(
            case.case_id,
            mistaken,
            reason="Recorded on the wrong case.",
            recorded_by=ADVOCATE,
        )
        yield case
    journeys.close()


def export_of(
    witness: Witness, export_format: ExportFormat, **options: object
) -> bytes:
    """The export as the case's own organisation asks for it: its sensitive
    steps (the account) included, unless the options say otherwise."""
    options.setdefault("include_sensitive", True)
    export = export_chronology(witness.journeys, witness.case_id, **options)  # type: ignore[arg-type]
    return write_export(export, export_format)


def test_the_word_export_is_a_landscape_table_counsel_can_edit_with_the_proof_in_its_heading(
    witness: Witness,
) -> None:
    data = export_of(witness, ExportFormat.DOCX, purpose=Purpose.CRIMINAL_TRIAL)
    document = Document(BytesIO(data))

    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width > section.page_height
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    head = witness.journeys.verify_chain(witness.case_id).head
    for line in (
        "Case reference: EXPORT-W1",
        "Purpose: Chronology for a criminal trial",
        "As at: ",
        f"Case version: {witness.journeys.case_summary(witness.case_id).version}",
        "Log position: ",
        f"Chain head: {head}",
    ):
        assert line in text
    table = document.tables[0]
    assert [cell.text for cell in table.rows[0].cells] == ["Date", "Event", "Source"]
    rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    assert rows[0][0] == "c. June 2019", "uncertain dates print as on screen"
    assert rows[0][1].startswith("Account given: Gave an account")
    assert (
        "Disputed by the defence: The defence say the account was first given in 2020."
        in rows[0][1]
    )
    assert rows[0][2] == "Witness statement, para 4 [B/12]"
    assert rows[1] == [
        "2 July 2019",
        "Referred into the NRM: Referred into the NRM.",
        NO_SOURCE,
    ]
    footer = section.footer.paragraphs[0]
    assert f"Chain head {head}" in footer.text
    assert [
        node.text.strip() for node in footer._p.iter() if node.tag.endswith("instrText")
    ] == ["PAGE", "NUMPAGES"]


def test_the_pdf_export_has_the_chain_head_and_page_x_of_y_on_every_page(
    witness: Witness,
) -> None:
    for number in range(60):
        witness.step(
            "engagement.contact",
            (date(2022, 1, 1) + timedelta(days=number)).isoformat(),
            f"Contact {number + 1} with the advocate.",
            details={"mode": "phone"},
        )
    data = export_of(witness, ExportFormat.PDF)
    reader = PdfReader(BytesIO(data))
    head = witness.journeys.verify_chain(witness.case_id).head

    pages = len(reader.pages)
    assert pages > 1
    for number, page in enumerate(reader.pages, start=1):
        assert f"Chain head {head} · Page {number} of {pages}" in page.extract_text()
    first = reader.pages[0].extract_text()
    assert "Case reference: EXPORT-W1" in first and "c. June 2019" in first
    assert float(reader.pages[0].mediabox.width) > float(
        reader.pages[0].mediabox.height
    )
    _keep_first_page_as_png(data, "chronology-full")


def test_retracted_steps_are_left_out_unless_the_history_is_asked_for(
    witness: Witness,
) -> None:
    plain = read_export(export_of(witness, ExportFormat.CSV))[2]
    with_history = read_export(export_of(witness, ExportFormat.CSV, with_history=True))[
        2
    ]

    assert not any("Benefits claim made" in row.event for row in plain)
    (retracted,) = [row for row in with_history if "Benefits claim made" in row.event]
    assert "Retracted on 2 May 2023: Recorded on the wrong case." in retracted.event


def test_every_format_reads_back_intact_and_as_the_record_holds_it(
    witness: Witness,
) -> None:
    head = witness.journeys.verify_chain(witness.case_id).head
    for export_format in ExportFormat:
        found_format, proof, rows = read_export(export_of(witness, export_format))
        assert found_format is export_format
        assert check_file(proof, rows, published_head=head).matches, export_format
        assert check_record(witness.journeys, proof).matches, export_format


def test_an_export_as_at_last_month_is_the_export_made_last_month(
    witness: Witness,
) -> None:
    witness.machine.on(date(2023, 6, 1))
    with witness.machine.running():
        then = export_chronology(witness.journeys, witness.case_id)
        witness.machine.on(date(2023, 7, 3))
        witness.step("nrm.support_ended", "2023-07-01", "NRM support ended.")
        as_at = datetime.combine(date(2023, 6, 1), time(13), UK).astimezone(UTC)
        now_as_then = export_chronology(witness.journeys, witness.case_id, as_at=as_at)

    assert now_as_then.rows == then.rows
    assert now_as_then.proof.case_version == then.proof.case_version
    assert now_as_then.proof.chain_head == then.proof.chain_head
    assert now_as_then.proof.rows_sha256 == then.proof.rows_sha256


def test_an_altered_export_fails_and_the_record_says_what_changed_since(
    witness: Witness,
) -> None:
    data = export_of(witness, ExportFormat.DOCX)
    document = Document(BytesIO(data))
    document.tables[0].rows[2].cells[0].text = "3 July 2019"
    altered = BytesIO()
    document.save(altered)

    _, proof, rows = read_export(altered.getvalue())
    assert not check_file(proof, rows).rows_intact

    _, proof, rows = read_export(data)
    with witness.machine.running():
        witness.machine.on(date(2023, 7, 3))
        witness.step("nrm.support_ended", "2023-07-01", "NRM support ended.")
    record = check_record(witness.journeys, proof)
    assert record.matches, "the record still holds the chronology at that version"
    assert [row.event for row in record.changed_since] == [
        "NRM support ended: NRM support ended."
    ]

    forged = type(proof)(**{**proof.__dict__, "chain_head": "0" * 64})
    assert not check_record(witness.journeys, forged).matches


def test_a_csv_export_is_refused_back_when_its_table_is_missing() -> None:
    with pytest.raises(ValueError, match="proof"):
        read_export(b"Date,Event,Source\r\n1 May 2020,Something,None\r\n")


def _keep_first_page_as_png(data: bytes, name: str) -> None:
    """The first page as an image, for a person to look at (when pdftoppm is here)."""
    if shutil.which("pdftoppm") is None:
        return
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = ARTIFACTS / f"{name}.pdf"
    pdf.write_bytes(data)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            pdf,
            ARTIFACTS / name,
        ],
        check=True,
        timeout=60,
    )
    assert (ARTIFACTS / f"{name}.png").stat().st_size > 0


def test_text_no_document_can_hold_is_shown_as_a_replacement_character(
    witness: Witness,
) -> None:
    # An old release accepted control characters; its events must still export.
    export = export_chronology(
        witness.journeys, witness.case_id, include_sensitive=True
    )
    chronology = chronology_of(witness.journeys.case_events(witness.case_id))
    row = chronology.rows[0]
    poisoned = replace(
        row,
        history=(*row.history[:-1], replace(row.current, summary="Said\x00so\x1b.")),
    )

    cells = export_row(poisoned)

    assert "Said\ufffdso\ufffd." in cells.event
    rows = (cells, *export.rows[1:])
    for export_format in ExportFormat:
        data = write_export(replace(export, rows=rows), export_format)
        assert read_export(data)[2][0].event == cells.event, export_format


def test_sensitive_steps_stay_out_of_an_export_unless_asked_for_and_it_says_so(
    witness: Witness,
) -> None:
    data = export_of(witness, ExportFormat.DOCX, include_sensitive=False)
    document = Document(BytesIO(data))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows[1:]]

    assert not any("Account given" in row[1] for row in rows)
    assert "Left out: 1 step: sensitive" in text
    _, proof, rows_read = read_export(data)
    assert [row.date for row in rows_read] == [row[0] for row in rows]
    assert not proof.include_sensitive and proof.sensitive_steps
    assert check_record(witness.journeys, proof).matches, (
        "the check leaves out the same"
    )
