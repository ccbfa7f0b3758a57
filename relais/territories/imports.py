"""Imports of the territory: académies and régions académiques, départements, communes.

Each function reads one open-data file (see ``data/opendata/SOURCES.md``), upserts by natural key
(the official code) and returns an ``ImportResult``. They run inside the transaction of the
calling command (``relais.core.import_command.ImportCommand``).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from tqdm import tqdm

from relais.core.identifiers import departement_code_from_insee, is_valid_insee
from relais.core.importing import CsvFormat, CsvRow, ImportFileError, ImportResult, read_csv, upsert
from relais.core.text import search_key

from .commune_names import best_name, collect_proper_names
from .models import AcademicRegion, Academie, Commune, Departement, HolidayZone

# Zones de vacances scolaires (arrêté du 16 novembre 2015 and the yearly calendars of the
# ministry), by académie name. Caen and Rouen merged into Normandie in 2020; older files
# still name them.
HOLIDAY_ZONES: dict[str, tuple[str, ...]] = {
    HolidayZone.A: (
        "Besançon",
        "Bordeaux",
        "Clermont-Ferrand",
        "Dijon",
        "Grenoble",
        "Limoges",
        "Lyon",
        "Poitiers",
    ),
    HolidayZone.B: (
        "Aix-Marseille",
        "Amiens",
        "Caen",
        "Lille",
        "Nancy-Metz",
        "Nantes",
        "Nice",
        "Normandie",
        "Orléans-Tours",
        "Reims",
        "Rennes",
        "Rouen",
        "Strasbourg",
    ),
    HolidayZone.C: ("Créteil", "Montpellier", "Paris", "Toulouse", "Versailles"),
    HolidayZone.CORSE: ("Corse",),
    HolidayZone.OUTRE_MER: ("Guadeloupe", "Guyane", "La Réunion", "Martinique", "Mayotte"),
}
_ZONE_BY_KEY = {search_key(name): zone for zone, names in HOLIDAY_ZONES.items() for name in names}

# The contours file spells the 2016 regions with hyphens everywhere (« Grand-Est »); these are
# their official names (décret n° 2016-1264 and the overseas ones).
OFFICIAL_REGION_NAMES = {
    "24": "Centre-Val de Loire",
    "27": "Bourgogne-Franche-Comté",
    "44": "Grand Est",
    "52": "Pays de la Loire",
    "84": "Auvergne-Rhône-Alpes",
    "93": "Provence-Alpes-Côte d'Azur",
    "04": "La Réunion",
}

# Codes of the vice-rectorats of the overseas collectivities (Nouvelle-Calédonie, Polynésie
# française, Wallis-et-Futuna) and of Saint-Pierre-et-Miquelon: the ministry's files list
# them like académies, but they are not in the académies file.
VICE_RECTORAT_CODES = {"40", "41", "42", "44"}

ACADEMIES_FORMAT = CsvFormat(
    columns=(
        "code_academie",
        "libelle_academie",
        "code_region_academique",
        "libelle_region_academique",
        "centroide_lat",
        "centroide_lon",
    ),
    name="la liste des académies",
)
DEPARTEMENTS_FORMAT = CsvFormat(
    columns=("code_departement", "libelle_departement", "code_academie"),
    name="la géolocalisation des établissements",
)
COMMUNES_FORMAT = CsvFormat(
    columns=("Code_commune_INSEE", "Nom_commune", "Code_postal", "coordonnees_gps"),
    encoding="utf-8",
    name="la base des codes postaux de La Poste",
)

_TWO_DIGITS = re.compile(r"^\d{2}$")
_DEPARTEMENT = re.compile(r"^(0?\d{2}|0?2[AB]|9[78]\d)$")
_POSTAL_CODE = re.compile(r"^\d{5}$")


def departement_code(code: str) -> str:
    """The INSEE code of a département as the ministry writes it on 3 characters.

    « 030 » → « 30 », « 02A » → « 2A », « 971 » → « 971 ».
    """
    return code[1:] if len(code) == 3 and code.startswith("0") else code


def holiday_zone(academie_name: str) -> str:
    """The school-holiday zone of an académie, « » when the name is not in HOLIDAY_ZONES."""
    return _ZONE_BY_KEY.get(search_key(academie_name), "")


# ---------------------------------------------------------------------------------------------
# Académies
# ---------------------------------------------------------------------------------------------


def academies_import(*, path: Path, progress: tqdm | None = None) -> ImportResult:
    """Upsert the régions académiques and the académies of ``academies.csv``.

    Each académie gets its school-holiday zone from HOLIDAY_ZONES; an académie whose name is
    not listed is kept without a zone and reported.
    """
    regions, academies = _read_academies(path, progress)
    result = ImportResult()
    region_ids = upsert(AcademicRegion, regions, key="code")
    result.add("régions académiques", region_ids.counts)
    for values in academies.values():
        values["region_id"] = region_ids.ids[values.pop("region_code")]
    result.add("académies", upsert(Academie, academies, key="code").counts)
    no_zone = [
        f"{values['name']} ({code})"
        for code, values in academies.items()
        if not values["holiday_zone"]
    ]
    if no_zone:
        result.warn("Académies sans zone de vacances connue (à ajouter à HOLIDAY_ZONES)", no_zone)
    return result


def _read_academies(path: Path, progress: tqdm | None) -> tuple[dict, dict]:
    regions: dict[str, dict] = {}
    academies: dict[str, dict] = {}
    for row in read_csv(path, ACADEMIES_FORMAT, progress):
        region_code = _code(row, "code_region_academique")
        region_name = row.required("libelle_region_academique")
        regions.setdefault(
            region_code, {"name": OFFICIAL_REGION_NAMES.get(region_code, region_name)}
        )
        code = _code(row, "code_academie")
        if code in academies:
            raise row.error("code_academie", f"l'académie « {code} » figure deux fois")
        academies[code] = _academie_values(row, region_code)
    return regions, academies


def _code(row: CsvRow, column: str) -> str:
    value = row.required(column)
    if not _TWO_DIGITS.match(value):
        raise row.error(column, f"le code « {value} » doit compter 2 chiffres")
    return value


def _academie_values(row: CsvRow, region_code: str) -> dict:
    name = row.required("libelle_academie")
    return {
        "name": name,
        "region_code": region_code,
        "holiday_zone": holiday_zone(name),
        "latitude": row.float_or_none("centroide_lat", low=-90, high=90),
        "longitude": row.float_or_none("centroide_lon", low=-180, high=180),
    }


# ---------------------------------------------------------------------------------------------
# Départements
# ---------------------------------------------------------------------------------------------


def departements_import(*, path: Path, progress: tqdm | None = None) -> ImportResult:
    """Upsert the départements found in the géolocalisation file of the ministry.

    The code is stored the INSEE way (« 030 » → « 30 »). Every département must belong to a
    known académie (import the académies first), except those of the overseas vice-rectorats,
    which are skipped and reported. A département listed under two académies is an error.
    """
    academie_ids = dict(Academie.objects.values_list("code", "id"))
    if not academie_ids:
        raise ImportFileError(
            "aucune académie en base : lancez d'abord « manage.py import_academies »"
        )
    departements, skipped = _read_departements(path, academie_ids, progress)
    result = ImportResult()
    result.add("départements", upsert(Departement, departements, key="code").counts)
    if skipped:
        result.warn(
            "Départements et collectivités d'outre-mer ignorés, car rattachés à un "
            "vice-rectorat et non à une académie",
            [f"{name} ({code})" for code, name in sorted(skipped.items())],
        )
    return result


def _read_departements(
    path: Path, academie_ids: dict[str, int], progress: tqdm | None
) -> tuple[dict[str, dict], dict[str, str]]:
    """The départements to upsert by INSEE code, and the skipped ones (code → name)."""
    departements: dict[str, dict] = {}
    skipped: dict[str, str] = {}
    for row in read_csv(path, DEPARTEMENTS_FORMAT, progress):
        code = row.required("code_departement").upper()
        if not _DEPARTEMENT.match(code):
            raise row.error("code_departement", f"« {code} » n'est pas un code de département")
        academie_code = row.required("code_academie")
        name = row.required("libelle_departement")
        if academie_code in VICE_RECTORAT_CODES:
            skipped[departement_code(code)] = name
            continue
        if academie_code not in academie_ids:
            raise _unknown_academie(row, "code_academie", academie_code)
        values = {"name": name, "academie_id": academie_ids[academie_code]}
        known = departements.setdefault(departement_code(code), values)
        if known["academie_id"] != values["academie_id"]:
            raise row.error("code_academie", f"le département {code} a déjà une autre académie")
    return departements, skipped


def _unknown_academie(row: CsvRow, column: str, code: str) -> ImportFileError:
    return row.error(
        column,
        f"l'académie « {code} » est inconnue : lancez d'abord « manage.py import_academies » "
        "avec le fichier des académies",
    )


# ---------------------------------------------------------------------------------------------
# Communes
# ---------------------------------------------------------------------------------------------


def communes_import(
    *, path: Path, names_from: list[Path], progress: tqdm | None = None
) -> ImportResult:
    """Upsert one commune per INSEE code of La Poste's base officielle des codes postaux.

    A commune with several postal codes keeps the smallest (the main one for Toulouse, Paris…);
    its coordinates are the first found. Its proper name comes from ``names_from`` (see
    ``commune_names``). It is linked to its département when that one is in base.
    """
    communes: dict[str, dict] = {}
    upper_names: dict[str, str] = {}
    for row in read_csv(path, COMMUNES_FORMAT, progress):
        insee, values = _commune_values(row)
        current = communes.get(insee)
        if current is None:
            communes[insee] = values
            upper_names[insee] = row.required("Nom_commune")
            continue
        current["postal_code"] = min(current["postal_code"], values["postal_code"])
        if current["latitude"] is None:
            current["latitude"], current["longitude"] = values["latitude"], values["longitude"]
    proper_names = collect_proper_names(names_from)
    departement_ids = dict(Departement.objects.values_list("code", "id"))
    for insee, values in communes.items():
        values["name"] = best_name(upper_names[insee], proper_names.get(insee))
        values["search_text"] = search_key(values["name"], values["postal_code"])
        values["departement_id"] = departement_ids.get(departement_code_from_insee(insee))
    result = ImportResult()
    result.add("communes", upsert(Commune, communes, key="insee_code", batch_size=2000).counts)
    _warn_communes(result, communes)
    return result


def _commune_values(row: CsvRow) -> tuple[str, dict]:
    insee = row.required("Code_commune_INSEE").upper()
    if not is_valid_insee(insee):
        raise row.error("Code_commune_INSEE", f"« {insee} » n'est pas un code INSEE de commune")
    postal_code = row.required("Code_postal")
    if not _POSTAL_CODE.match(postal_code):
        raise row.error("Code_postal", f"« {postal_code} » n'est pas un code postal")
    latitude, longitude = _gps(row, "coordonnees_gps")
    return insee, {"postal_code": postal_code, "latitude": latitude, "longitude": longitude}


def _gps(row: CsvRow, column: str) -> tuple[float | None, float | None]:
    """« 43.61,3.87 » → (43.61, 3.87); an empty cell → (None, None)."""
    value = row[column]
    if not value:
        return None, None
    parts = value.split(",")
    try:
        latitude, longitude = (float(part) for part in parts)
    except ValueError:
        raise row.error(
            column, f"« {value} » n'est pas une position « latitude,longitude »"
        ) from None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise row.error(column, f"la position « {value} » est hors des limites du globe")
    return latitude, longitude


def _warn_communes(result: ImportResult, communes: dict[str, dict]) -> None:
    no_gps = sorted(code for code, values in communes.items() if values["latitude"] is None)
    if no_gps:
        result.warn(f"{len(no_gps)} communes sans coordonnées GPS (gardées)", no_gps)
    no_dep = Counter(
        departement_code_from_insee(code)
        for code, values in communes.items()
        if values["departement_id"] is None
    )
    if no_dep:
        result.warn(
            f"{sum(no_dep.values())} communes sans département en base (gardées), par code "
            "de département",
            [f"{code} ({count})" for code, count in sorted(no_dep.items())],
        )
