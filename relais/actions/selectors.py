"""Reads of the catalogue, scoped by the user's reach; the distance search from a school."""

from __future__ import annotations

from django.db.models import Case, Count, F, FloatField, Q, QuerySet, Value, When
from django.db.models.functions import ASin, Cos, Least, Power, Radians, Sin, Sqrt
from django.shortcuts import get_object_or_404

from relais.core.search import text_search
from relais.establishments.models import Establishment
from relais.organisations.models import Organisation
from relais.organisations.selectors import organisations_visible_to
from relais.users.scopes import get_reach
from relais.users.types import AnyUser

from .enums import OfferState, RequestState
from .models import ActionRecord, ActionRequest, Offer
from .perms import acted_for_schools_q, offer_managers_q, offer_partners_q, school_side_q

EARTH_RADIUS_KM = 6371.0
BOOKED = [RequestState.ACCEPTED, RequestState.DONE]


def offers_visible_to(*, user: AnyUser) -> QuerySet[Offer]:
    """Published offers of the académies the user works in or reads; any offer (drafts,
    closed) of the partners or académies the user manages."""
    reach = get_reach(user)
    if reach.is_empty:
        return Offer.objects.none()
    if reach.national:
        return Offer.objects.all()
    published = Q(state=OfferState.PUBLISHED)
    if not reach.all_establishments:
        published &= Q(academie_id__in=reach.academie_ids | reach.directory_academie_ids) | Q(
            bassin_id__in=reach.bassin_ids
        )
    return Offer.objects.filter(published | offer_managers_q(reach))


def offer_partners(*, user: AnyUser) -> QuerySet[Organisation]:
    """The partners the user may publish an offer for (``perms.offer_partners_q``), among
    the active organisations they see."""
    return (
        organisations_visible_to(reach=get_reach(user))
        .filter(archived_at__isnull=True)
        .filter(offer_partners_q(get_reach(user)))
        .order_by("name")
    )


def schools_acted_for(*, user: AnyUser) -> QuerySet[Establishment]:
    """The établissements the user requests actions and declares them for
    (``perms.can_act_for_school`` as a query)."""
    reach = get_reach(user)
    if reach.is_empty:
        return Establishment.objects.none()
    return Establishment.objects.filter(acted_for_schools_q(reach))


def booked_count(offer: Offer) -> int:
    """Places taken: the offer's accepted and done requests."""
    return offer.requests.filter(state__in=BOOKED).count()


def offer_list(*, user: AnyUser) -> QuerySet[Offer]:
    """With partner, area and the number of places taken (accepted or done requests)."""
    return (
        offers_visible_to(user=user)
        .select_related("organisation", "academie", "bassin", "commune")
        .annotate(booked=Count("requests", filter=Q(requests__state__in=BOOKED)))
    )


def offer_search(queryset: QuerySet[Offer], query: str) -> QuerySet[Offer]:
    """By title, partner, kind or commune, ignoring accents and case."""
    return text_search(queryset, query)


def offer_get(*, user: AnyUser, pk: int) -> Offer:
    return get_object_or_404(offer_list(user=user), pk=pk)


def distance_km(latitude: float, longitude: float) -> Case:
    """Great-circle distance (haversine) from a point to the offer's place, in SQL."""
    lat1, lon1 = Radians(Value(latitude)), Radians(Value(longitude))
    lat2, lon2 = Radians(F("latitude")), Radians(F("longitude"))
    a = Power(Sin((lat2 - lat1) / 2), 2) + Cos(lat1) * Cos(lat2) * Power(Sin((lon2 - lon1) / 2), 2)
    # LEAST ignores NULL in PostgreSQL: an offer without a place gets NULL explicitly.
    return Case(
        When(latitude__isnull=True, then=Value(None)),
        default=Value(2 * EARTH_RADIUS_KM) * ASin(Least(Sqrt(a), Value(1.0))),
        output_field=FloatField(),
    )


def offers_near(
    queryset: QuerySet[Offer], establishment: Establishment, *, max_km: float | None = None
) -> QuerySet[Offer]:
    """Offers whose area covers the school (its académie, its bassin if the offer names one,
    within the offer's radius), nearest first; ``max_km`` keeps those at most that far. An
    offer without a place (the whole académie or bassin) comes after the placed ones."""
    queryset = queryset.filter(academie_id=establishment.academie_id).filter(
        Q(bassin__isnull=True) | Q(bassin_id=establishment.bassin_id)
    )
    latitude, longitude = establishment.latitude, establishment.longitude
    if latitude is None or longitude is None:  # not establishment.has_coordinates
        return queryset.filter(radius_km__isnull=True)
    queryset = queryset.annotate(distance=distance_km(latitude, longitude))
    queryset = queryset.filter(Q(radius_km__isnull=True) | Q(distance__lte=F("radius_km")))
    if max_km is not None:
        queryset = queryset.filter(Q(distance__isnull=True) | Q(distance__lte=max_km))
    return queryset.order_by(F("distance").asc(nulls_last=True), "title")


def catalogue_near(
    queryset: QuerySet[Offer], establishment: Establishment, *, max_km: float | None = None
) -> QuerySet[Offer]:
    """« Near my school »: the published offers whose area covers the school, nearest
    first (drafts and closed offers of the partners one manages are left out)."""
    return offers_near(queryset.filter(state=OfferState.PUBLISHED), establishment, max_km=max_km)


def request_covers(offer: Offer, establishment: Establishment) -> bool:
    """Is the school in the offer's area? (same rule as offers_near, one query)."""
    return offers_near(Offer.objects.filter(pk=offer.pk), establishment).exists()


def requests_visible_to(*, user: AnyUser) -> QuerySet[ActionRequest]:
    """The school side sees its schools' requests (bassin and académie team: theirs); the
    partner sees the requests for its offers."""
    reach = get_reach(user)
    if reach.is_empty:
        return ActionRequest.objects.none()
    if reach.national:
        return ActionRequest.objects.all()
    return ActionRequest.objects.filter(
        school_side_q(reach) | Q(offer__in=Offer.objects.filter(offer_managers_q(reach)))
    )


def request_list(*, user: AnyUser) -> QuerySet[ActionRequest]:
    return requests_visible_to(user=user).select_related(
        "offer__organisation", "establishment", "requested_by"
    )


def request_get(*, user: AnyUser, pk: int) -> ActionRequest:
    return get_object_or_404(
        request_list(user=user).select_related("offer__academie", "answered_by"), pk=pk
    )


def records_visible_to(*, user: AnyUser) -> QuerySet[ActionRecord]:
    reach = get_reach(user)
    if reach.is_empty:
        return ActionRecord.objects.none()
    if reach.national:
        return ActionRecord.objects.all()
    return ActionRecord.objects.filter(
        school_side_q(reach) | Q(organisation_id__in=reach.organisation_ids)
    )


def record_list(*, user: AnyUser) -> QuerySet[ActionRecord]:
    return records_visible_to(user=user).select_related("establishment", "organisation")


def records_of(establishment: Establishment, school_year: int) -> QuerySet[ActionRecord]:
    """Actions done by a school during a school year: what the parcours Avenir reads."""
    return ActionRecord.objects.filter(establishment=establishment, school_year=school_year)
