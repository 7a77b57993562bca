import io

import docx
from pypdf import PdfReader

from samverkan.core import charts
from samverkan.core.documents import Document


def build():
    doc = Document("Samverkansöverenskommelse 2024–2027", subtitle="Eskilstuna kommun")
    doc.heading("Fokusområde 1 – Stoppa skjutningar och grovt våld")
    doc.paragraph("Delmål: Förebyggt och motverkat våldet i nätverkskriminella miljöer")
    doc.key_values([("Period", "2024-01-01 – 2027-12-31")])
    doc.table(["Indikator", "Utgångsvärde", "Målvärde"],
              [["Antal nattvandringsgrupper", "2", "≥ 8"]])
    doc.image(charts.bar_chart(["Pågående", "Planerad"], [3, 5], title="Aktiviteter"),
              caption="Aktiviteter per status")
    return doc


def test_docx_holds_text_tables_and_images():
    document = docx.Document(io.BytesIO(build().to_docx()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Fokusområde 1 – Stoppa skjutningar och grovt våld" in text
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "Antal nattvandringsgrupper" in cells and "≥ 8" in cells
    assert len(document.inline_shapes) == 1


def test_pdf_holds_the_text_with_swedish_letters():
    reader = PdfReader(io.BytesIO(build().to_pdf()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Stoppa skjutningar och grovt våld" in text
    assert "nattvandringsgrupper" in text and "≥ 8" in text
