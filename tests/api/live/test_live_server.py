"""The API under a real HTTP server (``live_server``, wsgiref) with ``requests`` and a token:
the faults that Django's test client cannot see (a header value the WSGI server refuses,
a lock taken outside a transaction, which the test client's wrapping transaction hides)."""

from datetime import date

from django.utils import timezone

from relais.agreements.models import Agreement
from relais.internships.enums import OfferState
from relais.internships.models import InternshipOffer
from relais.organisations.models import Organisation
from tests.factories import valid_siret


def assert_created(api, response, *, path_prefix: str) -> dict:
    """201, an absolute ``Location`` under ``path_prefix``, and a GET on it gives the object."""
    assert response.status_code == 201, response.text
    body = response.json()
    location = response.headers["Location"]
    assert location == f"{api.base_url}{path_prefix}{body['id']}/"
    again = api.get(location)
    assert again.status_code == 200, again.text
    assert again.json()["id"] == body["id"]
    return body


def test_convention_creation_answers_201_with_its_location(api_as, world):
    api = api_as("academie_team")
    payload = {
        "title": "Convention Bâtiment",
        "kind": "cadre",
        "scope": "academie",
        "academie": "A10",
    }
    response = api.post("/api/v1/conventions/", payload)
    body = assert_created(api, response, path_prefix="/api/v1/conventions/")
    assert Agreement.objects.get(pk=body["id"]).title == "Convention Bâtiment"


def test_avenant_and_declination_answer_201_with_their_location(api_as, objects):
    api = api_as("academie_team")
    response = api.post(
        f"/api/v1/conventions/{objects.in_force.pk}/avenants/", {"title": "Avenant n° 1"}
    )
    avenant = assert_created(api, response, path_prefix="/api/v1/conventions/")
    assert Agreement.objects.get(pk=avenant["id"]).amends_id == objects.in_force.pk
    response = api.post(
        f"/api/v1/conventions/{objects.in_force.pk}/decline/",
        {"title": "Déclinaison du bassin", "scope": "bassin", "bassin": "BA1"},
    )
    assert_created(api, response, path_prefix="/api/v1/conventions/")


def test_organisation_creation_then_the_same_siret_again_creates_nothing(api_as, world):
    api = api_as("academie_team")
    siret = valid_siret(4242)
    payload = {
        "name": "Menuiserie Alpha",
        "kind": "entreprise",
        "level": "local",
        "siret": siret,
        "commune": "34172",
    }
    body = assert_created(
        api, api.post("/api/v1/organisations/", payload), path_prefix="/api/v1/organisations/"
    )
    again = api.post("/api/v1/organisations/", payload)
    assert again.status_code == 400
    assert again.json()["existing"]["id"] == body["id"]
    assert "Location" not in again.headers
    assert Organisation.objects.filter(siret=siret).count() == 1


def test_offer_upsert_is_idempotent_over_http(api_as, objects, world):
    api = api_as("organisation_rep")
    payload = {
        "remote_id": "OFF-42",
        "host": world.child_a.pk,
        "title": "Maçonnerie",
        "kind": "stage_3e",
        "rome": "H2201",
        "levels": ["3e"],
        "commune": "34172",
        "places": [{"week": "2026-02-02", "places": 2}],
        "publish": True,
    }
    first = api.post("/api/v1/stages/offres/upsert/", payload)
    body = assert_created(api, first, path_prefix="/api/v1/stages/offres/")
    again = api.post("/api/v1/stages/offres/upsert/", payload)
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert InternshipOffer.objects.filter(remote_id="OFF-42").count() == 1


def test_other_creations_answer_201_with_their_location(api_as, objects, world, users):
    team = api_as("academie_team")
    response = team.post(
        "/api/v1/reunions/", {"body": objects.body.pk, "starts_at": "2026-10-01T14:00:00+02:00"}
    )
    assert_created(team, response, path_prefix="/api/v1/reunions/")
    response = team.post(
        "/api/v1/conseillers-interventions/",
        {
            "advisor": objects.advisor.pk,
            "establishment": world.school_a1.uai,
            "domain": "parcours_avenir",
            "date": str(timezone.localdate()),
            "hours": "2.0",
        },
    )
    assert_created(team, response, path_prefix="/api/v1/conseillers-interventions/")
    rep = api_as("organisation_rep")
    response = rep.post(
        "/api/v1/actions/offres/",
        {
            "organisation": world.professional_a.pk,
            "kind": "visite",
            "title": "Visite du chantier",
            "capacity": 2,
            "contact_email": "chantier@example.org",
            "academie": "A10",
        },
    )
    assert_created(rep, response, path_prefix="/api/v1/actions/offres/")


def test_closing_an_offer_answers_204(api_as, objects):
    api = api_as("academie_team")
    for offer in (objects.draft_offer, objects.offer):
        response = api.session.delete(
            api.url(f"/api/v1/stages/offres/{offer.pk}/"), headers=api.headers, timeout=30
        )
        assert response.status_code == 204, response.text
        offer.refresh_from_db()
        assert offer.state == OfferState.CLOSED
    again = api.session.delete(
        api.url(f"/api/v1/stages/offres/{objects.offer.pk}/"), headers=api.headers, timeout=30
    )
    assert again.status_code == 400
    assert "fermée" in again.json()["non_field_errors"][0].lower()


def test_signature_dates_are_plausible(api_as, objects):
    signatory = objects.draft.signatories.first()
    api = api_as("academie_team")
    api.post(f"/api/v1/conventions/{objects.draft.pk}/send-for-signature/", {})
    response = api.post(
        f"/api/v1/conventions/{objects.draft.pk}/sign/",
        {"signatory": signatory.pk, "signed_on": "0218-01-22", "mode": "papier"},
    )
    assert response.status_code == 400
    assert response.json()["signed_on"] == [
        "La date doit être comprise entre le 01/01/1990 et le 31/12/2100."
    ]
    signatory.refresh_from_db()
    assert signatory.signed_on is None
    assert date(1990, 1, 1)  # the lower bound of the message
