"""Who may change which organisation. Reading is decided by the selectors' scoping."""

from relais.core.access import ReachLike

from .enums import OrganisationKind
from .models import Organisation

# Kinds that pôle de stages members and bassin référents may add: the companies and
# associations of their network, not professional organisations or public bodies.
NETWORK_KINDS = {OrganisationKind.COMPANY, OrganisationKind.ASSOCIATION}


def can_create_organisation(reach: ReachLike) -> bool:
    return reach.national or bool(reach.managed_academie_ids or reach.partner_academie_ids)


def creatable_kinds(reach: ReachLike) -> list[str]:
    if reach.national or reach.managed_academie_ids:
        return list(OrganisationKind.values)
    if reach.partner_academie_ids:
        return [kind.value for kind in NETWORK_KINDS]
    return []


def can_edit_organisation(reach: ReachLike, organisation: Organisation) -> bool:
    """National administrators edit everything; the académie team its académie's partners (and
    regional ones of its région); pôle members and référents the companies and associations of
    their académie; a representative their organisation and its children."""
    if reach.national or organisation.pk in reach.organisation_ids:
        return True
    if organisation.academie_id is not None:
        if organisation.academie_id in reach.managed_academie_ids:
            return True
        return (
            organisation.kind in NETWORK_KINDS
            and organisation.academie_id in reach.partner_academie_ids
        )
    return organisation.academic_region_id in reach.managed_region_ids


def can_edit_territory_of(
    reach: ReachLike, *, academie_id: int | None, academic_region_id: int | None, kind: str
) -> bool:
    """May the user place an organisation of ``kind`` on this territory (create or move it)?"""
    probe = Organisation(academie_id=academie_id, academic_region_id=academic_region_id, kind=kind)
    if reach.national:
        return True
    if reach.represents_organisations_only:
        return False
    return can_edit_organisation(reach, probe)
