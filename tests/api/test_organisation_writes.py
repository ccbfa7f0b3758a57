"""Create, update, archive (DELETE) and restore per role: allowed, 403, or 404 when out of
reach. The rules are the services' (relais.organisations.perms); the API must apply them."""

import pytest

from relais.organisations.models import Organisation
from tests.factories import valid_siret

from .conftest import ROLES

COMPANY_IN_A = {"name": "Menuiserie Nouvelle", "kind": "entreprise", "commune": "34172"}

CREATE_COMPANY = {
    "national_admin": 201,
    "academie_team": 201,
    "bassin_referent": 201,
    "hub_member": 201,
    "head_of_school": 403,
    "teacher": 403,
    "organisation_rep": 403,
    "volunteer": 403,
    "no_membership": 403,
}


@pytest.mark.parametrize("role", ROLES)
def test_create_company_per_role(world, client_for, role):
    response = client_for(role).post("/api/v1/organisations/", COMPANY_IN_A, format="json")
    assert response.status_code == CREATE_COMPANY[role], response.content
    created = Organisation.objects.filter(name="Menuiserie Nouvelle")
    if response.status_code == 201:
        body = response.json()
        organisation = created.get()
        assert body["id"] == organisation.pk
        assert response["Location"] == body["url"]
        assert body["academie"] == {"code": "A10", "name": "Alpha"}
        assert body["commune"] == {"insee": "34172", "name": "Montpellier"}
        assert body["postal_code"] == "34000"
        assert organisation.academie == world.academie_a
        assert organisation.search_text
    else:
        assert not created.exists()
        assert response.json()["detail"] == "Vous ne pouvez pas créer d'organisation."


def test_create_full_payload(world, client_for):
    payload = {
        "name": "Numérique Conseil",
        "acronym": "NC",
        "kind": "entreprise",
        "level": "local",
        "parent": world.professional_a.pk,
        "siret": "732 829 320 00074",
        "naf": "6201z",
        "size_band": "pme",
        "address": "1 place de la Comédie",
        "commune": "34172",
        "email": "contact@numerique.example",
        "phone": "04 67 00 00 00",
        "website": "https://numerique.example",
        "description": "Développement logiciel.",
    }
    response = client_for("academie_team").post("/api/v1/organisations/", payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["siret"] == "73282932000074"
    assert body["naf"] == {"code": "62.01Z", "label": "Programmation informatique"}
    assert body["parent"] == {"id": world.professional_a.pk, "name": world.professional_a.name}
    assert body["size_band"] == "pme"
    assert body["latitude"] == pytest.approx(43.6)
    organisation = Organisation.objects.get(pk=body["id"])
    assert organisation.parent == world.professional_a
    assert organisation.naf == world.naf


def test_bassin_referent_may_not_create_a_professional_organisation(world, client_for):
    payload = {**COMPANY_IN_A, "kind": "professionnelle"}
    response = client_for("bassin_referent").post("/api/v1/organisations/", payload, format="json")
    assert response.status_code == 403
    assert "territoire" in response.json()["detail"]
    assert (
        client_for("academie_team")
        .post("/api/v1/organisations/", payload, format="json")
        .status_code
        == 201
    )


def test_academie_team_may_not_create_in_another_academie(world, client_for):
    payload = {**COMPANY_IN_A, "commune": "31555"}
    response = client_for("academie_team").post("/api/v1/organisations/", payload, format="json")
    assert response.status_code == 403
    assert not Organisation.objects.filter(name="Menuiserie Nouvelle").exists()


def test_create_regional_and_national(world, client_for):
    team, admin = client_for("academie_team"), client_for("national_admin")
    regional = {
        "name": "U2P Alpha",
        "kind": "professionnelle",
        "level": "regional",
        "academic_region": world.academie_a.region.code,
    }
    response = team.post("/api/v1/organisations/", regional, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["academie"] is None
    assert response.json()["academic_region"]["code"] == world.academie_a.region.code
    national = {"name": "France Industrie", "kind": "professionnelle", "level": "national"}
    assert team.post("/api/v1/organisations/", national, format="json").status_code == 403
    response = admin.post("/api/v1/organisations/", national, format="json")
    assert response.status_code == 201
    assert response.json()["academic_region"] is None


def test_create_local_by_academie_code(world, client_for):
    payload = {"name": "Club Alpha", "kind": "association", "academie": "A10"}
    response = client_for("hub_member").post("/api/v1/organisations/", payload, format="json")
    assert response.status_code == 201
    assert response.json()["academie"]["code"] == "A10"


# --- update ---------------------------------------------------------------------------

UPDATE_COMPANY_A = {
    "national_admin": 200,
    "academie_team": 200,
    "bassin_referent": 200,
    "hub_member": 200,
    "head_of_school": 403,
    "teacher": 403,
    "organisation_rep": 404,  # sees only their organisation and its children
    "volunteer": 403,
    "no_membership": 404,
}


@pytest.mark.parametrize("role", ROLES)
def test_patch_per_role(world, client_for, role):
    url = f"/api/v1/organisations/{world.company_a.pk}/"
    response = client_for(role).patch(url, {"acronym": "BA"}, format="json")
    assert response.status_code == UPDATE_COMPANY_A[role], response.content
    world.company_a.refresh_from_db()
    if response.status_code == 200:
        assert response.json()["acronym"] == "BA"
        assert world.company_a.acronym == "BA"
        assert world.company_a.name == "Boulangerie Alpha"
    else:
        assert world.company_a.acronym == ""


@pytest.mark.parametrize(
    "role, target, expected",
    [
        ("organisation_rep", "professional_a", 200),
        ("organisation_rep", "child_a", 200),
        ("bassin_referent", "professional_a", 403),
        ("bassin_referent", "regional_a", 403),
        ("academie_team", "regional_a", 200),
        ("academie_team", "national", 403),
        ("academie_team", "company_b", 404),
        ("academie_team", "regional_b", 404),
        ("national_admin", "company_b", 200),
    ],
)
def test_patch_matrix(world, client_for, role, target, expected):
    organisation = getattr(world, target)
    url = f"/api/v1/organisations/{organisation.pk}/"
    response = client_for(role).patch(url, {"description": "Mise à jour"}, format="json")
    assert response.status_code == expected, response.content
    organisation.refresh_from_db()
    assert (organisation.description == "Mise à jour") is (expected == 200)


def test_put_replaces_and_empties_omitted_optional_fields(world, client_for):
    organisation = world.company_a
    organisation.acronym, organisation.website = "BA", "https://boulangerie.example"
    organisation.save()
    url = f"/api/v1/organisations/{organisation.pk}/"
    payload = {"name": "Boulangerie Alpha et fils", "kind": "entreprise", "commune": "34172"}
    response = client_for("academie_team").put(url, payload, format="json")
    assert response.status_code == 200, response.content
    organisation.refresh_from_db()
    assert organisation.name == "Boulangerie Alpha et fils"
    assert organisation.acronym == ""
    assert organisation.website == ""
    assert organisation.siret is None
    assert organisation.commune == world.commune_a


def test_put_needs_the_required_fields(world, client_for):
    url = f"/api/v1/organisations/{world.company_a.pk}/"
    response = client_for("academie_team").put(url, {"acronym": "BA"}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "name": ["Ce champ est obligatoire."],
        "kind": ["Ce champ est obligatoire."],
    }


def test_bassin_referent_may_not_turn_a_company_into_a_professional_body(world, client_for):
    url = f"/api/v1/organisations/{world.company_a.pk}/"
    response = client_for("bassin_referent").patch(url, {"kind": "professionnelle"}, format="json")
    assert response.status_code == 403
    world.company_a.refresh_from_db()
    assert world.company_a.kind == "entreprise"


def test_moving_an_organisation_out_of_reach_is_403(world, client_for):
    url = f"/api/v1/organisations/{world.company_a.pk}/"
    response = client_for("academie_team").patch(url, {"commune": "31555"}, format="json")
    assert response.status_code == 403
    world.company_a.refresh_from_db()
    assert world.company_a.academie == world.academie_a


def test_parent_must_be_visible(world, client_for):
    url = f"/api/v1/organisations/{world.company_a.pk}/"
    client = client_for("academie_team")
    response = client.patch(url, {"parent": world.regional_b.pk}, format="json")
    assert response.status_code == 400
    assert response.json()["parent"] == [
        f"Organisation inconnue ou hors de votre périmètre : {world.regional_b.pk}."
    ]
    response = client.patch(url, {"parent": world.regional_a.pk}, format="json")
    assert response.status_code == 200
    assert response.json()["parent"]["id"] == world.regional_a.pk
    response = client.patch(url, {"parent": None}, format="json")
    assert response.json()["parent"] is None


def test_parent_cycle_is_400(world, client_for):
    url = f"/api/v1/organisations/{world.professional_a.pk}/"
    response = client_for("academie_team").patch(url, {"parent": world.child_a.pk}, format="json")
    assert response.status_code == 400
    assert "rattachée à elle-même" in response.json()["parent"][0]


def test_duplicate_siret_points_to_the_existing_organisation_the_user_reads(world, client_for):
    payload = {**COMPANY_IN_A, "siret": world.company_b.siret}
    response = client_for("national_admin").post("/api/v1/organisations/", payload, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "siret": ["Ce SIRET est déjà enregistré pour « Garage Bêta »."],
        "existing": {
            "id": world.company_b.pk,
            "name": "Garage Bêta",
            "url": f"http://testserver/api/v1/organisations/{world.company_b.pk}/",
        },
    }
    assert not Organisation.objects.filter(name="Menuiserie Nouvelle").exists()


@pytest.mark.parametrize("role", ["academie_team", "bassin_referent", "hub_member"])
def test_duplicate_siret_of_a_foreign_company_names_nothing(world, client_for, role):
    """Issue 17, item 1: the company of another académie is neither named nor linked."""
    payload = {**COMPANY_IN_A, "siret": world.company_b.siret}
    response = client_for(role).post("/api/v1/organisations/", payload, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "siret": [
            "Une organisation portant ce SIRET existe déjà dans Relais ; demandez à l'équipe "
            "académique de vous y rattacher."
        ]
    }
    assert "Garage" not in response.content.decode()
    assert str(world.company_b.pk) not in response.content.decode()
    assert not Organisation.objects.filter(name="Menuiserie Nouvelle").exists()


def test_duplicate_siret_of_a_foreign_company_on_update_names_nothing(world, client_for):
    url = f"/api/v1/organisations/{world.company_a.pk}/"
    response = client_for("academie_team").patch(
        url, {"siret": world.company_b.siret}, format="json"
    )
    assert response.status_code == 400
    assert "existing" not in response.json()
    assert "Bêta" not in response.content.decode()
    world.company_a.refresh_from_db()
    assert world.company_a.siret != world.company_b.siret


def test_duplicate_siret_on_update(world, client_for):
    url = f"/api/v1/organisations/{world.child_a.pk}/"
    siret = world.company_a.siret
    formatted = f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"
    response = client_for("academie_team").patch(url, {"siret": formatted}, format="json")
    assert response.status_code == 400
    assert response.json()["existing"]["id"] == world.company_a.pk


def test_keeping_its_own_siret_is_fine(world, client_for):
    url = f"/api/v1/organisations/{world.company_a.pk}/"
    response = client_for("academie_team").patch(
        url, {"siret": world.company_a.siret, "name": "Boulangerie"}, format="json"
    )
    assert response.status_code == 200
    new_siret = valid_siret(9_000_000_000_001)
    response = client_for("academie_team").patch(url, {"siret": new_siret}, format="json")
    assert response.json()["siret"] == new_siret


# --- archive and restore ----------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_archive_and_restore_per_role(world, client_for, role):
    client = client_for(role)
    url = f"/api/v1/organisations/{world.company_a.pk}/"
    response = client.delete(url)
    assert response.status_code == (
        204 if UPDATE_COMPANY_A[role] == 200 else UPDATE_COMPANY_A[role]
    )
    world.company_a.refresh_from_db()
    assert world.company_a.is_archived is (response.status_code == 204)
    # The row is never deleted.
    assert Organisation.objects.filter(pk=world.company_a.pk).exists()
    if response.status_code != 204:
        return
    assert client.get(url).json()["is_archived"] is True
    response = client.post(url + "restore/")
    assert response.status_code == 200
    assert response.json()["is_archived"] is False
    world.company_a.refresh_from_db()
    assert world.company_a.archived_at is None


@pytest.mark.parametrize("role", ROLES)
def test_restore_per_role(world, client_for, role):
    from django.utils import timezone

    world.company_a.archived_at = timezone.now()
    world.company_a.save()
    response = client_for(role).post(f"/api/v1/organisations/{world.company_a.pk}/restore/")
    assert response.status_code == UPDATE_COMPANY_A[role]
    world.company_a.refresh_from_db()
    assert (world.company_a.archived_at is None) is (response.status_code == 200)


def test_archiving_twice_is_harmless(world, client_for):
    client = client_for("academie_team")
    url = f"/api/v1/organisations/{world.company_a.pk}/"
    assert client.delete(url).status_code == 204
    archived_at = Organisation.objects.get(pk=world.company_a.pk).archived_at
    assert client.delete(url).status_code == 204
    assert Organisation.objects.get(pk=world.company_a.pk).archived_at == archived_at


def test_restore_is_post_only(world, client_for):
    url = f"/api/v1/organisations/{world.company_a.pk}/restore/"
    assert client_for("academie_team").get(url).status_code == 405


def test_reference_data_is_read_only(world, client_for):
    client = client_for("national_admin")
    for url in ["/api/v1/academies/", "/api/v1/communes/", "/api/v1/etablissements/"]:
        assert client.post(url, {}, format="json").status_code == 405
    url = f"/api/v1/etablissements/{world.school_a1.uai}/"
    assert client.delete(url).status_code == 405
