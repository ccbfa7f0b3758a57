"""The import framework: CSV reading and its French errors, upsert, base command, journal."""

import pytest
from django.core.management.base import CommandError

from relais.core.importing import (
    CsvFormat,
    ImportFileError,
    ImportWarning,
    already_imported,
    file_sha256,
    read_csv,
    sources_sha256,
    upsert,
)
from relais.core.models import ImportRun
from relais.territories.models import AcademicRegion, Academie
from tests.importfiles import (
    ACADEMIES,
    ROME_APPELLATIONS,
    ROME_CODES,
    real_lines,
    replace_field,
    run_import,
    table_counts,
    write_csv,
)

FMT = CsvFormat(columns=("uai", "nom", "lat"), name="le fichier de test")


def write(tmp_path, *lines, encoding="utf-8-sig"):
    return write_csv(tmp_path, "test.csv", lines, encoding=encoding)


def error_of(path, fmt=FMT) -> ImportFileError:
    with pytest.raises(ImportFileError) as caught:
        list(read_csv(path, fmt))
    return caught.value


# --- ImportFileError -------------------------------------------------------------------------


def test_error_names_line_and_column_in_a_french_sentence():
    error = ImportFileError(
        "l'UAI « 0301326X » a une lettre de contrôle fausse : D attendue",
        line=42,
        column="Identifiant_de_l_etablissement",
    )
    assert str(error) == (
        "Ligne 42, colonne « Identifiant_de_l_etablissement » : "
        "l'UAI « 0301326X » a une lettre de contrôle fausse : D attendue."
    )
    assert str(ImportFileError("le fichier est vide", line=1)) == "Ligne 1 : le fichier est vide."
    assert str(ImportFileError("aucune académie en base")) == "Aucune académie en base."


# --- read_csv ----------------------------------------------------------------------------------


def test_read_csv_gives_values_by_column_and_file_line_numbers(tmp_path):
    path = write(
        tmp_path, "uai;nom;lat", "0301326D;Collège André Chamson;43.9", "", "0311131L;Ste;"
    )
    rows = list(read_csv(path, FMT))
    assert [row.line for row in rows] == [2, 4]  # the blank line 3 is skipped
    assert rows[0]["nom"] == "Collège André Chamson"
    assert rows[0].float_or_none("lat", low=-90, high=90) == 43.9
    assert rows[1].float_or_none("lat", low=-90, high=90) is None


def test_a_quoted_value_over_two_lines_keeps_the_numbering(tmp_path):
    path = write(tmp_path, "uai;nom;lat", '0301326D;"Collège\nAndré Chamson";43.9', "0311131L;x;1")
    rows = list(read_csv(path, FMT))
    assert rows[0]["nom"] == "Collège\nAndré Chamson"
    assert [row.line for row in rows] == [2, 4]


def test_latin1_file_is_reported_with_its_line(tmp_path):
    path = write(
        tmp_path,
        "uai;nom;lat",
        "0301326D;College;43.9",
        "0311131L;Sainte-Thérèse;1",
        encoding="latin-1",
    )
    error = error_of(path)
    assert error.line == 3
    assert "n'est pas encodé en UTF-8" in str(error)
    assert str(error).startswith("Ligne 3 : le fichier n'est pas encodé en UTF-8 (octet 0xE9")


def test_missing_columns_are_listed(tmp_path):
    error = error_of(write(tmp_path, "uai;name;latitude", "0301326D;x;1"))
    assert str(error) == (
        "Ligne 1 : l'en-tête ne correspond pas au format attendu (le fichier de test) : "
        "colonne(s) manquante(s) « nom », « lat »."
    )


def test_wrong_separator_gets_a_hint(tmp_path):
    error = error_of(write(tmp_path, "uai,nom,lat", "0301326D,x,1"))
    assert "le séparateur attendu est « ; »" in str(error)


def test_official_format_pins_the_number_of_columns(tmp_path):
    fmt = CsvFormat(columns=("uai",), column_count=72, name="l'Annuaire de l'éducation")
    error = error_of(write(tmp_path, "uai;nom;lat", "0301326D;x;1"), fmt)
    assert str(error) == (
        "Ligne 1 : l'en-tête compte 3 colonnes ; "
        "le format officiel de l'Annuaire de l'éducation en compte 72."
    )


def test_truncated_line_names_the_first_missing_column(tmp_path):
    error = error_of(write(tmp_path, "uai;nom;lat", "0301326D;x;1", "0311131L;Ste"))
    assert (error.line, error.column) == (3, "lat")
    assert str(error).startswith(
        "Ligne 3, colonne « lat » : ligne incomplète : 2 valeurs au lieu de 3"
    )


def test_too_many_values_are_reported(tmp_path):
    error = error_of(write(tmp_path, "uai;nom;lat", "0301326D;x;y;1"))
    assert error.line == 2
    assert "4 valeurs au lieu de 3" in str(error)


def test_broken_quoting_is_reported_with_its_line(tmp_path):
    error = error_of(write(tmp_path, "uai;nom;lat", "0301326D;x;1", '0311131L;"Ste"x;1'))
    assert error.line == 3
    assert "ligne CSV illisible" in str(error)


def test_empty_file(tmp_path):
    path = tmp_path / "vide.csv"
    path.write_bytes(b"")
    assert str(error_of(path)) == "Ligne 1 : le fichier est vide."


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0301326X", "l'UAI « 0301326X » a une lettre de contrôle fausse : D attendue"),
        ("301326D", "l'UAI « 301326D » doit compter 7 chiffres suivis d'une lettre"),
    ],
)
def test_uai_accessor_checks_the_letter(tmp_path, value, message):
    (row,) = read_csv(write(tmp_path, "uai;nom;lat", f"{value};x;1"), FMT)
    with pytest.raises(ImportFileError) as caught:
        row.uai("uai")
    assert str(caught.value) == f"Ligne 2, colonne « uai » : {message}."


def test_typed_accessors_name_line_and_column(tmp_path):
    (row,) = read_csv(write(tmp_path, "uai;nom;lat", "0301326D;2024-13-01;nord"), FMT)
    for call, column, text in [
        (lambda: row.float_or_none("lat", low=-90, high=90), "lat", "« nord » n'est pas un nombre"),
        (lambda: row.date_or_none("nom"), "nom", "« 2024-13-01 » n'est pas une date AAAA-MM-JJ"),
        (lambda: row.flag("lat"), "lat", "« nord » n'est pas une valeur 0 ou 1"),
        (lambda: row.int_or_none("lat"), "lat", "« nord » n'est pas un nombre entier positif"),
    ]:
        with pytest.raises(ImportFileError) as caught:
            call()
        assert str(caught.value) == f"Ligne 2, colonne « {column} » : {text}."


def test_out_of_range_coordinate(tmp_path):
    (row,) = read_csv(write(tmp_path, "uai;nom;lat", "0301326D;x;143.2"), FMT)
    with pytest.raises(ImportFileError, match="143.2 n'est pas compris entre -90 et 90"):
        row.float_or_none("lat", low=-90, high=90)


def test_warning_text_lists_items_with_an_optional_limit():
    warning = ImportWarning("3 établissements sans bassin", ["A", "B", "C"])
    assert warning.text() == "3 établissements sans bassin : A, B, C."
    assert warning.text(limit=2) == "3 établissements sans bassin : A, B… (et 1 autres)."


# --- upsert ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_upsert_creates_updates_only_changed_rows_and_returns_ids():
    first = upsert(AcademicRegion, {"76": {"name": "Occitanie"}, "11": {"name": "IDF"}}, key="code")
    assert (first.counts.created, first.counts.updated, first.counts.unchanged) == (2, 0, 0)
    assert first.ids == dict(AcademicRegion.objects.values_list("code", "id"))

    second = upsert(
        AcademicRegion,
        {"76": {"name": "Occitanie"}, "11": {"name": "Île-de-France"}, "32": {"name": "HdF"}},
        key="code",
    )
    assert (second.counts.created, second.counts.updated, second.counts.unchanged) == (1, 1, 1)
    assert AcademicRegion.objects.get(code="11").name == "Île-de-France"
    assert set(second.ids) == {"76", "11", "32"}


@pytest.mark.django_db
def test_upsert_compares_foreign_keys_and_floats():
    regions = upsert(AcademicRegion, {"76": {"name": "Occitanie"}}, key="code").ids
    values = {"name": "Montpellier", "region_id": regions["76"], "latitude": 43.593634}
    upsert(Academie, {"11": values}, key="code")
    again = upsert(Academie, {"11": dict(values)}, key="code")
    assert again.counts.unchanged == 1


# --- the base command (through import_academies) -----------------------------------------------


@pytest.mark.django_db
def test_command_records_an_import_run_with_sha256_and_counts(tmp_path):
    path = write_csv(tmp_path, ACADEMIES, real_lines(ACADEMIES, head=3))
    output = run_import("import_academies", path)
    run = ImportRun.objects.get()
    assert (run.kind, run.source_name, run.sha256) == ("academies", ACADEMIES, file_sha256(path))
    assert (run.created, run.updated, run.unchanged) == (6, 0, 0)  # 3 régions + 3 académies
    assert run.warnings == []
    assert "académies : 3 créés, 0 mis à jour, 0 inchangés" in output
    assert "Import terminé" in output


@pytest.mark.django_db
def test_dry_run_writes_nothing_and_says_what_would_happen(tmp_path):
    path = write_csv(tmp_path, ACADEMIES, real_lines(ACADEMIES, head=3))
    before = table_counts()
    output = run_import("import_academies", path, dry_run=True)
    assert table_counts() == before
    assert "simulation : rien ne sera enregistré" in output
    assert "académies : 3 seraient créés, 0 seraient mis à jour, 0 inchangés" in output
    assert "Simulation terminée" in output


@pytest.mark.django_db
def test_a_bad_line_rolls_back_the_whole_file(tmp_path):
    run_import("import_academies", write_csv(tmp_path, "ok.csv", real_lines(ACADEMIES, head=2)))
    before = table_counts()
    lines = real_lines(ACADEMIES, head=20)
    lines[15] = replace_field(lines[15], 4, "quarante-trois")
    with pytest.raises(CommandError) as caught:
        run_import("import_academies", write_csv(tmp_path, "bad.csv", lines))
    assert str(caught.value) == (
        "Import annulé, rien n'a été enregistré. Fichier « bad.csv » : Ligne 16, colonne "
        "« centroide_lat » : « quarante-trois » n'est pas un nombre."
    )
    assert table_counts() == before


@pytest.mark.django_db
def test_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="Fichier introuvable"):
        run_import("import_academies", tmp_path / "absent.csv")


@pytest.mark.django_db
def test_already_imported_compares_kind_and_content(tmp_path):
    path = write_csv(tmp_path, ACADEMIES, real_lines(ACADEMIES, head=3))
    assert not already_imported("academies", path)
    run_import("import_academies", path)
    assert already_imported("academies", path)
    assert not already_imported("communes", path)
    assert not already_imported(
        "academies", write_csv(tmp_path, "b.csv", real_lines(ACADEMIES, head=4))
    )


@pytest.mark.django_db
def test_already_imported_covers_the_secondary_files(tmp_path):
    codes = write_csv(tmp_path, "codes.csv", real_lines(ROME_CODES, head=3), encoding="utf-8")
    appellations = write_csv(
        tmp_path, "app.csv", real_lines(ROME_APPELLATIONS, head=0), encoding="utf-8"
    )
    run_import("import_rome", codes, appellations=str(appellations))
    assert ImportRun.objects.get().sha256 == sources_sha256([codes, appellations])
    assert already_imported("rome", codes, appellations)
    assert not already_imported("rome", codes)
    assert not already_imported("rome", codes, codes)


@pytest.mark.django_db
def test_dry_run_is_not_journaled(tmp_path):
    path = write_csv(tmp_path, ACADEMIES, real_lines(ACADEMIES, head=3))
    run_import("import_academies", path, dry_run=True)
    assert not already_imported("academies", path)
