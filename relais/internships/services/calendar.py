"""The calendar of a bassin for one school year (Mesure 2): pupils away per ISO week, from the
schools' internship periods, against the places the pôle's offers give that week; weeks of
concentration; other weeks suggested to some schools to lower the peak, outside the school
holidays of the académie's zone (``vacances-scolaires-france``)."""

from __future__ import annotations

import datetime
from collections.abc import Hashable
from dataclasses import dataclass, field

from django.db.models import Count

from relais.territories.models import Bassin

from ..enums import OPEN_OFFER_STATES
from ..models import InternshipPeriod, OfferSlot
from ..spreading import Block, Spreading, suggest_spreading

# A week holding this share of the year's pupils (or more than its places) is flagged.
CONCENTRATION_SHARE = 0.25
ZONES = ("A", "B", "C")


def school_year_weeks(school_year: str) -> list[datetime.date]:
    """Mondays from the first week of September to the last full week of June."""
    first = int(school_year[:4])
    start = datetime.date(first, 9, 1)
    monday = start + datetime.timedelta(days=(7 - start.weekday()) % 7)
    end = datetime.date(first + 1, 6, 30)
    weeks = []
    while monday + datetime.timedelta(days=4) <= end:
        weeks.append(monday)
        monday += datetime.timedelta(weeks=1)
    return weeks


def holiday_weeks(zone: str, weeks: list[datetime.date]) -> set[datetime.date]:
    """Weeks with a school day (Monday to Friday) in the holidays of ``zone``."""
    if zone not in ZONES:
        return set()
    from vacances_scolaires_france import SchoolHolidayDates

    dates = SchoolHolidayDates()
    found = set()
    for monday in weeks:
        for offset in range(5):
            day = monday + datetime.timedelta(days=offset)
            if dates.min_year <= day.year <= dates.max_year and dates.is_holiday_for_zone(
                day, zone
            ):
                found.add(monday)
                break
    return found


@dataclass
class Week:
    monday: datetime.date
    pupils: int
    places: int
    holiday: bool
    pupils_after: int = 0
    concentrated: bool = False

    @property
    def label(self) -> str:
        year, week, _ = self.monday.isocalendar()
        return f"{year}-S{week:02d}"

    @property
    def shortfall(self) -> int:
        return max(0, self.pupils - self.places)


@dataclass
class Suggestion:
    period: InternshipPeriod
    pupils: int
    start: datetime.date
    to: datetime.date


@dataclass
class Calendar:
    bassin: object
    school_year: str
    zone: str
    weeks: list[Week] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    spreading: Spreading | None = None

    @property
    def total_pupils(self) -> int:
        return sum(w.pupils for w in self.weeks)

    @property
    def peak(self) -> int:
        return max((w.pupils for w in self.weeks), default=0)


def _places(bassin: Bassin, weeks: list[datetime.date]) -> list[int]:
    index = {monday: i for i, monday in enumerate(weeks)}
    places = [0] * len(weeks)
    slots = OfferSlot.objects.filter(
        offer__bassin=bassin, offer__state__in=OPEN_OFFER_STATES, week__in=weeks
    ).values_list("week", "capacity", "offer__duration_weeks")
    for week, capacity, duration in slots:
        for k in range(duration):
            i = index[week] + k
            if i < len(places):
                places[i] += capacity
    return places


def bassin_calendar(*, bassin: Bassin, school_year: str, max_moves: int = 5) -> Calendar:
    """Pupils and places per week of ``bassin`` over ``school_year``, and the suggestions."""
    weeks = school_year_weeks(school_year)
    zone = bassin.academie.holiday_zone
    holidays = holiday_weeks(zone, weeks)
    index = {monday: i for i, monday in enumerate(weeks)}
    periods = list(
        InternshipPeriod.objects.filter(establishment__bassin=bassin, school_year=school_year)
        .select_related("establishment")
        .annotate(registered=Count("cases__pupil", distinct=True))
        .order_by("pk")
    )
    blocks: list[Block] = []
    by_key: dict[Hashable, InternshipPeriod] = {}
    for period in periods:
        covered = [w for w in period.covered_weeks() if w in index]
        if not covered:
            continue
        pupils = period.pupil_count if period.pupil_count is not None else period.registered
        blocks.append(Block(period.pk, pupils, index[covered[0]], len(covered)))
        by_key[period.pk] = period
    places = _places(bassin, weeks)
    allowed = [monday not in holidays for monday in weeks]
    spreading = suggest_spreading(blocks, places, allowed, max_moves=max_moves)
    calendar = Calendar(bassin=bassin, school_year=school_year, zone=zone, spreading=spreading)
    total = sum(spreading.demand_before)
    for i, monday in enumerate(weeks):
        week = Week(
            monday=monday,
            pupils=spreading.demand_before[i],
            places=places[i],
            holiday=monday in holidays,
            pupils_after=spreading.demand_after[i],
        )
        week.concentrated = week.pupils > 0 and (
            week.shortfall > 0 or week.pupils >= CONCENTRATION_SHARE * total
        )
        calendar.weeks.append(week)
    calendar.suggestions = [
        Suggestion(by_key[m.key], m.pupils, weeks[m.start], weeks[m.to]) for m in spreading.moves
    ]
    return calendar
