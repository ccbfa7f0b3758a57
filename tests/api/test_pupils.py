"""API of the pupils: the rosters of the user's own schools (scoped, journaled), one pupil
(their school and the pôle their case is referred to), the roster import (multipart, all or
nothing, French line errors), frozen query counts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from relais.pupils.models import Pupil
from relais.users.enums import Role
from relais.users.models import PersonalDataAccess
from tests.factories import make_user
from tests.internships.factories import HubFactory, RomeCodeFactory, referred_case
from tests.pupils.factories import PupilFactory

from .conftest import ROLES, token_client

LIST = "/api/v1/eleves/"
IMPORT = "/api/v1/eleves/import/"
SCHOOL = {"teacher", "head_of_school"}
CSV = "nom;prenom;classe;Date de naissance\nMartin;Léa;3e B;01/02/2012\nDiallo;Moussa;4e A;\n"


@pytest.fixture
def pupils(world, users):
    RomeCodeFactory(code="H2201")
    HubFactory(bassin=world.bassin_a1)
    referred = referred_case(world.school_a1, users["teacher"], last_name="Orienté").pupil
    roster = PupilFactory(establishment=world.school_a1, last_name="Élan", first_name="Noé")
    other = PupilFactory(establishment=world.school_a2, last_name="Ailleurs")
    return referred, roster, other


@pytest.mark.parametrize("role", [*ROLES, "other_principal"])
def test_rosters_are_the_schools_and_journaled(world, users, pupils, role):
    referred, roster, other = pupils
    if role == "other_principal":
        user = make_user(Role.HEAD_OF_SCHOOL, world.school_a2)
    else:
        user = users[role]
    client = token_client(user)
    found = {item["id"] for item in client.get(LIST).json()["results"]}
    expected = {
        "teacher": {referred.pk, roster.pk},
        "head_of_school": {referred.pk, roster.pk},
        "other_principal": {other.pk},
    }.get(role, set())
    assert found == expected
    # One pupil: their school, and the pôle their case is referred to.
    readers = SCHOOL | {"hub_member"}
    assert client.get(f"{LIST}{referred.pk}/").status_code == (200 if role in readers else 404)
    assert client.get(f"{LIST}{roster.pk}/").status_code == (200 if role in SCHOOL else 404)
    log = [
        (r.purpose, r.data, r.about)
        for r in PersonalDataAccess.objects.filter(user=user).order_by("pk")
    ]
    exports = [("export", "pupils", "")] if expected else []
    reads = [("consultation", "pupil", f"pupils.pupil:{referred.pk}")] if role in readers else []
    if role in SCHOOL:
        reads.append(("consultation", "pupil", f"pupils.pupil:{roster.pk}"))
    assert log == exports + reads


def test_a_pupil_and_the_filters(world, users, pupils, client_for):
    referred, roster, _ = pupils
    client = client_for("teacher")
    item = client.get(f"{LIST}{roster.pk}/").json()
    assert item["establishment"] == world.school_a1.uai
    assert (item["school_year"], item["school_year_label"]) == (2025, "2025-2026")
    assert (item["level"], item["class_label"], item["priority"]) == ("3e", "3e B", ["REP"])
    assert {i["id"] for i in client.get(LIST, {"q": "elan noe"}).json()["results"]} == {roster.pk}
    assert client.get(LIST, {"annee": "2024"}).json()["results"] == []
    uai = world.school_a1.uai.lower()
    assert len(client.get(LIST, {"etablissement": uai, "classe": "3e B"}).json()["results"]) == 2
    assert client.get(LIST, {"annee": "deux"}).status_code == 400


def _post(client, uai, content, year=2026, name="liste.csv"):
    upload = SimpleUploadedFile(name, content.encode("utf-8"), content_type="text/csv")
    return client.post(
        IMPORT, {"establishment": uai, "school_year": year, "file": upload}, format="multipart"
    )


def test_roster_import_answers_the_result_then_is_idempotent(world, users, client_for):
    client = client_for("teacher")
    response = _post(client, world.school_a1.uai, CSV)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["moved_up"], body["updated"], body["unchanged"]) == (2, 0, 0, 0)
    assert body["ignored_columns"] == ["Date de naissance"] and body["total"] == 2
    assert Pupil.objects.get(last_name="Diallo").level == "4e"  # deduced from the class
    again = _post(client, world.school_a1.uai, CSV).json()
    assert (again["created"], again["unchanged"]) == (0, 2)


def test_roster_import_errors_are_french_and_write_nothing(world, users, client_for):
    client = client_for("head_of_school")
    response = _post(client, world.school_a1.uai, "nom;prenom;classe\nMartin;;3e B\nA;B;\n")
    assert response.status_code == 400
    errors = response.json()["file"]
    assert errors[0].startswith("Ligne 2, colonne « prenom »")
    assert errors[1].startswith("Ligne 3, colonne « classe »")
    assert not Pupil.objects.exists()
    response = _post(client, world.school_a2.uai, CSV)  # not the user's school
    assert response.status_code == 400 and "establishment" in response.json()
    response = _post(client, world.school_a1.uai, CSV, year=1800)
    assert response.status_code == 400 and "school_year" in response.json()
    assert not Pupil.objects.exists()


@pytest.mark.parametrize("role", sorted(set(ROLES) - SCHOOL))
def test_only_schools_import_their_roster(world, users, client_for, role):
    response = _post(client_for(role), world.school_a1.uai, CSV)
    assert response.status_code == 403
    assert not Pupil.objects.exists()


@pytest.mark.parametrize("n", [2, 12])
def test_query_counts(world, users, django_assert_num_queries, n):
    for i in range(n):
        PupilFactory(establishment=world.school_a1, class_label=f"3e {'AB'[i % 2]}")
    client = token_client(users["teacher"])
    # token, reach, count, page (with the school), the journal entry
    with django_assert_num_queries(5):
        assert len(client.get(LIST).json()["results"]) == n
    pupil = Pupil.objects.first()
    # token, reach, the pupil (with its school), the journal entry
    with django_assert_num_queries(4):
        assert client.get(f"{LIST}{pupil.pk}/").status_code == 200
