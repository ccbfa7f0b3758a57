"""The engine against brute force and against the max-flow bound, on random instances.

The brute force of ``helpers`` models the strict policy with reservations held (most pupils,
then most priority pupils, then wishes, then distance); the default parity policy is checked
against it in ``test_fairness``.
"""

import numpy as np
import pytest

from relais.matching import SolveOptions, max_placeable, solve_greedy, solve_optimal
from tests.matching.helpers import (
    brute_force,
    independent_max_flow,
    objective,
    random_problem,
    result_choices,
)

TINY_SEEDS = range(150)
STRICT = SolveOptions(policy="strict", hold_reserved=True)


@pytest.mark.parametrize("seed", TINY_SEEDS)
def test_engine_reaches_the_brute_force_optimum(seed):
    """Full lexicographic order: placed, priority placed, rank costs, distance."""
    problem = random_problem(seed, zoned=seed % 3 == 0)
    result = solve_optimal(problem, STRICT)
    chosen = result_choices(problem, result)
    assert objective(problem, chosen) == brute_force(problem)


@pytest.mark.parametrize("seed", range(20))
def test_brute_force_with_more_weeks_and_schools(seed):
    problem = random_problem(
        1000 + seed, n_pupils=7, n_offers=3, n_schools=3, n_weeks=3, n_families=2
    )
    result = solve_optimal(problem, STRICT)
    assert objective(problem, result_choices(problem, result)) == brute_force(problem)


@pytest.mark.parametrize("seed", range(12))
def test_placed_equals_the_max_flow_bound(seed):
    problem = random_problem(
        2000 + seed,
        n_pupils=120,
        n_offers=40,
        n_schools=8,
        n_weeks=4,
        n_families=4,
        zoned=seed % 2 == 1,
    )
    result = solve_optimal(problem, STRICT)
    result_choices(problem, result)
    bound = independent_max_flow(problem)
    assert int(result.placed.sum()) == bound == max_placeable(problem, STRICT)
    assert int(solve_optimal(problem).placed.sum()) == max_placeable(problem)


@pytest.mark.parametrize("seed", range(12))
def test_priority_placed_equals_the_max_flow_of_priority_pupils(seed):
    """Tier 2 costs nothing to tier 1: the most pupils *and* the most priority pupils.

    The placeable sets form a matroid, so a largest placeable set of priority pupils extends
    to a largest placeable set of pupils; the engine must reach both bounds at once.
    """
    problem = random_problem(3000 + seed, n_pupils=100, n_offers=25, n_schools=6, n_weeks=3)
    result = solve_optimal(problem, STRICT)
    prio = problem.pupils.priority != 0
    assert int(result.placed.sum()) == independent_max_flow(problem)
    assert int(result.placed[prio].sum()) == independent_max_flow(problem, only=prio)


@pytest.mark.parametrize("seed", range(30))
def test_engine_beats_or_equals_greedy(seed):
    problem = random_problem(
        4000 + seed, n_pupils=60, n_offers=15, n_schools=5, n_weeks=3, zoned=seed % 2 == 0
    )
    optimal, greedy = solve_optimal(problem, STRICT), solve_greedy(problem)
    result_choices(problem, greedy)
    prio = problem.pupils.priority != 0
    assert solve_optimal(problem).placed.sum() >= optimal.placed.sum() >= greedy.placed.sum()
    assert optimal.placed[prio].sum() >= greedy.placed[prio].sum()
    assert optimal.stats["placed"] == int(optimal.placed.sum())


def test_engine_strictly_beats_greedy_somewhere():
    """On scarce instances the order of referral costs the greedy baseline placements."""
    gains = []
    for seed in range(30):
        problem = random_problem(4000 + seed, n_pupils=60, n_offers=15, n_schools=5, n_weeks=3)
        gains.append(solve_optimal(problem).placed.sum() - solve_greedy(problem).placed.sum())
    assert max(gains) > 0
    assert np.mean(gains) > 0
