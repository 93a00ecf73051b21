"""A chronology as a paginated PDF for a bundle: landscape A4, the same heading
and table as the Word document, and on every page a footer with the chain head
and "Page x of y". The proof and the rows ride in the file as an attachment
(``waymark-chronology.json``), so the file can be checked without the record."""

from __future__ import annotations

from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

import orjson
from pypdf import PdfReader, PdfWriter
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
    Spacer,
)

from projections.exports.table import COLUMNS, ExportedChronology, ExportRow, Proof

ATTACHMENT = "waymark-chronology.json"
_PAGE = landscape(A4)
_MARGIN = 1.5 * cm
_WIDTHS = (4.5 * cm, 15.7 * cm, 6.5 * cm)
_FONT_SIZE, _LEADING, _PADDING = 9, 11, 3


def pdf_document(export: ExportedChronology) -> bytes:
    styles = getSampleStyleSheet()
    heading = ParagraphStyle("heading", parent=styles["BodyText"], fontSize=9)
    header_row = _Row(COLUMNS, header=True)
    story: list[Any] = [
        Paragraph(escape(f"{export.title}: {export.proof.reference}"), styles["Title"])
    ]
    for label, value in export.heading():
        story.append(Paragraph(f"<b>{escape(label)}:</b> {escape(value)}", heading))
    story += [Spacer(1, 0.4 * cm), header_row, NextPageTemplate("later")]
    # A flowable a row, and the column header of later pages drawn by their
    # page template: a single long table is re-measured at every page break.
    story += [_Row(row.cells()) for row in export.rows]

    chain_head = export.proof.chain_head
    rendered = BytesIO()
    height = _PAGE[1]
    body = height - 2 * _MARGIN - 0.5 * cm
    _, header_height = header_row.wrap(sum(_WIDTHS), body)
    document = BaseDocTemplate(
        rendered,
        pagesize=_PAGE,
        title=f"{export.title}: {export.proof.reference}",
        subject=chain_head,
        author="Waymark",
        pageTemplates=[
            PageTemplate("first", [_frame(body)]),
            PageTemplate(
                "later",
                [_frame(body - header_height)],
                onPage=lambda canvas, _: header_row.drawOn(
                    canvas, _MARGIN, height - _MARGIN - header_height
                ),
            ),
        ],
    )
    document.build(
        story, canvasmaker=lambda *a, **k: _FooterCanvas(chain_head, *a, **k)
    )

    writer = PdfWriter(clone_from=PdfReader(BytesIO(rendered.getvalue())))
    writer.add_attachment(ATTACHMENT, _attachment(export))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _frame(frame_height: float) -> Frame:
    return Frame(
        _MARGIN,
        _MARGIN + 0.5 * cm,
        _PAGE[0] - 2 * _MARGIN,
        frame_height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )


class _Row(Flowable):
    """One table row drawn straight on the canvas: each cell's lines are broken
    once (``simpleSplit``), where a table of paragraphs measured every cell twice
    and a 1,000-row chronology took seconds."""

    def __init__(self, cells: tuple[str, ...], *, header: bool = False) -> None:
        super().__init__()
        self.font = "Helvetica-Bold" if header else "Helvetica"
        self.header = header
        self.lines = [
            [
                line
                for paragraph in text.split("\n")
                for line in simpleSplit(
                    paragraph, self.font, _FONT_SIZE, width - 2 * _PADDING
                )
                or [""]
            ]
            for text, width in zip(cells, _WIDTHS, strict=True)
        ]
        self.height = max(map(len, self.lines)) * _LEADING + 2 * _PADDING

    def wrap(
        self, available_width: float, available_height: float
    ) -> tuple[float, float]:
        return sum(_WIDTHS), self.height

    def draw(self) -> None:
        canvas = self.canv
        if self.header:
            canvas.setFillColor(colors.HexColor("#e8e8e8"))
            canvas.rect(0, 0, sum(_WIDTHS), self.height, stroke=0, fill=1)
        canvas.setStrokeColor(colors.grey)
        canvas.setLineWidth(0.5)
        canvas.setFillColor(colors.black)
        canvas.setFont(self.font, _FONT_SIZE)
        left = 0.0
        for lines, width in zip(self.lines, _WIDTHS, strict=True):
            canvas.rect(left, 0, width, self.height, stroke=1, fill=0)
            baseline = self.height - _PADDING - _FONT_SIZE
            for line in lines:
                canvas.drawString(left + _PADDING, baseline, line)
                baseline -= _LEADING
            left += width


def read_pdf_document(data: bytes) -> tuple[Proof, list[ExportRow]]:
    """The proof and rows the file carries."""
    reader = PdfReader(BytesIO(data))
    attached = reader.attachments.get(ATTACHMENT)
    if not attached:
        raise ValueError("the PDF carries no Waymark chronology")
    record = orjson.loads(attached[0])
    proof = Proof.from_json(orjson.dumps(record["proof"]))
    rows = [ExportRow(*cells) for cells in record["rows"]]
    return proof, rows


def _attachment(export: ExportedChronology) -> bytes:
    return orjson.dumps(
        {
            "proof": orjson.loads(export.proof.as_json()),
            "rows": [list(row.cells()) for row in export.rows],
        }
    )


class _FooterCanvas(Canvas):
    """Draws each page's footer once the page count is known."""

    def __init__(self, chain_head: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._chain_head = chain_head
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # reportlab's own recipe

    def save(self) -> None:
        total = len(self._pages)
        for number, page in enumerate(self._pages, start=1):
            self.__dict__.update(page)
            self.setFont("Helvetica", 8)
            self.drawCentredString(
                _PAGE[0] / 2,
                _MARGIN / 2,
                f"Chain head {self._chain_head} · Page {number} of {total}",
            )
            super().showPage()
        super().save()
