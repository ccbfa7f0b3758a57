"""The optimal placement engine: one lexicographic min-cost flow (see ``tiers`` and ``flow``)."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from relais.matching.flow import FlowGraph, build_flow_graph, max_flow_bound, solve_flow
from relais.matching.network import Network, build_network
from relais.matching.problem import MAX_WISHES, PlacementProblem, canonicalize
from relais.matching.result import PlacementResult, build_result


@dataclass(frozen=True)
class SolveOptions:
    """Knobs of the optimal engine.

    - ``distance_unit_km``: resolution of tier 4 (distances are optimised in these steps;
      the cap itself is checked on the exact distance);
    - ``rank_costs``: cost of a placement on wish 1..5 (non-decreasing; the default counts
      ranks, a convex table such as (0, 1, 3, 6, 10) favours first wishes more);
    - ``workers``: processes solving the independent components (1 = in this process).
    """

    distance_unit_km: float = 0.1
    rank_costs: tuple[int, ...] = (0, 1, 2, 3, 4)
    workers: int = 1

    def validate(self) -> None:
        if not self.distance_unit_km > 0:
            raise ValueError("distance_unit_km must be > 0")
        costs = np.asarray(self.rank_costs)
        if len(costs) != MAX_WISHES or np.any(costs < 0) or np.any(np.diff(costs) < 0):
            raise ValueError(f"rank_costs must be {MAX_WISHES} non-decreasing integers >= 0")
        if self.workers < 1:
            raise ValueError("workers must be >= 1")


def solve_optimal(
    problem: PlacementProblem, options: SolveOptions | None = None
) -> PlacementResult:
    """The assignment that, in this order (issue 4):

    1. places the most pupils; 2. among those, places the most priority pupils;
    3. best respects the wishes (least sum of rank costs); 4. minimises travel distance —

    under every rule: capacity per week, weeks of the school's period, level, distance cap,
    accessibility, zone, places reserved for priority pupils. Provably optimal (one min-cost
    flow with non-overlapping cost tiers) and deterministic: rows are put in id order first.
    """
    options = options or SolveOptions()
    options.validate()
    problem.validate()
    clock = _Clock()
    canon = canonicalize(problem)
    net = build_network(canon.problem)
    clock.lap("network_s")
    graph = build_flow_graph(
        net, unit_km=options.distance_unit_km, rank_costs=tuple(options.rank_costs)
    )
    flows, info = solve_flow(graph, workers=options.workers)
    clock.lap("solve_s")
    pupil_pair, pupil_arc = assignment_from_flows(net, graph, flows)
    stats = {**info, **_sizes(net), **clock.laps}
    result = build_result("optimal", canon, net, pupil_pair, pupil_arc, stats, problem)
    clock.lap("explain_s")
    result.stats.update(clock.laps)
    return result


def max_placeable(problem: PlacementProblem) -> int:
    """Upper bound on the pupils any assignment can place (max flow on the same rules)."""
    problem.validate()
    net = build_network(canonicalize(problem).problem)
    return max_flow_bound(build_flow_graph(net, unit_km=1.0, rank_costs=(0,) * MAX_WISHES))


def assignment_from_flows(
    net: Network, graph: FlowGraph, flows: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Chosen pair and arc per canonical pupil (-1 when unplaced).

    The flow says how many pupils of a group go to each offer-week; the pupils of a group are
    interchangeable (same school, hence same distances), so they are matched in id order to
    the group's arcs in (distance, offer id, week) order.
    """
    n_pairs, n_arcs = len(graph.pairs), len(net.arc_group)
    chosen = graph.pairs[flows[:n_pairs] > 0]
    chosen = chosen[np.lexsort((net.pair_pupil[chosen], net.pair_group[chosen]))]
    arc_flow = flows[n_pairs : n_pairs + n_arcs]
    taken = np.repeat(np.arange(n_arcs), arc_flow)
    if len(taken) != len(chosen) or np.any(net.arc_group[taken] != net.pair_group[chosen]):
        raise RuntimeError("flow is not conserved at the wish groups")
    n = len(net.problem.pupils)
    pupil_pair = np.full(n, -1, dtype=np.int64)
    pupil_arc = np.full(n, -1, dtype=np.int64)
    pupil_pair[net.pair_pupil[chosen]] = chosen
    pupil_arc[net.pair_pupil[chosen]] = taken
    return pupil_pair, pupil_arc


def _sizes(net: Network) -> dict[str, int]:
    return {
        "pairs": len(net.pair_pupil),
        "groups": len(net.groups),
        "slots": len(net.slots),
        "arcs": len(net.arc_group),
    }


class _Clock:
    """Wall-clock laps, in seconds."""

    def __init__(self) -> None:
        self.start = self.last = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self.last, 4)
        self.laps["total_s"] = round(now - self.start, 4)
        self.last = now
