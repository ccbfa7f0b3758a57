"""A small world of two académies, and one user per role, for the API tests.

Académie A (where the users work) has two bassins; académie B, in another région académique,
is the "other territory" whose objects must stay invisible (404, absent from lists)."""

from types import SimpleNamespace

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from relais.nomenclatures.models import NafCode
from relais.organisations.enums import OrganisationKind, OrganisationLevel
from relais.users.enums import Role
from tests.factories import (
    AcademieFactory,
    BassinFactory,
    CommuneFactory,
    EstablishmentFactory,
    OrganisationFactory,
    make_user,
)

ROLES = [
    "national_admin",
    "academie_team",
    "bassin_referent",
    "hub_member",
    "head_of_school",
    "teacher",
    "organisation_rep",
    "volunteer",
    "no_membership",
]


@pytest.fixture
def world(db):
    w = SimpleNamespace()
    w.academie_a = AcademieFactory(code="A10", name="Alpha")
    w.academie_b = AcademieFactory(code="B20", name="Bêta")
    w.bassin_a1 = BassinFactory(code="BA1", name="ALPHA NORD", academie=w.academie_a)
    w.bassin_a2 = BassinFactory(code="BA2", name="ALPHA SUD", academie=w.academie_a)
    w.bassin_b = BassinFactory(code="BB1", name="BETA CENTRE", academie=w.academie_b)
    w.commune_a = CommuneFactory(
        insee_code="34172",
        name="Montpellier",
        postal_code="34000",
        departement__code="34",
        departement__academie=w.academie_a,
    )
    w.commune_b = CommuneFactory(
        insee_code="31555",
        name="Toulouse",
        postal_code="31000",
        departement__code="31",
        departement__academie=w.academie_b,
    )
    w.school_a1 = EstablishmentFactory(
        academie=w.academie_a,
        bassin=w.bassin_a1,
        commune=w.commune_a,
        rep=True,
        name="Collège Jean Jaurès",
    )
    w.school_a2 = EstablishmentFactory(
        academie=w.academie_a,
        bassin=w.bassin_a2,
        commune=w.commune_a,
        lycee_pro=True,
        name="Lycée professionnel Mermoz",
    )
    w.school_b = EstablishmentFactory(
        academie=w.academie_b, bassin=w.bassin_b, commune=w.commune_b, name="Collège Bellevue"
    )
    w.national = OrganisationFactory(national=True, name="MEDEF")
    w.regional_a = OrganisationFactory(
        name="CPME Alpha",
        kind=OrganisationKind.PROFESSIONAL,
        level=OrganisationLevel.REGIONAL,
        academie=None,
        academic_region=w.academie_a.region,
        siret=None,
    )
    w.regional_b = OrganisationFactory(
        name="CPME Bêta",
        kind=OrganisationKind.PROFESSIONAL,
        level=OrganisationLevel.REGIONAL,
        academie=None,
        academic_region=w.academie_b.region,
        siret=None,
    )
    w.company_a = OrganisationFactory(name="Boulangerie Alpha", academie=w.academie_a)
    w.professional_a = OrganisationFactory(
        professional=True, name="Fédération du bâtiment Alpha", academie=w.academie_a
    )
    w.child_a = OrganisationFactory(
        name="Maçonnerie Alpha", academie=w.academie_a, parent=w.professional_a
    )
    w.company_b = OrganisationFactory(name="Garage Bêta", academie=w.academie_b)
    w.naf = NafCode.objects.create(
        code="62.01Z",
        label="Programmation informatique",
        section="J",
        division="62",
        group="62.0",
        naf_class="62.01",
    )
    return w


@pytest.fixture
def users(world):
    w = world
    return {
        "national_admin": make_user(Role.NATIONAL_ADMIN),
        "academie_team": make_user(Role.ACADEMIE_TEAM, w.academie_a),
        "bassin_referent": make_user(Role.BASSIN_REFERENT, w.bassin_a1),
        "hub_member": make_user(Role.HUB_MEMBER, w.bassin_a1),
        "head_of_school": make_user(Role.HEAD_OF_SCHOOL, w.school_a1),
        "teacher": make_user(Role.TEACHER, w.school_a1),
        "organisation_rep": make_user(Role.ORGANISATION_REP, w.professional_a),
        "volunteer": make_user(Role.VOLUNTEER, w.academie_a),
        "no_membership": make_user(),
    }


def token_client(user) -> APIClient:
    """An API client authenticated as ``user`` with a real token (header "Authorization")."""
    token, _ = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def client_for(users):
    """``client_for("teacher")``: a new API client authenticated as that role's user."""

    def build(role):
        return token_client(users[role])

    return build


def results(response) -> list:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def names(response) -> set:
    return {item["name"] for item in results(response)}
