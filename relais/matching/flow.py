"""The min-cost flow over the network, solved component by component with OR-tools.

Nodes: pupils ``[0, N)``, wish groups ``[N, N+G)``, slots (offer-weeks) ``[N+G, N+G+K)``,
then one *open* node per slot that has places reserved for priority pupils (only when the
reservations are held, see ``SolveOptions.hold_reserved``). Arcs, in this order:

- pupil → group (capacity 1, cost: rank cost × W3, plus S when the pupil had another place);
- group → slot, or group → open node for a non-priority group on a slot with reserved
  places (capacity min(group size, places), cost: distance);
- open node → slot (capacity: the places open to everyone);
- *keep* arcs pupil → slot of the place a previous run gave the pupil (capacity 1, cost:
  its rank and distance, no S), see ``stability``;
- per component: pupil → sink, or for a priority pupil → *gate* (capacity 1, cost W: left
  unplaced; W + S for a pupil who loses a kept place), gate → sink (capacity: the priority
  pupils the fairness policy may leave unplaced) and slot → sink (capacity: places of that
  week). The gate makes the target a floor: *at least* ``T`` priority pupils placed. The
  cost of the lower tiers is convex in that count with its minimum at the flag-blind count,
  which the target never undercuts, so the optimum sits at ``T`` (beyond it only on an exact
  tie of wishes and distances); and a floor, unlike an exact count, cannot make a flagged
  pupil the one left out to make room for another priority pupil (``fairness``).

A *component* is a connected component of the network, all the components of one zone put
together (the fairness target is set per zone: one pôle's pupils). Every arc is passed to
OR-tools as whole arrays; no Python loop runs per arc or per pupil.
"""

from __future__ import annotations

import multiprocessing
import resource
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from relais.matching.components import connected_components
from relais.matching.network import Network
from relais.matching.tiers import CostOverflowError, check_overflow, make_tiers


@dataclass(frozen=True, eq=False)
class Keep:
    """Previous places still valid: canonical ``pupil``, its ``pair`` and network ``arc``."""

    pupil: np.ndarray
    pair: np.ndarray
    arc: np.ndarray

    @staticmethod
    def none() -> Keep:
        empty = np.zeros(0, dtype=np.int64)
        return Keep(pupil=empty, pair=empty, arc=empty)


@dataclass(frozen=True, eq=False)
class FlowGraph:
    """The arcs shared by every component (the sink arcs are added per component)."""

    n_nodes: int
    n_pupils: int
    n_net_arcs: int
    n_open: int
    pairs: np.ndarray
    keep: Keep
    tail: np.ndarray
    head: np.ndarray
    cap: np.ndarray
    rank_cost: np.ndarray
    dist_cost: np.ndarray
    change: np.ndarray
    pupil_prio: np.ndarray
    pupil_zone: np.ndarray
    slot_node: np.ndarray
    slot_cap: np.ndarray

    @property
    def n_base_arcs(self) -> int:
        """Pair, group and open arcs: the network without the keep arcs."""
        return len(self.pairs) + self.n_net_arcs + self.n_open


def build_flow_graph(
    net: Network, *, unit_km: float, rank_costs: tuple[int, ...], keep: Keep | None = None
) -> FlowGraph:
    """Number the nodes and lay out the pair, group, open and keep arcs (module docstring).

    A pair whose group reaches no offer-week can carry no flow: it is left out of the graph
    (its pupil may still be placed through another wish, or stays on the unplaced arc).
    """
    keep = keep or Keep.none()
    n, g, k = len(net.problem.pupils), len(net.groups), len(net.slots)
    slots = net.slots
    pairs = np.nonzero(np.bincount(net.arc_group, minlength=g)[net.pair_group] > 0)[0]
    split = np.nonzero((slots.reserved > 0) & (slots.open > 0))[0]
    open_node = np.full(k, -1, dtype=np.int64)
    open_node[split] = n + g + k + np.arange(len(split))
    slot_node = n + g + np.arange(k, dtype=np.int64)
    arc_head = np.where(net.arc_open, open_node[net.arc_slot], slot_node[net.arc_slot])
    n_pairs, n_arcs, n_keep = len(pairs), len(net.arc_group), len(keep.pupil)
    costs = np.asarray(rank_costs, dtype=np.int64)
    km_cost = np.rint(net.arc_km / unit_km).astype(np.int64)
    kept = np.zeros(n, dtype=bool)
    kept[keep.pupil] = True
    zeros = np.zeros
    return FlowGraph(
        n_nodes=n + g + k + len(split),
        n_pupils=n,
        n_net_arcs=n_arcs,
        n_open=len(split),
        pairs=pairs,
        keep=keep,
        tail=np.concatenate(
            [net.pair_pupil[pairs], n + net.arc_group, open_node[split], keep.pupil]
        ),
        head=np.concatenate(
            [n + net.pair_group[pairs], arc_head, slot_node[split], arc_head[keep.arc]]
        ),
        cap=np.concatenate(
            [
                np.ones(n_pairs, dtype=np.int64),
                np.minimum(net.groups.size[net.arc_group], slots.cap[net.arc_slot]),
                slots.open[split],
                np.ones(n_keep, dtype=np.int64),
            ]
        ),
        rank_cost=np.concatenate(
            [
                costs[net.pair_rank[pairs]],
                zeros(n_arcs + len(split), dtype=np.int64),
                costs[net.pair_rank[keep.pair]],
            ]
        ),
        dist_cost=np.concatenate(
            [zeros(n_pairs, np.int64), km_cost, zeros(len(split), np.int64), km_cost[keep.arc]]
        ),
        change=np.concatenate(
            [
                kept[net.pair_pupil[pairs]].astype(np.int64),
                zeros(n_arcs + len(split) + n_keep, dtype=np.int64),
            ]
        ),
        pupil_prio=net.problem.pupils.priority != 0,
        pupil_zone=net.problem.pupil_zone(),
        slot_node=slot_node,
        slot_cap=slots.cap,
    )


@dataclass(frozen=True, eq=False)
class Plan:
    """Components (all those of a zone merged): ``comp_of`` per node, and per component the
    pupils, the priority pupils, and whether it has both pupils and places (``live``)."""

    comp_of: np.ndarray
    pupils_in: np.ndarray
    prio_in: np.ndarray
    live: np.ndarray


def plan_components(graph: FlowGraph) -> Plan:
    """Connected components of the network, those of one zone joined together."""
    n = graph.n_pupils
    zone_first = np.full(int(graph.pupil_zone.max(initial=0)) + 1, -1, dtype=np.int64)
    pupils = np.arange(n, dtype=np.int64)
    zone_first[graph.pupil_zone[::-1]] = pupils[::-1]
    link = zone_first[graph.pupil_zone]
    label = connected_components(
        graph.n_nodes, np.concatenate([graph.tail, pupils]), np.concatenate([graph.head, link])
    )
    _, comp_of = np.unique(label, return_inverse=True)
    comp_of = comp_of.reshape(-1).astype(np.int64)
    n_comp = int(comp_of.max(initial=-1)) + 1
    pupils_in = np.bincount(comp_of[:n], minlength=n_comp)
    prio_in = np.bincount(comp_of[:n][graph.pupil_prio], minlength=n_comp)
    slots_in = np.bincount(comp_of[graph.slot_node], minlength=n_comp)
    return Plan(
        comp_of=comp_of, pupils_in=pupils_in, prio_in=prio_in, live=(pupils_in > 0) & (slots_in > 0)
    )


@dataclass(frozen=True, eq=False)
class Batch:
    """Whole components solved by one OR-tools call; arrays in local node numbering."""

    arcs: np.ndarray
    tail: np.ndarray
    head: np.ndarray
    cap: np.ndarray
    cost: np.ndarray
    supply_node: np.ndarray
    supply: np.ndarray


def solve_flow(
    graph: FlowGraph,
    plan: Plan,
    *,
    workers: int = 1,
    only: np.ndarray | None = None,
    gate: np.ndarray | None = None,
) -> tuple[np.ndarray, dict[str, float]]:
    """Optimal flow on every arc of ``graph``, components solved apart (in parallel if asked).

    ``only``: the components to solve (default: every live one; the others get no flow).
    ``gate``: per component, the most priority pupils it may leave unplaced (-1: no gate).
    Components are packed into batches; a batch is a disjoint union of components, each
    with its own sink, gate and cost tiers, so its optimum is the optimum of each.
    """
    live = plan.live.copy()
    if only is not None:
        chosen = np.zeros(len(live), dtype=bool)
        chosen[only] = True
        live &= chosen
    gates = np.full(len(live), -1, dtype=np.int64) if gate is None else gate
    batches = _pack(plan, live, graph, workers)
    payloads = [_assemble(graph, plan, members, gates) for members in batches]
    results, worker_peak_mb = _run(payloads, workers)
    flows = np.zeros(len(graph.tail), dtype=np.int64)
    for payload, batch_flows in zip(payloads, results, strict=True):
        flows[payload.arcs] = batch_flows[: len(payload.arcs)]
    info = {
        "components": int(live.sum()),
        "batches": len(payloads),
        "solved_nodes": sum(int(max(b.tail.max(), b.head.max())) + 1 for b in payloads),
        "solved_arcs": sum(len(b.tail) for b in payloads),
        "worker_peak_mb": round(worker_peak_mb, 1),
    }
    return flows, info


def _pack(plan: Plan, live: np.ndarray, graph: FlowGraph, workers: int) -> list[np.ndarray]:
    """Live components in batches of similar size, largest first (for the process pool)."""
    size = np.bincount(plan.comp_of, minlength=len(live)) + np.bincount(
        plan.comp_of[graph.tail], minlength=len(live)
    )
    order = [int(c) for c in np.argsort(-size, kind="stable") if live[c]]
    target = max(1, int(size[live].sum()) // max(2 * workers, 1))
    batches, current, load = [], [], 0
    for comp in order:
        current.append(comp)
        load += int(size[comp])
        if load >= target:
            batches.append(np.array(current, dtype=np.int64))
            current, load = [], 0
    if current:
        batches.append(np.array(current, dtype=np.int64))
    return batches


def _assemble(graph: FlowGraph, plan: Plan, members: np.ndarray, gates: np.ndarray) -> Batch:
    """Local arrays of one batch: its arcs, then unplaced arcs, then slot → sink arcs."""
    comp_of = plan.comp_of
    position = np.full(len(plan.pupils_in), -1, dtype=np.int64)
    position[members] = np.arange(len(members))
    node_pos = position[comp_of]
    nodes = np.nonzero(node_pos >= 0)[0]
    local = np.full(graph.n_nodes, -1, dtype=np.int64)
    local[nodes] = np.arange(len(nodes))
    sink = len(nodes) + np.arange(len(members))
    gated = gates[members]
    gate_node = np.where(gated >= 0, len(nodes) + len(members) + np.arange(len(members)), sink)
    arcs = np.nonzero(node_pos[graph.tail] >= 0)[0]
    tiers = _batch_tiers(graph, plan, members, arcs, len(nodes) + 2 * len(members))
    arc_comp = node_pos[graph.tail[arcs]]
    pupils = np.nonzero(node_pos[: graph.n_pupils] >= 0)[0]
    p_comp = node_pos[pupils]
    slots = np.nonzero(node_pos[graph.slot_node] >= 0)[0]
    s_comp = node_pos[graph.slot_node[slots]]
    unplaced_head = np.where(graph.pupil_prio[pupils], gate_node[p_comp], sink[p_comp])
    absorbed = np.maximum(gated, 0)
    rank_w, change_w, unplaced_w = tiers
    kept = np.zeros(graph.n_pupils, dtype=np.int64)
    kept[graph.keep.pupil] = 1  # losing a kept place costs S too, whether moved or unplaced
    gated_pos = np.nonzero(gated >= 0)[0]
    return Batch(
        arcs=arcs,
        tail=np.concatenate(
            [
                local[graph.tail[arcs]],
                local[pupils],
                local[graph.slot_node[slots]],
                gate_node[gated_pos],
            ]
        ),
        head=np.concatenate(
            [local[graph.head[arcs]], unplaced_head, sink[s_comp], sink[gated_pos]]
        ),
        cap=np.concatenate(
            [
                graph.cap[arcs],
                np.ones(len(pupils), np.int64),
                graph.slot_cap[slots],
                absorbed[gated_pos],
            ]
        ),
        cost=np.concatenate(
            [
                graph.rank_cost[arcs] * rank_w[arc_comp]
                + graph.change[arcs] * change_w[arc_comp]
                + graph.dist_cost[arcs],
                unplaced_w[p_comp] + change_w[p_comp] * kept[pupils],
                np.zeros(len(slots) + len(gated_pos), dtype=np.int64),
            ]
        ),
        supply_node=np.concatenate([local[pupils], sink]),
        supply=np.concatenate([np.ones(len(pupils), np.int64), -plan.pupils_in[members]]),
    )


def _batch_tiers(
    graph: FlowGraph, plan: Plan, members: np.ndarray, arcs: np.ndarray, n_nodes: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-component tier weights (indexed by position in the batch), overflow-checked."""
    pupils_in = plan.pupils_in
    max_dist = np.zeros(len(pupils_in), dtype=np.int64)
    np.maximum.at(max_dist, plan.comp_of[graph.tail[arcs]], graph.dist_cost[arcs])
    max_rank = int(graph.rank_cost.max(initial=0))
    stability = len(graph.keep.pupil) > 0
    tiers = [
        make_tiers(pupils_in[c], max_dist[c], max_rank, stability=stability)
        for c in members.tolist()
    ]
    worst = max(t.max_arc_cost for t in tiers)
    total = max(t.max_arc_cost * int(pupils_in[c]) for t, c in zip(tiers, members, strict=True))
    check_overflow(worst, n_nodes, total)
    return (
        np.array([t.rank_weight for t in tiers], dtype=np.int64),
        np.array([t.change_weight for t in tiers], dtype=np.int64),
        np.array([t.unplaced for t in tiers], dtype=np.int64),
    )


def solve_batch(batch: Batch) -> np.ndarray:
    """One OR-tools min-cost flow call; the flow on each arc of the batch, in order."""
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(
        batch.tail.astype(np.int32),
        batch.head.astype(np.int32),
        batch.cap.astype(np.int64),
        batch.cost.astype(np.int64),
    )
    solver.set_nodes_supplies(batch.supply_node.astype(np.int32), batch.supply.astype(np.int64))
    status = solver.solve()
    if status == solver.BAD_COST_RANGE:
        raise CostOverflowError("OR-tools reported BAD_COST_RANGE (node potentials overflow)")
    if status != solver.OPTIMAL:
        raise RuntimeError(f"min-cost flow not optimal: {status}")
    return np.asarray(solver.flows(np.arange(len(batch.tail), dtype=np.int32)), dtype=np.int64)


def _run(payloads: list[Batch], workers: int) -> tuple[list[np.ndarray], float]:
    """Solve the batches, in a process pool when ``workers > 1`` (results in input order).

    Also returns the peak resident memory of the pool's processes in MB (0 without a pool).
    """
    if workers <= 1 or len(payloads) <= 1:
        return [solve_batch(batch) for batch in payloads], 0.0
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=min(workers, len(payloads)), mp_context=context) as pool:
        answers = list(pool.map(_solve_and_measure, payloads))
    return [flows for flows, _ in answers], max(peak for _, peak in answers)


def _solve_and_measure(batch: Batch) -> tuple[np.ndarray, float]:
    """``solve_batch`` in a pool worker, with the worker's peak memory in MB (Linux: kB)."""
    flows = solve_batch(batch)
    return flows, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
