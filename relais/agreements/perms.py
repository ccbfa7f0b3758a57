"""Who may change which convention. Reading is decided by ``selectors.agreements_visible_to``.

Only the académie team of a convention's scope drives its life (edits, signatures,
avenants, termination): the team of its académie for an académie, bassin or établissement
convention, of its région académique's académies for a regional one, and the national
administrators for a national one.
"""

from relais.users.scopes import get_reach

from .enums import AgreementScope


def can_manage_scope(user, *, scope, academie_id=None, academic_region_id=None) -> bool:
    reach = get_reach(user)
    if reach.national:
        return True
    if scope == AgreementScope.NATIONAL:
        return False
    if scope == AgreementScope.ACADEMIC_REGION:
        return academic_region_id in reach.managed_region_ids
    return academie_id in reach.managed_academie_ids


def can_manage(user, agreement) -> bool:
    return can_manage_scope(
        user,
        scope=agreement.scope,
        academie_id=agreement.academie_id,
        academic_region_id=agreement.academic_region_id,
    )


def can_create(user) -> bool:
    reach = get_reach(user)
    return reach.national or bool(reach.managed_academie_ids)
