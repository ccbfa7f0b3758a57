"""The internship year of the pôles de stages: « 2025-2026 » runs from 1 August 2025 to
31 July 2026.

It is the roster year of ``relais.pupils.years`` (one definition, there): the schools and the
pôles prepare a year's internships in August, before the rentrée (periods declared, pupils
registered for the coming year's stages), and a pupil's data is kept until 31 August after
their year. It is **not** the school year of ``relais.core.school_years`` (1 September to
31 August, the year of clubs' mandates, governance rules and volunteers' lists), on purpose:
under the September rule, a pupil registered in late August would belong to the year that
ends a few days later, and be anonymised within the week. The label is written as the school
year's (``core.school_years.school_year_label``).
"""

from __future__ import annotations

import datetime

from relais.core.school_years import school_year_label
from relais.pupils.years import FIRST_MONTH, retention_until, roster_year_of

__all__ = [
    "FIRST_MONTH",
    "internship_year_bounds",
    "internship_year_first",
    "internship_year_label",
    "internship_year_of",
    "retention_date",
]


def internship_year_of(day: datetime.date) -> int:
    """The internship year (its first calendar year) of ``day``: the pupils' roster year,
    which 1 August opens (``relais.pupils.years.roster_year_of``)."""
    return roster_year_of(day)


def internship_year_label(day: datetime.date) -> str:
    """« 2025-2026 » for any day from 1 August 2025 to 31 July 2026."""
    return school_year_label(internship_year_of(day))


def internship_year_first(label: str) -> int:
    """2025 for « 2025-2026 » (the labels are checked where they are typed)."""
    return int(label[:4])


def internship_year_bounds(label: str) -> tuple[datetime.datetime, datetime.datetime]:
    """The instants the internship year ``label`` covers: from 1 August (included) to the
    next 1 August (excluded), UTC."""
    first = internship_year_first(label)
    return (
        datetime.datetime(first, FIRST_MONTH, 1, tzinfo=datetime.UTC),
        datetime.datetime(first + 1, FIRST_MONTH, 1, tzinfo=datetime.UTC),
    )


def retention_date(day: datetime.date) -> datetime.date:
    """A pupil registered on ``day`` is kept until 31 August after their year ends
    (``relais.pupils.years.retention_until``; then anonymised by
    ``services.pupils_purge_expired``)."""
    return retention_until(internship_year_of(day))
