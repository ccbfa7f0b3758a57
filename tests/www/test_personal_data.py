"""Issue 17, item 4: pupils' data per role (the pupil's school and the pôle that handles the
case, nobody else; figures above the school), and the journal of personal-data accesses
(single reads and every export of people's names or addresses: who, when, what, why),
append-only, browsed by the national administration in the back-office."""

import pytest
from django.db import transaction
from django.utils import timezone

from relais.users.enums import Role
from relais.users.models import PersonalDataAccess
from tests.conftest import ROLES
from tests.factories import make_user
from tests.internships.factories import HubFactory, RomeCodeFactory, referred_case
from tests.pupils.factories import PupilFactory

from . import test_matrix_volunteers

vworld = test_matrix_volunteers.vworld

# The pupil's school, and the pôle that handles the referred case.
READERS = {"head_of_school", "teacher", "hub_member"}
# Who may open the case pages at all, on their own pupils (others: 403; the académie team
# and the bassin référent are told that they get figures only).
PUPIL_PAGES = READERS | {"other_principal"}
# Who may open the rosters (/eleves/): the schools' staff, on their own school.
ROSTER = {"head_of_school", "teacher", "other_principal"}
ALL_ROLES = [role for role in ROLES if role != "anonymous"] + ["other_principal"]


@pytest.fixture
def pupils(world):
    RomeCodeFactory(code="H2201")
    HubFactory(bassin=world.bassin)
    teacher = world.users["teacher"]
    referred = referred_case(
        world.school, teacher, first_name="Inès", last_name="Referee", needs_access=True
    )
    alone = PupilFactory(establishment=world.school, first_name="Hugo", last_name="Seulement")
    world.users["other_principal"] = make_user(Role.HEAD_OF_SCHOOL, world.school2)
    return referred, alone


def _journal(user):
    return [
        (row.purpose, row.data, row.about, row.fmt)
        for row in PersonalDataAccess.objects.filter(user=user).order_by("pk")
    ]


@pytest.mark.parametrize("role", ALL_ROLES)
def test_a_referred_pupils_page_and_its_journal(world, pupils, client_for, role):
    referred, _ = pupils
    user = world.users[role]
    pupil = referred.pupil
    response = client_for(user).get(f"/eleves/{pupil.pk}/")
    reads = role in READERS
    assert response.status_code == (200 if reads else 404)
    assert ("Referee" in response.content.decode()) == reads
    about = f"pupils.pupil:{pupil.pk}"
    assert _journal(user) == ([("consultation", "pupil", about, "html")] if reads else [])
    if reads:
        row = PersonalDataAccess.objects.get(user=user)
        assert row.get_purpose_display() == "consultation de la fiche"
        assert (timezone.now() - row.at).total_seconds() < 60


@pytest.mark.parametrize("role", ALL_ROLES)
def test_names_in_lists_and_exports(world, pupils, client_for, role):
    referred, alone = pupils
    user = world.users[role]
    client = client_for(user)
    school_side = role in ("head_of_school", "teacher")
    # The roster names every pupil of the school; the cases, the referred ones to the pôle.
    pages = [("/eleves/?annee=2025", ROSTER), ("/stages/dossiers/?tous=1", PUPIL_PAGES)]
    for path, allowed in pages:
        response = client.get(path)
        assert response.status_code == (200 if role in allowed else 403), path
        body = response.content.decode()
        assert ("Referee" in body) == (role in READERS and role in allowed), path
        assert ("Seulement" in body) == (school_side and path.startswith("/eleves/")), path
    exports = [
        ("/eleves/export/?annee=2025", "pupils", ROSTER),
        ("/stages/dossiers/export/?tous=1", "cases", PUPIL_PAGES),
    ]
    expected = []
    for path, data, allowed in exports:
        response = client.get(path)
        assert response.status_code == (200 if role in allowed else 403), path
        if response.status_code == 200:
            expected.append(("export", data, "csv"))
            body = b"".join(response.streaming_content).decode("utf-8-sig")
            assert ("Referee" in body) == (role in READERS), path
            assert ("Seulement" in body) == (data == "pupils" and school_side), path
    logged = [(row[0], row[1], row[3]) for row in _journal(user)]
    assert logged == expected


def test_an_export_is_journaled_with_its_filters(world, pupils, client_for):
    client = client_for(world.users["teacher"])
    client.get("/eleves/export/", {"q": "Referee", "annee": "2025", "format": "xlsx", "page": "2"})
    row = PersonalDataAccess.objects.get()
    assert (row.purpose, row.data, row.fmt, row.rows) == ("export", "pupils", "xlsx", 1)
    assert row.filters == {"q": "Referee", "annee": "2025"}
    assert row.get_purpose_display() == "export"


@pytest.mark.parametrize("role", ["academie_team", "bassin_referent"])
def test_above_the_school_figures_only(world, pupils, client_for, role):
    client = client_for(world.users[role])
    home = client.get("/stages/")
    assert home.status_code == 200
    assert home.context["open_cases"] == 1 and home.context["referred"] == 1
    assert "vous en voyez les chiffres" in home.content.decode()
    assert "Referee" not in home.content.decode()
    indicators = client.get("/stages/indicateurs/?group=etablissement")
    assert indicators.status_code == 200 and "Referee" not in indicators.content.decode()
    page = client.get("/eleves/")
    assert page.status_code == 403
    assert "La liste des élèves est réservée à leur établissement." in page.content.decode()
    page = client.get("/stages/dossiers/")
    assert page.status_code == 403
    assert "réservés à leur établissement et au pôle" in page.content.decode()


def test_the_journal_is_append_only(world, pupils, client_for):
    referred, _ = pupils
    client_for(world.users["teacher"]).get(f"/eleves/{referred.pupil_id}/")
    row = PersonalDataAccess.objects.get()
    with pytest.raises(Exception, match="append_only|Cannot update"), transaction.atomic():
        PersonalDataAccess.objects.filter(pk=row.pk).update(description="effacé")
    with pytest.raises(Exception, match="append_only|Cannot delete"), transaction.atomic():
        PersonalDataAccess.objects.filter(pk=row.pk).delete()
    assert PersonalDataAccess.objects.get().description == row.description


def test_the_national_administration_browses_the_journal(world, pupils, client_for):
    referred, _ = pupils
    client_for(world.users["hub_member"]).get(f"/eleves/{referred.pupil_id}/")
    admin = client_for(world.users["national_admin"])
    listing = admin.get("/admin/users/personaldataaccess/")
    assert listing.status_code == 200
    assert f"Fiche de l&#x27;élève n° {referred.pupil_id}" in listing.content.decode()
    row = PersonalDataAccess.objects.get()
    assert admin.get(f"/admin/users/personaldataaccess/{row.pk}/change/").status_code == 200
    assert admin.get("/admin/users/personaldataaccess/add/").status_code == 403
    assert admin.post(f"/admin/users/personaldataaccess/{row.pk}/delete/").status_code == 403
    staff = make_user(Role.ACADEMIE_TEAM, world.home, is_staff=True)
    assert client_for(staff).get("/admin/users/personaldataaccess/").status_code == 403
    team = client_for(world.users["academie_team"]).get("/admin/users/personaldataaccess/")
    assert team.status_code == 302 and "/login/" in team["Location"]


# --- Exports of other people's data (reservists, advisers, clubs, schools' contacts) -----------

EXPORTS = [
    ("/benevoles/conseillers/export/", "advisors", "csv"),
    ("/benevoles/conseillers/interventions/export/?format=xlsx", "interventions", "xlsx"),
    ("/benevoles/conseillers/liste-nominative/csv/", "nominative", "csv"),
    ("/benevoles/conseillers/liste-nominative/pdf/", "nominative", "pdf"),
    ("/benevoles/reserve/candidatures/export/", "reserve_applications", "csv"),
    ("/benevoles/reserve/sollicitations/export/", "reserve_requests", "csv"),
    ("/benevoles/immersions/candidatures/export/", "immersions", "csv"),
    ("/benevoles/parcours-56h/en-retard/?format=csv", "course", "csv"),
    ("/reseaux/clubs/export.csv", "clubs", "csv"),
    ("/reseaux/mandats/a-renouveler/?format=xlsx", "mandates", "xlsx"),
    ("/reseaux/annuaire/91/2025.csv", "club_directory", "csv"),
    ("/actions/demandes/export.csv", "action_requests", "csv"),
]


@pytest.mark.parametrize(("path", "data", "fmt"), EXPORTS)
def test_every_export_of_people_is_journaled(vworld, client_for, path, data, fmt):
    user = vworld.world.users["academie_team"]
    response = client_for(user).get(path)
    assert response.status_code == 200, path
    row = PersonalDataAccess.objects.get()
    assert (row.user, row.purpose, row.data, row.fmt) == (user, "export", data, fmt)
    assert row.description and row.rows is not None


def test_the_advisers_export_keeps_its_filters(vworld, client_for):
    client = client_for(vworld.world.users["academie_team"])
    client.get("/benevoles/conseillers/export/", {"q": "Dupont", "format": "xlsx"})
    row = PersonalDataAccess.objects.get()
    assert (row.data, row.fmt, row.filters) == ("advisors", "xlsx", {"q": "Dupont"})
