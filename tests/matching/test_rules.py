"""Hand-built tiny cases: one per rule and per tier, with the explanation each pupil gets."""

import pytest

from relais.matching import (
    PriorityFlag,
    ProblemBuilder,
    Reason,
    SolveOptions,
    solve_greedy,
    solve_optimal,
)

LAT, LON = 43.60, 1.44  # Toulouse
KM = 1 / 111.2  # degrees of latitude per km
W12, W13 = 202612, 202613


def world(*schools: str) -> ProblemBuilder:
    builder = ProblemBuilder()
    for k, uai in enumerate(schools or ("0310001A",)):
        builder.add_school(uai, lat=LAT + 10 * k * KM, lon=LON)
    return builder


def offer(builder, id, *, km=1.0, family="D12", weeks=(W12,), places=1, **extra):
    extra.setdefault("levels", {"3e"})
    capacity = {week: places for week in weeks}
    builder.add_offer(id, lat=LAT + km * KM, lon=LON, family=family, capacity=capacity, **extra)


def pupil(builder, id, *, wishes=("D12",), max_km=15.0, weeks=(W12,), **extra):
    extra.setdefault("school", "0310001A")
    extra.setdefault("level", "3e")
    builder.add_pupil(id, wishes=list(wishes), max_km=max_km, weeks=weeks, **extra)


HELD = SolveOptions(hold_reserved=True)


def solve(builder, solver=solve_optimal, options=None):
    result = solver(builder.build()) if options is None else solver(builder.build(), options)
    ids = list(result.problem.pupils.ids)
    return result, {pid: Reason(int(result.reason[ids.index(pid)])) for pid in ids}


def test_capacity_per_week():
    b = world()
    offer(b, 10, places=1, weeks=(W12, W13))
    pupil(b, 1, weeks=(W12,))
    pupil(b, 2, weeks=(W12,))
    pupil(b, 3, weeks=(W13,))
    result, reasons = solve(b)
    assert result.placed.sum() == 2
    assert reasons[3] is Reason.PLACED
    assert sorted(r.name for r in reasons.values()) == ["PLACED", "PLACED", "SHORTAGE"]


def test_dates_must_match_the_school_period():
    b = world()
    offer(b, 10, weeks=(W13,))
    pupil(b, 1, weeks=(W12,))
    result, reasons = solve(b)
    assert reasons[1] is Reason.NO_PLACE_ON_DATES
    assert "aucune place à ses dates" in result.explain(0).text


def test_level():
    b = world()
    offer(b, 10, levels={"2nde"})
    pupil(b, 1, level="3e")
    pupil(b, 2, level="2nde")
    _, reasons = solve(b)
    assert reasons == {1: Reason.NO_OFFER_FOR_LEVEL, 2: Reason.PLACED}


@pytest.mark.parametrize(
    ("max_km", "expected"), [(10.0, Reason.OUT_OF_REACH), (25.0, Reason.PLACED)]
)
def test_distance_cap(max_km, expected):
    b = world()
    offer(b, 10, km=20.0)
    pupil(b, 1, max_km=max_km)
    result, reasons = solve(b)
    assert reasons[1] is expected
    if expected is Reason.OUT_OF_REACH:
        assert "20,0 km" in result.explain(0).text and "10,0 km" in result.explain(0).text


def test_reserved_places_go_to_priority_pupils_only():
    b = world()
    offer(b, 10, places=2, reserved=1)
    pupil(b, 1)
    pupil(b, 2)
    pupil(b, 3, priority=PriorityFlag.QPV)
    result, reasons = solve(b, options=HELD)
    assert reasons[3] is Reason.PLACED
    assert sorted(r.name for r in (reasons[1], reasons[2])) == ["PLACED", "SHORTAGE"]


def test_a_run_does_not_hold_reserved_places_by_default():
    """Issue 12: a reservation never costs a placement in a run (fairness does its work)."""
    b = world()
    offer(b, 10, places=2, reserved=2)
    pupil(b, 1)
    pupil(b, 2, priority=PriorityFlag.QPV)
    result, reasons = solve(b)
    assert reasons == {1: Reason.PLACED, 2: Reason.PLACED}
    _, held = solve(b, options=HELD)
    assert held[1] is Reason.RESERVED_FOR_PRIORITY


def test_a_fully_reserved_offer_is_explained():
    b = world()
    offer(b, 10, places=1, reserved=1)
    pupil(b, 1)
    _, reasons = solve(b, options=HELD)
    assert reasons[1] is Reason.RESERVED_FOR_PRIORITY


def test_accessibility():
    b = world()
    offer(b, 10, accessible=False)
    pupil(b, 1, needs_access=True)
    pupil(b, 2)
    _, reasons = solve(b)
    assert reasons == {1: Reason.NO_ACCESSIBLE_OFFER, 2: Reason.PLACED}


def test_families_and_no_wish():
    b = world()
    offer(b, 10, family="D12")
    pupil(b, 1, wishes=("M18", "J13"))
    pupil(b, 2, wishes=())
    result, reasons = solve(b)
    assert reasons == {1: Reason.NO_OFFER_IN_FAMILIES, 2: Reason.NO_WISH}
    assert result.explain(0).label == "aucune offre dans ses secteurs"


def test_zones_keep_pupils_in_their_pole():
    b = ProblemBuilder()
    b.add_school("A", lat=LAT, lon=LON, zone="16")
    b.add_school("B", lat=LAT, lon=LON + 0.01, zone="11")
    b.add_offer(10, lat=LAT, lon=LON, family="D12", levels={"3e"}, capacity={W12: 5}, zone="11")
    pupil(b, 1, school="A")
    pupil(b, 2, school="B")
    _, reasons = solve(b)
    assert reasons == {1: Reason.NO_OFFER_IN_FAMILIES, 2: Reason.PLACED}


@pytest.mark.parametrize("policy", ["strict", "parity"])
def test_priority_pupils_first_when_places_are_short(policy):
    """Fairness over wishes: one place, one priority pupil and one other; parity ties (100 %
    against 0 % either way) go to the priority pupil, even on their 3rd wish. The other pupil
    is told of a shortage, not that a priority pupil took the place."""
    b = world()
    offer(b, 10, family="D12")
    pupil(b, 1, wishes=("D12",))
    pupil(b, 2, wishes=("A11", "B11", "D12"), priority=PriorityFlag.REP)
    result, reasons = solve(b, options=SolveOptions(policy=policy))
    assert reasons == {1: Reason.SHORTAGE, 2: Reason.PLACED}
    assert result.rank.tolist() == [0, 3]
    assert result.explain(0).text.startswith("Non placé : pénurie")
    assert "prioritaire" not in result.explain(0).text


def test_most_pupils_placed_before_wishes():
    """Tier 1 over tier 3: pupil 1 takes their 2nd wish so that pupil 2 gets a place."""
    b = world()
    offer(b, 10, family="D12")
    offer(b, 11, family="M18")
    pupil(b, 1, wishes=("D12", "M18"))
    pupil(b, 2, wishes=("D12",))
    result, reasons = solve(b)
    assert result.assignment() == {1: (11, W12), 2: (10, W12)}
    assert "vœu n°1 (D12) : pénurie" in result.explain(0).text


def test_wishes_before_distance():
    """Tier 3 over tier 4: the first wish, even farther."""
    b = world()
    offer(b, 10, family="D12", km=14.0)
    offer(b, 11, family="M18", km=0.5)
    pupil(b, 1, wishes=("D12", "M18"))
    result, _ = solve(b)
    assert result.assignment() == {1: (10, W12)}
    assert "vœu n°1" in result.explain(0).text and "14,0 km" in result.explain(0).text


def test_total_distance_is_minimised():
    """Tier 4: two schools 10 km apart, two offers near each; each pupil goes to the near one."""
    b = world("S1", "S2")
    offer(b, 10, km=0.5)
    offer(b, 11, km=10.5)
    pupil(b, 1, school="S1")
    pupil(b, 2, school="S2")
    result, _ = solve(b)
    assert result.assignment() == {1: (10, W12), 2: (11, W12)}
    assert result.distance_km.round(1).tolist() == [0.5, 0.5]


def test_convex_rank_costs_are_honoured():
    """Ranks (1, 3) and (2, 2) tie under linear costs (distance decides: each pupil near their
    school); convex costs (0, 1, 3, 6, 10) prefer two 2nd wishes to a 1st and a 3rd."""
    b = world("S1", "S2")
    offer(b, 10, family="A11", km=0.5)  # near S1
    offer(b, 11, family="C11", km=10.5)  # near S2
    pupil(b, 1, school="S1", wishes=("A11", "C11"))
    pupil(b, 2, school="S2", wishes=("X99", "A11", "C11"))
    linear = solve_optimal(b.build())
    convex = solve_optimal(b.build(), SolveOptions(rank_costs=(0, 1, 3, 6, 10)))
    assert linear.rank.tolist() == [1, 3]
    assert convex.rank.tolist() == [2, 2]


def test_greedy_serves_in_referral_order():
    """The greedy baseline gives the only place to whoever was referred first."""
    b = world()
    offer(b, 10)
    pupil(b, 1, referral=2)
    pupil(b, 2, referral=1, priority=PriorityFlag.NEWLY_ARRIVED)
    pupil(b, 3, wishes=("M18",), referral=0)
    result, reasons = solve(b, solve_greedy)
    assert reasons[2] is Reason.PLACED and reasons[1] is Reason.SHORTAGE
    assert result.method == "greedy"


def test_greedy_takes_the_nearest_place_not_the_first_wish():
    b = world()
    offer(b, 10, family="D12", km=9.0)
    offer(b, 11, family="M18", km=1.0)
    pupil(b, 1, wishes=("D12", "M18"))
    result, _ = solve(b, solve_greedy)
    assert result.assignment() == {1: (11, W12)}
    assert "une offre plus proche a été retenue" in result.explain(0).text


def test_a_wished_family_twice_counts_once():
    b = world()
    offer(b, 10, family="D12")
    pupil(b, 1, wishes=("M18", "D12", "D12"))
    result, reasons = solve(b)
    assert reasons[1] is Reason.PLACED and result.rank.tolist() == [2]
    assert result.wish_reason[0].tolist() == [int(Reason.NO_OFFER_IN_FAMILIES), 0, -1, -1, -1]


def test_explanations_have_stable_codes():
    assert Reason.OUT_OF_REACH.code == "out_of_reach"
    assert Reason.NO_PLACE_ON_DATES.label == "aucune place à ses dates"
    assert Reason.TAKEN_BY_PRIORITY.label == "places prises par des élèves prioritaires"
    assert len({r.code for r in Reason}) == len(Reason)
