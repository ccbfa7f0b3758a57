"""The optimal placement engine: lexicographic min-cost flows (see ``tiers`` and ``flow``)."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from relais.matching.advice import shortage_advice
from relais.matching.bounds import max_flow_bound, min_cut, placeable_per_component
from relais.matching.fairness import Fairness, Policy, choose_targets, summary
from relais.matching.flow import FlowGraph, Plan, build_flow_graph, plan_components, solve_flow
from relais.matching.network import Network, build_network
from relais.matching.problem import MAX_WISHES, PlacementProblem, canonicalize
from relais.matching.result import PlacementResult, build_result
from relais.matching.stability import Previous, changes, keep_arcs


@dataclass(frozen=True)
class SolveOptions:
    """Knobs of the optimal engine.

    - ``policy``: the fairness policy (``fairness.Policy``: parity by default, strict, none);
    - ``hold_reserved``: treat the places reserved for priority pupils as closed to the
      others. Off by default: a run sees every waiting pupil at once and its fairness policy
      protects priority pupils, so a reservation would only cost placements (issue 12);
      reservations protect priority pupils from first-come manual proposals until their
      release date (the proposal service applies that rule);
    - ``distance_unit_km``: resolution of the distance tier (distances are optimised in these
      steps; the cap itself is checked on the exact distance);
    - ``rank_costs``: cost of a placement on wish 1..5 (non-decreasing; the default counts
      ranks, a convex table such as (0, 1, 3, 6, 10) favours first wishes more);
    - ``workers``: processes solving the independent components (1 = in this process).
    """

    policy: Policy | str = Policy.PARITY
    hold_reserved: bool = False
    distance_unit_km: float = 0.1
    rank_costs: tuple[int, ...] = (0, 1, 2, 3, 4)
    workers: int = 1

    def validate(self) -> None:
        if self.policy not in {p.value for p in Policy}:
            raise ValueError(f"policy must be one of {[p.value for p in Policy]}")
        if not self.distance_unit_km > 0:
            raise ValueError("distance_unit_km must be > 0")
        costs = np.asarray(self.rank_costs)
        if len(costs) != MAX_WISHES or np.any(costs < 0) or np.any(np.diff(costs) < 0):
            raise ValueError(f"rank_costs must be {MAX_WISHES} non-decreasing integers >= 0")
        if self.workers < 1:
            raise ValueError("workers must be >= 1")


def solve_optimal(
    problem: PlacementProblem,
    options: SolveOptions | None = None,
    *,
    previous: Previous | None = None,
) -> PlacementResult:
    """The assignment that, in this order (issues 4 and 12):

    1. places the most pupils; 2. places the number of priority pupils the fairness policy
    sets, inside the interval that maximum placements allow; 3. keeps the places of the
    ``previous`` run (``{pupil id: (offer id, week) or None}``) wherever they are still open;
    4. best respects the wishes (least sum of rank costs); 5. minimises travel distance —

    under every rule: capacity per week, weeks of the school's period, level, distance cap,
    accessibility, zone (and reserved places when ``hold_reserved``). Provably optimal (min-cost
    flows with non-overlapping cost tiers and an exact gate) and deterministic: rows are put
    in id order first. ``stats["fairness"]`` gives the interval and where the run sits,
    ``stats["changes"]`` what changed since ``previous``, ``stats["advice"]`` where more places
    would place more pupils.
    """
    options = options or SolveOptions()
    options.validate()
    problem.validate()
    clock = _Clock()
    canon = canonicalize(_engine_view(problem, options))
    net = build_network(canon.problem)
    keep = keep_arcs(net, canon, previous)
    graph = build_flow_graph(
        net, unit_km=options.distance_unit_km, rank_costs=tuple(options.rank_costs), keep=keep
    )
    plan = plan_components(graph)
    clock.lap("network_s")
    flows, info = solve_flow(graph, plan, workers=options.workers)
    clock.lap("solve_s")
    blind_flows, blind_graph = flows, graph
    if len(keep.pupil):  # the targets must not depend on the previous run
        blind_graph = build_flow_graph(
            net, unit_km=options.distance_unit_km, rank_costs=tuple(options.rank_costs)
        )
        blind_flows, _ = solve_flow(blind_graph, plan, workers=options.workers)
    fair = _fairness(Policy(options.policy), blind_graph, plan, blind_flows)
    clock.lap("bounds_s")
    achieved = _placed_per_component(graph, plan, flows)
    redo = np.nonzero(plan.live & (fair.target != achieved))[0]
    if len(redo):
        gate = np.full(len(plan.live), -1, dtype=np.int64)
        gate[redo] = plan.prio_in[redo] - fair.target[redo]
        gated, _ = solve_flow(graph, plan, workers=options.workers, only=redo, gate=gate)
        in_redo = np.isin(plan.comp_of[graph.tail], redo)
        flows = np.where(in_redo, gated, flows)
    clock.lap("fair_solve_s")
    pupil_pair, pupil_arc = assignment_from_flows(net, graph, flows)
    stats: dict[str, Any] = {**info, **_sizes(net), "gated_components": len(redo)}
    result = build_result("optimal", canon, net, pupil_pair, pupil_arc, stats, problem)
    placed_prio = int(result.placed[problem.pupils.priority != 0].sum())
    result.stats["fairness"] = summary(fair, placed_prio)
    _report_changes(result, canon, keep, previous)
    cut = min_cut(graph)
    result.stats["bottleneck_offer_weeks"] = int(cut.bottleneck.sum())
    result.stats["advice"] = shortage_advice(net, pupil_pair, pupil_arc, cut.bottleneck)
    clock.lap("explain_s")
    result.stats.update(clock.laps)
    return result


def _engine_view(problem: PlacementProblem, options: SolveOptions) -> PlacementProblem:
    """The problem as the engine sees it: reservations dropped unless held."""
    if options.hold_reserved:
        return problem
    offers = replace(problem.offers, reserved=np.zeros(len(problem.offers), dtype=np.int64))
    return replace(problem, offers=offers)


def _fairness(policy: Policy, graph: FlowGraph, plan: Plan, flows: np.ndarray) -> Fairness:
    """The interval of priority placements per component, and the policy's targets."""
    placed = _placed_pupils(graph, flows)
    comp = plan.comp_of[: graph.n_pupils]
    n_comp = len(plan.live)
    placed_max = np.bincount(comp[placed], minlength=n_comp)
    prio_blind = np.bincount(comp[placed & graph.pupil_prio], minlength=n_comp)
    if not graph.pupil_prio.any() or graph.pupil_prio.all():
        prio_min = prio_max = prio_blind
    else:
        prio_max = placeable_per_component(graph, plan, graph.pupil_prio)
        prio_min = placed_max - placeable_per_component(graph, plan, ~graph.pupil_prio)
    return choose_targets(
        policy, plan.pupils_in, plan.prio_in, placed_max, prio_min, prio_max, prio_blind
    )


def _placed_per_component(graph: FlowGraph, plan: Plan, flows: np.ndarray) -> np.ndarray:
    """Priority pupils placed by ``flows``, per component."""
    placed = _placed_pupils(graph, flows) & graph.pupil_prio
    comp = plan.comp_of[: graph.n_pupils]
    return np.bincount(comp[placed], minlength=len(plan.live))


def _placed_pupils(graph: FlowGraph, flows: np.ndarray) -> np.ndarray:
    """Placed flag per canonical pupil: flow on one of its pair arcs or on its keep arc."""
    placed = np.zeros(graph.n_pupils, dtype=bool)
    n_pairs = len(graph.pairs)
    pair_pupil = graph.tail[:n_pairs]
    placed[pair_pupil[flows[:n_pairs] > 0]] = True
    placed[graph.keep.pupil[flows[graph.n_base_arcs :] > 0]] = True
    return placed


def _report_changes(
    result: PlacementResult, canon: Any, keep: Any, previous: Previous | None
) -> None:
    """``stats["changes"]`` and ``result.change`` (per pupil) when a previous run is given."""
    if previous is None:
        return
    kept_valid = np.zeros(len(result.placed), dtype=bool)
    kept_valid[canon.pupil_order[keep.pupil]] = True
    kinds, counts = changes(result.problem, result.offer, result.week, previous, kept_valid)
    result.stats["changes"] = counts
    result.change[:] = kinds


def max_placeable(problem: PlacementProblem, options: SolveOptions | None = None) -> int:
    """Upper bound on the pupils any assignment can place (max flow on the same rules)."""
    options = options or SolveOptions()
    problem.validate()
    net = build_network(canonicalize(_engine_view(problem, options)).problem)
    return max_flow_bound(build_flow_graph(net, unit_km=1.0, rank_costs=(0,) * MAX_WISHES))


def assignment_from_flows(
    net: Network, graph: FlowGraph, flows: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Chosen pair and arc per canonical pupil (-1 when unplaced).

    A pupil on a keep arc keeps its previous pair and arc. Otherwise the flow says how many
    pupils of a group go to each offer-week; the pupils of a group are interchangeable for
    the cost (same school, hence same distances), so they are matched to the group's arcs in
    (distance, offer id, week) order: priority pupils first, then in id order. The nearest of
    equally good places go to priority pupils, which costs no one anything and keeps a flag
    from sending a pupil farther (issue 12).
    """
    n_pairs, n_arcs = len(graph.pairs), graph.n_net_arcs
    chosen = graph.pairs[flows[:n_pairs] > 0]
    other = ~graph.pupil_prio[net.pair_pupil[chosen]]
    chosen = chosen[np.lexsort((net.pair_pupil[chosen], other, net.pair_group[chosen]))]
    arc_flow = flows[n_pairs : n_pairs + n_arcs]
    taken = np.repeat(np.arange(n_arcs), arc_flow)
    if len(taken) != len(chosen) or np.any(net.arc_group[taken] != net.pair_group[chosen]):
        raise RuntimeError("flow is not conserved at the wish groups")
    n = len(net.problem.pupils)
    pupil_pair = np.full(n, -1, dtype=np.int64)
    pupil_arc = np.full(n, -1, dtype=np.int64)
    pupil_pair[net.pair_pupil[chosen]] = chosen
    pupil_arc[net.pair_pupil[chosen]] = taken
    kept = flows[graph.n_base_arcs :] > 0
    pupil_pair[graph.keep.pupil[kept]] = graph.keep.pair[kept]
    pupil_arc[graph.keep.pupil[kept]] = graph.keep.arc[kept]
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
