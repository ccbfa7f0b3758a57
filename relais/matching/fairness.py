"""The fairness policy: how many priority pupils a run places, among maximum placements.

Mesure 1 asks the pôles to close the gap between priority pupils (REP/REP+, QPV, disability,
newly arrived) and the others, not to reverse it (issue 12). The engine first places the
most pupils it can (``M``). Among the maximum placements, the number of priority pupils can
be any integer of an interval ``[Pmin, Pmax]`` (``bounds``); the policy picks a target ``T``
in it per zone (a pôle's pupils), and a gate in the network makes it a floor (``flow``): at
least ``T`` priority pupils placed, exactly ``T`` but for exact ties of wishes and distances,
or when a re-run keeps the previous places of a few more:

- ``parity`` (default): the ``T`` whose priority placement rate is closest to the rate of
  the other pupils, never below ``Pblind``, the count of a run that ignores the flags (so a
  flag never lowers a pupil's chances: parity only corrects in favour of priority pupils);
  ties go to the larger ``T``;
- ``strict``: ``T = Pmax``, priority pupils first whenever places are short (the former rule;
  it reverses the gap where priority pupils are many);
- ``none``: ``T = Pblind``, the flags are ignored.

Wishes, then distance, come after: they never change ``M`` nor ``T``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

import numpy as np


class Policy(enum.StrEnum):
    """Fairness policy of a run (stable values for the database and the API)."""

    PARITY = "parity"
    STRICT = "strict"
    NONE = "none"

    @property
    def label(self) -> str:
        """French label shown to the pôle."""
        return POLICY_LABELS[self]


POLICY_LABELS = {
    Policy.PARITY: "parité : même taux de placement pour les élèves prioritaires et les autres",
    Policy.STRICT: "priorité stricte : les élèves prioritaires d'abord",
    Policy.NONE: "sans règle : les élèves prioritaires ne sont pas distingués",
}


@dataclass(frozen=True, eq=False)
class Fairness:
    """Per component (zone): pupils, priority pupils, the most placeable ``placed_max``, the
    interval ``[prio_min, prio_max]``, the flag-blind count and the target."""

    policy: Policy
    pupils: np.ndarray
    priority: np.ndarray
    placed_max: np.ndarray
    prio_min: np.ndarray
    prio_max: np.ndarray
    prio_blind: np.ndarray
    target: np.ndarray


def parity_target(n_prio: int, n_other: int, placed: int, lo: int, hi: int) -> int:
    """The count ``T`` in ``[lo, hi]`` whose rate ``T / n_prio`` is closest to the others'
    rate ``(placed − T) / n_other``; ties go to the larger ``T``."""
    if n_prio == 0 or n_other == 0 or lo >= hi:
        return lo
    ideal = placed * n_prio / (n_prio + n_other)
    best, best_gap = lo, float("inf")
    for t in {
        lo,
        hi,
        min(max(int(np.floor(ideal)), lo), hi),
        min(max(int(np.ceil(ideal)), lo), hi),
    }:
        gap = abs(t / n_prio - (placed - t) / n_other)
        if gap < best_gap - 1e-12 or (abs(gap - best_gap) <= 1e-12 and t > best):
            best, best_gap = t, gap
    return best


def choose_targets(
    policy: Policy,
    pupils: np.ndarray,
    priority: np.ndarray,
    placed_max: np.ndarray,
    prio_min: np.ndarray,
    prio_max: np.ndarray,
    prio_blind: np.ndarray,
) -> Fairness:
    """The target of every component under ``policy`` (module docstring)."""
    if policy is Policy.STRICT:
        target = prio_max.copy()
    elif policy is Policy.NONE:
        target = prio_blind.copy()
    else:
        target = np.array(
            [
                parity_target(int(p), int(n - p), int(m), int(b), int(hi))
                for n, p, m, b, hi in zip(
                    pupils, priority, placed_max, prio_blind, prio_max, strict=True
                )
            ],
            dtype=np.int64,
        )
    return Fairness(
        policy=policy,
        pupils=pupils,
        priority=priority,
        placed_max=placed_max,
        prio_min=prio_min,
        prio_max=prio_max,
        prio_blind=prio_blind,
        target=target,
    )


def _rate(count: int, total: int) -> float | None:
    return count / total if total else None


def _gap(prio: int, placed: int, n_prio: int, n_other: int) -> float | None:
    """Rate of the other pupils minus the rate of the priority pupils (points / 100)."""
    if not n_prio or not n_other:
        return None
    return (placed - prio) / n_other - prio / n_prio


def summary(fair: Fairness, placed_priority: int) -> dict[str, Any]:
    """The run's figures for the pôle: the interval, the flag-blind point and the target,
    each with the priority rate and the gap it gives (``gap``: others' rate − priority rate).
    """
    n, p, m = int(fair.pupils.sum()), int(fair.priority.sum()), int(fair.placed_max.sum())
    lo, hi = int(fair.prio_min.sum()), int(fair.prio_max.sum())
    blind, target = int(fair.prio_blind.sum()), int(fair.target.sum())

    def point(count: int) -> dict[str, Any]:
        return {
            "priority_placed": count,
            "rate_priority": _rate(count, p),
            "rate_non_priority": _rate(m - count, n - p),
            "gap": _gap(count, m, p, n - p),
        }

    return {
        "policy": fair.policy.value,
        "pupils": n,
        "priority_pupils": p,
        "placed_max": m,
        "range": [lo, hi],
        "at_min": point(lo),
        "at_max": point(hi),
        "blind": point(blind),
        "target": point(target),
        "placed_priority": placed_priority,
        "reached": placed_priority >= target,
    }
