"""import_academies: régions académiques and académies, with their school-holiday zone."""

import pytest
from django.core.management.base import CommandError

from relais.territories.imports import HOLIDAY_ZONES, holiday_zone
from relais.territories.models import AcademicRegion, Academie, HolidayZone
from tests.importfiles import (
    ACADEMIES,
    DATA_DIR,
    real_lines,
    replace_field,
    run_import,
    table_counts,
    write_csv,
)

pytestmark = pytest.mark.django_db


def test_real_file_creates_18_regions_and_30_academies_each_with_a_zone():
    output = run_import("import_academies", DATA_DIR / ACADEMIES)
    assert "régions académiques : 18 créés" in output
    assert "académies : 30 créés" in output
    assert AcademicRegion.objects.count() == 18
    assert Academie.objects.count() == 30
    assert not Academie.objects.filter(holiday_zone="").exists()
    zones = dict(Academie.objects.values_list("name", "holiday_zone"))
    assert zones["Montpellier"] == zones["Toulouse"] == HolidayZone.C
    assert zones["Lyon"] == zones["Bordeaux"] == HolidayZone.A
    assert zones["Normandie"] == zones["Lille"] == HolidayZone.B
    assert zones["Corse"] == HolidayZone.CORSE
    assert zones["Mayotte"] == zones["La Réunion"] == HolidayZone.OUTRE_MER
    counts = {zone: list(zones.values()).count(zone) for zone in HolidayZone.values}
    assert counts == {"A": 8, "B": 11, "C": 5, "Corse": 1, "DOM": 5}


def test_academie_fields_and_official_region_names():
    run_import("import_academies", DATA_DIR / ACADEMIES)
    montpellier = Academie.objects.select_related("region").get(code="11")
    assert montpellier.name == "Montpellier"
    assert montpellier.region.code == "76"
    assert montpellier.region.name == "Occitanie"
    assert (montpellier.latitude, montpellier.longitude) == (43.593634, 3.225671)
    assert AcademicRegion.objects.get(code="44").name == "Grand Est"  # « Grand-Est » in the file
    assert AcademicRegion.objects.get(code="84").name == "Auvergne-Rhône-Alpes"


def test_old_names_of_normandie_and_accents_are_mapped():
    assert holiday_zone("Caen") == holiday_zone("Rouen") == HolidayZone.B
    assert holiday_zone("ORLEANS-TOURS") == HolidayZone.B
    assert holiday_zone("Créteil") == HolidayZone.C
    assert holiday_zone("Atlantide") == ""
    assert sum(len(names) for names in HOLIDAY_ZONES.values()) == 32


def test_second_run_is_unchanged_and_a_changed_name_is_one_update(tmp_path):
    run_import("import_academies", DATA_DIR / ACADEMIES)
    again = run_import("import_academies", DATA_DIR / ACADEMIES)
    assert "régions académiques : 0 créés, 0 mis à jour, 18 inchangés" in again
    assert "académies : 0 créés, 0 mis à jour, 30 inchangés" in again

    lines = real_lines(ACADEMIES, head=30)
    assert lines[11].startswith("12;Nancy-Metz")
    lines[11] = replace_field(lines[11], 1, "Nancy—Metz")
    changed = run_import("import_academies", write_csv(tmp_path, ACADEMIES, lines))
    assert "académies : 0 créés, 1 mis à jour, 29 inchangés" in changed
    assert Academie.objects.get(code="12").name == "Nancy—Metz"


def test_unknown_academie_name_is_kept_without_zone_and_reported(tmp_path):
    lines = [*real_lines(ACADEMIES, head=1), "99;Atlantide;76;Occitanie;43.0;3.0"]
    output = run_import("import_academies", write_csv(tmp_path, ACADEMIES, lines))
    assert Academie.objects.get(code="99").holiday_zone == ""
    assert (
        "Académies sans zone de vacances connue (à ajouter à HOLIDAY_ZONES) : Atlantide (99)"
        in (output)
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("1;Pau;76;Occitanie;43.3;-0.4", "colonne « code_academie » : le code « 1 »"),
        ("26;;76;Occitanie;43.3;-0.4", "colonne « libelle_academie » : la valeur est obligatoire"),
        ("26;Pau;76;Occitanie;43,3,1;-0.4", "colonne « centroide_lat » : « 43,3,1 » n'est pas"),
        ("26;Pau;76;Occitanie;43.3", "colonne « centroide_lon » : ligne incomplète"),
        ("01;Paris;11;Île-de-France;48.8;2.3", "colonne « code_academie » : l'académie « 01 »"),
    ],
)
def test_malformed_lines_name_line_and_column_and_keep_the_base_intact(tmp_path, line, message):
    run_import("import_academies", DATA_DIR / ACADEMIES)
    before = table_counts()
    lines = [*real_lines(ACADEMIES, head=5), line]
    with pytest.raises(CommandError) as caught:
        run_import("import_academies", write_csv(tmp_path, "bad.csv", lines))
    assert "rien n'a été enregistré" in str(caught.value)
    assert "Ligne 7, " in str(caught.value)
    assert message in str(caught.value)
    assert table_counts() == before
    assert Academie.objects.get(code="01").name == "Paris"
