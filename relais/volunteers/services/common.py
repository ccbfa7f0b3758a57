"""Plumbing shared by the services: state transitions with their journal, recipients."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from relais.users.enums import Role
from relais.users.models import Membership


def fire(obj, *, journal, link: str, transitions: dict, to_state, user, note: str = "") -> None:
    """Move ``obj`` to ``to_state`` if ``transitions`` allows it from its state, and write a
    line of ``journal`` (who, when, from, to, why). The caller saves ``obj``."""
    from_state = type(to_state)(obj.state)
    if to_state not in transitions[from_state]:
        raise ValidationError(
            f"Impossible de passer de « {from_state.label} » à « {to_state.label} »."
        )
    obj.state = to_state
    journal.objects.create(
        **{link: obj},
        from_state=from_state,
        to_state=to_state,
        by=user if getattr(user, "is_authenticated", False) else None,
        note=note,
    )


def log_creation(obj, *, journal, link: str, user, note: str = "") -> None:
    journal.objects.create(
        **{link: obj},
        from_state="",
        to_state=obj.state,
        by=user if getattr(user, "is_authenticated", False) else None,
        note=note,
    )


def team_emails(academie_id) -> list[str]:
    """The académie team (DAET) of an académie: who receives its to-do e-mails."""
    return list(
        Membership.objects.filter(
            role=Role.ACADEMIE_TEAM, academie_id=academie_id, user__is_active=True
        ).values_list("user__email", flat=True)
    )


def organisation_emails(organisation) -> list[str]:
    """The organisation's address and its representatives'."""
    emails = list(
        Membership.objects.filter(
            role=Role.ORGANISATION_REP, organisation_id=organisation.pk, user__is_active=True
        ).values_list("user__email", flat=True)
    )
    if organisation.email:
        emails.append(organisation.email)
    return emails


def require_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value
