"""The common frame of the Word templates (used by the ``docx/make_templates_*.py`` scripts
that build them): A4 with 2 cm margins, and the State's bloc-marque as in the PDF
(``templates/documents/bloc_marque.html``): the Marianne over the flag, « RÉPUBLIQUE
FRANÇAISE » on two lines in bold capitals, the motto, then the issuer (a template field).
The two images are the DSFR's, rasterised by ``docx/make_bloc_marque.py``."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table

IMAGES = Path(__file__).resolve().parent / "docx"


def state_document(issuer_field: str = "{{ issuer }}") -> DocxDocument:
    """A new A4 document opening with the bloc-marque and ``issuer_field`` in bold."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10.5)
    for section in document.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2)
        section.top_margin, section.bottom_margin = Cm(2), Cm(2.2)
    document.add_paragraph().add_run().add_picture(str(IMAGES / "marianne.png"), width=Cm(1.4))
    marque = document.add_paragraph()
    republique = marque.add_run("RÉPUBLIQUE")
    republique.add_break()
    marque.add_run("FRANÇAISE")
    for run in marque.runs:
        run.bold = True
        run.font.size = Pt(11)
    document.add_paragraph().add_run().add_picture(str(IMAGES / "devise.png"), width=Cm(1.2))
    document.add_paragraph().add_run(issuer_field).bold = True
    return document


def keep_rows_whole(table: Table) -> None:
    """No row of ``table`` splits across two pages, and its rows stay together."""
    for row in table.rows:
        properties = row._tr.get_or_add_trPr()
        cant_split = OxmlElement("w:cantSplit")
        cant_split.set(qn("w:val"), "true")
        properties.append(cant_split)
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
                paragraph.paragraph_format.keep_together = True
