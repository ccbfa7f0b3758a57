"""The placement engine of the pôles de stages: pure Python over NumPy arrays, no Django.

Build a ``PlacementProblem`` (arrays, or ``ProblemBuilder`` row by row), then:

- ``solve_optimal(problem, options, previous=...)``: the assignment that places the most
  pupils, then the number of priority pupils its fairness ``Policy`` sets (parity by default,
  inside the interval maximum placements allow), then keeps the previous run's places, then
  best respects wishes, then minimises distance (min-cost flows with an exact gate);
- ``solve_greedy(problem)``: first come, first served, for comparison;
- ``max_placeable(problem)``: the max-flow upper bound on the number placed.

Both solvers return a ``PlacementResult`` whose ``explain(i)`` says why pupil ``i`` got their
offer, or which rule left them without one (``Reason``: stable code and French label); the
optimal one adds ``stats["fairness"]`` (interval and target), ``stats["changes"]`` (since the
previous run, ``CHANGE_LABELS``) and ``stats["advice"]`` (where more places would help).
"""

from relais.matching.builder import ProblemBuilder, week_code
from relais.matching.engine import SolveOptions, max_placeable, solve_optimal
from relais.matching.explain import Reason
from relais.matching.fairness import POLICY_LABELS, Policy
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
from relais.matching.stability import CHANGE_LABELS, Previous
from relais.matching.tiers import CostOverflowError

__all__ = [
    "CHANGE_LABELS",
    "MAX_WEEKS",
    "MAX_WISHES",
    "CostOverflowError",
    "Explanation",
    "Offers",
    "PlacementProblem",
    "PlacementResult",
    "POLICY_LABELS",
    "Policy",
    "Previous",
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
