"""Pages of the catalogue: search near a school, request and answer, exports, query counts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from relais.actions.enums import RequestState
from relais.actions.models import ActionRecord, ActionRequest
from tests.actions.factories import ActionRecordFactory, ActionRequestFactory, OfferFactory
from tests.factories import EstablishmentFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_teacher_searches_near_the_school_requests_and_partner_answers(world, client_for):
    world.school.latitude, world.school.longitude = 43.6108, 3.8767
    world.school.save()
    OfferFactory(academie=world.home, organisation=world.company, title="Loin",
                 latitude=43.8367, longitude=4.3601)  # fmt: skip
    near = OfferFactory(academie=world.home, organisation=world.company, title="Près",
                        latitude=43.4028, longitude=3.6966)  # fmt: skip
    teacher = client_for(world.users["teacher"])
    page = teacher.get("/actions/").content.decode()
    assert f'value="{world.school.uai}"' in page  # « near my school » prefilled
    page = teacher.get("/actions/", {"etablissement": world.school.uai}).content.decode()
    assert page.index("Près") < page.index("Loin") and "27,3 km" in page
    page = teacher.get("/actions/", {"etablissement": world.school.uai, "distance": 30})
    assert "Loin" not in page.content.decode()
    bad = teacher.get("/actions/", {"etablissement": "0000000X"})
    assert bad.status_code == 200
    response = teacher.post(
        f"/actions/offres/{near.pk}/demander/",
        {"establishment": world.school.pk, "contact_name": "J. Moreau",
         "contact_email": "j@ac.fr", "classes": "3e B", "pupil_count": "0"},
    )  # fmt: skip
    assert response.status_code == 400 and "supérieure ou égale à 1" in response.content.decode()
    response = teacher.post(
        f"/actions/offres/{near.pk}/demander/",
        {"establishment": world.school.pk, "contact_name": "J. Moreau",
         "contact_email": "j@ac.fr", "classes": "3e B", "pupil_count": "26"},
    )  # fmt: skip
    request = ActionRequest.objects.get()
    assert response["Location"] == request.get_absolute_url()
    page = teacher.get(request.get_absolute_url()).content.decode()
    assert "/annuler/" in page and "/accepter/" not in page and "/realiser/" not in page
    partner = client_for(world.users["organisation_rep"])
    page = partner.get(request.get_absolute_url()).content.decode()
    assert "/accepter/" in page and "/refuser/" in page and "/annuler/" not in page
    assert "la raison du refus, obligatoire" in page
    response = partner.post(
        f"/actions/demandes/{request.pk}/refuser/", {"message": ""}, follow=True
    )
    assert "raison du refus" in response.content.decode()
    partner.post(f"/actions/demandes/{request.pk}/accepter/", {"message": "Venez le 12"})
    page = partner.get(request.get_absolute_url()).content.decode()
    assert "/annuler/" in page and "/realiser/" in page and "/accepter/" not in page
    teacher.post(f"/actions/demandes/{request.pk}/realiser/",
                 {"done_on": timezone.localdate().isoformat(), "pupil_count": "25"})  # fmt: skip
    request.refresh_from_db()
    assert request.state == RequestState.DONE
    record = ActionRecord.objects.get()
    assert record.pupil_count == 25
    journal = teacher.get(request.get_absolute_url()).content.decode()
    assert "Venez le 12" in journal and "Déclarer réalisée → Réalisée" in journal
    assert world.users["organisation_rep"].get_full_name() in journal
    assert "<form" not in journal.split("Journal de la demande")[0].split("</dl>")[1]


def test_manager_publishes_closes_and_reads_the_offers_journal(world, client_for):
    offer = OfferFactory(academie=world.home, organisation=world.company, state="brouillon",
                         published_at=None)  # fmt: skip
    partner = client_for(world.users["organisation_rep"])
    page = partner.get(offer.get_absolute_url()).content.decode()
    assert "/publier/" in page and "/clore/" not in page
    response = partner.post(f"/actions/offres/{offer.pk}/publier/", follow=True)
    page = response.content.decode()
    assert "offre est publiée." in page and "/clore/" in page and "/publier/" not in page
    assert "Publier → Publiée" in page and "fr-badge--success" in page
    page = partner.post(f"/actions/offres/{offer.pk}/clore/", follow=True).content.decode()
    assert "offre est close." in page and "Clore → Close" in page
    teacher = client_for(world.users["teacher"])
    assert teacher.get(offer.get_absolute_url()).status_code == 404  # closed: out of the catalogue
    assert partner.post(f"/actions/offres/{offer.pk}/archiver/").status_code == 404


def test_a_past_offer_says_why_it_is_not_published(world, client_for):
    offer = OfferFactory(academie=world.home, organisation=world.company, state="close",
                         ends_on=timezone.localdate() - timedelta(days=3))  # fmt: skip
    page = client_for(world.users["academie_team"]).get(offer.get_absolute_url()).content.decode()
    assert "/publier/" not in page
    assert (
        "Publier : Cette offre est passée : changez ses dates avant de la publier."
        in page.replace("&#x27;", "'")
    )


def test_a_full_offer_says_why_the_request_is_not_accepted(world, client_for):
    offer = OfferFactory(academie=world.home, organisation=world.company, capacity=1)
    ActionRequestFactory(offer=offer, state=RequestState.ACCEPTED, answered_at=timezone.now())
    waiting = ActionRequestFactory(offer=offer, establishment=world.school)
    page = client_for(world.users["organisation_rep"]).get(waiting.get_absolute_url())
    page = page.content.decode()
    assert "/accepter/" not in page and "/refuser/" in page and "Capacité atteinte" in page


def test_offer_form_errors_in_french(world, client_for):
    client = client_for(world.users["organisation_rep"])
    response = client.post(
        "/actions/offres/nouvelle/",
        {"organisation": world.company.pk, "kind": "visite", "title": "Visite",
         "academie": world.home.pk, "radius_km": "15", "capacity": "2",
         "contact_email": "pas-un-courriel"},
    )  # fmt: skip
    text = response.content.decode()
    assert response.status_code == 400 and "Saisissez une adresse e-mail valide" in text
    assert 'value="Visite"' in text
    response = client.post(
        "/actions/offres/nouvelle/",
        {"organisation": world.company.pk, "kind": "visite", "title": "Visite",
         "academie": world.home.pk, "radius_km": "15", "capacity": "2",
         "contact_email": "a@b.fr"},
    )  # fmt: skip
    assert (
        response.status_code == 400 and "Un rayon d&#x27;intervention" in response.content.decode()
    )


def test_record_form_and_export(world, client_for):
    client = client_for(world.users["head_of_school"])
    response = client.post("/actions/realisees/nouvelle/", {"establishment": world.school.uai,
                           "kind": "forum", "title": "Forum", "done_on": "2025-11-20"})  # fmt: skip
    assert response.status_code == 400
    assert "Indiquez le partenaire" in response.content.decode()
    response = client.post("/actions/realisees/nouvelle/", {
        "establishment": world.school.uai, "kind": "forum", "title": "Forum",
        "done_on": "2025-11-20", "partner_label": "CCI", "pupil_count": "90"})  # fmt: skip
    assert response.status_code == 302
    content = b"".join(
        client.get("/actions/realisees/export.csv?school_year=2025").streaming_content
    ).decode("utf-8-sig")
    assert "2025-2026" in content and "CCI" in content and world.school.uai in content


# --- query counts ---------------------------------------------------------------------------


def _more(world, number):
    for _ in range(number):
        school = EstablishmentFactory(academie=world.home, bassin=world.bassin)
        offer = OfferFactory(academie=world.home, bassin=world.bassin,
                             organisation=OrganisationFactory(academie=world.home),
                             latitude=43.7, longitude=3.9)  # fmt: skip
        ActionRequestFactory(offer=offer, establishment=school, state=RequestState.ACCEPTED,
                             answered_at=timezone.now())  # fmt: skip
        ActionRecordFactory(establishment=school, organisation=offer.organisation)


# Session, user, memberships, then the page's own queries.
PAGES = [
    ("/actions/?q=visite", 3 + 4),  # count + rows; académie choices (count + cursor)
    ("/actions/?etablissement={uai}&distance=50", 3 + 5),  # + the school by UAI
    ("/actions/demandes/", 3 + 2),
    ("/actions/realisees/?school_year=2025", 3 + 2),
]


@pytest.mark.parametrize("url, expected", PAGES)
@pytest.mark.parametrize("extra", [2, 20])
def test_action_lists_query_count(world, client_for, django_assert_num_queries, url, expected,
                                  extra):  # fmt: skip
    _more(world, extra)
    client = client_for(world.users["academie_team"])
    with django_assert_num_queries(expected):
        assert client.get(url.format(uai=world.school.uai)).status_code == 200


@pytest.mark.parametrize("extra", [2, 20])
def test_action_details_query_count(world, client_for, django_assert_num_queries, extra):
    offer = OfferFactory(academie=world.home, organisation=world.company)
    requests = [
        ActionRequestFactory(offer=offer, establishment=EstablishmentFactory(academie=world.home))
        for _ in range(extra)
    ]
    for request in requests[:2]:
        request.journal.create(transition="envoyer", to_state="envoyee", by=world.users["teacher"],
                               by_name="Julien Moreau")  # fmt: skip
    client = client_for(world.users["academie_team"])
    with django_assert_num_queries(3 + 3):  # the offer; its requests; its journal
        assert client.get(offer.get_absolute_url()).status_code == 200
    with django_assert_num_queries(3 + 3):  # the request; its journal; places taken (accepter)
        assert client.get(requests[0].get_absolute_url()).status_code == 200
