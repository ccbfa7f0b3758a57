"""Random tiny problems, and an independent model of the rules: feasibility and brute force.

Nothing here reuses the engine's network code: the options of each pupil are recomputed
with plain Python (``math`` haversine, loops over offers and weeks), so that a bug in the
shared arcs cannot hide in both the engine and its check.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import max_flow

from relais.matching import (
    MAX_WISHES,
    Offers,
    PlacementProblem,
    PlacementResult,
    Pupils,
    Schools,
)

UNIT_KM = 0.1
RANK_COSTS = (0, 1, 2, 3, 4)


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance, scalar, on the same sphere as the engine."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(min(max(a, 0.0), 1.0)))


@dataclass(frozen=True)
class Option:
    """A place pupil ``pupil`` may take: offer ``offer`` in week index ``week``."""

    offer: int
    week: int
    rank: int
    units: int


def pupil_options(problem: PlacementProblem, i: int) -> list[Option]:
    """Every (offer, week) pupil ``i`` may take under the rules, ignoring other pupils."""
    pupils, offers, schools = problem.pupils, problem.offers, problem.schools
    s = int(pupils.school[i])
    wishes = [int(f) for f in pupils.wishes[i] if f >= 0]
    options = []
    for o in range(len(offers)):
        family = int(offers.family[o])
        if family not in wishes or not (int(offers.levels[o]) >> int(pupils.level[i])) & 1:
            continue
        if problem.zoned and schools.zone[s] != offers.zone[o]:
            continue
        needs = pupils.needs_access is not None and bool(pupils.needs_access[i])
        if needs and offers.accessible is not None and not offers.accessible[o]:
            continue
        km = km_between(schools.lat[s], schools.lon[s], offers.lat[o], offers.lon[o])
        if km > pupils.max_km[i]:
            continue
        for w in range(len(problem.weeks)):
            if (int(pupils.weeks[i]) >> w) & 1 and offers.capacity[o, w] > 0:
                rank = wishes.index(family)
                options.append(Option(o, w, rank, int(np.rint(km / UNIT_KM))))
    return options


def open_places(problem: PlacementProblem, o: int, w: int) -> int:
    """Places of offer ``o`` in week ``w`` that a non-priority pupil may take."""
    cap = int(problem.offers.capacity[o, w])
    return cap - min(int(problem.offers.reserved[o]), cap)


def objective(problem: PlacementProblem, chosen: dict[int, Option]) -> tuple[int, int, int, int]:
    """The lexicographic objective, smaller is better: unplaced, unplaced priority, ranks, km."""
    prio = problem.pupils.priority != 0
    placed_prio = sum(1 for i in chosen if prio[i])
    return (
        len(problem.pupils) - len(chosen),
        int(prio.sum()) - placed_prio,
        sum(RANK_COSTS[opt.rank] for opt in chosen.values()),
        sum(opt.units for opt in chosen.values()),
    )


def brute_force(problem: PlacementProblem) -> tuple[int, int, int, int]:
    """The best objective over every assignment (exhaustive; keep problems tiny)."""
    n = len(problem.pupils)
    options = [pupil_options(problem, i) for i in range(n)]
    prio = problem.pupils.priority != 0
    used: dict[tuple[int, int], int] = {}
    used_open: dict[tuple[int, int], int] = {}
    best = [objective(problem, {})]
    chosen: dict[int, Option] = {}

    def visit(i: int) -> None:
        if i == n:
            best[0] = min(best[0], objective(problem, chosen))
            return
        visit(i + 1)
        for opt in options[i]:
            key = (opt.offer, opt.week)
            if used.get(key, 0) >= problem.offers.capacity[opt.offer, opt.week]:
                continue
            if not prio[i] and used_open.get(key, 0) >= open_places(problem, *key):
                continue
            used[key] = used.get(key, 0) + 1
            used_open[key] = used_open.get(key, 0) + (0 if prio[i] else 1)
            chosen[i] = opt
            visit(i + 1)
            del chosen[i]
            used[key] -= 1
            used_open[key] -= 0 if prio[i] else 1

    visit(0)
    return best[0]


def result_choices(problem: PlacementProblem, result: PlacementResult) -> dict[int, Option]:
    """The result as options, each checked against the rules and the capacities."""
    week_index = {int(w): k for k, w in enumerate(problem.weeks)}
    prio = problem.pupils.priority != 0
    chosen, used, used_open = {}, {}, {}
    for i in np.nonzero(result.placed)[0]:
        key = (int(result.offer[i]), week_index[int(result.week[i])])
        matches = [o for o in pupil_options(problem, i) if (o.offer, o.week) == key]
        assert matches, f"pupil {i} placed on a place the rules forbid"
        assert matches[0].rank + 1 == result.rank[i]
        chosen[int(i)] = matches[0]
        used[key] = used.get(key, 0) + 1
        used_open[key] = used_open.get(key, 0) + (0 if prio[i] else 1)
    for key, count in used.items():
        assert count <= problem.offers.capacity[key], f"offer-week {key} overbooked"
        assert used_open.get(key, 0) <= open_places(problem, *key), f"{key}: reserved places"
    return chosen


def independent_max_flow(problem: PlacementProblem, only: np.ndarray | None = None) -> int:
    """Max number of pupils (of ``only``, default all) placeable together, pupil by pupil.

    Source → pupil (1) → offer-week, through an "open" node for non-priority pupils → sink.
    """
    n, weeks = len(problem.pupils), len(problem.weeks)
    n_slots = len(problem.offers) * weeks
    source, sink = n + 2 * n_slots, n + 2 * n_slots + 1
    tails, heads, caps = [], [], []
    prio = problem.pupils.priority != 0
    for i in range(n) if only is None else np.nonzero(only)[0]:
        tails.append(source), heads.append(i), caps.append(1)
        for opt in pupil_options(problem, int(i)):
            slot = opt.offer * weeks + opt.week
            tails.append(i), heads.append(n + slot + (0 if prio[i] else n_slots)), caps.append(1)
    for o in range(len(problem.offers)):
        for w in range(weeks):
            slot = o * weeks + w
            tails.append(n + n_slots + slot), heads.append(n + slot)
            caps.append(open_places(problem, o, w))
            tails.append(n + slot), heads.append(sink)
            caps.append(int(problem.offers.capacity[o, w]))
    solver = max_flow.SimpleMaxFlow()
    solver.add_arcs_with_capacity(
        np.array(tails, dtype=np.int32), np.array(heads, dtype=np.int32), np.array(caps)
    )
    assert solver.solve(source, sink) == solver.OPTIMAL
    return int(solver.optimal_flow())


def random_problem(
    seed: int,
    *,
    n_pupils: int = 6,
    n_offers: int = 3,
    n_schools: int = 2,
    n_weeks: int = 2,
    n_families: int = 3,
    zoned: bool = False,
) -> PlacementProblem:
    """A random problem in a 30 km square around Toulouse, scarce enough to force choices."""
    rng = np.random.default_rng(seed)
    lat0, lon0 = 43.60, 1.44
    zone_s = rng.integers(0, 2, n_schools) if zoned else None
    schools = Schools(
        ids=rng.permutation(np.arange(100, 100 + n_schools)),
        lat=lat0 + rng.uniform(-0.12, 0.12, n_schools),
        lon=lon0 + rng.uniform(-0.16, 0.16, n_schools),
        zone=zone_s,
    )
    wishes = np.full((n_pupils, MAX_WISHES), -1, dtype=np.int64)
    for i in range(n_pupils):
        k = int(rng.integers(0, min(3, n_families) + 1))
        wishes[i, :k] = rng.choice(n_families, size=k, replace=bool(rng.random() < 0.2))
    pupils = Pupils(
        ids=rng.permutation(np.arange(1, n_pupils + 1)),
        school=rng.integers(0, n_schools, n_pupils),
        level=rng.choice(2, n_pupils, p=[0.85, 0.15]),
        priority=np.where(rng.random(n_pupils) < 0.4, 1, 0).astype(np.uint8),
        wishes=wishes,
        max_km=rng.choice([5.0, 10.0, 15.0, 25.0, 40.0], n_pupils),
        weeks=rng.integers(1, 1 << n_weeks, n_pupils).astype(np.uint64),
        needs_access=rng.random(n_pupils) < 0.15,
        referral=rng.permutation(n_pupils),
    )
    offers = Offers(
        ids=rng.permutation(np.arange(1000, 1000 + n_offers)),
        lat=lat0 + rng.uniform(-0.15, 0.15, n_offers),
        lon=lon0 + rng.uniform(-0.2, 0.2, n_offers),
        family=rng.integers(0, n_families, n_offers),
        levels=rng.choice([1, 1, 3, 2], n_offers).astype(np.uint32),
        capacity=rng.choice([0, 1, 1, 2], size=(n_offers, n_weeks)),
        reserved=rng.choice([0, 0, 1], n_offers),
        accessible=rng.random(n_offers) < 0.7,
        zone=rng.integers(0, 2, n_offers) if zoned else None,
    )
    return PlacementProblem(
        schools=schools,
        pupils=pupils,
        offers=offers,
        weeks=np.arange(202610, 202610 + n_weeks),
        families=tuple(f"F{k:02d}" for k in range(n_families)),
        levels=("3e", "2nde"),
    )
