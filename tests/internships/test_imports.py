"""CSV import of the pupils who need an internship: each line upserts a pupil of the school's
roster (``relais.pupils``) and opens or updates their case with the search columns; one
transaction, every bad line named with its line and column."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from relais.internships import services
from relais.internships.enums import CaseState
from relais.internships.models import PlacementCase
from relais.internships.services.imports import PupilImportError, pupils_import_csv
from relais.pupils.models import Pupil
from relais.pupils.years import roster_year_of
from tests.factories import CommuneFactory
from tests.internships.factories import PeriodFactory
from tests.pupils.factories import PupilFactory

HEADER = (
    "nom;prenom;classe;niveau;voeux;distance_km;qpv;handicap;accessibilite;arrivee_recente;"
    "commune_insee;identifiant"
)


def write(tmp_path, *lines, encoding="utf-8"):
    path = tmp_path / "eleves.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


@pytest.fixture
def period(world, hub):
    today = datetime.date.today()
    first = today.year if today.month >= 8 else today.year - 1
    return PeriodFactory(
        establishment=world.school,
        school_year=f"{first}-{first + 1}",
        start=datetime.date(first + 1, 2, 2),
        end=datetime.date(first + 1, 2, 6),
    )


def test_import_creates_pupils_with_their_case_then_is_idempotent(world, hub, period, tmp_path):
    commune = CommuneFactory(insee_code="34172")
    path = write(
        tmp_path,
        HEADER,
        "Demo;Lina;3e B;3e;H22, D11;12;1;0;0;0;34172;E-1",
        "Exemple;Noah;3e B;3eme;;;0;0;0;1;;",
    )
    teacher = world.users["teacher"]
    result = pupils_import_csv(user=teacher, establishment=world.school, path=path)
    assert (result.created, result.opened, result.updated, result.unchanged) == (2, 0, 0, 0)
    lina = Pupil.objects.get(first_name="Lina")
    assert lina.qpv and lina.school_ref == "E-1" and lina.level == "3e"
    assert lina.school_year == roster_year_of(datetime.date.today())
    case = lina.cases.get()
    assert case.state == CaseState.SEARCHING_ALONE
    assert case.wishes == ["H22", "D11"] and case.max_km == 12
    assert case.home_commune == commune and case.period == period
    assert [(j.transition, j.by) for j in case.journal.all()] == [("ouvrir", teacher)]
    assert Pupil.objects.get(first_name="Noah").newly_arrived
    again = pupils_import_csv(user=teacher, establishment=world.school, path=path)
    assert (again.created, again.opened, again.updated, again.unchanged) == (0, 0, 0, 2)
    assert Pupil.objects.count() == 2 and PlacementCase.objects.count() == 2


def test_pupils_already_on_the_roster_are_found_not_duplicated(world, hub, period, tmp_path):
    """The roster's pupils (imported from the school's information system) are matched by
    identifier, or by names (accents and case aside): their case is opened, their roster
    record kept; a pupil with an open case gets it updated."""
    year = roster_year_of(datetime.date.today())
    by_ref = PupilFactory(establishment=world.school, school_ref="E-1", school_year=year)
    by_name = PupilFactory(
        establishment=world.school, first_name="Noah", last_name="Élan", school_year=year - 1,
        class_label="4e A", level="4e",
    )  # fmt: skip
    teacher = world.users["teacher"]
    searching = services.case_open(user=teacher, pupil=by_ref, data={"max_km": 5})
    path = write(
        tmp_path,
        HEADER,
        "Autre;Nom;3e B;3e;H22;20;0;0;1;0;;E-1",
        "ELAN;noah;3e A;3e;D11;;0;0;0;0;;",
    )
    result = pupils_import_csv(user=teacher, establishment=world.school, path=path)
    assert (result.created, result.opened, result.updated, result.unchanged) == (0, 1, 1, 0)
    assert Pupil.objects.count() == 2
    searching.refresh_from_db()
    assert (searching.wishes, searching.max_km, searching.needs_access) == (["H22"], 20, True)
    by_name.refresh_from_db()  # moved up to this year's class
    assert (by_name.class_label, by_name.level, by_name.school_year) == ("3e A", "3e", year)
    assert by_name.cases.get().wishes == ["D11"]


def test_a_column_left_out_changes_nothing(world, hub, period, tmp_path):
    teacher = world.users["teacher"]
    path = write(tmp_path, HEADER, "Demo;Lina;3e B;3e;H22;12;1;0;1;0;;E-1")
    pupils_import_csv(user=teacher, establishment=world.school, path=path)
    path = write(tmp_path, "nom;prenom;classe;niveau;identifiant", "Demo;Lina;3e B;3e;E-1")
    result = pupils_import_csv(user=teacher, establishment=world.school, path=path)
    assert result.unchanged == 1
    case = PlacementCase.objects.get()
    assert (case.wishes, case.max_km, case.needs_access, case.pupil.qpv) == (
        ["H22"], 12, True, True,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Demo;Lina;3e B;4e;;;;;;;;", "Ligne 3, colonne « niveau » : niveau « 4e » inconnu"),
        ("Demo;Lina;3e B;3e;ZZZ;;;;;;;", "Ligne 3, colonne « voeux »"),
        ("Demo;Lina;3e B;3e;;douze;;;;;;", "Ligne 3, colonne « distance_km » : « douze »"),
        (
            "Demo;Lina;3e B;3e;;;oui;;;;;",
            "Ligne 3, colonne « qpv » : « oui » n'est pas une valeur 0 ou 1",
        ),
        ("Demo;Lina;3e B;3e;;;;;;;99999;", "Ligne 3, colonne « commune_insee »"),
        ("Demo;;3e B;3e;;;;;;;;", "Ligne 3, colonne « prenom » : la valeur est obligatoire"),
        ("Demo;Lina;3e B", "Ligne 3, colonne « niveau » : ligne incomplète"),
        ("Demo2;Léa;3e A;3e;;;;;;;;E-1", "Ligne 3 : élève en double (déjà ligne 2)"),
    ],
)
def test_a_bad_line_is_reported_and_nothing_is_written(world, hub, tmp_path, line, expected):
    path = write(tmp_path, HEADER, "Demo;Lina;3e B;3e;H22;;;;;;;E-1", line)
    with pytest.raises(PupilImportError) as error:
        pupils_import_csv(user=world.users["teacher"], establishment=world.school, path=path)
    assert any(message.startswith(expected) for message in error.value.errors), error.value.errors
    assert not Pupil.objects.exists() and not PlacementCase.objects.exists()


def test_every_bad_line_is_listed(world, hub, tmp_path):
    path = write(tmp_path, HEADER, "A;B;3e;9e;;;;;;;;", "C;D;3e;3e;;;;;;;;", "E;F;3e;3e;;;2;;;;;")
    with pytest.raises(PupilImportError) as error:
        pupils_import_csv(user=world.users["teacher"], establishment=world.school, path=path)
    assert [m[:7] for m in error.value.errors] == ["Ligne 2", "Ligne 4"]


def test_bad_header_and_encoding(world, hub, tmp_path):
    path = write(tmp_path, "nom,prenom,classe,niveau", "A,B,3e,3e")
    with pytest.raises(PupilImportError) as error:
        pupils_import_csv(user=world.users["teacher"], establishment=world.school, path=path)
    assert "séparateur attendu est « ; »" in error.value.errors[0]
    path = write(tmp_path, HEADER, "Hélène;B;3e;3e;;;;;;;;", encoding="latin-1")
    with pytest.raises(PupilImportError) as error:
        pupils_import_csv(user=world.users["teacher"], establishment=world.school, path=path)
    assert error.value.errors[0].startswith("Ligne 2 : le fichier n'est pas encodé en UTF-8")


def test_only_the_school_imports(world, hub, tmp_path):
    path = write(tmp_path, HEADER, "A;B;3e;3e;;;;;;;;")
    with pytest.raises(PermissionDenied):
        pupils_import_csv(user=world.users["hub_member"], establishment=world.school, path=path)
    with pytest.raises(PermissionDenied):
        pupils_import_csv(user=world.users["teacher"], establishment=world.school2, path=path)
