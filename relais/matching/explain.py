"""Why a pupil got this offer, or which rule left them without one (stable codes, French labels).

Each wish of a pupil is walked through the rules from the coarsest to the finest, and stops at
the first rule that leaves no offer:

1. an offer of that ROME family in the pupil's zone (« aucune offre dans ses secteurs »);
2. open to the pupil's level; 3. accessible when the pupil needs it;
4. within the pupil's distance cap (« aucune offre à portée »);
5. with a place in a week of the school's period (« aucune place à ses dates »);
6. with a place the pupil may take (the others are reserved for priority pupils, only when
   the run holds reservations);
7. a place was still free (greedy baseline only: it took a nearer offer);
8. otherwise every place of that family within reach in the pupil's weeks is taken: a
   *shortage* (« pénurie »). The explanation says so, with the number of such places, and
   never names who took them: the engine placed the most pupils possible, so the shortage is
   general, not the doing of the priority pupils (issue 12). ``advice`` turns the shortages
   into the places to find.

An unplaced pupil is explained by the wish that went furthest down that list. The codes
``taken_by_others`` and ``taken_by_priority`` are no longer given; they stay readable for
runs stored before.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np

from relais.matching.network import Network
from relais.matching.problem import MAX_WISHES, PlacementProblem


class Reason(enum.IntEnum):
    """Outcome of a pupil or of one wish; the order is the order of the rules above."""

    PLACED = 0
    NO_WISH = 1
    NO_OFFER_IN_FAMILIES = 2
    NO_OFFER_FOR_LEVEL = 3
    NO_ACCESSIBLE_OFFER = 4
    OUT_OF_REACH = 5
    NO_PLACE_ON_DATES = 6
    RESERVED_FOR_PRIORITY = 7
    NOT_CHOSEN = 8
    TAKEN_BY_OTHERS = 9
    TAKEN_BY_PRIORITY = 10
    SHORTAGE = 11

    @property
    def code(self) -> str:
        """Stable identifier, for the database and the API."""
        return self.name.lower()

    @property
    def label(self) -> str:
        """French label shown to the pôle."""
        return LABELS[self]


LABELS = {
    Reason.PLACED: "placé",
    Reason.NO_WISH: "aucun vœu exprimé",
    Reason.NO_OFFER_IN_FAMILIES: "aucune offre dans ses secteurs",
    Reason.NO_OFFER_FOR_LEVEL: "aucune offre ouverte à son niveau",
    Reason.NO_ACCESSIBLE_OFFER: "aucune offre accessible",
    Reason.OUT_OF_REACH: "aucune offre à portée",
    Reason.NO_PLACE_ON_DATES: "aucune place à ses dates",
    Reason.RESERVED_FOR_PRIORITY: "places réservées aux élèves prioritaires",
    Reason.NOT_CHOSEN: "une place restait libre, une offre plus proche a été retenue",
    Reason.TAKEN_BY_OTHERS: "places prises par d'autres élèves",
    Reason.TAKEN_BY_PRIORITY: "places prises par des élèves prioritaires",
    Reason.SHORTAGE: "pénurie : toutes les places à portée et à ses dates sont prises",
}


@dataclass(frozen=True, eq=False)
class Diagnosis:
    """Per canonical pupil: overall reason, reason per wish rank (-1: none), nearest offer,
    places of their wishes within reach in their weeks (taken or not)."""

    reason: np.ndarray
    wish_reason: np.ndarray
    nearest_km: np.ndarray
    places: np.ndarray


def diagnose(net: Network, pupil_pair: np.ndarray, pupil_arc: np.ndarray) -> Diagnosis:
    """Explain an assignment (``pupil_pair``/``pupil_arc``: chosen pair and arc, or -1)."""
    n = len(net.problem.pupils)
    pair_reason = pair_reasons(net, pupil_pair, pupil_arc)
    reason = np.full(n, int(Reason.NO_WISH), dtype=np.int64)
    unplaced_pair = pupil_pair[net.pair_pupil] < 0
    np.maximum.at(reason, net.pair_pupil[unplaced_pair], pair_reason[unplaced_pair])
    reason[pupil_pair >= 0] = Reason.PLACED
    wish_reason = np.full((n, MAX_WISHES), -1, dtype=np.int8)
    wish_reason[net.pair_pupil, net.pair_rank] = pair_reason
    nearest = np.full(n, np.inf)
    np.minimum.at(nearest, net.pair_pupil, net.group_nearest_km[net.pair_group])
    group_places = np.bincount(
        net.arc_group, weights=net.slots.cap[net.arc_slot], minlength=len(net.groups)
    )
    places = np.bincount(net.pair_pupil, weights=group_places[net.pair_group], minlength=n)
    return Diagnosis(
        reason=reason.astype(np.int8),
        wish_reason=wish_reason,
        nearest_km=nearest,
        places=places.astype(np.int64),
    )


def pair_reasons(net: Network, pupil_pair: np.ndarray, pupil_arc: np.ndarray) -> np.ndarray:
    """Reason of every (pupil, family) pair: the first rule of the cascade that fails."""
    fam_ok, level_ok, access_ok = _offer_tables(net)
    g = net.pair_group
    arcs_per_group = np.bincount(net.arc_group, minlength=len(net.groups))
    group_free = _free_place(net, pupil_arc)
    reason = np.select(
        [
            ~fam_ok,
            ~level_ok,
            ~access_ok,
            net.group_reach[g] == 0,
            net.group_slots[g] == 0,
            arcs_per_group[g] == 0,
            group_free[g],
        ],
        [
            Reason.NO_OFFER_IN_FAMILIES,
            Reason.NO_OFFER_FOR_LEVEL,
            Reason.NO_ACCESSIBLE_OFFER,
            Reason.OUT_OF_REACH,
            Reason.NO_PLACE_ON_DATES,
            Reason.RESERVED_FOR_PRIORITY,
            Reason.NOT_CHOSEN,
        ],
        default=Reason.SHORTAGE,
    ).astype(np.int64)
    chosen = pupil_pair[pupil_pair >= 0]
    reason[chosen] = Reason.PLACED
    return reason


def _offer_tables(net: Network) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per pair: an offer of the family in the zone; also open to the level; also accessible."""
    problem: PlacementProblem = net.problem
    offers = problem.offers
    n_fam, n_lvl = max(len(problem.families), 1), max(len(problem.levels), 1)
    pupil = net.pair_pupil
    pair_zf = problem.pupil_zone()[pupil] * n_fam + net.groups.family[net.pair_group]
    pair_zfl = pair_zf * n_lvl + problem.pupils.level[pupil].astype(np.int64)
    offer_zf = problem.offer_zone() * n_fam + offers.family.astype(np.int64)
    levels = offers.levels.astype(np.uint64)
    has_level = [((levels >> np.uint64(lvl)) & np.uint64(1)) != 0 for lvl in range(n_lvl)]
    offer_zfl = [offer_zf[has] * n_lvl + lvl for lvl, has in enumerate(has_level)]
    accessible = np.ones(len(offers), bool) if offers.accessible is None else offers.accessible
    access_zfl = [offer_zf[has & accessible] * n_lvl + lvl for lvl, has in enumerate(has_level)]
    fam_ok = np.isin(pair_zf, offer_zf)
    level_ok = np.isin(pair_zfl, np.concatenate(offer_zfl))
    needs = net.groups.access[net.pair_group]
    access_ok = ~needs | np.isin(pair_zfl, np.concatenate(access_zfl))
    return fam_ok, level_ok, access_ok


def _free_place(net: Network, pupil_arc: np.ndarray) -> np.ndarray:
    """Per group: a place of one of its offer-weeks still free for it."""
    slots, k = net.slots, len(net.slots)
    placed = np.nonzero(pupil_arc >= 0)[0]
    arc = pupil_arc[placed]
    slot = net.arc_slot[arc]
    occ_all = np.bincount(slot, minlength=k)
    occ_open = np.bincount(slot[net.arc_open[arc]], minlength=k)
    s = net.arc_slot
    free = (occ_all[s] < slots.cap[s]) & (~net.arc_open | (occ_open[s] < slots.open[s]))
    return np.bincount(net.arc_group, weights=free, minlength=len(net.groups)) > 0
