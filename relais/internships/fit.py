"""How well a place fits a pupil, for the pôle's manual choices (issue 12, item 6).

The hard rules (published offer, level, accessibility, week of the period, a free place)
are checked by ``services.proposals``; a place that breaks them is not even listed. The
soft rules the engine also applies — the pupil's distance limit and their wishes — are the
pôle's to override, but never silently: each broken one is a warning the pôle confirms.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from relais.matching.geo import haversine_km

from .models import OfferSlot, PlacementCase


@dataclass(frozen=True)
class Fit:
    """Distance from the pupil's school (km, None without coordinates), wish rank (1-based,
    None when the family is not wished) and the warnings, in French."""

    km: float | None
    rank: int | None
    warnings: tuple[str, ...]

    @property
    def label(self) -> str:
        """« 4,2 km, vœu n°2 » and the warnings, for a list of places."""
        parts = ["distance inconnue" if self.km is None else f"{self.km:.1f} km".replace(".", ",")]
        parts.append("hors de ses vœux" if self.rank is None else f"vœu n°{self.rank}")
        text = ", ".join(parts)
        return text + "".join(f" — ⚠ {warning}" for warning in self.warnings)


def fit(case: PlacementCase, slot: OfferSlot) -> Fit:
    """The distance, wish rank and warnings of proposing ``slot`` to ``case``'s pupil."""
    school, offer = case.pupil.establishment, slot.offer
    km = None
    points = (school.latitude, school.longitude, offer.latitude, offer.longitude)
    if None not in points:
        km = float(haversine_km(*(np.asarray(value, dtype=float) for value in points)))
    family = offer.rome.code[:3] if offer.rome_id else ""
    rank = case.wishes.index(family) + 1 if family in case.wishes else None
    warnings = []
    if km is not None and km > case.max_km:
        warnings.append(f"au-delà de sa limite de {case.max_km} km")
    if rank is None:
        warnings.append("aucun de ses vœux")
    return Fit(km=km, rank=rank, warnings=tuple(warnings))


def by_distance(case: PlacementCase, slots) -> list[OfferSlot]:
    """The places sorted: those without warning first, then by distance, offer and week."""
    fits = {slot.pk: fit(case, slot) for slot in slots}

    def key(slot: OfferSlot) -> tuple:
        f = fits[slot.pk]
        return (bool(f.warnings), f.km if f.km is not None else 1e9, slot.offer_id, slot.week)

    return sorted(slots, key=key)
