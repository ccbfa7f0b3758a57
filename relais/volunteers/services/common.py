"""Plumbing shared by the services: recipients, required texts. (State transitions and their
journals are in ``relais.volunteers.workflows``.)"""

from __future__ import annotations

from relais.organisations.models import Organisation
from relais.users.enums import Role
from relais.users.models import Membership

from ..texts import require_text

__all__ = ["organisation_emails", "require_text", "team_emails"]


def team_emails(academie_id: int) -> list[str]:
    """The académie team (DAET) of an académie: who receives its to-do e-mails."""
    return list(
        Membership.objects.filter(
            role=Role.ACADEMIE_TEAM, academie_id=academie_id, user__is_active=True
        ).values_list("user__email", flat=True)
    )


def organisation_emails(organisation: Organisation) -> list[str]:
    """The organisation's address and its representatives'."""
    emails = list(
        Membership.objects.filter(
            role=Role.ORGANISATION_REP, organisation_id=organisation.pk, user__is_active=True
        ).values_list("user__email", flat=True)
    )
    if organisation.email:
        emails.append(organisation.email)
    return emails
