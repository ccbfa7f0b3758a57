"""Build the Word templates of conventions (run once; the .docx files are committed and
can then be edited in Word, keeping the {{ champs }}):

    PYTHONPATH=. .venv/bin/python relais/documents/docx/make_templates_agreements.py

- convention.docx: any convention or avenant, from its structured content;
- convention_cee.docx: the ministry's model CEE convention (art. D. 331-66), whose
  « [à compléter] » blanks are template fields.
"""

from pathlib import Path

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from relais.documents.cee_model import CEE_ARTICLES, CEE_PREAMBLE
from relais.documents.docx_base import state_document

HERE = Path(__file__).resolve().parent


def _base() -> DocxDocument:
    """A4 (21 × 29.7 cm, 2 cm margins) and the State's bloc-marque (the DSFR's Marianne,
    « RÉPUBLIQUE FRANÇAISE », the motto) and the académie (or région académique) issuing it."""
    return state_document("{{ issuer }}")


def _keep_rows_whole(table) -> None:
    """No row of the table is split across two pages, and the rows stay together."""
    for row in table.rows:
        properties = row._tr.get_or_add_trPr()
        cant_split = OxmlElement("w:cantSplit")
        cant_split.set(qn("w:val"), "true")
        properties.append(cant_split)
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
                paragraph.paragraph_format.keep_together = True


def _signatures(d) -> None:
    """« Fait à …, le … » and one block per signatory (the party, the person with their
    civility and title, the date and mode once signed)."""
    d.add_paragraph("{{ fait_a_le }}")
    table = d.add_table(rows=3, cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text = "{%tr for s in signature_blocks %}"
    row = table.rows[1].cells
    row[0].text = "Pour {{ s.party }}"
    row[1].text = "{{ s.person }}{% if s.title %}, {{ s.title }}{% endif %}\n{{ s.signed }}"
    table.rows[2].cells[0].text = "{%tr endfor %}"
    _keep_rows_whole(table)


def _centered(document, text, *, bold=False, size=None):
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    return paragraph


def convention() -> None:
    d = _base()
    _centered(d, "{{ kind_label|upper }}", bold=True, size=14)
    _centered(d, "{{ title }}", bold=True, size=13)
    _centered(d, "N° {{ number }}{% if version %} — version {{ version }}{% endif %}")
    d.add_paragraph("{%p if consolidated_note %}")
    _centered(d, "{{ consolidated_note }}")
    d.add_paragraph("{%p endif %}")
    d.add_paragraph("{%p if amends %}")
    d.add_paragraph("Avenant à la convention {{ amends }}.")
    d.add_paragraph("{%p endif %}")
    d.add_paragraph("{%p if adhesion_text %}")
    d.add_paragraph("{{ adhesion_text }}")
    d.add_paragraph("{%p endif %}")
    d.add_paragraph("Entre les soussignés :")
    d.add_paragraph("{%p for line in party_lines %}")
    d.add_paragraph("{{ line }}")
    d.add_paragraph("{%p endfor %}")
    d.add_paragraph("{%p for line in legal_basis %}")
    d.add_paragraph("{{ line }}")
    d.add_paragraph("{%p endfor %}")
    d.add_paragraph("{%p if preamble %}")
    d.add_heading("Préambule", level=2)
    d.add_paragraph("{{ preamble }}")
    d.add_paragraph("{%p endif %}")
    d.add_paragraph("Il a été convenu ce qui suit.")
    d.add_paragraph("{%p for a in articles %}")
    d.add_heading("Article {{ a.number }}{% if a.heading %} – {{ a.heading }}{% endif %}", level=2)
    d.add_paragraph("{{ a.body }}")
    d.add_paragraph("{%p endfor %}")
    d.add_paragraph("{%p if commitments %}")
    d.add_heading("Engagements des parties", level=2)
    d.add_paragraph("{%p for c in commitments %}")
    d.add_paragraph("– {{ c }}")
    d.add_paragraph("{%p endfor %}")
    d.add_paragraph("{%p endif %}")
    d.add_heading("Durée, reconduction et résiliation", level=2)
    d.add_paragraph("{{ duration_text }}")
    d.add_paragraph("{%p if confidentiality_clause %}")
    d.add_heading("Confidentialité", level=2)
    d.add_paragraph("{{ confidentiality_clause }}")
    d.add_paragraph("{%p endif %}")
    d.add_heading("Règlement des litiges", level=2)
    d.add_paragraph("{{ dispute_text }}")
    d.add_paragraph("{%p if open_to_new_signatories %}")
    d.add_paragraph(
        "La présente convention reste ouverte à la signature d'autres partenaires. "
        "Chaque nouvelle signature fait l'objet d'un avenant."
    )
    d.add_paragraph("{%p endif %}")
    _signatures(d)
    d.save(str(HERE / "convention.docx"))


def convention_cee() -> None:
    d = _base()
    _centered(d, "Convention relative aux conseillers entreprises pour l’école", bold=True, size=14)
    _centered(d, "N° {{ number }}")
    d.add_paragraph("Entre")
    d.add_paragraph("{{ academie_nom }}")
    d.add_paragraph("ci-dénommée {{ academie_denomination }}")
    d.add_paragraph("sis {{ academie_adresse }}")
    d.add_paragraph("représentée par {{ academie_representant }}")
    d.add_paragraph("Et")
    d.add_paragraph("L’organisation professionnelle {{ organisation_nom }}")
    d.add_paragraph("ci-dénommée {{ organisation_denomination }}")
    d.add_paragraph("sis {{ organisation_adresse }}")
    d.add_paragraph("représentée par {{ organisation_representant }}")
    d.add_paragraph("Vu le code de l'éducation et notamment ses articles D. 331-65 à D. 331-67 ;")
    d.add_heading("Préambule", level=2)
    for text in CEE_PREAMBLE:
        d.add_paragraph(text)
    d.add_paragraph("Les signataires conviennent de ce qui suit :")
    for heading, paragraphs in CEE_ARTICLES:
        d.add_heading(heading, level=2)
        for text in paragraphs:
            d.add_paragraph(text)
    d.add_paragraph("{{ fait_a_le }}")
    table = d.add_table(rows=2, cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text = "{{ recteur_qualite }}"
    table.rows[0].cells[1].text = "Le président de {{ organisation_nom }}"
    table.rows[1].cells[0].text = "{{ signature_recteur }}"
    table.rows[1].cells[1].text = "{{ signature_organisation }}"
    _keep_rows_whole(table)
    d.save(str(HERE / "convention_cee.docx"))


if __name__ == "__main__":
    convention()
    convention_cee()
    print("Modèles écrits dans", HERE)
