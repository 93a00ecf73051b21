"""A chronology as a Word document counsel can edit: landscape A4, the heading
counsel and the court need, a real three-column table whose header repeats on
every page, and page numbers. The proof rides in the document's properties."""

from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.table import CT_Tbl
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from projections.exports.table import COLUMNS, ExportedChronology, ExportRow, Proof

#: The last paragraph carries the proof, in plain sight: Word's document
#: properties hold at most 255 characters, and a part of our own might make
#: Word call the file damaged.
PROOF_PREFIX = "Proof, for waymark verify: "
_WIDTHS = (Cm(4.5), Cm(15.5), Cm(7.0))


def word_document(export: ExportedChronology) -> bytes:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10)

    document.add_heading(f"{export.title}: {export.proof.reference}", level=1)
    for label, value in export.heading():
        line = document.add_paragraph()
        line.add_run(f"{label}: ").bold = True
        line.add_run(value)
        line.paragraph_format.space_after = Pt(0)

    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    # Widths once, on the table's grid, with a fixed layout: per-cell widths
    # would cost most of a long chronology's export time.
    table.autofit = False
    for column, width in zip(table.columns, _WIDTHS, strict=True):
        column.width = width
    header = table.rows[0]
    _repeat_as_header(header._tr)
    for cell, title in zip(header.cells, COLUMNS, strict=True):
        cell.paragraphs[0].add_run(title).bold = True
    _append_rows(table._tbl, export.rows)

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"Chain head {export.proof.chain_head} · Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")

    proof = document.add_paragraph()
    proof.paragraph_format.space_before = Pt(12)
    proof.add_run(PROOF_PREFIX + export.proof.as_json().decode()).font.size = Pt(7)

    properties = document.core_properties
    properties.title = f"{export.title}: {export.proof.reference}"
    properties.subject = export.proof.chain_head
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def read_word_document(data: bytes) -> tuple[Proof, list[ExportRow]]:
    """The proof and the table's rows as the file now holds them."""
    document = Document(BytesIO(data))
    proofs = [
        paragraph.text.removeprefix(PROOF_PREFIX)
        for paragraph in document.paragraphs
        if paragraph.text.startswith(PROOF_PREFIX)
    ]
    if len(proofs) != 1:
        raise ValueError("the document carries no Waymark proof")
    proof = Proof.from_json(proofs[0])
    if not document.tables:
        raise ValueError("the document holds no chronology table")
    rows = [
        ExportRow(*(cell.text for cell in row.cells))
        for row in document.tables[0].rows[1:]
    ]
    return proof, rows


def _append_rows(table: CT_Tbl, rows: tuple[ExportRow, ...]) -> None:
    """The rows as WordprocessingML, parsed at once: building them through
    python-docx's objects cost over a second for a 1,000-row chronology."""
    cells = "".join(
        "<w:tr>" + "".join(_cell_xml(text) for text in row.cells()) + "</w:tr>"
        for row in rows
    )
    parsed = parse_xml(f"<w:tbl {nsdecls('w')}>{cells}</w:tbl>")
    for row_element in list(parsed):
        table.append(row_element)


def _cell_xml(text: str) -> str:
    paragraphs = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>'
        for line in text.split("\n")
    )
    return f"<w:tc>{paragraphs}</w:tc>"


def _repeat_as_header(row_element: object) -> None:
    properties = row_element.get_or_add_trPr()  # type: ignore[attr-defined]
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)


def _field(paragraph: Paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in as it lays out pages."""
    run = paragraph.add_run()._r
    run.append(_field_char("begin"))
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = f" {code} "
    run.append(instruction)
    run.append(_field_char("separate"))
    placeholder = OxmlElement("w:t")
    placeholder.text = "1"
    run.append(placeholder)
    run.append(_field_char("end"))


def _field_char(kind: str) -> object:
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    return element
