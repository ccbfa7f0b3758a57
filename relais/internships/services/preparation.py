"""The preparation of the stage de 3e, class by class, and the pupils' reports after it
(Mesure 2 of the twelve measures, 2015: « préparer aux objectifs du stage, apprendre à
rechercher une entreprise, apprendre à collecter de l'information pendant le stage, à trier
et hiérarchiser ces informations »).

The school's team marks each of the four contents done for a class, with the day of the
session; a class is prepared when the four are done. The measure does not impose how
(« il ne s'agit pas d'imposer une modalité spécifique ») : only what and when is kept.
After the stage the school records which pupils handed in their report; the host's
feedback comes through its own link (``proposals.feedback_record``).

The preparation is not credited in the parcours Avenir: its four items are a visit, a
meeting, a stage and a project (Mesure 3), and the preparation is none of them; counting it
as the stage would mark the stage done before it happens. The stage itself is credited when
the pôle places the pupil or the school declares it (``relais.pathways``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from relais.core import clock
from relais.core.validation import check_date_range
from relais.pupils.models import Pupil
from relais.pupils.perms import is_school_of
from relais.resources.enums import Topic
from relais.users.models import User

from ..enums import SchoolLevel
from ..models import InternshipPeriod, PreparationStep, StageReport
from ..selectors import class_preparations


def _check(user: User, period: InternshipPeriod, class_label: str) -> None:
    if not is_school_of(user, period.establishment_id):
        raise PermissionDenied("Seule l'équipe de l'établissement prépare ses classes au stage.")
    if period.level != SchoolLevel.THIRD:
        raise ValidationError("La préparation suivie ici est celle du stage de 3e.")
    labels = {row.class_label for row in class_preparations([period], outcomes=False)}
    if class_label not in labels:
        raise ValidationError(
            {"class_label": f"La classe « {class_label} » ne part pas sur cette période."}
        )


@transaction.atomic
def preparation_step_done(
    *,
    user: User,
    period: InternshipPeriod,
    class_label: str,
    topic: str,
    done_on: datetime.date,
    note: str = "",
) -> PreparationStep:
    """Mark one of the four contents done with a class, on the day of the session (not a
    day to come; at the latest the stage's last day). Marking it again corrects the day."""
    _check(user, period, class_label)
    if topic not in Topic.values:
        raise ValidationError({"topic": "Choisissez l'un des quatre contenus de la préparation."})
    check_date_range(done_on, "done_on")
    if done_on > clock.today():
        raise ValidationError({"done_on": "Une séance à venir ne se marque pas comme faite."})
    if done_on > period.end:
        raise ValidationError({"done_on": "La préparation se fait avant le départ en stage."})
    step, _ = PreparationStep.objects.update_or_create(
        period=period,
        class_label=class_label,
        topic=topic,
        defaults={"done_on": done_on, "note": " ".join(note.split())[:255], "done_by": user},
    )
    return step


@transaction.atomic
def preparation_step_undo(
    *, user: User, period: InternshipPeriod, class_label: str, topic: str
) -> None:
    """A content marked done by mistake goes back to « à faire »."""
    _check(user, period, class_label)
    PreparationStep.objects.filter(period=period, class_label=class_label, topic=topic).delete()


@transaction.atomic
def stage_reports_set(
    *,
    user: User,
    period: InternshipPeriod,
    class_label: str,
    pupil_ids: Iterable[int],
    received_on: datetime.date,
) -> int:
    """Record which pupils of the class handed in their report of the stage (once the stage
    has begun); the pupils unticked are no longer counted. Returns the count handed in."""
    _check(user, period, class_label)
    check_date_range(received_on, "received_on")
    if received_on < period.start or received_on > clock.today():
        message = "Un rapport se remet après le début du stage, et pas à une date à venir."
        raise ValidationError({"received_on": message})
    roster = Pupil.objects.filter(
        establishment_id=period.establishment_id,
        school_year=int(period.school_year[:4]),
        level=SchoolLevel.THIRD,
        purged_at__isnull=True,
    )
    if class_label:
        roster = roster.filter(class_label=class_label)
    class_ids = set(roster.values_list("pk", flat=True))
    wanted = {int(pk) for pk in pupil_ids}
    if wanted - class_ids:
        raise ValidationError({"pupils": "Certains élèves cochés ne sont pas dans cette classe."})
    StageReport.objects.filter(period=period, pupil_id__in=class_ids - wanted).delete()
    present = set(
        StageReport.objects.filter(period=period, pupil_id__in=wanted).values_list(
            "pupil_id", flat=True
        )
    )
    StageReport.objects.bulk_create(
        StageReport(pupil_id=pk, period=period, received_on=received_on, recorded_by=user)
        for pk in sorted(wanted - present)
    )
    return len(wanted)
