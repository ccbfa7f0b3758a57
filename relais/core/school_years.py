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
