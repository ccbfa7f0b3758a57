"""import_rome (France Travail, ROME 4.0) and import_naf (INSEE, NAF rév. 2)."""

import pytest
from django.core.management.base import CommandError

from relais.nomenclatures.models import NafCode, RomeAppellation, RomeCode
from tests.importfiles import (
    DATA_DIR,
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

APPELLATIONS = str(DATA_DIR / ROME_APPELLATIONS)
LEVELS = str(DATA_DIR / NAF_LEVELS)


def rome_extract(directory, extra_code_lines=(), extra_appellation_lines=()):
    """The 10 first real fiches and their real appellations (plus crafted lines), written in
    ``directory``; returns both paths and the number of appellations."""
    directory.mkdir(exist_ok=True)
    codes = real_lines(ROME_CODES, head=10)
    known = {line.split(",")[0].strip('"') for line in codes[1:]}
    appellations = real_lines(ROME_APPELLATIONS, where=lambda line: line.split('","')[3] in known)
    return (
        write_csv(directory, ROME_CODES, [*codes, *extra_code_lines], encoding="utf-8"),
        write_csv(
            directory,
            ROME_APPELLATIONS,
            [*appellations, *extra_appellation_lines],
            encoding="utf-8",
        ),
        len(appellations) - 1,
    )


# --- ROME ------------------------------------------------------------------------------------


def test_real_rome_files():
    output = run_import("import_rome", DATA_DIR / ROME_CODES, appellations=APPELLATIONS)
    assert "fiches ROME : 1\u202f584 créés" in output
    assert "appellations ROME : 13\u202f120 créés" in output
    fiche = RomeCode.objects.get(code="A1102")
    assert fiche.label == "Conducteur / Conductrice d'engins d'exploitation forestière"
    assert fiche.parent_code == "A1101"
    assert fiche.family == "A11"
    appellation = RomeAppellation.objects.select_related("rome").get(ogr_code="10200")
    assert appellation.label == appellation.short_label == "Abatteur / Abatteuse de carrière"
    assert appellation.rome.code == "F1402"

    again = run_import("import_rome", DATA_DIR / ROME_CODES, appellations=APPELLATIONS)
    assert "fiches ROME : 0 créés, 0 mis à jour, 1\u202f584 inchangés" in again
    assert "appellations ROME : 0 créés, 0 mis à jour, 13\u202f120 inchangés" in again


def test_rome_extract_changed_label_and_dry_run(tmp_path):
    codes, appellations, count = rome_extract(tmp_path)
    before = table_counts()
    run_import("import_rome", codes, appellations=str(appellations), dry_run=True)
    assert table_counts() == before
    run_import("import_rome", codes, appellations=str(appellations))
    assert (RomeCode.objects.count(), RomeAppellation.objects.count()) == (10, count)

    lines = real_lines(ROME_CODES, head=10)
    lines[1] = lines[1].replace("Conducteur / Conductrice d'engins agricoles", "Tractoriste")
    path = write_csv(tmp_path, "codes.csv", lines, encoding="utf-8")
    output = run_import("import_rome", path, appellations=str(appellations))
    assert "fiches ROME : 0 créés, 1 mis à jour, 9 inchangés" in output
    assert RomeCode.objects.get(code="A1101").label == "Tractoriste"


@pytest.mark.parametrize(
    ("codes", "appellations", "message"),
    [
        (
            ['"A110","1","1","Libellé","","","","","","A1101"'],
            [],
            "Ligne 12, colonne « code_rome »",
        ),
        (['"A1199","1","1","","","","","","","A1101"'], [], "Ligne 12, colonne « libelle_rome »"),
        (['"A1199","1","1","Libellé","",""'], [], "Ligne 12, colonne « transition_demo »"),
        (
            [],
            ['"99","Appellation","Court","N9999","","","","","","","","",""'],
            "colonne « code_rome » : la fiche ROME « N9999 »",
        ),
        (
            [],
            ['"99","Appellation","Court","A1101"'],
            "colonne « transition_eco » : ligne incomplète",
        ),
        (
            [],
            ['"9x","Appellation","Court","A1101","","","","","","","","",""'],
            "colonne « code_ogr »",
        ),
    ],
)
def test_rome_errors_write_nothing(tmp_path, codes, appellations, message):
    good_codes, good_appellations, _count = rome_extract(tmp_path / "good")
    run_import("import_rome", good_codes, appellations=str(good_appellations))
    before = table_counts()
    bad_codes, bad_appellations, _count = rome_extract(tmp_path / "bad", codes, appellations)
    with pytest.raises(CommandError) as caught:
        run_import("import_rome", bad_codes, appellations=str(bad_appellations))
    assert message in str(caught.value)
    expected_file = ROME_APPELLATIONS if appellations else ROME_CODES
    assert f"Fichier « {expected_file} » : Ligne" in str(caught.value)
    assert table_counts() == before


def test_missing_appellations_file(tmp_path):
    with pytest.raises(CommandError, match="Fichier des appellations introuvable"):
        run_import("import_rome", DATA_DIR / ROME_CODES, appellations=str(tmp_path / "x.csv"))


# --- NAF -------------------------------------------------------------------------------------


def test_real_naf_files():
    output = run_import("import_naf", DATA_DIR / NAF_LABELS, niveaux=LEVELS)
    assert "codes NAF : 732 créés, 0 mis à jour, 0 inchangés" in output
    naf = NafCode.objects.get(code="01.11Z")
    assert naf.label.startswith("Culture de céréales (à l'exception du riz)")
    assert (naf.section, naf.division, naf.group, naf.naf_class) == ("A", "01", "01.1", "01.11")
    assert NafCode.objects.get(code="99.00Z").section == "U"
    assert NafCode.objects.values("section").distinct().count() == 21

    again = run_import("import_naf", DATA_DIR / NAF_LABELS, niveaux=LEVELS)
    assert "codes NAF : 0 créés, 0 mis à jour, 732 inchangés" in again


def test_naf_changed_label_is_one_update(tmp_path):
    run_import("import_naf", DATA_DIR / NAF_LABELS, niveaux=LEVELS)
    lines = real_lines(NAF_LABELS, head=732)
    assert lines[2] == "01.12Z,Culture du riz"
    lines[2] = "01.12Z,Culture du riz paddy"
    output = run_import("import_naf", write_csv(tmp_path, "naf.csv", lines), niveaux=LEVELS)
    assert "codes NAF : 0 créés, 1 mis à jour, 731 inchangés" in output


@pytest.mark.parametrize(
    ("label_line", "level_line", "message"),
    [
        ("0111Z,Culture", None, "Ligne 4, colonne « code » : « 0111Z » n'est pas un code NAF"),
        ("99.99Z,Inconnu", None, "la sous-classe « 99.99Z » est absente du fichier"),
        (None, "01.13Z,01.12,01.1,01,A", "Ligne 4, colonne « NIV4 » : « 01.12 » n'est pas"),
        (None, "01.13Z,01.13,01.2,01,A", "colonne « NIV3 » : « 01.2 » n'est pas"),
        (None, "01.13Z,01.13,01.1,01,7", "colonne « NIV1 » : « 7 » n'est pas une section"),
    ],
)
def test_naf_errors_write_nothing(tmp_path, label_line, level_line, message):
    labels = real_lines(NAF_LABELS, head=2)
    levels = real_lines(NAF_LEVELS, head=3)
    if label_line:
        labels.append(label_line)
    if level_line:
        levels[3] = level_line
        labels = real_lines(NAF_LABELS, head=3)
    before = table_counts()
    with pytest.raises(CommandError) as caught:
        run_import(
            "import_naf",
            write_csv(tmp_path, "labels.csv", labels),
            niveaux=str(write_csv(tmp_path, "levels.csv", levels)),
        )
    assert message in str(caught.value)
    assert table_counts() == before
