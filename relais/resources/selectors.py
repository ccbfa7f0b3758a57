"""Reads of the library of kits and resources, restricted to the user."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from relais.users.scopes import get_reach
from relais.users.types import AnyUser

from .enums import ResourceKind, Topic, UseKind
from .models import Resource, ResourceVersion


def _academie_ids(user: AnyUser) -> frozenset[int]:
    reach = get_reach(user)
    return frozenset(reach.academie_ids | reach.directory_academie_ids)


def resources_visible_to(*, user: AnyUser) -> QuerySet[Resource]:
    """The national resources and those of the user's académies (the national team: all);
    anyone without a role: none. Archived resources stay readable (their history)."""
    reach = get_reach(user)
    if reach.is_empty:
        return Resource.objects.none()
    queryset = Resource.objects.select_related("current", "academie")
    if reach.national:
        return queryset
    return queryset.filter(Q(academie__isnull=True) | Q(academie_id__in=_academie_ids(user)))


def with_use_counts(queryset: QuerySet[Resource]) -> QuerySet[Resource]:
    """Each resource with its number of opens, downloads and sends (one query)."""
    return queryset.annotate(
        opens=Count("uses", filter=Q(uses__kind=UseKind.OPEN)),
        downloads=Count("uses", filter=Q(uses__kind=UseKind.DOWNLOAD)),
        sends=Count("uses", filter=Q(uses__kind=UseKind.SEND)),
    )


def version_use_counts(resource: Resource) -> dict[int, dict[str, int]]:
    """For each version number of ``resource``: its uses by kind (one query)."""
    rows = (
        ResourceVersion.objects.filter(resource=resource)
        .annotate(
            opens=Count("uses", filter=Q(uses__kind=UseKind.OPEN)),
            downloads=Count("uses", filter=Q(uses__kind=UseKind.DOWNLOAD)),
            sends=Count("uses", filter=Q(uses__kind=UseKind.SEND)),
        )
        .values("number", "opens", "downloads", "sends")
    )
    return {
        row["number"]: {"opens": row["opens"], "downloads": row["downloads"], "sends": row["sends"]}
        for row in rows
    }


def tutor_kit_for(*, academie_id: int | None) -> Resource | None:
    """The tutor kit sent with every proposal to a company (Mesure 2: help companies
    prepare the arrival of a stagiaire de 3e): the académie's own kit in force, else the
    national one; None when neither exists (one query)."""
    kits = list(
        Resource.objects.select_related("current")
        .filter(kind=ResourceKind.TUTOR_KIT, archived_at__isnull=True, current__isnull=False)
        .filter(Q(academie__isnull=True) | Q(academie_id=academie_id))
    )
    kits.sort(key=lambda kit: kit.academie_id is None)
    return kits[0] if kits else None


def preparation_resources(*, user: AnyUser, academie_id: int | None) -> dict[str, list[Resource]]:
    """The resources for teachers on each of the four contents of the preparation of the
    stage de 3e (Mesure 2), national and of the académie, in force (one query)."""
    rows = (
        resources_visible_to(user=user)
        .filter(kind=ResourceKind.PREPARATION, archived_at__isnull=True, current__isnull=False)
        .filter(Q(academie__isnull=True) | Q(academie_id=academie_id))
        .order_by("title", "pk")
    )
    found: dict[str, list[Resource]] = {topic.value: [] for topic in Topic}
    for resource in rows:
        found.setdefault(resource.topic, []).append(resource)
    return found
