"""The input of the placement engine: schools, pupils and offers of one period, as NumPy arrays.

The engine is pure Python over arrays: the Django side (or ``ProblemBuilder``) turns offers,
pupils and établissements into a ``PlacementProblem`` and gets back a ``PlacementResult``.

Indices, not objects, link the tables: a pupil holds the index of its school in ``schools``,
each wish is the index of a ROME family in ``problem.families``, a level is the index of a
level in ``problem.levels``, and weeks are bits of a mask over ``problem.weeks`` (the ISO
weeks of the run, at most 64). Ids are only carried through to the result and used to order
the problem canonically (so that the answer does not depend on the order of the rows).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from typing import TypeVar

import numpy as np

T = TypeVar("T")

MAX_WISHES = 5
MAX_WEEKS = 64
MAX_LEVELS = 32


class PriorityFlag(enum.IntFlag):
    """Why a pupil is a priority pupil (issue 4: REP/REP+, QPV, disability, newly arrived).

    A pupil is a priority pupil when any flag is set; the flags themselves are kept so that the
    indicators can break the figures down.
    """

    REP = 1
    QPV = 2
    DISABILITY = 4
    NEWLY_ARRIVED = 8


@dataclass(frozen=True, eq=False)
class Schools:
    """Établissements: ``ids`` (int or str, unique), ``lat``/``lon`` in degrees (WGS84).

    ``zone`` (optional, int per school): the pôle's territory (académie or bassin). When the
    schools and the offers both carry zones, a pupil is only placed in an offer of the zone of
    their school.
    """

    ids: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    zone: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True, eq=False)
class Pupils:
    """Referred pupils.

    - ``ids``: unique ids; ``school``: index into ``Schools``; ``level``: index into
      ``problem.levels``;
    - ``priority``: ``PriorityFlag`` bits (0 = not a priority pupil);
    - ``wishes``: ``(n, 5)`` family indices in order of preference, ``-1`` for no wish;
    - ``max_km``: the farthest great-circle distance from the school the pupil can travel;
    - ``weeks``: uint64 mask of the weeks of ``problem.weeks`` allowed by the school's period;
    - ``needs_access``: the pupil needs an offer accessible to disabled people (optional);
    - ``referral``: referral order, only used by the greedy baseline (optional, default ids).
    """

    ids: np.ndarray
    school: np.ndarray
    level: np.ndarray
    priority: np.ndarray
    wishes: np.ndarray
    max_km: np.ndarray
    weeks: np.ndarray
    needs_access: np.ndarray | None = None
    referral: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True, eq=False)
class Offers:
    """Internship offers.

    - ``family``: index into ``problem.families`` (the first 3 characters of the ROME code);
    - ``levels``: uint32 mask of the levels (bit = index into ``problem.levels``) it is open to;
    - ``capacity``: ``(n, weeks)`` places per week of ``problem.weeks`` (0 = not available);
    - ``reserved``: places per week reserved for priority pupils (capped by that week's
      capacity): only a priority pupil may take them; one value per offer (the same every
      week) or ``(n, weeks)`` when it differs by week (the places still held there, see
      ``reservations.places_still_held``);
    - ``accessible``: accessible to disabled pupils (optional, default True);
    - ``zone``: the pôle's territory, see ``Schools.zone``.
    """

    ids: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    family: np.ndarray
    levels: np.ndarray
    capacity: np.ndarray
    reserved: np.ndarray
    accessible: np.ndarray | None = None
    zone: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True, eq=False)
class PlacementProblem:
    """One run of the engine: one pôle (bassin or académie, or several as zones), one period.

    ``weeks`` are ISO week codes ``yyyyww`` (e.g. 202612), strictly increasing; ``families``
    and ``levels`` are the labels behind the indices.
    """

    schools: Schools
    pupils: Pupils
    offers: Offers
    weeks: np.ndarray
    families: tuple[str, ...]
    levels: tuple[str, ...]

    def validate(self) -> None:
        """Raise ``ValueError`` naming the first inconsistent array."""
        _validate_calendar(self)
        _validate_schools(self.schools)
        _validate_pupils(self)
        _validate_offers(self)

    @property
    def zoned(self) -> bool:
        """Whether pupils are restricted to the offers of their school's zone."""
        return self.schools.zone is not None and self.offers.zone is not None

    def school_zone(self) -> np.ndarray:
        """Zone of each school, 0 everywhere when not zoned."""
        if not self.zoned:
            return np.zeros(len(self.schools), dtype=np.int64)
        return np.asarray(self.schools.zone, dtype=np.int64)

    def pupil_zone(self) -> np.ndarray:
        """Zone of each pupil: the zone of their school."""
        zones: np.ndarray = self.school_zone()[self.pupils.school]
        return zones

    def offer_zone(self) -> np.ndarray:
        """Zone of each offer, 0 everywhere when not zoned."""
        if not self.zoned:
            return np.zeros(len(self.offers), dtype=np.int64)
        return np.asarray(self.offers.zone, dtype=np.int64)


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


def _check_ids(ids: np.ndarray, name: str) -> None:
    _check(ids.ndim == 1, f"{name}.ids must be one-dimensional")
    _check(len(np.unique(ids)) == len(ids), f"{name}.ids must be unique")


def _check_coords(lat: np.ndarray, lon: np.ndarray, n: int, name: str) -> None:
    _check(lat.shape == (n,) and lon.shape == (n,), f"{name}.lat/lon must have one value per row")
    _check(bool(np.all(np.abs(lat) <= 90)), f"{name}.lat must be finite degrees in [-90, 90]")
    _check(bool(np.all(np.abs(lon) <= 180)), f"{name}.lon must be finite degrees in [-180, 180]")


def _validate_calendar(problem: PlacementProblem) -> None:
    weeks = np.asarray(problem.weeks)
    _check(weeks.ndim == 1 and len(weeks) <= MAX_WEEKS, f"at most {MAX_WEEKS} weeks per run")
    _check(bool(np.all(np.diff(weeks) > 0)), "weeks must be strictly increasing")
    _check(len(problem.levels) <= MAX_LEVELS, f"at most {MAX_LEVELS} levels")


def _validate_schools(schools: Schools) -> None:
    _check_ids(schools.ids, "schools")
    _check_coords(schools.lat, schools.lon, len(schools), "schools")
    if schools.zone is not None:
        _check(schools.zone.shape == (len(schools),), "schools.zone must have one value per row")


def _validate_pupils(problem: PlacementProblem) -> None:
    pupils, n = problem.pupils, len(problem.pupils)
    _check_ids(pupils.ids, "pupils")
    for name in ("school", "level", "priority", "max_km", "weeks"):
        _check(getattr(pupils, name).shape == (n,), f"pupils.{name} must have one value per row")
    _check(pupils.wishes.shape == (n, MAX_WISHES), f"pupils.wishes must be (n, {MAX_WISHES})")
    _check(
        bool(np.all((pupils.school >= 0) & (pupils.school < len(problem.schools)))),
        "pupils.school must index schools",
    )
    _check(
        bool(np.all((pupils.level >= 0) & (pupils.level < len(problem.levels)))),
        "pupils.level must index levels",
    )
    wishes = pupils.wishes
    _check(
        bool(np.all((wishes >= -1) & (wishes < len(problem.families)))),
        "pupils.wishes must index families or be -1",
    )
    _check(
        bool(np.all(np.isfinite(pupils.max_km) & (pupils.max_km >= 0))),
        "pupils.max_km must be finite and >= 0",
    )
    _check(pupils.weeks.dtype == np.uint64, "pupils.weeks must be a uint64 mask")
    for name in ("needs_access", "referral"):
        value = getattr(pupils, name)
        _check(value is None or value.shape == (n,), f"pupils.{name} must have one value per row")


def _validate_offers(problem: PlacementProblem) -> None:
    offers, n = problem.offers, len(problem.offers)
    _check_ids(offers.ids, "offers")
    _check_coords(offers.lat, offers.lon, n, "offers")
    _check(offers.family.shape == (n,), "offers.family must have one value per row")
    _check(
        bool(np.all((offers.family >= 0) & (offers.family < len(problem.families)))),
        "offers.family must index families",
    )
    _check(offers.levels.shape == (n,), "offers.levels must have one value per row")
    _check(offers.capacity.shape == (n, len(problem.weeks)), "offers.capacity must be (n, weeks)")
    _check(bool(np.all(offers.capacity >= 0)), "offers.capacity must be >= 0")
    _check(
        offers.reserved.shape in ((n,), (n, len(problem.weeks))),
        "offers.reserved must be (n,) or (n, weeks)",
    )
    _check(bool(np.all(offers.reserved >= 0)), "offers.reserved must be >= 0")
    for name in ("accessible", "zone"):
        value = getattr(offers, name)
        _check(value is None or value.shape == (n,), f"offers.{name} must have one value per row")
    _check(
        (offers.zone is None) == (problem.schools.zone is None),
        "give zones for both schools and offers, or for neither",
    )


@dataclass(frozen=True, eq=False)
class Canonical:
    """A problem whose schools, pupils and offers are sorted by id, and the way back.

    ``pupil_order[i]`` is the input row of canonical pupil ``i``; ``offer_order`` likewise.
    Solving the canonical problem makes the answer independent of the order of the rows, and
    every remaining tie is settled by that id order.
    """

    problem: PlacementProblem
    pupil_order: np.ndarray
    offer_order: np.ndarray


def canonicalize(problem: PlacementProblem) -> Canonical:
    """Sort schools, pupils and offers by id (stable) and re-index the references."""
    s_order = np.argsort(problem.schools.ids, kind="stable")
    p_order = np.argsort(problem.pupils.ids, kind="stable")
    o_order = np.argsort(problem.offers.ids, kind="stable")
    school_rank = np.empty(len(s_order), dtype=np.int64)
    school_rank[s_order] = np.arange(len(s_order))
    schools = _take(problem.schools, s_order)
    pupils = _take(problem.pupils, p_order)
    pupils = replace(pupils, school=school_rank[pupils.school])
    offers = _take(problem.offers, o_order)
    canonical = replace(problem, schools=schools, pupils=pupils, offers=offers)
    return Canonical(problem=canonical, pupil_order=p_order, offer_order=o_order)


def _take(table: T, order: np.ndarray) -> T:
    """The same table with every array re-ordered by ``order`` (None stays None)."""
    fields = {
        name: (None if value is None else np.asarray(value)[order])
        for name, value in vars(table).items()
    }
    return type(table)(**fields)
