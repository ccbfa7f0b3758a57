import pytest

from relais.organisations.models import Organisation
from tests.factories import CommuneFactory, OrganisationFactory, valid_siret


@pytest.fixture
def commune(world):
    return CommuneFactory(
        name="Castelnau-le-Lez",
        postal_code="34170",
        insee_code="34057",
        departement__academie=world.home,
        search_text="castelnau le lez 34170",
    )


def _payload(**overrides):
    data = {
        "name": "Menuiserie Étoile",
        "acronym": "",
        "kind": "entreprise",
        "level": "local",
        "siret": "",
        "naf": "",
        "size_band": "micro",
        "address": "3 rue des Pins",
        "commune": "Castelnau-le-Lez (34170)",
        "email": "contact@menuiserie.example",
        "phone": "",
        "website": "",
        "description": "",
    }
    data.update(overrides)
    return data


def test_pole_member_creates_a_company(world, client_for, commune):
    client = client_for(world.users["hub_member"])
    siret = valid_siret(123456789)
    response = client.post("/organisations/nouvelle/", _payload(siret=f"{siret[:3]} {siret[3:]}"))
    organisation = Organisation.objects.get(name="Menuiserie Étoile")
    assert response.status_code == 302
    assert response["Location"] == f"/organisations/{organisation.pk}/"
    assert organisation.siret == siret  # spaces removed
    assert organisation.commune == commune and organisation.academie == world.home
    assert organisation.academic_region == world.home.region
    assert organisation.latitude == commune.latitude


def test_invalid_siret_is_shown_next_to_the_field_and_nothing_is_saved(world, client_for, commune):
    client = client_for(world.users["academie_team"])
    response = client.post("/organisations/nouvelle/", _payload(siret="12345678901234"))
    assert response.status_code == 400
    form = response.context["form"]
    assert "clé de contrôle fausse" in form.errors["siret"][0]
    body = response.content.decode()
    assert 'id="id_siret-desc-error"' in body
    assert 'value="Menuiserie Étoile"' in body  # what was typed is kept
    assert not Organisation.objects.filter(name="Menuiserie Étoile").exists()


def test_duplicate_siret_links_to_the_existing_record(world, client_for, commune):
    client = client_for(world.users["academie_team"])
    response = client.post("/organisations/nouvelle/", _payload(siret=world.company.siret))
    assert response.status_code == 400
    error = response.context["form"].errors["siret"][0]
    assert "déjà enregistré pour « Boulangerie du Lez »" in error
    assert f'href="/organisations/{world.company.pk}/"' in response.content.decode()
    assert Organisation.objects.filter(siret=world.company.siret).count() == 1


def test_duplicate_siret_of_a_foreign_company_names_nothing(world, client_for, commune):
    """Issue 17, item 1: a company of another académie is neither named nor linked."""
    client = client_for(world.users["academie_team"])
    siret = world.company_other.siret
    response = client.post("/organisations/nouvelle/", _payload(siret=siret))
    assert response.status_code == 400
    assert response.context["form"].errors["siret"] == [
        "Une organisation portant ce SIRET existe déjà dans Relais ; demandez à l'équipe "
        "académique de vous y rattacher."
    ]
    body = response.content.decode()
    assert "Garage lointain" not in body
    assert f"/organisations/{world.company_other.pk}/" not in body
    assert response.context["duplicate"] is None
    assert Organisation.objects.filter(siret=siret).count() == 1


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("Nulle-Part (00000)", "Commune introuvable"),
        ("", "Indiquez la commune"),
    ],
)
def test_commune_errors(world, client_for, commune, value, message):
    client = client_for(world.users["academie_team"])
    response = client.post("/organisations/nouvelle/", _payload(commune=value))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert message in str(errors)


def test_unknown_naf_code(world, client_for, commune):
    client = client_for(world.users["academie_team"])
    response = client.post("/organisations/nouvelle/", _payload(naf="99.99Q"))
    assert "Code NAF inconnu" in response.context["form"].errors["naf"][0]


def test_team_cannot_place_an_organisation_in_another_academie(world, client_for):
    other_commune = CommuneFactory(
        departement__academie=world.other,
        name="Loin",
        postal_code="99999",
        insee_code="99999",
        search_text="loin 99999",
    )
    client = client_for(world.users["academie_team"])
    response = client.post("/organisations/nouvelle/", _payload(commune=str(other_commune)))
    assert response.status_code == 403
    assert not Organisation.objects.filter(name="Menuiserie Étoile").exists()


def test_pole_member_cannot_create_a_professional_organisation(world, client_for, commune):
    client = client_for(world.users["hub_member"])
    response = client.post("/organisations/nouvelle/", _payload(kind="professionnelle"))
    assert response.status_code == 400
    assert "kind" in response.context["form"].errors


def test_team_creates_a_regional_branch(world, client_for):
    client = client_for(world.users["academie_team"])
    response = client.post(
        "/organisations/nouvelle/",
        _payload(
            name="Union régionale bis",
            kind="professionnelle",
            level="regional",
            commune="",
            academic_region=world.home.region.pk,
            parent=world.national.pk,
        ),
    )
    assert response.status_code == 302
    created = Organisation.objects.get(name="Union régionale bis")
    assert created.academie is None and created.academic_region == world.home.region
    assert created.parent == world.national


def test_representative_edits_their_organisation_and_history_keeps_who(world, client_for):
    rep = world.users["organisation_rep"]
    client = client_for(rep)
    form = client.get(f"/organisations/{world.company.pk}/modifier/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "id"}
    data.update(name="Boulangerie du Lez et fils", commune="", academie=world.home.pk)
    response = client.post(f"/organisations/{world.company.pk}/modifier/", data)
    assert response.status_code == 302, response.context["form"].errors
    world.company.refresh_from_db()
    assert world.company.name == "Boulangerie du Lez et fils"
    history = client.get(f"/organisations/{world.company.pk}/historique/")
    entries = history.context["entries"]
    assert entries[0]["author"] == rep
    assert ("nom", "Boulangerie du Lez", "Boulangerie du Lez et fils") in entries[0]["changes"]


def test_archive_and_restore(world, client_for):
    client = client_for(world.users["academie_team"])
    client.post(f"/organisations/{world.company.pk}/archiver/")
    world.company.refresh_from_db()
    assert world.company.archived_at is not None
    names = [o.name for o in client.get("/organisations/").context["page_obj"]]
    assert "Boulangerie du Lez" not in names
    archived = client.get("/organisations/", {"status": "archived"}).context["page_obj"]
    assert [o.name for o in archived] == ["Boulangerie du Lez"]
    client.post(f"/organisations/{world.company.pk}/restaurer/")
    world.company.refresh_from_db()
    assert world.company.archived_at is None


@pytest.mark.parametrize(
    "query",
    ["boulangerie", "BOULANGÉRIE du lez", "lez"],
)
def test_search_by_name_ignores_accents_and_case(world, client_for, query):
    client = client_for(world.users["academie_team"])
    page = client.get("/organisations/", {"q": query}).context["page_obj"]
    assert [o.name for o in page] == ["Boulangerie du Lez"]


def test_search_by_siret_and_commune(world, client_for, commune):
    world.company.commune = commune
    world.company.search_text = f"boulangerie du lez {world.company.siret} castelnau le lez"
    world.company.save()
    client = client_for(world.users["academie_team"])
    siret = world.company.siret
    for query in (siret, f"{siret[:3]} {siret[3:6]} {siret[6:9]}", "Castelnau"):
        page = client.get("/organisations/", {"q": query}).context["page_obj"]
        assert [o.name for o in page] == ["Boulangerie du Lez"], query


def test_list_scoping(world, client_for):
    names = lambda role: sorted(  # noqa: E731
        o.name for o in client_for(world.users[role]).get("/organisations/").context["page_obj"]
    )
    assert names("academie_team") == ["Boulangerie du Lez", "Mouvement national", "Union régionale"]
    assert names("organisation_rep") == ["Boulangerie du Lez"]
    assert names("no_membership") == []
    assert len(names("national_admin")) == 4


@pytest.mark.parametrize("extra", [2, 30])
def test_list_query_count_is_constant(world, client_for, django_assert_num_queries, extra):
    for index in range(extra):
        OrganisationFactory(academie=world.home, parent=world.regional if index % 2 else None)
    client = client_for(world.users["academie_team"])
    # Session, user, memberships; count + rows; académie choices (count + cursor).
    with django_assert_num_queries(7):
        assert client.get("/organisations/", {"q": "e"}).status_code == 200


@pytest.mark.parametrize("extra", [2, 30])
def test_detail_query_count(world, client_for, django_assert_num_queries, extra):
    for _ in range(extra):
        OrganisationFactory(academie=world.home, parent=world.company)
    client = client_for(world.users["academie_team"])
    # Session, user, memberships; the organisation; its children.
    with django_assert_num_queries(5):
        assert client.get(f"/organisations/{world.company.pk}/").status_code == 200
