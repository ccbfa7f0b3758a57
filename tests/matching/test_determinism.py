"""Same input, same answer: twice in a row, with rows shuffled, and with a process pool."""

from dataclasses import replace

import numpy as np
import pytest

from relais.matching import PlacementProblem, SolveOptions, solve_greedy, solve_optimal
from tests.matching.helpers import random_problem


def shuffled(problem: PlacementProblem, seed: int) -> PlacementProblem:
    """The same problem with schools, pupils and offers in another row order."""
    rng = np.random.default_rng(seed)
    s_perm = rng.permutation(len(problem.schools))
    p_perm = rng.permutation(len(problem.pupils))
    o_perm = rng.permutation(len(problem.offers))
    new_index = np.empty_like(s_perm)
    new_index[s_perm] = np.arange(len(s_perm))

    def take(table, perm):
        return type(table)(
            **{k: None if v is None else np.asarray(v)[perm] for k, v in vars(table).items()}
        )

    pupils = take(problem.pupils, p_perm)
    pupils = replace(pupils, school=new_index[pupils.school])
    return replace(
        problem,
        schools=take(problem.schools, s_perm),
        pupils=pupils,
        offers=take(problem.offers, o_perm),
    )


def outcome(result) -> dict:
    """Per pupil id: offer id, week, rank and reason code."""
    ids, offer_ids = result.problem.pupils.ids, result.problem.offers.ids
    return {
        ids[i].item(): (
            offer_ids[result.offer[i]].item() if result.offer[i] >= 0 else None,
            int(result.week[i]),
            int(result.rank[i]),
            int(result.reason[i]),
        )
        for i in range(len(ids))
    }


def large(seed: int) -> PlacementProblem:
    return random_problem(
        seed, n_pupils=300, n_offers=60, n_schools=12, n_weeks=4, n_families=3, zoned=True
    )


@pytest.mark.parametrize("solver", [solve_optimal, solve_greedy])
def test_same_input_twice(solver):
    problem = large(7)
    first, second = solver(problem), solver(problem)
    assert outcome(first) == outcome(second)
    assert np.array_equal(first.distance_km, second.distance_km, equal_nan=True)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("solver", [solve_optimal, solve_greedy])
def test_shuffled_rows_give_the_same_assignment(seed, solver):
    problem = large(100 + seed)
    assert outcome(solver(problem)) == outcome(solver(shuffled(problem, seed)))


def test_process_pool_gives_the_same_assignment():
    problem = large(11)
    alone = solve_optimal(problem)
    pooled = solve_optimal(problem, SolveOptions(workers=2))
    assert pooled.stats["batches"] > 1
    assert outcome(alone) == outcome(pooled)


def test_ties_are_settled_by_id_order():
    """Two identical pupils, one place: the answer depends on ids, not on row order."""
    problem = random_problem(5, n_pupils=2, n_offers=1, n_schools=1, n_weeks=1, n_families=1)
    pupils = replace(
        problem.pupils,
        wishes=np.array([[0, -1, -1, -1, -1]] * 2),
        level=np.zeros(2, dtype=np.int64),
        priority=np.zeros(2, dtype=np.uint8),
        max_km=np.full(2, 100.0),
        weeks=np.ones(2, dtype=np.uint64),
        needs_access=np.zeros(2, dtype=bool),
    )
    offers = replace(
        problem.offers,
        capacity=np.array([[1]]),
        levels=np.array([1], np.uint32),
        reserved=np.array([0]),
        accessible=np.array([True]),
    )
    problem = replace(problem, pupils=pupils, offers=offers)
    winners = {tuple(solve_optimal(p).assignment()) for p in (problem, shuffled(problem, 1))}
    assert len(winners) == 1
