"""The convention as DOCX and PDF: open the produced files and read their text; the model
CEE convention refuses to print blanks; an uploaded Word template replaces the shipped one."""

import io
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
    "Académie de Maison, représenté(e) par Mme la rectrice de l'académie, "
    "ci-après dénommé(e) « l'académie »",
    "Boulangerie du Lez",
    "Vu le code de l'éducation, notamment son article L. 111-1 ;",
    "Les parties souhaitent rapprocher l'école et l'entreprise.",
    "Article 1 – Axe 1",
    "Les partenaires développent les stages et le réseau n° 1.",
    "Les partenaires développent les stages et le réseau n° 2.",
    "La présente convention prend effet à compter de la date de la dernière signature. "
    "Elle est conclue pour 3 ans, renouvelable par tacite reconduction dans la limite de 2 "
    "reconduction(s). En cas de non-renouvellement, un préavis de 3 mois doit être respecté. "
    "Elle peut être dénoncée par l'une ou l'autre des parties : la résiliation prend effet à "
    "l'expiration d'un délai de 2 mois à compter de la réception de la notification écrite.",
    "À défaut, le litige est porté devant le tribunal administratif de Lille.",
    "Mme la rectrice, Rectrice",
    "10/01/2024 (papier)",
    "Président 1, Président",
    "15/01/2024 (papier)",
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
        data={"number": "2", "heading": "Axe 2", "body": "Rédaction nouvelle de l'axe 2."},
    )
    services.agreement_update(
        user=team, agreement=avenant, data={"clause_changes": {"termination_months": 4}}
    )
    sign_all(team, avenant, on=date(2025, 2, 3))
    for text in (docx_text(convention_docx(signed).content),
                 flat(pdf_text(convention_pdf(signed).content))):  # fmt: skip
        assert "Rédaction nouvelle de l'axe 2." in text
        assert "Les partenaires développent les stages et le réseau n° 2." not in text
        assert "délai de 4 mois" in text
    assert "version consolidée avec 1 avenant(s)" in flat(pdf_text(convention_pdf(signed).content))
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
    assert "Fait le \n" in unsigned + "\n" or unsigned.count("Fait le") == 1
    agreement = _sign(team, agreement, [date(2025, 9, 1), date(2025, 9, 8)])
    assert missing(agreement) == []

    docx = docx_text(convention_docx(agreement).content)
    pdf = flat(pdf_text(convention_pdf(agreement).content))
    for text in (docx, pdf):
        assert "mobiliser 12 conseillers entreprises pour l'école" in text
        assert CEE_FIELDS["domaines_intervention"] in text
        assert "secteur(s) de la métallurgie et la plasturgie" in text
        assert "l'organisation professionnelle Mouvement national" in text.replace(
            "L'organisation", "l'organisation"
        )
    assert "Fait le 08/09/2025" in docx
    assert "La rectrice de l'académie de Maison" in docx
    assert "ci-dénommée l'académie" in docx and "sis 56 avenue de Wagram, Paris" in docx
    assert "Le comité de pilotage est composé de : la DAET, deux chefs" in pdf
    assert "08/09/2025 (papier)" in pdf


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
