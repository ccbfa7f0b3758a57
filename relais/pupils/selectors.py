"""Reads of pupils. A pupil's name never leaves their school (and the pôle de stages that
handles their case: ``relais.internships.selectors.pupils_visible_to`` adds it); above the
school, only counts (``relais.pathways``)."""

from __future__ import annotations

from typing import TypedDict

from django.db.models import Count, Q, QuerySet

from relais.users.scopes import get_reach
from relais.users.types import AnyUser

from .models import Pupil


class ClassRow(TypedDict):
    class_label: str
    level: str
    pupils: int


def pupils_of_schools(*, user: AnyUser) -> QuerySet[Pupil]:
    """The pupils of the user's own schools (head of school, teacher), anonymised ones
    excluded: the school's roster as its staff read it."""
    ids = get_reach(user).establishment_ids
    if not ids:
        return Pupil.objects.none()
    return Pupil.objects.filter(establishment_id__in=ids, purged_at__isnull=True)


def roster(*, user: AnyUser, establishment_id: int, school_year: int) -> QuerySet[Pupil]:
    """One school's roster of one year, by class then name."""
    return (
        pupils_of_schools(user=user)
        .filter(establishment_id=establishment_id, school_year=school_year)
        .order_by("class_label", "last_name", "first_name", "pk")
    )


def classes_of(*, user: AnyUser, establishment_id: int, school_year: int) -> list[ClassRow]:
    """The classes of a school's roster with their level and size: ``[{class_label, level,
    pupils}]``, ordered by level then class."""
    return list(
        roster(user=user, establishment_id=establishment_id, school_year=school_year)
        .order_by()
        .values("class_label", "level")
        .annotate(pupils=Count("pk"))
        .order_by("level", "class_label")
    )


def class_pupils(
    *, user: AnyUser, establishment_id: int, school_year: int, class_label: str
) -> QuerySet[Pupil]:
    return roster(user=user, establishment_id=establishment_id, school_year=school_year).filter(
        class_label=class_label
    )


def pupils_matching(queryset: QuerySet[Pupil], query: str) -> QuerySet[Pupil]:
    """The pupils of ``queryset`` whose names hold every word of ``query`` (accents and case
    ignored: « lea MARTIN » finds Léa Martin)."""
    for word in query.split()[:5]:
        queryset = queryset.filter(
            Q(last_name__unaccent__icontains=word) | Q(first_name__unaccent__icontains=word)
        )
    return queryset


def roster_years(*, user: AnyUser, establishment_id: int) -> list[int]:
    """The years of the school's rosters that hold pupils, latest first."""
    return list(
        pupils_of_schools(user=user)
        .filter(establishment_id=establishment_id)
        .order_by("-school_year")
        .values_list("school_year", flat=True)
        .distinct()
    )
