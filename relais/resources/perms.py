"""Who may do what with the library of kits and resources.

- everybody with a role reads the national resources and those of their académies;
- the académie team manages its académie's resources, the national team the national ones
  (Mesure 7: kits « mis à disposition » by the ministry, declined by each académie);
- the counts of uses are read by those who manage the resource.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from relais.users.scopes import get_reach
from relais.users.types import AnyUser

if TYPE_CHECKING:
    from .models import Resource


def can_manage_resources(user: AnyUser) -> bool:
    """The national team or an académie team: they add resources to the library."""
    reach = get_reach(user)
    return bool(reach.national or reach.managed_academie_ids)


def can_manage_academie(user: AnyUser, academie_id: int | None) -> bool:
    """National resources (``academie_id`` None) are the national team's; an académie's are
    its team's (and the national team's)."""
    reach = get_reach(user)
    if reach.national:
        return True
    return academie_id is not None and academie_id in reach.managed_academie_ids


def can_manage_resource(user: AnyUser, resource: Resource) -> bool:
    return can_manage_academie(user, resource.academie_id)
