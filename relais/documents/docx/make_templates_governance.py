"""Build the Word template of the annual report (bilan) of a convention (run once; the .docx
is committed and can then be edited in Word, keeping the {{ champs }}):

    .venv/bin/python relais/documents/docx/make_templates_governance.py

- bilan_annuel.docx (the same text as the PDF, governance/print/bilan.html; the tests
  compare them): actions done against each commitment, key figures, the meetings of
  the convention's bodies during the year, and next year's action plan (Lille: « le bilan des
  actions conduites lors de l'année écoulée » ; CPME Île-de-France art. 3.1 : « un bilan de
  l'année passée et un plan de partenariat […] de l'année à venir »).
"""

from pathlib import Path

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from relais.documents.docx_base import state_document

HERE = Path(__file__).resolve().parent


def _base() -> DocxDocument:
    """A4 and the State's bloc-marque, issued by the convention's territory."""
    return state_document("{{ territoire }}")


def _centered(document, text, *, bold=False, size=None):
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    return paragraph


def _loop_table(document, header: list[str], loop: str, cells: list[str], end: str):
    """A table whose middle rows repeat (docxtpl « {%tr for … %} »)."""
    table = document.add_table(rows=4, cols=len(header))
    table.style = "Table Grid"
    for index, text in enumerate(header):
        table.rows[0].cells[index].text = text
        table.rows[0].cells[index].paragraphs[0].runs[0].bold = True
    table.rows[1].cells[0].text = loop
    for index, text in enumerate(cells):
        table.rows[2].cells[index].text = text
    table.rows[3].cells[0].text = end
    return table


def bilan_annuel() -> None:
    d = _base()
    _centered(d, "Bilan annuel de la convention", bold=True, size=14)
    _centered(d, "{{ convention_titre }}", bold=True, size=13)
    _centered(d, "N° {{ convention_numero }} — année scolaire {{ annee_scolaire }}")
    d.add_paragraph("Territoire : {{ territoire }}. Statut du bilan : {{ statut }}.")
    d.add_paragraph("{%p if valide_le %}")
    d.add_paragraph("Bilan validé le {{ valide_le }} par {{ valide_par }}.")
    d.add_paragraph("{%p endif %}")
    d.add_heading("1. Actions conduites", level=2)
    d.add_paragraph("{{ actions_conduites }}")
    d.add_heading("2. Réalisation des engagements", level=2)
    _loop_table(
        d,
        ["Partie", "Engagement", "Objectif", "Réalisé", "Commentaire"],
        "{%tr for r in resultats %}",
        ["{{ r.partie }}", "{{ r.engagement }}", "{{ r.objectif }}",
         "{{ r.realise }}{% if r.rate is not none %} ({{ r.rate }} %){% endif %}",
         "{{ r.commentaire }}"],
        "{%tr endfor %}",
    )  # fmt: skip
    d.add_paragraph("{%p if not resultats %}")
    d.add_paragraph("La convention ne comporte pas d'engagement chiffré.")
    d.add_paragraph("{%p endif %}")
    d.add_heading("3. Chiffres clés", level=2)
    d.add_paragraph("{{ chiffres_cles }}")
    d.add_heading("4. Réunions des instances", level=2)
    _loop_table(
        d,
        ["Instance", "Date", "Lieu"],
        "{%tr for m in reunions %}",
        ["{{ m.instance }}", "{{ m.date }}", "{{ m.lieu }}"],
        "{%tr endfor %}",
    )
    d.add_paragraph("{%p if not reunions %}")
    d.add_paragraph("Aucune réunion tenue enregistrée pour cette année scolaire.")
    d.add_paragraph("{%p endif %}")
    d.add_heading("5. Plan d'actions de l'année {{ annee_suivante }}", level=2)
    d.add_paragraph("{{ plan_actions }}")
    d.save(str(HERE / "bilan_annuel.docx"))


if __name__ == "__main__":
    bilan_annuel()
