"""Inputs that were server errors (issue 17, items 9 and 10): control characters in the query
string and in bodies, numbers and years out of range in the filters. Each is now a 400 with
a French message on the field, and nothing is written."""

import pytest

from relais.actions.models import ActionRequest
from relais.core.validation import CONTROL_CHARACTERS_MESSAGE
from tests.actions.factories import OfferFactory

from .conftest import token_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "url", "field"),
    [
        ("teacher", "/api/v1/actions/offres/?etablissement=%00", "etablissement"),
        ("teacher", "/api/v1/reservistes/?skill=%00", "skill"),
        ("teacher", "/api/v1/reservistes/?q=a%00", "q"),
        ("academie_team", "/api/v1/organisations/?q=%1b", "q"),
        ("academie_team", "/api/v1/conventions/?q=%00", "q"),
        ("academie_team", "/api/v1/stages/indicateurs/?group=%00", "group"),
    ],
)
def test_control_characters_in_the_query_string(world, client_for, role, url, field):
    response = client_for(role).get(url)
    assert response.status_code == 400
    assert response.json() == {field: [CONTROL_CHARACTERS_MESSAGE]}


def test_a_nul_in_a_json_field_of_a_request_writes_nothing(world, client_for):
    offer = OfferFactory(academie=world.academie_a, organisation=world.professional_a)
    payload = {"offer": offer.pk, "establishment": world.school_a1.uai, "contact_name": "J.\x00",
               "contact_email": "j@ac.fr", "classes": "3e A", "pupil_count": 25}  # fmt: skip
    response = client_for("teacher").post("/api/v1/actions/demandes/", payload, format="json")
    assert response.status_code == 400
    assert response.json() == {"contact_name": [CONTROL_CHARACTERS_MESSAGE]}
    assert not ActionRequest.objects.exists()


def test_control_characters_in_keys_and_nested_values_and_multipart(world, client_for):
    client = client_for("academie_team")
    nested = client.post("/api/v1/conventions/", {"title": "T", "template_fields": {"a": "\x07"}},
                         format="json")  # fmt: skip
    assert nested.json() == {"template_fields": [CONTROL_CHARACTERS_MESSAGE]}
    key = client.post("/api/v1/conventions/", {"ti\x00tle": "T"}, format="json")
    assert key.json() == {"non_field_errors": [CONTROL_CHARACTERS_MESSAGE]}
    listed = client.post("/api/v1/conventions/", ["\x00"], format="json")
    assert listed.json() == {"non_field_errors": [CONTROL_CHARACTERS_MESSAGE]}
    form = client.post("/api/v1/organisations/", {"name": "A\x00", "kind": "entreprise"})
    assert form.status_code == 400 and form.json() == {"name": [CONTROL_CHARACTERS_MESSAGE]}
    encoded = client.post(
        "/api/v1/organisations/",
        "name=A%00&kind=entreprise",
        content_type="application/x-www-form-urlencoded",
    )
    assert encoded.json() == {"name": [CONTROL_CHARACTERS_MESSAGE]}


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/conseillers-interventions/?school_year=-1", "school_year"),
        ("/api/v1/conseillers-interventions/?school_year=99999999999", "school_year"),
        ("/api/v1/conseillers-interventions/?school_year=2.3412400540738936e%2B16", "school_year"),
        ("/api/v1/conseillers-interventions/?advisor=-7.12e%2B281", "advisor"),
        ("/api/v1/conseillers-interventions/?advisor=99999999999", "advisor"),
        ("/api/v1/immersions-candidatures/?offer=1e300", "offer"),
        ("/api/v1/mandats/?school_year=100000", "school_year"),
        ("/api/v1/mandats/?club=1e300", "club"),
        ("/api/v1/conventions/?partner=99999999999", "partner"),
        ("/api/v1/instances/?convention=99999999999", "convention"),
        ("/api/v1/instances/?club=abc", "club"),
        ("/api/v1/reunions/?body=-3", "body"),
        ("/api/v1/bilans/?convention=1.5", "convention"),
    ],
)
def test_numbers_out_of_range_in_the_filters(world, client_for, url, field):
    response = client_for("academie_team").get(url)
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert all(isinstance(m, str) and m for m in response.json()[field])


@pytest.mark.parametrize("school_year", ["1990", "2025", "2099"])
def test_plausible_school_years_are_accepted(world, client_for, school_year):
    url = f"/api/v1/conseillers-interventions/?school_year={school_year}"
    assert client_for("academie_team").get(url).status_code == 200


def test_distance_and_radius_out_of_range(world, users, client_for):
    world.school_a1.latitude, world.school_a1.longitude = 43.61, 3.88
    world.school_a1.save()
    teacher = token_client(users["teacher"])
    uai = world.school_a1.uai
    for distance in ("99999999999999999999", "-1", "2.5"):
        response = teacher.get(f"/api/v1/actions/offres/?etablissement={uai}&distance={distance}")
        assert response.status_code == 400
        assert response.json() == {"distance": ["Indiquez un nombre entier de 0 à 20000."]}
    for radius in ("0", "-5", "10000000000", "dix"):
        response = teacher.get(f"/api/v1/reservistes/?radius={radius}")
        assert response.status_code == 400
        assert response.json() == {"radius": ["Indiquez un nombre entier de 1 à 1000."]}
    assert teacher.get("/api/v1/reservistes/?radius=20").status_code == 200
