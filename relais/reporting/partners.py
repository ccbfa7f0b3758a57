"""The national partners' view (issue 11, item 2): a national agreement (MEDEF, UIMM,
CPME…), its declinations in every académie and région académique — the missing ones
named — and its commitments planned against achieved nationwide, the achieved computed
from what Relais records of the partner's network (the organisations that are parties and
their regional and local branches): conseillers in mission, stages offered and placements,
teachers' immersions, actions done. A commitment of another nature is shown as planned
only: Relais does not record it.

The year is that of ``measures.year_bounds`` (1 August to 31 July).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from relais.actions.models import ActionRecord
from relais.agreements.enums import (
    AgreementKind,
    AgreementScope,
    AgreementState,
    CommitmentCategory,
    PartySide,
)
from relais.agreements.models import Agreement, Commitment
from relais.internships.models import InternshipOffer, OfferSlot, Placement
from relais.juries.selectors import attended_count
from relais.organisations.models import Organisation
from relais.territories.models import Academie
from relais.volunteers.enums import AdvisorState, ImmersionState
from relais.volunteers.models import Advisor, ImmersionApplication

from .measures import year_bounds

LIVE = [AgreementState.IN_FORCE, AgreementState.TERMINATED]
STATUS_LABELS = {
    "academie": "Déclinée dans l'académie",
    "region": "Déclinée dans la région académique",
    "pending": "Déclinaison en préparation",
    "missing": "Pas de déclinaison",
}
STATUS_COLOURS = {
    "academie": "#18753c",
    "region": "#68a532",
    "pending": "#fcc63a",
    "missing": "#ce0500",
}


def national_agreements() -> QuerySet[Agreement]:
    """The national conventions (not avenants) that are or were in force."""
    return (
        Agreement.objects.filter(scope=AgreementScope.NATIONAL)
        .exclude(kind=AgreementKind.AVENANT)
        .exclude(state__in=[AgreementState.DRAFT, AgreementState.ABANDONED])
        .annotate(
            declined=Count("children", filter=Q(children__state__in=LIVE), distinct=True),
        )
        .order_by("title")
    )


@dataclass
class AcademieStatus:
    academie: Academie
    status: str  # academie | region | pending | missing
    agreements: list[Agreement] = field(default_factory=list)

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def colour(self) -> str:
        return STATUS_COLOURS[self.status]


def declinations(agreement: Agreement, *, ids: list[int] | None = None) -> list[AcademieStatus]:
    """Each académie (of ``ids``; all when None): declined there (a declination in force at
    the académie, bassin or school level), declined in its région académique, in
    preparation (a draft or one in signature), or missing. Two queries."""
    children = list(
        agreement.children.exclude(state__in=[AgreementState.ABANDONED])
        .exclude(kind=AgreementKind.AVENANT)
        .select_related("academie", "academic_region")
        .order_by("number")
    )
    academies = Academie.objects.select_related("region").order_by("name")
    if ids is not None:
        academies = academies.filter(pk__in=ids)
    result = []
    for academie in academies:
        own = [c for c in children if c.academie_id == academie.pk]
        regional = [
            c
            for c in children
            if c.academie_id is None and c.academic_region_id == academie.region_id
        ]
        live = [c for c in own if c.state in LIVE]
        if live:
            status = "academie"
        elif any(c.state in LIVE for c in regional):
            status = "region"
        elif own or regional:
            status = "pending"
        else:
            status = "missing"
        result.append(AcademieStatus(academie, status, own + regional))
    return result


def network_ids(agreement: Agreement) -> set[int]:
    """The organisations of the partner's network: the economic parties of the national
    agreement and of its declinations, with their branches (three levels down)."""
    roots = set(
        Organisation.objects.filter(
            Q(agreement_parties__agreement=agreement)
            | Q(agreement_parties__agreement__parent=agreement),
            agreement_parties__side__in=[PartySide.ECONOMIC, PartySide.OTHER],
        ).values_list("pk", flat=True)
    )
    if not roots:
        return set()
    return roots | set(
        Organisation.objects.filter(
            Q(parent_id__in=roots) | Q(parent__parent_id__in=roots)
            | Q(parent__parent__parent_id__in=roots)
        ).values_list("pk", flat=True)
    )  # fmt: skip


@dataclass
class CommitmentLine:
    category: str
    label: str
    planned: int | None  # the quantities committed (None: no quantity stated)
    achieved: int | None  # None: not recorded in Relais
    unit: str
    evidence: str  # what was counted

    @property
    def rate(self) -> float | None:
        if not self.planned or self.achieved is None:
            return None
        return round(100 * self.achieved / self.planned, 1)


def _achieved(category: str, network: set[int], year: int) -> tuple[int | None, str]:
    start, end = year_bounds(year)
    if category == CommitmentCategory.CEE:
        count = Advisor.objects.filter(organisation_id__in=network, state=AdvisorState.ACTIVE)
        return count.count(), "conseillers en mission issus du réseau"
    if category == CommitmentCategory.PFMP:
        offers = InternshipOffer.objects.filter(Q(host_id__in=network) | Q(partner_id__in=network))
        placed = Placement.objects.filter(offer__in=offers, start__gte=start, start__lt=end)
        return placed.count(), "élèves placés en stage chez les membres du réseau"
    if category == CommitmentCategory.IMMERSION:
        done = ImmersionApplication.objects.filter(
            offer__organisation_id__in=network,
            state=ImmersionState.VALIDATED,
            offer__start_date__gte=start,
            offer__start_date__lt=end,
        )
        return done.count(), "immersions d'enseignants validées"
    if category == CommitmentCategory.DISCOVERY:
        records = ActionRecord.objects.filter(
            organisation_id__in=network, done_on__gte=start, done_on__lt=end
        )
        return records.count(), "actions réalisées dans les écoles"
    if category == CommitmentCategory.JURIES:
        sat = attended_count(organisation_ids=network, start=start, end=end - timedelta(days=1))
        return sat, "professionnels du réseau qui ont siégé dans un jury d'examen"
    return None, "non suivi dans Relais"


def commitments(agreement: Agreement, *, year: int) -> list[CommitmentLine]:
    """Per nature of commitment: the quantities planned by the national agreement and its
    declinations in force, and what the network achieved in ``year``."""
    planned = (
        Commitment.objects.filter(
            Q(agreement=agreement) | Q(agreement__parent=agreement, agreement__state__in=LIVE)
        )
        .values("category")
        .annotate(quantity=Coalesce(Sum("quantity"), 0), lines=Count("pk"))
        .order_by()
    )
    by_category = {row["category"]: row for row in planned}
    network = network_ids(agreement)
    labels = dict(CommitmentCategory.choices)
    lines = []
    for category in CommitmentCategory.values:
        row = by_category.get(category)
        achieved, evidence = _achieved(category, network, year)
        if row is None and not achieved:
            continue
        lines.append(
            CommitmentLine(
                category,
                labels[category],
                row["quantity"] or None if row else None,
                achieved,
                "",
                evidence,
            )
        )
    return lines


def offered_places(agreement: Agreement) -> int:
    """Places of stage offered by the network (every week of its published offers)."""
    network = network_ids(agreement)
    return OfferSlot.objects.filter(
        Q(offer__host_id__in=network) | Q(offer__partner_id__in=network)
    ).aggregate(total=Coalesce(Sum("capacity"), 0))["total"]
