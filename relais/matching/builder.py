"""Build a ``PlacementProblem`` row by row, with labels instead of indices.

The Django side reads offers, pupils and établissements from the database and adds them here;
the builder turns family codes, level names, ISO weeks and zones into the indices and masks of
the array API. Families, levels and zones are sorted, weeks are put in calendar order.
"""

from __future__ import annotations

import datetime
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from relais.matching.problem import (
    MAX_WISHES,
    Offers,
    PlacementProblem,
    Pupils,
    Schools,
)


def week_code(day: datetime.date) -> int:
    """ISO week code ``yyyyww`` of a date (the Monday of a stage de 3e, for instance)."""
    year, week, _ = day.isocalendar()
    return year * 100 + week


class ProblemBuilder:
    """Collect schools, offers and pupils, then ``build()`` the arrays (validated)."""

    def __init__(self) -> None:
        self._schools: list[tuple[Any, float, float, Hashable | None]] = []
        self._offers: list[dict[str, Any]] = []
        self._pupils: list[dict[str, Any]] = []

    def add_school(self, id: Any, *, lat: float, lon: float, zone: Hashable | None = None) -> None:
        """An établissement; ``zone`` is its pôle's territory (académie or bassin code)."""
        self._schools.append((id, float(lat), float(lon), zone))

    def add_offer(
        self,
        id: Any,
        *,
        lat: float,
        lon: float,
        family: str,
        levels: Iterable[str],
        capacity: Mapping[int, int],
        reserved: int | Mapping[int, int] = 0,
        accessible: bool = True,
        zone: Hashable | None = None,
    ) -> None:
        """An offer: ``capacity`` maps ISO week codes to places; ``reserved`` places per week
        go to priority pupils only (the same every week, or per ISO week code)."""
        self._offers.append(
            {
                "id": id,
                "lat": float(lat),
                "lon": float(lon),
                "family": family,
                "levels": frozenset(levels),
                "capacity": dict(capacity),
                "reserved": dict(reserved) if isinstance(reserved, Mapping) else int(reserved),
                "accessible": bool(accessible),
                "zone": zone,
            }
        )

    def add_pupil(
        self,
        id: Any,
        *,
        school: Any,
        level: str,
        wishes: Sequence[str],
        max_km: float,
        weeks: Iterable[int],
        priority: int = 0,
        needs_access: bool = False,
        referral: int | None = None,
    ) -> None:
        """A referred pupil: up to 5 ROME families in order, the school's weeks, the cap."""
        if len(wishes) > MAX_WISHES:
            raise ValueError(f"pupil {id}: at most {MAX_WISHES} wishes")
        self._pupils.append(
            {
                "id": id,
                "school": school,
                "level": level,
                "wishes": list(wishes),
                "max_km": float(max_km),
                "weeks": frozenset(weeks),
                "priority": int(priority),
                "needs_access": bool(needs_access),
                "referral": referral,
            }
        )

    def build(self) -> PlacementProblem:
        """The arrays, validated (``ValueError`` on an unknown school or too many weeks)."""
        weeks = sorted({w for o in self._offers for w in o["capacity"]} | self._pupil_weeks())
        families = sorted(
            {o["family"] for o in self._offers} | {f for p in self._pupils for f in p["wishes"]}
        )
        levels = sorted(
            {lv for o in self._offers for lv in o["levels"]} | {p["level"] for p in self._pupils}
        )
        zones = self._zones()
        problem = PlacementProblem(
            schools=self._build_schools(zones),
            pupils=self._build_pupils(families, levels, weeks),
            offers=self._build_offers(families, levels, weeks, zones),
            weeks=np.array(weeks, dtype=np.int64),
            families=tuple(families),
            levels=tuple(levels),
        )
        problem.validate()
        return problem

    def _pupil_weeks(self) -> set[int]:
        return {w for p in self._pupils for w in p["weeks"]}

    def _zones(self) -> dict[Hashable, int] | None:
        labels = [s[3] for s in self._schools] + [o["zone"] for o in self._offers]
        if all(label is None for label in labels):
            return None
        if any(label is None for label in labels):
            raise ValueError("give a zone to every school and offer, or to none")
        return {label: i for i, label in enumerate(sorted(set(labels), key=str))}

    def _build_schools(self, zones: dict[Hashable, int] | None) -> Schools:
        rows = self._schools
        return Schools(
            ids=np.array([s[0] for s in rows]),
            lat=np.array([s[1] for s in rows], dtype=np.float64),
            lon=np.array([s[2] for s in rows], dtype=np.float64),
            zone=None if zones is None else np.array([zones[s[3]] for s in rows], dtype=np.int64),
        )

    def _build_pupils(self, families: list[str], levels: list[str], weeks: list[int]) -> Pupils:
        rows = self._pupils
        school_index = {s[0]: i for i, s in enumerate(self._schools)}
        family_index = {f: i for i, f in enumerate(families)}
        level_index = {lv: i for i, lv in enumerate(levels)}
        week_index = {w: i for i, w in enumerate(weeks)}
        wishes = np.full((len(rows), MAX_WISHES), -1, dtype=np.int64)
        for i, p in enumerate(rows):
            wishes[i, : len(p["wishes"])] = [family_index[f] for f in p["wishes"]]
        unknown = [p["school"] for p in rows if p["school"] not in school_index]
        if unknown:
            raise ValueError(f"unknown school {unknown[0]!r}")
        referral = [p["referral"] for p in rows]
        return Pupils(
            ids=np.array([p["id"] for p in rows]),
            school=np.array([school_index[p["school"]] for p in rows], dtype=np.int64),
            level=np.array([level_index[p["level"]] for p in rows], dtype=np.int64),
            priority=np.array([p["priority"] for p in rows], dtype=np.uint8),
            wishes=wishes,
            max_km=np.array([p["max_km"] for p in rows], dtype=np.float64),
            weeks=np.array([_mask(p["weeks"], week_index) for p in rows], dtype=np.uint64),
            needs_access=np.array([p["needs_access"] for p in rows], dtype=bool),
            referral=None if None in referral else np.array(referral, dtype=np.int64),
        )

    def _build_offers(
        self,
        families: list[str],
        levels: list[str],
        weeks: list[int],
        zones: dict[Hashable, int] | None,
    ) -> Offers:
        rows = self._offers
        week_index = {w: i for i, w in enumerate(weeks)}
        family_index = {f: i for i, f in enumerate(families)}
        level_index = {lv: i for i, lv in enumerate(levels)}
        capacity = np.zeros((len(rows), len(weeks)), dtype=np.int64)
        for i, o in enumerate(rows):
            for week, places in o["capacity"].items():
                capacity[i, week_index[week]] = places
        return Offers(
            ids=np.array([o["id"] for o in rows]),
            lat=np.array([o["lat"] for o in rows], dtype=np.float64),
            lon=np.array([o["lon"] for o in rows], dtype=np.float64),
            family=np.array([family_index[o["family"]] for o in rows], dtype=np.int64),
            levels=np.array([_mask(o["levels"], level_index) for o in rows], dtype=np.uint32),
            capacity=capacity,
            reserved=_reserved(rows, week_index),
            accessible=np.array([o["accessible"] for o in rows], dtype=bool),
            zone=None if zones is None else np.array([zones[o["zone"]] for o in rows], np.int64),
        )


def _reserved(rows: list[dict[str, Any]], week_index: Mapping[int, int]) -> np.ndarray:
    """One reserved count per offer, or per offer-week when any offer gives them by week."""
    if not any(isinstance(o["reserved"], dict) for o in rows):
        return np.array([o["reserved"] for o in rows], dtype=np.int64)
    reserved = np.zeros((len(rows), len(week_index)), dtype=np.int64)
    for i, o in enumerate(rows):
        if isinstance(o["reserved"], dict):
            for week, places in o["reserved"].items():
                if week in week_index:
                    reserved[i, week_index[week]] = places
        else:
            reserved[i, :] = o["reserved"]
    return reserved


def _mask(items: Iterable[Any], position: Mapping[Any, int]) -> int:
    """Bit mask of ``items`` at their ``position``."""
    mask = 0
    for item in items:
        mask |= 1 << position[item]
    return mask
