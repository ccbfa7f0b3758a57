"""The input API: builder, validation, components, and the promise of no Django import."""

import ast
import datetime
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from relais.matching import ProblemBuilder, max_placeable, solve_greedy, solve_optimal, week_code
from relais.matching.components import connected_components
from relais.matching.geo import haversine_km
from tests.matching.helpers import km_between, random_problem

PACKAGE = Path(__file__).resolve().parents[2] / "relais" / "matching"


def test_the_engine_imports_no_django():
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(name.split(".")[0] == "django" for name in names), path


def test_week_code():
    assert week_code(datetime.date(2026, 3, 16)) == 202612
    assert week_code(datetime.date(2027, 1, 1)) == 202653


def test_builder_makes_indices_and_masks():
    b = ProblemBuilder()
    b.add_school("0310001A", lat=43.6, lon=1.44)
    b.add_offer(7, lat=43.6, lon=1.45, family="M18", levels={"3e", "2nde"}, capacity={202613: 2})
    b.add_pupil(1, school="0310001A", level="3e", wishes=["M18", "D12"], max_km=10, weeks=[202613])
    problem = b.build()
    assert problem.families == ("D12", "M18")
    assert problem.levels == ("2nde", "3e")
    assert problem.weeks.tolist() == [202613]
    assert problem.pupils.wishes[0].tolist() == [1, 0, -1, -1, -1]
    assert problem.offers.levels.tolist() == [0b11]
    assert problem.pupils.weeks.tolist() == [1]
    assert solve_optimal(problem).assignment() == {1: (7, 202613)}


def test_builder_errors():
    b = ProblemBuilder()
    b.add_school("A", lat=43.6, lon=1.44)
    with pytest.raises(ValueError, match="at most 5 wishes"):
        b.add_pupil(1, school="A", level="3e", wishes=list("abcdef"), max_km=5, weeks=[1])
    b.add_pupil(1, school="B", level="3e", wishes=["D12"], max_km=5, weeks=[202612])
    with pytest.raises(ValueError, match="unknown school"):
        b.build()


def test_builder_refuses_more_than_64_weeks():
    b = ProblemBuilder()
    b.add_school("A", lat=43.6, lon=1.44)
    b.add_offer(
        1, lat=43.6, lon=1.4, family="D12", levels={"3e"}, capacity=dict.fromkeys(range(65), 1)
    )
    with pytest.raises(ValueError, match="64 weeks"):
        b.build()


def test_builder_refuses_half_zoned_input():
    b = ProblemBuilder()
    b.add_school("A", lat=43.6, lon=1.44, zone="16")
    b.add_offer(1, lat=43.6, lon=1.4, family="D12", levels={"3e"}, capacity={1: 1})
    with pytest.raises(ValueError, match="zone"):
        b.build()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("school", np.array([0, 99, 0, 0, 0, 0]), "pupils.school"),
        ("max_km", np.array([1.0, -1, 1, 1, 1, 1]), "max_km"),
        ("wishes", np.full((6, 4), -1), r"\(n, 5\)"),
        ("ids", np.array([1, 1, 2, 3, 4, 5]), "unique"),
        ("weeks", np.ones(6, dtype=np.int64), "uint64"),
    ],
)
def test_validation_names_the_bad_array(field, value, message):
    problem = random_problem(0)
    bad = replace(problem, pupils=replace(problem.pupils, **{field: value}))
    with pytest.raises(ValueError, match=message):
        solve_optimal(bad)


def test_haversine_matches_a_known_distance():
    # Toulouse Capitole → Montpellier Comédie ≈ 196 km as the crow flies.
    km = haversine_km(43.6045, 1.4440, 43.6086, 3.8797)
    assert km == pytest.approx(196.0, abs=1.0)
    assert km == pytest.approx(km_between(43.6045, 1.4440, 43.6086, 3.8797))


def test_connected_components():
    tails = np.array([0, 2, 5, 6, 4])
    heads = np.array([1, 3, 6, 7, 5])
    labels = connected_components(9, tails, heads)
    assert labels.tolist() == [0, 0, 2, 2, 4, 4, 4, 4, 8]


def test_connected_components_of_a_long_chain():
    rng = np.random.default_rng(0)
    order = rng.permutation(5000)
    labels = connected_components(5000, order[:-1], order[1:])
    assert np.all(labels == 0)


def test_empty_and_degenerate_inputs():
    empty = ProblemBuilder().build()
    assert solve_optimal(empty).stats["placed"] == 0
    assert max_placeable(empty) == 0
    b = ProblemBuilder()
    b.add_school("A", lat=43.6, lon=1.44)
    b.add_pupil(1, school="A", level="3e", wishes=["D12"], max_km=5, weeks=[])
    b.add_offer(3, lat=43.6, lon=1.44, family="D12", levels={"3e"}, capacity={202612: 0})
    for solver in (solve_optimal, solve_greedy):
        result = solver(b.build())
        assert result.explain(0).code == "no_place_on_dates"


def test_chunked_blocks_find_the_same_arcs(monkeypatch):
    """Large blocks go by latitude bands; forcing tiny chunks must not change the answer."""
    from relais.matching import network

    problem = random_problem(42, n_pupils=300, n_offers=80, n_schools=30, n_weeks=3, n_families=2)
    stretch = 15.0  # 450 km north to south: the bands leave most offers out of each chunk
    problem = replace(
        problem,
        schools=replace(problem.schools, lat=43.6 + (problem.schools.lat - 43.6) * stretch),
        offers=replace(problem.offers, lat=43.6 + (problem.offers.lat - 43.6) * stretch),
    )
    whole = solve_optimal(problem)
    assert whole.placed.sum() > 20
    monkeypatch.setattr(network, "BLOCK_CELLS", 16)
    chunked = solve_optimal(problem)
    assert chunked.assignment() == whole.assignment()
    assert np.array_equal(chunked.reason, whole.reason)
    near = whole.nearest_km <= problem.pupils.max_km + network.NEAREST_MARGIN_KM
    assert np.array_equal(chunked.nearest_km[near], whole.nearest_km[near])
