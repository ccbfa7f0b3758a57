"""import_communes: one commune per INSEE code of La Poste's base, with its proper name."""

import pytest
from django.core.management.base import CommandError

from relais.territories.commune_names import best_name, french_title
from relais.territories.models import Commune
from tests.importfiles import (
    ANNUAIRE,
    COLLEGES,
    DATA_DIR,
    LAPOSTE,
    real_lines,
    replace_field,
    run_import,
    table_counts,
    write_csv,
)

pytestmark = pytest.mark.django_db

CODES = ("31555", "12224", "50236", "30350", "55138", "97501", "2A004")
NAMES_FILES = [str(DATA_DIR / ANNUAIRE), str(DATA_DIR / COLLEGES)]


def laposte_extract(tmp_path, edit=None):
    """La Poste's real rows for CODES (24 rows), optionally edited: ``edit(lines)``."""
    lines = real_lines(LAPOSTE, where=lambda line: line.split(";")[0] in CODES)
    assert len(lines) == 25
    if edit is not None:
        edit(lines)
    return write_csv(tmp_path, LAPOSTE, lines, encoding="utf-8")


def test_one_commune_per_insee_code_with_smallest_postal_code_and_gps(departements, tmp_path):
    output = run_import("import_communes", laposte_extract(tmp_path), names_from=NAMES_FILES)
    assert "communes : 7 créés, 0 mis à jour, 0 inchangés" in output
    toulouse = Commune.objects.select_related("departement").get(insee_code="31555")
    assert (toulouse.name, toulouse.postal_code) == ("Toulouse", "31000")
    assert (toulouse.latitude, toulouse.longitude) == (43.5963814303, 1.43167293364)
    assert toulouse.departement.code == "31"
    assert toulouse.search_text == "toulouse 31000"
    assert Commune.objects.get(insee_code="2A004").departement.code == "2A"
    assert Commune.objects.get(insee_code="2A004").postal_code == "20000"


def test_proper_names_come_from_the_ministry_files_else_a_french_title(departements, tmp_path):
    run_import("import_communes", laposte_extract(tmp_path), names_from=NAMES_FILES)
    names = dict(Commune.objects.values_list("insee_code", "name"))
    assert names["12224"] == "Saint Geniez d'Olt et d'Aubrac"  # « ST GENIEZ D OLT ET D AUBRAC »
    assert names["30350"] == "Le Vigan"
    assert names["50236"] == "La Haye"  # not in the ministry files: rebuilt
    assert names["55138"] == "Culey"
    assert names["97501"] == "Miquelon-langlade"  # as the ministry spells it


def test_without_names_files_every_name_is_rebuilt(departements, tmp_path):
    run_import("import_communes", laposte_extract(tmp_path), names_from=[])
    assert Commune.objects.get(insee_code="12224").name == "Saint-Geniez-d'Olt-et-d'Aubrac"


def test_communes_without_gps_or_departement_are_kept_and_reported(departements, tmp_path):
    output = run_import("import_communes", laposte_extract(tmp_path), names_from=[])
    assert "2 communes sans coordonnées GPS (gardées) : 55138, 97501." in output
    assert "1 communes sans département en base (gardées), par code de département : 975 (1)." in (
        output
    )
    culey = Commune.objects.get(insee_code="55138")
    assert culey.latitude is None and culey.departement.code == "55"
    assert Commune.objects.get(insee_code="97501").departement is None


def test_second_run_is_unchanged(departements, tmp_path):
    path = laposte_extract(tmp_path)
    run_import("import_communes", path, names_from=NAMES_FILES)
    output = run_import("import_communes", path, names_from=NAMES_FILES)
    assert "communes : 0 créés, 0 mis à jour, 7 inchangés" in output


def test_changed_gps_counts_as_updated(departements, tmp_path):
    run_import("import_communes", laposte_extract(tmp_path), names_from=[])

    def move(lines):
        index = next(i for i, line in enumerate(lines) if line.startswith("30350;"))
        lines[index] = replace_field(lines[index], 5, "43.99,3.61")

    output = run_import("import_communes", laposte_extract(tmp_path, move), names_from=[])
    assert "communes : 0 créés, 1 mis à jour, 6 inchangés" in output


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("coordonnees_gps", "43.99;3.61", "la ligne compte 7 valeurs au lieu de 6"),
        ("coordonnees_gps", "43.99,est", "colonne « coordonnees_gps » : « 43.99,est » n'est pas"),
        ("coordonnees_gps", "93.99,3.6", "colonne « coordonnees_gps » : la position « 93.99,3.6 »"),
        ("Code_commune_INSEE", "3035", "colonne « Code_commune_INSEE » : « 3035 » n'est pas"),
        ("Code_postal", "3012", "colonne « Code_postal » : « 3012 » n'est pas un code postal"),
    ],
)
def test_bad_values_name_line_and_column_and_write_nothing(
    departements, tmp_path, column, value, message
):
    run_import("import_communes", laposte_extract(tmp_path), names_from=[])
    before = table_counts()
    columns = ["Code_commune_INSEE", "Nom_commune", "Code_postal", "", "", "coordonnees_gps"]

    def spoil(lines):
        lines[10] = replace_field(lines[10], columns.index(column), value)

    with pytest.raises(CommandError) as caught:
        run_import("import_communes", laposte_extract(tmp_path, spoil), names_from=[])
    assert "Ligne 11" in str(caught.value)
    assert message in str(caught.value)
    assert table_counts() == before


def test_missing_names_file_is_an_error(departements, tmp_path):
    with pytest.raises(CommandError, match="Fichier de noms introuvable"):
        run_import("import_communes", laposte_extract(tmp_path), names_from=[str(tmp_path / "x")])


@pytest.mark.parametrize(
    ("upper", "proper"),
    [
        ("HAUTEVILLE SUR MER", "Hauteville-sur-Mer"),
        ("LA HAYE BELLEFOND", "La Haye-Bellefond"),
        ("LES SABLES D OLONNE", "Les Sables-d'Olonne"),
        ("L ISLE JOURDAIN", "L'Isle-Jourdain"),
        ("ST JEAN D ANGELY", "Saint-Jean-d'Angely"),
        ("TROIS FONTAINES L ABBAYE", "Trois-Fontaines-l'Abbaye"),
        ("D HUISON LONGUEVILLE", "D'Huison-Longueville"),
        ("MARSEILLE 01", "Marseille 01"),
    ],
)
def test_french_title(upper, proper):
    assert french_title(upper) == proper


def test_best_name_prefers_a_matching_or_extending_spelling():
    from collections import Counter

    assert best_name("RODEZ", Counter({"Rodez": 36, "Onet-le-Château": 1})) == "Rodez"
    assert best_name("VALENCE", Counter({"Valence": 1, "Valence d'Agen": 6})) == "Valence"
    assert best_name("CADILLAC", Counter({"Cadillac-sur-Garonne": 2})) == "Cadillac-sur-Garonne"
    assert best_name("PARIS 01", Counter({"Paris 1er Arrondissement": 1})) == (
        "Paris 1er Arrondissement"
    )
    assert best_name("SALINE", Counter({"Troarn": 1})) == "Saline"
