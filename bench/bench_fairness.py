"""Benchmark of the fairness, flag-safety and stability of the placement engine (issue 12).

Run by hand (not in CI), niced:

    nice -n 10 .venv/bin/python bench/bench_fairness.py               # 5 seeds of the study
    nice -n 10 .venv/bin/python bench/bench_fairness.py --national    # and the national scale

On the study scenario (``study_scenario.py``: one bassin, 2,244 pupils, 540 priority pupils
in REP collèges farther from the offers, places for 85 %), for each seed, in the same run:

- placed against the max-flow bound, and the priority gap (others' rate − priority rate,
  in points) of the greedy baseline, the engine without fairness rule (``none``), the former
  engine (strict priority holding the reserved places), strict priority, and parity; the
  achievable interval of priority placements among maximum placements;
- what holding the reserved places costs (placements, reserved places left empty);
- flagged pupils worse off: for a sample of priority pupils, solve again with their flag
  removed; count those who are unplaced only with their flag, get a worse wish with it, or
  the same wish farther (by more than the 0.1 km distance step);
- stability: remove one used place (several draws) and solve again with and without the
  previous assignment; count the assignments that changed and the pupils moved between
  placed and unplaced;
- time and peak memory, and the load average (the machine is shared).

``--national`` also times the national generator of ``bench_matching.py`` (100,000 pupils)
under parity and strict (objective: under 60 s on 2 cores). Results: printed, and written
to ``bench/results/fairness.json`` (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from study_scenario import study_problem  # noqa: E402

from relais.matching import (  # noqa: E402
    PlacementProblem,
    PlacementResult,
    SolveOptions,
    max_placeable,
    solve_greedy,
    solve_optimal,
)

RESULTS = ROOT / "bench" / "results" / "fairness.json"
ENGINES = {
    "parity": SolveOptions(),
    "strict": SolveOptions(policy="strict"),
    "none": SolveOptions(policy="none"),
    "former": SolveOptions(policy="strict", hold_reserved=True),
}
KM_STEP = 0.1


def maxrss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def figures(result: PlacementResult, seconds: float) -> dict[str, Any]:
    s = result.stats
    return {
        "seconds": round(seconds, 2),
        "placed": s["placed"],
        "placed_priority": s["placed_priority"],
        "rate_priority": round(100 * s["rate_priority"], 1),
        "rate_other": round(100 * s["rate_non_priority"], 1),
        "gap_points": round(100 * s["priority_gap"], 1),
        "mean_km": round(s["mean_km"], 2),
        "wish_1_pct": round(100 * s["rank_counts"][0] / max(s["placed"], 1), 1),
    }


def empty_reserved(problem: PlacementProblem, result: PlacementResult) -> int:
    """Reserved places nobody took: per offer-week, min(reserved, places left)."""
    offers = problem.offers
    used = np.zeros(offers.capacity.shape, dtype=np.int64)
    placed = np.nonzero(result.placed)[0]
    np.add.at(used, (result.offer[placed], np.searchsorted(problem.weeks, result.week[placed])), 1)
    reserved = np.minimum(offers.reserved[:, None], offers.capacity)
    return int(np.minimum(reserved, offers.capacity - used).sum())


def unflagged(problem: PlacementProblem, i: int) -> PlacementProblem:
    priority = problem.pupils.priority.copy()
    priority[i] = 0
    return replace(problem, pupils=replace(problem.pupils, priority=priority))


def flag_effects(
    problem: PlacementProblem, options: SolveOptions, base: PlacementResult, sample: np.ndarray
) -> dict[str, Any]:
    """Solve again without each sampled pupil's flag; compare their outcome."""
    lost = worse_wish = farther = 0
    farther_km: list[float] = []
    for i in sample.tolist():
        other = solve_optimal(unflagged(problem, i), options)
        if other.placed[i] and not base.placed[i]:
            lost += 1
        elif other.placed[i] and base.placed[i]:
            if base.rank[i] > other.rank[i]:
                worse_wish += 1
            elif base.rank[i] == other.rank[i] and (
                base.distance_km[i] > other.distance_km[i] + KM_STEP
            ):
                farther += 1
                farther_km.append(float(base.distance_km[i] - other.distance_km[i]))
    n = len(sample)
    return {
        "sampled": n,
        "unplaced_because_flagged": lost,
        "worse_wish": worse_wish,
        "farther_same_wish": farther,
        "worse_off_pct": round(100 * (lost + worse_wish + farther) / max(n, 1), 1),
        "farther_max_km": round(max(farther_km), 1) if farther_km else 0.0,
    }


def without_one_place(problem: PlacementProblem, base: PlacementResult, rng) -> PlacementProblem:
    """The problem with one place fewer, on the offer-week of a random placed pupil."""
    victim = int(rng.choice(np.nonzero(base.placed)[0]))
    capacity = problem.offers.capacity.copy()
    capacity[base.offer[victim], np.searchsorted(problem.weeks, base.week[victim])] -= 1
    return replace(problem, offers=replace(problem.offers, capacity=capacity))


def diff(a: PlacementResult, b: PlacementResult) -> tuple[int, int]:
    """Pupils whose (offer, week) differ, and pupils moved between placed and unplaced."""
    changed = int(np.sum((a.offer != b.offer) | (a.week != b.week)))
    return changed, int(np.sum(a.placed != b.placed))


def stability(problem: PlacementProblem, base: PlacementResult, draws: int, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    previous = {pid.item(): base.assignment().get(pid.item()) for pid in problem.pupils.ids}
    fresh_changes, fresh_moves, kept_changes, kept_moves, seconds = [], [], [], [], []
    for _ in range(draws):
        smaller = without_one_place(problem, base, rng)
        fresh = solve_optimal(smaller)
        start = time.perf_counter()
        rerun = solve_optimal(smaller, previous=previous)
        seconds.append(time.perf_counter() - start)
        assert rerun.stats["placed"] == fresh.stats["placed"]
        c, m = diff(base, fresh)
        fresh_changes.append(c)
        fresh_moves.append(m)
        c, m = diff(base, rerun)
        kept_changes.append(c)
        kept_moves.append(m)
    return {
        "draws": draws,
        "without_previous": {"changed": fresh_changes, "placed_unplaced": fresh_moves},
        "with_previous": {"changed": kept_changes, "placed_unplaced": kept_moves},
        "rerun_seconds": round(float(np.mean(seconds)), 2),
    }


def study(seed: int, sample_size: int, draws: int) -> dict[str, Any]:
    problem = study_problem(seed)
    print(f"… seed {seed}", flush=True)
    runs, results = {}, {}
    start = time.perf_counter()
    results["greedy"] = solve_greedy(problem)
    runs["greedy"] = figures(results["greedy"], time.perf_counter() - start)
    for name, options in ENGINES.items():
        start = time.perf_counter()
        results[name] = solve_optimal(problem, options)
        runs[name] = figures(results[name], time.perf_counter() - start)
    parity = results["parity"]
    rng = np.random.default_rng(seed)
    flagged = np.nonzero(problem.pupils.priority != 0)[0]
    sample = np.sort(rng.choice(flagged, min(sample_size, len(flagged)), replace=False))
    return {
        "seed": seed,
        "pupils": len(problem.pupils),
        "priority_pupils": int(len(flagged)),
        "places": int(problem.offers.capacity.sum()),
        "bound": max_placeable(problem),
        "fairness": parity.stats["fairness"],
        "runs": runs,
        "former_reserved_empty": empty_reserved(problem, results["former"]),
        "flags": {
            "parity": flag_effects(problem, ENGINES["parity"], parity, sample),
            "former": flag_effects(problem, ENGINES["former"], results["former"], sample),
        },
        "stability": stability(problem, parity, draws, seed),
        "advice_lines": len(parity.stats["advice"]),
        "advice_first": parity.stats["advice"][:3],
    }


def national(workers: int) -> dict[str, Any]:
    """Time the national generator of bench_matching.py under parity and strict."""
    import bench_matching

    geo = bench_matching.load_geography()
    n_pupils, n_places, academies = bench_matching.SCALES["national"]
    problem = bench_matching.generate(geo, n_pupils, n_places, bench_matching.SEED, academies)
    offers = replace(problem.offers, reserved=np.zeros(len(problem.offers), dtype=np.int64))
    open_to_all = replace(problem, offers=offers)
    out: dict[str, Any] = {"bound": max_placeable(problem)}
    for name in ("parity", "strict"):
        print(f"… national, {name}", flush=True)
        start = time.perf_counter()
        result = solve_optimal(problem, replace(ENGINES[name], workers=workers))
        out[name] = figures(result, time.perf_counter() - start)
        out[name]["steps"] = {k: v for k, v in result.stats.items() if k.endswith("_s")}
        # A run does not hold reservations: check the rules on the problem without them.
        out[name]["violations"] = bench_matching.verify(open_to_all, result)
        out[name]["range"] = result.stats["fairness"]["range"]
    out["memory_mb"] = maxrss_mb()
    return out


def print_study(report: dict[str, Any]) -> None:
    names = ["greedy", "none", "former", "strict", "parity"]
    print(f"\n{'seed':>4} {'bound':>6} " + " ".join(f"{n + ' placed/gap':>20}" for n in names))
    for s in report["study"]:
        cells = [
            f"{s['runs'][n]['placed']:>8} {s['runs'][n]['gap_points']:>+9.1f} pt" for n in names
        ]
        print(f"{s['seed']:>4} {s['bound']:>6} " + " ".join(f"{c:>20}" for c in cells))
    print("\ninterval of priority placements among maximum placements, and where each run sits")
    for s in report["study"]:
        f = s["fairness"]
        print(
            f"  seed {s['seed']}: [{f['range'][0]}, {f['range'][1]}] of {f['priority_pupils']}; "
            f"flag-blind {f['blind']['priority_placed']}, parity {f['target']['priority_placed']}"
            f" (gap {100 * f['target']['gap']:+.1f} pt; at the top of the range "
            f"{100 * f['at_max']['gap']:+.1f} pt)"
        )
    print("\nflagged pupils worse off (sampled, re-solved without their flag)")
    for s in report["study"]:
        for engine, fx in s["flags"].items():
            print(f"  seed {s['seed']} {engine:7}: {fx}")
    print("\nremoving one place: assignments changed (placed↔unplaced)")
    for s in report["study"]:
        st = s["stability"]
        print(
            f"  seed {s['seed']}: without previous {st['without_previous']['changed']} "
            f"({st['without_previous']['placed_unplaced']}); with previous "
            f"{st['with_previous']['changed']} ({st['with_previous']['placed_unplaced']})"
        )
    print(f"\nformer engine: reserved places left empty "
          f"{[s['former_reserved_empty'] for s in report['study']]}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument("--flag-sample", type=int, default=30, help="flagged pupils per seed")
    parser.add_argument("--removals", type=int, default=5, help="places removed per seed")
    parser.add_argument("--national", action="store_true")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    load_before = list(os.getloadavg())
    start = time.perf_counter()
    report: dict[str, Any] = {
        "when": datetime.now().isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "study": [study(seed, args.flag_sample, args.removals) for seed in args.seeds],
    }
    report["study_seconds"] = round(time.perf_counter() - start, 1)
    report["study_memory_mb"] = maxrss_mb()
    if args.national:
        report["national"] = national(args.workers)
    report["load_average"] = {"before": load_before, "after": list(os.getloadavg())}
    print_study(report)
    if args.national:
        print(f"\nnational: {json.dumps(report['national'], ensure_ascii=False)}")
    print(f"peak memory {maxrss_mb()} MB; load average {report['load_average']}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n")
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
