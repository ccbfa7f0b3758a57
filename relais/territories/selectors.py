"""Reads of the territory, scoped to what the user reaches."""

from django.db.models import Q, QuerySet

from relais.core.access import ReachLike

from .models import Academie, Bassin, Commune


def academies_visible_to(*, reach: ReachLike) -> QuerySet[Academie]:
    if reach.is_empty:
        return Academie.objects.none()
    condition = reach.academies_q()
    queryset = Academie.objects.select_related("region")
    return queryset if condition is None else queryset.filter(condition)


def bassins_visible_to(*, reach: ReachLike) -> QuerySet[Bassin]:
    if reach.is_empty:
        return Bassin.objects.none()
    condition = reach.bassins_q()
    queryset = Bassin.objects.select_related("academie")
    return queryset if condition is None else queryset.filter(condition).distinct()


def communes_search(query: str, *, limit: int | None = 20) -> QuerySet[Commune]:
    """Communes are public reference data: by name start or postal code, accent-insensitive."""
    from relais.core.text import search_key

    key = search_key(query)
    if not key:
        return Commune.objects.none()
    if key.isdigit():
        condition = Q(postal_code__startswith=key) | Q(insee_code__startswith=key)
    else:
        condition = Q(search_text__startswith=key)
    return Commune.objects.filter(condition).order_by("name")[:limit]
