"""Experiences of the parcours Avenir, recorded once and credited to every pupil who took
part (Mesure 3: « le parcours Avenir […] une visite, une rencontre, un stage, un projet »).

- a teacher or the head of school records what a class did (an outing, a catalogue action
  marked done, a CEE or réserve intervention) and credits the class in one call: every
  pupil of the class is present unless ticked absent (``class_credit``);
- the pôle de stages' placements credit the pupil without anyone typing it
  (``internship_record``, called by ``relais.internships`` when a placement is confirmed);
- the school declares a stage a pupil found alone or with the teaching team
  (``internship_declare``).

Each experience keeps its date, partner, place and source; its items are those of its kind
in the académie's setting on the day it is recorded. A ``source_ref`` (« actions.record:12 »)
makes recording the same source twice impossible. Every write refreshes the school's counts
(``stats.stats_refresh``) in the same transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from relais.core.validation import check_date_range
from relais.establishments.models import Establishment
from relais.organisations.models import Organisation
from relais.pupils.models import Pupil
from relais.pupils.perms import can_manage_pupils
from relais.pupils.years import roster_year_of
from relais.users.types import AnyUser

from ..enums import Item, Source
from ..models import Credit, Experience, ExperienceKind
from .settings import national_setting_ensure
from .stats import stats_refresh

# Sources written by the pôle's placements: the school does not edit or delete them.
AUTOMATIC_SOURCES = (Source.POLE,)


@dataclass(frozen=True)
class ExperienceData:
    """What is said of an experience, whatever its source."""

    kind: str
    date: datetime.date
    title: str = ""
    partner_label: str = ""
    organisation: Organisation | None = None
    place: str = ""


def kind_for(*, academie_id: int | None, code: str) -> ExperienceKind:
    """The kind ``code`` as the académie sets it (its own row, else the national one)."""
    rows = list(
        ExperienceKind.objects.filter(code=code).filter(
            Q(academie__isnull=True) | Q(academie_id=academie_id)
        )
    )
    rows.sort(key=lambda kind: kind.academie_id is None)
    if not rows and national_setting_ensure():
        return kind_for(academie_id=academie_id, code=code)
    if not rows:
        raise ValidationError({"kind": f"Type d'expérience inconnu : « {code} »."})
    return rows[0]


def _check_school(user: AnyUser | None, establishment: Establishment) -> None:
    if user is not None and not can_manage_pupils(user, establishment):
        raise PermissionDenied("Seule l'équipe de l'établissement crédite ses élèves.")


def _pupils(establishment: Establishment, pupil_ids: Iterable[int]) -> list[int]:
    wanted = {int(pk) for pk in pupil_ids}
    found = set(
        Pupil.objects.filter(
            pk__in=wanted, establishment=establishment, purged_at__isnull=True
        ).values_list("pk", flat=True)
    )
    if wanted - found:
        raise ValidationError(
            {"pupils": "Certains élèves cochés ne sont pas sur la liste de l'établissement."}
        )
    return sorted(found)


def _new_experience(
    *, user: AnyUser | None, establishment: Establishment, data: ExperienceData, source: str,
    source_ref: str, classes: str,
) -> Experience:  # fmt: skip
    check_date_range(data.date, "date")
    kind = kind_for(academie_id=establishment.academie_id, code=data.kind)
    title = " ".join((data.title or kind.label).split())[:255]
    experience = Experience(
        establishment=establishment,
        kind=kind.code,
        kind_label=kind.label,
        items=list(kind.items),
        title=title,
        date=data.date,
        school_year=roster_year_of(data.date),
        organisation=data.organisation,
        partner_label="" if data.organisation else " ".join(data.partner_label.split())[:255],
        place=" ".join(data.place.split())[:255],
        source=source,
        source_ref=source_ref,
        classes=classes[:255],
        recorded_by=user if user is not None and user.is_authenticated else None,
    )
    experience.full_clean(validate_constraints=False)
    experience.save()
    return experience


@transaction.atomic
def experience_record(
    *,
    user: AnyUser | None,
    establishment: Establishment,
    data: ExperienceData,
    pupil_ids: Iterable[int],
    source: str = Source.CLASS,
    source_ref: str = "",
    classes: str = "",
) -> Experience:
    """Record an experience of ``establishment`` and credit ``pupil_ids`` (its own pupils).
    ``user`` None is Relais itself (a placement). Recording a ``source_ref`` already
    recorded is refused."""
    _check_school(user, establishment)
    ids = _pupils(establishment, pupil_ids)
    if (
        source_ref
        and Experience.objects.filter(establishment=establishment, source_ref=source_ref).exists()
    ):
        raise ValidationError("Cette action est déjà enregistrée dans le parcours des élèves.")
    experience = _new_experience(
        user=user, establishment=establishment, data=data, source=source,
        source_ref=source_ref, classes=classes,
    )  # fmt: skip
    Credit.objects.bulk_create([Credit(experience=experience, pupil_id=pk) for pk in ids])
    stats_refresh(establishment_id=establishment.pk, school_year=experience.school_year)
    return experience


def class_credit(
    *,
    user: AnyUser,
    establishment: Establishment,
    school_year: int,
    class_labels: Iterable[str],
    data: ExperienceData,
    absent_ids: Iterable[int] = (),
    source: str = Source.CLASS,
    source_ref: str = "",
) -> Experience:
    """The one click: credit every pupil of the classes ``class_labels`` of the roster of
    ``school_year``, but those ticked absent."""
    labels = sorted({label.strip() for label in class_labels if label.strip()})
    if not labels:
        raise ValidationError({"classes": "Choisissez au moins une classe."})
    roster = Pupil.objects.filter(
        establishment=establishment,
        school_year=school_year,
        class_label__in=labels,
        purged_at__isnull=True,
    )
    absent = {int(pk) for pk in absent_ids}
    ids = [pk for pk in roster.values_list("pk", flat=True) if pk not in absent]
    if not ids:
        raise ValidationError({"classes": "Aucun élève présent dans ces classes."})
    return experience_record(
        user=user,
        establishment=establishment,
        data=data,
        pupil_ids=ids,
        source=source,
        source_ref=source_ref,
        classes=", ".join(labels),
    )


@transaction.atomic
def credits_set(*, user: AnyUser, experience: Experience, pupil_ids: Iterable[int]) -> Experience:
    """Correct who took part (the school, for the experiences it recorded)."""
    experience = Experience.objects.select_for_update().get(pk=experience.pk)
    _check_school(user, experience.establishment)
    if experience.source in AUTOMATIC_SOURCES:
        raise ValidationError("Ce stage vient du pôle de stages : il ne se modifie pas ici.")
    ids = set(_pupils(experience.establishment, pupil_ids))
    if not ids:
        raise ValidationError({"pupils": "Au moins un élève doit avoir participé."})
    current = set(experience.credits.values_list("pupil_id", flat=True))
    experience.credits.filter(pupil_id__in=current - ids).delete()
    Credit.objects.bulk_create(
        [Credit(experience=experience, pupil_id=pk) for pk in sorted(ids - current)]
    )
    stats_refresh(establishment_id=experience.establishment_id, school_year=experience.school_year)
    return experience


@transaction.atomic
def experience_delete(*, user: AnyUser, experience: Experience) -> None:
    """Remove an experience recorded by mistake, with its credits (the school)."""
    experience = Experience.objects.select_for_update().get(pk=experience.pk)
    _check_school(user, experience.establishment)
    if experience.source in AUTOMATIC_SOURCES:
        raise ValidationError("Ce stage vient du pôle de stages : il ne se supprime pas ici.")
    school, year = experience.establishment_id, experience.school_year
    experience.delete()
    stats_refresh(establishment_id=school, school_year=year)


def internship_record(
    *,
    pupil: Pupil,
    kind: str,
    date: datetime.date,
    organisation: Organisation | None,
    place: str,
    source_ref: str,
) -> Experience:
    """A stage placed by the pôle de stages, credited to its pupil by Relais itself (no one
    types it). Recording the same placement again returns the experience already there."""
    existing = Experience.objects.filter(
        establishment_id=pupil.establishment_id, source_ref=source_ref
    ).first()
    if existing is not None:
        return existing
    data = ExperienceData(kind=kind, date=date, organisation=organisation, place=place)
    return experience_record(
        user=None,
        establishment=pupil.establishment,
        data=data,
        pupil_ids=[pupil.pk],
        source=Source.POLE,
        source_ref=source_ref,
        classes=pupil.class_label,
    )


def internship_declare(
    *,
    user: AnyUser,
    pupil: Pupil,
    kind: str,
    date: datetime.date,
    partner_label: str,
    place: str = "",
) -> Experience:
    """The school declares a stage a pupil found alone or with the teaching team."""
    if (
        Item.INTERNSHIP
        not in kind_for(academie_id=pupil.establishment.academie_id, code=kind).items
    ):
        raise ValidationError({"kind": "Ce type d'expérience n'est pas un stage."})
    if not partner_label.strip():
        raise ValidationError({"partner_label": "Indiquez l'entreprise ou l'organisme d'accueil."})
    data = ExperienceData(kind=kind, date=date, partner_label=partner_label, place=place)
    return experience_record(
        user=user,
        establishment=pupil.establishment,
        data=data,
        pupil_ids=[pupil.pk],
        source=Source.SCHOOL,
        classes=pupil.class_label,
    )
