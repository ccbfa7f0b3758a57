"""The convention as DOCX and PDF: open the produced files and read their text; the model
CEE convention refuses to print blanks; an uploaded Word template replaces the shipped one."""

import io
import re
from datetime import date

import pytest
from django.core.files.base import ContentFile
from docx import Document

from relais.agreements import services
from relais.agreements.documents import convention_docx, convention_pdf, missing
from relais.agreements.enums import AgreementKind, CommitmentCategory, PartySide, SignatureMode
from relais.documents.models import DocumentTemplate
from relais.documents.rendering import DocumentError, docx_text, pdf_text
from tests.agreements.factories import draft_agreement, sign_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(world):
    return world.users["academie_team"]


def flat(text: str) -> str:
    """Whitespace collapsed: a PDF breaks its lines where the page does (also after the
    hyphen of a compound word, « école-entreprise »)."""
    return " ".join(text.replace("-\n", "-").split())


def _sign(team, agreement, dates):
    services.agreement_send_for_signature(user=team, agreement=agreement)
    for signatory, day in zip(agreement.signatories.order_by("order"), dates, strict=True):
        services.agreement_record_signature(
            user=team, signatory=signatory, signed_on=day, mode=SignatureMode.PAPER
        )
    agreement.refresh_from_db()
    return agreement


@pytest.fixture
def signed(world, team):
    """A Lille-like convention: tacit renewal, 2 months' termination, two signatures."""
    agreement = draft_agreement(
        team,
        world.home,
        title="Convention de partenariat Clubster école-entreprise",
        partner=world.company,
        fields={
            "duration_months": 36,
            "tacit_renewal": True,
            "max_renewals": 2,
            "notice_months": 3,
            "termination_months": 2,
            "legal_basis": "Vu le code de l'éducation, notamment son article L. 111-1 ;",
            "preamble": "Les parties souhaitent rapprocher l'école et l'entreprise.",
            "competent_court": "tribunal administratif de Lille",
        },
    )
    services.party_save(
        user=team,
        agreement=agreement,
        party=agreement.parties.get(side=PartySide.EDUCATION),
        data={"represented_by": "Mme la rectrice de l'académie", "short_name": "l'académie"},
    )
    return _sign(team, agreement, [date(2024, 1, 10), date(2024, 1, 15)])


EXPECTED = [
    "Convention de partenariat Clubster école-entreprise",
    "Académie de Maison (ci-après « l'académie »), représentant légal : Mme la rectrice de "
    "l'académie ;",
    "Boulangerie du Lez",
    "Vu le code de l'éducation, notamment son article L. 111-1 ;",
    "Les parties souhaitent rapprocher l'école et l'entreprise.",
    "Article 1 – Axe 1",
    "Les partenaires développent les stages et le réseau n° 1.",
    "Les partenaires développent les stages et le réseau n° 2.",
    "La présente convention prend effet à compter de la date de la dernière signature. "
    "Elle est conclue pour une durée de trois ans, renouvelable par tacite reconduction dans "
    "la limite de deux reconductions. En cas de non-renouvellement, un préavis de trois mois "
    "doit être respecté. Elle peut être dénoncée par l'une ou l'autre des parties : la "
    "résiliation prend effet à l'expiration d'un délai de deux mois à compter de la réception "
    "de la notification écrite.",
    "À défaut, le litige est porté devant le tribunal administratif de Lille.",
    "Fait à …………………, le 15/01/2024",
    "Mme la rectrice, Rectrice",
    "Signé le 10/01/2024 (papier)",
    "Président 1, Président",
    "Signé le 15/01/2024 (papier)",
]


def test_docx_of_a_signed_convention(signed):
    rendered = convention_docx(signed)
    assert rendered.filename == f"{signed.number}.docx"
    text = docx_text(rendered.content)
    assert "CONVENTION-CADRE DE PARTENARIAT" in text
    assert f"N° {signed.number} — version 1" in text
    for expected in EXPECTED:
        assert expected in text, expected
    assert "{{" not in text and "{%" not in text


def test_pdf_of_a_signed_convention(signed):
    rendered = convention_pdf(signed)
    assert rendered.content.startswith(b"%PDF-") and rendered.mimetype == "application/pdf"
    text = flat(pdf_text(rendered.content))
    for expected in EXPECTED:
        assert flat(expected) in text, expected
    assert f"{signed.number} (version 1) — page 1 sur" in text


def test_documents_show_the_consolidated_convention(signed, team):
    avenant = services.avenant_create(user=team, agreement=signed, title="")
    services.article_save(
        user=team,
        agreement=avenant,
        data={
            "number": "2",
            "heading": "Axe 2",
            "body": "Rédaction nouvelle de l'axe 2.",
            "operation": "remplace",
        },  # fmt: skip
    )
    services.agreement_update(
        user=team, agreement=avenant, data={"clause_changes": {"termination_months": 4}}
    )
    sign_all(team, avenant, on=date(2025, 2, 3))
    for text in (docx_text(convention_docx(signed).content),
                 flat(pdf_text(convention_pdf(signed).content))):  # fmt: skip
        assert "Rédaction nouvelle de l'axe 2." in text
        assert "Les partenaires développent les stages et le réseau n° 2." not in text
        assert "délai de quatre mois" in text
    assert "Version consolidée avec 1 avenant" in flat(pdf_text(convention_pdf(signed).content))
    # The avenant's own document says what it amends.
    assert f"Avenant à la convention {signed}." in docx_text(convention_docx(avenant).content)


CEE_FIELDS = {
    "domaines_intervention": "la découverte des métiers de l'industrie et les stages de seconde",
    "secteurs": "la métallurgie et la plasturgie",
    "modalites": "une réunion de rentrée et un point trimestriel avec le référent",
    "comite_composition": "la DAET, deux chefs d'établissement et l'UIMM",
    "comite_initiative": "la rectrice",
    "compte_rendu_redacteur": "la DAET",
    "recteur_qualite": "La rectrice de l'académie de Maison",
}


def test_cee_convention_lists_its_missing_fields_then_prints_once_completed(world, team):
    agreement = draft_agreement(
        team, world.home, title="CEE UIMM", kind=AgreementKind.CEE, partner=world.national
    )
    labels = [label for _, label in missing(agreement)]
    assert "Article 2 — domaines d'intervention convenus" in labels
    assert "Article 1 — nombre de conseillers entreprises (engagement « CEE »)" in labels
    assert "Partie Éducation nationale — adresse" in labels
    for generate in (convention_docx, convention_pdf):
        with pytest.raises(DocumentError) as refused:
            generate(agreement)
        assert "Champs à compléter avant de générer le document" in str(refused.value)
        assert "Article 2 — domaines d'intervention convenus" in str(refused.value)
        assert "domaines_intervention" not in str(refused.value)

    agreement = services.agreement_update(
        user=team, agreement=agreement, data={"template_fields": CEE_FIELDS}
    )
    education, economic = agreement.parties.order_by("order")
    services.party_save(
        user=team,
        agreement=agreement,
        party=education,
        data={"short_name": "l'académie", "address": "31 rue de l'Université, Montpellier",
              "represented_by": "Mme la rectrice"},
    )  # fmt: skip
    services.party_save(
        user=team,
        agreement=agreement,
        party=economic,
        data={"short_name": "l'UIMM", "address": "56 avenue de Wagram, Paris",
              "represented_by": "M. le président"},
    )  # fmt: skip
    services.commitment_save(
        user=team,
        agreement=agreement,
        data={"party": economic, "category": CommitmentCategory.CEE, "quantity": 12,
              "unit": "conseillers", "description": "Proposer des conseillers entreprises"},
    )  # fmt: skip
    # Nothing is left: « Fait le » stays blank on the copy printed for signature, then
    # comes from the last signature.
    assert missing(agreement) == []
    unsigned = docx_text(convention_docx(agreement).content)
    assert "Fait à …………………, le …………………" in unsigned  # to fill in by hand
    agreement = _sign(team, agreement, [date(2025, 9, 1), date(2025, 9, 8)])
    assert missing(agreement) == []

    docx = docx_text(convention_docx(agreement).content)
    pdf = flat(pdf_text(convention_pdf(agreement).content))
    for text in (docx, pdf):
        text = text.replace("’", "'")
        assert "mobiliser 12 conseillers entreprises pour l'école" in text
        assert CEE_FIELDS["domaines_intervention"] in text
        assert "secteur(s) de la métallurgie et la plasturgie" in text
        assert "l'organisation professionnelle Mouvement national" in text.replace(
            "L'organisation", "l'organisation"
        )
    assert "Fait à …………………, le 08/09/2025" in docx
    assert "La rectrice de l'académie de Maison" in docx
    assert "ci-dénommée l'académie" in docx and "sis 56 avenue de Wagram, Paris" in docx
    assert "Ce comité de pilotage est composé de : la DAET, deux chefs" in pdf
    assert "Signé le 08/09/2025 (papier)" in pdf


def test_an_uploaded_word_template_replaces_the_shipped_one(signed, team, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    shipped = docx_text(convention_docx(signed).content)
    assert "Entre les soussignés :" in shipped
    document = Document()
    document.add_paragraph("MODÈLE DE L'ACADÉMIE — {{ title }}")
    document.add_paragraph("Numéro {{ number }} ; {{ duration_text }}")
    buffer = io.BytesIO()
    document.save(buffer)
    template = DocumentTemplate(kind="convention", updated_by=team)
    template.file.save("convention.docx", ContentFile(buffer.getvalue()), save=True)

    text = docx_text(convention_docx(signed).content)
    assert f"MODÈLE DE L'ACADÉMIE — {signed.title}" in text
    assert f"Numéro {signed.number} ; La présente convention prend effet" in text
    assert "Entre les soussignés :" not in text
    # Fields missing from the uploaded template are asked for by their own name.
    document.add_paragraph("Référence interne : {{ reference_interne }}")
    buffer = io.BytesIO()
    document.save(buffer)
    template.file.save("convention.docx", ContentFile(buffer.getvalue()), save=True)
    with pytest.raises(DocumentError, match="reference_interne"):
        convention_docx(signed)


# --- to the State's standard (issue 13) --------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.replace("’", "'").replace("-\n", "-").split()


def _pdf_body(content: bytes) -> str:
    """The PDF's text without its page footers (« N° … — page 1 sur 2 »)."""
    lines = pdf_text(content).splitlines()
    return "\n".join(line for line in lines if " — page " not in line)


def test_pdf_and_docx_say_the_same_text(signed, team, world):
    """Both are built from the same sentences: word for word the same, in the same order."""
    avenant = services.avenant_create(user=team, agreement=signed, title="")
    services.article_save(
        user=team, agreement=avenant,
        data={"number": "3", "heading": "Axe 3", "body": "Ajout.", "operation": "ajoute"},
    )  # fmt: skip
    sign_all(team, avenant, on=date(2025, 2, 3))
    for agreement in (signed, avenant):
        docx = _words(docx_text(convention_docx(agreement).content))
        pdf = _words(_pdf_body(convention_pdf(agreement).content))
        assert docx == pdf, set(docx) ^ set(pdf)


def test_state_standard_a4_bloc_marque_signature_blocks_and_no_gender_placeholder(signed, team):
    services_civility = signed.signatories.get(full_name="Mme la rectrice")
    services_civility.civility = "Madame"
    services_civility.save(update_fields=["civility"])
    signed.signature_place = "Montpellier"
    signed.save(update_fields=["signature_place"])
    content = convention_docx(signed).content
    document = Document(io.BytesIO(content))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    text = docx_text(content)
    # The bloc-marque: the DSFR's Marianne and motto (images), « RÉPUBLIQUE FRANÇAISE ».
    assert text.split()[:3] == ["RÉPUBLIQUE", "FRANÇAISE", "Académie"]
    assert len(document.inline_shapes) == 2
    assert "Fait à Montpellier, le 15/01/2024" in text
    assert "Madame Mme la rectrice, Rectrice" in text  # civility from the signatory
    assert "(e)" not in text and "(s)" not in text
    # One block per signatory, whose rows never split across pages.
    [table] = document.tables
    assert len(table.rows) == 2
    assert all(row._tr.trPr is not None and "cantSplit" in row._tr.trPr.xml for row in table.rows)
    pdf = pdf_text(convention_pdf(signed).content)
    assert pdf.startswith("RÉPUBLIQUE\nFRANÇAISE\nAcadémie de Maison")
    from pypdf import PdfReader

    box = PdfReader(io.BytesIO(convention_pdf(signed).content)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    # PDF/A-3b for archiving: its identification in the XMP metadata.
    xmp = PdfReader(io.BytesIO(convention_pdf(signed).content)).xmp_metadata
    assert xmp is not None and b"pdfaid" in xmp.stream.get_data()


def _model_fixed_sentences() -> list[str]:
    """The sentences of the ministry's CEE model without any blank to complete."""
    from pathlib import Path

    from django.conf import settings

    model = (
        Path(settings.BASE_DIR)
        / "data/seeds/modele-convention-conseillers-entreprises-pour-l-ecole.txt"
    ).read_text(encoding="utf-8")
    body = " ".join(model.split())  # the model's no-break spaces too
    body = body.split("Convention relative aux conseillers entreprises pour l’école", 1)[1]
    body = body.split("Fait le", 1)[0]
    # The examples of article 2 are replaced by the domains agreed (``domaines_intervention``).
    before, after = re.split(r"\[à compléter : indiquer", body, maxsplit=1)
    body = before + "Article 3" + after.split("Article 3", 1)[1]
    text = body.replace(". .", ".")
    sentences = re.split(r"(?<=[.;:])\s+", text)
    return [s for s in sentences if s and "[" not in s and "]" not in s]


def test_cee_document_reproduces_the_model_word_for_word(world, team):
    agreement = draft_agreement(
        team, world.home, title="CEE UIMM", kind=AgreementKind.CEE, partner=world.national
    )
    agreement = services.agreement_update(
        user=team, agreement=agreement, data={"template_fields": CEE_FIELDS}
    )
    education, economic = agreement.parties.order_by("order")
    for party in (education, economic):
        services.party_save(
            user=team, agreement=agreement, party=party,
            data={"short_name": "x", "address": "1 rue", "represented_by": "y"},
        )  # fmt: skip
    services.commitment_save(
        user=team, agreement=agreement,
        data={"party": economic, "category": CommitmentCategory.CEE, "quantity": 12,
              "unit": "conseillers", "description": "Conseillers"},
    )  # fmt: skip
    docx = " ".join(docx_text(convention_docx(agreement).content).split())
    pdf = " ".join(_words(_pdf_body(convention_pdf(agreement).content)))
    sentences = _model_fixed_sentences()
    assert len(sentences) > 25
    for sentence in sentences:
        assert sentence in docx, sentence
        assert sentence.replace("’", "'") in pdf, sentence
    # The two preamble paragraphs and the two sentences of article 5 the issue found missing.
    for piece in (
        "Il contribue aux actions qui visent à rapprocher le système éducatif",
        "Il a vocation à faciliter la représentation de l’organisation professionnelle",
        "Les signataires conviennent conjointement des modalités de communication",
        "Ils se tiennent mutuellement informés des projets d’actions de valorisation",
    ):
        assert piece in docx
