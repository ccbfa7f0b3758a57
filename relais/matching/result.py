"""The output of the engine and of the greedy baseline: one row per pupil, in input order."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from relais.matching.explain import Reason, diagnose
from relais.matching.network import Network
from relais.matching.problem import Canonical, PlacementProblem


@dataclass(frozen=True)
class Explanation:
    """Why a pupil got this offer, or what blocked them: stable ``code``, French ``text``."""

    pupil_id: Any
    code: str
    label: str
    text: str


@dataclass(frozen=True, eq=False)
class PlacementResult:
    """An assignment, aligned with ``problem.pupils`` (the problem as given, not re-ordered).

    - ``offer``: index into ``problem.offers``, -1 when unplaced; ``week``: ISO week code
      ``yyyyww`` (0 when unplaced); ``rank``: 1-based wish rank (0); ``distance_km`` (NaN);
    - ``reason``: a ``Reason`` per pupil; ``wish_reason``: ``(n, 5)`` the reason per wish
      (-1 when no wish, or the family repeats an earlier wish);
    - ``nearest_km``: the nearest offer of the pupil's families (level, access) ignoring the cap;
    - ``places``: places of the pupil's wishes within reach in their weeks (taken or not);
    - ``change``: kind of change since the previous run (``stability.CHANGE_LABELS``, "" when
      no previous run was given);
    - ``stats``: counts, rates and timings (see ``summarize``).
    """

    method: str
    problem: PlacementProblem
    offer: np.ndarray
    week: np.ndarray
    rank: np.ndarray
    distance_km: np.ndarray
    reason: np.ndarray
    wish_reason: np.ndarray
    nearest_km: np.ndarray
    places: np.ndarray
    change: np.ndarray
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def placed(self) -> np.ndarray:
        return self.offer >= 0

    def assignment(self) -> dict[Any, tuple[Any, int]]:
        """``{pupil id: (offer id, ISO week)}`` for the placed pupils."""
        ids, offer_ids = self.problem.pupils.ids, self.problem.offers.ids
        return {
            ids[i].item(): (offer_ids[self.offer[i]].item(), int(self.week[i]))
            for i in np.nonzero(self.placed)[0]
        }

    def explain(self, i: int) -> Explanation:
        """The explanation of the pupil in row ``i``, as a French sentence."""
        reason = Reason(int(self.reason[i]))
        text = _placed_text(self, i) if reason is Reason.PLACED else _unplaced_text(self, i)
        pupil_id = self.problem.pupils.ids[i].item()
        return Explanation(pupil_id=pupil_id, code=reason.code, label=reason.label, text=text)


def build_result(
    method: str,
    canon: Canonical,
    net: Network,
    pupil_pair: np.ndarray,
    pupil_arc: np.ndarray,
    stats: dict[str, Any],
    original: PlacementProblem,
) -> PlacementResult:
    """Turn a canonical assignment (pair and arc per pupil) into a result in input order."""
    diag = diagnose(net, pupil_pair, pupil_arc)
    n = len(pupil_pair)
    placed = pupil_arc >= 0
    arc = pupil_arc[placed]
    offer_c = np.full(n, -1, dtype=np.int64)
    offer_c[placed] = canon.offer_order[net.slots.offer[net.arc_slot[arc]]]
    week_c = np.zeros(n, dtype=np.int64)
    week_c[placed] = np.asarray(net.problem.weeks)[net.slots.week[net.arc_slot[arc]]]
    rank_c = np.zeros(n, dtype=np.int64)
    rank_c[placed] = net.pair_rank[pupil_pair[placed]] + 1
    km_c = np.full(n, np.nan)
    km_c[placed] = net.arc_km[arc]
    back = canon.pupil_order
    result = PlacementResult(
        method=method,
        problem=original,
        offer=_uncanon(offer_c, back),
        week=_uncanon(week_c, back),
        rank=_uncanon(rank_c, back),
        distance_km=_uncanon(km_c, back),
        reason=_uncanon(diag.reason, back),
        wish_reason=_uncanon(diag.wish_reason, back),
        nearest_km=_uncanon(diag.nearest_km, back),
        places=_uncanon(diag.places, back),
        change=np.full(n, "", dtype=object),
        stats=stats,
    )
    result.stats.update(summarize(result))
    return result


def _uncanon(values: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Rows of canonical pupil ``i`` go back to input row ``order[i]``."""
    out = np.empty_like(values)
    out[order] = values
    return out


def summarize(result: PlacementResult) -> dict[str, Any]:
    """Counts and rates, split priority / non-priority (the gap Mesure 1 asks to close).

    ``priority_gap`` is the placement rate of the other pupils minus that of the priority
    pupils: positive when priority pupils are worse off.
    """
    prio = result.problem.pupils.priority != 0
    placed = result.placed
    n_prio, n_other = int(prio.sum()), int((~prio).sum())
    rate_prio = float(placed[prio].mean()) if n_prio else float("nan")
    rate_other = float(placed[~prio].mean()) if n_other else float("nan")
    reasons = np.bincount(result.reason.astype(np.int64), minlength=len(Reason))
    return {
        "pupils": len(placed),
        "placed": int(placed.sum()),
        "priority_pupils": n_prio,
        "placed_priority": int(placed[prio].sum()),
        "rate_priority": rate_prio,
        "rate_non_priority": rate_other,
        "priority_gap": rate_other - rate_prio,
        "mean_km": float(np.nanmean(result.distance_km)) if placed.any() else float("nan"),
        "rank_counts": np.bincount(result.rank[placed], minlength=6)[1:].tolist(),
        "reasons": {Reason(i).code: int(c) for i, c in enumerate(reasons) if c},
    }


def _km(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + " km"


def _week(code: int) -> str:
    return f"{code // 100}-S{code % 100:02d}"


def _wish_family(result: PlacementResult, i: int, rank: int) -> str:
    return result.problem.families[int(result.problem.pupils.wishes[i, rank])]


def _placed_text(result: PlacementResult, i: int) -> str:
    offers, rank = result.problem.offers, int(result.rank[i])
    offer = int(result.offer[i])
    family = result.problem.families[int(offers.family[offer])]
    text = (
        f"Placé sur l'offre {offers.ids[offer]} ({family}), vœu n°{rank}, à "
        f"{_km(result.distance_km[i])} de l'établissement, semaine {_week(int(result.week[i]))}."
    )
    better = _wish_lines(result, i, range(rank - 1))
    return text + (f" Vœux mieux classés : {better}." if better else "")


def _unplaced_text(result: PlacementResult, i: int) -> str:
    reason = Reason(int(result.reason[i]))
    text = f"Non placé : {reason.label}"
    nearest = result.nearest_km[i]
    if reason is Reason.OUT_OF_REACH and np.isfinite(nearest):
        cap = float(result.problem.pupils.max_km[i])
        text += f" (l'offre la plus proche est à {_km(nearest)}, sa limite est {_km(cap)})"
    elif reason is Reason.SHORTAGE:
        places = int(result.places[i])
        text += f" ({places} place{'s' if places > 1 else ''} en tout, le moteur a placé le "
        text += "plus d'élèves possible)"
    lines = _wish_lines(result, i, range(result.wish_reason.shape[1]))
    return text + (f". Par vœu : {lines}." if lines else ".")


def _wish_lines(result: PlacementResult, i: int, ranks: range) -> str:
    parts = []
    for rank in ranks:
        code = int(result.wish_reason[i, rank])
        if code >= 0:
            label = Reason(code).label
            parts.append(f"vœu n°{rank + 1} ({_wish_family(result, i, rank)}) : {label}")
    return " ; ".join(parts)
