"""Max-flow bounds on the network: how many pupils any assignment can place, in total or
among a subset of pupils, and the saturated offer-weeks of the minimum cut (the shortage).

The sets of pupils that can be placed together are the independent sets of a matroid, so:

- ``M``, the most pupils placeable, is a max flow from every pupil;
- ``Pmax``, the most priority pupils among maximum placements, is a max flow from the
  priority pupils alone (a largest placeable set of priority pupils extends to a basis);
- ``Pmin = M − (max flow from the other pupils alone)``: the fewest priority pupils a
  maximum placement can hold.

Every count in between is reached by some maximum placement (exchange property), which is
what the fairness gate relies on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import max_flow

from relais.matching.flow import FlowGraph, Plan


@dataclass(frozen=True, eq=False)
class Cut:
    """Per pupil: placed by the max flow; per slot: on the source side of the min cut with
    all its places used (one more place there places one more pupil)."""

    placed: np.ndarray
    bottleneck: np.ndarray


def _solve(
    graph: FlowGraph, only: np.ndarray | None, *, widen: bool = False
) -> tuple[max_flow.SimpleMaxFlow, int, int]:
    """Max flow source → pupils (``only``, default all) → … → sink, on the base arcs.

    ``widen``: group → slot arcs get room for every pupil (the slot → sink arc still caps
    them), so that a full offer-week shows on the source side of the cut, not its arcs.
    """
    source, sink = graph.n_nodes, graph.n_nodes + 1
    pupils = np.arange(graph.n_pupils, dtype=np.int64)
    if only is not None:
        pupils = pupils[only]
    base = graph.n_base_arcs
    tail = np.concatenate([np.full(len(pupils), source), graph.tail[:base], graph.slot_node])
    head = np.concatenate([pupils, graph.head[:base], np.full(len(graph.slot_node), sink)])
    arc_cap = graph.cap[:base].copy()
    if widen:
        n_pairs = len(graph.pairs)
        arc_cap[n_pairs : n_pairs + graph.n_net_arcs] = graph.n_pupils
    cap = np.concatenate([np.ones(len(pupils), np.int64), arc_cap, graph.slot_cap])
    solver = max_flow.SimpleMaxFlow()
    solver.add_arcs_with_capacity(tail.astype(np.int32), head.astype(np.int32), cap)
    status = solver.solve(source, sink)
    if status != solver.OPTIMAL:
        raise RuntimeError(f"max flow not optimal: {status}")
    return solver, len(pupils), len(tail) - len(graph.slot_node)


def max_flow_bound(graph: FlowGraph) -> int:
    """The most pupils any assignment can place (the bound tier 1 must reach)."""
    solver, _, _ = _solve(graph, None)
    return int(solver.optimal_flow())


def placeable_per_component(graph: FlowGraph, plan: Plan, only: np.ndarray) -> np.ndarray:
    """Per component, the most pupils of ``only`` (boolean per pupil) placeable together.

    Components share no arc, so a max flow of the whole network is a max flow of each.
    """
    solver, n_source, _ = _solve(graph, only)
    flows = np.asarray(solver.flows(np.arange(n_source, dtype=np.int32)), dtype=np.int64)
    pupils = np.nonzero(only)[0]
    return np.bincount(plan.comp_of[pupils], weights=flows, minlength=len(plan.pupils_in)).astype(
        np.int64
    )


def min_cut(graph: FlowGraph) -> Cut:
    """The max flow from every pupil and its minimum cut (source side)."""
    solver, n_source, slot_arc0 = _solve(graph, None, widen=True)
    flows = np.asarray(solver.flows(np.arange(n_source, dtype=np.int32)), dtype=np.int64)
    k = len(graph.slot_node)
    slot_flow = np.asarray(
        solver.flows(np.arange(slot_arc0, slot_arc0 + k, dtype=np.int32)), dtype=np.int64
    )
    side = np.zeros(graph.n_nodes + 2, dtype=bool)
    side[np.asarray(solver.get_source_side_min_cut(), dtype=np.int64)] = True
    return Cut(placed=flows > 0, bottleneck=side[graph.slot_node] & (slot_flow >= graph.slot_cap))
