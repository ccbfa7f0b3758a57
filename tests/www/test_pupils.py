"""Pages of the pupils (/eleves/): the school's roster per year and class, the search, the
journaled exports and record, the forms, the roster import (summary, errors by line), and
frozen query counts at two data sizes."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from relais.internships import services
from relais.pupils.models import Pupil
from relais.users.models import PersonalDataAccess
from tests.internships.factories import HubFactory, RomeCodeFactory, open_case, referred_case
from tests.pupils.factories import PupilFactory


@pytest.fixture
def hub(world):
    RomeCodeFactory(code="H2201")
    return HubFactory(bassin=world.bassin)


def test_the_roster_page_shows_classes_and_searches(world, client_for):
    PupilFactory(establishment=world.school, last_name="Élan", first_name="Noé")
    PupilFactory(establishment=world.school, class_label="4e A", level="4e")
    PupilFactory(establishment=world.school, school_year=2024, last_name="Ancien")
    PupilFactory(establishment=world.school2, last_name="Voisin")
    client = client_for(world.users["teacher"])
    page = client.get("/eleves/", {"annee": "2025"}).content.decode()
    assert "Collège Étienne Dolet — 2025-2026" in page
    assert "Élan Noé" in page and "Ancien" not in page and "Voisin" not in page
    assert "<td>Troisième" not in page and "<td>4e</td>" in page  # levels by their label
    assert '<option value="2024"' in page and '<option value="2025" selected' in page
    assert "2 élèves" in page
    page = client.get("/eleves/", {"annee": "2025", "q": "elan"}).content.decode()
    assert "Élan Noé" in page and "1 élève<" in page
    page = client.get("/eleves/", {"annee": "2025", "classe": "4e A"}).content.decode()
    assert "Élan" not in page and "1 élève<" in page
    page = client.get("/eleves/", {"annee": "2024"}).content.decode()
    assert "Ancien" in page and "Élan" not in page


def test_the_roster_defaults_to_todays_year_and_the_users_school(world, client_for):
    from relais.core.clock import today
    from relais.pupils.years import roster_year_label, roster_year_of

    client = client_for(world.users["head_of_school"])
    response = client.get("/eleves/", {"etablissement": world.school2.pk, "annee": "abc"})
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Collège Étienne Dolet — {roster_year_label(roster_year_of(today()))}" in page
    assert "Importez la liste des élèves" in page


def test_the_export_is_journaled_with_its_filters(world, client_for):
    PupilFactory(establishment=world.school, last_name="Élan", qpv=True)
    PupilFactory(establishment=world.school, class_label="4e A", level="4e")
    client = client_for(world.users["teacher"])
    response = client.get("/eleves/export/", {"annee": "2025", "classe": "3e B", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:6] == ("Établissement", "UAI", "Année scolaire", "Classe", "Niveau", "Nom")
    assert len(rows) == 2 and rows[1][5] == "Élan" and rows[1][8] == "oui"
    assert rows[1][11] == "REP+, QPV"
    csv = b"".join(client.get("/eleves/export/", {"annee": "2025"}).streaming_content)
    assert csv.decode("utf-8-sig").count("\n") == 3
    log = list(
        PersonalDataAccess.objects.order_by("pk").values_list("data", "fmt", "rows", "filters")
    )
    assert log == [
        ("pupils", "xlsx", 1, {"annee": "2025", "classe": "3e B"}),
        ("pupils", "csv", 2, {"annee": "2025"}),
    ]


def test_a_pupils_record_with_cases_and_the_button_to_open_one(world, hub, client_for):
    case = referred_case(world.school, world.users["teacher"], first_name="Inès")
    pupil = case.pupil
    alone = PupilFactory(establishment=world.school)
    teacher = client_for(world.users["teacher"])
    page = teacher.get(f"/eleves/{pupil.pk}/").content.decode()
    assert "Inès" in page and "REP+" in page and "2025-2026" in page
    assert f'href="/stages/dossiers/{case.pk}/"' in page
    assert "Ouvrir un dossier de recherche de stage" not in page  # one is open
    assert f"/eleves/{pupil.pk}/modifier/" in page
    page = teacher.get(f"/eleves/{alone.pk}/").content.decode()
    assert "Aucun dossier de recherche de stage." in page
    assert f'href="/stages/dossiers/ouvrir/{alone.pk}/"' in page
    # The pôle reads the referred pupil's record, without the school's buttons.
    page = client_for(world.users["hub_member"]).get(f"/eleves/{pupil.pk}/").content.decode()
    assert "Inès" in page and f'href="/stages/dossiers/{case.pk}/"' in page
    assert "/modifier/" not in page and "Ouvrir un dossier" not in page
    logged = PersonalDataAccess.objects.values_list("data", "about", "purpose")
    assert set(logged) == {
        ("pupil", f"pupils.pupil:{pupil.pk}", "consultation"),
        ("pupil", f"pupils.pupil:{alone.pk}", "consultation"),
    }


def test_forms_redisplay_typed_values_with_french_errors(world, client_for):
    client = client_for(world.users["teacher"])
    data = {
        "establishment": world.school.pk,
        "school_year": "2025",
        "first_name": "Inès",
        "last_name": "Démo",
        "class_label": "3e A",
        "level": "9e",
    }
    response = client.post("/eleves/nouveau/", data)
    assert response.status_code == 400
    assert 'value="Inès"' in response.content.decode() and not Pupil.objects.exists()
    response = client.post("/eleves/nouveau/", {**data, "level": "3e", "qpv": "on"})
    pupil = Pupil.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/eleves/{pupil.pk}/"
    assert (pupil.school_year, pupil.qpv) == (2025, True)
    PupilFactory(establishment=world.school, school_ref="E1")
    edit = {**data, "level": "3e", "school_ref": "E1"}
    response = client.post(f"/eleves/{pupil.pk}/modifier/", edit)
    assert response.status_code == 400
    assert "porte déjà cet identifiant" in response.content.decode()
    response = client.post(f"/eleves/{pupil.pk}/modifier/", {**edit, "school_ref": "E2"})
    assert response.status_code == 302
    pupil.refresh_from_db()
    assert pupil.school_ref == "E2"


SIECLE = (
    "Nom de famille;Prénom 1;Date de naissance;Division;Numéro élève\n"
    "MARTIN;Léa;01/02/2012;3E B;E001\n"
    "DIALLO;Moussa;15/06/2012;4E A;E002\n"
)


def _import(client, school, content: bytes, year="2025"):
    return client.post(
        "/eleves/importer/",
        {
            "establishment": school.pk,
            "school_year": year,
            "file": SimpleUploadedFile("liste.csv", content),
        },
    )


def test_the_import_page_documents_the_columns_and_sums_up(world, client_for):
    client = client_for(world.users["head_of_school"])
    page = client.get("/eleves/importer/").content.decode()
    assert "<code>prenom</code>" in page and "nom de famille, nom d&#x27;usage" in page
    assert "/eleves/modele.csv" in page
    response = _import(client, world.school, SIECLE.encode("cp1252"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Liste 2025-2026 importée : 2 élèves" in page
    assert "2 élèves ajoutés" in page
    assert "Colonnes non conservées : « Date de naissance »." in page
    assert set(Pupil.objects.values_list("last_name", "level")) == {
        ("MARTIN", "3e"),
        ("DIALLO", "4e"),
    }
    next_year = b"nom;prenom;classe\nDIALLO;Moussa;3e A\n"
    page = _import(client, world.school, next_year, year="2026").content.decode()
    assert "1 passé dans leur nouvelle classe" in page
    assert "1 élève de l'année précédente absent du fichier" in page


def test_the_import_lists_bad_lines_with_status_400(world, client_for):
    client = client_for(world.users["teacher"])
    response = _import(client, world.school, b"nom;prenom;classe\nMartin;;3e B\nA;B;ULIS\n")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Le fichier n'a pas été importé" in page
    assert "Ligne 2, colonne « prenom »" in page and "Ligne 3, colonne « classe »" in page
    assert not Pupil.objects.exists()
    response = client.post("/eleves/importer/", {"establishment": world.school2.pk})
    assert response.status_code == 400  # not the user's school, and no file


def test_the_template_is_a_csv_the_import_reads(world, client_for):
    response = client_for(world.users["teacher"]).get("/eleves/modele.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = response.content.decode("utf-8-sig")
    assert body.startswith("nom;prenom;classe;niveau;identifiant;qpv;handicap;arrivee_recente")


def test_the_menu_shows_pupils_to_the_schools_staff_only(world, client_for):
    for role in ("teacher", "head_of_school", "hub_member", "academie_team", "organisation_rep"):
        page = client_for(world.users[role]).get("/").content.decode()
        assert ('href="/eleves/"' in page) == (role in ("teacher", "head_of_school")), role
        cases = 'href="/stages/dossiers/"' in page
        assert cases == (role in ("teacher", "head_of_school", "hub_member")), role
        engine = 'href="/stages/calculs/"' in page
        assert engine == (role == "hub_member"), role


# --- frozen query counts -------------------------------------------------------------------


def _more(world, hub, n):
    for i in range(n):
        PupilFactory(
            establishment=world.school,
            class_label=f"{3 + i % 2}e {'AB'[i % 2]}",
            level=f"{3 + i % 2}e",
            qpv=bool(i % 3),
        )
        referred_case(world.school, world.users["teacher"])


# Session, user and memberships (3), then the page's own queries.
PAGES = [
    # schools, classes, years, count, rows (with the school)
    ("teacher", "/eleves/?annee=2025", 8),
    ("teacher", "/eleves/?annee=2025&classe=3e+A&q=lina", 8),
    # the schools of the form's choice
    ("head_of_school", "/eleves/importer/", 4),
    ("teacher", "/eleves/nouveau/", 4),
]


@pytest.mark.parametrize(("role", "path", "queries"), PAGES)
@pytest.mark.parametrize("n", [2, 12])
def test_list_query_counts(
    world, hub, client_for, django_assert_num_queries, role, path, queries, n
):
    _more(world, hub, n)
    client = client_for(world.users[role])
    with django_assert_num_queries(queries):
        assert client.get(path).status_code == 200


@pytest.mark.parametrize("n", [2, 12])
def test_detail_query_counts(world, hub, client_for, django_assert_num_queries, n):
    _more(world, hub, n)
    case = referred_case(world.school, world.users["teacher"])
    services.case_move(user=world.users["teacher"], case=case, step="retirer")
    open_case(world.school, world.users["teacher"], pupil=case.pupil)  # a second case
    # the pupil (with its school), the journal entry, its cases (with their period, pôle and
    # owner); for the school, also its parcours Avenir (objectives, credits), which the pôle
    # does not read
    for role, queries in (("teacher", 8), ("hub_member", 6)):
        client = client_for(world.users[role])
        with django_assert_num_queries(queries):
            page = client.get(f"/eleves/{case.pupil_id}/")
        assert page.status_code == 200
        assert ("Expériences du parcours" in page.content.decode()) == (role == "teacher")
    # the pupil; the form has no query of its own
    client = client_for(world.users["teacher"])
    with django_assert_num_queries(4):
        assert client.get(f"/eleves/{case.pupil_id}/modifier/").status_code == 200
