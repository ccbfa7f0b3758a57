"""Writes on a school's pupils, one at a time (the roster import is ``roster``)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from relais.core.clock import today
from relais.core.dates import SCHOOL_YEAR_MAX, SCHOOL_YEAR_MIN
from relais.establishments.models import Establishment
from relais.users.types import AnyUser

from ..models import Pupil
from ..perms import can_manage_pupils
from ..years import retention_until, roster_year_of

PUPIL_FIELDS = (
    "school_ref",
    "first_name",
    "last_name",
    "class_label",
    "level",
    "school_year",
    "qpv",
    "disability",
    "newly_arrived",
)
# What the purge leaves of a pupil: the flags, level and year stay for the counts.
ANONYMOUS = {"first_name": "Élève", "last_name": "anonymisé", "school_ref": "", "class_label": "—"}


def check_school_year(year: Any) -> int:
    """A plausible roster year (1990–2099), or a French error."""
    try:
        value = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"school_year": "Année scolaire invalide."}) from None
    if not SCHOOL_YEAR_MIN <= value <= SCHOOL_YEAR_MAX:
        raise ValidationError(
            {
                "school_year": f"L'année scolaire doit être comprise entre {SCHOOL_YEAR_MIN} "
                f"et {SCHOOL_YEAR_MAX}."
            }  # fmt: skip
        )
    return value


def pupil_fill(pupil: Pupil, data: Mapping[str, Any]) -> Pupil:
    """Set and check a pupil's fields (not saved). The retention date follows the latest
    roster year the pupil is on."""
    for name in PUPIL_FIELDS:
        if name in data:
            setattr(pupil, name, data[name])
    if pupil.school_year is None:
        pupil.school_year = roster_year_of(today())
    pupil.school_year = check_school_year(pupil.school_year)
    for name in ("first_name", "last_name", "class_label", "school_ref"):
        setattr(pupil, name, " ".join(str(getattr(pupil, name) or "").split()))
    pupil.retention_until = max(
        pupil.retention_until or datetime.date.min, retention_until(pupil.school_year)
    )
    # The school is the caller's object: checking that it exists would cost a query per
    # pupil of a roster.
    pupil.full_clean(exclude=["establishment"], validate_unique=False, validate_constraints=False)
    return pupil


@transaction.atomic
def pupil_create(*, user: AnyUser, establishment: Establishment, data: Mapping[str, Any]) -> Pupil:
    """A pupil added by hand to the user's own school's roster."""
    if not can_manage_pupils(user, establishment):
        raise PermissionDenied("Seul l'établissement de l'élève peut l'inscrire.")
    pupil = pupil_fill(Pupil(establishment=establishment), data)
    _check_school_ref_free(pupil)
    pupil.save()
    return pupil


@transaction.atomic
def pupil_update(*, user: AnyUser, pupil: Pupil, data: Mapping[str, Any]) -> Pupil:
    """Correct a pupil's record (the school only; an anonymised pupil stays anonymous)."""
    if not can_manage_pupils(user, pupil.establishment):
        raise PermissionDenied("Seul l'établissement de l'élève modifie sa fiche.")
    pupil = Pupil.objects.select_for_update().get(pk=pupil.pk)
    if pupil.purged_at:
        raise ValidationError("Les données de cet élève ont été anonymisées.")
    pupil_fill(pupil, data)
    _check_school_ref_free(pupil)
    pupil.save()
    return pupil


def _check_school_ref_free(pupil: Pupil) -> None:
    if not pupil.school_ref:
        return
    taken = Pupil.objects.filter(
        establishment_id=pupil.establishment_id, school_ref=pupil.school_ref
    ).exclude(pk=pupil.pk)
    if taken.exists():
        raise ValidationError(
            {"school_ref": "Un autre élève de l'établissement porte déjà cet identifiant."}
        )


def pupils_expired(*, day: datetime.date) -> list[int]:
    """The pupils whose retention date has passed and who are not anonymised yet."""
    return list(
        Pupil.objects.filter(retention_until__lt=day, purged_at__isnull=True).values_list(
            "pk", flat=True
        )
    )


def pupils_anonymise(*, pupil_ids: list[int]) -> int:
    """Anonymise these pupils (names, identifier, class go; level, year and flags stay for
    the counts). Called by the daily purge (``relais.internships.services.pupils_purge_
    expired``, which also purges what the pôle wrote about them) inside its transaction."""
    return Pupil.objects.filter(pk__in=pupil_ids, purged_at__isnull=True).update(
        **ANONYMOUS, purged_at=timezone.now()
    )
