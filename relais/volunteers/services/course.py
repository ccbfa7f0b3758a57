"""The 56-hour course of new heads of school and inspectors (fiche mesure 6): « une session de
préparation préalable au stage à distance (12 h), une séquence d'immersion en entreprise
(35 h) et une session de valorisation des expériences en présentiel (9 h) ».

ON TRACK, precisely. Each part has a deadline in the course: the end of the preparation, the
end of the immersion and the end of the course (end of the debriefing). On a day D, a
participant is *on track* when every part whose deadline is already past (deadline < D) has
all its hours (12, 35 and 9). A part whose deadline is D or later may still be in progress,
whatever its hours. A participant with the 56 hours is *complete* (and on track). So before
the end of the preparation everybody is on track; the day after it, whoever has less than
12 hours of preparation is late, and so on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from relais.core.validation import check_date_range, check_date_ranges
from relais.territories.models import Academie
from relais.users.models import User
from relais.users.types import AnyUser

from .. import perms
from ..enums import COURSE_HOURS, COURSE_TOTAL_HOURS, CoursePart
from ..models import Course, CourseHours, CourseParticipant

COURSE_FIELDS = ["title", "start_date", "preparation_end", "immersion_end", "end_date"]
PARTICIPANT_FIELDS = ["full_name", "email", "function", "establishment", "host_company"]


@dataclass(frozen=True)
class PartProgress:
    part: CoursePart
    done: Decimal
    required: Decimal
    deadline: date
    late: bool

    @property
    def label(self) -> str:
        return self.part.label

    @property
    def percent(self) -> int:
        return int(min(self.done / self.required, Decimal(1)) * 100)


@dataclass(frozen=True)
class Progress:
    parts: list[PartProgress]
    done: Decimal
    on: date

    @property
    def total(self) -> Decimal:
        return COURSE_TOTAL_HOURS

    @property
    def complete(self) -> bool:
        return all(p.done >= p.required for p in self.parts)

    @property
    def on_track(self) -> bool:
        return not any(p.late for p in self.parts)

    @property
    def late_parts(self) -> list[PartProgress]:
        return [p for p in self.parts if p.late]

    @property
    def percent(self) -> int:
        return int(min(self.done / COURSE_TOTAL_HOURS, Decimal(1)) * 100)


def progress(
    course: Course, hours: Mapping[CoursePart, Decimal | int | None], *, on: date | None = None
) -> Progress:
    """The progress of one participant on day ``on`` from their hours per part (see the rule
    at the top of this module)."""
    on = on or timezone.localdate()
    parts: list[PartProgress] = []
    for part, required in COURSE_HOURS.items():
        done = Decimal(hours.get(part, 0) or 0)
        deadline = course.deadline(part)
        parts.append(
            PartProgress(part, done, required, deadline, deadline < on and done < required)
        )
    return Progress(parts, sum((p.done for p in parts), Decimal(0)), on)


def progress_of(participant: CourseParticipant, *, on: date | None = None) -> Progress:
    """From a participant annotated by ``selectors.participants_with_hours``."""
    hours = {part: getattr(participant, f"hours_{part.value}") for part in CoursePart}
    return progress(participant.course, hours, on=on)


@transaction.atomic
def course_create(*, user: AnyUser, academie: Academie, data: dict[str, Any]) -> Course:
    """A promotion of the course, with the deadline of each part, in date order."""
    if not perms.manages_academie(user, academie.pk):
        raise PermissionDenied("Seule l'équipe académique organise le parcours.")
    course = Course(academie=academie)
    for field in COURSE_FIELDS:
        setattr(course, field, data.get(field))
    dates = [course.start_date, course.preparation_end, course.immersion_end, course.end_date]
    if None in dates:
        raise ValidationError("Indiquez toutes les dates du parcours.")
    check_date_ranges(data, COURSE_FIELDS[1:])
    if dates != sorted(dates):
        raise ValidationError(
            "Les dates se suivent : début, fin de la préparation, fin de l'immersion, fin."
        )
    course.full_clean()
    course.save()
    return course


@transaction.atomic
def participant_add(*, user: AnyUser, course: Course, data: dict[str, Any]) -> CourseParticipant:
    if not perms.can_manage_course(user, course):
        raise PermissionDenied("Seule l'équipe académique inscrit au parcours.")
    participant = CourseParticipant(course=course)
    for field in PARTICIPANT_FIELDS:
        if field in data:
            setattr(participant, field, data[field])
    participant.email = (participant.email or "").strip().lower()
    if CourseParticipant.objects.filter(course=course, email=participant.email).exists():
        raise ValidationError({"email": "Cette personne est déjà inscrite à ce parcours."})
    participant.full_clean()
    participant.save()
    return participant


@transaction.atomic
def hours_record(
    *, user: User, participant: CourseParticipant, part: str, hours: Decimal, done_on: date
) -> CourseHours:
    """Hours done in one part, never beyond the part's hours (12, 35, 9), on a day between the
    start of the course and today."""
    participant = (
        CourseParticipant.objects.select_for_update()
        .select_related("course")
        .get(pk=participant.pk)
    )
    course = participant.course
    if not perms.can_manage_course(user, course):
        raise PermissionDenied("Seule l'équipe académique saisit les heures du parcours.")
    part = CoursePart(part)
    if hours is None or hours <= 0:
        raise ValidationError({"hours": "Indiquez un nombre d'heures positif."})
    check_date_range(done_on, "done_on")
    if done_on is None or done_on < course.start_date or done_on > timezone.localdate():
        raise ValidationError(
            {"done_on": "La date est comprise entre le début du parcours et aujourd'hui."}
        )
    already = participant.hours.filter(part=part).aggregate(total=Sum("hours"))["total"] or 0
    required = COURSE_HOURS[part]
    if already + hours > required:
        raise ValidationError(
            {"hours": f"« {part.label} » compte {required} heures ; {already} déjà saisies."}
        )
    entry = CourseHours(
        participant=participant, part=part, hours=hours, done_on=done_on, recorded_by=user
    )
    entry.full_clean()
    entry.save()
    return entry
