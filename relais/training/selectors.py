"""Reads of the training app, scoped to the user (``users.scopes``).

Sections and their changes are not personal data: every member reads those of the
académies of their reach (a national organisation's representative, all). Consulted
organisations read the changes they are asked about wherever they are.

The CVs of young newcomers are read only by the CASNAV staff of their académie and by the
companies they were shared with (members of the organisation the CASNAV shared them with);
purged CVs are read by nobody. Figures for everyone else, small counts hidden.
"""

from __future__ import annotations

from typing import Any, TypedDict

from django.db.models import Case, Count, Max, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from relais.agreements.enums import AgreementScope, AgreementState, CommitmentCategory, PartySide
from relais.agreements.models import Agreement, Commitment
from relais.agreements.selectors import agreements_visible_to
from relais.establishments.models import Establishment
from relais.organisations.enums import OrganisationKind
from relais.organisations.models import Organisation
from relais.users.enums import Role
from relais.users.scopes import Reach, get_reach
from relais.users.types import AnyUser

from . import perms
from .enums import OUTCOME_ORDER, SECTORS, AnswerState, SectionState, SectionStatus
from .models import (
    Newcomer,
    NewcomerAnswer,
    NewcomerShare,
    SectionChange,
    SectionOpinion,
    ShortageReport,
    TrainingSection,
)

SMALL_COUNT = 11  # counts under this are shown as « < 11 »
# Who answers a CV: the employers, members of the organisation it was shared with.
COMPANY_KINDS = (
    OrganisationKind.COMPANY,
    OrganisationKind.ADAPTED_COMPANY,
    OrganisationKind.ESAT,
    OrganisationKind.ASSOCIATION,
)


def _academies(reach: Reach) -> frozenset[int]:
    return reach.managed_academie_ids | reach.academie_ids | reach.directory_academie_ids


def _territory_q(reach: Reach, field: str) -> Q | None:
    """None: everything (national administration, national organisation)."""
    if reach.national or reach.all_establishments:
        return None
    return Q(**{f"{field}__in": _academies(reach)})


def _nobody(reach: Reach) -> bool:
    return reach.is_empty or reach.roles == frozenset({Role.VOLUNTEER})


def sections_visible_to(*, user: AnyUser) -> QuerySet[TrainingSection]:
    """See the module docstring."""
    reach = get_reach(user)
    if _nobody(reach):
        return TrainingSection.objects.none()
    queryset = TrainingSection.objects.select_related("establishment__academie")
    territory = _territory_q(reach, "establishment__academie_id")
    return queryset if territory is None else queryset.filter(territory)


def section_filter(
    queryset: QuerySet[TrainingSection], *, sector: str = "", status: str = "",
    academie: str = "", bassin: str = "",
) -> QuerySet[TrainingSection]:  # fmt: skip
    """The inventory by sector (grand domaine du ROME), status and territory (académie,
    bassin: identifiers as typed in the address; anything else is ignored). Shared by the
    page and the API."""
    if sector in SECTORS:
        queryset = queryset.filter(sector=sector)
    if status in SectionStatus.values:
        queryset = queryset.filter(status=status)
    if academie.isascii() and academie.isdigit() and len(academie) < 10:
        queryset = queryset.filter(establishment__academie_id=int(academie))
    if bassin.isascii() and bassin.isdigit() and len(bassin) < 10:
        queryset = queryset.filter(establishment__bassin_id=int(bassin))
    return queryset


def shortage_keys(*, academie_ids: set[int]) -> set[tuple[int, str]]:
    """(académie, sector) pairs with a métier en tension reported in the last two years."""
    since = timezone.localdate().replace(year=timezone.localdate().year - 2)
    return set(
        ShortageReport.objects.filter(academie_id__in=academie_ids, reported_on__gte=since)
        .values_list("academie_id", "sector")
        .distinct()
    )


def flag_shortages(sections: list[TrainingSection]) -> list[TrainingSection]:
    """Set ``in_tension`` on each section whose sector is en tension in its académie (one
    query for the whole page)."""
    keys = shortage_keys(academie_ids={s.establishment.academie_id for s in sections})
    for section in sections:
        section.in_tension = (section.establishment.academie_id, section.sector) in keys  # type: ignore[attr-defined]
    return sections


def sector_summary(
    *, user: AnyUser, queryset: QuerySet[TrainingSection] | None = None
) -> list[dict[str, Any]]:
    """Open sections and places per sector and status (the « état des lieux »), of
    ``queryset`` when given (a filtered inventory)."""
    base = sections_visible_to(user=user) if queryset is None else queryset
    rows: Any = (
        base.filter(state=SectionState.OPEN)
        .values("sector", "status")
        .annotate(sections=Count("pk"), places=Coalesce(Sum("capacity"), 0))
        .order_by("sector", "status")
    )
    return list(rows)


def changes_visible_to(*, user: AnyUser) -> QuerySet[SectionChange]:
    """The changes of the user's académies, and those its organisations are consulted on."""
    reach = get_reach(user)
    if _nobody(reach):
        return SectionChange.objects.none()
    queryset = SectionChange.objects.select_related("establishment", "academie", "section")
    territory = _territory_q(reach, "academie_id")
    if territory is None:
        return queryset
    consulted = SectionOpinion.objects.filter(organisation_id__in=reach.organisation_ids)
    return queryset.filter(territory | Q(pk__in=consulted.values("change_id")))


def change_opinions(*, change: SectionChange) -> QuerySet[SectionOpinion]:
    return change.opinions.select_related("organisation").order_by("organisation__name", "pk")


def pending_opinions(*, user: AnyUser) -> QuerySet[SectionOpinion]:
    """The opinions the user's organisations still owe, deadline not passed."""
    reach = get_reach(user)
    return SectionOpinion.objects.filter(
        organisation_id__in=reach.organisation_ids,
        opinion="",
        change__state="consultation",
        change__opinion_deadline__gte=timezone.localdate(),
    ).select_related("change__establishment", "organisation")


def shortages_visible_to(*, user: AnyUser) -> QuerySet[ShortageReport]:
    reach = get_reach(user)
    if _nobody(reach):
        return ShortageReport.objects.none()
    queryset = ShortageReport.objects.select_related("organisation", "academie")
    territory = _territory_q(reach, "academie_id")
    return queryset if territory is None else queryset.filter(territory)


def covering_agreements_q(establishment: Establishment) -> Q:
    """Conventions whose territory covers the établissement (national, its région
    académique, its académie, its bassin, or itself)."""
    return (
        Q(scope=AgreementScope.NATIONAL)
        | Q(
            scope=AgreementScope.ACADEMIC_REGION,
            academic_region_id=establishment.academie.region_id,
        )
        | Q(scope=AgreementScope.ACADEMIE, academie_id=establishment.academie_id)
        | Q(scope=AgreementScope.BASSIN, bassin_id=establishment.bassin_id)
        | Q(scope=AgreementScope.ESTABLISHMENT, establishment_id=establishment.pk)
    )


def concerned_organisations(*, establishment: Establishment) -> QuerySet[Organisation]:
    """The signatory organisations concerned by a change of a section of ``establishment``:
    the partner parties (economic and other sides) of the conventions in force over its
    territory (CPME Île-de-France, art. 2.5)."""
    agreements = Agreement.objects.filter(covering_agreements_q(establishment)).filter(
        state=AgreementState.IN_FORCE
    )
    return (
        Organisation.objects.filter(
            agreement_parties__agreement__in=agreements,
            agreement_parties__side__in=[PartySide.ECONOMIC, PartySide.OTHER],
        )
        .distinct()
        .order_by("name")
    )


# -- young allophone newcomers ------------------------------------------------------------


def _ancestors(organisation_ids: set[int]) -> set[int]:
    """The organisations above these (not themselves): a CV shared with the CPME reaches its
    member companies, not the CPME's own staff."""
    found: set[int] = set()
    for parent, grand, great in Organisation.objects.filter(
        pk__in=organisation_ids, kind__in=COMPANY_KINDS
    ).values_list("parent_id", "parent__parent_id", "parent__parent__parent_id"):
        found |= {pk for pk in (parent, grand, great) if pk is not None}
    return found


def newcomers_visible_to(*, user: AnyUser) -> QuerySet[Newcomer]:
    """The CASNAV's own académies' CVs; for a company, the CVs shared with it or with an
    organisation it belongs to. Never a purged one."""
    casnav = perms.casnav_academie_ids(user)
    companies = perms.company_ids(user)
    query = Q(academie_id__in=casnav)
    if companies:
        query |= Q(shares__organisation_id__in=_ancestors(companies))
    if not casnav and not companies:
        return Newcomer.objects.none()
    return Newcomer.objects.filter(query, purged_at__isnull=True).distinct()


OUTCOME_RANK = Case(
    *(When(answers__state=state, then=Value(rank)) for rank, state in enumerate(OUTCOME_ORDER, 1)),
    default=Value(0),
)


def outcome_label(rank: int | None) -> str:
    """The furthest step any company reached with the young person, in French."""
    if not rank:
        return "En attente de réponse"
    return str(AnswerState(OUTCOME_ORDER[rank - 1]).label)


def newcomer_list(*, user: AnyUser) -> QuerySet[Newcomer]:
    """The visible CVs with their shares, answers and outcome (``outcome_rank``: the
    furthest step reached, see ``outcome_label``; a company sees its own answers' only)."""
    answers = Q()
    if not perms.casnav_academie_ids(user):
        answers = Q(answers__company_id__in=perms.company_ids(user))
    return (
        newcomers_visible_to(user=user)
        .select_related("academie")
        .annotate(
            shared=Count("shares", distinct=True),
            answered=Count("answers", distinct=True, filter=answers),
            outcome_rank=Max(OUTCOME_RANK, filter=answers),
        )
        .order_by("-created_at", "-pk")
    )


def newcomer_answers(*, user: AnyUser, newcomer: Newcomer) -> QuerySet[NewcomerAnswer]:
    """The CASNAV reads every answer; a company its own."""
    queryset = newcomer.answers.select_related("company", "newcomer").order_by("created_at", "pk")
    if perms.is_casnav_of(user, newcomer):
        return queryset
    return queryset.filter(company_id__in=perms.company_ids(user))


def answer_companies(
    *, user: AnyUser, newcomer: Newcomer
) -> list[tuple[Organisation, NewcomerShare]]:
    """The companies the user answers for on this CV, each with the share that reached it."""
    shares = list(newcomer.shares.select_related("organisation"))
    companies = Organisation.objects.filter(
        pk__in=perms.company_ids(user), kind__in=COMPANY_KINDS
    ).select_related("parent__parent__parent")
    found = []
    for company in companies:
        share = next(
            (s for s in shares if s.organisation_id != company.pk
             and perms.member_of(company, s.organisation_id)),
            None,
        )  # fmt: skip
        if share is not None:
            found.append((company, share))
    return found


def committed_organisations(*, academie_id: int) -> QuerySet[Organisation]:
    """Organisations committed to circulate the CASNAV's CVs: the party of a « CASNAV »
    commitment of a convention in force that covers the académie."""
    return (
        Organisation.objects.filter(
            Q(agreement_parties__commitments__agreement__scope=AgreementScope.NATIONAL)
            | Q(agreement_parties__commitments__agreement__academie_id=academie_id)
            | Q(agreement_parties__commitments__agreement__academic_region__academies=academie_id),
            agreement_parties__commitments__category=CommitmentCategory.CASNAV,
            agreement_parties__commitments__agreement__state=AgreementState.IN_FORCE,
        )
        .distinct()
        .order_by("name")
    )


def masked(count: int) -> str:
    """A count above the CASNAV: under eleven (and not zero) shows « < 11 »."""
    return f"< {SMALL_COUNT}" if 0 < count < SMALL_COUNT else str(count)


class CommitmentLine(TypedDict):
    agreement: Agreement
    committed: int | None
    shared: str
    interested: str
    promises: str
    contracts: str


def commitment_report(*, user: AnyUser) -> list[CommitmentLine]:
    """For each convention in force the user reads with a « CASNAV » commitment: the CVs
    shared with its committed organisations (and their members), the companies' interest,
    the written promises and the contracts signed; counts under 11 hidden."""
    agreements = list(
        agreements_visible_to(user)
        .filter(state=AgreementState.IN_FORCE, commitments__category=CommitmentCategory.CASNAV)
        .distinct()
        .order_by("number")
    )
    committed: dict[int, set[int]] = {a.pk: set() for a in agreements}
    quantity: dict[int, int] = {}
    for agreement_id, organisation_id, amount in Commitment.objects.filter(
        agreement_id__in=committed, category=CommitmentCategory.CASNAV
    ).values_list("agreement_id", "party__organisation_id", "quantity"):
        if organisation_id is not None:
            committed[agreement_id].add(organisation_id)
        quantity[agreement_id] = quantity.get(agreement_id, 0) + (amount or 0)
    report: list[CommitmentLine] = []
    for agreement in agreements:
        shares = NewcomerShare.objects.filter(organisation_id__in=committed[agreement.pk])
        newcomer_ids = shares.values("newcomer_id")
        answers = NewcomerAnswer.objects.filter(via__in=shares)
        figures = answers.aggregate(
            interested=Count("newcomer", distinct=True),
            promises=Count(
                "newcomer",
                distinct=True,
                filter=Q(state__in=[AnswerState.PROMISE, AnswerState.CONTRACT]),
            ),
            contracts=Count("newcomer", distinct=True, filter=Q(state=AnswerState.CONTRACT)),
        )
        report.append(
            {
                "agreement": agreement,
                "committed": quantity.get(agreement.pk) or None,
                "shared": masked(Newcomer.objects.filter(pk__in=newcomer_ids).count()),
                "interested": masked(figures["interested"]),
                "promises": masked(figures["promises"]),
                "contracts": masked(figures["contracts"]),
            }
        )
    return report
