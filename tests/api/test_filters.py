"""Filters (the web lists' FilterSets, with codes for académies and bassins) and pagination."""

import pytest
from django.utils import timezone

from tests.factories import CommuneFactory, EstablishmentFactory, OrganisationFactory

from .conftest import names, results


def uais(response):
    return {item["uai"] for item in results(response)}


@pytest.fixture
def admin(client_for):
    return client_for("national_admin")


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", {"school_a1", "school_a2", "school_b"}),
        ("q=jaures", {"school_a1"}),
        ("q=JAURÈS", {"school_a1"}),
        ("q=college montpellier", {"school_a1"}),
        ("academie=A10", {"school_a1", "school_a2"}),
        ("academie=B20", {"school_b"}),
        ("bassin=BA2", {"school_a2"}),
        ("kind=lycee", {"school_a2"}),
        ("kind=college", {"school_a1", "school_b"}),
        ("priority=any", {"school_a1"}),
        ("priority=REP", {"school_a1"}),
        ("priority=REP%2B", set()),
        ("priority=none", {"school_a2", "school_b"}),
        ("sector=public", {"school_a1", "school_a2", "school_b"}),
        ("sector=prive", set()),
        ("vocational=true", {"school_a2"}),
        ("vocational=false", {"school_a1", "school_b"}),
        ("academie=A10&kind=college", {"school_a1"}),
    ],
)
def test_etablissement_filters(world, admin, query, expected):
    response = admin.get(f"/api/v1/etablissements/?{query}")
    assert uais(response) == {getattr(world, key).uai for key in expected}


def test_etablissement_search_by_uai(world, admin):
    assert uais(admin.get(f"/api/v1/etablissements/?q={world.school_a2.uai}")) == {
        world.school_a2.uai
    }


def test_etablissement_detail_by_lower_case_uai(world, admin):
    response = admin.get(f"/api/v1/etablissements/{world.school_a1.uai.lower()}/")
    assert response.status_code == 200
    assert response.json()["uai"] == world.school_a1.uai


def test_etablissement_fields(world, admin):
    school = world.school_a2
    school.address_1, school.address_2 = "12 rue de la Paix", "BP 4"
    school.save()
    body = admin.get(f"/api/v1/etablissements/{school.uai}/").json()
    assert body["kind"] == "lycee"
    assert body["nature"] == {"code": "320", "label": "LYCEE PROFESSIONNEL"}
    assert body["vocational_track"] is True
    assert body["priority_education"] == ""
    assert body["address"] == "12 rue de la Paix, BP 4"
    assert body["commune"] == {"insee": "34172", "name": "Montpellier"}
    assert body["bassin"] == {"code": "BA2", "name": "ALPHA SUD"}
    assert body["academie"] == {"code": "A10", "name": "Alpha"}
    assert body["latitude"] == pytest.approx(43.61)
    assert body["is_open"] is True
    assert body["url"] == f"http://testserver/api/v1/etablissements/{school.uai}/"
    assert body["web_url"] == f"http://testserver/etablissements/{school.uai}/"


def test_private_sector_filter(world, admin):
    private = EstablishmentFactory(private=True, academie=world.academie_a, bassin=world.bassin_a1)
    assert uais(admin.get("/api/v1/etablissements/?sector=prive")) == {private.uai}


@pytest.mark.parametrize(
    "query, field",
    [
        ("academie=ZZZ", "academie"),
        ("bassin=nope", "bassin"),
        ("kind=usine", "kind"),
        ("priority=REP%2B%2B", "priority"),
        ("sector=associatif", "sector"),
    ],
)
def test_invalid_etablissement_filter_is_400_in_french(world, admin, query, field):
    response = admin.get(f"/api/v1/etablissements/?{query}")
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.json()[field][0]


def test_filter_choices_are_limited_to_the_reach(world, client_for):
    """As in the web list, an académie out of reach is not a valid choice."""
    client = client_for("academie_team")
    assert client.get("/api/v1/etablissements/?academie=B20").status_code == 400
    assert client.get("/api/v1/etablissements/?bassin=BB1").status_code == 400
    assert uais(client.get("/api/v1/etablissements/?bassin=BA1")) == {world.school_a1.uai}


def test_filters_never_widen_the_reach(world, client_for):
    client = client_for("teacher")
    assert uais(client.get("/api/v1/etablissements/?q=college")) == {world.school_a1.uai}
    assert names(client.get("/api/v1/organisations/?q=garage")) == set()


@pytest.mark.parametrize(
    "query, expected",
    [
        (
            "",
            {
                "national",
                "regional_a",
                "regional_b",
                "company_a",
                "professional_a",
                "child_a",
                "company_b",
            },
        ),
        ("q=alpha", {"regional_a", "company_a", "professional_a", "child_a"}),
        ("q=maconnerie", {"child_a"}),
        ("kind=entreprise", {"company_a", "child_a", "company_b"}),
        ("level=national", {"national"}),
        ("level=regional", {"regional_a", "regional_b"}),
        ("academie=B20", {"company_b"}),
        ("academie=A10&kind=professionnelle", {"professional_a"}),
    ],
)
def test_organisation_filters(world, admin, query, expected):
    response = admin.get(f"/api/v1/organisations/?{query}")
    assert names(response) == {getattr(world, key).name for key in expected}


def test_organisation_search_by_siret(world, admin):
    assert names(admin.get(f"/api/v1/organisations/?q={world.company_b.siret}")) == {"Garage Bêta"}


def test_archived_organisations_only_on_request(world, admin):
    world.company_a.archived_at = timezone.now()
    world.company_a.save()
    assert "Boulangerie Alpha" not in names(admin.get("/api/v1/organisations/"))
    assert names(admin.get("/api/v1/organisations/?status=archived")) == {"Boulangerie Alpha"}
    assert len(results(admin.get("/api/v1/organisations/?status=all"))) == 7
    detail = admin.get(f"/api/v1/organisations/{world.company_a.pk}/").json()
    assert detail["is_archived"] is True
    assert detail["archived_at"] is not None


def test_demo_filter(world, admin):
    OrganisationFactory(name="Démo SARL", academie=world.academie_a, is_demo=True)
    assert names(admin.get("/api/v1/organisations/?demo=true")) == {"Démo SARL"}
    assert "Démo SARL" not in names(admin.get("/api/v1/organisations/?demo=false"))


@pytest.mark.parametrize(
    "query, expected",
    [
        ("q=mont", {"34172"}),
        ("q=MONTPELLIER", {"34172"}),
        ("q=34000", {"34172"}),
        ("q=toul", {"31555"}),
        ("insee=31555", {"31555"}),
        ("departement=34", {"34172"}),
        ("q=zzzz", set()),
    ],
)
def test_commune_filters(world, admin, query, expected):
    assert {c["insee"] for c in results(admin.get(f"/api/v1/communes/?{query}"))} == expected


def test_bassin_and_departement_filters(world, admin):
    assert {b["code"] for b in results(admin.get("/api/v1/bassins/?academie=A10"))} == {
        "BA1",
        "BA2",
    }
    assert [d["code"] for d in results(admin.get("/api/v1/departements/?academie=B20"))] == ["31"]


def test_pagination(world, admin):
    for number in range(58):
        CommuneFactory(name=f"Saint-Test {number:02d}", departement=world.commune_a.departement)
    first = admin.get("/api/v1/communes/").json()
    assert first["count"] == 60
    assert len(first["results"]) == 50
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/communes/?page=2"
    second = admin.get(first["next"]).json()
    assert len(second["results"]) == 10
    assert second["next"] is None
    seen = [c["insee"] for c in first["results"] + second["results"]]
    assert len(set(seen)) == 60
    small = admin.get("/api/v1/communes/?page_size=7&page=3").json()
    assert len(small["results"]) == 7
    assert small["results"][0]["insee"] == seen[14]


def test_page_size_is_capped_and_bad_page_is_404(world, admin):
    for number in range(205):
        CommuneFactory(name=f"Village {number:03d}", departement=world.commune_a.departement)
    assert len(admin.get("/api/v1/communes/?page_size=5000").json()["results"]) == 200
    response = admin.get("/api/v1/communes/?page=99")
    assert response.status_code == 404
    assert response.json() == {"detail": "Page non valide."}
