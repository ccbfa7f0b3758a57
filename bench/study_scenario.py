"""The study scenario of issue 12: one bassin, 2,244 pupils of whom 540 are priority pupils
concentrated in REP collèges farther from the offers, places for 85 % of the pupils.

After the study cited by Mesure 1: the companies are in the town centre and along its main
roads; the REP collèges are in the outlying estates, 12–22 km from the centre; priority
pupils travel less far (caps 5–15 km, 11–21 km from the estates, against 10–25 km) and are
all referred after the others (they searched longer alone first). Everything is drawn from
``seed``; the geometry is synthetic (a bassin of the Gard around Nîmes), so that the
scenario needs no data file.

- 14 collèges: 3 REP collèges (150 referred pupils each, every pupil flagged REP) and 11
  others (1,794 pupils; 90 of them flagged QPV, disability or newly arrived): 540 priority;
- each collège has a period of 1 or 2 weeks among 4 weeks of December–February;
- 20 ROME families, wishes by a Zipf law (1 to 5 per pupil), offers by a related law;
- offers of 1 to 3 places per week over 1 to 3 weeks, 70 % within 8 km of the centre and
  the rest scattered, until the places reach 85 % of the pupils; 15 % of the offers reserve
  one place per week for priority pupils (the practice the engine no longer needs).
"""

from __future__ import annotations

import numpy as np

from relais.matching import MAX_WISHES, Offers, PlacementProblem, PriorityFlag, Pupils, Schools

CENTRE = (43.8367, 4.3601)  # Nîmes
KM_LAT = 1 / 111.2
KM_LON = 1 / (111.2 * np.cos(np.radians(CENTRE[0])))
WEEKS = np.array([202550, 202551, 202603, 202604])
N_FAMILIES = 20
REP_PUPILS = (150, 150, 150)
N_OTHER_SCHOOLS = 11
N_PUPILS = 2244
N_PRIORITY = 540
PLACES_SHARE = 0.85
REP_EXTRA_KM = 6.0
LATE_REFERRAL = 1.0


def _at(rng: np.random.Generator, n: int, r_min: float, r_max: float) -> np.ndarray:
    """``n`` points (lat, lon) at a distance in [r_min, r_max] km from the centre."""
    angle = rng.uniform(0, 2 * np.pi, n)
    radius = rng.uniform(r_min, r_max, n)
    lat = CENTRE[0] + radius * np.sin(angle) * KM_LAT
    lon = CENTRE[1] + radius * np.cos(angle) * KM_LON
    return np.stack([lat, lon], axis=1)


def _zipf(n: int, rng: np.random.Generator, s: float = 1.1) -> np.ndarray:
    weights = 1.0 / np.arange(1, n + 1) ** s
    return weights[rng.permutation(n)] / weights.sum()


def _wishes(popularity: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    count = rng.choice(np.arange(1, MAX_WISHES + 1), n, p=[0.15, 0.25, 0.3, 0.2, 0.1])
    keys = np.log(popularity) + rng.gumbel(size=(n, len(popularity)))
    top = np.argsort(-keys, axis=1)[:, :MAX_WISHES]
    return np.where(np.arange(MAX_WISHES) < count[:, None], top, -1).astype(np.int64)


def _schools(rng: np.random.Generator) -> tuple[Schools, np.ndarray, np.ndarray]:
    """Collèges (REP first), their pupil counts and their period masks."""
    n_rep = len(REP_PUPILS)
    where = np.concatenate([_at(rng, n_rep, 12, 22), _at(rng, N_OTHER_SCHOOLS, 0, 12)])
    other = rng.multinomial(N_PUPILS - sum(REP_PUPILS), np.full(N_OTHER_SCHOOLS, 1 / 11))
    pupils = np.concatenate([REP_PUPILS, other])
    start = rng.integers(0, len(WEEKS), len(pupils))
    length = np.minimum(rng.choice([1, 2], len(pupils), p=[0.5, 0.5]), len(WEEKS) - start)
    masks = ((1 << (start + length)) - (1 << start)).astype(np.uint64)
    schools = Schools(
        ids=np.array([f"0300{k:03d}X" for k in range(len(pupils))]),
        lat=where[:, 0],
        lon=where[:, 1],
    )
    return schools, pupils, masks


def _pupils(
    rng: np.random.Generator, per_school: np.ndarray, masks: np.ndarray, popularity: np.ndarray
) -> Pupils:
    school = np.repeat(np.arange(len(per_school)), per_school)
    n = len(school)
    rep = school < len(REP_PUPILS)
    flags = np.where(rep, int(PriorityFlag.REP), 0)
    others = rng.choice(np.nonzero(~rep)[0], N_PRIORITY - int(rep.sum()), replace=False)
    extra = rng.choice(
        [PriorityFlag.QPV, PriorityFlag.DISABILITY, PriorityFlag.NEWLY_ARRIVED],
        len(others),
        p=[0.6, 0.25, 0.15],
    )
    flags[others] = [int(f) for f in extra]
    prio = flags != 0
    max_km = np.where(
        prio,
        rng.choice([5.0, 10.0, 15.0], n, p=[0.2, 0.45, 0.35]),
        rng.choice([10.0, 15.0, 20.0, 25.0], n, p=[0.2, 0.35, 0.3, 0.15]),
    )
    # REP collèges are far out: their pupils' caps reach the town from the estates.
    max_km = np.where(rep, max_km + REP_EXTRA_KM, max_km)
    disabled = (flags & int(PriorityFlag.DISABILITY)) != 0
    return Pupils(
        ids=np.arange(1, n + 1),
        school=school,
        level=np.zeros(n, dtype=np.int64),
        priority=flags.astype(np.uint8),
        wishes=_wishes(popularity, n, rng),
        max_km=max_km,
        weeks=masks[school],
        needs_access=disabled & (rng.random(n) < 0.5),
        referral=np.argsort(rng.random(n) + LATE_REFERRAL * prio, kind="stable"),
    )


def _offers(
    rng: np.random.Generator, pupils: Pupils, popularity: np.ndarray, n_places: int
) -> Offers:
    """Offers until ``n_places`` places, their weeks following the pupils' weeks."""
    demand = np.array(
        [((pupils.weeks >> np.uint64(k)) & np.uint64(1)).sum() for k in range(len(WEEKS))],
        dtype=float,
    )
    k = n_places  # more than enough rows; cut at the quota below
    per_week = rng.choice([1, 2, 3], k, p=[0.55, 0.3, 0.15])
    span = rng.choice([1, 2, 3], k, p=[0.5, 0.3, 0.2])
    start = rng.choice(len(WEEKS), k, p=demand / demand.sum())
    span = np.minimum(span, len(WEEKS) - start)
    n = int(np.searchsorted(np.cumsum(per_week * span), n_places)) + 1
    per_week, span, start = per_week[:n], span[:n], start[:n]
    central = rng.random(n) < 0.7
    where = np.where(central[:, None], _at(rng, n, 0, 8), _at(rng, n, 0, 20))
    weeks = np.arange(len(WEEKS))
    capacity = np.where(
        (weeks >= start[:, None]) & (weeks < (start + span)[:, None]), per_week[:, None], 0
    )
    excess = int(capacity.sum()) - n_places  # trim the last offers to the exact quota
    row = n - 1
    while excess > 0:
        weeks_left = np.nonzero(capacity[row])[0]
        if not len(weeks_left):
            row -= 1
            continue
        capacity[row, weeks_left[-1]] -= 1
        excess -= 1
    offer_pop = 0.7 * popularity + 0.3 * _zipf(N_FAMILIES, rng)
    return Offers(
        ids=np.arange(1, n + 1) * 10,
        lat=where[:, 0],
        lon=where[:, 1],
        family=rng.choice(N_FAMILIES, n, p=offer_pop / offer_pop.sum()),
        levels=np.ones(n, dtype=np.uint32),
        capacity=capacity.astype(np.int64),
        reserved=np.where(rng.random(n) < 0.15, 1, 0),
        accessible=rng.random(n) < 0.6,
    )


def study_problem(seed: int) -> PlacementProblem:
    """The study scenario for one seed (module docstring)."""
    rng = np.random.default_rng(seed)
    schools, per_school, masks = _schools(rng)
    popularity = _zipf(N_FAMILIES, rng)
    pupils = _pupils(rng, per_school, masks, popularity)
    offers = _offers(rng, pupils, popularity, int(round(PLACES_SHARE * N_PUPILS)))
    problem = PlacementProblem(
        schools=schools,
        pupils=pupils,
        offers=offers,
        weeks=WEEKS,
        families=tuple(f"{chr(65 + k // 5)}1{k % 5}" for k in range(N_FAMILIES)),
        levels=("3e",),
    )
    problem.validate()
    return problem
