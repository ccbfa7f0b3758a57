"""Durations and delays written as the texts write them: « trois ans », « dix-huit mois »,
« six mois » (``Agreement.duration_unit`` says whether the text counts in years or months).
An empty or zero clause has no wording (never « 0 mois »)."""

from __future__ import annotations

from .enums import DurationUnit

_UNITS = [
    "zéro",
    "un",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "onze",
    "douze",
    "treize",
    "quatorze",
    "quinze",
    "seize",
    "dix-sept",
    "dix-huit",
    "dix-neuf",
]
_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


def number_words(n: int) -> str:
    """1 → « un », 21 → « vingt et un », 80 → « quatre-vingts »; digits from 100 on."""
    if n < 0 or n >= 100:
        return str(n)
    if n < 20:
        return _UNITS[n]
    tens, unit = divmod(n, 10)
    if tens in (7, 9):  # soixante-dix…, quatre-vingt-dix…
        base = "soixante" if tens == 7 else "quatre-vingt"
        rest = _UNITS[10 + unit]
        return f"{base}{' et ' if tens == 7 and unit == 1 else '-'}{rest}"
    if tens == 8:
        return "quatre-vingts" if unit == 0 else f"quatre-vingt-{_UNITS[unit]}"
    if unit == 0:
        return _TENS[tens]
    return f"{_TENS[tens]}{' et ' if unit == 1 else '-'}{_UNITS[unit]}"


def months_words(months: int | None) -> str:
    """« six mois », « un mois »; « » for no delay."""
    if not months:
        return ""
    return f"{number_words(months)} mois"


def duration_words(months: int | None, unit: str = DurationUnit.AUTO) -> str:
    """The duration as the text says it: in years when it counts in years (« trois ans »,
    « un an »; automatically for whole years), in months otherwise (« dix-huit mois »);
    « » for an open-ended convention."""
    if not months:
        return ""
    if unit != DurationUnit.MONTHS and months % 12 == 0:
        years = months // 12
        return f"{number_words(years)} an{'s' if years > 1 else ''}"
    return months_words(months)
