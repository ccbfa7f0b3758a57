"""The greedy baseline: first come, first served, the way a pôle places pupils by hand today.

Pupils are taken in referral order (then id); each takes the nearest offer-week that matches
one of their wishes and still has a place they may take (ties: better wish, offer id, week).
It obeys the same rules as the engine and uses the same network, so the two differ only by
the decision rule. Kept for comparison: it places fewer pupils, and the last referred — often
the pupils who struggled longest to find a place alone — pay for it.
"""

from __future__ import annotations

import time

import numpy as np

from relais.matching.network import Network, build_network
from relais.matching.problem import PlacementProblem, canonicalize
from relais.matching.result import PlacementResult, build_result


def solve_greedy(problem: PlacementProblem) -> PlacementResult:
    """Place pupils one by one in referral order, each on the nearest free matching place."""
    problem.validate()
    start = time.perf_counter()
    canon = canonicalize(problem)
    net = build_network(canon.problem)
    pupil_pair, pupil_arc = greedy_assignment(net, referral_order(canon.problem))
    stats = {"total_s": round(time.perf_counter() - start, 4)}
    return build_result("greedy", canon, net, pupil_pair, pupil_arc, stats, problem)


def referral_order(problem: PlacementProblem) -> np.ndarray:
    """Canonical pupil indices by referral order, then id."""
    referral = problem.pupils.referral
    if referral is None:
        return np.arange(len(problem.pupils))
    return np.lexsort((np.arange(len(problem.pupils)), referral))


def greedy_assignment(net: Network, order: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Chosen pair and arc per canonical pupil, -1 when nothing was free.

    The places only fill up, so an arc found full stays full: each group keeps a pointer past
    its full arcs (arcs are sorted by distance within a group) and the whole run costs one pass
    over the arcs plus one step per wish.
    """
    n = len(net.problem.pupils)
    state = _State(net)
    pair_start = np.searchsorted(net.pair_pupil, np.arange(n + 1)).tolist()
    pair_group, pair_rank = net.pair_group.tolist(), net.pair_rank.tolist()
    pupil_pair, pupil_arc = [-1] * n, [-1] * n
    for p in order.tolist():
        best, best_key = -1, None
        for pair in range(pair_start[p], pair_start[p + 1]):
            arc = state.first_free(pair_group[pair])
            if arc >= 0:
                key = (state.km[arc], pair_rank[pair], state.offer[arc], state.week[arc])
                if best_key is None or key < best_key:
                    best, best_key = pair, key
                    pupil_arc[p] = arc
        if best >= 0:
            pupil_pair[p] = best
            state.take(pupil_arc[p])
    return np.array(pupil_pair, dtype=np.int64), np.array(pupil_arc, dtype=np.int64)


class _State:
    """Places taken so far per offer-week, as Python lists (the loop runs per pupil)."""

    def __init__(self, net: Network) -> None:
        bounds = net.group_arc_bounds()
        self.pointer = bounds[:-1].tolist()
        self.end = bounds[1:].tolist()
        self.slot = net.arc_slot.tolist()
        self.needs_open = net.arc_open.tolist()
        self.km = net.arc_km.tolist()
        self.offer = net.slots.offer[net.arc_slot].tolist()
        self.week = net.slots.week[net.arc_slot].tolist()
        self.cap = net.slots.cap.tolist()
        self.open = net.slots.open.tolist()
        self.used = [0] * len(net.slots)
        self.used_open = [0] * len(net.slots)

    def full(self, arc: int) -> bool:
        """No place left on this arc's offer-week for this arc's pupils."""
        slot = self.slot[arc]
        if self.used[slot] >= self.cap[slot]:
            return True
        return bool(self.needs_open[arc] and self.used_open[slot] >= self.open[slot])

    def first_free(self, group: int) -> int:
        """The nearest arc of ``group`` with a place, or -1."""
        arc, end = self.pointer[group], self.end[group]
        while arc < end and self.full(arc):
            arc += 1
        self.pointer[group] = arc
        return arc if arc < end else -1

    def take(self, arc: int) -> None:
        slot = self.slot[arc]
        self.used[slot] += 1
        if self.needs_open[arc]:
            self.used_open[slot] += 1
