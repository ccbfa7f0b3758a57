"""School years, named by their first calendar year: 2025 is 1 September 2025 to
31 August 2026 (the year of clubs' mandates, governance rules and volunteers' lists)."""

from datetime import date


def school_year_of(day: date) -> int:
    """The school year (its starting year) that ``day`` belongs to: 1 September opens a year."""
    return day.year if day.month >= 9 else day.year - 1


def school_year_bounds(year: int) -> tuple[date, date]:
    """First and last day of the school year ``year``: 1 September Y to 31 August Y+1."""
    return date(year, 9, 1), date(year + 1, 8, 31)


def school_year_label(year: int) -> str:
    """« 2025-2026 »."""
    return f"{year}-{year + 1}"


def school_year_from(text: str) -> int | None:
    """« 2025 » → 2025 when it names a plausible school year (1990 to 2099,
    ``relais.core.dates``); None for anything else (« abc », « -1 », « 99999999 »)."""
    from .dates import SCHOOL_YEAR_MAX, SCHOOL_YEAR_MIN

    text = str(text).strip()
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        return None
    year = int(text)
    return year if SCHOOL_YEAR_MIN <= year <= SCHOOL_YEAR_MAX else None
