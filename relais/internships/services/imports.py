"""Import of a school's pupils from a CSV file (« ; », UTF-8, one header line).

Columns: ``nom``, ``prenom``, ``classe``, ``niveau`` (required); ``voeux`` (ROME families
« H22, D11 »), ``distance_km``, ``qpv``, ``handicap``, ``accessibilite``, ``arrivee_recente``
(0 or 1), ``commune_insee``, ``identifiant`` (the school's own id) are optional.

The whole file is checked first: every bad line is reported with its line and column, in
French, and nothing is written. Then it is written in one transaction. A pupil already
known (same ``identifiant``, or same name and class) is updated, not duplicated: importing
the same file twice changes nothing.

A file over ``RELAIS_PUPIL_IMPORT_MAX_BYTES`` (2 Mo) or ``RELAIS_PUPIL_IMPORT_MAX_ROWS``
(5 000 pupils) is refused before it is parsed (``relais.core.uploads``); so is a file holding
a NUL byte or another control character, with its line.
"""

from __future__ import annotations

import dataclasses
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from relais.core.importing import CsvFormat, CsvRow, ImportFileError, read_csv
from relais.core.uploads import pupil_import_max_bytes, pupil_import_max_rows, too_large_message
from relais.territories.models import Commune

from ..enums import SchoolLevel
from ..models import InternshipPeriod, Pupil
from ..perms import can_manage_pupils
from ..years import internship_year_label, retention_date
from .cases import case_open, clean_wishes

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


class PupilImportError(Exception):
    """The file cannot be imported; ``errors`` are French sentences naming line and column."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class PupilImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    pupils: list[Pupil] = field(default_factory=list)


def _optional(row: CsvRow, column: str) -> str:
    return row.values.get(column, "").strip()


def _flag(row: CsvRow, column: str) -> bool:
    return row.flag(column) if column in row.values else False


def _parse(row: CsvRow, communes: dict[str, Commune]) -> dict:
    level = LEVELS.get(row.required("niveau").lower())
    if level is None:
        allowed = ", ".join(f"« {v} »" for v in SchoolLevel.values)
        raise row.error(
            "niveau", f"niveau « {row['niveau']} » inconnu (valeurs admises : {allowed})"
        )
    try:
        wishes = clean_wishes(_optional(row, "voeux").replace(";", ",").split(","))
    except ValidationError as error:
        raise row.error("voeux", error.messages[0].rstrip(".")) from None
    max_km = row.int_or_none("distance_km") if "distance_km" in row.values else None
    if max_km is not None and not 1 <= max_km <= 200:
        raise row.error("distance_km", f"{max_km} km n'est pas compris entre 1 et 200")
    insee = _optional(row, "commune_insee")
    if insee and insee not in communes:
        raise row.error("commune_insee", f"commune « {insee} » inconnue (code INSEE attendu)")
    data = {
        "last_name": row.required("nom")[:100],
        "first_name": row.required("prenom")[:100],
        "class_label": row.required("classe")[:40],
        "level": level,
        "wishes": wishes,
        "qpv": _flag(row, "qpv"),
        "disability": _flag(row, "handicap"),
        "needs_access": _flag(row, "accessibilite"),
        "newly_arrived": _flag(row, "arrivee_recente"),
        "home_commune": communes.get(insee),
        "school_ref": _optional(row, "identifiant")[:40],
    }
    if max_km is not None:
        data["max_km"] = max_km
    return data


def _read(path: Path) -> list[tuple[int, dict]]:
    """Every row parsed, or PupilImportError listing every bad line."""
    errors, parsed = [], []
    fmt = dataclasses.replace(
        PUPIL_CSV, max_bytes=pupil_import_max_bytes(), max_rows=pupil_import_max_rows()
    )
    rows = list(read_csv(path, fmt))
    codes = {_optional(r, "commune_insee") for r in rows} - {""}
    communes = {c.insee_code: c for c in Commune.objects.filter(insee_code__in=codes)}
    seen: dict[tuple, int] = {}
    for row in rows:
        try:
            data = _parse(row, communes)
        except ImportFileError as error:
            errors.append(str(error))
            continue
        key = _key(data)
        if key in seen:
            errors.append(str(row.error(None, f"élève en double (déjà ligne {seen[key]})")))
            continue
        seen[key] = row.line
        parsed.append((row.line, data))
    if errors:
        raise PupilImportError(errors[:MAX_ERRORS])
    if not parsed:
        raise PupilImportError(["Le fichier ne contient aucun élève."])
    return parsed


def _key(data: dict) -> tuple:
    if data["school_ref"]:
        return ("ref", data["school_ref"])
    return ("name", data["last_name"].lower(), data["first_name"].lower(), data["class_label"])


def _periods(establishment) -> dict[tuple[str, str], InternshipPeriod]:
    """The current year's periods by (level, class); a class's own period wins."""
    year = internship_year_label(timezone.localdate())
    found = {}
    for period in InternshipPeriod.objects.filter(establishment=establishment, school_year=year):
        found.setdefault((period.level, period.class_label), period)
    return found


def pupils_import_csv(*, user, establishment, path: Path) -> PupilImportResult:
    """Import ``path`` for ``establishment`` (its own school only), all or nothing."""
    if not can_manage_pupils(user, establishment):
        raise PermissionDenied("Seul l'établissement importe ses élèves.")
    try:
        parsed = _read(path)
    except ImportFileError as error:
        raise PupilImportError([str(error)]) from None
    periods = _periods(establishment)
    existing = {_key({**vars_of(p)}): p for p in Pupil.objects.filter(establishment=establishment)}
    result = PupilImportResult()
    retention = retention_date(timezone.localdate())
    with transaction.atomic():
        for _line, data in parsed:
            period = periods.get((data["level"], data["class_label"])) or periods.get(
                (data["level"], "")
            )
            pupil = existing.get(_key(data))
            if pupil is None:
                pupil = Pupil.objects.create(
                    establishment=establishment, period=period, retention_until=retention, **data
                )
                case_open(user=user, pupil=pupil)
                result.created += 1
            elif _changed(pupil, data) or (period and pupil.period_id != period.pk):
                for name, value in data.items():
                    setattr(pupil, name, value)
                pupil.period = period or pupil.period
                pupil.save()
                result.updated += 1
            else:
                result.unchanged += 1
            result.pupils.append(pupil)
    return result


def vars_of(pupil: Pupil) -> dict:
    return {
        "school_ref": pupil.school_ref,
        "last_name": pupil.last_name,
        "first_name": pupil.first_name,
        "class_label": pupil.class_label,
    }


def _changed(pupil: Pupil, data: dict) -> bool:
    """Compare without loading relations (the commune by its id)."""
    for name, value in data.items():
        if name == "home_commune":
            if pupil.home_commune_id != (value.pk if value else None):
                return True
        elif getattr(pupil, name) != value:
            return True
    return False


def pupils_import_upload(*, user, establishment, upload) -> PupilImportResult:
    """The same, from an uploaded file (written to a temporary file to be read by line).
    A file over the size limit is refused before a byte of it is copied."""
    if not can_manage_pupils(user, establishment):
        raise PermissionDenied("Seul l'établissement importe ses élèves.")
    limit = pupil_import_max_bytes()
    if upload.size is None or upload.size > limit:
        raise PupilImportError([too_large_message(limit)])
    with tempfile.NamedTemporaryFile(suffix=".csv") as handle:
        written = 0
        for chunk in upload.chunks():
            written += len(chunk)
            if written > limit:  # a size that lied: stop copying at once
                raise PupilImportError([too_large_message(limit)])
            handle.write(chunk)
        handle.flush()
        return pupils_import_csv(user=user, establishment=establishment, path=Path(handle.name))
