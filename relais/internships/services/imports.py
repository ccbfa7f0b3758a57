"""Import of a school's pupils who need an internship, from a CSV file (« ; », UTF-8, one
header line).

Each line is a pupil of the school's roster (``relais.pupils``) and the search of their
internship. The pupil is found on the roster (same ``identifiant``, or same names: the roster
import's rule, ``relais.pupils.services.match_pupil``) or added to it
(``relais.pupils.services.pupil_fill``); then their open case is opened at « recherche
seul », or updated, with the search columns.

Columns: ``nom``, ``prenom``, ``classe``, ``niveau`` (required); the roster's ``identifiant``
(the school's own id), ``qpv``, ``handicap``, ``arrivee_recente`` (0 or 1) and the search's
``voeux`` (ROME families « H22, D11 »), ``distance_km``, ``accessibilite`` (0 or 1),
``commune_insee`` are optional. A column left out of the file changes nothing on a known
pupil or case.

The whole file is checked first: every bad line is reported with its line and column, in
French, and nothing is written. Then it is written in one transaction. Importing the same
file twice changes nothing. The case's period is the school's period of the current year for
the pupil's class (or level), when the school has declared one.

A file over ``RELAIS_PUPIL_IMPORT_MAX_BYTES`` (2 Mo) or ``RELAIS_PUPIL_IMPORT_MAX_ROWS``
(5 000 pupils) is refused before it is parsed (``relais.core.uploads``); so is a file holding
a NUL byte or another control character, with its line.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Model

from relais.core.clock import today
from relais.core.importing import CsvFormat, CsvRow, ImportFileError, read_csv
from relais.core.uploads import (
    UploadTooLarge,
    pupil_import_max_bytes,
    pupil_import_max_rows,
    upload_on_disk,
)
from relais.establishments.models import Establishment
from relais.pupils.models import Pupil
from relais.pupils.services import index_pupils, match_pupil, pupil_fill
from relais.territories.models import Commune
from relais.users.types import AnyUser

from ..enums import FINAL_CASE_STATES, SchoolLevel
from ..models import InternshipPeriod, PlacementCase
from ..perms import can_manage_pupils
from ..workflows import CASE_OPENING, CASE_WORKFLOW
from ..years import internship_year_label, internship_year_of
from .cases import case_fill, clean_wishes

PUPIL_CSV = CsvFormat(
    columns=("nom", "prenom", "classe", "niveau"),
    name="fichier des élèves",
    row_label="lignes d'élèves",
)
OPTIONAL = ("voeux", "distance_km", "qpv", "handicap", "accessibilite", "arrivee_recente",
            "commune_insee", "identifiant")  # fmt: skip
TEMPLATE_HEADER = [*PUPIL_CSV.columns, *OPTIONAL]
LEVELS = (
    {value.lower(): value for value in SchoolLevel.values}
    | {label.lower(): value for value, label in SchoolLevel.choices}
    | {"3eme": "3e", "troisième": "3e", "seconde": "2nde"}
)
MAX_ERRORS = 50
# Columns → the pupil's roster fields, and → the case's search fields.
PUPIL_FLAGS = {"qpv": "qpv", "handicap": "disability", "arrivee_recente": "newly_arrived"}
ROSTER = ("last_name", "first_name", "class_label", "level", "school_ref")


class PupilImportError(Exception):
    """The file cannot be imported; ``errors`` are French sentences naming line and column."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class PupilImportResult:
    # Pupils added to the school's roster (each with a case opened).
    created: int = 0
    # Cases opened for pupils already on the roster.
    opened: int = 0
    # Pupils or cases changed by the file.
    updated: int = 0
    unchanged: int = 0
    cases: list[PlacementCase] = field(default_factory=list)

    @property
    def pupils(self) -> list[Pupil]:
        return [case.pupil for case in self.cases]


def _optional(row: CsvRow, column: str) -> str:
    return row.values.get(column, "").strip()


def _parse(row: CsvRow, communes: dict[str, Commune]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The pupil's roster fields and the case's search fields of one line (only the columns
    the file has)."""
    level = LEVELS.get(row.required("niveau").lower())
    if level is None:
        allowed = ", ".join(f"« {v} »" for v in SchoolLevel.values)
        raise row.error(
            "niveau", f"niveau « {row['niveau']} » inconnu (valeurs admises : {allowed})"
        )
    pupil: dict[str, Any] = {
        "last_name": " ".join(row.required("nom").split())[:100],
        "first_name": " ".join(row.required("prenom").split())[:100],
        "class_label": " ".join(row.required("classe").split())[:40],
        "level": level,
        "school_ref": _optional(row, "identifiant")[:40],
    }
    for column, name in PUPIL_FLAGS.items():
        if column in row.values:
            pupil[name] = row.flag(column)
    search: dict[str, Any] = {}
    if "voeux" in row.values:
        try:
            search["wishes"] = clean_wishes(_optional(row, "voeux").replace(";", ",").split(","))
        except ValidationError as error:
            raise row.error("voeux", error.messages[0].rstrip(".")) from None
    max_km = row.int_or_none("distance_km") if "distance_km" in row.values else None
    if max_km is not None:
        if not 1 <= max_km <= 200:
            raise row.error("distance_km", f"{max_km} km n'est pas compris entre 1 et 200")
        search["max_km"] = max_km
    if "accessibilite" in row.values:
        search["needs_access"] = row.flag("accessibilite")
    if "commune_insee" in row.values:
        insee = _optional(row, "commune_insee")
        if insee and insee not in communes:
            raise row.error("commune_insee", f"commune « {insee} » inconnue (code INSEE attendu)")
        search["home_commune"] = communes.get(insee)
    return pupil, search


def _key(data: dict[str, Any]) -> tuple[str, ...]:
    if data["school_ref"]:
        return ("ref", data["school_ref"])
    return ("name", data["last_name"].lower(), data["first_name"].lower())


def _read(path: Path) -> list[tuple[int, dict[str, Any], dict[str, Any]]]:
    """Every row parsed, or PupilImportError listing every bad line."""
    errors, parsed = [], []
    fmt = dataclasses.replace(
        PUPIL_CSV, max_bytes=pupil_import_max_bytes(), max_rows=pupil_import_max_rows()
    )
    rows = list(read_csv(path, fmt))
    codes = {_optional(r, "commune_insee") for r in rows} - {""}
    communes = {c.insee_code: c for c in Commune.objects.filter(insee_code__in=codes)}
    seen: dict[tuple[str, ...], int] = {}
    for row in rows:
        try:
            pupil, search = _parse(row, communes)
        except ImportFileError as error:
            errors.append(str(error))
            continue
        key = _key(pupil)
        if key in seen:
            errors.append(str(row.error(None, f"élève en double (déjà ligne {seen[key]})")))
            continue
        seen[key] = row.line
        parsed.append((row.line, pupil, search))
    if errors:
        raise PupilImportError(errors[:MAX_ERRORS])
    if not parsed:
        raise PupilImportError(["Le fichier ne contient aucun élève."])
    return parsed


def _periods(establishment: Establishment) -> dict[tuple[str, str], InternshipPeriod]:
    """The current year's periods by (level, class); a class's own period wins."""
    year = internship_year_label(today())
    found: dict[tuple[str, str], InternshipPeriod] = {}
    for period in InternshipPeriod.objects.filter(establishment=establishment, school_year=year):
        found.setdefault((period.level, period.class_label), period)
    return found


def pupils_import_csv(
    *, user: AnyUser, establishment: Establishment, path: Path
) -> PupilImportResult:
    """Import ``path`` for ``establishment`` (its own school only), all or nothing."""
    if not can_manage_pupils(user, establishment):
        raise PermissionDenied("Seul l'établissement importe ses élèves.")
    try:
        parsed = _read(path)
    except ImportFileError as error:
        raise PupilImportError([str(error)]) from None
    periods = _periods(establishment)
    year = internship_year_of(today())
    result = PupilImportResult()
    with transaction.atomic():
        known = list(
            Pupil.objects.select_for_update().filter(
                establishment=establishment, purged_at__isnull=True
            )
        )
        index = index_pupils(known)
        open_cases = {
            case.pupil_id: case
            for case in PlacementCase.objects.select_for_update()
            .filter(pupil__in=known)
            .exclude(state__in=FINAL_CASE_STATES)
        }
        errors, seen = [], set()
        for line, pupil_data, search in parsed:
            period = periods.get((pupil_data["level"], pupil_data["class_label"])) or periods.get(
                (pupil_data["level"], "")
            )
            if period is not None:
                search = {**search, "period": period}
            pupil = match_pupil(index, pupil_data)
            if pupil is not None and pupil.pk in seen:
                errors.append(f"Ligne {line} : élève en double (même élève qu'une autre ligne).")
                continue
            try:
                case = _write(
                    result, user, establishment, pupil, open_cases, pupil_data, search, year
                )
            except ValidationError as error:
                errors.append(f"Ligne {line} : {' '.join(error.messages)}")
                continue
            seen.add(case.pupil_id)
            if pupil is None:
                index.update(index_pupils([case.pupil]))
        if errors:
            transaction.set_rollback(True)
            raise PupilImportError(errors[:MAX_ERRORS])
    return result


def _write(
    result: PupilImportResult,
    user: AnyUser,
    establishment: Establishment,
    pupil: Pupil | None,
    open_cases: dict[int, PlacementCase],
    pupil_data: dict[str, Any],
    search: dict[str, Any],
    year: int,
) -> PlacementCase:
    """One line: the pupil on the roster, then their open case."""
    created = pupil is None
    if pupil is None:
        pupil = pupil_fill(Pupil(establishment=establishment), {**pupil_data, "school_year": year})
        pupil.save()
        changed = True
    else:
        values = {**pupil_data, "school_year": max(pupil.school_year, year)}
        if not pupil_data["school_ref"]:
            values.pop("school_ref")  # a line without identifier keeps the roster's
        changed = _differs(pupil, values)
        if changed:
            pupil_fill(pupil, values)
            pupil.save()
    case = open_cases.get(pupil.pk)
    if case is None:
        case = case_fill(PlacementCase(pupil=pupil), search)
        case.save()
        CASE_WORKFLOW.log_creation(
            case, user=user, note="Dossier ouvert (import)", transition=CASE_OPENING
        )
        open_cases[pupil.pk] = case
        if created:
            result.created += 1
        else:
            result.opened += 1
    else:
        case.pupil = pupil
        if _differs(case, search):
            case_fill(case, search)
            case.save()
            changed = True
        if changed:
            result.updated += 1
        else:
            result.unchanged += 1
    result.cases.append(case)
    return case


def _differs(obj: Model, values: dict[str, Any]) -> bool:
    """Compare without loading relations (a foreign key by its id)."""
    for name, value in values.items():
        if name in ("period", "home_commune"):
            if getattr(obj, f"{name}_id") != (value.pk if value is not None else None):
                return True
        elif getattr(obj, name) != value:
            return True
    return False


def pupils_import_upload(
    *, user: AnyUser, establishment: Establishment, upload: UploadedFile[bytes]
) -> PupilImportResult:
    """The same, from an uploaded file (written to a temporary file to be read by line).
    A file over the size limit is refused before a byte of it is copied."""
    if not can_manage_pupils(user, establishment):
        raise PermissionDenied("Seul l'établissement importe ses élèves.")
    try:
        with upload_on_disk(upload, limit=pupil_import_max_bytes()) as path:
            return pupils_import_csv(user=user, establishment=establishment, path=path)
    except UploadTooLarge as error:
        raise PupilImportError([str(error)]) from None
