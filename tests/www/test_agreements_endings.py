"""The pages of issue 13: every way a convention ends (forms, dates, letters), the state
computed on read, « version au … », the clauses in words, the signatory's pages (signed
link, one-time code, consent) and their frozen query counts."""

import html
import re
from datetime import date

import pytest
from django.test import Client

from relais.agreements import services
from relais.agreements.enums import AgreementState, PartySide
from relais.core.models import Notification
from relais.documents.rendering import pdf_text
from tests.agreements.factories import draft_agreement, in_force_agreement, sign_all

BASE = "/conventions/"
LILLE = {
    "duration_months": 60,
    "tacit_renewal": True,
    "notice_months": 3,
    "termination_months": 3,
    "breach_months": 2,
    "breach_from_sending": True,
}


@pytest.fixture
def team(world):
    return world.users["academie_team"]


@pytest.fixture
def client(world, client_for, team):
    return client_for(team)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def body(response) -> str:
    return html.unescape(response.content.decode())


def flat(text: str) -> str:
    return " ".join(text.split())


def test_non_renewal_through_its_page_with_its_letter(world, client, team):
    agreement = in_force_agreement(
        team, world.home, fields=LILLE, partners=2, signed_on=date(2021, 3, 31)
    )
    page = body(client.get(f"{BASE}{agreement.pk}/"))
    assert "Enregistrer une non-reconduction" in page
    assert "<dd>cinq ans</dd>" in page and "<dd>trois mois</dd>" in page
    assert "deux mois après l'envoi de la mise en demeure" in page
    url = f"{BASE}{agreement.pk}/fin/non_reconduction/"
    form = body(client.get(url))
    assert "Non-reconduction notifiée le" in form and "Préavis prévu : trois mois" in form
    partner = agreement.parties.get(name="Partenaire 1")
    response = client.post(url, {"on": "2025-12-15", "reason": "", "party": partner.pk})
    assert response.status_code == 400 and "Ce champ est obligatoire" in body(response)
    response = client.post(
        url, {"on": "2025-12-15", "reason": "Réorganisation", "party": partner.pk}
    )
    assert response.status_code == 302
    page = body(client.get(response["Location"]))
    assert "la convention prend fin le 30/03/2026" in page
    assert "Terminée (non reconduite, fin le 30/03/2026)" in page
    letter = re.search(rf'href="({BASE}{agreement.pk}/lettres/\d+\.pdf)"', page).group(1)
    response = client.get(letter)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "ne pas reconduire" in flat(pdf_text(response.content))


def test_breach_asks_for_the_sending_date_where_the_text_counts_from_it(world, client, team):
    agreement = in_force_agreement(team, world.home, fields=LILLE, signed_on=date(2021, 3, 31))
    url = f"{BASE}{agreement.pk}/fin/resiliation_faute/"
    form = body(client.get(url))
    assert "Mise en demeure envoyée le" in form and "l'envoi de la lettre" in form
    response = client.post(url, {"on": "2026-11-30", "reason": "Engagements non tenus"})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.terminated_on == date(2027, 1, 30)
    # The ordinary termination of Lille counts from the receipt.
    other = in_force_agreement(team, world.home, fields=LILLE, signed_on=date(2021, 3, 31))
    assert "Dénonciation reçue le" in body(client.get(f"{BASE}{other.pk}/resilier/"))


def test_mutual_agreement_and_withdrawal_pages(world, client, team):
    agreement = in_force_agreement(
        team, world.home, fields=LILLE, partners=2, signed_on=date(2021, 3, 31)
    )
    leaving = agreement.parties.get(name="Partenaire 2")
    response = client.post(
        f"{BASE}{agreement.pk}/retrait/",
        {"party": leaving.pk, "on": "2026-09-01", "reason": "Cessation d'activité"},
    )
    assert response.status_code == 302
    page = body(client.get(f"{BASE}{agreement.pk}/"))
    assert "Parties retirées au" in page and "Partenaire 2 (partie jusqu'au 01/12/2026)" in page
    assert "Notification de retrait" in page
    before = body(client.get(f"{BASE}{agreement.pk}/", {"on": "2026-11-30"}))
    assert "Version au 30/11/2026" in before and "Parties retirées" not in before
    response = client.post(
        f"{BASE}{agreement.pk}/fin/commun_accord/",
        {"on": "2026-11-02", "ends_on": "2026-12-31", "reason": "Fusion des clubs"},
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert (agreement.state, agreement.terminated_on) == (
        AgreementState.TERMINATED,
        date(2026, 12, 31),
    )


def test_version_as_of_a_date_shows_the_parties_then(world, client, team):
    agreement = draft_agreement(
        team, world.home, fields={"duration_months": 60, "tacit_renewal": True}
    )
    rectorat = agreement.parties.get(side=PartySide.EDUCATION)
    services.party_save(user=team, agreement=agreement, party=rectorat,
                        data={"signs_adhesions": True})  # fmt: skip
    agreement = sign_all(team, agreement, on=date(2016, 3, 31))
    response = client.post(f"{BASE}{agreement.pk}/avenant/", {"title": "", "purpose": "adhesion"})
    avenant = agreement.avenants.get()
    assert response["Location"] == f"{BASE}{avenant.pk}/"
    joining = services.party_save(
        user=team, agreement=avenant, data={"name": "CPME Nord", "side": "economique"}
    )
    services.signatory_save(
        user=team, agreement=avenant, data={"party": joining, "full_name": "Le président"}
    )
    services.agreement_update(
        user=team, agreement=avenant, data={"effective_date": date(2019, 6, 15)}
    )
    sign_all(team, avenant, on=date(2019, 6, 10))
    today = body(client.get(f"{BASE}{agreement.pk}/"))
    assert "CPME Nord" in today
    before = body(client.get(f"{BASE}{agreement.pk}/", {"on": "2019-06-14"}))
    assert "Version au 14/06/2019" in before and "CPME Nord" not in before
    old = body(client.get(f"{BASE}{agreement.pk}/", {"on": "2016-01-01"}))
    assert "Pas encore signée" in old
    # A date out of range is ignored: today's version.
    assert (
        "Version au" not in body(client.get(f"{BASE}{agreement.pk}/", {"on": "9999-01-01"}))[:200]
    )


def test_signature_message_and_badge_before_the_effective_date(world, client, team):
    agreement = draft_agreement(team, world.home, fields={"effective_date": date(2027, 1, 1)})
    services.agreement_send_for_signature(user=team, agreement=agreement)
    first, last = agreement.signatories.all()
    services.agreement_record_signature(
        user=team, signatory=first, signed_on=date(2026, 11, 30), mode="papier"
    )
    response = client.post(
        f"{BASE}{agreement.pk}/signer/{last.pk}/", {"signed_on": "2026-12-01", "mode": "papier"}
    )
    page = body(client.get(response["Location"]))
    assert "la convention entrera en vigueur le 01/01/2027" in page
    assert "en vigueur depuis le 01/01/2027" not in page
    assert "Signée, pas encore en vigueur (en vigueur le 01/01/2027)" in page


def test_detail_query_count_with_a_reference_date(world, client, team, django_assert_num_queries):
    agreement = in_force_agreement(team, world.home, partners=3, fields=LILLE)
    client.get(f"{BASE}{agreement.pk}/")
    # Session, user, memberships; the convention with its rows; its avenants with theirs;
    # versions, journal, scans, declinations; the Word template: a reference date costs none.
    with django_assert_num_queries(15):
        client.get(f"{BASE}{agreement.pk}/")
    with django_assert_num_queries(15):
        client.get(f"{BASE}{agreement.pk}/", {"on": "2024-06-01"})


# --- the signatory's pages -----------------------------------------------------------------


def _electronic(team, agreement):
    for index, signatory in enumerate(agreement.signatories.all()):
        services.signatory_save(
            user=team, agreement=agreement, signatory=signatory,
            data={"email": f"s{index}@example.org", "signs_electronically": True},
        )  # fmt: skip


def _token(signatory):
    mail = Notification.objects.filter(key__startswith=f"signature:{signatory.pk}:v").latest("pk")
    return re.search(r"/conventions/signature/([^/\s]+)/", mail.body).group(1)


def test_a_signatory_signs_through_the_pages_without_an_account(world, team):
    agreement = draft_agreement(team, world.home)
    _electronic(team, agreement)
    services.agreement_send_for_signature(user=team, agreement=agreement)
    anonymous = Client()
    for signatory in agreement.signatories.all():
        url = f"{BASE}signature/{_token(signatory)}/"
        page = body(anonymous.get(url))
        assert f"Signature de la convention {agreement.number}" in page
        assert signatory.full_name in page and "Empreinte SHA-256" in page
        pdf = anonymous.get(f"{url}document.pdf")
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        response = anonymous.post(f"{url}code/")
        assert response.status_code == 302
        mail = Notification.objects.filter(key__startswith=f"signature:{signatory.pk}:code").get()
        code = re.search(r"(\d{6})", mail.subject).group(1)
        refused = anonymous.post(url, {"code": code})  # no consent
        assert refused.status_code == 400 and "consentir" in body(refused)
        response = anonymous.post(
            url,
            {"code": code, "consent": "on"},
            HTTP_USER_AGENT="Chromium",
            REMOTE_ADDR="192.0.2.4",
        )
        assert response.status_code == 302
        assert "Signature enregistrée" in body(anonymous.get(url))
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.IN_FORCE
    assert anonymous.get(f"{BASE}signature/nimportequoi/").status_code == 404


def test_signing_page_query_count(world, team, django_assert_num_queries):
    agreement = draft_agreement(team, world.home, partners=3)
    _electronic(team, agreement)
    services.agreement_send_for_signature(user=team, agreement=agreement)
    anonymous = Client()
    url = f"{BASE}signature/{_token(agreement.signatories.first())}/"
    anonymous.get(url)  # renders the frozen PDF once
    # The signatory with its convention and party; the version (the link's, then the
    # page's); the frozen document (the link's check, then the page's); the journal line.
    # Constant whatever the number of signatories.
    with django_assert_num_queries(6):
        anonymous.get(url)


def test_deadlines_look_beyond_one_year(world, client, team):
    """Issue 13: the Échéances page looked one year ahead at most."""
    agreement = in_force_agreement(
        team, world.home, fields={"duration_months": 36}, signed_on=date(2025, 12, 1)
    )
    response = client.get(f"{BASE}echeances/", {"days": 1826})
    assert response.status_code == 200
    assert {item.agreement.pk for item in response.context["items"]} == {agreement.pk}
    assert any(item.deadline.due_on.year == 2028 for item in response.context["items"])
    listed = client.get(BASE, {"ends_within": "1095"})
    assert agreement in list(listed.context["page_obj"])
