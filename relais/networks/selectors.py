"""Reads of the networks area, always scoped to what the user reaches (see perms.clubs_q)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from relais.core import clock
from relais.core.school_years import school_year_label, school_year_of
from relais.core.search import text_search
from relais.governance.enums import BodyKind
from relais.governance.models import Body
from relais.territories.models import Academie
from relais.users.scopes import get_reach
from relais.users.types import AnyUser

from . import rules
from .enums import MandateRole
from .models import Campus, CampusMember, Club, ClubMember, DirectoryPublication, Mandate
from .perms import campuses_q, clubs_q, referent_bassin_ids


def clubs_visible_to(*, user: AnyUser) -> QuerySet[Club]:
    reach = get_reach(user)
    if reach.is_empty:
        return Club.objects.none()
    condition = clubs_q(reach)
    return Club.objects.all() if condition is None else Club.objects.filter(condition)


def clubs_managed_by(*, user: AnyUser) -> QuerySet[Club]:
    """Clubs whose details, members and steering committee the user runs (the rule of
    ``perms.can_manage_club``, as a queryset: the académie team of the club's académie, the
    référent of its bassin, the national administration)."""
    reach = get_reach(user)
    if reach.national:
        return Club.objects.all()
    return Club.objects.filter(
        Q(academie_id__in=reach.managed_academie_ids) | Q(bassin_id__in=referent_bassin_ids(user))
    )


def _year_mandates(school_year: int) -> Prefetch[str, QuerySet[Mandate], str]:
    return Prefetch(
        "mandates",
        queryset=Mandate.objects.filter(school_year=school_year)
        .select_related("organisation")
        .order_by("role", "-starts_on"),
        to_attr="year_mandates",
    )


def club_list(*, user: AnyUser, school_year: int | None = None) -> QuerySet[Club]:
    """Clubs with their bassin, académie, number of current members and the mandates of
    ``school_year`` (default: the current one) in ``year_mandates``: three queries."""
    year = school_year if school_year is not None else school_year_of(clock.today())
    return (
        clubs_visible_to(user=user)
        .select_related("bassin", "academie")
        .annotate(member_count=Count("members", filter=Q(members__left_on__isnull=True)))
        .prefetch_related(_year_mandates(year))
    )


def club_search(queryset: QuerySet[Club], query: str) -> QuerySet[Club]:
    """By club name or bassin name, ignoring accents and case."""
    return text_search(queryset, query)


def club_get(*, user: AnyUser, pk: int) -> Club:
    return get_object_or_404(
        clubs_visible_to(user=user).select_related("bassin", "academie", "agreement"), pk=pk
    )


def steering_body(club: Club) -> Body | None:
    """The club's comité de pilotage (a governance body), created with the club."""
    return club.bodies.filter(kind=BodyKind.CLUB_STEERING).order_by("pk").first()


def club_members(club: Club) -> list[ClubMember]:
    return list(
        club.members.filter(left_on__isnull=True).select_related("establishment", "organisation")
    )


def current_mandate(mandates: list[Mandate], role: str) -> Mandate | None:
    """The holder among ``year_mandates``: the latest start (a replacement wins)."""
    holders = [m for m in mandates if m.role == role]
    return max(holders, key=lambda m: m.starts_on, default=None)


def club_mandates(club: Club) -> list[Mandate]:
    return list(
        club.mandates.select_related("organisation", "establishment").order_by(
            "-school_year", "role", "-starts_on"
        )
    )


def mandates_visible_to(*, user: AnyUser) -> QuerySet[Mandate]:
    reach = get_reach(user)
    if reach.is_empty:
        return Mandate.objects.none()
    condition = clubs_q(reach)
    queryset = Mandate.objects.all()
    if condition is None:
        return queryset
    return queryset.filter(club__in=Club.objects.filter(condition))


def mandate_list(*, user: AnyUser) -> QuerySet[Mandate]:
    return mandates_visible_to(user=user).select_related(
        "club__bassin", "club__academie", "organisation", "establishment"
    )


def mandate_get(*, user: AnyUser, pk: int) -> Mandate:
    return get_object_or_404(mandate_list(user=user), pk=pk)


@dataclass(frozen=True)
class ToRenew:
    mandate: Mandate
    consecutive_years: int  # school years in a row held so far (pilotes)
    renewable: bool  # False: a pilote at the 5-year limit, to be replaced

    @property
    def days_left(self) -> int:
        return (self.mandate.ends_on - clock.today()).days


def all_mandates() -> QuerySet[Mandate]:
    """Every mandate, for the scheduled jobs (which act for no user)."""
    return Mandate.objects.select_related(
        "club__bassin", "club__academie", "organisation", "establishment"
    )


def mandates_to_renew(
    *, queryset: QuerySet[Mandate], school_year: int, academie: Academie | None = None
) -> list[ToRenew]:
    """The people whose mandate ends with ``school_year`` and who have no successor for the
    next school year: the list the académie prepares the June nominations from. A pilote
    who reached 5 consecutive years cannot be renewed (rules.check_pilote_term). Two queries."""
    successor = Mandate.objects.filter(
        club=OuterRef("club"), role=OuterRef("role"), school_year=school_year + 1
    )
    later_start = Mandate.objects.filter(
        club=OuterRef("club"),
        role=OuterRef("role"),
        school_year=school_year,
        starts_on__gt=OuterRef("starts_on"),
    )
    queryset = (
        queryset.filter(school_year=school_year)
        .exclude(Exists(successor))
        .exclude(Exists(later_start))
        .order_by("club__academie__name", "club__name", "role")
    )
    if academie is not None:
        queryset = queryset.filter(club__academie=academie)
    mandates = list(queryset)
    pilotes = [m for m in mandates if m.role == MandateRole.PILOTE]
    years: dict[tuple[int, str], set[int]] = {}
    if pilotes:
        rows = Mandate.objects.filter(
            role=MandateRole.PILOTE,
            club_id__in={m.club_id for m in pilotes},
            email__in={m.email for m in pilotes},
        ).values_list("club_id", "email", "school_year")
        for club_id, email, year in rows:
            years.setdefault((club_id, email.lower()), set()).add(year)
    result: list[ToRenew] = []
    for mandate in mandates:
        if mandate.role == MandateRole.PILOTE:
            held = years.get((mandate.club_id, mandate.email.lower()), {school_year})
            series = rules.consecutive_years(held, up_to=school_year)
            renewable = rules.can_renew_pilote(held, school_year + 1)
        else:
            series, renewable = 1, True
        result.append(ToRenew(mandate, series, renewable))
    return result


def pilote_years(*, club: Club, email: str, exclude_pk: int | None = None) -> set[int]:
    """School years in which ``email`` was pilote of ``club``."""
    queryset = Mandate.objects.filter(
        club=club, role=MandateRole.PILOTE, email__iexact=email.strip()
    )
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    return set(queryset.values_list("school_year", flat=True))


@dataclass
class Directory:
    academie: Academie
    school_year: int
    clubs: list[Club]
    publication: DirectoryPublication | None

    @property
    def school_year_label(self) -> str:
        return school_year_label(self.school_year)


def directory(*, user: AnyUser, academie: Academie, school_year: int) -> Directory:
    """The annuaire des clubs of ``academie`` for ``school_year``: each club with its bassin,
    référent, pilote and contacts, and the publication if any. Four queries."""
    clubs = list(
        club_list(user=user, school_year=school_year)
        .filter(academie=academie)
        .order_by("bassin__name")
    )
    for club in clubs:
        club.referent = current_mandate(club.year_mandates, MandateRole.REFERENT)
        club.pilote = current_mandate(club.year_mandates, MandateRole.PILOTE)
    publication = (
        DirectoryPublication.objects.select_related("published_by")
        .filter(academie=academie, school_year=school_year)
        .first()
    )
    return Directory(academie, school_year, clubs, publication)


def publications_visible_to(*, user: AnyUser) -> QuerySet[DirectoryPublication]:
    reach = get_reach(user)
    if reach.is_empty:
        return DirectoryPublication.objects.none()
    queryset = DirectoryPublication.objects.select_related("academie", "published_by")
    if reach.national or reach.all_establishments:
        return queryset
    return queryset.filter(academie_id__in=reach.academie_ids | reach.directory_academie_ids)


# --- campus -------------------------------------------------------------------------------


def campuses_visible_to(*, user: AnyUser) -> QuerySet[Campus]:
    reach = get_reach(user)
    if reach.is_empty:
        return Campus.objects.none()
    condition = campuses_q(reach)
    return Campus.objects.all() if condition is None else Campus.objects.filter(condition)


def campus_list(*, user: AnyUser) -> QuerySet[Campus]:
    return (
        campuses_visible_to(user=user)
        .select_related("academie", "head_establishment")
        .annotate(member_count=Count("members"))
    )


def campus_search(queryset: QuerySet[Campus], query: str) -> QuerySet[Campus]:
    """By name or sector, ignoring accents and case."""
    return text_search(queryset, query)


def campus_get(*, user: AnyUser, pk: int) -> Campus:
    return get_object_or_404(
        campuses_visible_to(user=user).select_related("academie", "head_establishment"), pk=pk
    )


def campus_members(campus: Campus) -> list[CampusMember]:
    return list(campus.members.select_related("establishment", "organisation"))


def campuses_label_ending(
    queryset: QuerySet[Campus], *, today: date, months: int
) -> QuerySet[Campus]:
    """Campus whose label is in force today and ends within ``months`` months."""
    from dateutil.relativedelta import relativedelta

    return queryset.filter(
        label_ends_on__gte=today, label_ends_on__lte=today + relativedelta(months=months)
    )
