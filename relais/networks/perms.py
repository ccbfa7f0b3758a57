"""Who may change what in the networks area. Reading is decided by the selectors' scoping.

- national administration: everything;
- académie team: the clubs, mandates, annuaire and campus of its académie;
- bassin référent: the club of their bassin (its details and members), not the mandates,
  which are the recteur's and the signatory organisations' decisions.
"""

from django.db.models import Q

from relais.users.enums import Role
from relais.users.scopes import Reach, get_reach
from relais.users.types import AnyUser

from .models import Campus, Club


def volunteer_only(reach: Reach) -> bool:
    """A réserviste with no other role: the clubs (their pilots' names and e-mails) and the
    governance bodies are none of their business (issue 14); they have their own space."""
    return reach.roles == frozenset({Role.VOLUNTEER})


def clubs_q(reach: Reach) -> Q | None:
    """Clubs (and their annuaire) are readable in every académie the user works in or whose
    partner directory they read; a bassin's people see at least their bassin's club."""
    if reach.national or reach.all_establishments:
        return None
    if volunteer_only(reach):
        return Q(pk__in=[])
    return Q(academie_id__in=reach.academie_ids | reach.directory_academie_ids) | Q(
        bassin_id__in=reach.bassin_ids
    )


def campuses_q(reach: Reach) -> Q | None:
    if reach.national or reach.all_establishments:
        return None
    return Q(academie_id__in=reach.academie_ids | reach.directory_academie_ids)


def referent_bassin_ids(user: AnyUser) -> frozenset[int]:
    """Bassins where the user is référent école-entreprise (one query, cached on the user)."""
    cached: frozenset[int] | None = getattr(user, "_relais_referent_bassins", None)
    if cached is None:
        if not user.is_authenticated or not get_reach(user).has_role(Role.BASSIN_REFERENT):
            cached = frozenset()
        else:
            cached = frozenset(
                user.memberships.filter(role=Role.BASSIN_REFERENT).values_list(
                    "bassin_id", flat=True
                )
            )
        # A cache for the request on the instance (User or AnonymousUser), not a field.
        setattr(user, "_relais_referent_bassins", cached)  # noqa: B010
    return cached


def can_manage_academie(user: AnyUser, academie_id: int | None) -> bool:
    reach = get_reach(user)
    return reach.national or academie_id in reach.managed_academie_ids


def can_create_club(user: AnyUser) -> bool:
    reach = get_reach(user)
    return reach.national or bool(reach.managed_academie_ids)


def can_manage_club(user: AnyUser, club: Club) -> bool:
    """The club's details, charter and members."""
    return can_manage_academie(user, club.academie_id) or club.bassin_id in referent_bassin_ids(
        user
    )


def can_manage_mandates(user: AnyUser, club: Club) -> bool:
    return can_manage_academie(user, club.academie_id)


def can_publish_directory(user: AnyUser) -> bool:
    return can_create_club(user)


def can_create_campus(user: AnyUser) -> bool:
    return can_create_club(user)


def can_manage_campus(user: AnyUser, campus: Campus) -> bool:
    return can_manage_academie(user, campus.academie_id)
