"""import_annuaire: bassins de formation and établissements from the Annuaire de l'éducation."""

from datetime import date

import pytest
from django.core.management.base import CommandError

from relais.core.models import ImportRun
from relais.establishments.enums import EstablishmentKind, PriorityEducation, Sector
from relais.establishments.models import Establishment, EstablishmentEvent
from relais.territories.models import Bassin, Commune
from tests.importfiles import (
    ACADEMIES,
    ANNUAIRE,
    COLLEGES,
    DATA_DIR,
    LAPOSTE,
    field_index,
    replace_field,
    run_import,
    table_counts,
    write_csv,
)

from .conftest import NO_BASSIN_UAI, NO_COORDINATES_UAI, annuaire_lines

pytestmark = pytest.mark.django_db


def edited(tmp_path, uai, column, value, name=ANNUAIRE):
    """The 32-row extract with one value of one établissement replaced."""
    lines = annuaire_lines()
    index = next(i for i, line in enumerate(lines) if line.startswith(uai))
    lines[index] = replace_field(lines[index], field_index(lines, column), value)
    return write_csv(tmp_path, name, lines), index + 1


# --- happy path --------------------------------------------------------------------------------


def test_extract_creates_bassins_and_establishments(territory, annuaire_extract):
    output = run_import("import_annuaire", annuaire_extract)
    assert "bassins de formation : 23 créés, 0 mis à jour, 0 inchangés" in output
    assert "établissements : 32 créés, 0 mis à jour, 0 inchangés" in output
    assert Establishment.objects.count() == 32
    assert Establishment.objects.filter(kind=EstablishmentKind.COLLEGE).count() == 29
    assert Establishment.objects.filter(priority_education=PriorityEducation.REP_PLUS).count() == 2
    assert Establishment.objects.filter(commune__isnull=True).count() == 0


def test_every_field_of_a_public_college(territory, annuaire_extract):
    run_import("import_annuaire", annuaire_extract)
    college = Establishment.objects.select_related(
        "commune", "departement", "academie", "bassin"
    ).get(uai="0301326D")
    assert college.name == "Collège André Chamson"
    assert (college.kind, college.nature_code, college.nature_label) == (
        EstablishmentKind.COLLEGE,
        "340",
        "COLLEGE",
    )
    assert (college.sector, college.private_contract) == (Sector.PUBLIC, "")
    assert college.priority_education == PriorityEducation.NONE
    assert college.segpa and not college.ulis and not college.vocational_track
    assert (college.address_1, college.address_2, college.address_3) == (
        "1 avenue Jean Jaurès",
        "BP 31029",
        "",
    )
    assert college.postal_code == "30123"
    assert (college.commune.name, college.departement.code) == ("Le Vigan", "30")
    assert college.academie.name == "Montpellier"
    assert (college.bassin.code, college.bassin.name) == ("11116", "GARD NORD-OUEST")
    assert college.bassin.academie == college.academie
    assert (college.latitude, college.longitude) == (43.98987059800149, 3.600659390659651)
    assert college.phone == "04 67 81 01 77"
    assert college.email == "ce.0301326d@ac-montpellier.fr"
    assert college.website == "http://andre-chamson-le-vigan.mon-ent-occitanie.fr/"
    assert college.siret == "19301326500015"
    assert college.pupil_count is None
    assert college.is_open
    assert college.opened_on == date(1977, 3, 14)
    assert college.source_updated_on == date(2024, 11, 26)
    assert college.search_text == "college andre chamson 0301326d le vigan 30123"


def test_private_lycee_with_its_tracks_and_contract(territory, annuaire_extract):
    run_import("import_annuaire", annuaire_extract)
    lycee = Establishment.objects.get(uai="0311131L")
    assert (lycee.kind, lycee.sector) == (EstablishmentKind.LYCEE, Sector.PRIVATE)
    assert lycee.private_contract == "CONTRAT D'ASSOCIATION TOUTES CLASSES"
    assert lycee.general_track and lycee.vocational_track and not lycee.technological_track
    assert lycee.ulis and lycee.apprenticeship and not lycee.segpa
    assert lycee.bassin.name == "COMMINGES"


def test_rows_without_coordinates_or_bassin_are_kept_and_reported(territory, annuaire_extract):
    output = run_import("import_annuaire", annuaire_extract)
    assert Establishment.objects.get(uai=NO_COORDINATES_UAI).latitude is None
    assert Establishment.objects.get(uai=NO_BASSIN_UAI).bassin is None
    assert (
        "1 établissements sans coordonnées (gardés, mais absents des cartes et des calculs de "
        f"distance) : {NO_COORDINATES_UAI}."
    ) in output
    assert (
        f"1 établissements sans bassin de formation (gardés), dont 0 collèges et lycées : "
        f"{NO_BASSIN_UAI}."
    ) in output


def test_import_run_is_recorded_with_counts_and_warnings(territory, annuaire_extract):
    run_import("import_annuaire", annuaire_extract)
    run = ImportRun.objects.get(kind="annuaire")
    assert (run.source_name, run.created, run.updated, run.unchanged) == (ANNUAIRE, 55, 0, 0)
    assert len(run.warnings) == 2
    assert run.warnings[0].endswith(f"distance) : {NO_COORDINATES_UAI}.")


def test_history_events_know_the_import_command(territory, annuaire_extract):
    run_import("import_annuaire", annuaire_extract)
    events = EstablishmentEvent.objects.filter(pgh_label="insert")
    assert events.count() == 32
    metadata = events.select_related("pgh_context").first().pgh_context.metadata
    assert metadata == {"command": "import_annuaire", "file": ANNUAIRE}


# --- idempotence, updates, dry run, filter -----------------------------------------------------


def test_second_run_is_all_unchanged_and_writes_no_history(territory, annuaire_extract):
    run_import("import_annuaire", annuaire_extract)
    events = EstablishmentEvent.objects.count()
    output = run_import("import_annuaire", annuaire_extract)
    assert "bassins de formation : 0 créés, 0 mis à jour, 23 inchangés" in output
    assert "établissements : 0 créés, 0 mis à jour, 32 inchangés" in output
    assert EstablishmentEvent.objects.count() == events


def test_a_changed_value_is_one_update_with_its_history(territory, annuaire_extract, tmp_path):
    run_import("import_annuaire", annuaire_extract)
    other_before = Establishment.objects.get(uai="0311131L").updated_at
    path, _line = edited(tmp_path, "0301326D", "Nombre_d_eleves", "412")
    output = run_import("import_annuaire", path)
    assert "établissements : 0 créés, 1 mis à jour, 31 inchangés" in output
    assert Establishment.objects.get(uai="0301326D").pupil_count == 412
    assert Establishment.objects.get(uai="0311131L").updated_at == other_before
    update = EstablishmentEvent.objects.get(pgh_label="update")
    assert (update.uai, update.pupil_count) == ("0301326D", 412)


def test_dry_run_writes_nothing(territory, annuaire_extract):
    before = table_counts()
    output = run_import("import_annuaire", annuaire_extract, dry_run=True)
    assert "établissements : 32 seraient créés" in output
    assert table_counts() == before


def test_academie_filter(territory, annuaire_extract):
    output = run_import("import_annuaire", annuaire_extract, academie="11")
    assert "établissements : 16 créés" in output
    assert set(Establishment.objects.values_list("academie__code", flat=True)) == {"11"}
    assert ImportRun.objects.filter(kind="annuaire:11").count() == 1
    assert not ImportRun.objects.filter(kind="annuaire").exists()


def test_bad_academie_filter(territory, annuaire_extract):
    with pytest.raises(CommandError, match="n'est pas une liste de codes"):
        run_import("import_annuaire", annuaire_extract, academie="Montpellier")
    with pytest.raises(CommandError, match="--academie : académie\\(s\\) inconnue\\(s\\) : 99"):
        run_import("import_annuaire", annuaire_extract, academie="11,99")


# --- kept but reported -------------------------------------------------------------------------


def test_unknown_commune_is_kept_without_commune(territory, tmp_path):
    Commune.objects.filter(insee_code="30350").delete()
    output = run_import("import_annuaire", edited(tmp_path, "0301326D", "Adresse_3", "")[0])
    college = Establishment.objects.get(uai="0301326D")
    assert college.commune is None and college.departement.code == "30"
    assert (
        "1 établissements dont la commune n'est pas en base (gardés sans commune ; lancez "
        "« manage.py import_communes ») : 0301326D (30350)."
    ) in output


def test_malformed_email_is_dropped_and_reported(territory, tmp_path):
    path, _line = edited(tmp_path, "0301326D", "Mail", "ce.0301326d@ac-montpellier")
    output = run_import("import_annuaire", path)
    assert Establishment.objects.get(uai="0301326D").email == ""
    assert "1 valeurs de « courriel » mal formées, ignorées : 0301326D" in output


def test_a_uai_listed_twice_keeps_its_first_row(territory, tmp_path):
    lines = annuaire_lines()
    lines.append(replace_field(lines[2], field_index(lines, "Nom_etablissement"), "Doublon"))
    output = run_import("import_annuaire", write_csv(tmp_path, ANNUAIRE, lines))
    assert Establishment.objects.get(uai="0301326D").name == "Collège André Chamson"
    assert (
        "1 UAI figurent plusieurs fois dans le fichier ; seule leur première ligne est "
        "gardée : 0301326D (lignes 3, 34)."
    ) in output


# --- malformed files ---------------------------------------------------------------------------


@pytest.fixture
def imported_once(territory, annuaire_extract):
    """An earlier successful import, which a failed one must leave intact."""
    run_import("import_annuaire", annuaire_extract)
    return table_counts()


def assert_rejected(path, expected: str, before: dict):
    with pytest.raises(CommandError) as caught:
        run_import("import_annuaire", path)
    assert str(caught.value) == (
        f"Import annulé, rien n'a été enregistré. Fichier « {path.name} » : {expected}"
    )
    assert table_counts() == before


def test_invalid_uai_check_letter(imported_once, tmp_path):
    path, line = edited(tmp_path, "0301326D", "Identifiant_de_l_etablissement", "0301326X")
    expected = (
        f"Ligne {line}, colonne « Identifiant_de_l_etablissement » : l'UAI « 0301326X » a une "
        "lettre de contrôle fausse : D attendue."
    )
    assert_rejected(path, expected, imported_once)


def test_bad_coordinate(imported_once, tmp_path):
    path, line = edited(tmp_path, "0311131L", "longitude", "0,72,2")
    expected = f"Ligne {line}, colonne « longitude » : « 0,72,2 » n'est pas un nombre."
    assert_rejected(path, expected, imported_once)


def test_truncated_line(imported_once, tmp_path):
    lines = annuaire_lines()
    lines[20] = ";".join(lines[20].split(";")[:40])
    expected = (
        "Ligne 21, colonne « Nombre_d_eleves » : ligne incomplète : 40 valeurs au lieu de 72, "
        "la valeur de cette colonne et des suivantes manque (fichier tronqué ?)."
    )
    assert_rejected(write_csv(tmp_path, ANNUAIRE, lines), expected, imported_once)


def test_missing_column(imported_once, tmp_path):
    lines = [";".join(line.split(";")[:-1]) for line in annuaire_lines()]
    expected = (
        "Ligne 1 : l'en-tête ne correspond pas au format attendu (l'Annuaire de l'éducation) : "
        "colonne(s) manquante(s) « libelle_bassin_formation »."
    )
    assert_rejected(write_csv(tmp_path, ANNUAIRE, lines), expected, imported_once)


def test_extra_column_breaks_the_official_format(imported_once, tmp_path):
    lines = [f"{line};x" for line in annuaire_lines()]
    lines[0] = lines[0][:-1] + "commentaire"
    expected = (
        "Ligne 1 : l'en-tête compte 73 colonnes ; le format officiel de l'Annuaire de "
        "l'éducation en compte 72."
    )
    assert_rejected(write_csv(tmp_path, ANNUAIRE, lines), expected, imported_once)


def test_latin1_file(imported_once, tmp_path):
    path = write_csv(tmp_path, ANNUAIRE, annuaire_lines(), encoding="latin-1")
    expected = (
        "Ligne 2 : le fichier n'est pas encodé en UTF-8 (octet 0xE9 illisible à la position "
        "13) : enregistrez-le en UTF-8."
    )
    assert_rejected(path, expected, imported_once)


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("Statut_public_prive", "Associatif", "valeur « Associatif » inconnue"),
        ("Appartenance_Education_Prioritaire", "REP++", "valeur « REP++ » inconnue"),
        ("Segpa", "oui", "« oui » n'est pas une valeur 0 ou 1"),
        ("date_ouverture", "14/03/1977", "« 14/03/1977 » n'est pas une date AAAA-MM-JJ"),
        ("Nombre_d_eleves", "-3", "« -3 » n'est pas un nombre entier positif"),
        ("Code_commune", "3035", "« 3035 » n'est pas un code INSEE de commune"),
        ("Nom_etablissement", "", "la valeur est obligatoire et la cellule est vide"),
        ("Code_postal", "301230", "la valeur dépasse 5 caractères"),
    ],
)
def test_invalid_values(imported_once, tmp_path, column, value, message):
    path, line = edited(tmp_path, "0301326D", column, value)
    with pytest.raises(CommandError) as caught:
        run_import("import_annuaire", path)
    assert f"Ligne {line}, colonne « {column} » : {message}" in str(caught.value)
    assert table_counts() == imported_once


def test_unknown_academie_asks_to_import_academies_first(territory, tmp_path):
    path, line = edited(tmp_path, "0301326D", "Code_academie", "99")
    before = table_counts()
    with pytest.raises(CommandError) as caught:
        run_import("import_annuaire", path)
    assert (
        f"Ligne {line}, colonne « Code_academie » : l'académie « 99 » est inconnue : lancez "
        "d'abord « manage.py import_academies »."
    ) in str(caught.value)
    assert table_counts() == before


# --- the whole real file -----------------------------------------------------------------------


@pytest.mark.slow
def test_full_real_annuaire(db):
    """The 6,240 rows of the real file after the real académies, départements and communes.

    Self-contained (its own transaction on the worker's own test database), so it runs on any
    pytest-xdist worker."""
    run_import("import_academies", DATA_DIR / ACADEMIES)
    run_import("import_departements", DATA_DIR / COLLEGES)
    run_import("import_communes", DATA_DIR / LAPOSTE)
    assert Commune.objects.count() == 35_099
    output = run_import("import_annuaire", DATA_DIR / ANNUAIRE)

    # 6,240 rows, 3 UAIs listed twice (a cité scolaire and two annexes): 6,237 établissements.
    assert Establishment.objects.count() == 6_237
    by_kind = {kind: Establishment.objects.filter(kind=kind).count() for kind in EstablishmentKind}
    assert by_kind == {
        EstablishmentKind.ECOLE: 4_579,
        EstablishmentKind.COLLEGE: 654,  # 656 rows, minus the two annexes
        EstablishmentKind.LYCEE: 555,  # 556 rows, minus the lycée row of the cité scolaire
        EstablishmentKind.EREA: 5,
        EstablishmentKind.MEDICO_SOCIAL: 195,
        EstablishmentKind.ADMINISTRATIVE: 149,
        EstablishmentKind.GUIDANCE: 36,
        EstablishmentKind.OTHER: 64,  # 17 « Autre » and 47 without type (STS/CPGE schools)
    }
    assert Establishment.objects.filter(academie__code="16").count() == 3_440
    assert Establishment.objects.filter(priority_education="REP").count() == 199
    assert Establishment.objects.filter(priority_education="REP+").count() == 175
    assert Establishment.objects.filter(sector=Sector.PRIVATE).count() == 1_147
    assert Establishment.objects.filter(latitude__isnull=True).count() == 31
    assert Establishment.objects.filter(bassin__isnull=True).count() == 617
    assert Establishment.objects.filter(commune__isnull=True).count() == 0
    assert Establishment.objects.filter(departement__isnull=True).count() == 0
    assert Bassin.objects.count() == 41
    assert "3 UAI figurent plusieurs fois" in output
    assert "617 établissements sans bassin de formation (gardés), dont 273 collèges" in output

    again = run_import("import_annuaire", DATA_DIR / ANNUAIRE)
    assert "établissements : 0 créés, 0 mis à jour, 6 237 inchangés" in again.replace("\u202f", " ")
