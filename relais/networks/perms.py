"""Who may change what in the networks area. Reading is decided by the selectors' scoping.

- national administration: everything;
- académie team: the clubs, mandates, annuaire and campus of its académie;
- bassin référent: the club of their bassin (its details and members), not the mandates,
  which are the recteur's and the signatory organisations' decisions.
"""

from django.db.models import Q

from relais.users.enums import Role
from relais.users.scopes import get_reach

from .models import Campus, Club


def clubs_q(reach) -> Q | None:
    """Clubs (and their annuaire) are readable in every académie the user works in or whose
    partner directory they read; a bassin's people see at least their bassin's club."""
    if reach.national or reach.all_establishments:
        return None
    return Q(academie_id__in=reach.academie_ids | reach.directory_academie_ids) | Q(
        bassin_id__in=reach.bassin_ids
    )


def campuses_q(reach) -> Q | None:
    if reach.national or reach.all_establishments:
        return None
    return Q(academie_id__in=reach.academie_ids | reach.directory_academie_ids)


def referent_bassin_ids(user) -> frozenset:
    """Bassins where the user is référent école-entreprise (one query, cached on the user)."""
    cached = getattr(user, "_relais_referent_bassins", None)
    if cached is None:
        if not getattr(user, "is_authenticated", False) or not get_reach(user).has_role(
            Role.BASSIN_REFERENT
        ):
            cached = frozenset()
        else:
            cached = frozenset(
                user.memberships.filter(role=Role.BASSIN_REFERENT).values_list(
                    "bassin_id", flat=True
                )
            )
        user._relais_referent_bassins = cached
    return cached


def can_manage_academie(user, academie_id) -> bool:
    reach = get_reach(user)
    return reach.national or academie_id in reach.managed_academie_ids


def can_create_club(user) -> bool:
    reach = get_reach(user)
    return reach.national or bool(reach.managed_academie_ids)


def can_manage_club(user, club: Club) -> bool:
    """The club's details, charter and members."""
    return can_manage_academie(user, club.academie_id) or club.bassin_id in referent_bassin_ids(
        user
    )


def can_manage_mandates(user, club: Club) -> bool:
    return can_manage_academie(user, club.academie_id)


def can_publish_directory(user) -> bool:
    return can_create_club(user)


def can_create_campus(user) -> bool:
    return can_create_club(user)


def can_manage_campus(user, campus: Campus) -> bool:
    return can_manage_academie(user, campus.academie_id)
