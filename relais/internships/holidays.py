"""Internship weeks over school holidays or public holidays (issue 12, item 6).

A stage d'observation takes place on school days (Monday to Friday): a period or an offer's
week that falls in the school holidays of the académie's zone (``vacances-scolaires-france``,
the calendar Relais already reads for the spreading of Mesure 2) or on a public holiday
(jours fériés of metropolitan France, code du travail art. L3133-1) is flagged, never
refused: a company may host in the holidays, a school may have chosen it. Pages and the API
show the same French warnings.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from dateutil.easter import easter

ZONES = ("A", "B", "C")


@lru_cache(maxsize=64)
def public_holidays(year: int) -> dict[datetime.date, str]:
    """The eleven jours fériés of metropolitan France (art. L3133-1 of the code du travail)."""
    sunday = easter(year)
    days = {
        datetime.date(year, 1, 1): "jour de l'an",
        sunday + datetime.timedelta(days=1): "lundi de Pâques",
        datetime.date(year, 5, 1): "fête du Travail",
        datetime.date(year, 5, 8): "victoire de 1945",
        sunday + datetime.timedelta(days=39): "Ascension",
        sunday + datetime.timedelta(days=50): "lundi de Pentecôte",
        datetime.date(year, 7, 14): "fête nationale",
        datetime.date(year, 8, 15): "Assomption",
        datetime.date(year, 11, 1): "Toussaint",
        datetime.date(year, 11, 11): "armistice de 1918",
        datetime.date(year, 12, 25): "Noël",
    }
    return dict(sorted(days.items()))


def _school_days(monday: datetime.date) -> list[datetime.date]:
    return [monday + datetime.timedelta(days=offset) for offset in range(5)]


def _school_holiday_name(day: datetime.date, zone: str) -> str | None:
    """The name of the school holidays of ``zone`` on ``day`` (None outside them, or when
    the calendar does not cover the year)."""
    dates = _calendar()
    if zone not in ZONES or not dates.min_year <= day.year <= dates.max_year:
        return None
    entry = dates.holidays_for_year_and_zone(day.year, zone).get(day)
    return None if entry is None else str(entry["nom_vacances"])


@lru_cache(maxsize=1)
def _calendar() -> Any:
    """The zones' school holidays (``vacances-scolaires-france``), read once per process."""
    from vacances_scolaires_france import SchoolHolidayDates

    return SchoolHolidayDates()


def week_warnings(monday: datetime.date, zone: str) -> list[str]:
    """French warnings for the school days of the week starting ``monday``: school holidays
    of ``zone`` (A, B or C; none when unknown) and public holidays."""
    warnings = []
    names: list[str] = []
    for day in _school_days(monday):
        name = _school_holiday_name(day, zone)
        if name and name not in names:
            names.append(name)
    for name in names:
        warnings.append(f"{name[:1].lower()}{name[1:]} (zone {zone})")
    holidays = public_holidays(monday.year) | public_holidays((monday + datetime.timedelta(4)).year)
    for day in _school_days(monday):
        if day in holidays:
            warnings.append(f"jour férié le {day:%d/%m/%Y} ({holidays[day]})")
    return warnings


def weeks_warnings(mondays: Iterable[datetime.date], zone: str) -> list[str]:
    """Warnings of several weeks, each named by its Monday (« semaine du … : … »)."""
    lines = []
    for monday in mondays:
        found = week_warnings(monday, zone)
        if found:
            lines.append(f"semaine du {monday:%d/%m/%Y} : {', '.join(found)}")
    return lines


def period_warnings(period: object, zone: str) -> list[str]:
    """The weeks of an internship period (``InternshipPeriod``) over holidays."""
    return weeks_warnings(period.covered_weeks(), zone)  # type: ignore[attr-defined]


def zone_of(academie: object | None) -> str:
    """The holiday zone of an académie (« » when unknown: no school-holiday warning)."""
    return str(getattr(academie, "holiday_zone", "") or "")
