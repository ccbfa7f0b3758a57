"""The placement engine of the pôles de stages: pure Python over NumPy arrays, no Django.

Build a ``PlacementProblem`` (arrays, or ``ProblemBuilder`` row by row), then:

- ``solve_optimal(problem)``: the assignment that places the most pupils, then the most
  priority pupils, then best respects wishes, then minimises distance (one min-cost flow);
- ``solve_greedy(problem)``: first come, first served, for comparison;
- ``max_placeable(problem)``: the max-flow upper bound on the number placed.

Both solvers return a ``PlacementResult`` whose ``explain(i)`` says why pupil ``i`` got their
offer, or which rule left them without one (``Reason``: stable code and French label).
"""

from relais.matching.builder import ProblemBuilder, week_code
from relais.matching.engine import SolveOptions, max_placeable, solve_optimal
from relais.matching.explain import Reason
from relais.matching.greedy import solve_greedy
from relais.matching.problem import (
    MAX_WEEKS,
    MAX_WISHES,
    Offers,
    PlacementProblem,
    PriorityFlag,
    Pupils,
    Schools,
)
from relais.matching.result import Explanation, PlacementResult
from relais.matching.tiers import CostOverflowError

__all__ = [
    "MAX_WEEKS",
    "MAX_WISHES",
    "CostOverflowError",
    "Explanation",
    "Offers",
    "PlacementProblem",
    "PlacementResult",
    "PriorityFlag",
    "ProblemBuilder",
    "Pupils",
    "Reason",
    "Schools",
    "SolveOptions",
    "max_placeable",
    "solve_greedy",
    "solve_optimal",
    "week_code",
]
