"""Explanations that do not blame priority pupils, and advice from the shortage (issue 12)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from relais.matching import PriorityFlag, ProblemBuilder, Reason, solve_greedy, solve_optimal
from tests.matching.helpers import random_problem

LAT, LON = 43.60, 1.44
KM = 1 / 111.2
W12 = 202612


def test_a_shortage_is_told_as_such_with_advice():
    b = ProblemBuilder()
    b.add_school("0310001A", lat=LAT, lon=LON)
    b.add_offer(10, lat=LAT + 2 * KM, lon=LON, family="D11", levels={"3e"}, capacity={W12: 1})
    for pid, prio in ((1, 0), (2, 0), (3, PriorityFlag.REP)):
        b.add_pupil(
            pid, school="0310001A", level="3e", wishes=["D11"], max_km=12.0, weeks=[W12],
            priority=prio,
        )  # fmt: skip
    result = solve_optimal(b.build())
    unplaced = np.nonzero(~result.placed)[0]
    assert len(unplaced) == 2
    for i in unplaced:
        assert result.reason[i] == Reason.SHORTAGE
        text = result.explain(int(i)).text
        assert "pénurie" in text and "1 place en tout" in text and "prioritaire" not in text
    [line] = result.stats["advice"]
    assert line["kind"] == "shortage" and line["pupils"] == 2 and line["within_km"] == 12.0
    assert line["weeks"] == [W12] and line["family"] == "D11" and line["school"] == "0310001A"
    assert line["text"] == (
        "2 élèves de l'établissement 0310001A souhaitant D11 la semaine 2026-S12 seraient "
        "placés avec 2 places de plus à moins de 12 km (1 offre(s)-semaine(s) à portée, toutes "
        "prises)."
    )
    assert result.stats["bottleneck_offer_weeks"] == 1


def test_out_of_reach_advice_names_the_nearest_offer():
    b = ProblemBuilder()
    b.add_school("S", lat=LAT, lon=LON)
    b.add_offer(10, lat=LAT + 30 * KM, lon=LON, family="D11", levels={"3e"}, capacity={W12: 5})
    b.add_pupil(1, school="S", level="3e", wishes=["D11"], max_km=10.0, weeks=[W12])
    [line] = solve_optimal(b.build()).stats["advice"]
    assert line["kind"] == "out_of_reach"
    assert "n'a aucune offre à moins de 10 km (la plus proche à 30 km)" in line["text"]


def test_no_explanation_blames_priority_pupils():
    for seed in range(20):
        problem = random_problem(seed, n_pupils=80, n_offers=12, n_schools=4, n_weeks=2)
        for result in (solve_optimal(problem), solve_greedy(problem)):
            codes = set(result.reason.tolist()) | set(result.wish_reason.ravel().tolist())
            assert int(Reason.TAKEN_BY_PRIORITY) not in codes
            assert int(Reason.TAKEN_BY_OTHERS) not in codes


@settings(max_examples=30, deadline=None, derandomize=True)
@given(seed=st.integers(0, 10**6))
def test_shortage_advice_is_true(seed):
    """Add the advised places (a new offer at the établissement, of the family, in the first
    advised week): exactly that many more pupils are placed."""
    problem = random_problem(seed, n_pupils=60, n_offers=8, n_schools=3, n_weeks=2)
    result = solve_optimal(problem)
    lines = [line for line in result.stats["advice"] if line["kind"] == "shortage"]
    if not lines:
        return
    line = lines[0]
    school = list(problem.schools.ids).index(line["school"])
    family = problem.families.index(line["family"])
    week = list(problem.weeks).index(line["weeks"][0])
    offers = problem.offers
    capacity = np.zeros((1, len(problem.weeks)), dtype=np.int64)
    capacity[0, week] = line["pupils"]
    more = replace(
        offers,
        ids=np.append(offers.ids, 99_999),
        lat=np.append(offers.lat, problem.schools.lat[school]),
        lon=np.append(offers.lon, problem.schools.lon[school]),
        family=np.append(offers.family, family),
        levels=np.append(offers.levels, np.uint32(0b11)),
        capacity=np.vstack([offers.capacity, capacity]),
        reserved=np.append(offers.reserved, 0),
        accessible=np.append(offers.accessible, True),
    )
    richer = solve_optimal(replace(problem, offers=more))
    assert richer.stats["placed"] == result.stats["placed"] + line["pupils"]
