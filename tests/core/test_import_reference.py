"""import_reference: every import in dependency order, dry run and --skip-unchanged."""

import pytest

from relais.core.models import ImportRun
from relais.establishments.models import Establishment
from relais.nomenclatures.models import NafCode, RomeAppellation, RomeCode
from relais.territories.models import Academie, Commune, Departement
from tests.importfiles import (
    ACADEMIES,
    ANNUAIRE,
    COLLEGES,
    LAPOSTE,
    NAF_LABELS,
    NAF_LEVELS,
    ROME_APPELLATIONS,
    ROME_CODES,
    real_lines,
    run_import,
    table_counts,
    write_csv,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_data_dir(tmp_path, settings):
    """A data folder holding small extracts of the 8 real files."""
    settings.DATA_DIR = tmp_path
    data = tmp_path / "opendata"
    data.mkdir()
    annuaire = real_lines(ANNUAIRE, head=20)
    communes = {line.split(";")[8] for line in annuaire[1:]}
    rome = real_lines(ROME_CODES, head=5)
    rome_codes = {line.split(",")[0].strip('"') for line in rome[1:]}
    extracts = {
        ACADEMIES: real_lines(ACADEMIES, head=30),
        COLLEGES: real_lines(COLLEGES, where=lambda line: line.split(";")[24] in ("11", "16")),
        LAPOSTE: real_lines(LAPOSTE, where=lambda line: line.split(";")[0] in communes),
        ANNUAIRE: annuaire,
        ROME_CODES: rome,
        ROME_APPELLATIONS: real_lines(
            ROME_APPELLATIONS, where=lambda line: line.split('","')[3] in rome_codes
        ),
        NAF_LABELS: real_lines(NAF_LABELS, head=5),
        NAF_LEVELS: real_lines(NAF_LEVELS, head=5),
    }
    for name, lines in extracts.items():
        write_csv(data, name, lines)
    return data


def test_imports_everything_in_order(small_data_dir):
    output = run_import("import_reference")
    assert output.index("académies :") < output.index("départements :") < output.index("communes :")
    assert Academie.objects.count() == 30
    assert Departement.objects.count() == 13  # the 13 départements of Occitanie
    assert Commune.objects.count() == 20
    assert Establishment.objects.count() == 20
    assert Establishment.objects.filter(commune__isnull=True).count() == 0
    assert RomeCode.objects.count() == 5 and RomeAppellation.objects.exists()
    assert NafCode.objects.count() == 5
    assert sorted(ImportRun.objects.values_list("kind", flat=True)) == [
        "academies",
        "annuaire",
        "communes",
        "departements",
        "naf",
        "rome",
    ]


def test_skip_unchanged_skips_every_file_already_imported(small_data_dir):
    run_import("import_reference")
    before = table_counts()
    output = run_import("import_reference", skip_unchanged=True)
    assert output.count("déjà importé tel quel, étape sautée") == 6
    assert table_counts() == before


def test_skip_unchanged_reimports_a_changed_file(small_data_dir):
    run_import("import_reference")
    lines = real_lines(NAF_LABELS, head=6)
    write_csv(small_data_dir, NAF_LABELS, lines)
    write_csv(small_data_dir, NAF_LEVELS, real_lines(NAF_LEVELS, head=6))
    output = run_import("import_reference", skip_unchanged=True)
    assert output.count("étape sautée") == 5
    assert "codes NAF : 1 créés, 0 mis à jour, 5 inchangés" in output


def test_dry_run_simulates_the_chain_on_an_empty_base(small_data_dir):
    before = table_counts()
    output = run_import("import_reference", dry_run=True)
    # The départements step sees the académies of the simulated first step.
    assert "départements : 13 seraient créés" in output
    assert "établissements : 20 seraient créés" in output
    assert "Simulation de l'ensemble terminée : rien n'a été enregistré." in output
    assert table_counts() == before


def test_skip_unchanged_sees_a_change_in_a_secondary_file(small_data_dir):
    run_import("import_reference")
    write_csv(small_data_dir, NAF_LEVELS, real_lines(NAF_LEVELS, head=6))  # labels unchanged
    output = run_import("import_reference", skip_unchanged=True)
    assert output.count("étape sautée") == 5
    assert "codes NAF : 0 créés, 0 mis à jour, 5 inchangés" in output
