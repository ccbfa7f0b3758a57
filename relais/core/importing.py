"""The reference-data import framework: CSV reading with French errors, idempotent upsert,
and the base management command.

Rules shared by every import (see DESIGN.md, « Bad input gets a clear error and loses nothing »):

- a file is read as text in its declared encoding; any error names the line of the file (the
  header is line 1) and, when it is about one value, the column;
- the whole import runs in ONE transaction: a malformed file writes nothing;
- rows are upserted by their natural key (UAI, INSEE code, ROME code…): a second run of the
  same file creates and updates nothing, and only rows whose values really changed count as
  updated;
- ``--dry-run`` does everything inside the transaction, then rolls it back;
- a successful real run is recorded in ``ImportRun`` (file name, SHA-256 of the file and of
  the secondary files it reads, counts, warnings), which lets ``already_imported`` skip an
  unchanged file.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from tqdm import tqdm

from relais.core.db import ANALYZE_FROM, analyze
from relais.core.identifiers import UAI_RE, uai_check_letter
from relais.core.models import ImportRun
from relais.core.uploads import too_large_message

# ---------------------------------------------------------------------------------------------
# Errors and results
# ---------------------------------------------------------------------------------------------


class ImportFileError(Exception):
    """A file that cannot be imported; ``str()`` is a French sentence naming line and column."""

    def __init__(
        self,
        message: str,
        line: int | None = None,
        column: str | None = None,
        source: str | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.source = source  # the file name, when an import reads several files

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"Ligne {self.line}")
        if self.column is not None:
            where.append(f"colonne « {self.column} »")
        if not where:
            return _sentence(self.message[:1].upper() + self.message[1:])
        return _sentence(f"{', '.join(where)} : {self.message}")


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else f"{text}."


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class ImportWarning:
    """A French sentence about rows that were kept but deserve a look, with their identifiers."""

    message: str
    items: list[str] = field(default_factory=list)

    def text(self, limit: int | None = None) -> str:
        if not self.items:
            return _sentence(self.message)
        shown = self.items if limit is None else self.items[:limit]
        listed = ", ".join(shown)
        if len(shown) < len(self.items):
            listed += f"… (et {fr_int(len(self.items) - len(shown))} autres)"
        return f"{self.message} : {listed}."


@dataclass
class ImportResult:
    """Counts per kind of row (French plural label → Counts) and the warnings of one import."""

    parts: dict[str, Counts] = field(default_factory=dict)
    warnings: list[ImportWarning] = field(default_factory=list)

    def add(self, label: str, counts: Counts) -> None:
        current = self.parts.setdefault(label, Counts())
        current.created += counts.created
        current.updated += counts.updated
        current.unchanged += counts.unchanged

    def warn(self, message: str, items: Iterable[str] = ()) -> None:
        self.warnings.append(ImportWarning(message, list(items)))

    @property
    def created(self) -> int:
        return sum(c.created for c in self.parts.values())

    @property
    def updated(self) -> int:
        return sum(c.updated for c in self.parts.values())

    @property
    def unchanged(self) -> int:
        return sum(c.unchanged for c in self.parts.values())


def fr_int(number: int) -> str:
    """6240 → « 6 240 » (French thousands separator, a narrow no-break space)."""
    return f"{number:,}".replace(",", "\u202f")


# ---------------------------------------------------------------------------------------------
# Reading CSV files
# ---------------------------------------------------------------------------------------------


class CsvRow:
    """One record of a CSV file: its first line number and its values by column name.

    The typed accessors raise an ``ImportFileError`` naming this line and the column.
    """

    __slots__ = ("line", "values", "source")

    def __init__(self, line: int, values: dict[str, str], source: str | None = None):
        self.line = line
        self.values = values
        self.source = source

    def __getitem__(self, column: str) -> str:
        return self.values[column].strip()

    def error(self, column: str | None, message: str) -> ImportFileError:
        return ImportFileError(message, line=self.line, column=column, source=self.source)

    def required(self, column: str) -> str:
        value = self[column]
        if not value:
            raise self.error(column, "la valeur est obligatoire et la cellule est vide")
        return value

    def float_or_none(self, column: str, *, low: float, high: float) -> float | None:
        value = self[column].replace(",", ".")
        if not value:
            return None
        try:
            number = float(value)
        except ValueError:
            raise self.error(column, f"« {self[column]} » n'est pas un nombre") from None
        if not low <= number <= high:
            raise self.error(column, f"{value} n'est pas compris entre {low:g} et {high:g}")
        return number

    def int_or_none(self, column: str) -> int | None:
        value = self[column]
        if not value:
            return None
        if not value.isdigit():
            raise self.error(column, f"« {value} » n'est pas un nombre entier positif")
        return int(value)

    def date_or_none(self, column: str) -> date | None:
        value = self[column]
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self.error(column, f"« {value} » n'est pas une date AAAA-MM-JJ") from None

    def flag(self, column: str) -> bool:
        """« 1 » is true; « 0 » or an empty cell is false."""
        value = self[column]
        if value not in ("", "0", "1"):
            raise self.error(column, f"« {value} » n'est pas une valeur 0 ou 1")
        return value == "1"

    def choice(self, column: str, choices: dict[str, Any]) -> Any:
        value = self[column]
        if value not in choices:
            allowed = ", ".join(f"« {key} »" for key in choices if key)
            raise self.error(column, f"valeur « {value} » inconnue (valeurs admises : {allowed})")
        return choices[value]

    def uai(self, column: str) -> str:
        """A UAI with a valid check letter (7 digits and a letter, modulo 23)."""
        value = self[column].upper()
        if not UAI_RE.match(value):
            raise self.error(
                column, f"l'UAI « {value} » doit compter 7 chiffres suivis d'une lettre"
            )
        expected = uai_check_letter(value[:7])
        if value[7] != expected:
            raise self.error(
                column, f"l'UAI « {value} » a une lettre de contrôle fausse : {expected} attendue"
            )
        return value


@dataclass(frozen=True)
class CsvFormat:
    """What a file must look like: separator, encoding, required header columns.

    ``column_count`` pins an official format (the Annuaire de l'éducation has 72 columns).
    ``max_bytes`` and ``max_rows`` bound what a user may send (the reference files of the
    commands have none): a larger file is refused before it is opened, and reading stops
    at the first row past the limit. ``row_label`` names the rows in that error.
    """

    columns: tuple[str, ...]
    delimiter: str = ";"
    encoding: str = "utf-8-sig"
    column_count: int | None = None
    name: str = "fichier CSV"
    max_bytes: int | None = None
    max_rows: int | None = None
    row_label: str = "lignes"


def read_csv(path: Path, fmt: CsvFormat, progress: tqdm | None = None) -> Iterator[CsvRow]:
    """Yield the records of ``path`` after checking its header; blank lines are skipped."""
    try:
        yield from _read_records(path, fmt, progress)
    except ImportFileError as exc:
        exc.source = exc.source or path.name
        raise


def _read_records(path: Path, fmt: CsvFormat, progress: tqdm | None) -> Iterator[CsvRow]:
    if fmt.max_bytes is not None and path.stat().st_size > fmt.max_bytes:
        raise ImportFileError(too_large_message(fmt.max_bytes))
    with open(path, "rb") as handle:
        reader = csv.reader(
            _decoded_lines(handle, fmt.encoding, progress), delimiter=fmt.delimiter, strict=True
        )
        header = _read_header(reader, fmt)
        width = len(header)
        rows = 0
        while True:
            line = reader.line_num + 1
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise ImportFileError(f"ligne CSV illisible ({exc})", line=line) from None
            if not fields or fields == [""]:
                continue
            rows += 1
            if fmt.max_rows is not None and rows > fmt.max_rows:
                raise ImportFileError(
                    f"le fichier dépasse la limite de {fr_int(fmt.max_rows)} {fmt.row_label} "
                    f"({fmt.name}) : découpez-le en plusieurs fichiers",
                    line=line,
                )
            if len(fields) != width:
                _raise_width_error(line, fields, header, fmt)
            yield CsvRow(line, dict(zip(header, fields, strict=True)), path.name)


def _decoded_lines(
    handle: Iterable[bytes], encoding: str, progress: tqdm[Any] | None
) -> Iterator[str]:
    """Decode the file line by line, so that a bad byte is reported with its line number.

    A UTF-8 byte order mark is dropped even when the format does not announce one (a file
    saved again by a spreadsheet often gains one)."""
    for number, raw in enumerate(handle, start=1):
        if progress is not None:
            progress.update(len(raw))
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            byte = raw[exc.start : exc.start + 1].hex().upper()
            name = "UTF-8" if encoding.lower().startswith("utf") else encoding
            raise ImportFileError(
                f"le fichier n'est pas encodé en {name} (octet 0x{byte} illisible à la position "
                f"{exc.start + 1}) : enregistrez-le en {name}",
                line=number,
            ) from None
        control = CONTROL_CHARACTER.search(text)
        if control is not None:
            raise ImportFileError(
                _control_message(control.group(), control.start() + 1), line=number
            )
        yield text.removeprefix("\ufeff") if number == 1 else text


# C0 control characters but tab, line feed and carriage return, and DEL: never in a text file
# (a NUL reaching PostgreSQL is an error). Reported with their line, like a bad byte.
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _control_message(character: str, position: int) -> str:
    code = f"U+{ord(character):04X}"
    what = f"{code}, caractère nul" if character == "\x00" else code
    return (
        f"caractère de contrôle interdit ({what}) à la position {position} : le fichier "
        "n'est pas un texte CSV (enregistrez-le en « CSV UTF-8 »)"
    )


def _read_header(reader: Iterator[list[str]], fmt: CsvFormat) -> list[str]:
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise ImportFileError("le fichier est vide", line=1) from None
    except csv.Error as exc:
        raise ImportFileError(f"en-tête illisible ({exc})", line=1) from None
    missing = [column for column in fmt.columns if column not in header]
    if missing:
        listed = ", ".join(f"« {column} »" for column in missing)
        hint = ""
        if len(header) == 1:
            hint = f" ; le séparateur attendu est « {fmt.delimiter} »"
        raise ImportFileError(
            f"l'en-tête ne correspond pas au format attendu ({fmt.name}) : colonne(s) "
            f"manquante(s) {listed}{hint}",
            line=1,
        )
    if fmt.column_count is not None and len(header) != fmt.column_count:
        raise ImportFileError(
            f"l'en-tête compte {len(header)} colonnes ; le format officiel de {fmt.name} "
            f"en compte {fmt.column_count}",
            line=1,
        )
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        raise ImportFileError(f"colonne(s) en double : {', '.join(duplicates)}", line=1)
    return header


def _raise_width_error(line: int, fields: list[str], header: list[str], fmt: CsvFormat) -> None:
    if len(fields) < len(header):
        raise ImportFileError(
            f"ligne incomplète : {len(fields)} valeurs au lieu de {len(header)}, "
            "la valeur de cette colonne et des suivantes manque (fichier tronqué ?)",
            line=line,
            column=header[len(fields)],
        )
    raise ImportFileError(
        f"la ligne compte {len(fields)} valeurs au lieu de {len(header)} (un « {fmt.delimiter} » "
        "dans une valeur qui n'est pas entre guillemets ?)",
        line=line,
    )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def default_data_path(filename: str) -> Path:
    """A file of the open-data folder (``settings.DATA_DIR / "opendata"``)."""
    return Path(settings.DATA_DIR) / "opendata" / filename


def sources_sha256(paths: list[Path]) -> str:
    """The SHA-256 of one file; for an import reading several files, the SHA-256 of their
    SHA-256 in order, so that a change in any of them makes a different fingerprint."""
    if len(paths) == 1:
        return file_sha256(paths[0])
    return hashlib.sha256("\n".join(file_sha256(path) for path in paths).encode()).hexdigest()


def already_imported(kind: str, path: Path, *other_paths: Path) -> bool:
    """True when these very files (same SHA-256) were already imported successfully as
    ``kind``. ``other_paths`` are the secondary files of an import (ROME appellations…)."""
    sha256 = sources_sha256([Path(path), *map(Path, other_paths)])
    return ImportRun.objects.filter(kind=kind, sha256=sha256).exists()


# ---------------------------------------------------------------------------------------------
# Upsert by natural key
# ---------------------------------------------------------------------------------------------


@dataclass
class UpsertResult:
    counts: Counts
    ids: dict[Any, int]  # natural key → primary key, for every row of the input


def upsert(
    model: type[models.Model],
    records: dict[Any, dict[str, Any]],
    *,
    key: str,
    batch_size: int = 1000,
) -> UpsertResult:
    """Create or update ``model`` rows from ``records`` (natural key → field values).

    Existing rows are read in one query (the whole table: reference tables are small, and an
    ``IN`` list of 40,000 keys would hit PostgreSQL's parameter limit); a row counts as
    updated only when one of the given fields differs. New rows are bulk-created, changed
    rows bulk-updated (only the fields that changed, plus ``auto_now`` fields). Rows absent
    from ``records`` are left alone.
    Field names are attribute names (``academie_id`` for a foreign key).
    """
    fields = sorted({name for values in records.values() for name in values})
    existing = {row[key]: row for row in model._default_manager.values("pk", key, *fields)}
    counts = Counts()
    to_create, to_update, changed_fields = [], [], set()
    for natural_key, values in records.items():
        current = existing.get(natural_key)
        if current is None:
            to_create.append(model(**{key: natural_key, **values}))
            continue
        changed = [name for name, value in values.items() if current[name] != value]
        if not changed:
            counts.unchanged += 1
            continue
        changed_fields.update(changed)
        to_update.append(model(pk=current["pk"], **{key: natural_key, **values}))
    model._default_manager.bulk_create(to_create, batch_size=batch_size)
    _bulk_update(model, to_update, changed_fields, batch_size)
    counts.created, counts.updated = len(to_create), len(to_update)
    if counts.created + counts.updated >= ANALYZE_FROM:
        analyze(model)
    ids = {natural_key: existing[natural_key]["pk"] for natural_key in records.keys() & existing}
    ids.update({getattr(obj, key): obj.pk for obj in to_create})
    return UpsertResult(counts, ids)


def _bulk_update(
    model: type[models.Model],
    objects: list[models.Model],
    changed_fields: set[str],
    batch_size: int,
) -> None:
    if not objects:
        return
    auto_now = [f.attname for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
    now = timezone.now()
    for obj in objects:
        for name in auto_now:
            setattr(obj, name, now)
    names = sorted(changed_fields | set(auto_now))
    model._default_manager.bulk_update(objects, names, batch_size=max(1, batch_size // 2))
