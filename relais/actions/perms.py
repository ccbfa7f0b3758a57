"""Who may do what in the catalogue of actions. Reading is decided by the selectors; the
workflows (``workflows.py``) fire their transitions with these predicates.

- a partner (organisation representative) publishes and manages the offers of its
  organisation and answers the requests they receive;
- the académie team does the same for any partner of its académie;
- a school (head of school, teacher) requests actions, cancels its requests and declares
  them done; the académie team may act for any school of its académie. Once a request is
  accepted, the partner may also cancel it or declare it done.

Each rule is written once here, as a predicate on one object and, where pages and forms
need the list of objects it allows, as the matching query (``*_q``): the forms' choices,
the pages' buttons, the API and the services cannot disagree.
"""

from django.db.models import Q

from relais.establishments.models import Establishment
from relais.users.scopes import Reach, get_reach
from relais.users.types import AnyUser

from .enums import RequestState
from .models import ActionRequest, Offer


def can_create_offer(user: AnyUser) -> bool:
    reach = get_reach(user)
    return reach.national or bool(reach.managed_academie_ids or reach.organisation_ids)


def can_manage_offer(user: AnyUser, offer: Offer) -> bool:
    reach = get_reach(user)
    return (
        reach.national
        or offer.organisation_id in reach.organisation_ids
        or offer.academie_id in reach.managed_academie_ids
    )


def offer_managers_q(reach: Reach) -> Q:
    return Q(organisation_id__in=reach.organisation_ids) | Q(
        academie_id__in=reach.managed_academie_ids
    )


def offer_partners_q(reach: Reach) -> Q:
    """The organisations the user publishes offers for (the form's choices): its own, and
    for the académie team those of its académies and those without an académie (regional
    and national organisations). Everyone, nationally. The service still checks the pair
    (partner, académie) with ``can_manage_offer``."""
    if reach.national:
        return Q()
    condition = Q(pk__in=reach.organisation_ids)
    if reach.managed_academie_ids:
        condition |= Q(academie_id__in=reach.managed_academie_ids) | Q(academie__isnull=True)
    return condition


def can_act_for_school(user: AnyUser, establishment: Establishment) -> bool:
    reach = get_reach(user)
    return (
        reach.national
        or establishment.pk in reach.establishment_ids
        or establishment.academie_id in reach.managed_academie_ids
    )


def acted_for_schools_q(reach: Reach) -> Q:
    """The établissements the user acts for (requests, actions done): the same rule as
    ``can_act_for_school``, as a filter on establishments."""
    if reach.national:
        return Q()
    return Q(pk__in=reach.establishment_ids) | Q(academie_id__in=reach.managed_academie_ids)


def can_request(user: AnyUser) -> bool:
    reach = get_reach(user)
    return reach.national or bool(reach.establishment_ids or reach.managed_academie_ids)


def can_request_offer(user: AnyUser, offer: Offer) -> bool:
    """The offer is in the catalogue and the user acts for at least one school."""
    return offer.is_published and can_request(user)


def can_answer(user: AnyUser, request: ActionRequest) -> bool:
    """Accept or decline: the partner who offers the action (or whoever manages it)."""
    return can_manage_offer(user, request.offer)


def can_cancel_request(user: AnyUser, request: ActionRequest) -> bool:
    """The school withdraws its request; once accepted, the partner may cancel it too."""
    return can_act_for_school(user, request.establishment) or (
        request.state == RequestState.ACCEPTED and can_answer(user, request)
    )


def can_complete_request(user: AnyUser, request: ActionRequest) -> bool:
    """Either side declares the action done."""
    return can_act_for_school(user, request.establishment) or can_answer(user, request)


def school_side_q(reach: Reach, prefix: str = "") -> Q:
    """Requests and records of the schools the user works for, or oversees (bassin, académie
    team)."""
    return (
        Q(**{f"{prefix}establishment_id__in": reach.establishment_ids})
        | Q(**{f"{prefix}establishment__bassin_id__in": reach.bassin_ids})
        | Q(**{f"{prefix}establishment__academie_id__in": reach.managed_academie_ids})
    )
