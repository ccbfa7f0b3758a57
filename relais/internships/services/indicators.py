"""Indicators of the pôles de stages per pôle (bassin) or per school, for one internship year
(« 2025-2026 », from 1 August: ``relais.internships.years``): pupils referred, proposed,
placed, days from referral to placement, companies active (the hosts of the placements); each
split between priority pupils and the others, with the gap (Mesure 1: the pôle is « le réseau
de ceux qui n'en ont pas » — the gap it leaves must be measured to be closed).

Aggregates only: no pupil is named. The scope is the établissements the user reaches.
"""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass, field
from typing import TypedDict

from django.db.models import Exists, OuterRef

from relais.establishments.selectors import establishments_visible_to
from relais.territories.models import bassin_label
from relais.users.scopes import get_reach
from relais.users.types import AnyUser

from ..enums import CaseState
from ..models import PlacementCase, Proposal
from ..years import internship_year_bounds

GROUPS = {"pole": "Pôle (bassin)", "etablissement": "Établissement"}


@dataclass
class Figures:
    referred: int = 0
    proposed: int = 0
    placed: int = 0
    days: list[int] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        return self.placed / self.referred if self.referred else None

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.days) if self.days else None


@dataclass
class Row:
    key: object
    label: str
    priority: Figures = field(default_factory=Figures)
    others: Figures = field(default_factory=Figures)
    companies: set[int] = field(default_factory=set)

    @property
    def all(self) -> Figures:
        return Figures(
            self.priority.referred + self.others.referred,
            self.priority.proposed + self.others.proposed,
            self.priority.placed + self.others.placed,
            self.priority.days + self.others.days,
        )

    @property
    def gap(self) -> float | None:
        """Placement rate of the others minus that of priority pupils, in points (positive:
        priority pupils are worse off)."""
        if self.priority.rate is None or self.others.rate is None:
            return None
        return round(100 * (self.others.rate - self.priority.rate), 1)


class CaseRow(TypedDict):
    """A case as ``indicators`` reads it (``values()``)."""

    state: str
    referred_at: datetime.datetime | None
    placed_at: datetime.datetime | None
    has_proposal: bool
    pupil__qpv: bool
    pupil__disability: bool
    pupil__newly_arrived: bool
    pupil__establishment__priority_education: str
    pupil__establishment_id: int
    pupil__establishment__name: str
    pupil__establishment__bassin_id: int
    pupil__establishment__bassin__name: str
    placement__offer__host_id: int


def indicators(*, user: AnyUser, school_year: str, group: str = "pole") -> list[Row]:
    """One row per pôle or school, then a total row (key None)."""
    start, end = internship_year_bounds(school_year)
    schools = establishments_visible_to(reach=get_reach(user))
    proposed = Proposal.objects.filter(case=OuterRef("pk"))
    cases = (
        PlacementCase.objects.filter(
            pupil__establishment__in=schools, referred_at__gte=start, referred_at__lt=end
        )
        .annotate(has_proposal=Exists(proposed))
        .values(
            "state",
            "referred_at",
            "placed_at",
            "has_proposal",
            "pupil__qpv",
            "pupil__disability",
            "pupil__newly_arrived",
            "pupil__establishment__priority_education",
            "pupil__establishment_id",
            "pupil__establishment__name",
            "pupil__establishment__bassin_id",
            "pupil__establishment__bassin__name",
            "placement__offer__host_id",
        )
    )
    rows: dict[object, Row] = {}
    total = Row(None, "Total")
    for case in cases:
        key, label = _group_of(case, group)
        row = rows.setdefault(key, Row(key, label))
        for target in (row, total):
            _add(target, case)
    ordered = sorted(rows.values(), key=lambda r: r.label)
    return [*ordered, total]


def _group_of(case: CaseRow, group: str) -> tuple[object, str]:
    if group == "etablissement":
        return case["pupil__establishment_id"], case["pupil__establishment__name"]
    name = case["pupil__establishment__bassin__name"]
    return case["pupil__establishment__bassin_id"], bassin_label(name) if name else "Sans bassin"


def _add(row: Row, case: CaseRow) -> None:
    priority = bool(
        case["pupil__establishment__priority_education"]
        or case["pupil__qpv"]
        or case["pupil__disability"]
        or case["pupil__newly_arrived"]
    )
    figures = row.priority if priority else row.others
    figures.referred += 1
    figures.proposed += bool(case["has_proposal"])
    if case["state"] == CaseState.PLACED:
        figures.placed += 1
        placed_at, referred_at = case["placed_at"], case["referred_at"]
        if placed_at is not None and referred_at is not None:  # both set once placed
            figures.days.append((placed_at - referred_at).days)
    if case["placement__offer__host_id"]:
        row.companies.add(case["placement__offer__host_id"])


EXPORT_HEADER = [
    "Groupe",
    "Orientés",
    "Avec proposition",
    "Placés",
    "Taux de placement (%)",
    "Délai médian (jours)",
    "Entreprises actives",
    "Prioritaires orientés",
    "Prioritaires placés",
    "Taux prioritaires (%)",
    "Autres orientés",
    "Autres placés",
    "Taux autres (%)",
    "Écart (points)",
]


def _pct(rate: float | None) -> float | None:
    return None if rate is None else round(100 * rate, 1)


def export_row(row: Row) -> list[str | int | float | None]:
    everyone = row.all
    return [
        row.label,
        everyone.referred,
        everyone.proposed,
        everyone.placed,
        _pct(everyone.rate),
        everyone.median_days,
        len(row.companies),
        row.priority.referred,
        row.priority.placed,
        _pct(row.priority.rate),
        row.others.referred,
        row.others.placed,
        _pct(row.others.rate),
        row.gap,
    ]
