"""Reads of the volunteers app, always scoped to what the user reaches (users.scopes).

- national administrator: everything;
- académie team: every advisor, application, reservist, request, offer, immersion
  application and course of their académie;
- organisation representative: the advisors their organisation proposed, its offers and
  the applications to them;
- head of school, teacher: the designated advisors of their académie, its validated
  reservists, their school's requests, the offers of their académie, their own (teacher) or
  their school's (head) immersion applications;
- bassin référent, pôle member: the designated advisors and the offers of their académie;
- volunteer (reservist): their own application and the requests sent to them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypedDict, TypeVar

from dateutil.relativedelta import relativedelta
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Model,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import (
    ACos,
    Cast,
    Coalesce,
    Concat,
    Cos,
    Greatest,
    Least,
    Radians,
    Sin,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone

from relais.agreements.enums import AgreementKind, AgreementState, CommitmentCategory
from relais.agreements.models import Agreement
from relais.core.school_years import school_year_bounds
from relais.core.search import text_search
from relais.establishments.enums import EstablishmentKind
from relais.establishments.models import Establishment
from relais.organisations.models import Organisation
from relais.pathways.models import Credit
from relais.pathways.selectors import SMALL_COUNT
from relais.users.enums import Role
from relais.users.scopes import Reach, get_reach
from relais.users.types import AnyUser

from .enums import (
    APPOINTED_STATES,
    VETTING_DELAY_MONTHS,
    AdvisorKind,
    AdvisorState,
    ApplicationState,
    CoursePart,
    ImmersionState,
    RequestState,
)
from .models import (
    Advisor,
    AdvisorIntervention,
    AdvisorSeat,
    Course,
    CourseParticipant,
    ImmersionApplication,
    ImmersionOffer,
    NominativeListSending,
    ReserveApplication,
    ReserveRequest,
)

NONE = Q(pk__in=[])
STAFF_ROLES = (Role.BASSIN_REFERENT, Role.HUB_MEMBER, Role.HEAD_OF_SCHOOL, Role.TEACHER)
SCHOOL_ROLES = (Role.HEAD_OF_SCHOOL, Role.TEACHER)
EARTH_RADIUS_KM = 6371.0

_M = TypeVar("_M", bound=Model)


def _scoped(
    queryset: QuerySet[_M], user: AnyUser, condition_of: Callable[[Reach], Q]
) -> QuerySet[_M]:
    reach = get_reach(user)
    if reach.is_empty:
        return queryset.none()
    if reach.national:
        return queryset
    return queryset.filter(condition_of(reach))


def _staff_academies(reach: Reach) -> frozenset[int]:
    """Académies whose school-side staff (référents, pôles, schools) the user belongs to."""
    return reach.directory_academie_ids if reach.has_role(*STAFF_ROLES) else frozenset()


# --- CEE and CET ------------------------------------------------------------------------------


def advisors_visible_to(*, user: AnyUser) -> QuerySet[Advisor]:
    """The académie team sees every advisor of its académie; an organisation the ones it
    proposed; the schools' side the designated ones of their académie (their contacts)."""

    def condition(reach: Reach) -> Q:
        return (
            Q(academie_id__in=reach.managed_academie_ids)
            | Q(organisation_id__in=reach.organisation_ids)
            | Q(state__in=APPOINTED_STATES, academie_id__in=_staff_academies(reach))
        )

    return _scoped(Advisor.objects.all(), user, condition)


def advisor_list(*, user: AnyUser) -> QuerySet[Advisor]:
    return advisors_visible_to(user=user).select_related("academie", "organisation", "agreement")


def advisor_search(queryset: QuerySet[Advisor], query: str) -> QuerySet[Advisor]:
    """By name, employer, organisation or sectors, ignoring accents and case."""
    return text_search(queryset, query)


def advisor_get(*, user: AnyUser, pk: int) -> Advisor:
    return get_object_or_404(
        advisor_list(user=user).select_related("naf", "rome", "employer_informed_by"), pk=pk
    )


def interventions_visible_to(*, user: AnyUser) -> QuerySet[AdvisorIntervention]:
    """The team of the advisor's académie, the advisor's organisation, and the school where
    the intervention took place."""

    def condition(reach: Reach) -> Q:
        query = Q(advisor__academie_id__in=reach.managed_academie_ids) | Q(
            advisor__organisation_id__in=reach.organisation_ids
        )
        if reach.has_role(*STAFF_ROLES):
            query |= Q(establishment__bassin_id__in=reach.bassin_ids) | Q(
                establishment_id__in=reach.establishment_ids
            )
        return query

    return _scoped(
        AdvisorIntervention.objects.select_related(
            "advisor__organisation", "advisor__agreement", "establishment__commune"
        ),
        user,
        condition,
    )


class InterventionTotals(TypedDict):
    count: int
    hours: Decimal


def intervention_totals(queryset: QuerySet[AdvisorIntervention]) -> InterventionTotals:
    """Number of interventions and hours of ``queryset``: one query."""
    totals = queryset.order_by().aggregate(
        count=Count("pk"), hours=Coalesce(Sum("hours"), Value(0, output_field=DecimalField()))
    )
    return {"count": totals["count"], "hours": totals["hours"]}


def intervention_totals_by(
    queryset: QuerySet[AdvisorIntervention], *fields: str
) -> list[dict[str, Any]]:
    """Totals grouped by ``fields`` (e.g. ``advisor__agreement__number``): one query."""
    return list(
        queryset.order_by()
        .values(*fields)
        .annotate(count=Count("pk"), hours=Sum("hours"))
        .order_by(*fields)
    )


def cee_agreements_in_force(*, user: AnyUser) -> QuerySet[Agreement]:
    """CEE conventions in force under which the user may propose candidates: those their
    organisation signed, or, for the académie team, those covering their académie."""
    reach = get_reach(user)
    queryset = Agreement.objects.filter(kind=AgreementKind.CEE, state=AgreementState.IN_FORCE)
    if reach.national:
        return queryset.order_by("number")
    condition = (
        Q(academie_id__in=reach.managed_academie_ids)
        | Q(academie__isnull=True, academic_region_id__in=reach.managed_region_ids)
        | Q(parties__organisation_id__in=reach.organisation_ids)
    )
    ids = Agreement.objects.filter(condition).values("pk")
    return queryset.filter(pk__in=ids).order_by("number")


class CommitmentLine(TypedDict):
    """One CEE convention of ``commitment_report``."""

    agreement: Agreement
    committed: int
    designated: int
    active: int
    appointed: int
    missing: int
    short: bool


def commitment_report(*, user: AnyUser) -> list[CommitmentLine]:
    """Article 1: for each CEE convention in force the user may see, the number of CEE
    committed (its « cee » commitments plus those of its avenants in force, which add to them
    as in ``agreements.consolidation``) against those designated and in mission. A convention
    is flagged short when designated + in mission is below the number committed."""
    from relais.agreements.models import Commitment

    agreements = list(
        cee_agreements_in_force(user=user).select_related("academie", "academic_region")
    )
    ids = [agreement.pk for agreement in agreements]
    applied = [AgreementState.IN_FORCE, AgreementState.EXPIRED, AgreementState.TERMINATED]
    committed = {
        row["convention"]: row["total"]
        for row in Commitment.objects.filter(category=CommitmentCategory.CEE)
        .filter(
            Q(agreement_id__in=ids) | Q(agreement__amends_id__in=ids, agreement__state__in=applied)
        )
        .annotate(convention=Coalesce("agreement__amends_id", "agreement_id"))
        .values("convention")
        .annotate(total=Sum("quantity"))
        .order_by()
    }
    counts = {
        (row["agreement_id"], row["state"]): row["n"]
        for row in Advisor.objects.filter(agreement_id__in=ids, state__in=APPOINTED_STATES)
        .values("agreement_id", "state")
        .annotate(n=Count("pk"))
        .order_by()
    }
    report: list[CommitmentLine] = []
    for agreement in agreements:
        designated = counts.get((agreement.pk, AdvisorState.DESIGNATED), 0)
        active = counts.get((agreement.pk, AdvisorState.ACTIVE), 0)
        total = committed.get(agreement.pk) or 0
        report.append(
            {
                "agreement": agreement,
                "committed": total,
                "designated": designated,
                "active": active,
                "appointed": designated + active,
                "missing": max(total - designated - active, 0),
                "short": designated + active < total,
            }
        )
    return report


def nominative_list(*, academie_id: int, kind: str, school_year: int) -> QuerySet[Advisor]:
    """Article 5: the advisors of the académie designated for ``school_year``, i.e. designated
    or in mission (or ended) with a mandate overlapping 1 September → 31 August."""
    first, last = school_year_bounds(school_year)
    return (
        Advisor.objects.filter(
            academie_id=academie_id,
            kind=kind,
            state__in=[*APPOINTED_STATES, AdvisorState.ENDED],
            mandate_start__lte=last,
            mandate_end__gte=first,
        )
        .exclude(state=AdvisorState.ENDED, ended_on__lt=first)
        .select_related("organisation", "agreement")
        .order_by("last_name", "first_name", "pk")
    )


def nominative_list_recipients(
    *, academie_id: int, kind: str, school_year: int
) -> list[Organisation]:
    """The organisations the list goes to: for CEE, the signatory organisations of the CEE
    conventions in force covering the académie; for CET, the organisations that proposed the
    listed advisors."""
    if kind == AdvisorKind.CEE:
        agreements = Agreement.objects.filter(
            kind=AgreementKind.CEE, state=AgreementState.IN_FORCE
        ).filter(
            Q(academie_id=academie_id)
            | Q(academie__isnull=True, academic_region__academies__pk=academie_id)
        )
        recipients = Q(pk__in=agreements.values("parties__organisation_id"))
    else:
        recipients = Q(
            pk__in=nominative_list(
                academie_id=academie_id, kind=kind, school_year=school_year
            ).values("organisation_id")
        )
    return list(Organisation.objects.filter(recipients).order_by("name"))


def sendings_of(
    *, academie_id: int, kind: str, school_year: int
) -> QuerySet[NominativeListSending]:
    return NominativeListSending.objects.filter(
        academie_id=academie_id, kind=kind, school_year=school_year
    ).select_related("organisation", "sent_by")


def mandates_ending(*, on: date, within_days: int) -> QuerySet[Advisor]:
    """Appointed advisors whose mandate ends within ``within_days`` days of ``on``."""
    return Advisor.objects.filter(
        state__in=APPOINTED_STATES,
        mandate_end__gte=on,
        mandate_end__lte=on + relativedelta(days=within_days),
    ).select_related("academie", "organisation")


def renewals_due(*, user: AnyUser, on: date, within_days: int) -> QuerySet[Advisor]:
    """Mesure 8's renewal: the appointed conseillers of the académies the user manages whose
    mandate ends within ``within_days`` days of ``on`` (or has ended without being closed
    yet), soonest first."""
    reach = get_reach(user)
    queryset = Advisor.objects.filter(
        state__in=APPOINTED_STATES, mandate_end__lte=on + relativedelta(days=within_days)
    )
    if not reach.national:
        queryset = queryset.filter(academie_id__in=reach.managed_academie_ids)
    return queryset.select_related("academie", "organisation").order_by("mandate_end", "pk")


def advisor_seats(advisor: Advisor) -> QuerySet[AdvisorSeat]:
    """The seats of a conseiller, current ones first."""
    seats = advisor.seats.select_related("club", "campus", "bassin")
    return seats.order_by(F("ended_on").desc(nulls_first=True), "kind", "pk")


class ParcoursReach(TypedDict):
    """What a conseiller's interventions brought to the parcours Avenir (fiche mesure 8)."""

    college_interventions: int
    colleges: int
    pupils: int | None  # None: fewer than ``SMALL_COUNT`` (not shown)


def parcours_reach(advisor: Advisor) -> ParcoursReach:
    """Interventions in collèges and the pupils credited with them (experiences recorded from
    the intervention, ``source_ref`` « volunteers.intervention:<id> »); under 11: None."""
    in_colleges = advisor.interventions.filter(establishment__kind=EstablishmentKind.COLLEGE)
    totals = in_colleges.aggregate(n=Count("pk"), schools=Count("establishment", distinct=True))
    refs = advisor.interventions.annotate(
        ref=Concat(Value("volunteers.intervention:"), Cast("pk", output_field=CharField()))
    ).values("ref")
    pupils = (
        Credit.objects.filter(experience__source_ref__in=Subquery(refs))
        .values("pupil")
        .distinct()
        .count()
    )
    return {
        "college_interventions": totals["n"],
        "colleges": totals["schools"],
        "pupils": pupils if pupils >= SMALL_COUNT or pupils == 0 else None,
    }


# --- Réserve citoyenne ------------------------------------------------------------------------


def vetting_deadline_cutoff(now: datetime | None = None) -> datetime:
    """Applications submitted before this instant have waited more than two months."""
    cutoff: datetime = (now or timezone.now()) - relativedelta(months=VETTING_DELAY_MONTHS)
    return cutoff  # dateutil ships no types


def applications_visible_to(*, user: AnyUser) -> QuerySet[ReserveApplication]:
    def condition(reach: Reach) -> Q:
        return Q(academie_id__in=reach.managed_academie_ids) | Q(user_id=user.pk)

    return _scoped(
        ReserveApplication.objects.select_related("commune", "academie"), user, condition
    )


def application_get(*, user: AnyUser, pk: int) -> ReserveApplication:
    return get_object_or_404(applications_visible_to(user=user).select_related("vetted_by"), pk=pk)


def overdue_condition(now: datetime | None = None) -> Q:
    """Still waiting for a decision two months after it was submitted (fiche mesure 10:
    « les candidatures validées sous 2 mois »)."""
    return Q(state=ApplicationState.SUBMITTED, submitted_at__lt=vetting_deadline_cutoff(now))


def overdue_applications(*, now: datetime | None = None) -> QuerySet[ReserveApplication]:
    """Applications still waiting for a decision two months after they were submitted."""
    return ReserveApplication.objects.filter(overdue_condition(now)).select_related("academie")


def overdue_applications_visible_to(
    *, user: AnyUser, now: datetime | None = None
) -> QuerySet[ReserveApplication]:
    """The overdue applications among those ``user`` sees (the vetting page's warning)."""
    return applications_visible_to(user=user).filter(overdue_condition(now))


def with_overdue_flag(
    queryset: QuerySet[ReserveApplication], *, now: datetime | None = None
) -> QuerySet[ReserveApplication]:
    """``queryset`` with ``overdue`` (bool): waiting for a decision for more than two
    months. Pages show a badge from it, without comparing states."""
    flag = ExpressionWrapper(overdue_condition(now), output_field=BooleanField())
    return queryset.annotate(overdue=flag)


def application_is_overdue(application: ReserveApplication, *, now: datetime | None = None) -> bool:
    return application.is_pending and application.submitted_at < vetting_deadline_cutoff(now)


def reservists_visible_to(*, user: AnyUser) -> QuerySet[ReserveApplication]:
    """Validated reservists of the académies where the user teaches or works for the team."""

    def condition(reach: Reach) -> Q:
        academies = set(reach.managed_academie_ids)
        if reach.has_role(*SCHOOL_ROLES):
            academies |= reach.directory_academie_ids
        return Q(academie_id__in=academies)

    validated = ReserveApplication.objects.filter(state=ApplicationState.VALIDATED)
    return _scoped(validated.select_related("commune"), user, condition)


def distance_km(
    latitude: float, longitude: float, lat_field: str, lon_field: str
) -> CombinedExpression:
    """Great-circle distance (km) from a point to the row's coordinates, in SQL."""
    lat, lon = Radians(F(lat_field)), Radians(F(lon_field))
    here_lat, here_lon = Radians(Value(latitude)), Radians(Value(longitude))
    cosine = Cos(here_lat) * Cos(lat) * Cos(lon - here_lon) + Sin(here_lat) * Sin(lat)
    return Value(EARTH_RADIUS_KM) * ACos(Least(Value(1.0), Greatest(Value(-1.0), cosine)))


def reservist_search(
    *,
    user: AnyUser,
    school: Establishment | None,
    radius_km: int | None = None,
    skill: str = "",
    availability: str = "",
    query: str = "",
) -> QuerySet[ReserveApplication]:
    """Validated reservists near ``school``: distance from the school's coordinates to the
    reservist's home commune, within both the radius asked and the distance the reservist
    accepts to travel; by skill and availability; nearest first. Without coordinates for the
    school, every reservist of the académie is listed (no distance)."""
    queryset = reservists_visible_to(user=user)
    if skill:
        queryset = queryset.filter(skills__contains=[skill])
    if availability:
        queryset = queryset.filter(availability__contains=[availability])
    if query:
        queryset = text_search(queryset, query)
    queryset = queryset.annotate(
        done=Count("requests", filter=Q(requests__state=RequestState.DONE), distinct=True)
    )
    if school is None or school.latitude is None or school.longitude is None:
        return queryset.annotate(distance=Value(None, output_field=DecimalField())).order_by(
            "last_name", "pk"
        )
    queryset = queryset.filter(commune__latitude__isnull=False).annotate(
        distance=distance_km(
            school.latitude, school.longitude, "commune__latitude", "commune__longitude"
        )
    )
    queryset = queryset.filter(distance__lte=F("max_distance_km"))
    if radius_km:
        queryset = queryset.filter(distance__lte=radius_km)
    return queryset.order_by("distance", "pk")


def requests_visible_to(*, user: AnyUser) -> QuerySet[ReserveRequest]:
    """The team of the reservist's académie, the school's staff, the reservist."""

    def condition(reach: Reach) -> Q:
        query = Q(reservist__academie_id__in=reach.managed_academie_ids) | Q(
            reservist__user_id=user.pk
        )
        if reach.has_role(*SCHOOL_ROLES):
            query |= Q(establishment_id__in=reach.establishment_ids)
        return query

    return _scoped(
        ReserveRequest.objects.select_related(
            "reservist__commune", "establishment", "requested_by"
        ),
        user,
        condition,
    )


def done_requests(queryset: QuerySet[ReserveRequest]) -> QuerySet[ReserveRequest]:
    """The requests of ``queryset`` whose intervention took place (counted)."""
    return queryset.filter(state=RequestState.DONE)


def request_get(*, user: AnyUser, pk: int) -> ReserveRequest:
    return get_object_or_404(requests_visible_to(user=user), pk=pk)


# --- Immersions and the 56-hour course ---------------------------------------------------------


def offers_visible_to(*, user: AnyUser) -> QuerySet[ImmersionOffer]:
    def condition(reach: Reach) -> Q:
        return (
            Q(academie_id__in=reach.managed_academie_ids)
            | Q(organisation_id__in=reach.organisation_ids)
            | Q(academie_id__in=_staff_academies(reach))
        )

    return _scoped(
        ImmersionOffer.objects.select_related("organisation", "academie")
        .annotate(
            validated=Count("applications", filter=Q(applications__state=ImmersionState.VALIDATED))
        )
        .order_by("start_date", "pk"),
        user,
        condition,
    )


def offer_get(*, user: AnyUser, pk: int) -> ImmersionOffer:
    return get_object_or_404(offers_visible_to(user=user), pk=pk)


def immersion_applications_visible_to(*, user: AnyUser) -> QuerySet[ImmersionApplication]:
    def condition(reach: Reach) -> Q:
        query = (
            Q(offer__academie_id__in=reach.managed_academie_ids)
            | Q(offer__organisation_id__in=reach.organisation_ids)
            | Q(applicant_id=user.pk)
        )
        if reach.has_role(Role.HEAD_OF_SCHOOL):
            query |= Q(establishment_id__in=reach.establishment_ids)
        return query

    return _scoped(
        ImmersionApplication.objects.select_related(
            "offer__organisation", "applicant", "establishment"
        ),
        user,
        condition,
    )


def immersion_application_get(*, user: AnyUser, pk: int) -> ImmersionApplication:
    return get_object_or_404(immersion_applications_visible_to(user=user), pk=pk)


def courses_visible_to(*, user: AnyUser) -> QuerySet[Course]:
    return _scoped(
        Course.objects.select_related("academie")
        .annotate(n_participants=Count("participants"))
        .order_by("-start_date", "pk"),
        user,
        lambda reach: Q(academie_id__in=reach.managed_academie_ids),
    )


def course_get(*, user: AnyUser, pk: int) -> Course:
    return get_object_or_404(courses_visible_to(user=user), pk=pk)


def participants_with_hours(
    queryset: QuerySet[CourseParticipant],
) -> QuerySet[CourseParticipant]:
    """Participants annotated with their hours per part (``hours_preparation``…): one query."""
    zero = Value(0, output_field=DecimalField())
    return queryset.select_related("course", "establishment", "host_company").annotate(
        **{
            f"hours_{part.value}": Coalesce(Sum("hours__hours", filter=Q(hours__part=part)), zero)
            for part in CoursePart
        }
    )


def participants_visible_to(*, user: AnyUser) -> QuerySet[CourseParticipant]:
    return _scoped(
        CourseParticipant.objects.all(),
        user,
        lambda reach: Q(course__academie_id__in=reach.managed_academie_ids),
    )
