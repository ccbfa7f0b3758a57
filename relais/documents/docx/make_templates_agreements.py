"""Build the Word templates of conventions (run once; the .docx files are committed and
can then be edited in Word, keeping the {{ champs }}):

    .venv/bin/python relais/documents/docx/make_templates_agreements.py

- convention.docx: any convention or avenant, from its structured content;
- convention_cee.docx: the ministry's model CEE convention (art. D. 331-66), whose
  « [à compléter] » blanks are template fields.
"""

from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

HERE = Path(__file__).resolve().parent


def _base() -> DocxDocument:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10.5)
    return document


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
    d.add_paragraph("{% if amends %}Avenant à la convention {{ amends }}.{% endif %}")
    d.add_paragraph("Entre les soussignés :")
    d.add_paragraph("{%p for p in parties %}")
    d.add_paragraph(
        "{{ p.name }}{% if p.address %}, sis {{ p.address }}{% endif %}"
        "{% if p.represented_by %}, représenté(e) par {{ p.represented_by }}{% endif %}"
        "{% if p.short_name %}, ci-après dénommé(e) « {{ p.short_name }} »{% endif %} ;"
    )
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
    d.add_paragraph("{{ c }}", style="List Bullet")
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
    d.add_heading("Signatures", level=2)
    table = d.add_table(rows=4, cols=3)
    table.style = "Table Grid"
    header = table.rows[0].cells
    header[0].text, header[1].text, header[2].text = "Pour", "Signataire", "Date et mode"
    table.rows[1].cells[0].text = "{%tr for s in signatories %}"
    row = table.rows[2].cells
    row[0].text = "{{ s.party }}"
    row[1].text = "{{ s.full_name }}{% if s.title %}, {{ s.title }}{% endif %}"
    row[2].text = "{{ s.signed }}"
    table.rows[3].cells[0].text = "{%tr endfor %}"
    d.save(str(HERE / "convention.docx"))


def convention_cee() -> None:
    d = _base()
    _centered(d, "Convention relative aux conseillers entreprises pour l'école", bold=True, size=14)
    _centered(d, "N° {{ number }}")
    d.add_paragraph("Entre")
    d.add_paragraph("{{ academie_nom }}")
    d.add_paragraph("ci-dénommée {{ academie_denomination }}")
    d.add_paragraph("sis {{ academie_adresse }}")
    d.add_paragraph("représentée par {{ academie_representant }}")
    d.add_paragraph("Et")
    d.add_paragraph("L'organisation professionnelle {{ organisation_nom }}")
    d.add_paragraph("ci-dénommée {{ organisation_denomination }}")
    d.add_paragraph("sis {{ organisation_adresse }}")
    d.add_paragraph("représentée par {{ organisation_representant }}")
    d.add_paragraph("Vu le code de l'éducation et notamment ses articles D. 331-65 à D. 331-67 ;")
    d.add_heading("Préambule", level=2)
    d.add_paragraph(
        "Le développement des relations entre l'école et le monde professionnel fait partie des "
        "missions du service public de l'éducation, avec un double objectif : aider et "
        "accompagner les jeunes dans leur projet d'orientation, en leur permettant de connaître "
        "le monde économique et les différents métiers qui s'offrent à eux ; favoriser "
        "l'insertion sociale et professionnelle des jeunes."
    )
    d.add_paragraph(
        "Le conseiller entreprises pour l'école, représentant des professions désigné par le "
        "recteur d'académie ou de région académique sur proposition des organisations "
        "professionnelles ou interprofessionnelles, est l'interlocuteur privilégié des acteurs "
        "éducatifs pour la mise en œuvre et le développement de la coopération entre l'école et "
        "le monde professionnel sur les territoires."
    )
    d.add_paragraph("Les signataires conviennent de ce qui suit :")
    d.add_heading("Article 1 - Objet", level=2)
    d.add_paragraph(
        "Dans le cadre de leur engagement en faveur du développement des relations entre l'école "
        "et l'entreprise, les signataires conviennent de mobiliser {{ nombre_cee }} conseillers "
        "entreprises pour l'école pendant la durée de la présente convention."
    )
    d.add_heading("Article 2 – Domaines d'intervention des conseillers entreprises pour l'école", 2)
    d.add_paragraph(
        "Les signataires s'accordent pour que les conseillers entreprises pour l'école désignés "
        "dans le cadre de la présente convention contribuent à la mise en œuvre des actions "
        "suivantes : {{ domaines_intervention }}"
    )
    d.add_heading("Article 3 – Désignation des conseillers entreprises pour l'école", level=2)
    d.add_paragraph(
        "Dans ce cadre, l'organisation professionnelle {{ organisation_nom }} souhaite contribuer "
        "à l'atteinte des objectifs en mobilisant les entreprises membres de son réseau et en "
        "proposant au recteur la candidature de salariés, artisans, employeurs reconnus pour "
        "leur expertise dans le(s) secteur(s) de {{ secteurs }} susceptibles de la représenter "
        "auprès des acteurs du système éducatif. L'organisation professionnelle s'assure que les "
        "employeurs sont informés de l'étendue et de la durée des missions susceptibles d'être "
        "confiées à leurs salariés."
    )
    d.add_paragraph(
        "Suite aux propositions transmises par l'organisation professionnelle, le recteur "
        "d'académie établira une lettre de mission à l'attention de chaque conseiller "
        "entreprises pour l'école désigné, précisant la nature, le champ géographique, la durée "
        "de sa ou ses missions ainsi que les coordonnées de son référent au sein de l'académie."
    )
    d.add_heading("Article 4 – Exercice des missions des conseillers entreprises pour l'école", 2)
    d.add_paragraph(
        "L'organisation professionnelle {{ organisation_nom }} et l'académie s'engagent à "
        "faciliter l'action des conseillers entreprises pour l'école désignés dans le cadre de "
        "la présente convention. Pour ce faire, les signataires prévoient : {{ modalites }}"
    )
    d.add_heading("Article 5 : Information et communication", level=2)
    d.add_paragraph(
        "La liste nominative des conseillers entreprises pour l'école fixée chaque année par "
        "arrêté du recteur est communiquée à l'organisation professionnelle signataire de la "
        "présente convention."
    )
    d.add_heading("Article 6 - Pilotage de la convention", level=2)
    d.add_paragraph(
        "Il est constitué un comité de pilotage chargé de suivre et d'évaluer la mise en œuvre "
        "de la convention dans le cadre d'une démarche d'amélioration continue. Ce comité de "
        "pilotage est composé de : {{ comite_composition }}. Il se réunit a minima une fois par "
        "an à l'initiative de {{ comite_initiative }}. Un compte-rendu des réunions est rédigé "
        "par {{ compte_rendu_redacteur }} et adressé à l'ensemble des membres du comité de "
        "pilotage."
    )
    d.add_heading("Article 7 - Durée de la convention", level=2)
    d.add_paragraph(
        "La présente convention prend effet à compter de sa date de signature. Conformément à "
        "l'article D. 331-66 du code de l'éducation, elle est conclue pour une durée de trois "
        "ans. Au cours de sa période de validité, la convention peut être modifiée par avenant "
        "à la demande de l'une ou l'autre des parties."
    )
    d.add_heading("Article 8 : Litiges et résiliation", level=2)
    d.add_paragraph(
        "En cas de litige relatif à l'interprétation ou la mise en œuvre de la présente "
        "convention, les parties s'engagent à organiser une procédure de conciliation qui peut "
        "être engagée notamment par la réunion d'un comité de pilotage exceptionnel, à "
        "l'initiative de l'une ou l'autre des parties. La présente convention peut être dénoncée "
        "par l'une ou l'autre des parties : la résiliation prendra effet à l'expiration d'un "
        "délai minimal de six mois à compter de la réception de la notification écrite de la "
        "partie souhaitant mettre un terme à la convention."
    )
    d.add_paragraph("Fait le {{ fait_le }}")
    table = d.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "{{ recteur_qualite }}"
    table.rows[0].cells[1].text = "Le président de {{ organisation_nom }}"
    d.save(str(HERE / "convention_cee.docx"))


if __name__ == "__main__":
    convention()
    convention_cee()
    print("Modèles écrits dans", HERE)
