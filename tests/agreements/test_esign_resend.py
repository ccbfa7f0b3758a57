"""« Renvoyer le lien de signature » (issue 13): the académie team sends a signatory who lost
their link a new one; the old link is revoked, journaled; page action and API."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from relais.agreements import services, signing
from relais.agreements.enums import SignatureEventKind
from relais.agreements.services import esign
from relais.core.models import Notification
from tests.agreements.factories import draft_agreement
from tests.agreements.test_esign import electronic, link_of
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def team(world):
    return world.users["academie_team"]


@pytest.fixture
def signatory(world, team):
    agreement = draft_agreement(team, world.home, partners=1)
    electronic(team, agreement)
    services.agreement_send_for_signature(user=team, agreement=agreement)
    return agreement.signatories.order_by("pk").first()


def test_a_new_link_revokes_the_old_one_and_is_journaled(signatory, team):
    old = link_of(signatory)
    assert signing.signatory_from_token(old)[0] == signatory
    esign.signature_resend(user=team, signatory=signatory)
    new = link_of(signatory)
    assert new != old
    with pytest.raises(signing.LinkError, match="nouveau lien .* révoqué"):
        signing.signatory_from_token(old)
    assert signing.signatory_from_token(new)[0] == signatory
    event = signatory.signature_events.get(kind=SignatureEventKind.RESENT)
    assert event.data["by"] == team.pk and event.data["generation"] == 1
    mail = Notification.objects.filter(key__startswith=f"signature:{signatory.pk}:").latest("pk")
    assert "Nouveau lien" in mail.subject and mail.recipients == [signatory.email]


def test_who_may_resend_and_when(signatory, world, team):
    with pytest.raises(PermissionDenied):
        esign.signature_resend(user=world.users["organisation_rep"], signatory=signatory)
    services.agreement_record_signature(
        user=team, signatory=signatory, signed_on=date(2025, 1, 6), mode="papier"
    )
    with pytest.raises(ValidationError, match="déjà signé"):
        esign.signature_resend(user=team, signatory=signatory)
    paper = signatory.agreement.signatories.exclude(pk=signatory.pk).first()
    paper.signs_electronically = False
    paper.save(update_fields=["signs_electronically"])
    with pytest.raises(ValidationError, match="signe sur papier"):
        esign.signature_resend(user=team, signatory=paper)


def test_page_action(signatory, client, team):
    agreement = signatory.agreement
    client.force_login(team)
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert "Renvoyer le lien de signature" in page
    url = reverse("agreements:resend_link", args=[agreement.pk, signatory.pk])
    response = client.post(url, follow=True)
    assert "Un nouveau lien de signature est envoyé à" in response.content.decode()
    signatory.refresh_from_db()
    assert signatory.link_generation == 1


def test_api_endpoint(signatory, client, world, team):
    agreement = signatory.agreement
    url = f"/api/v1/conventions/{agreement.pk}/resend-signing-link/"
    client.force_login(world.users["teacher"])
    assert client.post(
        url, {"signatory": signatory.pk}, content_type="application/json"
    ).status_code in (403, 404)
    client.force_login(team)
    response = client.post(url, {"signatory": 999999}, content_type="application/json")
    assert response.status_code == 400 and "signatory" in response.json()
    response = client.post(url, {"signatory": signatory.pk}, content_type="application/json")
    assert response.status_code == 200, response.content
    signatory.refresh_from_db()
    assert signatory.link_generation == 1
    assert signatory.signature_events.filter(kind=SignatureEventKind.RESENT).count() == 1


@pytest.mark.parametrize("role", ROLES)
def test_api_answer_per_role(signatory, client, world, role):
    """Only those who manage the convention resend a link (the académie team of its
    territory, the national administration); the others never reach it."""
    url = f"/api/v1/conventions/{signatory.agreement_id}/resend-signing-link/"
    if role != "anonymous":
        client.force_login(world.users[role])
    response = client.post(url, {"signatory": signatory.pk}, content_type="application/json")
    if role in ("academie_team", "national_admin"):
        assert response.status_code == 200
    else:
        assert response.status_code in (401, 403, 404), (role, response.status_code)
    signatory.refresh_from_db()
    assert signatory.link_generation == (1 if response.status_code == 200 else 0)
