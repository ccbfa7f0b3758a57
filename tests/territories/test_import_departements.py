"""import_departements: the départements of the ministry's géolocalisation file."""

import pytest
from django.core.management.base import CommandError

from relais.territories.models import Departement
from tests.importfiles import (
    COLLEGES,
    DATA_DIR,
    field_index,
    real_lines,
    replace_field,
    run_import,
    table_counts,
    write_csv,
)

pytestmark = pytest.mark.django_db


def test_real_file_gives_103_departements_with_insee_codes(academies):
    output = run_import("import_departements", DATA_DIR / COLLEGES)
    assert "départements : 103 créés, 0 mis à jour, 0 inchangés" in output
    assert Departement.objects.count() == 103
    academie_of = dict(Departement.objects.values_list("code", "academie__name"))
    assert academie_of["30"] == academie_of["34"] == academie_of["48"] == "Montpellier"
    assert academie_of["31"] == academie_of["82"] == "Toulouse"
    assert academie_of["2A"] == academie_of["2B"] == "Corse"
    assert academie_of["971"] == academie_of["977"] == "Guadeloupe"
    assert academie_of["976"] == "Mayotte"
    assert Departement.objects.get(code="30").name == "Gard"
    codes = set(academie_of)
    assert {"01", "07", "95"} <= codes  # « 001 » → « 01 », the INSEE code
    assert all(len(code) == 2 or code.startswith("97") for code in codes)


def test_vice_rectorats_are_skipped_and_reported(academies):
    output = run_import("import_departements", DATA_DIR / COLLEGES)
    assert (
        "Départements et collectivités d'outre-mer ignorés, car rattachés à un vice-rectorat "
        "et non à une académie : St-Pierre-et-Miquelon (975), Wallis et Futuna (986), "
        "Polynésie Française (987), Nouvelle Calédonie (988)."
    ) in output
    assert not Departement.objects.filter(code__in=["975", "986", "987", "988"]).exists()


def test_second_run_is_unchanged_and_a_renamed_departement_is_one_update(academies, tmp_path):
    run_import("import_departements", DATA_DIR / COLLEGES)
    assert "103 inchangés" in run_import("import_departements", DATA_DIR / COLLEGES)

    lines = real_lines(COLLEGES, head=40)
    name_col = field_index(lines, "libelle_departement")
    ardeche = [i for i, line in enumerate(lines) if ";007;" in line]
    for index in ardeche:
        lines[index] = replace_field(lines[index], name_col, "Ardèche (07)")
    output = run_import("import_departements", write_csv(tmp_path, COLLEGES, lines))
    assert "départements : 0 créés, 1 mis à jour" in output
    assert Departement.objects.get(code="07").name == "Ardèche (07)"


def test_academies_must_be_imported_first(db):
    with pytest.raises(CommandError) as caught:
        run_import("import_departements", DATA_DIR / COLLEGES)
    assert str(caught.value).endswith(
        "Aucune académie en base : lancez d'abord « manage.py import_academies »."
    )
    assert Departement.objects.count() == 0


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("code_academie", "99", "l'académie « 99 » est inconnue : lancez d'abord"),
        ("code_academie", "16", "le département 007 a déjà une autre académie"),
        ("code_departement", "7", "« 7 » n'est pas un code de département"),
        ("libelle_departement", "", "la valeur est obligatoire"),
    ],
)
def test_bad_values_name_line_and_column_and_write_nothing(
    departements, tmp_path, column, value, message
):
    before = table_counts()
    lines = real_lines(COLLEGES, head=20)
    assert ";007;" in lines[3]  # the third Ardèche row
    lines[3] = replace_field(lines[3], field_index(lines, column), value)
    with pytest.raises(CommandError) as caught:
        run_import("import_departements", write_csv(tmp_path, COLLEGES, lines))
    assert f"Ligne 4, colonne « {column} » : {message}" in str(caught.value)
    assert table_counts() == before
