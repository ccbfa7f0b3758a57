"""Who may do what with pupils: the pupil's school (head of school, teacher) keeps its
roster; reading is decided by the selectors' scoping (the school, and the pôle de stages of
the bassin for the pupils referred to it: ``relais.internships.selectors``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from relais.users.scopes import get_reach
from relais.users.types import AnyUser

if TYPE_CHECKING:
    from relais.establishments.models import Establishment


def is_school_of(user: AnyUser, establishment_id: int | None) -> bool:
    return establishment_id in get_reach(user).establishment_ids


def can_manage_pupils(user: AnyUser, establishment: Establishment) -> bool:
    """Import the roster, add, edit a pupil: the pupil's school only."""
    return is_school_of(user, establishment.pk)


def can_manage_any_pupils(user: AnyUser) -> bool:
    return bool(get_reach(user).establishment_ids)
