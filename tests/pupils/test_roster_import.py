"""Import of a school's roster from the CSV of its information system (``relais.pupils.
services.roster``): encodings, separators, SIECLE-like headers, level from the class, bad
lines by number and nothing written, idempotence, the next year's roster moving pupils up."""

import pytest
from django.core.exceptions import PermissionDenied

from relais.pupils.models import Pupil
from relais.pupils.services import RosterImportError, level_of, roster_import_csv
from relais.pupils.services.roster import template_rows
from tests.pupils.factories import PupilFactory


def write(tmp_path, text: str, *, encoding="utf-8", name="liste.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run(world, path, year=2025, role="teacher"):
    return roster_import_csv(
        user=world.users[role], establishment=world.school, path=path, school_year=year
    )


def roster(world, year=None):
    pupils = Pupil.objects.filter(establishment=world.school)
    if year is not None:
        pupils = pupils.filter(school_year=year)
    return {(p.last_name, p.first_name, p.class_label, p.level, p.school_year) for p in pupils}


SIECLE = (
    "Nom de famille;Prénom 1;Date de naissance;Sexe;Division;MEF;Adresse;Numéro élève\n"
    "MARTIN;Léa;01/02/2012;F;3E B;3EME;1 rue des Lilas;E001\n"
    "DIALLO;Moussa;15/06/2012;M;3E B;3EME;;E002\n"
    "N'GUYEN;Thi Mai;03/11/2013;F;4E A;4EME;;E003\n"
)


def test_a_siecle_export_keeps_the_minimum_and_names_the_ignored_columns(world, tmp_path):
    result = run(world, write(tmp_path, SIECLE))
    assert (result.created, result.moved_up, result.updated, result.unchanged) == (3, 0, 0, 0)
    assert result.ignored_columns == ["Date de naissance", "Sexe", "Adresse"]
    assert roster(world) == {
        ("MARTIN", "Léa", "3E B", "3e", 2025),
        ("DIALLO", "Moussa", "3E B", "3e", 2025),
        ("N'GUYEN", "Thi Mai", "4E A", "4e", 2025),
    }
    lea = Pupil.objects.get(first_name="Léa")
    assert lea.school_ref == "E001" and not (lea.qpv or lea.disability or lea.newly_arrived)
    assert str(lea.retention_until) == "2026-08-31"
    assert lea.priority_labels == ["REP+"]  # from the school (world.school is REP+)


def test_utf8_with_bom_and_a_comma(world, tmp_path):
    text = "\ufeffnom,prenom,classe,qpv\nÉlan,Noé,5e C,oui\nBernard,Zoé,5e C,0\n"
    run(world, write(tmp_path, text))
    noe = Pupil.objects.get(first_name="Noé")
    assert (noe.last_name, noe.level, noe.qpv) == ("Élan", "5e", True)


def test_cp1252_accents_and_tabs(world, tmp_path):
    text = "nom\tprénom\tclasse\thandicap\r\nHélène\tAndré\t6e A\tx\r\nCœur\tFrançoise\t6e A\t\r\n"
    run(world, write(tmp_path, text, encoding="cp1252"))
    assert roster(world) == {
        ("Hélène", "André", "6e A", "6e", 2025),
        ("Cœur", "Françoise", "6e A", "6e", 2025),
    }
    assert Pupil.objects.get(first_name="André").disability


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("3EME", "3e"),
        ("3e B", "3e"),
        ("2NDE PRO MELEC", "2nde_pro"),
        ("1ERE GT 2", "1re"),
        ("TLE PRO CUISINE", "tle_pro"),
        ("CAP2 CUISINE", "cap2"),
        ("1re_pro", "1re_pro"),
        ("Seconde générale et technologique", "2nde"),
        ("ULIS", None),
        ("", None),
    ],
)
def test_level_from_a_level_or_a_class(text, level):
    assert level_of(text) == level


def test_every_bad_line_is_reported_by_number_and_nothing_is_written(world, tmp_path):
    text = (
        "nom;prenom;classe;niveau;qpv\n"
        "Martin;Léa;3e B;;0\n"
        "Diallo;;3e B;;0\n"  # line 3: no first name
        "Petit;Jean;ULIS;;0\n"  # line 4: no level anywhere
        "Roux;Anna;3e B;9e;0\n"  # line 5: unknown level
        "Blanc;Paul;3e B;;peut-être\n"  # line 6: not a yes/no
        "martin;LÉA;3e C;;0\n"  # line 7: the same pupil as line 2
    )
    with pytest.raises(RosterImportError) as error:
        run(world, write(tmp_path, text))
    assert [message[:8] for message in error.value.errors] == [
        "Ligne 3,",
        "Ligne 4,",
        "Ligne 5,",
        "Ligne 6,",
        "Ligne 7 ",
    ]
    assert "colonne « prenom » : la valeur est obligatoire" in error.value.errors[0]
    assert "la classe « ULIS » ne le dit pas" in error.value.errors[1]
    assert "niveau « 9e » inconnu" in error.value.errors[2]
    assert "« peut-être » n'est pas oui/non" in error.value.errors[3]
    assert "élève en double (déjà ligne 2)" in error.value.errors[4]
    assert not Pupil.objects.exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("prenom;classe\nLéa;3e B\n", "Ligne 1 : colonne(s) manquante(s) « nom »"),
        ("nom;prenom;classe\n", "Le fichier ne contient aucun élève."),
        ("", "le fichier est vide"),
        ("nom;prenom;classe\nMartin;Léa\n", "Ligne 2"),
    ],
)
def test_a_broken_file_says_why(world, tmp_path, text, expected):
    with pytest.raises(RosterImportError) as error:
        run(world, write(tmp_path, text))
    assert expected in error.value.errors[0]
    assert not Pupil.objects.exists()


def test_the_same_file_twice_changes_nothing(world, tmp_path):
    path = write(tmp_path, SIECLE)
    run(world, path)
    before = list(Pupil.objects.order_by("pk").values())
    again = run(world, path)
    assert (again.created, again.moved_up, again.updated, again.unchanged) == (0, 0, 0, 3)
    assert list(Pupil.objects.order_by("pk").values()) == before


def test_a_correction_of_the_same_year_updates(world, tmp_path):
    run(world, write(tmp_path, SIECLE))
    corrected = SIECLE.replace("DIALLO;Moussa;15/06/2012;M;3E B", "DIALLO;Moussa;15/06/2012;M;3E C")
    result = run(world, write(tmp_path, corrected))
    assert (result.updated, result.unchanged) == (1, 2)
    assert Pupil.objects.get(first_name="Moussa").class_label == "3E C"


def test_next_years_roster_moves_pupils_up_without_duplicates(world, tmp_path):
    run(world, write(tmp_path, SIECLE), year=2025)
    first_ids = {p.first_name: p.pk for p in Pupil.objects.all()}
    next_year = (
        "Nom de famille;Prénom 1;Division;Numéro élève\n"
        "N'GUYEN;Thi Mai;3E A;E003\n"  # moved up, same identifier
        "Durand;Hugo;6E B;E010\n"  # arrived
    )
    result = run(world, write(tmp_path, next_year), year=2026)
    assert (result.created, result.moved_up, result.updated, result.unchanged) == (1, 1, 0, 0)
    assert result.left == 2  # Léa and Moussa (3e in 2025) have left the collège
    assert Pupil.objects.count() == 4
    thi_mai = Pupil.objects.get(first_name="Thi Mai")
    assert thi_mai.pk == first_ids["Thi Mai"]
    assert (thi_mai.class_label, thi_mai.level, thi_mai.school_year) == ("3E A", "3e", 2026)
    assert str(thi_mai.retention_until) == "2027-08-31"
    # The leavers are kept (for their retention period), on their last year's roster.
    assert Pupil.objects.get(first_name="Léa").school_year == 2025
    assert roster(world, 2026) == {
        ("N'GUYEN", "Thi Mai", "3E A", "3e", 2026),
        ("Durand", "Hugo", "6E B", "6e", 2026),
    }


def test_pupils_typed_without_identifier_are_found_by_their_names(world, tmp_path):
    typed = PupilFactory(
        establishment=world.school, last_name="Élan", first_name="Noé", class_label="4e A",
        level="4e", school_year=2025,
    )  # fmt: skip
    result = run(world, write(tmp_path, "nom;prenom;classe;identifiant\nELAN;noé;3e A;E77\n"), 2026)
    assert (result.created, result.moved_up) == (0, 1)
    typed.refresh_from_db()
    assert (typed.school_ref, typed.class_label, typed.school_year) == ("E77", "3e A", 2026)


def test_a_pupil_already_on_a_later_roster_is_refused(world, tmp_path):
    run(world, write(tmp_path, SIECLE), year=2026)
    with pytest.raises(RosterImportError) as error:
        run(world, write(tmp_path, SIECLE), year=2025)
    assert error.value.errors[0].startswith(
        "Ligne 2 : Léa MARTIN figure déjà sur la liste de 2026-2027"
    )
    assert len(error.value.errors) == 3
    assert set(Pupil.objects.values_list("school_year", flat=True)) == {2026}


def test_another_schools_pupils_are_never_matched(world, tmp_path):
    PupilFactory(establishment=world.school2, last_name="MARTIN", first_name="Léa")
    run(world, write(tmp_path, SIECLE))
    assert Pupil.objects.filter(last_name="MARTIN").count() == 2


@pytest.mark.parametrize("role", ["hub_member", "academie_team", "national_admin"])
def test_only_the_school_imports_its_roster(world, tmp_path, role):
    with pytest.raises(PermissionDenied):
        run(world, write(tmp_path, SIECLE), role=role)
    with pytest.raises(PermissionDenied):
        roster_import_csv(
            user=world.users["teacher"],
            establishment=world.school2,
            path=write(tmp_path, SIECLE),
            school_year=2025,
        )
    assert not Pupil.objects.exists()


def test_a_bad_year_is_refused(world, tmp_path):
    with pytest.raises(RosterImportError) as error:
        run(world, write(tmp_path, SIECLE), year=1789)
    assert "L'année scolaire doit être comprise entre" in error.value.errors[0]


def test_the_template_is_importable(world, tmp_path):
    text = "".join(";".join(row) + "\n" for row in template_rows())
    result = run(world, write(tmp_path, text))
    assert result.created == 2 and result.ignored_columns == []
