"""Who may run which governance body. Reading is decided by ``selectors.bodies_visible_to``.

- a convention's body (comité stratégique, comité de pilotage, groupe projet) is run by the
  team that manages the convention (``relais.agreements.perms.can_manage``: the académie
  team of its scope, the national administration for a national convention);
- a club's body (comité de pilotage de club) is run by the académie team of the club's
  académie and by the référent école-entreprise of its bassin, who co-animates it with the
  pilote (Lille, « Gouvernance et mise en œuvre », échelle du bassin);
- a conseil sectoriel national (Mesure 5), its members, meetings and recommendations are
  run by the national administration;
- an annual report belongs to its convention: same rule as the convention's bodies.
"""

from typing import Protocol

from django.db.models import Q

from relais.agreements.models import Agreement
from relais.agreements.perms import can_manage
from relais.users.enums import Role
from relais.users.scopes import Reach, get_reach
from relais.users.types import AnyUser

from .models import Body


class ClubLike(Protocol):
    """A ``relais.networks.models.Club``, which governance may not import (networks imports
    governance: import-linter forbids the cycle, even for types)."""

    @property
    def pk(self) -> int: ...

    @property
    def academie_id(self) -> int: ...

    @property
    def bassin_id(self) -> int: ...


def clubs_in_reach_q(reach: Reach, prefix: str = "") -> Q | None:
    """Clubs readable by a reach: every club of the académies the user works in or reads the
    partner directory of, and the club of their bassin. None: no restriction."""
    if reach.national or reach.all_establishments:
        return None
    return Q(**{f"{prefix}academie_id__in": reach.academie_ids | reach.directory_academie_ids}) | Q(
        **{f"{prefix}bassin_id__in": reach.bassin_ids}
    )


def referent_bassin_ids(user: AnyUser) -> frozenset[int]:
    """Bassins where ``user`` is référent école-entreprise (one query, cached on the user)."""
    cached: frozenset[int] | None = getattr(user, "_relais_gov_referent_bassins", None)
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
        setattr(user, "_relais_gov_referent_bassins", cached)  # noqa: B010
    return cached


def can_manage_club(user: AnyUser, club: ClubLike) -> bool:
    reach = get_reach(user)
    if reach.national or club.academie_id in reach.managed_academie_ids:
        return True
    return club.bassin_id in referent_bassin_ids(user)


def can_manage_body(user: AnyUser, body: Body) -> bool:
    """Edit the body, its members and meetings, record minutes and send them."""
    if body.is_sector_council:
        return get_reach(user).national
    if body.agreement is not None:  # body.agreement_id
        return can_manage(user, body.agreement)
    club = body.club  # a body belongs to a convention or to a club (a check constraint)
    return club is not None and can_manage_club(user, club)


def can_create_body(user: AnyUser) -> bool:
    reach = get_reach(user)
    return reach.national or bool(reach.managed_academie_ids) or bool(referent_bassin_ids(user))


def can_create_council(user: AnyUser) -> bool:
    """A conseil sectoriel national is set up by the ministry (Mesure 5): the national
    administration."""
    return get_reach(user).national


def can_manage_report(user: AnyUser, agreement: Agreement) -> bool:
    """Write and validate a convention's annual report."""
    return can_manage(user, agreement)
