"""Import of the Annuaire de l'éducation (data.education.gouv.fr, ``fr-en-annuaire-education``).

The official CSV export has 72 columns, ``;`` as separator and a UTF-8 BOM. One row per
établissement, identified by its UAI. The import upserts the bassins de formation and the
établissements; it never deletes one (a closed établissement keeps its history).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db.models import Field
from tqdm import tqdm

from relais.core.identifiers import is_valid_insee
from relais.core.importing import CsvFormat, CsvRow, ImportFileError, ImportResult, read_csv, upsert
from relais.core.text import search_key
from relais.territories.imports import departement_code
from relais.territories.models import Academie, Bassin, Commune, Departement

from .enums import ANNUAIRE_KINDS, EstablishmentKind, PriorityEducation, Sector
from .models import Establishment

ANNUAIRE_COLUMN_COUNT = 72

# Model field → annuaire column, for plain text values.
TEXT_COLUMNS = {
    "name": "Nom_etablissement",
    "nature_code": "code_nature",
    "nature_label": "libelle_nature",
    "address_1": "Adresse_1",
    "address_2": "Adresse_2",
    "address_3": "Adresse_3",
    "postal_code": "Code_postal",
    "phone": "Telephone",
}
# Model field → annuaire column holding « 1 », « 0 » or nothing.
FLAG_COLUMNS = {
    "general_track": "Voie_generale",
    "technological_track": "Voie_technologique",
    "vocational_track": "Voie_professionnelle",
    "lycee_des_metiers": "Lycee_des_metiers",
    "segpa": "Segpa",
    "ulis": "ULIS",
    "apprenticeship": "Apprentissage",
    "agricultural": "Lycee_Agricole",
}
OTHER_COLUMNS = (
    "Identifiant_de_l_etablissement",
    "Type_etablissement",
    "Statut_public_prive",
    "Type_contrat_prive",
    "Appartenance_Education_Prioritaire",
    "Code_commune",
    "Nom_commune",
    "Code_departement",
    "Code_academie",
    "latitude",
    "longitude",
    "Mail",
    "Web",
    "SIREN_SIRET",
    "Nombre_d_eleves",
    "etat",
    "date_ouverture",
    "date_maj_ligne",
    "code_bassin_formation",
    "libelle_bassin_formation",
)
ANNUAIRE_FORMAT = CsvFormat(
    columns=(*TEXT_COLUMNS.values(), *FLAG_COLUMNS.values(), *OTHER_COLUMNS),
    column_count=ANNUAIRE_COLUMN_COUNT,
    name="l'Annuaire de l'éducation",
)

SECTORS = {"Public": Sector.PUBLIC, "Privé": Sector.PRIVATE, "": Sector.UNKNOWN}
PRIORITY_EDUCATION = {
    "": PriorityEducation.NONE,
    "REP": PriorityEducation.REP,
    "REP+": PriorityEducation.REP_PLUS,
}
# « etat » of the annuaire: an établissement « A FERMER » still receives pupils this year.
OPEN_STATES = {"OUVERT", "A FERMER"}
KNOWN_STATES = OPEN_STATES | {"A OUVRIR", "FERME"}
NO_CONTRACT = {"", "SANS OBJET"}
# The ministry writes 2099-01-01 when the opening date is unknown.
PLACEHOLDER_YEAR = 2099
_SIRET = re.compile(r"^(\d{9}|\d{14})$")
_BASSIN = re.compile(r"^\w{1,10}$")
_url = URLValidator(schemes=["http", "https"])


def _max_length(name: str) -> int:
    field = Establishment._meta.get_field(name)
    assert isinstance(field, Field) and field.max_length is not None  # a text column
    return field.max_length


_MAX_LENGTHS = {name: _max_length(name) for name in TEXT_COLUMNS}


@dataclass
class _Lookups:
    """The rows already in base that the annuaire refers to, by official code."""

    academies: dict[str, int]
    departements: dict[str, int]
    communes: dict[str, int]

    @classmethod
    def load(cls) -> _Lookups:
        return cls(
            academies=dict(Academie.objects.values_list("code", "id")),
            departements=dict(Departement.objects.values_list("code", "id")),
            communes=dict(Commune.objects.values_list("insee_code", "id")),
        )


@dataclass
class _Findings:
    """What the import keeps but reports, by kind: lists of UAIs (or « UAI (detail) »)."""

    duplicates: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    no_coordinates: list[str] = field(default_factory=list)
    no_bassin: list[str] = field(default_factory=list)
    no_bassin_secondary: int = 0
    unknown_commune: list[str] = field(default_factory=list)
    unknown_departement: list[str] = field(default_factory=list)
    unknown_kind: list[str] = field(default_factory=list)
    dropped: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def annuaire_import(
    *, path: Path, academies: set[str] | None = None, progress: tqdm | None = None
) -> ImportResult:
    """Upsert the bassins de formation and the établissements of an annuaire file.

    Rules: the UAI check letter is verified; the académie must exist (import_academies
    first); an unknown commune or département leaves the link empty and is reported; rows
    without coordinates or without bassin are kept and reported; a UAI listed twice keeps its
    first row; a malformed e-mail, website or SIRET is dropped and reported. ``academies``
    restricts the import to these académie codes.
    """
    lookups = _Lookups.load()
    if academies:
        unknown = sorted(academies - set(lookups.academies))
        if unknown:
            raise ImportFileError(f"académie(s) inconnue(s) : {', '.join(unknown)}")
    findings = _Findings()
    records, bassins, bassin_of = _read_annuaire(path, lookups, academies, findings, progress)
    result = ImportResult()
    bassin_ids = upsert(Bassin, bassins, key="code")
    result.add("bassins de formation", bassin_ids.counts)
    for uai, values in records.items():
        values["bassin_id"] = bassin_ids.ids.get(bassin_of.get(uai))
    result.add("établissements", upsert(Establishment, records, key="uai", batch_size=500).counts)
    _report(result, findings)
    return result


def _read_annuaire(path, lookups, academies, findings, progress):
    records: dict[str, dict] = {}
    bassins: dict[str, dict] = {}
    bassin_of: dict[str, str] = {}
    first_line: dict[str, int] = {}
    for row in read_csv(path, ANNUAIRE_FORMAT, progress):
        academie_code = row.required("Code_academie")
        if academies and academie_code not in academies:
            continue
        uai = row.uai("Identifiant_de_l_etablissement")
        if uai in records:
            findings.duplicates[uai] += [first_line[uai], row.line]
            continue
        if academie_code not in lookups.academies:
            raise row.error(
                "Code_academie",
                f"l'académie « {academie_code} » est inconnue : lancez d'abord "
                "« manage.py import_academies »",
            )
        values = _establishment_values(row, uai, lookups, findings)
        records[uai], first_line[uai] = values, row.line
        bassin_code = _bassin(row, values["academie_id"], bassins)
        if bassin_code:
            bassin_of[uai] = bassin_code
        _note_gaps(uai, values, bassin_code, findings)
    return records, bassins, bassin_of


def _establishment_values(row: CsvRow, uai: str, lookups: _Lookups, findings: _Findings) -> dict:
    values: dict[str, object] = {
        name: _text(row, column, name) for name, column in TEXT_COLUMNS.items()
    }
    values.update({name: row.flag(column) for name, column in FLAG_COLUMNS.items()})
    values["name"] = row.required("Nom_etablissement")
    type_label = row["Type_etablissement"]
    if type_label not in ANNUAIRE_KINDS:
        findings.unknown_kind.append(f"{uai} ({type_label})")
    contract = row["Type_contrat_prive"]
    values.update(
        kind=ANNUAIRE_KINDS.get(type_label, EstablishmentKind.OTHER),
        sector=row.choice("Statut_public_prive", SECTORS),
        private_contract="" if contract in NO_CONTRACT else contract,
        priority_education=row.choice("Appartenance_Education_Prioritaire", PRIORITY_EDUCATION),
        academie_id=lookups.academies[row["Code_academie"]],
        pupil_count=row.int_or_none("Nombre_d_eleves"),
        is_open=row.choice("etat", {state: state in OPEN_STATES for state in KNOWN_STATES}),
        opened_on=_opening_date(row),
        source_updated_on=row.date_or_none("date_maj_ligne"),
        search_text=search_key(values["name"], uai, row["Nom_commune"], values["postal_code"]),
    )
    values.update(_place(row, uai, lookups, findings))
    values.update(_contact(row, uai, findings))
    return values


def _text(row: CsvRow, column: str, name: str) -> str:
    value = row[column]
    if len(value) > _MAX_LENGTHS[name]:
        raise row.error(column, f"la valeur dépasse {_MAX_LENGTHS[name]} caractères")
    return value


def _opening_date(row: CsvRow) -> date | None:
    opened_on = row.date_or_none("date_ouverture")
    return None if opened_on and opened_on.year >= PLACEHOLDER_YEAR else opened_on


def _place(row: CsvRow, uai: str, lookups: _Lookups, findings: _Findings) -> dict:
    insee = row["Code_commune"].upper()
    if insee and not is_valid_insee(insee):
        raise row.error("Code_commune", f"« {insee} » n'est pas un code INSEE de commune")
    commune_id = lookups.communes.get(insee)
    if commune_id is None:
        findings.unknown_commune.append(f"{uai} ({insee or 'vide'})")
    departement = departement_code(row["Code_departement"].upper())
    departement_id = lookups.departements.get(departement)
    if departement_id is None:
        findings.unknown_departement.append(f"{uai} ({departement or 'vide'})")
    latitude = row.float_or_none("latitude", low=-90, high=90)
    longitude = row.float_or_none("longitude", low=-180, high=180)
    if latitude is None or longitude is None:
        latitude = longitude = None
    return {
        "commune_id": commune_id,
        "departement_id": departement_id,
        "latitude": latitude,
        "longitude": longitude,
    }


def _contact(row: CsvRow, uai: str, findings: _Findings) -> dict:
    """E-mail, website and SIRET, each kept only when well formed (else dropped, reported)."""
    email, website = row["Mail"], row["Web"]
    siret = re.sub(r"\s", "", row["SIREN_SIRET"])
    if email and not _is_valid(validate_email, email):
        findings.dropped["courriel"].append(f"{uai} ({email})")
        email = ""
    if website and (len(website) > 500 or not _is_valid(_url, website)):
        findings.dropped["site web"].append(f"{uai} ({website})")
        website = ""
    if siret and not _SIRET.match(siret):
        findings.dropped["SIREN/SIRET"].append(f"{uai} ({siret})")
        siret = ""
    return {"email": email, "website": website, "siret": siret}


def _is_valid(validator, value: str) -> bool:
    try:
        validator(value)
    except ValidationError:
        return False
    return True


def _bassin(row: CsvRow, academie_id: int, bassins: dict[str, dict]) -> str:
    """Record the bassin de formation of the row; return its code (« » when none)."""
    code = row["code_bassin_formation"]
    if not code:
        return ""
    if not _BASSIN.match(code):
        raise row.error("code_bassin_formation", f"« {code} » n'est pas un code de bassin")
    known = bassins.setdefault(
        code, {"name": row.required("libelle_bassin_formation"), "academie_id": academie_id}
    )
    if known["academie_id"] != academie_id:
        raise row.error(
            "code_bassin_formation", f"le bassin {code} figure déjà dans une autre académie"
        )
    return code


def _note_gaps(uai: str, values: dict, bassin_code: str, findings: _Findings) -> None:
    if values["latitude"] is None:
        findings.no_coordinates.append(uai)
    if not bassin_code:
        findings.no_bassin.append(uai)
        if values["kind"] in (EstablishmentKind.COLLEGE, EstablishmentKind.LYCEE):
            findings.no_bassin_secondary += 1


def _report(result: ImportResult, findings: _Findings) -> None:
    if findings.duplicates:
        result.warn(
            f"{len(findings.duplicates)} UAI figurent plusieurs fois dans le fichier ; "
            "seule leur première ligne est gardée",
            [
                f"{uai} (lignes {', '.join(map(str, sorted(set(lines))))})"
                for uai, lines in findings.duplicates.items()
            ],
        )
    if findings.no_coordinates:
        result.warn(
            f"{len(findings.no_coordinates)} établissements sans coordonnées (gardés, mais "
            "absents des cartes et des calculs de distance)",
            findings.no_coordinates,
        )
    if findings.no_bassin:
        result.warn(
            f"{len(findings.no_bassin)} établissements sans bassin de formation (gardés), "
            f"dont {findings.no_bassin_secondary} collèges et lycées",
            findings.no_bassin,
        )
    _report_links(result, findings)


def _report_links(result: ImportResult, findings: _Findings) -> None:
    if findings.unknown_commune:
        result.warn(
            f"{len(findings.unknown_commune)} établissements dont la commune n'est pas en base "
            "(gardés sans commune ; lancez « manage.py import_communes »)",
            findings.unknown_commune,
        )
    if findings.unknown_departement:
        result.warn(
            f"{len(findings.unknown_departement)} établissements dont le département n'est pas "
            "en base (gardés sans département ; lancez « manage.py import_departements »)",
            findings.unknown_departement,
        )
    if findings.unknown_kind:
        result.warn(
            f"{len(findings.unknown_kind)} établissements d'un type inconnu, classés « Autre »",
            findings.unknown_kind,
        )
    for label, items in findings.dropped.items():
        result.warn(f"{len(items)} valeurs de « {label} » mal formées, ignorées", items)
