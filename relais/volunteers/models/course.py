"""The 56-hour course of new heads of school and inspectors (fiche mesure 6): ``Course``
(one promotion and the deadline of each part), ``CourseParticipant``, ``CourseHours``."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from relais.core.models import TimeStampedModel
from relais.establishments.models import Establishment
from relais.organisations.models import Organisation
from relais.territories.models import Academie

from ..enums import COURSE_HOURS, CourseFunction, CoursePart

USER = settings.AUTH_USER_MODEL


class Course(TimeStampedModel):
    """One promotion of the course, with the deadline of each of its three parts."""

    academie = models.ForeignKey(
        Academie, verbose_name="académie", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("intitulé", max_length=200)
    start_date = models.DateField("début")
    preparation_end = models.DateField("fin de la préparation à distance")
    immersion_end = models.DateField("fin de l'immersion en entreprise")
    end_date = models.DateField("fin de la valorisation (fin du parcours)")

    class Meta:
        verbose_name = "parcours de 56 heures"
        verbose_name_plural = "parcours de 56 heures"
        ordering = ["-start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(preparation_end__gte=F("start_date"))
                & Q(immersion_end__gte=F("preparation_end"))
                & Q(end_date__gte=F("immersion_end")),
                name="course_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("volunteers:course_detail", args=[self.pk])

    def deadline(self, part: str):
        return {
            CoursePart.PREPARATION: self.preparation_end,
            CoursePart.IMMERSION: self.immersion_end,
            CoursePart.DEBRIEFING: self.end_date,
        }[CoursePart(part)]


class CourseParticipant(TimeStampedModel):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="participants")
    full_name = models.CharField("nom et prénom", max_length=200)
    email = models.EmailField("courriel")
    function = models.CharField("fonction", max_length=20, choices=CourseFunction.choices)
    establishment = models.ForeignKey(
        Establishment, verbose_name="établissement", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    host_company = models.ForeignKey(
        Organisation, verbose_name="entreprise d'accueil", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    is_demo = models.BooleanField("donnée de démonstration", default=False)

    class Meta:
        verbose_name = "participant au parcours"
        verbose_name_plural = "participants au parcours"
        ordering = ["full_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["course", "email"], name="course_participant_once")
        ]

    def __str__(self) -> str:
        return self.full_name


class CourseHours(models.Model):
    """Hours done by a participant in one part of the course (added up per part)."""

    participant = models.ForeignKey(
        CourseParticipant, on_delete=models.CASCADE, related_name="hours"
    )
    part = models.CharField("partie", max_length=15, choices=CoursePart.choices)
    hours = models.DecimalField("heures", max_digits=4, decimal_places=1)
    done_on = models.DateField("date")
    recorded_at = models.DateTimeField("saisi le", auto_now_add=True)
    recorded_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "heures de parcours"
        verbose_name_plural = "heures de parcours"
        ordering = ["done_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=max(COURSE_HOURS.values())),
                name="course_hours_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_part_display()} : {self.hours} h"
