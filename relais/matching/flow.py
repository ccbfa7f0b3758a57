"""The min-cost flow over the network, solved component by component with OR-tools.

Nodes: pupils ``[0, N)``, wish groups ``[N, N+G)``, slots (offer-weeks) ``[N+G, N+G+K)``,
then one *open* node per slot that has places reserved for priority pupils. Arcs:

- pupil → group (capacity 1, cost: rank cost × W3);
- group → slot, or group → open node for a non-priority group on a slot with reserved
  places (capacity min(group size, places), cost: distance);
- open node → slot (capacity: the places open to everyone);
- per component: pupil → sink (capacity 1, cost W or 2W: left unplaced) and slot → sink
  (capacity: places of that week).

Every arc is passed to OR-tools as whole arrays; no Python loop runs per arc or per pupil.
"""

from __future__ import annotations

import multiprocessing
import resource
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow

from relais.matching.components import connected_components
from relais.matching.network import Network
from relais.matching.tiers import CostOverflowError, check_overflow, make_tiers


@dataclass(frozen=True, eq=False)
class FlowGraph:
    """The arcs shared by every component (the sink arcs are added per component)."""

    n_nodes: int
    n_pupils: int
    pairs: np.ndarray
    tail: np.ndarray
    head: np.ndarray
    cap: np.ndarray
    rank_cost: np.ndarray
    dist_cost: np.ndarray
    pupil_prio: np.ndarray
    slot_node: np.ndarray
    slot_cap: np.ndarray


def build_flow_graph(net: Network, *, unit_km: float, rank_costs: tuple[int, ...]) -> FlowGraph:
    """Number the nodes and lay out the pair, group and open arcs (see the module docstring).

    A pair whose group reaches no offer-week can carry no flow: it is left out of the graph
    (its pupil may still be placed through another wish, or stays on the unplaced arc).
    """
    n, g, k = len(net.problem.pupils), len(net.groups), len(net.slots)
    slots = net.slots
    pairs = np.nonzero(np.bincount(net.arc_group, minlength=g)[net.pair_group] > 0)[0]
    split = np.nonzero((slots.reserved > 0) & (slots.open > 0))[0]
    open_node = np.full(k, -1, dtype=np.int64)
    open_node[split] = n + g + k + np.arange(len(split))
    slot_node = n + g + np.arange(k, dtype=np.int64)
    arc_head = np.where(net.arc_open, open_node[net.arc_slot], slot_node[net.arc_slot])
    n_pairs, n_arcs = len(pairs), len(net.arc_group)
    zeros = np.zeros
    return FlowGraph(
        n_nodes=n + g + k + len(split),
        n_pupils=n,
        pairs=pairs,
        tail=np.concatenate([net.pair_pupil[pairs], n + net.arc_group, open_node[split]]),
        head=np.concatenate([n + net.pair_group[pairs], arc_head, slot_node[split]]),
        cap=np.concatenate(
            [
                np.ones(n_pairs, dtype=np.int64),
                np.minimum(net.groups.size[net.arc_group], slots.cap[net.arc_slot]),
                slots.open[split],
            ]
        ),
        rank_cost=np.concatenate(
            [
                np.asarray(rank_costs, dtype=np.int64)[net.pair_rank[pairs]],
                zeros(n_arcs + len(split)),
            ]
        ).astype(np.int64),
        dist_cost=np.concatenate(
            [zeros(n_pairs), np.rint(net.arc_km / unit_km), zeros(len(split))]
        ).astype(np.int64),
        pupil_prio=net.problem.pupils.priority != 0,
        slot_node=slot_node,
        slot_cap=slots.cap,
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


def solve_flow(graph: FlowGraph, *, workers: int = 1) -> tuple[np.ndarray, dict[str, float]]:
    """Optimal flow on every arc of ``graph``, components solved apart (in parallel if asked).

    Components are packed into batches; a batch is a disjoint union of components, each with
    its own sink and its own cost tiers, so its optimum is the optimum of each component.
    """
    label = connected_components(graph.n_nodes, graph.tail, graph.head)
    comp_ids, comp_of = np.unique(label, return_inverse=True)
    comp_of = comp_of.reshape(-1)
    n_comp = len(comp_ids)
    pupils_in = np.bincount(comp_of[: graph.n_pupils], minlength=n_comp)
    slots_in = np.bincount(comp_of[graph.slot_node], minlength=n_comp)
    live = (pupils_in > 0) & (slots_in > 0)
    batches = _pack(comp_of, live, graph, workers)
    payloads = [_assemble(graph, comp_of, members, pupils_in) for members in batches]
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


def _pack(
    comp_of: np.ndarray, live: np.ndarray, graph: FlowGraph, workers: int
) -> list[np.ndarray]:
    """Live components in batches of similar size, largest first (for the process pool)."""
    size = np.bincount(comp_of, minlength=len(live)) + np.bincount(
        comp_of[graph.tail], minlength=len(live)
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


def _assemble(
    graph: FlowGraph, comp_of: np.ndarray, members: np.ndarray, pupils_in: np.ndarray
) -> Batch:
    """Local arrays of one batch: its arcs, then unplaced arcs, then slot → sink arcs."""
    n_comp = len(pupils_in)
    position = np.full(n_comp, -1, dtype=np.int64)
    position[members] = np.arange(len(members))
    node_pos = position[comp_of]
    nodes = np.nonzero(node_pos >= 0)[0]
    local = np.full(graph.n_nodes, -1, dtype=np.int64)
    local[nodes] = np.arange(len(nodes))
    sink = len(nodes) + np.arange(len(members))
    arcs = np.nonzero(node_pos[graph.tail] >= 0)[0]
    rank_weight, unplaced = _batch_tiers(graph, comp_of, members, pupils_in, arcs, len(nodes))
    arc_comp = node_pos[graph.tail[arcs]]
    pupils = np.nonzero(node_pos[: graph.n_pupils] >= 0)[0]
    p_comp = node_pos[pupils]
    slots = np.nonzero(node_pos[graph.slot_node] >= 0)[0]
    s_comp = node_pos[graph.slot_node[slots]]
    return Batch(
        arcs=arcs,
        tail=np.concatenate(
            [local[graph.tail[arcs]], local[pupils], local[graph.slot_node[slots]]]
        ),
        head=np.concatenate([local[graph.head[arcs]], sink[p_comp], sink[s_comp]]),
        cap=np.concatenate(
            [graph.cap[arcs], np.ones(len(pupils), np.int64), graph.slot_cap[slots]]
        ),
        cost=np.concatenate(
            [
                graph.rank_cost[arcs] * rank_weight[arc_comp] + graph.dist_cost[arcs],
                unplaced[p_comp] * (1 + graph.pupil_prio[pupils]),
                np.zeros(len(slots), dtype=np.int64),
            ]
        ),
        supply_node=np.concatenate([local[pupils], sink]),
        supply=np.concatenate([np.ones(len(pupils), np.int64), -pupils_in[members]]),
    )


def _batch_tiers(
    graph: FlowGraph,
    comp_of: np.ndarray,
    members: np.ndarray,
    pupils_in: np.ndarray,
    arcs: np.ndarray,
    n_nodes: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Per-component tier weights (indexed by position in the batch), overflow-checked."""
    max_dist = np.zeros(len(pupils_in), dtype=np.int64)
    np.maximum.at(max_dist, comp_of[graph.tail[arcs]], graph.dist_cost[arcs])
    max_rank = int(graph.rank_cost.max(initial=0))
    tiers = [make_tiers(pupils_in[c], max_dist[c], max_rank) for c in members.tolist()]
    worst = max(t.max_arc_cost for t in tiers)
    total = max(t.max_arc_cost * int(pupils_in[c]) for t, c in zip(tiers, members, strict=True))
    check_overflow(worst, n_nodes + len(members), total)
    rank_weight = np.array([t.rank_weight for t in tiers], dtype=np.int64)
    unplaced = np.array([t.unplaced for t in tiers], dtype=np.int64)
    return rank_weight, unplaced


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


def max_flow_bound(graph: FlowGraph) -> int:
    """The most pupils any assignment can place: a max flow source → pupils → … → sink.

    Computed by OR-tools' max-flow solver on the same arcs, it is the upper bound the optimal
    engine must reach (tier 1).
    """
    source, sink = graph.n_nodes, graph.n_nodes + 1
    pupils = np.arange(graph.n_pupils, dtype=np.int64)
    tail = np.concatenate([np.full(graph.n_pupils, source), graph.tail, graph.slot_node])
    head = np.concatenate([pupils, graph.head, np.full(len(graph.slot_node), sink)])
    cap = np.concatenate([np.ones(graph.n_pupils, np.int64), graph.cap, graph.slot_cap])
    solver = max_flow.SimpleMaxFlow()
    solver.add_arcs_with_capacity(tail.astype(np.int32), head.astype(np.int32), cap)
    status = solver.solve(source, sink)
    if status != solver.OPTIMAL:
        raise RuntimeError(f"max flow not optimal: {status}")
    return int(solver.optimal_flow())
