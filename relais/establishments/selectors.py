"""Reads of établissements, always scoped to what the user reaches."""

from django.db.models import QuerySet

from relais.core.access import ReachLike
from relais.core.search import text_search

from .models import Establishment


def establishments_visible_to(*, reach: ReachLike) -> QuerySet[Establishment]:
    """Établissements the user may see: their académie, bassin or school (see users.scopes).
    Anything else is absent from lists, search, exports and the API, and answers 404."""
    if reach.is_empty:
        return Establishment.objects.none()
    condition = reach.establishments_q()
    queryset = Establishment.objects.all()
    return queryset if condition is None else queryset.filter(condition)


def establishment_list(*, reach: ReachLike) -> QuerySet[Establishment]:
    """The list view's queryset: one query whatever the page size (joins, no N+1)."""
    return establishments_visible_to(reach=reach).select_related("commune", "bassin", "academie")


def establishment_search(queryset: QuerySet[Establishment], query: str) -> QuerySet[Establishment]:
    """By name, commune, postal code or UAI, ignoring accents and case."""
    return text_search(queryset, query, exact_fields=("uai",))


def establishment_get(*, reach: ReachLike, uai: str) -> Establishment:
    """One établissement by UAI, or Http404 when it is outside the user's reach."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        establishment_list(reach=reach).select_related("departement", "academie__region"),
        uai=uai.upper(),
    )
