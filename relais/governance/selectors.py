"""Reading the governance area, scoped to the user.

A conseil sectoriel national (Mesure 5) is visible to every member of the platform (but a
réserviste with no other role). Another body is visible when its convention is
(``relais.agreements.selectors.agreements_visible_to``) or, for a club's body, when the club
is in the user's reach (``perms.clubs_in_reach_q``: the clubs of the académies they work in
or read the directory of, and their bassin's club). Meetings and their minutes follow their
body; annual reports follow their convention.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from relais.agreements.enums import AgreementKind, AgreementState
from relais.agreements.models import Agreement
from relais.agreements.selectors import agreements_visible_to
from relais.core.school_years import school_year_bounds
from relais.users.enums import Role
from relais.users.scopes import get_reach
from relais.users.types import AnyUser

from . import rules
from .enums import BodyKind, MeetingState, ReportState
from .models import (
    ActionItem,
    AnnualReport,
    Attendance,
    Body,
    BodyMember,
    Meeting,
    Recommendation,
)
from .perms import clubs_in_reach_q

# Conventions that have taken effect: their bodies owe their rule.
EFFECTIVE_STATES = [
    AgreementState.IN_FORCE,
    AgreementState.TERMINATED,
    AgreementState.EXPIRED,
    AgreementState.SUPERSEDED,
]


def bodies_visible_to(user: AnyUser) -> QuerySet[Body]:
    """Every body the user may read (see the module docstring)."""
    reach = get_reach(user)
    if reach.national:
        return Body.objects.all()
    if reach.is_empty or reach.roles == frozenset({Role.VOLUNTEER}):
        # A réserviste with no other role has no business in the bodies (issue 14).
        return Body.objects.none()
    condition = Q(agreement__in=agreements_visible_to(user).values("pk"))
    clubs = clubs_in_reach_q(reach, prefix="club__")
    condition |= Q(club__isnull=False) if clubs is None else (Q(club__isnull=False) & clubs)
    # The conseils sectoriels nationaux (Mesure 5) are visible nationally.
    condition |= Q(kind=BodyKind.SECTOR_COUNCIL)
    return Body.objects.filter(condition)


def meetings_visible_to(user: AnyUser) -> QuerySet[Meeting]:
    """Meetings of the visible bodies, with their body."""
    return Meeting.objects.filter(body__in=bodies_visible_to(user).values("pk")).select_related(
        "body"
    )


def calendar_meetings(user: AnyUser, *, since: datetime) -> QuerySet[Meeting]:
    """The meetings of the personal iCal feed: visible, from ``since`` on, not cancelled
    (a cancelled meeting leaves the calendar; planned again, it comes back)."""
    return (
        meetings_visible_to(user)
        .filter(starts_at__gte=since)
        .exclude(state=MeetingState.CANCELLED)
        .order_by("starts_at")
    )


def body_list(
    user: AnyUser, *, agreement_id: int | None = None, kind: str = "", club_id: int | None = None
) -> QuerySet[Body]:
    """The visible bodies with their convention, club and académie, the date of their last
    held meeting and of the next planned one."""
    now = timezone.now()
    queryset = bodies_visible_to(user).select_related("agreement", "club", "academie")
    if agreement_id:
        queryset = queryset.filter(agreement_id=agreement_id)
    if club_id:
        queryset = queryset.filter(club_id=club_id)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.annotate(
        last_held=Max("meetings__starts_at", filter=Q(meetings__state=MeetingState.HELD)),
        next_planned=Min(
            "meetings__starts_at",
            filter=Q(meetings__state=MeetingState.PLANNED, meetings__starts_at__gte=now),
        ),
    ).order_by("name", "pk")


def body_get(user: AnyUser, pk: int) -> Body:
    """One visible body with its members and meetings, or Body.DoesNotExist."""
    return (
        bodies_visible_to(user)
        .select_related("agreement", "club", "academie")
        .prefetch_related(
            Prefetch("members", queryset=BodyMember.objects.select_related("organisation")),
            Prefetch("meetings", queryset=Meeting.objects.order_by("-starts_at")),
        )
        .get(pk=pk)
    )


def meeting_get(user: AnyUser, pk: int) -> Meeting:
    """One visible meeting with its body, attendance, decisions and action items."""
    return (
        meetings_visible_to(user)
        .select_related("body__agreement", "body__club", "minutes_sent_by")
        .prefetch_related(
            Prefetch(
                "body__members",
                queryset=BodyMember.objects.select_related("organisation"),
            ),
            Prefetch("attendances", queryset=Attendance.objects.select_related("member")),
            "decisions",
            "action_items",
        )
        .get(pk=pk)
    )


def meeting_list(user: AnyUser, *, body_id: int | None = None) -> QuerySet[Meeting]:
    queryset = meetings_visible_to(user).select_related(
        "body__agreement", "body__club", "body__academie"
    )
    if body_id:
        queryset = queryset.filter(body_id=body_id)
    return queryset.order_by("-starts_at", "pk")


# --- compliance ------------------------------------------------------------------------


def active_period(body: Body) -> tuple[date | None, date | None] | None:
    """When the body owes its rule: its convention's life (from its entry into force to its
    end), always for a club's body. None: the convention has not taken effect."""
    agreement = body.agreement
    if agreement is None:
        return None, None
    if agreement.state not in EFFECTIVE_STATES or agreement.start_date is None:
        return None
    end = agreement.ended_on or agreement.terminated_on
    return agreement.start_date, end


def held_dates_by_body(body_ids: Iterable[int], school_year: int) -> dict[int, list[date]]:
    """Days of the held meetings of the school year, per body (one query)."""
    start, end = school_year_bounds(school_year)
    rows = Meeting.objects.filter(
        body_id__in=list(body_ids),
        state=MeetingState.HELD,
        starts_at__date__gte=start - timedelta(days=1),
        starts_at__date__lte=end + timedelta(days=1),
    ).values_list("body_id", "starts_at")
    found: defaultdict[int, list[date]] = defaultdict(list)
    for body_id, starts_at in rows:
        found[body_id].append(timezone.localdate(starts_at))
    return found


def held_meetings_count(body: Body, *, school_year: int) -> int:
    """How many meetings ``body`` held during ``school_year`` (1 September to 31 August)."""
    start, end = school_year_bounds(school_year)
    return body.meetings.filter(
        state=MeetingState.HELD, starts_at__date__gte=start, starts_at__date__lte=end
    ).count()


def body_compliance(
    body: Body, held: list[date], *, school_year: int, today: date
) -> rules.Compliance | None:
    """The verdict of ``body``'s rule for the school year (None: not applicable, the
    convention was not in force during that year)."""
    period = active_period(body)
    if period is None:
        return None
    since, until = period
    start, end = school_year_bounds(school_year)
    if (since and since > end) or (until and until < start):
        return None
    return rules.compliance(
        min_meetings=body.min_meetings_per_year,
        required_months=body.required_months,
        held_dates=held,
        school_year=school_year,
        today=today,
        since=since,
        until=until,
    )


def attach_compliance(bodies: Iterable[Body], *, school_year: int, today: date) -> list[Body]:
    """Set ``body.compliance`` on each body (one query for all)."""
    listed = list(bodies)
    held = held_dates_by_body([b.pk for b in listed], school_year)
    for body in listed:
        body.compliance = body_compliance(
            body, held.get(body.pk, []), school_year=school_year, today=today
        )
    return listed


def filter_by_compliance(
    queryset: QuerySet[Body], status: str, *, school_year: int, today: date
) -> QuerySet[Body]:
    """Keep the bodies whose verdict is ``status`` (« sans_objet »: not applicable)."""
    bodies = attach_compliance(
        queryset.select_related("agreement"), school_year=school_year, today=today
    )
    keep = [
        b.pk
        for b in bodies
        if (b.compliance is None and status == "sans_objet")
        or (b.compliance is not None and b.compliance.status == status)
    ]
    return queryset.filter(pk__in=keep)


@dataclass
class ComplianceOverview:
    school_year: int
    missed: list[Body]
    at_risk: list[Body]
    met: list[Body]
    without_report: list[Agreement]
    report_year: int


def conventions_without_report(user: AnyUser, *, school_year: int) -> QuerySet[Agreement]:
    """Visible conventions (not avenants) in force at some point of ``school_year`` that have
    no validated annual report for it (Lille: the strategic committee « établira le bilan des
    actions conduites lors de l'année écoulée »; CPME IdF art. 3.1: « un bilan de l'année
    passée »)."""
    start, end = school_year_bounds(school_year)
    final = AnnualReport.objects.filter(
        agreement=OuterRef("pk"), school_year=school_year, state=ReportState.FINAL
    )
    return (
        agreements_visible_to(user)
        .exclude(kind=AgreementKind.AVENANT)
        .filter(state__in=EFFECTIVE_STATES, start_date__lte=end)
        .exclude(ended_on__lt=start)
        .exclude(terminated_on__lt=start)
        .exclude(Exists(final))
        .select_related("academie", "academic_region", "bassin", "establishment")
        .order_by("number")
    )


def compliance_overview(user: AnyUser, *, school_year: int, today: date) -> ComplianceOverview:
    """The « Conformité » page: bodies that missed their rule during ``school_year``, those
    at risk, and the conventions in force during the previous school year without a
    validated annual report."""
    bodies = attach_compliance(
        bodies_visible_to(user).select_related("agreement", "club", "academie").order_by("name"),
        school_year=school_year,
        today=today,
    )
    judged = [(b, b.compliance) for b in bodies if b.compliance is not None]
    return ComplianceOverview(
        school_year=school_year,
        missed=[b for b, verdict in judged if verdict.is_missed],
        at_risk=[b for b, verdict in judged if verdict.is_at_risk],
        met=[b for b, verdict in judged if verdict.is_met],
        without_report=list(conventions_without_report(user, school_year=school_year - 1)),
        report_year=school_year - 1,
    )


# --- action items ----------------------------------------------------------------------


def action_items_of_body(body: Body) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(meeting__body=body).select_related("meeting")


def overdue_action_items(queryset: QuerySet[ActionItem], *, today: date) -> QuerySet[ActionItem]:
    """Items not done whose due date is past."""
    return queryset.filter(done_on__isnull=True, due_date__lt=today)


def my_action_items(user: AnyUser) -> QuerySet[ActionItem]:
    """The open action items the user owns (by their e-mail address), in visible meetings."""
    if not user.is_authenticated or not user.email:
        return ActionItem.objects.none()
    return (
        ActionItem.objects.filter(
            owner_email__iexact=user.email,
            done_on__isnull=True,
            meeting__in=meetings_visible_to(user).values("pk"),
        )
        .select_related("meeting__body")
        .order_by("due_date", "pk")
    )


# --- annual reports --------------------------------------------------------------------


def reports_visible_to(user: AnyUser) -> QuerySet[AnnualReport]:
    return AnnualReport.objects.filter(agreement__in=agreements_visible_to(user).values("pk"))


def report_list(user: AnyUser, *, agreement_id: int | None = None) -> QuerySet[AnnualReport]:
    queryset = reports_visible_to(user).select_related("agreement", "finalized_by")
    if agreement_id:
        queryset = queryset.filter(agreement_id=agreement_id)
    return queryset.order_by("-school_year", "agreement__number")


def report_get(user: AnyUser, pk: int) -> AnnualReport:
    return (
        reports_visible_to(user)
        .select_related("agreement__academie", "finalized_by")
        .prefetch_related("results__commitment__party")
        .get(pk=pk)
    )


def agreement_for_reports(user: AnyUser, pk: int) -> Agreement:
    """A visible convention (not an avenant), for its list of annual reports."""
    return (
        agreements_visible_to(user)
        .exclude(kind=AgreementKind.AVENANT)
        .select_related("academie", "academic_region", "bassin", "establishment")
        .get(pk=pk)
    )


# --- what a user may run (choices of the forms) ----------------------------------------


def agreements_managed_by(user: AnyUser) -> QuerySet[Agreement]:
    """Conventions (not avenants) whose bodies and reports the user runs: the same rule as
    ``relais.agreements.perms.can_manage``, as a queryset."""
    from relais.agreements.enums import AgreementScope

    reach = get_reach(user)
    queryset = Agreement.objects.exclude(kind=AgreementKind.AVENANT).exclude(
        state=AgreementState.ABANDONED
    )
    if reach.national:
        return queryset
    return queryset.filter(
        Q(scope=AgreementScope.ACADEMIC_REGION, academic_region_id__in=reach.managed_region_ids)
        | Q(
            scope__in=[
                AgreementScope.ACADEMIE,
                AgreementScope.BASSIN,
                AgreementScope.ESTABLISHMENT,
            ],
            academie_id__in=reach.managed_academie_ids,
        )
    )


# --- conseils sectoriels nationaux (Mesure 5) ---------------------------------------------


def council_list(user: AnyUser) -> QuerySet[Body]:
    """The conseils sectoriels nationaux with their counts of active members, held meetings
    and recommendations, and their next planned meeting."""
    return (
        bodies_visible_to(user)
        .filter(kind=BodyKind.SECTOR_COUNCIL)
        .annotate(
            member_count=Count("members", filter=Q(members__active=True), distinct=True),
            held_count=Count(
                "meetings", filter=Q(meetings__state=MeetingState.HELD), distinct=True
            ),
            recommendation_count=Count("recommendations", distinct=True),
            next_planned=Min(
                "meetings__starts_at",
                filter=Q(
                    meetings__state=MeetingState.PLANNED, meetings__starts_at__gte=timezone.now()
                ),
            ),
        )
        .order_by("sector", "pk")
    )


def council_get(user: AnyUser, pk: int) -> Body:
    """One council with its members, meetings and recommendations, or Body.DoesNotExist."""
    return (
        bodies_visible_to(user)
        .filter(kind=BodyKind.SECTOR_COUNCIL)
        .prefetch_related(
            Prefetch(
                "members",
                queryset=BodyMember.objects.filter(active=True).select_related("organisation"),
            ),
            Prefetch("meetings", queryset=Meeting.objects.order_by("-starts_at")),
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.select_related("meeting").order_by(
                    "-created_at", "-pk"
                ),
            ),
        )
        .get(pk=pk)
    )


def recommendations_visible_to(user: AnyUser) -> QuerySet[Recommendation]:
    return Recommendation.objects.filter(
        body__in=bodies_visible_to(user).values("pk")
    ).select_related("body", "meeting")
