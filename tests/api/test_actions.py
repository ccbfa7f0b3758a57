"""API of the catalogue: offers near a school, requests and their transitions."""

import pytest
from django.utils import timezone

from relais.actions.enums import OfferState, RequestState
from tests.actions.factories import ActionRequestFactory, OfferFactory
from tests.factories import EstablishmentFactory, OrganisationFactory

from .conftest import results, token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def cat(world):
    w = world
    w.school_a1.latitude, w.school_a1.longitude = 43.6108, 3.8767
    w.school_a1.save()
    w.near = OfferFactory(academie=w.academie_a, organisation=w.professional_a, title="Près",
                          latitude=43.4028, longitude=3.6966, capacity=1)  # fmt: skip
    w.far = OfferFactory(academie=w.academie_a, organisation=w.company_a, title="Loin",
                         latitude=43.8367, longitude=4.3601)  # fmt: skip
    w.draft = OfferFactory(academie=w.academie_a, organisation=w.professional_a, title="Brouillon",
                           state=OfferState.DRAFT, published_at=None)  # fmt: skip
    w.offer_b = OfferFactory(academie=w.academie_b, title="Bêta")
    return w


def test_catalogue_scoped_and_near_a_school(cat, client_for):
    teacher = client_for("teacher")
    assert {o["title"] for o in results(teacher.get("/api/v1/actions/offres/"))} == {"Près", "Loin"}
    rep = client_for("organisation_rep")
    assert "Brouillon" in {o["title"] for o in results(rep.get("/api/v1/actions/offres/"))}
    near = results(teacher.get("/api/v1/actions/offres/", {"etablissement": cat.school_a1.uai}))
    assert [o["title"] for o in near] == ["Près", "Loin"]
    assert 25 < near[0]["distance_km"] < 30
    capped = teacher.get("/api/v1/actions/offres/",
                         {"etablissement": cat.school_a1.uai, "distance": "30"})  # fmt: skip
    assert [o["title"] for o in results(capped)] == ["Près"]
    bad = teacher.get("/api/v1/actions/offres/", {"etablissement": cat.school_b.uai})
    assert bad.status_code == 400 and "Établissement inconnu" in bad.json()["etablissement"][0]
    assert teacher.get(f"/api/v1/actions/offres/{cat.offer_b.pk}/").status_code == 404
    assert teacher.get(f"/api/v1/actions/offres/{cat.draft.pk}/").status_code == 404


def test_offer_create_and_publish(cat, client_for):
    rep = client_for("organisation_rep")
    payload = {"organisation": cat.professional_a.pk, "kind": "temoignage",
               "title": "Témoignage d'un chef de chantier", "academie": "A10",
               "capacity": 4, "contact_email": "btp@ex.fr", "levels": ["3e", "2de"]}  # fmt: skip
    response = rep.post("/api/v1/actions/offres/", payload, format="json")
    assert response.status_code == 201, response.content
    offer = response.json()
    assert offer["state"] == "brouillon" and offer["levels"] == ["3e", "2de"]
    assert offer["available_transitions"] == ["publier"]
    published = rep.post(f"/api/v1/actions/offres/{offer['id']}/publier/")
    assert published.status_code == 200 and published.json()["state"] == "publiee"
    assert published.json()["available_transitions"] == ["clore"]
    again = rep.post(f"/api/v1/actions/offres/{offer['id']}/publier/")
    assert again.status_code == 400
    assert "dans l'état « Publiée »" in again.json()["non_field_errors"][0]
    teacher = client_for("teacher")
    assert (
        teacher.get(f"/api/v1/actions/offres/{offer['id']}/").json()["available_transitions"] == []
    )
    assert teacher.post(f"/api/v1/actions/offres/{offer['id']}/clore/").status_code == 403
    closed = rep.post(f"/api/v1/actions/offres/{offer['id']}/clore/")
    assert closed.status_code == 200 and closed.json()["state"] == "close"
    assert closed.json()["available_transitions"] == ["publier"]
    response = rep.post("/api/v1/actions/offres/", {**payload, "radius_km": 10}, format="json")
    assert response.status_code == 400 and "rayon" in response.json()["commune"][0]
    # A partner the representative does not act for is not even visible to them: 400.
    response = rep.post("/api/v1/actions/offres/", {**payload, "organisation": cat.company_a.pk},
                        format="json")  # fmt: skip
    assert response.status_code == 400 and "organisation" in response.json()
    response = client_for("teacher").post("/api/v1/actions/offres/", payload, format="json")
    assert response.status_code == 403


def test_request_journey(cat, client_for, users):
    teacher = client_for("teacher")
    payload = {"offer": cat.near.pk, "establishment": cat.school_a1.uai,
               "contact_name": "J. Moreau", "contact_email": "j@ac.fr", "classes": "3e A",
               "pupil_count": 25}  # fmt: skip
    response = teacher.post("/api/v1/actions/demandes/", payload, format="json")
    assert response.status_code == 201, response.content
    request_id = response.json()["id"]
    first = response.json()["log"][0]
    assert (first["transition"], first["from_state"], first["to_state"]) == (
        "envoyer",
        "",
        "envoyee",
    )
    assert first["by"] == str(users["teacher"])
    assert response.json()["available_transitions"] == ["annuler"]
    again = teacher.post("/api/v1/actions/demandes/", payload, format="json")
    assert again.status_code == 400 and "déjà une demande" in again.json()["non_field_errors"][0]
    assert teacher.post(f"/api/v1/actions/demandes/{request_id}/accepter/").status_code == 403
    rep = client_for("organisation_rep")
    refused = rep.post(f"/api/v1/actions/demandes/{request_id}/refuser/", {"message": ""},
                       format="json")  # fmt: skip
    assert refused.status_code == 400 and "raison du refus" in refused.json()["message"][0]
    accepted = rep.post(f"/api/v1/actions/demandes/{request_id}/accepter/", {"message": "OK"},
                        format="json")  # fmt: skip
    assert accepted.status_code == 200 and accepted.json()["state"] == RequestState.ACCEPTED
    assert accepted.json()["available_transitions"] == ["annuler", "realiser"]
    assert [line["transition"] for line in accepted.json()["log"]] == ["envoyer", "accepter"]
    done = teacher.post(f"/api/v1/actions/demandes/{request_id}/realiser/",
                        {"done_on": timezone.localdate().isoformat()}, format="json")  # fmt: skip
    assert done.status_code == 200 and done.json()["state"] == RequestState.DONE
    refused = rep.post(f"/api/v1/actions/demandes/{request_id}/annuler/")
    assert refused.status_code == 400 and "Impossible" in refused.json()["non_field_errors"][0]
    other = ActionRequestFactory(offer=cat.offer_b)
    assert teacher.get(f"/api/v1/actions/demandes/{other.pk}/").status_code == 404
    assert rep.post(f"/api/v1/actions/demandes/{other.pk}/accepter/").status_code == 404


def _more(world, number):
    for _ in range(number):
        school = EstablishmentFactory(academie=world.academie_a, bassin=world.bassin_a1)
        offer = OfferFactory(academie=world.academie_a,
                             organisation=OrganisationFactory(academie=world.academie_a),
                             bassin=world.bassin_a1, commune=world.commune_a,
                             latitude=43.7, longitude=3.9)  # fmt: skip
        ActionRequestFactory(offer=offer, establishment=school)


@pytest.mark.parametrize(
    "url, own",
    [
        ("/api/v1/actions/offres/", 2),
        ("/api/v1/actions/offres/?etablissement={uai}&distance=50", 3),  # + the school
        ("/api/v1/actions/demandes/", 2),
    ],
)
@pytest.mark.parametrize("extra", [2, 12])
def test_list_query_counts(cat, users, django_assert_num_queries, url, own, extra):
    _more(cat, extra)
    client = token_client(users["academie_team"])
    with django_assert_num_queries(2 + own):  # token, reach
        assert client.get(url.format(uai=cat.school_a1.uai)).status_code == 200


@pytest.mark.parametrize("extra", [2, 12])
def test_detail_query_counts(cat, users, django_assert_num_queries, extra):
    request = ActionRequestFactory(offer=cat.near, establishment=cat.school_a1)
    for _ in range(extra):
        request.journal.create(transition="envoyer", to_state="envoyee", by=users["teacher"])
    client = token_client(users["academie_team"])
    with django_assert_num_queries(2 + 1):
        assert client.get(f"/api/v1/actions/offres/{cat.near.pk}/").status_code == 200
    with django_assert_num_queries(2 + 3):  # request; its journal; places taken (accepter)
        assert client.get(f"/api/v1/actions/demandes/{request.pk}/").status_code == 200
