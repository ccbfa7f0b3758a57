"""CSV import of pupils: one transaction, every bad line named with its line and column."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from relais.internships.enums import CaseState
from relais.internships.models import Pupil
from relais.internships.services.imports import PupilImportError, pupils_import_csv
from tests.factories import CommuneFactory
from tests.internships.factories import PeriodFactory

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
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    lina = Pupil.objects.get(first_name="Lina")
    assert lina.wishes == ["H22", "D11"] and lina.max_km == 12 and lina.qpv
    assert lina.home_commune == commune and lina.period == period and lina.school_ref == "E-1"
    assert lina.cases.get().state == CaseState.SEARCHING_ALONE
    assert Pupil.objects.get(first_name="Noah").newly_arrived
    again = pupils_import_csv(user=teacher, establishment=world.school, path=path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


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
    assert not Pupil.objects.exists()


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
