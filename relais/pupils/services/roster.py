"""Import of a school's roster: every pupil of every class, from the CSV file that the
school's information system exports (SIECLE/ONDE « liste des élèves », Pronote, or a
spreadsheet saved as CSV).

Expected columns (the first line names them; order and case do not matter, accents and
spaces neither; other columns are ignored and are not kept):

| column         | also accepted as                                    | required |
|----------------|-----------------------------------------------------|----------|
| nom            | nom de famille, nom d'usage                         | yes      |
| prenom         | prénom, prénom 1                                    | yes      |
| classe         | division                                            | yes      |
| niveau         | MEF, libellé MEF (else deduced from the class « 3B »)| if the class is silent |
| identifiant    | numéro élève, n° interne, id élève                  | no       |
| qpv, handicap, arrivee_recente | (1/0, oui/non, x)                   | no       |

Encodings: UTF-8 (with or without BOM) or Windows-1252/Latin-1 as Excel writes it;
separators « ; », « , » or tab, detected from the header line.

All or nothing: the whole file is checked first and every bad line is reported with its
number (up to 50), then it is written in one transaction. Importing the same file twice
changes nothing. Importing the next year's roster moves pupils up (same pupil: same
identifiant, or same names), it never duplicates them; the pupils of last year absent from
the file (they left the school) are counted and kept until their retention date.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from relais.core.db import ANALYZE_FROM, analyze
from relais.core.importing import CsvFormat, CsvRow, ImportFileError, read_csv
from relais.core.uploads import (
    UploadTooLarge,
    pupil_import_max_bytes,
    pupil_import_max_rows,
    too_large_message,
    upload_on_disk,
)
from relais.establishments.models import Establishment
from relais.users.types import AnyUser

from ..enums import Level
from ..models import Pupil
from ..perms import can_manage_pupils
from .pupils import PUPIL_FIELDS, check_school_year, pupil_fill

MAX_ERRORS = 50
REQUIRED = ("nom", "prenom", "classe")
ALIASES = {
    "nom": ("nom", "nomdefamille", "nomdusage", "nomusage", "nomeleve"),
    "prenom": ("prenom", "prenom1", "prenoms", "prenomeleve"),
    "classe": ("classe", "division", "div"),
    "niveau": ("niveau", "mef", "libellemef", "niveauformation"),
    "identifiant": (
        "identifiant",
        "numeroeleve",
        "noeleve",
        "ninterne",
        "numerointerne",
        "ideleve",
        "elevenum",
    ),  # fmt: skip
    "qpv": ("qpv",),
    "handicap": ("handicap", "situationdehandicap"),
    "arrivee_recente": ("arriveerecente", "allophone", "upe2a"),
}
TEMPLATE_HEADER = ["nom", "prenom", "classe", "niveau", "identifiant", "qpv", "handicap",
                   "arrivee_recente"]  # fmt: skip
FLAGS = {"qpv": "qpv", "handicap": "disability", "arrivee_recente": "newly_arrived"}
TRUE = {"1", "oui", "o", "x", "vrai", "true", "yes", "y"}
FALSE = {"", "0", "non", "n", "faux", "false", "no"}


class RosterImportError(Exception):
    """The file cannot be imported; ``errors`` are French sentences naming the line."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class RosterImportResult:
    school_year: int
    created: int = 0
    moved_up: int = 0
    updated: int = 0
    unchanged: int = 0
    # Pupils of the previous year not in the file (left the school): kept, not listed.
    left: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    pupils: list[Pupil] = field(default_factory=list)
    # Checked, not yet written (``_save``).
    to_create: list[Pupil] = field(default_factory=list, repr=False)
    to_update: list[Pupil] = field(default_factory=list, repr=False)
    changed_fields: set[str] = field(default_factory=set, repr=False)

    @property
    def total(self) -> int:
        return self.created + self.moved_up + self.updated + self.unchanged


def _fold(text: str) -> str:
    """« Prénom 1 » → « prenom1 »: lower case, no accents, letters and digits only."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", plain.lower())


def _fold_name(text: str) -> str:
    return " ".join(_fold(word) for word in text.split())


LEVEL_PATTERNS = [
    (re.compile(r"^(6|6e|6eme|sixieme)"), Level.SIXTH),
    (re.compile(r"^(5|5e|5eme|cinquieme)"), Level.FIFTH),
    (re.compile(r"^(4|4e|4eme|quatrieme)"), Level.FOURTH),
    (re.compile(r"^(3|3e|3eme|troisieme)"), Level.THIRD),
    (re.compile(r"^(cap|1cap|cap1)(?!2)"), Level.CAP),
    (re.compile(r"^(cap2|2cap|tcap|terminalecap)"), Level.CAP2),
    (re.compile(r"^(2|2nde|2de|seconde).*pro"), Level.SECOND_PRO),
    (re.compile(r"^(1|1re|1ere|premiere).*pro"), Level.FIRST_PRO),
    (re.compile(r"^(t|tle|term|terminale).*pro"), Level.FINAL_PRO),
    (re.compile(r"^(2|2nde|2de|seconde)"), Level.SECOND_GT),
    (re.compile(r"^(1|1re|1ere|premiere)"), Level.FIRST_GT),
    (re.compile(r"^(t|tle|term|terminale)"), Level.FINAL_GT),
]
LEVEL_VALUES = {_fold(value): value for value in Level.values} | {
    _fold(label): value for value, label in Level.choices
}


def level_of(text: str) -> str | None:
    """The roster level that a level or a class label names (« 3EME », « 3e B », « 2NDE
    PRO MELEC », « 1re_pro »), or None."""
    folded = _fold(text)
    if not folded:
        return None
    if folded in LEVEL_VALUES:
        return LEVEL_VALUES[folded]
    for pattern, level in LEVEL_PATTERNS:
        if pattern.match(folded):
            return str(level)
    return None


def sniff(path: Path) -> tuple[str, str]:
    """The file's encoding (UTF-8, else Windows-1252) and separator (« ; », « , » or tab,
    the most frequent in the header line)."""
    if path.stat().st_size > pupil_import_max_bytes():
        raise ImportFileError(too_large_message(pupil_import_max_bytes()))
    raw = path.read_bytes()
    try:
        raw.decode("utf-8-sig")
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        encoding = "cp1252"
    first = raw.split(b"\n", 1)[0].decode(encoding, errors="replace")
    delimiter = max((";", ",", "\t"), key=first.count)
    return encoding, delimiter


def _columns(header: list[str]) -> tuple[dict[str, str], list[str]]:
    """Map our column names to the file's; the file's columns we do not keep."""
    found: dict[str, str] = {}
    for name in header:
        folded = _fold(name)
        for ours, aliases in ALIASES.items():
            if folded in aliases and ours not in found:
                found[ours] = name
                break
    ignored = [name for name in header if name not in found.values() and name]
    return found, ignored


def _flag(row: CsvRow, column: str | None) -> bool:
    if column is None:
        return False
    value = _fold(row.values.get(column, ""))
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise row.error(column, f"« {row.values[column]} » n'est pas oui/non (1 ou 0)")


def _parse(row: CsvRow, cols: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "last_name": " ".join(row.required(cols["nom"]).split())[:100],
        "first_name": " ".join(row.required(cols["prenom"]).split())[:100],
        "class_label": " ".join(row.required(cols["classe"]).split())[:40],
        "school_ref": row.values.get(cols.get("identifiant", ""), "").strip()[:40],
    }
    given = row.values.get(cols.get("niveau", ""), "").strip()
    level = level_of(given) if given else level_of(data["class_label"])
    if level is None:
        what = f"niveau « {given} » inconnu" if given else (
            f"niveau introuvable : la classe « {data['class_label']} » ne le dit pas et la "
            "colonne « niveau » manque ou est vide"
        )  # fmt: skip
        raise row.error(cols.get("niveau", cols["classe"]), what)
    data["level"] = level
    for column, name in FLAGS.items():
        data[name] = _flag(row, cols.get(column))
    return data


def _key(data: dict[str, Any]) -> tuple[str, ...]:
    if data["school_ref"]:
        return ("ref", data["school_ref"])
    return ("name", _fold_name(data["last_name"]), _fold_name(data["first_name"]))


def read_roster(path: Path) -> tuple[list[tuple[int, dict[str, Any]]], list[str]]:
    """Every row parsed, and the ignored columns; or RosterImportError listing every bad
    line."""
    try:
        encoding, delimiter = sniff(path)
    except ImportFileError as error:
        raise RosterImportError([str(error)]) from None
    fmt = CsvFormat(
        columns=(),
        delimiter=delimiter,
        encoding=encoding,
        name="liste des élèves",
        row_label="lignes d'élèves",
        max_bytes=pupil_import_max_bytes(),
        max_rows=pupil_import_max_rows(),
    )
    rows = read_csv(path, fmt)
    errors: list[str] = []
    parsed: list[tuple[int, dict[str, Any]]] = []
    seen: dict[tuple[str, ...], int] = {}
    cols: dict[str, str] | None = None
    ignored: list[str] = []
    for row in rows:
        if cols is None:
            cols, ignored = _columns(list(row.values))
            missing = [c for c in REQUIRED if c not in cols]
            if missing:
                listed = ", ".join(f"« {c} »" for c in missing)
                raise RosterImportError(
                    [
                        f"Ligne 1 : colonne(s) manquante(s) {listed} (séparateur détecté : "
                        f"« {'tabulation' if delimiter == chr(9) else delimiter} »)."
                    ]  # fmt: skip
                )
        try:
            data = _parse(row, cols)
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
        raise RosterImportError(errors[:MAX_ERRORS])
    if not parsed:
        raise RosterImportError(["Le fichier ne contient aucun élève."])
    return parsed, ignored


def index_pupils(pupils: list[Pupil]) -> dict[tuple[str, ...], Pupil]:
    """The school's pupils by identifier and by names (the latest year wins a name)."""
    found: dict[tuple[str, ...], Pupil] = {}
    for pupil in sorted(pupils, key=lambda p: p.school_year):
        if pupil.school_ref:
            found[("ref", pupil.school_ref)] = pupil
        found[("name", _fold_name(pupil.last_name), _fold_name(pupil.first_name))] = pupil
    return found


def match_pupil(index: dict[tuple[str, ...], Pupil], data: dict[str, Any]) -> Pupil | None:
    pupil = index.get(_key(data))
    if pupil is None and data["school_ref"]:
        # A pupil first typed without identifier, now exported with one.
        pupil = index.get(("name", _fold_name(data["last_name"]), _fold_name(data["first_name"])))
        if pupil is not None and pupil.school_ref and pupil.school_ref != data["school_ref"]:
            return None
    return pupil


def _changed(pupil: Pupil, data: dict[str, Any]) -> bool:
    return any(getattr(pupil, name) != value for name, value in data.items())


def roster_import_csv(
    *, user: AnyUser, establishment: Establishment, path: Path, school_year: int
) -> RosterImportResult:
    """Import ``path`` as the roster of ``establishment`` (the user's own school) for
    ``school_year``, all or nothing."""
    if not can_manage_pupils(user, establishment):
        raise PermissionDenied("Seul l'établissement importe la liste de ses élèves.")
    try:
        year = check_school_year(school_year)
    except ValidationError as error:
        raise RosterImportError(error.messages) from None
    try:
        parsed, ignored = read_roster(path)
    except ImportFileError as error:
        raise RosterImportError([str(error)]) from None
    except csv.Error as error:  # pragma: no cover - read_csv reports its own errors
        raise RosterImportError([f"Fichier CSV illisible ({error})."]) from None
    result = RosterImportResult(school_year=year, ignored_columns=ignored)
    with transaction.atomic():
        existing = list(
            Pupil.objects.select_for_update().filter(
                establishment=establishment, purged_at__isnull=True
            )
        )
        index = index_pupils(existing)
        errors, seen = [], set()
        for line, data in parsed:
            pupil = match_pupil(index, data)
            if pupil is not None and pupil.school_year > year:
                errors.append(
                    f"Ligne {line} : {data['first_name']} {data['last_name']} figure déjà sur la "
                    f"liste de {pupil.school_year_label} ; importez la liste de l'année la plus "
                    "récente."
                )
                continue
            if pupil is not None and pupil.pk in seen:
                errors.append(f"Ligne {line} : élève en double (même élève qu'une autre ligne).")
                continue
            try:
                _write(result, pupil, data, year, establishment)
            except ValidationError as error:  # a value the model refuses: named by its line
                errors.append(f"Ligne {line} : {' '.join(error.messages)}")
                continue
            if pupil is not None:
                seen.add(pupil.pk)
        if errors:
            transaction.set_rollback(True)
            raise RosterImportError(errors[:MAX_ERRORS])
        _save(result)
        result.left = sum(1 for p in existing if p.school_year == year - 1 and p.pk not in seen)
    return result


def _write(
    result: RosterImportResult,
    pupil: Pupil | None,
    data: dict[str, Any],
    year: int,
    establishment: Establishment,
) -> None:
    """Check one line's pupil and count it; ``_save`` writes them all at once."""
    values = {**data, "school_year": year}
    if pupil is None:
        pupil = pupil_fill(Pupil(establishment=establishment), values)
        result.created += 1
        result.to_create.append(pupil)
    elif not _changed(pupil, values):
        result.unchanged += 1
    else:
        moved = pupil.school_year < year
        result.changed_fields.update(n for n, v in values.items() if getattr(pupil, n) != v)
        pupil_fill(pupil, values)
        result.to_update.append(pupil)
        if moved:
            result.moved_up += 1
        else:
            result.updated += 1
    result.pupils.append(pupil)


def _save(result: RosterImportResult) -> None:
    """The new pupils in one insert; the changed ones by one update per set of new values
    (a year's move up is one update per class, not one per pupil: a 1,000-pupil roster is
    a few dozen queries, and PostgreSQL is spared ``bulk_update``'s long CASE expressions)."""
    Pupil.objects.bulk_create(result.to_create, batch_size=1000)
    fields = [n for n in PUPIL_FIELDS if n in result.changed_fields] + ["retention_until"]
    groups: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for pupil in result.to_update:
        groups[tuple(getattr(pupil, name) for name in fields)].append(pupil.pk)
    now = timezone.now()
    for values, ids in groups.items():
        Pupil.objects.filter(pk__in=ids).update(**dict(zip(fields, values, strict=True)),
                                                updated_at=now)  # fmt: skip
    if len(result.to_create) + len(result.to_update) >= ANALYZE_FROM:
        analyze(Pupil)  # the parcours' counts are refreshed in the same transaction
    result.to_create, result.to_update = [], []


def roster_import_upload(
    *, user: AnyUser, establishment: Establishment, upload: UploadedFile[bytes], school_year: int
) -> RosterImportResult:
    """The same, from an uploaded file (copied to a temporary file to be read by line; a
    file over the size limit is refused before a byte of it is copied)."""
    if not can_manage_pupils(user, establishment):
        raise PermissionDenied("Seul l'établissement importe la liste de ses élèves.")
    try:
        with upload_on_disk(upload, limit=pupil_import_max_bytes()) as path:
            return roster_import_csv(
                user=user, establishment=establishment, path=path, school_year=school_year
            )
    except UploadTooLarge as error:
        raise RosterImportError([str(error)]) from None


def template_rows() -> list[list[str]]:
    """The template offered for download: the header and two example lines."""
    return [
        TEMPLATE_HEADER,
        ["Martin", "Léa", "3e B", "3e", "", "0", "0", "0"],
        ["Diallo", "Moussa", "3e B", "3e", "", "1", "0", "0"],
    ]


__all__ = [
    "RosterImportError",
    "RosterImportResult",
    "index_pupils",
    "level_of",
    "match_pupil",
    "read_roster",
    "roster_import_csv",
    "roster_import_upload",
    "sniff",
    "template_rows",
]
