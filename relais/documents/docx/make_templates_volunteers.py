"""Build the Word template of the lettre de mission of a CEE / CET (``lettre_de_mission.docx``).

Run ``.venv/bin/python relais/documents/docx/make_templates_volunteers.py`` after changing it;
the .docx is committed. The académie team may replace it by uploading an edited copy (keep
the ``{{ champ }}`` placeholders). Article 3 of the model CEE convention: the letter states
« la nature, le champ géographique, la durée de sa ou ses missions ainsi que les coordonnées
de son référent au sein de l'académie ».
"""

from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

from relais.documents.docx_base import state_document

HERE = Path(__file__).resolve().parent
BLUE = RGBColor(0x00, 0x00, 0x91)


def _heading(document, text: str, size: int = 12) -> None:
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = True
    run.font.size = Pt(size)
    run.font.color.rgb = BLUE


def build(path: Path) -> None:
    document = state_document("{{ academie }}")
    document.add_paragraph("Affaire suivie par {{ referent_nom }}")
    right = document.add_paragraph("{{ lieu }}, le {{ date_lettre }}")
    right.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    _heading(document, "Lettre de mission — {{ type_conseiller }}", 14)
    document.add_paragraph("N° {{ numero }}")
    document.add_paragraph(
        "Vu le code de l'éducation, notamment ses articles D. 331-65 à D. 331-67 ;"
    )
    document.add_paragraph("{{ visa_convention }}")
    document.add_paragraph(
        "Sur proposition de {{ organisation }}, le recteur désigne {{ conseiller }} "
        "{{ type_conseiller_court }} auprès de {{ academie_article }}."
    )

    _heading(document, "Le conseiller")
    document.add_paragraph("Nom : {{ conseiller }}")
    document.add_paragraph("Statut : {{ statut }} — employeur : {{ employeur }}")
    document.add_paragraph("Secteurs d'expertise : {{ secteurs }}")
    document.add_paragraph("Courriel : {{ conseiller_courriel }}")

    _heading(document, "Nature de la mission")
    document.add_paragraph("{{ mission }}")
    document.add_paragraph("Domaines d'intervention (article 2 de la convention) :")
    document.add_paragraph("{%p for domaine in domaines %}")
    document.add_paragraph("• {{ domaine }}")
    document.add_paragraph("{%p endfor %}")

    _heading(document, "Champ géographique")
    document.add_paragraph("{{ champ_geographique }}")

    _heading(document, "Durée")
    document.add_paragraph("La mission est confiée du {{ debut_mandat }} au {{ fin_mandat }}.")

    _heading(document, "Votre référent au sein de l'académie")
    document.add_paragraph("{{ referent_nom }} — {{ referent_coordonnees }}")

    _heading(document, "Information de l'employeur")
    document.add_paragraph(
        "Cette lettre est communiquée à {{ organisation }}, qui s'engage à en informer "
        "l'employeur du conseiller (article 3 de la convention)."
    )

    signature = document.add_paragraph("Pour le recteur et par délégation,\n{{ referent_nom }}")
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.save(str(path))


if __name__ == "__main__":
    target = HERE / "lettre_de_mission.docx"
    build(target)
    print(f"Écrit : {target}")
