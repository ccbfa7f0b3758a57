"""Advice for the pôle: where more places would place the pupils left without one (issue 12).

Every unplaced pupil of an optimal run is explained by their binding reason (``explain``).
For the two reasons that more offers cure, the pupils are gathered by établissement, wished
family and weeks:

- *shortage*: every place of the family within their reach in their weeks is taken. The
  engine placed the most pupils possible (max-flow bound), so each of these offer-weeks is
  saturated on the source side of the minimum cut: ``k`` more places of that family, within
  the smallest distance cap of the group and in one of its weeks, place ``k`` more of them
  (new places that only they reach cannot displace anyone);
- *out of reach*: no offer of the family within their distance cap.

The lines go to the service civique volunteers who prospect companies: the largest groups
first.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from relais.matching.explain import Reason, pair_reasons
from relais.matching.network import Network

MAX_LINES = 30


def _weeks(problem_weeks: np.ndarray, mask: int) -> list[int]:
    return [int(w) for k, w in enumerate(problem_weeks) if (mask >> k) & 1]


def _week_label(weeks: list[int]) -> str:
    labels = [f"{w // 100}-S{w % 100:02d}" for w in weeks]
    return ("la semaine " if len(labels) == 1 else "les semaines ") + ", ".join(labels)


def shortage_advice(
    net: Network, pupil_pair: np.ndarray, pupil_arc: np.ndarray, bottleneck: np.ndarray
) -> list[dict[str, Any]]:
    """Lines of advice, largest groups first (at most ``MAX_LINES``), JSON-ready."""
    problem = net.problem
    reason = pair_reasons(net, pupil_pair, pupil_arc)
    unplaced = pupil_pair[net.pair_pupil] < 0
    useful = unplaced & np.isin(reason, [int(Reason.SHORTAGE), int(Reason.OUT_OF_REACH)])
    # Per pupil, the best-ranked wish among those: shortage before out of reach.
    pairs = np.nonzero(useful)[0]
    order = np.lexsort((net.pair_rank[pairs], -reason[pairs], net.pair_pupil[pairs]))
    pairs = pairs[order]
    pupils = net.pair_pupil[pairs]
    first = np.ones(len(pairs), dtype=bool)
    first[1:] = pupils[1:] != pupils[:-1]
    pairs, pupils = pairs[first], pupils[first]
    group = net.groups
    g = net.pair_group[pairs]
    keys = np.stack(
        [reason[pairs], group.school[g], group.family[g], group.weeks[g].view(np.int64)], axis=1
    ).reshape(-1, 4)
    if not len(keys):
        return []
    unique, inverse = np.unique(keys, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    count = np.bincount(inverse, minlength=len(unique))
    prio = np.bincount(inverse, weights=problem.pupils.priority[pupils] != 0, minlength=len(unique))
    cap = np.full(len(unique), np.inf)
    np.minimum.at(cap, inverse, problem.pupils.max_km[pupils])
    nearest = np.full(len(unique), np.inf)
    np.minimum.at(nearest, inverse, net.group_nearest_km[g])
    saturated = _saturated_per_line(net, g, inverse, len(unique), bottleneck)
    lines = []
    for u in np.lexsort((unique[:, 1], -count))[:MAX_LINES].tolist():
        code, school, family, mask = (int(x) for x in unique[u])
        lines.append(
            _line(
                Reason(code),
                school=problem.schools.ids[school].item(),
                family=problem.families[family],
                weeks=_weeks(problem.weeks, mask & ((1 << 64) - 1)),
                pupils=int(count[u]),
                priority=int(prio[u]),
                within_km=float(cap[u]),
                nearest_km=float(nearest[u]),
                saturated=int(saturated[u]),
            )
        )
    return lines


def _saturated_per_line(
    net: Network, g: np.ndarray, inverse: np.ndarray, n_lines: int, bottleneck: np.ndarray
) -> np.ndarray:
    """Per line, the distinct saturated offer-weeks (min-cut bottlenecks) its pupils reach."""
    bounds = net.group_arc_bounds()
    saturated = np.zeros(n_lines, dtype=np.int64)
    for line in range(n_lines):
        groups = np.unique(g[inverse == line])
        slots = [net.arc_slot[bounds[x] : bounds[x + 1]] for x in groups.tolist()]
        reached = np.unique(np.concatenate(slots)) if slots else np.zeros(0, dtype=np.int64)
        saturated[line] = int(bottleneck[reached].sum())
    return saturated


def _line(reason: Reason, **fields: Any) -> dict[str, Any]:
    """One JSON-ready line with its French sentence."""
    n, km = fields["pupils"], fields["within_km"]
    plural = n > 1
    who = f"{n} élève{'s' if n > 1 else ''} de l'établissement {fields['school']} souhaitant "
    who += f"{fields['family']} {_week_label(fields['weeks'])}"
    if reason is Reason.SHORTAGE:
        verb = "seraient placés" if plural else "serait placé"
        places = f"{n} place{'s' if plural else ''}"
        text = (
            f"{who} {verb} avec {places} de plus à moins de {km:.0f} km "
            f"({fields['saturated']} offre(s)-semaine(s) à portée, toutes prises)."
        )
    else:
        nearest = fields["nearest_km"]
        far = f" (la plus proche à {nearest:.0f} km)" if np.isfinite(nearest) else ""
        verb = "n'ont" if plural else "n'a"
        text = f"{who} {verb} aucune offre à moins de {km:.0f} km{far}."
    fields["nearest_km"] = fields["nearest_km"] if np.isfinite(fields["nearest_km"]) else None
    return {"kind": reason.code, **fields, "text": text}
