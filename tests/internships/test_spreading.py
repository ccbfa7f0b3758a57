"""The spreading suggestions of Mesure 2 (pure function), checked by hand and by brute force."""

import itertools
import random

import pytest

from relais.internships.spreading import (
    Block,
    allowed_starts,
    objective,
    suggest_spreading,
    weekly_demand,
)


def test_weekly_demand_counts_every_week_of_a_block():
    blocks = [Block("a", 10, 1, 2), Block("b", 5, 2), Block("c", 3, 5, 3)]
    assert weekly_demand(blocks, 6) == [0, 10, 15, 0, 0, 3]  # c is clipped at the end


def test_three_schools_the_same_week_are_spread():
    blocks = [Block("a", 30, 2), Block("b", 25, 2), Block("c", 20, 2)]
    places = [20] * 6
    result = suggest_spreading(blocks, places, [True] * 6)
    assert result.demand_before == (0, 0, 75, 0, 0, 0)
    assert result.peak_shortfall_before == 55
    assert result.peak_after == 30 and result.peak_shortfall_after == 10
    assert sorted(result.demand_after, reverse=True)[:3] == [30, 25, 20]
    assert {m.key for m in result.moves} == {"b", "c"} or {m.key for m in result.moves} == {
        "a",
        "b",
    }
    # Nearest weeks first: the moved schools go next door.
    assert all(abs(m.to - m.start) == 1 for m in result.moves)


def test_holidays_and_block_length_are_respected():
    blocks = [Block("a", 10, 0, 2), Block("b", 10, 0, 2)]
    allowed = [True, True, False, True, True, True]
    result = suggest_spreading(blocks, [0] * 6, allowed)
    (move,) = result.moves
    assert move.to in allowed_starts(2, allowed) == [0, 3, 4]
    assert move.to == 3
    assert result.demand_after == (10, 10, 0, 10, 10, 0)


def test_no_move_when_nothing_improves():
    result = suggest_spreading([Block("a", 10, 0), Block("b", 10, 1)], [10, 10], [True, True])
    assert result.moves == () and result.demand_after == result.demand_before


def test_places_pull_pupils_towards_the_weeks_that_have_them():
    blocks = [Block("a", 10, 0), Block("b", 10, 0)]
    result = suggest_spreading(blocks, [10, 0, 0, 10], [True] * 4)
    assert [m.to for m in result.moves] == [3]
    assert result.peak_shortfall_after == 0


def test_max_moves_and_each_block_moves_once():
    blocks = [Block(k, 10, 0) for k in "abcdefgh"]
    result = suggest_spreading(blocks, [0] * 10, [True] * 10, max_moves=3)
    assert len(result.moves) == 3 and len({m.key for m in result.moves}) == 3


@pytest.mark.parametrize("seed", range(40))
def test_each_move_is_the_best_single_move_and_improves(seed):
    """Brute force: replaying the moves, each is the best of all single moves available."""
    rng = random.Random(seed)
    weeks = rng.randint(3, 7)
    blocks = [
        Block(k, rng.randint(1, 30), rng.randrange(weeks), 1) for k in range(rng.randint(1, 5))
    ]
    places = [rng.randint(0, 25) for _ in range(weeks)]
    allowed = [rng.random() > 0.2 for _ in range(weeks)]
    result = suggest_spreading(blocks, places, allowed)
    current = list(result.demand_before)
    moved = set()
    for move in result.moves:
        options = []
        for block, to in itertools.product(blocks, range(weeks)):
            if block.key in moved or to == block.start or not allowed[to]:
                continue
            candidate = list(current)
            candidate[block.start] -= block.pupils
            candidate[to] += block.pupils
            options.append(objective(candidate, places))
        best = min(options)
        candidate = list(current)
        candidate[move.start] -= move.pupils
        candidate[move.to] += move.pupils
        assert objective(candidate, places) == best
        assert best < objective(current, places)
        current, moved = candidate, moved | {move.key}
    assert tuple(current) == result.demand_after
    assert result.peak_shortfall_after <= result.peak_shortfall_before


def test_deterministic():
    blocks = [Block(k, 10, 0) for k in "cab"]
    a = suggest_spreading(blocks, [0] * 5, [True] * 5)
    b = suggest_spreading(list(reversed(blocks)), [0] * 5, [True] * 5)
    assert a == b
