"""The range of plausible dates, in pure Python (the deadline engine, which imports no
Django, uses it too; ``relais.core.validation`` turns it into a French field error).

Every date a person gives Relais (signature, effect, meeting, intervention, period…) lies
between 1 January 1990 and 31 December 2100: outside, it is a typo (« 0218 » for « 2018 »,
« 9999 »), never a real date of the relation école-entreprise.
"""

from datetime import date

DATE_MIN = date(1990, 1, 1)
DATE_MAX = date(2100, 12, 31)
# School years named by the year they start (2025 for 2025-2026), within the same range.
SCHOOL_YEAR_MIN = DATE_MIN.year
SCHOOL_YEAR_MAX = DATE_MAX.year - 1


def format_date(day: date) -> str:
    """« 22/01/0218 »: ``strftime`` would print « 22/01/218 » for a year before 1000."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


DATE_RANGE_MESSAGE = (
    f"La date doit être comprise entre le {format_date(DATE_MIN)} et le {format_date(DATE_MAX)}."
)


def date_in_range(value: date | None) -> bool:
    """True for ``None`` (no date) and for a date from DATE_MIN to DATE_MAX, both included."""
    return value is None or DATE_MIN <= value <= DATE_MAX
