"""One document description, two outputs: DOCX (municipalities edit in Word) and PDF (for
publishing). Exports build a `Document` once and call `to_docx()` or `to_pdf()`.

    doc = Document("Uppföljning T1 2025", subtitle="Eskilstuna kommun")
    doc.heading("Sammanfattning")
    doc.key_values([("Period", "2025-01-01 – 2025-04-30")])
    doc.table(["Aktivitet", "Status"], [["Nattvandring", "Grön"]])
    doc.image(charts.bar_chart(...), caption="Aktiviteter per status")
    data = doc.to_pdf()
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


@dataclass
class _Block:
    kind: str
    data: dict = field(default_factory=dict)


class Document:
    def __init__(self, title: str, *, subtitle: str = "", title_page: bool = False):
        self.title = title
        self.subtitle = subtitle
        self.title_page = title_page
        self.blocks: list[_Block] = []

    # -- building --------------------------------------------------------------------------------
    def heading(self, text: str, level: int = 1) -> Document:
        self.blocks.append(_Block("heading", {"text": str(text), "level": level}))
        return self

    def paragraph(self, text: str, *, bold: bool = False, italic: bool = False,
                  small: bool = False) -> Document:
        if text:
            self.blocks.append(_Block("paragraph", {"text": str(text), "bold": bold,
                                                    "italic": italic, "small": small}))
        return self

    def bullets(self, items) -> Document:
        items = [str(i) for i in items if i]
        if items:
            self.blocks.append(_Block("bullets", {"items": items}))
        return self

    def key_values(self, pairs) -> Document:
        pairs = [(str(k), "" if v is None else str(v)) for k, v in pairs]
        if pairs:
            self.blocks.append(_Block("key_values", {"pairs": pairs}))
        return self

    def table(self, header, rows, *, widths: list[float] | None = None,
              caption: str = "") -> Document:
        """widths: relative column widths (any unit); rows are lists of cell values."""
        self.blocks.append(_Block("table", {
            "header": [str(h) for h in header],
            "rows": [["" if c is None else str(c) for c in row] for row in rows],
            "widths": widths, "caption": caption}))
        return self

    def image(self, png: bytes, *, width_cm: float = 16.0, caption: str = "") -> Document:
        self.blocks.append(_Block("image", {"png": png, "width_cm": width_cm,
                                            "caption": caption}))
        return self

    def page_break(self) -> Document:
        self.blocks.append(_Block("page_break"))
        return self

    # -- DOCX ------------------------------------------------------------------------------------
    def to_docx(self) -> bytes:
        import docx
        from docx.enum.text import WD_BREAK
        from docx.shared import Cm, Pt

        document = docx.Document()
        section = document.sections[0]
        section.left_margin = section.right_margin = Cm(2.2)
        document.styles["Normal"].font.name = "Calibri"
        document.styles["Normal"].font.size = Pt(11)
        document.core_properties.title = self.title
        document.add_heading(self.title, level=0)
        if self.subtitle:
            document.add_paragraph(self.subtitle).runs[0].italic = True
        if self.title_page:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        usable = section.page_width - section.left_margin - section.right_margin
        for block in self.blocks:
            d = block.data
            if block.kind == "heading":
                document.add_heading(d["text"], level=min(d["level"], 4))
            elif block.kind == "paragraph":
                for part in d["text"].split("\n\n"):
                    run = document.add_paragraph().add_run(part)
                    run.bold, run.italic = d["bold"], d["italic"]
                    if d["small"]:
                        run.font.size = Pt(9)
            elif block.kind == "bullets":
                for item in d["items"]:
                    document.add_paragraph(item, style="List Bullet")
            elif block.kind == "key_values":
                table = document.add_table(rows=0, cols=2)
                table.style = "Table Grid"
                for key, value in d["pairs"]:
                    cells = table.add_row().cells
                    cells[0].text, cells[1].text = key, value
                    cells[0].paragraphs[0].runs[0].bold = True
                document.add_paragraph()
            elif block.kind == "table":
                if d["caption"]:
                    document.add_paragraph(d["caption"]).runs[0].bold = True
                table = document.add_table(rows=1, cols=len(d["header"]))
                table.style = "Light Grid Accent 1"
                for cell, text in zip(table.rows[0].cells, d["header"], strict=True):
                    cell.text = text
                for row in d["rows"]:
                    for cell, text in zip(table.add_row().cells, row, strict=False):
                        cell.text = text
                if d["widths"]:
                    total = sum(d["widths"])
                    for row in table.rows:
                        for cell, w in zip(row.cells, d["widths"], strict=False):
                            cell.width = int(usable * w / total)
                document.add_paragraph()
            elif block.kind == "image":
                document.add_picture(io.BytesIO(d["png"]), width=Cm(min(d["width_cm"], 16.5)))
                if d["caption"]:
                    p = document.add_paragraph(d["caption"])
                    p.runs[0].italic = True
            elif block.kind == "page_break":
                document.add_page_break()
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()

    # -- PDF -------------------------------------------------------------------------------------
    def to_pdf(self) -> bytes:
        from reportlab.lib import colors
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
        from reportlab.lib.units import cm
        from reportlab.platypus import (
            Image,
            ListFlowable,
            ListItem,
            PageBreak,
            Paragraph,
            SimpleDocTemplate,
            Spacer,
            Table,
            TableStyle,
        )

        font, bold = _pdf_fonts()
        styles = getSampleStyleSheet()
        base = ParagraphStyle("base", parent=styles["Normal"], fontName=font, fontSize=10,
                              leading=13.5)
        small = ParagraphStyle("small", parent=base, fontSize=8, leading=10)
        cell = ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5)
        cell_head = ParagraphStyle("cellhead", parent=cell, fontName=bold,
                                   textColor=colors.white)
        heads = {level: ParagraphStyle(f"h{level}", parent=styles[f"Heading{level}"],
                                       fontName=bold) for level in (1, 2, 3, 4)}
        title_style = ParagraphStyle("title", parent=styles["Title"], fontName=bold,
                                     alignment=0)

        def para(text, style=base):
            return Paragraph(escape(text).replace("\n", "<br/>"), style)

        width = A4[0] - 4 * cm
        story = [para(self.title, title_style)]
        if self.subtitle:
            story.append(para(self.subtitle, ParagraphStyle("sub", parent=base, fontSize=12)))
        story.append(Spacer(1, 0.4 * cm))
        if self.title_page:
            story.append(PageBreak())
        head_colour = colors.HexColor("#1f4e79")
        for block in self.blocks:
            d = block.data
            if block.kind == "heading":
                story.append(para(d["text"], heads[min(d["level"], 4)]))
            elif block.kind == "paragraph":
                text = escape(d["text"]).replace("\n", "<br/>")
                if d["bold"]:
                    text = f"<b>{text}</b>"
                if d["italic"]:
                    text = f"<i>{text}</i>"
                story.append(Paragraph(text, small if d["small"] else base))
                story.append(Spacer(1, 0.15 * cm))
            elif block.kind == "bullets":
                story.append(ListFlowable(
                    [ListItem(para(item), leftIndent=10) for item in d["items"]],
                    bulletType="bullet", start="•", leftIndent=12))
            elif block.kind == "key_values":
                table = Table([[para(k, cell_head.clone("kv", textColor=colors.black)),
                                para(v, cell)] for k, v in d["pairs"]],
                              colWidths=[width * 0.3, width * 0.7])
                table.setStyle(TableStyle([
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#c8d0d8")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP")]))
                story += [table, Spacer(1, 0.3 * cm)]
            elif block.kind == "table":
                if d["caption"]:
                    story.append(para(d["caption"], heads[4]))
                widths = d["widths"] or [1] * len(d["header"])
                total = sum(widths)
                data = [[para(h, cell_head) for h in d["header"]]]
                data += [[para(c, cell) for c in row] for row in d["rows"]]
                table = Table(data, colWidths=[width * w / total for w in widths],
                              repeatRows=1)
                table.setStyle(TableStyle([
                    ("BACKGROUND", (0, 0), (-1, 0), head_colour),
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#c8d0d8")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("ROWBACKGROUNDS", (0, 1), (-1, -1),
                     [colors.white, colors.HexColor("#f3f6f9")]),
                ]))
                story += [table, Spacer(1, 0.3 * cm)]
            elif block.kind == "image":
                image = Image(io.BytesIO(d["png"]))
                scale = min(d["width_cm"] * cm, width) / image.drawWidth
                image.drawWidth *= scale
                image.drawHeight *= scale
                story.append(image)
                if d["caption"]:
                    story.append(para(d["caption"], small))
                story.append(Spacer(1, 0.3 * cm))
            elif block.kind == "page_break":
                story.append(PageBreak())

        def footer(canvas, doc):
            canvas.saveState()
            canvas.setFont(font, 8)
            canvas.setFillColor(colors.HexColor("#5b6770"))
            canvas.drawString(2 * cm, 1.2 * cm, self.title[:100])
            canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, str(doc.page))
            canvas.restoreState()

        buffer = io.BytesIO()
        SimpleDocTemplate(buffer, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm,
                          topMargin=2 * cm, bottomMargin=2 * cm, title=self.title).build(
            story, onFirstPage=footer, onLaterPages=footer)
        return buffer.getvalue()


_FONTS: tuple[str, str] | None = None


def _pdf_fonts() -> tuple[str, str]:
    """DejaVu Sans (shipped with matplotlib) covers å, ä, ö, en dashes and ≥, which the
    PDF standard fonts do not."""
    global _FONTS
    if _FONTS is None:
        import matplotlib
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(folder / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(folder / "DejaVuSans-Bold.ttf")))
        _FONTS = ("DejaVuSans", "DejaVuSans-Bold")
    return _FONTS


def file_response(data: bytes, filename: str, fmt: str):
    """An HttpResponse that downloads `data` as `filename`."""
    from django.http import HttpResponse

    response = HttpResponse(data, content_type=CONTENT_TYPES.get(fmt, "application/octet-stream"))
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
