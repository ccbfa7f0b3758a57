"""A NUL byte or another control character in the address, the query string or a form is a
French 400 (``relais.www.middleware.ControlCharactersMiddleware``), never a server error;
numbers and years out of range in the lists' filters are a form error.

The middleware is put in place here as ``settings.MIDDLEWARE`` will hold it: right after
the authentication middleware."""

import pytest
from django.conf import settings
from django.test import override_settings

from relais.core.validation import CONTROL_CHARACTERS_MESSAGE

pytestmark = pytest.mark.django_db

MIDDLEWARE = "relais.www.middleware.ControlCharactersMiddleware"
AUTHENTICATION = "django.contrib.auth.middleware.AuthenticationMiddleware"


def with_middleware() -> list[str]:
    middleware = [m for m in settings.MIDDLEWARE if m != MIDDLEWARE]
    middleware.insert(middleware.index(AUTHENTICATION) + 1, MIDDLEWARE)
    return middleware


@pytest.fixture
def client_of(world, client_for):
    with override_settings(MIDDLEWARE=with_middleware()):
        yield lambda role: client_for(world.users[role])


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("head_of_school", "/stages/eleves/?q=%00"),
        ("head_of_school", "/stages/eleves/?classe=%00"),
        ("head_of_school", "/stages/eleves/?classe=3e%01B"),
        ("academie_team", "/reseaux/mandats/a-renouveler/?academie=%00"),
        ("academie_team", "/benevoles/conseillers/liste-nominative/?academie=%00"),
        ("academie_team", "/organisations/?q=a%00b"),
        ("academie_team", "/conventions/?q=%00"),
        ("academie_team", "/organisations/%00/"),
        ("academie_team", "/etablissements/?q%00=x"),
    ],
)
def test_control_characters_in_the_address_are_a_french_400(client_of, role, url):
    response = client_of(role).get(url)
    assert response.status_code == 400
    assert "Requête invalide" in response.content.decode()


def test_a_form_field_with_a_nul_is_a_400_and_nothing_is_written(client_of, world):
    from relais.organisations.models import Organisation

    count = Organisation.objects.count()
    response = client_of("academie_team").post(
        "/organisations/nouvelle/", {"name": "Menuiserie\x00", "kind": "entreprise"}
    )
    assert response.status_code == 400
    assert Organisation.objects.count() == count


def test_tab_cr_and_lf_are_text(client_of):
    response = client_of("academie_team").get("/organisations/?q=Boulangerie%09du%0D%0ALez")
    assert response.status_code == 200


def test_under_api_the_answer_is_json_naming_the_parameter(client_of, world):
    from rest_framework.authtoken.models import Token

    token, _ = Token.objects.get_or_create(user=world.users["academie_team"])
    response = client_of("academie_team").get(
        "/api/v1/organisations/?q=%00", HTTP_AUTHORIZATION=f"Token {token.key}"
    )
    assert response.status_code == 400
    assert response.json() == {"q": [CONTROL_CHARACTERS_MESSAGE]}


@pytest.mark.parametrize(
    "query", ["school_year=-1", "school_year=99999999999", "school_year=1.5e16", "advisor=-7e281"]
)
def test_intervention_filters_out_of_range_are_a_form_error(client_of, query):
    response = client_of("academie_team").get(f"/benevoles/conseillers/interventions/?{query}")
    assert response.status_code == 200
    assert response.context["filter"].errors


@pytest.mark.parametrize("year", ["-1", "99999999", "0218", "abc"])
def test_mandates_to_renew_with_an_implausible_year_show_the_current_one(client_of, year):
    response = client_of("academie_team").get(f"/reseaux/mandats/a-renouveler/?annee={year}")
    assert response.status_code == 200
