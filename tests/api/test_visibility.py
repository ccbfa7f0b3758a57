"""What each role sees through the API: lists hold only the objects in reach, and another
territory's object answers 404. The expectations follow relais.users.scopes."""

import pytest

from .conftest import ROLES, names, results

SCHOOLS_BY_ROLE = {
    "national_admin": {"school_a1", "school_a2", "school_b"},
    "academie_team": {"school_a1", "school_a2"},
    "bassin_referent": {"school_a1"},
    "hub_member": {"school_a1"},
    "head_of_school": {"school_a1"},
    "teacher": {"school_a1"},
    # A representative reaches the territory of their organisation (académie A).
    "organisation_rep": {"school_a1", "school_a2"},
    "volunteer": {"school_a1", "school_a2"},
    "no_membership": set(),
}

DIRECTORY_A = {"national", "regional_a", "company_a", "professional_a", "child_a"}
ORGANISATIONS_BY_ROLE = {
    "national_admin": DIRECTORY_A | {"regional_b", "company_b"},
    "academie_team": DIRECTORY_A,
    "bassin_referent": DIRECTORY_A,
    "hub_member": DIRECTORY_A,
    "head_of_school": DIRECTORY_A,
    "teacher": DIRECTORY_A,
    # A representative sees their organisation and its children only.
    "organisation_rep": {"professional_a", "child_a"},
    "volunteer": DIRECTORY_A,
    "no_membership": set(),
}

ACADEMIES_BY_ROLE = {
    role: ({"academie_a", "academie_b"} if role == "national_admin" else {"academie_a"})
    for role in ROLES
}
ACADEMIES_BY_ROLE["no_membership"] = set()

BASSINS_BY_ROLE = {
    "national_admin": {"bassin_a1", "bassin_a2", "bassin_b"},
    "academie_team": {"bassin_a1", "bassin_a2"},
    "bassin_referent": {"bassin_a1"},
    "hub_member": {"bassin_a1"},
    "head_of_school": {"bassin_a1"},
    "teacher": {"bassin_a1"},
    "organisation_rep": {"bassin_a1", "bassin_a2"},
    "volunteer": {"bassin_a1", "bassin_a2"},
    "no_membership": set(),
}


def objects(world, keys):
    return [getattr(world, key) for key in keys]


@pytest.mark.parametrize("role", ROLES)
def test_etablissements_per_role(world, client_for, role):
    client = client_for(role)
    visible = objects(world, SCHOOLS_BY_ROLE[role])
    hidden = objects(world, {"school_a1", "school_a2", "school_b"} - SCHOOLS_BY_ROLE[role])
    listed = {item["uai"] for item in results(client.get("/api/v1/etablissements/"))}
    assert listed == {school.uai for school in visible}
    for school in visible:
        response = client.get(f"/api/v1/etablissements/{school.uai}/")
        assert response.status_code == 200
        assert response.json()["name"] == school.name
    for school in hidden:
        response = client.get(f"/api/v1/etablissements/{school.uai}/")
        assert response.status_code == 404
        assert response.json() == {"detail": "Non trouvé."}


@pytest.mark.parametrize("role", ROLES)
def test_organisations_per_role(world, client_for, role):
    client = client_for(role)
    visible = objects(world, ORGANISATIONS_BY_ROLE[role])
    hidden = objects(world, ORGANISATIONS_BY_ROLE["national_admin"] - ORGANISATIONS_BY_ROLE[role])
    assert names(client.get("/api/v1/organisations/")) == {org.name for org in visible}
    for organisation in visible:
        assert client.get(f"/api/v1/organisations/{organisation.pk}/").status_code == 200
    for organisation in hidden:
        assert client.get(f"/api/v1/organisations/{organisation.pk}/").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_academies_per_role(world, client_for, role):
    client = client_for(role)
    expected = objects(world, ACADEMIES_BY_ROLE[role])
    listed = {item["code"] for item in results(client.get("/api/v1/academies/"))}
    assert listed == {academie.code for academie in expected}
    for academie in (world.academie_a, world.academie_b):
        status = 200 if academie in expected else 404
        assert client.get(f"/api/v1/academies/{academie.code}/").status_code == status


@pytest.mark.parametrize("role", ROLES)
def test_bassins_per_role(world, client_for, role):
    client = client_for(role)
    expected = objects(world, BASSINS_BY_ROLE[role])
    listed = {item["code"] for item in results(client.get("/api/v1/bassins/"))}
    assert listed == {bassin.code for bassin in expected}
    for bassin in (world.bassin_a1, world.bassin_a2, world.bassin_b):
        status = 200 if bassin in expected else 404
        assert client.get(f"/api/v1/bassins/{bassin.code}/").status_code == status


@pytest.mark.parametrize("role", ROLES)
def test_departements_and_communes_are_public_reference_data(world, client_for, role):
    client = client_for(role)
    assert {d["code"] for d in results(client.get("/api/v1/departements/"))} == {"31", "34"}
    assert client.get("/api/v1/departements/31/").status_code == 200
    communes = results(client.get("/api/v1/communes/"))
    assert {c["insee"] for c in communes} >= {"34172", "31555"}
    assert client.get("/api/v1/communes/31555/").json()["name"] == "Toulouse"


def test_organisation_rep_sees_a_grandchild_too(world, client_for):
    from tests.factories import OrganisationFactory

    grandchild = OrganisationFactory(
        name="Maçonnerie Alpha Est", academie=world.academie_a, parent=world.child_a
    )
    client = client_for("organisation_rep")
    assert grandchild.name in names(client.get("/api/v1/organisations/"))
