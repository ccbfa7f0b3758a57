"""Campus des métiers et des qualifications: the campus, its 4-year label and its
members (12 mesures of 2015, fiche 4)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from relais.core.text import search_key
from relais.core.validation import check_date_range
from relais.establishments.models import Establishment
from relais.organisations.models import Organisation
from relais.users.types import AnyUser

from .. import rules
from ..models import Campus, CampusMember
from ..perms import can_create_campus, can_manage_academie, can_manage_campus
from .common import _denied, _locked

CAMPUS_FIELDS = [
    "name",
    "sector",
    "academie",
    "head_establishment",
    "description",
    "website",
    "contact_email",
    "label_starts_on",
    "label_reference",
]


def campus_search_text(campus: Campus) -> str:
    return search_key(campus.name, campus.sector)


@transaction.atomic
def campus_save(*, user: AnyUser, campus: Campus | None = None, data: dict[str, Any]) -> Campus:
    """Create or change a campus des métiers et des qualifications. Its label lasts 4 years
    (« labellise, pour une durée de 4 ans », 12 mesures, fiche 4): the end is computed."""
    creating = campus is None
    campus = campus or Campus()
    if creating and not can_create_campus(user):
        _denied("Seule l'équipe académique enregistre les campus des métiers.")
    if not creating and not can_manage_campus(user, campus):
        _denied("Vous ne pouvez pas modifier ce campus.")
    for field in CAMPUS_FIELDS:
        if field in data:
            setattr(campus, field, data[field])
    if campus.academie_id is None or not can_manage_academie(user, campus.academie_id):
        raise PermissionDenied("Vous ne pouvez pas rattacher un campus à cette académie.")
    if campus.head_establishment and campus.head_establishment.academie_id != campus.academie_id:
        raise ValidationError(
            {"head_establishment": "L'établissement support doit être dans l'académie du campus."}
        )
    check_date_range(campus.label_starts_on, "label_starts_on")
    if campus.label_starts_on:
        campus.label_ends_on = rules.campus_label_end(campus.label_starts_on)
    campus.search_text = campus_search_text(campus)
    campus.full_clean()
    campus.save()
    return campus


@transaction.atomic
def campus_label_renew(
    *, user: AnyUser, campus: Campus, starts_on: date, reference: str = ""
) -> Campus:
    """A new 4-year label, starting at the earliest the day after the current one ends… or
    earlier when the ministry relabels before the end (the new start then replaces it)."""
    if not can_manage_campus(user, campus):
        _denied("Vous ne pouvez pas modifier ce campus.")
    _locked(campus)
    check_date_range(starts_on, "label_starts_on")
    if starts_on <= campus.label_starts_on:
        raise ValidationError(
            {"label_starts_on": "Le nouveau label commence après le label en cours."}
        )
    campus.label_starts_on = starts_on
    campus.label_ends_on = rules.campus_label_end(starts_on)
    campus.label_reference = reference or campus.label_reference
    campus.save()
    return campus


@transaction.atomic
def campus_member_add(
    *,
    user: AnyUser,
    campus: Campus,
    kind: str,
    establishment: Establishment | None = None,
    organisation: Organisation | None = None,
    name: str = "",
) -> CampusMember:
    """Add a school, a higher-education body, a company or a community to the campus."""
    if not can_manage_campus(user, campus):
        _denied("Vous ne pouvez pas modifier ce campus.")
    name = name.strip()
    if establishment is None and organisation is None and not name:
        raise ValidationError("Indiquez un établissement, une organisation ou un nom.")
    _locked(campus)  # each member once, even for two requests at once
    duplicate = (
        establishment is not None and campus.members.filter(establishment=establishment).exists()
    ) or (organisation is not None and campus.members.filter(organisation=organisation).exists())
    if duplicate:
        raise ValidationError("Ce membre fait déjà partie du campus.")
    return CampusMember.objects.create(
        campus=campus, kind=kind, establishment=establishment, organisation=organisation, name=name
    )


@transaction.atomic
def campus_member_remove(*, user: AnyUser, member: CampusMember) -> None:
    if not can_manage_campus(user, member.campus):
        _denied("Vous ne pouvez pas modifier ce campus.")
    member.delete()
