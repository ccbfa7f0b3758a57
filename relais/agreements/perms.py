"""Who may change which convention. Reading is decided by ``selectors.agreements_visible_to``.

Only the académie team of a convention's scope drives its life (edits, signatures,
avenants, termination): the team of its académie for an académie, bassin or établissement
convention, of its région académique's académies for a regional one, and the national
administrators for a national one.
"""

from relais.users.scopes import get_reach
from relais.users.types import AnyUser

from .enums import AgreementScope
from .models import Agreement


def can_manage_scope(
    user: AnyUser,
    *,
    scope: str,
    academie_id: int | None = None,
    academic_region_id: int | None = None,
) -> bool:
    reach = get_reach(user)
    if reach.national:
        return True
    if scope == AgreementScope.NATIONAL:
        return False
    if scope == AgreementScope.ACADEMIC_REGION:
        return academic_region_id in reach.managed_region_ids
    return academie_id in reach.managed_academie_ids


def can_manage(user: AnyUser, agreement: Agreement) -> bool:
    return can_manage_scope(
        user,
        scope=agreement.scope,
        academie_id=agreement.academie_id,
        academic_region_id=agreement.academic_region_id,
    )


def can_create(user: AnyUser) -> bool:
    reach = get_reach(user)
    return reach.national or bool(reach.managed_academie_ids)
