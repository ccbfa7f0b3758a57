"""Imports of the national nomenclatures: ROME 4.0 (France Travail) and NAF rév. 2 (INSEE)."""

from __future__ import annotations

import re
from pathlib import Path

from tqdm import tqdm

from relais.core.importing import CsvFormat, CsvRow, ImportResult, read_csv, upsert

from .models import NafCode, RomeAppellation, RomeCode

ROME_CODES_FORMAT = CsvFormat(
    columns=("code_rome", "libelle_rome", "code_rome_parent"),
    delimiter=",",
    name="la liste des fiches ROME",
)
ROME_APPELLATIONS_FORMAT = CsvFormat(
    columns=("code_ogr", "libelle_appellation_long", "libelle_appellation_court", "code_rome"),
    delimiter=",",
    name="la liste des appellations ROME",
)
NAF_LABELS_FORMAT = CsvFormat(
    columns=("code", "libelle"), delimiter=",", name="la liste des sous-classes NAF"
)
NAF_LEVELS_FORMAT = CsvFormat(
    columns=("NIV5", "NIV4", "NIV3", "NIV2", "NIV1"),
    delimiter=",",
    name="la hiérarchie de la NAF",
)

_ROME_CODE = re.compile(r"^[A-N]\d{4}$")
_OGR_CODE = re.compile(r"^\d{1,10}$")
_NAF_CODE = re.compile(r"^\d{2}\.\d{2}[A-Z]$")


# ---------------------------------------------------------------------------------------------
# ROME
# ---------------------------------------------------------------------------------------------


def rome_import(
    *, codes_path: Path, appellations_path: Path, progress: tqdm | None = None
) -> ImportResult:
    """Upsert the ROME fiches (by code) and their appellations (by OGR code).

    Every appellation must point to a fiche of the codes file; the parent code links a
    ROME 4.0 fiche to the historical fiche it comes from.
    """
    fiches: dict[str, dict] = {}
    for row in read_csv(codes_path, ROME_CODES_FORMAT, progress):
        code = _rome_code(row, "code_rome")
        parent = row["code_rome_parent"]
        if parent:
            parent = _rome_code(row, "code_rome_parent")
        fiches[code] = {"label": row.required("libelle_rome"), "parent_code": parent}
    result = ImportResult()
    fiche_ids = upsert(RomeCode, fiches, key="code")
    result.add("fiches ROME", fiche_ids.counts)
    appellations = _read_appellations(appellations_path, fiche_ids.ids)
    result.add("appellations ROME", upsert(RomeAppellation, appellations, key="ogr_code").counts)
    return result


def _read_appellations(path: Path, fiche_ids: dict[str, int]) -> dict[str, dict]:
    appellations: dict[str, dict] = {}
    for row in read_csv(path, ROME_APPELLATIONS_FORMAT):
        ogr = row.required("code_ogr")
        if not _OGR_CODE.match(ogr):
            raise row.error("code_ogr", f"« {ogr} » n'est pas un code OGR (chiffres)")
        code = _rome_code(row, "code_rome")
        if code not in fiche_ids:
            raise row.error("code_rome", f"la fiche ROME « {code} » n'est pas dans la liste")
        appellations[ogr] = {
            "label": row.required("libelle_appellation_long"),
            "short_label": row["libelle_appellation_court"],
            "rome_id": fiche_ids[code],
        }
    return appellations


def _rome_code(row: CsvRow, column: str) -> str:
    code = row.required(column).upper()
    if not _ROME_CODE.match(code):
        raise row.error(column, f"« {code} » n'est pas un code ROME (lettre et 4 chiffres)")
    return code


# ---------------------------------------------------------------------------------------------
# NAF
# ---------------------------------------------------------------------------------------------


def naf_import(
    *, labels_path: Path, levels_path: Path, progress: tqdm | None = None
) -> ImportResult:
    """Upsert the NAF rév. 2 sous-classes (level 5) with their section, division, group and
    class taken from the 5-level hierarchy; a sous-classe missing from it is an error."""
    levels = _read_naf_levels(levels_path)
    codes: dict[str, dict] = {}
    for row in read_csv(labels_path, NAF_LABELS_FORMAT, progress):
        code = _naf_code(row, "code")
        if code not in levels:
            raise row.error(
                "code", f"la sous-classe « {code} » est absente du fichier {levels_path.name}"
            )
        codes[code] = {"label": row.required("libelle"), **levels[code]}
    result = ImportResult()
    result.add("codes NAF", upsert(NafCode, codes, key="code").counts)
    return result


def _read_naf_levels(path: Path) -> dict[str, dict]:
    levels: dict[str, dict] = {}
    for row in read_csv(path, NAF_LEVELS_FORMAT):
        code = _naf_code(row, "NIV5")
        values = {
            "section": row.required("NIV1"),
            "division": row.required("NIV2"),
            "group": row.required("NIV3"),
            "naf_class": row.required("NIV4"),
        }
        _check_naf_chain(row, code, values)
        levels[code] = values
    return levels


def _check_naf_chain(row: CsvRow, code: str, values: dict) -> None:
    """Each level is a prefix of the next one: 01 ⊂ 01.1 ⊂ 01.11 ⊂ 01.11Z; the section is
    a letter."""
    chain = [("NIV4", values["naf_class"], code), ("NIV3", values["group"], values["naf_class"])]
    chain.append(("NIV2", values["division"], values["group"]))
    for column, level, longer in chain:
        if not longer.startswith(level):
            raise row.error(column, f"« {level} » n'est pas un niveau supérieur de « {longer} »")
    if not re.fullmatch(r"[A-U]", values["section"]):
        raise row.error("NIV1", f"« {values['section']} » n'est pas une section NAF (A à U)")


def _naf_code(row: CsvRow, column: str) -> str:
    code = row.required(column).upper()
    if not _NAF_CODE.match(code):
        raise row.error(column, f"« {code} » n'est pas un code NAF de sous-classe (ex. : 01.11Z)")
    return code
