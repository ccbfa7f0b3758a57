"""The year of a school's roster: « 2026-2027 » is prepared from 1 August 2026 (classes
formed, rosters exported by the school's information system, internships planned) and runs
to 31 July 2027.

It is the year of the pôles de stages too (``relais.internships.years`` names it the
internship year). It differs on purpose from ``relais.core.school_years`` (1 September, the
year of mandates and governance): a roster imported in late August belongs to the coming
year, not to the one that ends a few days later.
"""

from __future__ import annotations

import datetime

from relais.core.school_years import school_year_label

# The month that opens a roster year.
FIRST_MONTH = 8


def roster_year_of(day: datetime.date) -> int:
    """The roster year (its first calendar year) of ``day``: 1 August opens a year."""
    return day.year if day.month >= FIRST_MONTH else day.year - 1


def roster_year_label(year: int) -> str:
    """« 2026-2027 » for 2026."""
    return school_year_label(year)


def retention_until(year: int) -> datetime.date:
    """A pupil last on the roster of ``year`` is kept until 31 August after that year ends
    (then anonymised by ``services.pupils_purge_expired``)."""
    return datetime.date(year + 1, 8, 31)
