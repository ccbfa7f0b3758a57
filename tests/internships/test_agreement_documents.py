"""The convention de stage (issue 13): the national model of the stage d'observation de 3e,
in PDF and DOCX from the same sentences, to the State's standard, with the pupil's
confidentiality undertaking (issue 15 item 9)."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from relais.documents.rendering import DocumentError, docx_text, pdf_text
from relais.internships import services
from relais.internships.documents import agreement_docx, agreement_pdf
from relais.internships.services.confidentiality import placement_confidentiality_record
from tests.internships.factories import published_offer, referred_case


@pytest.fixture
def placement(world, hub):
    offer = published_offer(world.bassin, world.company, capacity=1, address="3 rue des Forges")
    case = referred_case(world.school, world.users["teacher"])
    proposal = services.proposal_send(
        user=world.users["hub_member"], case=case, slot=offer.slots.get()
    )
    services.proposal_accept(proposal=proposal, answered_by_name="Claire Dupuis")
    return services.proposal_confirm(user=world.users["head_of_school"], proposal=proposal)


def _words(text: str) -> list[str]:
    return text.replace("’", "'").split()


def _pdf_body(content: bytes) -> str:
    return "\n".join(line for line in pdf_text(content).splitlines() if " — page " not in line)


def test_pdf_and_docx_say_the_same_words_in_the_same_order(placement):
    pdf = _words(_pdf_body(agreement_pdf(placement).content))
    docx = _words(docx_text(agreement_docx(placement).content))
    assert pdf == docx, set(pdf) ^ set(docx)


def test_national_model_of_the_stage_d_observation(placement, world):
    text = " ".join(_pdf_body(agreement_pdf(placement).content).split())
    pupil = placement.case.pupil
    for expected in (
        "Convention relative à l'organisation d'une séquence d'observation en milieu professionnel",
        "circulaire n° 2003-134",
        world.school.name,
        world.company.name,
        f"{pupil.first_name} {pupil.last_name}",
        "du lundi 2 février 2026 au vendredi 6 février 2026",
        "Durée de présence : 7 heures par jour",
        "Horaires de la journée : 9 h – 12 h et 13 h 30 – 17 h 30.",
        "Activités prévues : Observation de l'atelier de fabrication",
        "Tutorat dans la structure d'accueil : Madame Claire Dupuis (responsable d'atelier",
        "Assurances du Midi, RC entreprise",
        "MAE, responsabilité civile scolaire, contrat n° MAE-2025-118",
        "D. 4153-15 à D. 4153-37",
        "Article 10 – Confidentialité",
        "Le secret professionnel s'impose à moi, en permanence",
        "Fait à ",
        "Pour l'établissement, le chef d'établissement",
        "Pour la structure d'accueil, son représentant",
        "Premier représentant légal de l'élève",
        "Second représentant légal de l'élève",
    ):
        assert expected in text, expected
    for placeholder in ("(e)", "(s)", "à préciser", "....", "Relais —"):
        assert placeholder not in text, placeholder


def test_state_standard_a4_bloc_marque_pdfa_and_signatures_kept_on_one_page(placement):
    content = agreement_pdf(placement).content
    reader = PdfReader(io.BytesIO(content))
    first = reader.pages[0]
    assert (round(float(first.mediabox.width)), round(float(first.mediabox.height))) == (595, 842)
    assert first.extract_text().startswith("RÉPUBLIQUE\nFRANÇAISE\nAcadémie de Maison")
    fonts = {
        str(f.get_object()["/BaseFont"]).split("+")[-1]
        for f in first["/Resources"]["/Font"].values()
    }
    assert "Marianne-Bold" in fonts  # « RÉPUBLIQUE FRANÇAISE » in the DSFR's font
    drawing = first.get_contents().get_data()
    assert b"0.882353 0 0.058824 rg" in drawing  # the red of the Marianne's field
    xmp = reader.xmp_metadata
    assert xmp is not None and b"pdfaid" in xmp.stream.get_data()
    # « Fait à … » and every signature block on the same page.
    [page] = [p for p in reader.pages if "Fait à" in (p.extract_text() or "")]
    for role in ("chef d'établissement", "son représentant", "L'élève", "Second représentant"):
        assert role in page.extract_text(), role
    document = Document(io.BytesIO(agreement_docx(placement).content))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert len(document.inline_shapes) == 2  # the Marianne and the motto
    [table] = document.tables
    assert len(table.rows) == 5
    assert all("cantSplit" in row._tr.trPr.xml for row in table.rows)


def test_missing_data_is_named_in_french_instead_of_printing_blanks(placement, client, world):
    offer = placement.offer
    offer.hours_per_day, offer.activities = None, ""
    offer.save(update_fields=["hours_per_day", "activities"])
    period = placement.case.period
    period.school_insurer = ""
    period.save(update_fields=["school_insurer"])
    with pytest.raises(DocumentError) as error:
        agreement_pdf(placement)
    message = str(error.value)
    assert "heures de présence par jour" in message and "activités prévues" in message
    assert "assureur de l'établissement" in message
    client.force_login(world.users["head_of_school"])
    url = reverse("internships:agreement_docx", args=[placement.proposal_id])
    response = client.get(url, follow=True)
    assert response.status_code == 200
    assert "Pour imprimer la convention de stage, complétez" in response.content.decode()


def test_more_than_seven_hours_a_day_is_refused_for_a_stage_de_3e(placement, world):
    with pytest.raises(ValidationError) as error:
        services.offer_update(
            user=world.users["hub_member"], offer=placement.offer, data={"hours_per_day": 8}
        )
    assert "7 heures" in str(error.value.message_dict["hours_per_day"])
    with pytest.raises(ValidationError, match="entre 1 et 8"):
        services.offer_update(
            user=world.users["hub_member"], offer=placement.offer, data={"hours_per_day": 12}
        )


def test_the_school_records_the_confidentiality_undertaking_once(placement, world):
    with pytest.raises(PermissionDenied):
        placement_confidentiality_record(user=world.users["hub_member"], placement=placement)
    recorded = placement_confidentiality_record(user=world.users["teacher"], placement=placement)
    assert recorded.confidentiality_version == "2026-1"
    assert recorded.confidentiality_recorded_by == world.users["teacher"]
    with pytest.raises(ValidationError, match="déjà enregistré"):
        placement_confidentiality_record(user=world.users["head_of_school"], placement=placement)
    text = " ".join(pdf_text(agreement_pdf(recorded).content).split())
    assert "Engagement de confidentialité (version 2026-1) pris par l'élève et ses " in text


def test_confidentiality_page_action(placement, client, world):
    url = reverse("internships:confidentiality_record", args=[placement.proposal_id])
    client.force_login(world.users["head_of_school"])
    case_url = placement.case.get_absolute_url()
    page = client.get(case_url).content.decode()
    assert "Enregistrer l'engagement de confidentialité signé" in page
    response = client.post(url, follow=True)
    assert "engagement de confidentialité de l'élève est enregistré" in response.content.decode()
    page = client.get(case_url).content.decode()
    assert "Engagement de confidentialité (version 2026-1) enregistré le" in page
    response = client.post(url, follow=True)
    assert response.status_code == 200 and "déjà enregistré" in response.content.decode()


def test_the_offer_page_shows_what_the_convention_states(placement, client, world):
    client.force_login(world.users["hub_member"])
    page = client.get(placement.offer.get_absolute_url()).content.decode()
    assert "Madame Claire Dupuis, responsable d&#x27;atelier" in page
    assert "7 h par jour (9 h – 12 h et 13 h 30 – 17 h 30)" in page
    assert "Assurances du Midi, RC entreprise" in page
