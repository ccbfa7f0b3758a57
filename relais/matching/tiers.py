"""The lexicographic objective as cost tiers whose ranges do not overlap.

The engine minimises, in this order (issue 4):

1. the number of pupils left unplaced;
2. the number of *priority* pupils left unplaced;
3. the sum of the wish-rank costs of the placed pupils (``rank_costs[rank]``, 0 for wish 1);
4. the sum of the distances school → offer of the placed pupils (in ``unit_km`` steps).

One min-cost flow does it, with integer costs on a component of ``n`` pupils where ``d`` is
the largest distance cost of an arc and ``r`` the largest rank cost:

- a placed pupil pays ``rank_cost × W3 + distance`` with ``W3 = n·d + 1``: the distances of
  all pupils together never outweigh one step of rank (tier 3 over tier 4);
- an unplaced pupil pays ``W`` (``2W`` if priority) with ``W = n·(r·W3 + d) + 1``: more
  than anything tiers 3 and 4 can change.

Why ``W`` and ``2W`` rank tier 1 over tier 2 without a factor ``n`` between them: the sets of
pupils that can be placed together are the independent sets of a matroid (a gammoid of the
network). An optimum that placed fewer pupils than possible could add one pupil (matroid
augmentation), gaining at least ``W`` for a loss below ``W``; an optimum that placed as
many but fewer priority pupils could swap one non-priority pupil for one priority pupil
(single exchange between bases of different weight), gaining ``W`` again. So the minimum of
this cost is the lexicographic optimum; the brute-force tests check it on random instances.
The same matroid argument shows that tiers 1 and 2 never conflict: the optimum places as many
priority pupils as could ever be placed, at no cost in total placements (tested too).

Integers are checked before the solve: OR-tools multiplies every cost by (nodes + 1) and
refuses an arc cost above ``INT64_MAX / (2·(nodes + 1))``; the total cost must fit int64.
"""

from __future__ import annotations

from dataclasses import dataclass

INT64_MAX = (1 << 63) - 1


class CostOverflowError(OverflowError):
    """The cost tiers of a component do not fit in int64: split the problem (zones) or use a
    coarser distance unit."""


@dataclass(frozen=True)
class Tiers:
    """Cost weights of one component: ``rank_weight`` (W3) and ``unplaced`` (W)."""

    rank_weight: int
    unplaced: int

    @property
    def max_arc_cost(self) -> int:
        """The costliest arc: leaving a priority pupil unplaced."""
        return 2 * self.unplaced


def make_tiers(n_pupils: int, max_distance_cost: int, max_rank_cost: int) -> Tiers:
    """Weights for a component of ``n_pupils`` (see the module docstring), exact integers."""
    n, d, r = int(n_pupils), int(max_distance_cost), int(max_rank_cost)
    rank_weight = n * d + 1
    unplaced = n * (r * rank_weight + d) + 1
    return Tiers(rank_weight=rank_weight, unplaced=unplaced)


def check_overflow(max_arc_cost: int, n_nodes: int, max_total_cost: int) -> None:
    """Raise ``CostOverflowError`` when OR-tools could not scale these costs in int64.

    ``max_arc_cost`` is the largest arc cost of one solver call over ``n_nodes`` nodes;
    ``max_total_cost`` bounds its objective (every pupil unplaced, priority).
    """
    threshold = INT64_MAX // (2 * (int(n_nodes) + 1))
    if max_arc_cost > threshold:
        raise CostOverflowError(
            f"arc cost {max_arc_cost} exceeds {threshold}, the int64 limit of OR-tools "
            f"for {n_nodes} nodes: split the problem by zone or use a coarser distance unit"
        )
    if max_total_cost > INT64_MAX:
        raise CostOverflowError(f"total cost bound {max_total_cost} exceeds int64")
