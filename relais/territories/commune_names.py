"""Proper names of communes.

La Poste's base officielle des codes postaux writes names in upper case without accents,
apostrophes or hyphens (« ST GENIEZ D OLT ET D AUBRAC »). The ministry's files (annuaire,
géolocalisation des établissements) spell them properly but only cover the communes that have
a school. Rule: for each INSEE code, take the proper spelling found in those files, preferring
one that matches La Poste's name once accents and punctuation are ignored (the annuaire
sometimes gives the name of a neighbouring place); otherwise rebuild a French title case.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from pathlib import Path

from relais.core.importing import CsvFormat, ImportFileError, read_csv
from relais.core.text import search_key

# Files that spell commune names properly: (format, INSEE code column, name column).
NAME_SOURCES = {
    "annuaire_education_occitanie_2024-11.csv": ("Code_commune", "Nom_commune"),
    "colleges_france_geoloc.csv": ("code_commune", "libelle_commune"),
}
_NAME_COLUMNS = [columns for columns in NAME_SOURCES.values()]

_LOWER_WORDS = {
    "A",
    "AU",
    "AUX",
    "DE",
    "DES",
    "DU",
    "EN",
    "ET",
    "LA",
    "LE",
    "LES",
    "LEZ",
    "SOUS",
    "SUR",
}
_LEADING_ARTICLES = {"LE", "LA", "LES"}
_ABBREVIATIONS = {"ST": "SAINT", "STE": "SAINTE", "STS": "SAINTS", "STES": "SAINTES"}
_SPACES = re.compile(r"\s+")
_LEADING_ZEROS = re.compile(r"\b0+(\d)")


def french_title(upper_name: str) -> str:
    """« LA HAYE DU PUITS » → « La Haye-du-Puits »; « ST JEAN D ANGELY » → « Saint-Jean-d'Angely ».

    The rules of French place names: a leading article stays separate, the other words are
    joined by hyphens, articles and prepositions inside the name are lower case, an elided
    « L » or « D » takes an apostrophe, an arrondissement number stays separate. Accents
    cannot be restored.
    """
    words = [_ABBREVIATIONS.get(word, word) for word in upper_name.upper().split()]
    tokens: list[str] = []
    pending_elision = ""
    for index, word in enumerate(words):
        if word in ("L", "D") and index + 1 < len(words):
            pending_elision = (word if index == 0 else word.lower()) + "'"
            continue
        if pending_elision:
            tokens.append(pending_elision + word.capitalize())
            pending_elision = ""
        elif index > 0 and word in _LOWER_WORDS:
            tokens.append(word.lower())
        else:
            tokens.append(word.capitalize())
    return _join_name(tokens, words)


def _join_name(tokens: list[str], words: list[str]) -> str:
    if not tokens:
        return ""
    head, rest = [], tokens
    if words[0] in _LEADING_ARTICLES and len(tokens) > 1:
        head, rest = [tokens[0]], tokens[1:]
    number = [rest.pop()] if len(rest) > 1 and rest[-1].isdigit() else []
    return " ".join([*head, "-".join(rest), *number])


def collect_proper_names(paths: list[Path]) -> dict[str, Counter]:
    """INSEE code → Counter of the proper names found in ``paths`` (ministry CSV files)."""
    names: dict[str, Counter] = defaultdict(Counter)
    for path in paths:
        code_column, name_column = _columns_of(path)
        fmt = CsvFormat(columns=(code_column, name_column), name=f"« {path.name} »")
        for row in read_csv(path, fmt):
            code, name = row[code_column], _SPACES.sub(" ", row[name_column])
            if code and name:
                names[code][name] += 1
    return names


def _columns_of(path: Path) -> tuple[str, str]:
    if path.name in NAME_SOURCES:
        return NAME_SOURCES[path.name]
    with open(path, encoding="utf-8-sig", errors="replace") as handle:
        header = next(csv.reader(handle, delimiter=";"), [])
    for code_column, name_column in _NAME_COLUMNS:
        if code_column in header and name_column in header:
            return code_column, name_column
    expected = " ou ".join(f"« {code} » et « {name} »" for code, name in _NAME_COLUMNS)
    raise ImportFileError(
        f"le fichier de noms « {path.name} » n'a pas les colonnes {expected}", line=1
    )


def best_name(upper_name: str, candidates: Counter | None) -> str:
    """The proper name of a commune (see the module docstring for the rule).

    A candidate matches when its search key equals La Poste's, or extends it (the commune
    was renamed after La Poste's 2020 snapshot: « CADILLAC » → « Cadillac-sur-Garonne »;
    « PARIS 01 » → « Paris 1er Arrondissement »). Among matches the most frequent wins;
    without a match, the name is rebuilt from La Poste's.
    """
    fallback = french_title(upper_name)
    if not candidates:
        return fallback
    wanted = _name_key(fallback)

    def score(name: str) -> int:
        key = _name_key(name)
        return 2 if key == wanted else int(f" {wanted}" in f" {key}")

    name, _count = max(candidates.items(), key=lambda item: (score(item[0]), item[1], item[0]))
    return name if score(name) else fallback


def _name_key(name: str) -> str:
    return _LEADING_ZEROS.sub(r"\1", search_key(name))
