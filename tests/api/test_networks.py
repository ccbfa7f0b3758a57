"""API of the networks area: clubs, mandates, campus — scoped, French 400s, query counts."""

from datetime import date

import pytest

from relais.core.school_years import school_year_of
from relais.networks.enums import MandateRole
from tests.factories import BassinFactory, OrganisationFactory
from tests.networks.factories import (
    CampusFactory,
    CampusMemberFactory,
    ClubFactory,
    ClubMemberFactory,
    MandateFactory,
)

from .conftest import results, token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def clubs(world):
    w = world
    w.club_a = ClubFactory(academie=w.academie_a, bassin=w.bassin_a1, name="Club Alpha Nord")
    w.club_b = ClubFactory(academie=w.academie_b, bassin=w.bassin_b, name="Club Bêta")
    w.campus_a = CampusFactory(academie=w.academie_a, name="Campus Alpha")
    w.campus_b = CampusFactory(academie=w.academie_b, name="Campus Bêta")
    return w


def test_clubs_are_scoped(clubs, client_for):
    names = {c["name"] for c in results(client_for("academie_team").get("/api/v1/clubs/"))}
    assert names == {"Club Alpha Nord"}
    assert client_for("academie_team").get(f"/api/v1/clubs/{clubs.club_b.pk}/").status_code == 404
    assert results(client_for("no_membership").get("/api/v1/clubs/")) == []
    national = {c["name"] for c in results(client_for("national_admin").get("/api/v1/clubs/"))}
    assert national == {"Club Alpha Nord", "Club Bêta"}
    filtered = client_for("national_admin").get("/api/v1/clubs/", {"academie": "B20"})
    assert {c["name"] for c in results(filtered)} == {"Club Bêta"}


def test_club_detail_with_members_and_current_mandates(clubs, client_for):

    year = school_year_of(date.today())
    MandateFactory(club=clubs.club_a, school_year=year, full_name="Inès R")
    ClubMemberFactory(club=clubs.club_a, full_name="Karim", by_right="animateur_pole")
    body = client_for("teacher").get(f"/api/v1/clubs/{clubs.club_a.pk}/").json()
    assert body["referent"]["full_name"] == "Inès R" and body["pilote"] is None
    assert body["members"][0]["by_right"] == "animateur_pole"


def _pilote(clubs, year, email="p@ex.fr"):
    return {
        "club": clubs.club_a.pk,
        "role": MandateRole.PILOTE,
        "school_year": year,
        "full_name": "Paul Pilote",
        "email": email,
        "appointed_on": f"{year}-06-20",
        "appointing_organisations": [clubs.regional_a.pk],
    }


def test_mandate_create_and_the_five_year_limit(clubs, client_for):
    client = client_for("academie_team")
    for year in range(2020, 2025):
        response = client.post("/api/v1/mandats/", _pilote(clubs, year), format="json")
        assert response.status_code == 201, response.content
    response = client.post("/api/v1/mandats/", _pilote(clubs, 2025), format="json")
    assert response.status_code == 400
    assert "dans la limite de 5 ans" in response.json()["non_field_errors"][0]
    response = client_for("teacher").post("/api/v1/mandats/", _pilote(clubs, 2025, "x@ex.fr"),
                                          format="json")  # fmt: skip
    assert response.status_code == 403
    foreign = {**_pilote(clubs, 2025, "y@ex.fr"), "club": clubs.club_b.pk}
    response = client.post("/api/v1/mandats/", foreign, format="json")
    assert response.status_code == 400 and "club" in response.json()
    response = client.post("/api/v1/mandats/", {**_pilote(clubs, 2025), "appointed_on": "hier"},
                           format="json")  # fmt: skip
    assert response.status_code == 400 and "appointed_on" in response.json()
    listed = results(client.get("/api/v1/mandats/", {"club": clubs.club_a.pk, "role": "pilote"}))
    assert len(listed) == 5


def test_campus_scoped_and_label_ending(clubs, client_for):
    from django.utils import timezone

    CampusFactory(academie=clubs.academie_a, name="Campus échu bientôt",
                  label_ends_on=timezone.localdate())  # fmt: skip
    client = client_for("organisation_rep")
    assert {c["name"] for c in results(client.get("/api/v1/campus/"))} == {
        "Campus Alpha", "Campus échu bientôt"
    }  # fmt: skip
    ending = results(client.get("/api/v1/campus/", {"label_ending": "6"}))
    assert [c["name"] for c in ending] == ["Campus échu bientôt"]
    assert client.get(f"/api/v1/campus/{clubs.campus_b.pk}/").status_code == 404
    bad = client.get("/api/v1/campus/", {"label_ending": "7"})
    assert bad.status_code == 400


def _more(world, number):
    for _ in range(number):
        club = ClubFactory(
            academie=world.academie_a, bassin=BassinFactory(academie=world.academie_a)
        )

        MandateFactory(club=club, school_year=school_year_of(date.today()),
                       organisation=OrganisationFactory(academie=world.academie_a))  # fmt: skip
        campus = CampusFactory(academie=world.academie_a)
        CampusMemberFactory(campus=campus)


LISTS = [
    ("/api/v1/clubs/", 3),  # count, rows, the year's mandates
    ("/api/v1/mandats/", 3),  # count, rows, appointing organisations
    ("/api/v1/campus/", 2),
]


@pytest.mark.parametrize("url, own", LISTS)
@pytest.mark.parametrize("extra", [2, 12])
def test_list_query_counts(clubs, users, django_assert_num_queries, url, own, extra):
    _more(clubs, extra)
    client = token_client(users["academie_team"])
    with django_assert_num_queries(2 + own):  # token, reach
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("extra", [2, 12])
def test_detail_query_counts(clubs, users, django_assert_num_queries, extra):
    for _ in range(extra):
        ClubMemberFactory(
            club=clubs.club_a, organisation=OrganisationFactory(academie=clubs.academie_a)
        )
        CampusMemberFactory(
            campus=clubs.campus_a, organisation=OrganisationFactory(academie=clubs.academie_a)
        )
    client = token_client(users["academie_team"])
    with django_assert_num_queries(2 + 3):  # club, mandates of the year, members
        assert client.get(f"/api/v1/clubs/{clubs.club_a.pk}/").status_code == 200
    with django_assert_num_queries(2 + 2):  # campus, members
        assert client.get(f"/api/v1/campus/{clubs.campus_a.pk}/").status_code == 200
    mandate = MandateFactory(club=clubs.club_a, role=MandateRole.PILOTE)
    mandate.appointing_organisations.set([clubs.regional_a, clubs.national])
    with django_assert_num_queries(2 + 2):  # mandate, appointing organisations
        assert client.get(f"/api/v1/mandats/{mandate.pk}/").status_code == 200
