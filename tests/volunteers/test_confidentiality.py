"""The confidentiality undertaking of teachers in immersion and réserve volunteers (issue 15
item 9, CPME Île-de-France text, art. 3.2): taken with the application, recorded (who, when,
text version), printed in the immersion attestation and the volunteer's engagement."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from relais.core import confidentiality
from relais.documents.rendering import pdf_text
from relais.volunteers.documents import immersion_attestation_pdf, reservist_engagement_pdf
from relais.volunteers.services import immersions, reserve
from tests.factories import CommuneFactory
from tests.volunteers.factories import ImmersionApplicationFactory, ImmersionOfferFactory
from tests.volunteers.test_reserve import _data

pytestmark = pytest.mark.django_db


def _words(content: bytes) -> str:
    return " ".join(pdf_text(content).split())


def test_a_teacher_applies_only_with_the_undertaking_and_it_is_recorded(world):
    offer = ImmersionOfferFactory(academie=world.home, organisation=world.company)
    teacher = world.users["teacher"]
    with pytest.raises(ValidationError) as error:
        immersions.immersion_apply(
            user=teacher, offer=offer, motivation="Oui", confidentiality_accepted=False
        )
    assert "confidentiality_accepted" in error.value.message_dict
    application = immersions.immersion_apply(
        user=teacher, offer=offer, motivation="Oui", confidentiality_accepted=True
    )
    assert application.confidentiality_version == confidentiality.VERSION
    assert application.confidentiality_accepted_at is not None


def test_the_apply_page_shows_the_text_and_refuses_without_it(world, client):
    offer = ImmersionOfferFactory(academie=world.home, organisation=world.company)
    client.force_login(world.users["teacher"])
    url = reverse("volunteers:offer_apply", args=[offer.pk])
    page = client.get(url).content.decode()
    assert "secret professionnel" in page and "Je prends l&#x27;engagement" in page
    response = client.post(url, {"motivation": "Découvrir"})
    assert response.status_code == 400
    assert "confidentiality_accepted" in response.context["form"].errors
    response = client.post(url, {"motivation": "Découvrir", "confidentiality_accepted": "on"})
    assert response.status_code == 302


def test_a_volunteer_signs_up_only_with_the_undertaking(world):
    commune = CommuneFactory(departement__academie=world.home)
    with pytest.raises(ValidationError) as error:
        reserve.application_submit(data=_data(commune, confidentiality_accepted=False))
    assert "confidentiality_accepted" in error.value.message_dict
    application = reserve.application_submit(data=_data(commune))
    assert application.confidentiality_version == confidentiality.VERSION
    assert application.confidentiality_accepted_at == application.submitted_at


def test_the_attestation_and_the_engagement_print_it(world):
    now = timezone.now()
    application = ImmersionApplicationFactory(
        offer=ImmersionOfferFactory(academie=world.home, organisation=world.company),
        applicant=world.users["teacher"], establishment=world.school, state="validee",
        academie_approved_at=now, company_approved_at=now,
    )  # fmt: skip
    text = _words(immersion_attestation_pdf(application).content)
    assert text.startswith("RÉPUBLIQUE FRANÇAISE Académie de Maison")
    assert "Attestation d'immersion en entreprise" in text
    teacher = world.users["teacher"].get_full_name()
    assert f"Engagement de confidentialité (version 2026-1) pris par {teacher} le" in text
    assert "Le secret professionnel s'impose à moi" in text and "article 3.2" in text
    commune = CommuneFactory(departement__academie=world.home)
    volunteer = reserve.application_submit(data=_data(commune))
    text = _words(reservist_engagement_pdf(volunteer, charter_version="2015").content)
    assert "Charte (version 2015) acceptée le" in text
    assert "Engagement de confidentialité (version 2026-1) pris par Nadia Ferrand le" in text
