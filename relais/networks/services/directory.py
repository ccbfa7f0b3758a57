"""The annuaire des clubs of an académie: its publication after the June strategic
committee."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from relais.core.school_years import school_year_label
from relais.core.validation import check_date_range
from relais.governance.enums import BodyKind
from relais.governance.models import Meeting
from relais.territories.models import Academie
from relais.users.types import AnyUser

from .. import rules
from ..models import DirectoryPublication
from ..perms import can_manage_academie, can_publish_directory
from .common import _denied


@transaction.atomic
def directory_publish(
    *,
    user: AnyUser,
    academie: Academie,
    school_year: int,
    published_on: date | None = None,
    strategic_meeting: Meeting | None = None,
    note: str = "",
) -> DirectoryPublication:
    """Record that the annuaire des clubs of ``school_year`` was published: « Un annuaire
    des clubs école-entreprise est communiqué à l'issue du comité stratégique de juin. » Not
    before June of the year it opens (nor before the recorded strategic committee), never
    twice for the same year."""
    if not can_publish_directory(user) or not can_manage_academie(user, academie.pk):
        _denied("Seule l'équipe académique publie l'annuaire des clubs.")
    check_date_range(published_on, "published_on")
    today = timezone.localdate()
    published_on = published_on or today
    problem = rules.directory_publication_problem(
        published_on=published_on, school_year=school_year, today=today
    )
    if problem:
        raise ValidationError({"published_on": problem})
    if strategic_meeting is not None:
        body = strategic_meeting.body
        if body.kind != BodyKind.STRATEGIC or body.academie_id not in (None, academie.pk):
            raise ValidationError(
                {"strategic_meeting": "Choisissez une réunion du comité stratégique."}
            )
        if strategic_meeting.starts_at.date() > published_on:
            raise ValidationError(
                {
                    "published_on": "L'annuaire se publie à l'issue du comité stratégique, "
                    f"tenu le {strategic_meeting.starts_at:%d/%m/%Y}."
                }
            )
    if DirectoryPublication.objects.filter(academie=academie, school_year=school_year).exists():
        raise ValidationError(
            f"L'annuaire {school_year_label(school_year)} de cette académie est déjà publié."
        )
    try:
        with transaction.atomic():
            return DirectoryPublication.objects.create(
                academie=academie,
                school_year=school_year,
                published_on=published_on,
                published_by=user if user.is_authenticated else None,
                strategic_meeting=strategic_meeting,
                note=note,
            )
    except IntegrityError:  # published by someone else a moment ago
        raise ValidationError(
            f"L'annuaire {school_year_label(school_year)} de cette académie est déjà publié."
        ) from None
