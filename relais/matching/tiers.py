"""The lexicographic objective as cost tiers whose ranges do not overlap.

The engine minimises, in this order (issues 4 and 12):

1. the number of pupils left unplaced;
2. fairness: the number of priority pupils placed is fixed *exactly* to the policy's target
   by a gate in the network (``fairness``), so it needs no cost tier;
3. stability: the number of pupils moved off the place a previous run gave them (only when
   a previous assignment is given);
4. the sum of the wish-rank costs of the placed pupils (``rank_costs[rank]``, 0 for wish 1);
5. the sum of the distances school → offer of the placed pupils (in ``unit_km`` steps).

One min-cost flow does it, with integer costs on a component of ``n`` pupils where ``d`` is
the largest distance cost of an arc and ``r`` the largest rank cost:

- a placed pupil pays ``moved × S + rank_cost × W3 + distance`` with ``W3 = n·d + 1`` (the
  distances of all pupils together never outweigh one step of rank) and
  ``S = n·(r·W3 + d) + 1`` (all wishes and distances never outweigh keeping one pupil);
  without a previous assignment ``S`` is not used;
- an unplaced pupil pays ``W = n·(S + r·W3 + d) + 1`` (plus ``S`` if they lose a kept
  place): more than anything the lower tiers can change.

Why ``W`` ranks tier 1 first: the sets of pupils that can be placed together are the
independent sets of a matroid (a gammoid of the network); an optimum that placed fewer pupils
than possible could add one (matroid augmentation), gaining ``W`` for a loss below ``W``. With
the fairness gate the same holds for every target inside the achievable interval (exchange
property of the bases: every priority count between the least and the most is reached by a
maximum placement). The brute-force tests check both on random instances.

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
    """Cost weights of one component: ``rank_weight`` (W3), ``change_weight`` (S, 0 when no
    previous assignment is kept) and ``unplaced`` (W)."""

    rank_weight: int
    change_weight: int
    unplaced: int

    @property
    def max_arc_cost(self) -> int:
        """The costliest arc: leaving a pupil unplaced who loses a kept place."""
        return self.unplaced + self.change_weight


def make_tiers(
    n_pupils: int, max_distance_cost: int, max_rank_cost: int, *, stability: bool = False
) -> Tiers:
    """Weights for a component of ``n_pupils`` (see the module docstring), exact integers."""
    n, d, r = int(n_pupils), int(max_distance_cost), int(max_rank_cost)
    rank_weight = n * d + 1
    lower = r * rank_weight + d
    change_weight = n * lower + 1 if stability else 0
    unplaced = n * (change_weight + lower) + 1
    return Tiers(rank_weight=rank_weight, change_weight=change_weight, unplaced=unplaced)


def check_overflow(max_arc_cost: int, n_nodes: int, max_total_cost: int) -> None:
    """Raise ``CostOverflowError`` when OR-tools could not scale these costs in int64.

    ``max_arc_cost`` is the largest arc cost of one solver call over ``n_nodes`` nodes;
    ``max_total_cost`` bounds its objective (every pupil unplaced).
    """
    threshold = INT64_MAX // (2 * (int(n_nodes) + 1))
    if max_arc_cost > threshold:
        raise CostOverflowError(
            f"arc cost {max_arc_cost} exceeds {threshold}, the int64 limit of OR-tools "
            f"for {n_nodes} nodes: split the problem by zone or use a coarser distance unit"
        )
    if max_total_cost > INT64_MAX:
        raise CostOverflowError(f"total cost bound {max_total_cost} exceeds int64")
