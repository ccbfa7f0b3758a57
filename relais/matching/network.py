"""The shared structure of the placement network: wish groups, offer-week slots and their arcs.

Travel distance depends on the school and the offer, not on the pupil. Pupils are therefore
gathered into *wish groups*: the pupils of one school who wish one ROME family and share
everything else that decides which offer-weeks they may take (level, period, distance cap,
need of an accessible place, and priority class when some places are reserved). The arcs
group → offer-week are computed once per group, not once per pupil:

    pupil ──(wish rank)──▶ group(school, family, …) ──(distance)──▶ slot(offer, week) ──▶ sink

The network is exact: a pupil reaches exactly the offer-weeks that satisfy every rule
(family wished, same zone, level open, accessibility, distance ≤ cap, week in the school's
period with a place; a place reserved for priority pupils only for a priority pupil).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from relais.matching.geo import KM_PER_DEGREE_LAT, haversine_km
from relais.matching.problem import PlacementProblem

BLOCK_CELLS = 1 << 21  # distance-matrix cells computed at once (≈ 16 MB of float64)
NEAREST_MARGIN_KM = 50.0  # how far beyond the cap a large block still looks for the nearest


@dataclass(frozen=True, eq=False)
class Groups:
    """Wish groups; ``prio`` is the priority class (only split when places are reserved)."""

    school: np.ndarray
    family: np.ndarray
    level: np.ndarray
    weeks: np.ndarray
    cap: np.ndarray
    access: np.ndarray
    prio: np.ndarray
    size: np.ndarray

    def __len__(self) -> int:
        return len(self.school)


@dataclass(frozen=True, eq=False)
class Slots:
    """Offer-weeks with at least one place; ``open`` = places a non-priority pupil may take."""

    offer: np.ndarray
    week: np.ndarray
    cap: np.ndarray
    open: np.ndarray

    def __len__(self) -> int:
        return len(self.offer)

    @property
    def reserved(self) -> np.ndarray:
        """Places of the slot that only a priority pupil may take."""
        reserved: np.ndarray = self.cap - self.open
        return reserved


@dataclass(frozen=True, eq=False)
class Network:
    """Everything the optimal engine and the greedy baseline share, for a canonical problem.

    - pairs: one per (pupil, wished family), sorted by (pupil, rank); ``pair_rank`` is 0-based;
    - groups and their statistics (used by the explanations): ``group_reach`` offers within
      reach, ``group_nearest_km`` the nearest offer ignoring the cap, ``group_slots`` the
      offer-weeks with a place in the group's period among the reachable offers;
    - arcs group → slot, sorted by (group, distance, offer id, week); ``arc_open`` tells that the
      arc may only use the places not reserved for priority pupils.
    """

    problem: PlacementProblem
    pair_pupil: np.ndarray
    pair_rank: np.ndarray
    pair_group: np.ndarray
    groups: Groups
    group_reach: np.ndarray
    group_nearest_km: np.ndarray
    group_slots: np.ndarray
    slots: Slots
    arc_group: np.ndarray
    arc_slot: np.ndarray
    arc_km: np.ndarray
    arc_open: np.ndarray

    def group_arc_bounds(self) -> np.ndarray:
        """CSR bounds: the arcs of group ``g`` are ``bounds[g]:bounds[g + 1]``."""
        counts = np.bincount(self.arc_group, minlength=len(self.groups))
        return np.concatenate(([0], np.cumsum(counts)))


def build_network(problem: PlacementProblem) -> Network:
    """Build groups, slots and arcs of a canonical (id-sorted) problem."""
    pair_pupil, pair_rank, pair_family = wish_pairs(problem.pupils.wishes)
    groups, pair_group = make_groups(problem, pair_pupil, pair_family)
    slots, slot_of = make_slots(problem)
    pg, po, pkm, nearest = candidate_pairs(problem, groups)
    avail, open_mask = offer_week_masks(problem)
    common = groups.weeks[pg] & avail[po]
    usable = np.where(groups.prio[pg], common, groups.weeks[pg] & open_mask[po])
    arc_pair, arc_week = expand_weeks(usable, len(problem.weeks))
    arc_group, arc_offer = pg[arc_pair], po[arc_pair]
    arc_km = pkm[arc_pair]
    order = np.lexsort((arc_week, arc_offer, arc_km, arc_group))
    arc_group, arc_offer, arc_km, arc_week = (
        a[order] for a in (arc_group, arc_offer, arc_km, arc_week)
    )
    arc_slot = slot_of[arc_offer, arc_week]
    n_groups = len(groups)
    return Network(
        problem=problem,
        pair_pupil=pair_pupil,
        pair_rank=pair_rank,
        pair_group=pair_group,
        groups=groups,
        group_reach=np.bincount(pg, minlength=n_groups),
        group_nearest_km=nearest,
        group_slots=np.bincount(pg, weights=np.bitwise_count(common), minlength=n_groups).astype(
            np.int64
        ),
        slots=slots,
        arc_group=arc_group,
        arc_slot=arc_slot,
        arc_km=arc_km,
        arc_open=~groups.prio[arc_group] & (slots.reserved[arc_slot] > 0),
    )


def wish_pairs(wishes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(pupil, rank, family) for each wish, a family wished twice kept at its best rank."""
    pupil, rank = np.nonzero(wishes >= 0)
    family = wishes[pupil, rank].astype(np.int64)
    order = np.lexsort((rank, family, pupil))
    pupil, rank, family = pupil[order], rank[order], family[order]
    first = np.ones(len(pupil), dtype=bool)
    first[1:] = (pupil[1:] != pupil[:-1]) | (family[1:] != family[:-1])
    pupil, rank, family = pupil[first], rank[first], family[first]
    order = np.lexsort((rank, pupil))
    return pupil[order].astype(np.int64), rank[order].astype(np.int64), family[order]


def make_groups(
    problem: PlacementProblem, pair_pupil: np.ndarray, pair_family: np.ndarray
) -> tuple[Groups, np.ndarray]:
    """Gather the (pupil, family) pairs that share every attribute the arcs depend on."""
    pupils = problem.pupils
    access = _needs_access(problem)
    split_prio = bool(np.any(_effective_reserved(problem) > 0))
    prio = (pupils.priority != 0) & split_prio
    p = pair_pupil
    keys = np.stack(
        [
            pupils.school[p].astype(np.int64),
            pair_family,
            pupils.level[p].astype(np.int64),
            pupils.weeks[p].view(np.int64),
            pupils.max_km[p].astype(np.float64).view(np.int64),
            access[p].astype(np.int64),
            prio[p].astype(np.int64),
        ],
        axis=1,
    ).reshape(-1, 7)
    unique, inverse = np.unique(keys, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    groups = Groups(
        school=unique[:, 0],
        family=unique[:, 1],
        level=unique[:, 2],
        weeks=unique[:, 3].view(np.uint64),
        cap=unique[:, 4].view(np.float64),
        access=unique[:, 5].astype(bool),
        prio=unique[:, 6].astype(bool),
        size=np.bincount(inverse, minlength=len(unique)),
    )
    return groups, inverse.astype(np.int64)


def _needs_access(problem: PlacementProblem) -> np.ndarray:
    flags = problem.pupils.needs_access
    return np.zeros(len(problem.pupils), dtype=bool) if flags is None else flags.astype(bool)


def _accessible(problem: PlacementProblem) -> np.ndarray:
    flags = problem.offers.accessible
    return np.ones(len(problem.offers), dtype=bool) if flags is None else flags.astype(bool)


def _effective_reserved(problem: PlacementProblem) -> np.ndarray:
    """Reserved places per offer-week: the reserved count (per offer, or per offer-week),
    capped by that week's capacity."""
    capacity = problem.offers.capacity.astype(np.int64)
    reserved = problem.offers.reserved.astype(np.int64)
    return np.minimum(reserved if reserved.ndim == 2 else reserved[:, None], capacity)


def make_slots(problem: PlacementProblem) -> tuple[Slots, np.ndarray]:
    """The offer-weeks with a place, in (offer id, week) order, and the (offer, week) lookup."""
    capacity = problem.offers.capacity.astype(np.int64)
    offer, week = np.nonzero(capacity > 0)
    cap = capacity[offer, week]
    reserved = _effective_reserved(problem)[offer, week]
    slot_of = np.full(capacity.shape, -1, dtype=np.int64)
    slot_of[offer, week] = np.arange(len(offer))
    slots = Slots(
        offer=offer.astype(np.int64), week=week.astype(np.int64), cap=cap, open=cap - reserved
    )
    return slots, slot_of


def offer_week_masks(problem: PlacementProblem) -> tuple[np.ndarray, np.ndarray]:
    """Per offer, uint64 masks of the weeks with a place, and with a place open to all."""
    capacity = problem.offers.capacity.astype(np.int64)
    bits = np.uint64(1) << np.arange(capacity.shape[1], dtype=np.uint64)
    any_place = np.bitwise_or.reduce(np.where(capacity > 0, bits, np.uint64(0)), axis=1)
    open_place = capacity - _effective_reserved(problem) > 0
    open_mask = np.bitwise_or.reduce(np.where(open_place, bits, np.uint64(0)), axis=1)
    return any_place.astype(np.uint64), open_mask.astype(np.uint64)


def expand_weeks(masks: np.ndarray, n_weeks: int) -> tuple[np.ndarray, np.ndarray]:
    """(row, week) for every bit set in ``masks`` — one vectorised pass per week of the run."""
    rows, weeks = [], []
    for week in range(n_weeks):
        hit = np.nonzero((masks >> np.uint64(week)) & np.uint64(1))[0]
        rows.append(hit)
        weeks.append(np.full(len(hit), week, dtype=np.int64))
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(rows).astype(np.int64), np.concatenate(weeks)


def candidate_pairs(
    problem: PlacementProblem, groups: Groups
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(group, offer, km) for every offer a group may reach, and each group's nearest offer.

    "May reach": same zone, same family, open to the group's level, accessible if needed, and
    within the group's distance cap. The nearest offer (ignoring the cap) explains
    « aucune offre à portée ».
    """
    nearest = np.full(len(groups), np.inf)
    chunks = [
        _block_pairs(problem, groups, g_idx, o_idx, nearest)
        for g_idx, o_idx in _blocks(problem, groups)
    ]
    pairs = [c for block in chunks for c in block]
    if not pairs:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0), nearest
    pg, po, pkm = (np.concatenate(parts) for parts in zip(*pairs, strict=True))
    return pg, po, pkm, nearest


def _blocks(problem: PlacementProblem, groups: Groups) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Groups and offers of each (zone, family) present on both sides."""
    n_fam = max(len(problem.families), 1)
    g_key = problem.school_zone()[groups.school] * n_fam + groups.family
    o_key = problem.offer_zone() * n_fam + problem.offers.family.astype(np.int64)
    g_order = np.argsort(g_key, kind="stable")
    o_order = np.argsort(o_key, kind="stable")
    g_sorted, o_sorted = g_key[g_order], o_key[o_order]
    keys = np.intersect1d(g_sorted, o_sorted)
    g_lo, g_hi = np.searchsorted(g_sorted, keys), np.searchsorted(g_sorted, keys, side="right")
    o_lo, o_hi = np.searchsorted(o_sorted, keys), np.searchsorted(o_sorted, keys, side="right")
    for i in range(len(keys)):
        yield g_order[g_lo[i] : g_hi[i]], o_order[o_lo[i] : o_hi[i]]


def _block_pairs(
    problem: PlacementProblem,
    groups: Groups,
    g_idx: np.ndarray,
    o_idx: np.ndarray,
    nearest: np.ndarray,
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Pairs of one (zone, family) block; a large block goes by chunks of groups by latitude.

    A chunk only looks at the offers in its latitude band widened by the largest cap plus
    ``NEAREST_MARGIN_KM``, so a national problem without zones never builds a full
    groups × offers matrix. ``nearest`` is then exact up to that margin beyond the cap, which
    is all the explanations need; a small block is computed whole and ``nearest`` is exact.
    """
    if len(g_idx) * len(o_idx) <= BLOCK_CELLS:
        return [_chunk_pairs(problem, groups, g_idx, o_idx, nearest)]
    school_lat = problem.schools.lat[groups.school[g_idx]]
    g_idx = g_idx[np.argsort(school_lat, kind="stable")]
    o_idx = o_idx[np.argsort(problem.offers.lat[o_idx], kind="stable")]
    o_lat = problem.offers.lat[o_idx]
    rows = max(1, BLOCK_CELLS // len(o_idx))
    out = []
    for start in range(0, len(g_idx), rows):
        chunk = g_idx[start : start + rows]
        lat = problem.schools.lat[groups.school[chunk]]
        band = (groups.cap[chunk].max() + NEAREST_MARGIN_KM) / KM_PER_DEGREE_LAT
        lo = np.searchsorted(o_lat, lat.min() - band)
        hi = np.searchsorted(o_lat, lat.max() + band, side="right")
        if hi > lo:
            out.append(_chunk_pairs(problem, groups, chunk, o_idx[lo:hi], nearest))
    return out


def _chunk_pairs(
    problem: PlacementProblem,
    groups: Groups,
    g_idx: np.ndarray,
    o_idx: np.ndarray,
    nearest: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Dense distance and rule check between a few groups and a few offers."""
    schools, offers = problem.schools, problem.offers
    school = groups.school[g_idx]
    km = haversine_km(
        schools.lat[school][:, None],
        schools.lon[school][:, None],
        offers.lat[o_idx][None, :],
        offers.lon[o_idx][None, :],
    )
    level_bit = np.uint64(1) << groups.level[g_idx].astype(np.uint64)
    ok = (offers.levels[o_idx].astype(np.uint64)[None, :] & level_bit[:, None]) != 0
    needs = groups.access[g_idx]
    if needs.any():
        ok &= ~needs[:, None] | _accessible(problem)[o_idx][None, :]
    nearest[g_idx] = np.minimum(nearest[g_idx], np.where(ok, km, np.inf).min(axis=1))
    gi, oj = np.nonzero(ok & (km <= groups.cap[g_idx][:, None]))
    return g_idx[gi], o_idx[oj], km[gi, oj]
