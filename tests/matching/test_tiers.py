"""Cost tiers: separated ranges, and the int64 overflow check."""

import pytest

from relais.matching import CostOverflowError, SolveOptions, solve_optimal
from relais.matching.tiers import INT64_MAX, check_overflow, make_tiers
from tests.matching.helpers import random_problem


def test_tiers_do_not_overlap():
    n, d, r = 1000, 400, 4
    tiers = make_tiers(n, d, r)
    assert tiers.rank_weight > n * d  # all distances < one rank step
    assert tiers.unplaced > n * (r * tiers.rank_weight + d)  # all ranks and km < one pupil
    assert tiers.max_arc_cost == tiers.unplaced  # no previous run: no change weight
    assert tiers.change_weight == 0


def test_the_stability_tier_sits_between_placements_and_wishes():
    n, d, r = 1000, 400, 4
    tiers = make_tiers(n, d, r, stability=True)
    assert tiers.change_weight > n * (r * tiers.rank_weight + d)  # wishes and km < one move
    assert tiers.unplaced > n * (tiers.change_weight + r * tiers.rank_weight + d)


def test_a_national_component_fits_in_int64():
    """A big académie: 10,000 pupils, 40 km caps at 100 m, 300,000 nodes."""
    tiers = make_tiers(10_000, 400, 4)
    check_overflow(tiers.max_arc_cost, 300_000, tiers.max_arc_cost * 10_000)


def test_absurd_sizes_raise():
    tiers = make_tiers(10_000_000, 100_000, 10)
    assert tiers.max_arc_cost > INT64_MAX  # Python ints: the check itself cannot overflow
    with pytest.raises(CostOverflowError, match="split the problem"):
        check_overflow(tiers.max_arc_cost, 20_000_000, tiers.max_arc_cost)


def test_total_cost_bound_is_checked():
    with pytest.raises(CostOverflowError, match="total cost"):
        check_overflow(10**6, 10, INT64_MAX + 1)


def test_engine_refuses_a_distance_unit_that_overflows():
    problem = random_problem(3, n_pupils=200, n_offers=40, n_schools=6, n_weeks=2)
    with pytest.raises(CostOverflowError):
        solve_optimal(problem, SolveOptions(distance_unit_km=1e-12))


@pytest.mark.parametrize(
    "options",
    [
        SolveOptions(distance_unit_km=0),
        SolveOptions(rank_costs=(0, 2, 1, 3, 4)),
        SolveOptions(rank_costs=(0, 1)),
        SolveOptions(workers=0),
    ],
)
def test_bad_options(options):
    with pytest.raises(ValueError):
        solve_optimal(random_problem(1), options)
