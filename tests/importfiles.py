"""Small import files cut from the real open data of ``data/opendata``, and helpers to run the
import commands in tests."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from relais.core.models import ImportRun
from relais.establishments.models import Establishment, EstablishmentEvent
from relais.nomenclatures.models import NafCode, RomeAppellation, RomeCode
from relais.territories.models import AcademicRegion, Academie, Bassin, Commune, Departement

DATA_DIR = Path(settings.DATA_DIR) / "opendata"
ANNUAIRE = "annuaire_education_occitanie_2024-11.csv"
COLLEGES = "colleges_france_geoloc.csv"
LAPOSTE = "laposte_hexasmal_communes.csv"
ACADEMIES = "academies.csv"
ROME_CODES = "rome_v460_code_rome.csv"
ROME_APPELLATIONS = "rome_v460_appellations.csv"
NAF_LABELS = "naf2008_sous_classes.csv"
NAF_LEVELS = "naf2008_5_niveaux.csv"

COUNTED_MODELS = (
    AcademicRegion,
    Academie,
    Departement,
    Commune,
    Bassin,
    Establishment,
    EstablishmentEvent,
    RomeCode,
    RomeAppellation,
    NafCode,
    ImportRun,
)


def real_lines(
    filename: str, *, head: int = 0, where: Callable[[str], bool] | None = None
) -> list[str]:
    """The header of a real file, its ``head`` first data lines, then the later lines that
    satisfy ``where`` (line ends removed, BOM removed)."""
    lines = (DATA_DIR / filename).read_text(encoding="utf-8-sig").splitlines()
    header, body = lines[0], lines[1:]
    selected = body[:head]
    if where is not None:
        selected += [line for line in body[head:] if where(line)]
    return [header, *selected]


def write_csv(
    directory: Path, name: str, lines: Iterable[str], *, encoding: str = "utf-8-sig"
) -> Path:
    path = directory / name
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def field_index(lines: list[str], column: str, delimiter: str = ";") -> int:
    return lines[0].split(delimiter).index(column)


def replace_field(line: str, index: int, value: str, delimiter: str = ";") -> str:
    """The line with its ``index``-th field replaced (files without quoted separators)."""
    fields = line.split(delimiter)
    fields[index] = value
    return delimiter.join(fields)


def run_import(command: str, *args: object, **options) -> str:
    """Run an import command without progress bar; return what it printed."""
    out = io.StringIO()
    call_command(
        command,
        *[str(arg) for arg in args],
        no_progress=True,
        stdout=out,
        stderr=io.StringIO(),
        **options,
    )
    return out.getvalue()


def table_counts() -> dict[str, int]:
    """Row counts of every table the imports write, history events and journal included."""
    return {model.__name__: model.objects.count() for model in COUNTED_MODELS}
