"""Who may do what in the catalogue of actions. Reading is decided by the selectors.

- a partner (organisation representative) publishes and manages the offers of its
  organisation and answers the requests they receive;
- the académie team does the same for any partner of its académie;
- a school (head of school, teacher) requests actions, cancels its requests and declares
  them done; the académie team may act for any school of its académie.
"""

from django.db.models import Q

from relais.users.scopes import get_reach

from .models import ActionRequest, Offer


def can_create_offer(user) -> bool:
    reach = get_reach(user)
    return reach.national or bool(reach.managed_academie_ids or reach.organisation_ids)


def can_manage_offer(user, offer: Offer) -> bool:
    reach = get_reach(user)
    return (
        reach.national
        or offer.organisation_id in reach.organisation_ids
        or offer.academie_id in reach.managed_academie_ids
    )


def offer_managers_q(reach) -> Q:
    return Q(organisation_id__in=reach.organisation_ids) | Q(
        academie_id__in=reach.managed_academie_ids
    )


def can_act_for_school(user, establishment) -> bool:
    reach = get_reach(user)
    return (
        reach.national
        or establishment.pk in reach.establishment_ids
        or establishment.academie_id in reach.managed_academie_ids
    )


def can_request(user) -> bool:
    reach = get_reach(user)
    return reach.national or bool(reach.establishment_ids or reach.managed_academie_ids)


def can_answer(user, request: ActionRequest) -> bool:
    return can_manage_offer(user, request.offer)


def school_side_q(reach, prefix: str = "") -> Q:
    """Requests and records of the schools the user works for, or oversees (bassin, académie
    team)."""
    return (
        Q(**{f"{prefix}establishment_id__in": reach.establishment_ids})
        | Q(**{f"{prefix}establishment__bassin_id__in": reach.bassin_ids})
        | Q(**{f"{prefix}establishment__academie_id__in": reach.managed_academie_ids})
    )
