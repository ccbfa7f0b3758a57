"""Pages of the networks area: forms with French errors, exports, PDF, query counts."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from relais.core.school_years import school_year_of
from relais.documents.rendering import pdf_text
from relais.networks.enums import ByRight, MandateRole
from relais.networks.models import Club, DirectoryPublication, Mandate
from relais.networks.services import club_create
from tests.factories import BassinFactory, EstablishmentFactory, OrganisationFactory
from tests.networks.factories import (
    CampusFactory,
    CampusMemberFactory,
    ClubFactory,
    ClubMemberFactory,
    MandateFactory,
)

pytestmark = pytest.mark.django_db


def test_create_club_through_the_form(world, client_for):
    client = client_for(world.users["academie_team"])
    response = client.post("/reseaux/clubs/nouveau/", {"bassin": world.bassin.pk})
    club = Club.objects.get(bassin=world.bassin)
    assert response.status_code == 302 and response["Location"] == club.get_absolute_url()
    page = client.get(club.get_absolute_url()).content.decode()
    assert "Connecter l&#x27;école et l&#x27;entreprise" in page
    assert "Comité de pilotage — Club école-entreprise" in page
    assert "au moins 2 réunions par an" in page
    # The bassin now has its club: it is no longer offered.
    response = client.post("/reseaux/clubs/nouveau/", {"bassin": world.bassin.pk})
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.content.decode()


def _pilote_post(world, year, email="pilote@ex.fr"):
    return {
        "role": MandateRole.PILOTE,
        "school_year": year,
        "full_name": "Paul Pilote",
        "email": email,
        "appointed_on": f"{year}-06-20",
        "appointing_organisations": [world.regional.pk],
    }


def test_sixth_pilote_year_refused_in_the_form_with_the_typed_values(world, client_for):
    club = ClubFactory(academie=world.home, bassin=world.bassin)
    year = school_year_of(timezone.localdate())
    for offset in range(5, 0, -1):
        MandateFactory(
            club=club, role=MandateRole.PILOTE, school_year=year - offset, email="pilote@ex.fr"
        )
    client = client_for(world.users["academie_team"])
    response = client.post(f"/reseaux/clubs/{club.pk}/mandats/nommer/", _pilote_post(world, year))
    page = response.content.decode()
    assert response.status_code == 400
    assert "dans la limite de 5 ans" in page and "sixième" in page
    assert 'value="Paul Pilote"' in page
    response = client.post(
        f"/reseaux/clubs/{club.pk}/mandats/nommer/", _pilote_post(world, year, "autre@ex.fr")
    )
    assert response.status_code == 302
    assert Mandate.objects.filter(club=club, school_year=year, email="autre@ex.fr").exists()


def test_referent_outside_june_gets_a_field_error(world, client_for):
    club = ClubFactory(academie=world.home, bassin=world.bassin)
    year = school_year_of(timezone.localdate())
    response = client_for(world.users["academie_team"]).post(
        f"/reseaux/clubs/{club.pk}/mandats/nommer/",
        {
            "role": MandateRole.REFERENT,
            "school_year": year,
            "full_name": "Inès",
            "email": "ines@ex.fr",
            "appointed_on": f"{year}-09-10",
        },
    )
    assert response.status_code == 400
    assert "nommé par le recteur au mois de juin" in response.content.decode()


def test_member_by_right_and_removal_refused(world, client_for):
    club = ClubFactory(academie=world.home, bassin=world.bassin)
    client = client_for(world.users["bassin_referent"])
    response = client.post(
        f"/reseaux/clubs/{club.pk}/membres/ajouter/",
        {"full_name": "Karim Benali", "by_right": ByRight.POLE_ANIMATOR},
    )
    assert response.status_code == 302
    member = club.members.get()
    response = client.post(f"/reseaux/membres/{member.pk}/retirer/", follow=True)
    assert "membre de droit du club" in response.content.decode()
    response = client.post(f"/reseaux/clubs/{club.pk}/membres/ajouter/", {"establishment": "X"})
    assert response.status_code == 400
    assert "n&#x27;a l&#x27;UAI" in response.content.decode()
    response = client.post(
        f"/reseaux/clubs/{club.pk}/membres/ajouter/", {"establishment": world.school.uai.lower()}
    )
    assert response.status_code == 302


def _directory_world(world):
    year = 2025
    club = ClubFactory(academie=world.home, bassin=world.bassin, contact_email="club@ex.fr")
    MandateFactory(club=club, school_year=year, full_name="Inès Référente", email="ines@ex.fr")
    MandateFactory(
        club=club,
        role=MandateRole.PILOTE,
        school_year=year,
        full_name="Paul Pilote",
        organisation=world.company,
    )
    return club, year


def test_directory_pdf_csv_xlsx(world, client_for):
    club, year = _directory_world(world)
    client = client_for(world.users["teacher"])
    pdf = client.get(f"/reseaux/annuaire/{world.home.code}/{year}.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "Annuaire des clubs école-entreprise — 2025-2026" in text
    assert "Inès Référente" in text and "Paul Pilote" in text and "Boulangerie du Lez" in text
    assert "non publié" in text
    csv = b"".join(client.get(f"/reseaux/annuaire/{world.home.code}/{year}.csv").streaming_content)
    lines = csv.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Bassin;Club;Référent école-entreprise")
    assert "Inès Référente" in lines[1] and "club@ex.fr" in lines[1]
    xlsx = client.get(f"/reseaux/annuaire/{world.home.code}/{year}.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["C2"].value == "Inès Référente"


def test_publish_directory_from_the_page(world, client_for):
    club, _ = _directory_world(world)
    year = school_year_of(timezone.localdate())
    client = client_for(world.users["academie_team"])
    page = client.get(f"/reseaux/annuaire/?academie={world.home.pk}&annee={year}")
    assert "Non publié" in page.content.decode()
    response = client.post(
        f"/reseaux/annuaire/{world.home.code}/{year}/publier/",
        {"published_on": f"{year}-05-30"},
    )
    assert response.status_code == 400
    assert "comité stratégique de juin" in response.content.decode()
    response = client.post(
        f"/reseaux/annuaire/{world.home.code}/{year}/publier/", {"published_on": f"{year}-06-30"}
    )
    assert response.status_code == 302
    publication = DirectoryPublication.objects.get()
    assert publication.published_by == world.users["academie_team"]
    page = client.get(f"/reseaux/annuaire/?academie={world.home.pk}&annee={year}")
    assert f"Publié le 30/06/{year}" in page.content.decode()
    pdf = client.get(f"/reseaux/annuaire/{world.home.code}/{year}.pdf")
    assert f"Publié le 30/06/{year}" in pdf_text(pdf.content)


def test_club_export_lists_current_mandates(world, client_for):
    club = ClubFactory(academie=world.home, bassin=world.bassin)
    year = school_year_of(timezone.localdate())
    MandateFactory(club=club, school_year=year, full_name="Ref Actuel")
    MandateFactory(club=club, school_year=year - 1, full_name="Ref Ancien")
    content = b"".join(
        client_for(world.users["head_of_school"]).get("/reseaux/clubs/export.csv").streaming_content
    ).decode("utf-8-sig")
    assert "Ref Actuel" in content and "Ref Ancien" not in content


def test_mandates_to_renew_page(world, client_for):
    club = ClubFactory(academie=world.home, bassin=world.bassin)
    for year in range(2021, 2026):
        MandateFactory(club=club, role=MandateRole.PILOTE, school_year=year, email="p@ex.fr")
    MandateFactory(club=club, school_year=2025, full_name="Inès R")
    page = client_for(world.users["academie_team"]).get("/reseaux/mandats/a-renouveler/?annee=2025")
    text = page.content.decode()
    assert "5 ans atteints : à remplacer" in text and "Nommer un successeur" in text
    assert "Inès R" in text and "Renouveler" in text
    other = client_for(world.users["teacher"]).get("/reseaux/mandats/a-renouveler/?annee=2025")
    assert (
        "Inès R" in other.content.decode() and "Nommer un successeur" not in other.content.decode()
    )


def test_campus_form_computes_the_end_and_filters_ending(world, client_for):
    client = client_for(world.users["academie_team"])
    response = client.post(
        "/reseaux/campus/nouveau/",
        {
            "name": "Campus Aéro",
            "sector": "Aéronautique",
            "academie": world.home.pk,
            "label_starts_on": "2025-09-01",
            "head_establishment": world.school.uai,
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "au 31/08/2029 (4 ans)" in page
    today = timezone.localdate()
    CampusFactory(academie=world.home, name="Campus bientôt échu", label_ends_on=today)
    ending = client.get("/reseaux/campus/?label_ending=6").content.decode()
    assert "Campus bientôt échu" in ending and "Campus Aéro" not in ending
    searched = client.get("/reseaux/campus/?q=aero").content.decode()
    assert "Campus Aéro" in searched
    bad = client.post("/reseaux/campus/nouveau/", {"name": "X", "academie": world.other.pk})
    assert bad.status_code == 400
    assert "Sélectionnez un choix valide" in bad.content.decode()


# --- query counts ---------------------------------------------------------------------------


def _more_clubs(world, number):
    for _ in range(number):
        club = ClubFactory(academie=world.home, bassin=BassinFactory(academie=world.home))
        MandateFactory(club=club, school_year=school_year_of(timezone.localdate()),
                       organisation=OrganisationFactory(academie=world.home))  # fmt: skip
        MandateFactory(club=club, role=MandateRole.PILOTE,
                       school_year=school_year_of(timezone.localdate()),
                       organisation=OrganisationFactory(academie=world.home))  # fmt: skip
        ClubMemberFactory(club=club)


# Session, user, memberships; then the page's own queries.
PAGES = [
    # count + rows + the year's mandates; académie choices (count + cursor)
    ("/reseaux/?q=club", 3 + 5),
    # the académie asked for; mandates; pilotes' years; académie list (+ cursor)
    ("/reseaux/mandats/a-renouveler/", 3 + 4),
    # default académie, its lookup; clubs + mandates; publication; two choice lists (cursors),
    # the strategic meetings offered to the publication form
    ("/reseaux/annuaire/", 3 + 8),
]


@pytest.mark.parametrize("url, expected", PAGES)
@pytest.mark.parametrize("extra", [2, 20])
def test_network_lists_query_count(
    world, client_for, django_assert_num_queries, url, expected, extra
):
    _more_clubs(world, extra)
    client = client_for(world.users["academie_team"])
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("extra", [2, 20])
def test_club_detail_query_count(world, client_for, django_assert_num_queries, extra):
    club = club_create(user=world.users["academie_team"], bassin=world.bassin)
    for index in range(extra):
        ClubMemberFactory(club=club, organisation=OrganisationFactory(academie=world.home))
        ClubMemberFactory(club=club, establishment=EstablishmentFactory(academie=world.home),
                          full_name="")  # fmt: skip
        MandateFactory(club=club, school_year=2000 + index,
                       organisation=OrganisationFactory(academie=world.home))  # fmt: skip
    client = client_for(world.users["academie_team"])
    # Session, user, memberships; club; members; mandates; steering body; meetings held.
    with django_assert_num_queries(8):
        assert client.get(club.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("extra", [2, 20])
def test_campus_pages_query_count(world, client_for, django_assert_num_queries, extra):
    campus = CampusFactory(academie=world.home)
    for _ in range(extra):
        other = CampusFactory(
            academie=world.home, head_establishment=EstablishmentFactory(academie=world.home)
        )
        CampusMemberFactory(campus=other)
        CampusMemberFactory(campus=campus, organisation=OrganisationFactory(academie=world.home))
        CampusMemberFactory(campus=campus, establishment=EstablishmentFactory(academie=world.home))
    client = client_for(world.users["academie_team"])
    with django_assert_num_queries(3 + 4):  # count + rows; académie choices
        assert client.get("/reseaux/campus/").status_code == 200
    with django_assert_num_queries(3 + 2):  # campus; members
        assert client.get(campus.get_absolute_url()).status_code == 200
