"""Reads of the partner directory, always scoped to what the user reaches."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from relais.core.access import ReachLike
from relais.core.search import text_search

from .models import Organisation


def organisations_visible_to(*, reach: ReachLike) -> QuerySet[Organisation]:
    """National partners for everyone; regional ones in their région académique; local ones in
    their académie; a representative sees their organisation and its children only."""
    if reach.is_empty:
        return Organisation.objects.none()
    condition = reach.organisations_q()
    queryset = Organisation.objects.all()
    return queryset if condition is None else queryset.filter(condition)


def organisation_list(*, reach: ReachLike) -> QuerySet[Organisation]:
    return organisations_visible_to(reach=reach).select_related(
        "commune", "academie", "academic_region", "parent", "naf"
    )


def organisation_search(queryset: QuerySet[Organisation], query: str) -> QuerySet[Organisation]:
    """By name or acronym (accent- and case-insensitive), SIRET or commune."""
    return text_search(queryset, query, exact_fields=("siret",))


def organisation_get(*, reach: ReachLike, pk: int) -> Organisation:
    return get_object_or_404(organisation_list(reach=reach), pk=pk)


def is_visible_to(*, reach: ReachLike, organisation: Organisation) -> bool:
    """Whether the holder of ``reach`` may read ``organisation`` (the rule of
    ``organisations_visible_to``)."""
    return organisations_visible_to(reach=reach).filter(pk=organisation.pk).exists()


def siret_holder(*, siret: str, exclude_pk: int | None = None) -> Organisation | None:
    """The organisation holding this SIRET, visible to the user or not: only to refuse a
    duplicate. Never show it to a user without checking ``is_visible_to`` first."""
    queryset = Organisation.objects.filter(siret=siret)
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    return queryset.first()
