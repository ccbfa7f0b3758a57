"""Stable re-runs: a run prefers to keep the places a previous run gave (issue 12).

The caller gives the previous assignment as ``{pupil id: (offer id, ISO week) or None}``
(``None``: the pupil was in the previous run and stayed unplaced). A pupil whose previous
place is still open to them under every rule gets a *keep* arc to it (``flow``): moving them
costs ``S``, a tier below placements and fairness and above wishes and distance. So a new run
moves a pupil only to place more pupils or to reach the fairness target, or because their
place is gone (offer withdrawn, week full, rules changed).

Proposals already sent are not the engine's business: the place is held and the pupil waits
for the company's answer, so the caller leaves both out of the problem.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

import numpy as np

from relais.matching.flow import Keep
from relais.matching.network import Network
from relais.matching.problem import Canonical, PlacementProblem

Previous = Mapping[Any, "tuple[Any, int] | None"]

CHANGE_LABELS = {
    "kept": "même place qu'au calcul précédent",
    "place_gone": "sa place précédente n'est plus disponible",
    "moved": "déplacé pour placer plus d'élèves ou atteindre la cible d'équité",
    "unplaced": "n'a plus de place (places en moins ou cible d'équité)",
    "newly_placed": "placé alors qu'il ne l'était pas",
    "still_unplaced": "toujours sans place",
    "new": "nouvel élève dans le calcul",
}


def keep_arcs(net: Network, canon: Canonical, previous: Previous | None) -> Keep:
    """Keep arcs for the pupils whose previous place is still open to them."""
    if not previous:
        return Keep.none()
    problem = net.problem
    pupil_row = {pid.item(): i for i, pid in enumerate(problem.pupils.ids)}
    offer_row = {oid.item(): i for i, oid in enumerate(problem.offers.ids)}
    week_row = {int(w): k for k, w in enumerate(problem.weeks)}
    n_weeks = max(len(problem.weeks), 1)
    slot_key = net.slots.offer * n_weeks + net.slots.week  # sorted: slots are in (offer, week)
    wanted = np.full(len(problem.pupils), -1, dtype=np.int64)
    for pid, place in previous.items():
        if place is None:
            continue
        row, offer, week = pupil_row.get(pid), offer_row.get(place[0]), week_row.get(place[1])
        if row is None or offer is None or week is None:
            continue
        key = offer * n_weeks + week
        pos = int(np.searchsorted(slot_key, key))
        if pos < len(slot_key) and slot_key[pos] == key:
            wanted[row] = pos
    return _find_arcs(net, wanted)


def _find_arcs(net: Network, wanted: np.ndarray) -> Keep:
    """For each pupil with a wanted slot, the best-ranked pair whose group has an arc to it."""
    n_slots = max(len(net.slots), 1)
    arc_key = net.arc_group * n_slots + net.arc_slot
    order = np.argsort(arc_key, kind="stable")
    sorted_keys = arc_key[order]
    pairs = np.nonzero(wanted[net.pair_pupil] >= 0)[0]
    key = net.pair_group[pairs] * n_slots + wanted[net.pair_pupil[pairs]]
    pos = np.minimum(np.searchsorted(sorted_keys, key), max(len(sorted_keys) - 1, 0))
    found = sorted_keys[pos] == key if len(sorted_keys) else np.zeros(len(pairs), dtype=bool)
    pairs, arcs = pairs[found], order[pos[found]]
    pupils = net.pair_pupil[pairs]
    first = np.ones(len(pupils), dtype=bool)  # pairs are in (pupil, rank) order
    first[1:] = pupils[1:] != pupils[:-1]
    return Keep(pupil=pupils[first], pair=pairs[first], arc=arcs[first])


def _shrunk(problem: PlacementProblem, previous: Previous) -> set[tuple[Any, int]]:
    """Offer-weeks that now have fewer places than the previous run filled."""
    filled = Counter((place[0], int(place[1])) for place in previous.values() if place)
    offer_row = {oid.item(): i for i, oid in enumerate(problem.offers.ids)}
    week_row = {int(w): k for k, w in enumerate(problem.weeks)}
    shrunk = set()
    for (offer, week), count in filled.items():
        o, w = offer_row.get(offer), week_row.get(week)
        places = 0 if o is None or w is None else int(problem.offers.capacity[o, w])
        if places < count:
            shrunk.add((offer, week))
    return shrunk


def changes(
    problem: PlacementProblem,
    offer: np.ndarray,
    week: np.ndarray,
    previous: Previous | None,
    kept_valid: np.ndarray,
) -> tuple[np.ndarray, dict[str, int]]:
    """Per pupil (input order) the kind of change since the previous run, and the counts.

    ``kept_valid``: the previous place was still open to the pupil (a keep arc existed). A
    pupil who leaves an offer-week that now has fewer places than the previous run filled
    lost their place too (``place_gone``). Kinds: ``CHANGE_LABELS``; ``changed`` counts the
    pupils whose place differs.
    """
    pupil_ids, offer_ids = problem.pupils.ids, problem.offers.ids
    shrunk = _shrunk(problem, previous) if previous else set()
    kinds = np.empty(len(pupil_ids), dtype=object)
    for i, pid in enumerate(pupil_ids.tolist()):
        now = None if offer[i] < 0 else (offer_ids[offer[i]].item(), int(week[i]))
        if previous is None or pid not in previous:
            kinds[i] = "new"
            continue
        before = previous[pid]
        if before is None:
            kinds[i] = "still_unplaced" if now is None else "newly_placed"
        elif now is not None and (now[0], now[1]) == (before[0], int(before[1])):
            kinds[i] = "kept"
        elif not kept_valid[i] or (before[0], int(before[1])) in shrunk:
            kinds[i] = "place_gone"
        else:
            kinds[i] = "moved" if now is not None else "unplaced"
    counts = {kind: int((kinds == kind).sum()) for kind in CHANGE_LABELS}
    counts = {k: v for k, v in counts.items() if v}
    counts["changed"] = sum(
        counts.get(k, 0) for k in ("place_gone", "moved", "unplaced", "newly_placed")
    )
    return kinds, counts
