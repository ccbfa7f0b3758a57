"""Pupils: the minimum personal data of a minor that the parcours Avenir and the pôles de
stages need (names, class, level, school year, priority flags, an optional identifier of
the school), restricted to the pupil's school (and the pôle de stages of its bassin once the
school refers the pupil), anonymised after ``retention_until``."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse

from relais.core.dates import SCHOOL_YEAR_MAX, SCHOOL_YEAR_MIN
from relais.core.school_years import school_year_label
from relais.establishments.models import Establishment

from .enums import Level


class Pupil(models.Model):
    """A pupil on a school's roster. One record per pupil and school: a new year's roster
    moves the pupil up (``school_year``, ``class_label`` and ``level`` change), it does not
    create another record, so the pupil's parcours follows them through the school."""

    establishment = models.ForeignKey(
        Establishment,
        verbose_name="établissement",
        on_delete=models.PROTECT,
        related_name="pupils",
    )
    school_year = models.PositiveSmallIntegerField(
        "année scolaire", help_text="L'année de la rentrée (2026 pour 2026-2027)."
    )
    school_ref = models.CharField(
        "identifiant interne",
        max_length=40,
        blank=True,
        help_text="Facultatif : le numéro de l'élève dans le logiciel de l'établissement.",
    )
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    class_label = models.CharField("classe", max_length=40)
    level = models.CharField("niveau", max_length=10, choices=Level.choices)
    qpv = models.BooleanField("réside en QPV", default=False)
    disability = models.BooleanField("situation de handicap", default=False)
    newly_arrived = models.BooleanField("arrivé récemment en France (allophone)", default=False)
    retention_until = models.DateField("données conservées jusqu'au")
    purged_at = models.DateTimeField("anonymisé le", null=True, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "élève"
        verbose_name_plural = "élèves"
        ordering = ["last_name", "first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["establishment", "school_ref"],
                condition=~Q(school_ref=""),
                name="pupil_unique_school_ref",
            ),
            models.CheckConstraint(
                condition=Q(level__in=Level.values), name="pupil_level_in_roster_levels"
            ),
            models.CheckConstraint(
                condition=Q(school_year__gte=SCHOOL_YEAR_MIN, school_year__lte=SCHOOL_YEAR_MAX),
                name="pupil_school_year_range",
            ),
        ]
        indexes = [
            models.Index(
                fields=["establishment", "school_year", "class_label"], name="pupil_class_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.class_label})"

    def get_absolute_url(self) -> str:
        return reverse("pupils:pupil_detail", args=[self.pk])

    @property
    def school_year_label(self) -> str:
        return school_year_label(self.school_year)

    @property
    def rep(self) -> bool:
        """REP/REP+ comes from the school, never typed."""
        return bool(self.establishment.priority_education)

    @property
    def priority_flags(self) -> int:
        """``relais.matching.PriorityFlag`` bits."""
        from relais.matching import PriorityFlag

        flags = 0
        for on, flag in (
            (self.rep, PriorityFlag.REP),
            (self.qpv, PriorityFlag.QPV),
            (self.disability, PriorityFlag.DISABILITY),
            (self.newly_arrived, PriorityFlag.NEWLY_ARRIVED),
        ):
            if on:
                flags |= flag
        return int(flags)

    @property
    def is_priority(self) -> bool:
        return self.priority_flags != 0

    @property
    def priority_labels(self) -> list[str]:
        labels = []
        if self.rep:
            labels.append(self.establishment.priority_education)
        labels += [
            label
            for on, label in (
                (self.qpv, "QPV"),
                (self.disability, "Handicap"),
                (self.newly_arrived, "Arrivée récente"),
            )
            if on
        ]
        return labels
