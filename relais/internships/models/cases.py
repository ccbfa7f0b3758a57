"""Pupils (minimum personal data) and their case along the official path."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from relais.establishments.models import Establishment
from relais.territories.models import Commune

from ..enums import (
    FINAL_CASE_STATES,
    REFERRED_STATES,
    CaseState,
    SchoolLevel,
)
from ._common import DEFAULT_ALERT_DAYS, choices_in
from .offers import InternshipPeriod, PlacementHub


class Pupil(models.Model):
    """A pupil who needs an internship: the minimum personal data, kept until
    ``retention_until`` (then anonymised by ``services.pupils_purge_expired``)."""

    establishment = models.ForeignKey(
        Establishment,
        verbose_name="établissement",
        on_delete=models.PROTECT,
        related_name="pupils",
    )
    period = models.ForeignKey(
        InternshipPeriod,
        verbose_name="période de stage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pupils",
    )
    school_ref = models.CharField(
        "identifiant interne", max_length=40, blank=True, help_text="Facultatif, propre à l'école."
    )
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    class_label = models.CharField("classe", max_length=40)
    level = models.CharField("niveau", max_length=10, choices=SchoolLevel.choices)
    home_commune = models.ForeignKey(
        Commune,
        verbose_name="commune de résidence",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    qpv = models.BooleanField("réside en QPV", default=False)
    disability = models.BooleanField("situation de handicap", default=False)
    needs_access = models.BooleanField("a besoin d'un lieu accessible", default=False)
    newly_arrived = models.BooleanField("arrivé récemment en France (allophone)", default=False)
    wishes = ArrayField(
        models.CharField(max_length=3),
        verbose_name="vœux (familles ROME, par ordre de préférence)",
        default=list,
        blank=True,
        size=5,
    )
    max_km = models.PositiveSmallIntegerField("distance maximale (km)", default=10)
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
                condition=Q(max_km__gte=1, max_km__lte=200), name="pupil_max_km_range"
            ),
            models.CheckConstraint(
                condition=choices_in("level", SchoolLevel.choices), name="pupil_level_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.class_label})"

    def get_absolute_url(self) -> str:
        return reverse("internships:pupil_detail", args=[self.pk])

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


class PlacementCase(models.Model):
    """A pupil's search for an internship along the official path
    (``workflows.CASE_WORKFLOW``), with its journal of steps (``CaseJournal``)."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="cases")
    state = models.CharField(
        "étape", max_length=16, choices=CaseState.choices, default=CaseState.SEARCHING_ALONE
    )
    hub = models.ForeignKey(
        PlacementHub,
        verbose_name="pôle de stages",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="suivi par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_placement_cases",
    )
    opened_at = models.DateTimeField("ouvert le", default=timezone.now)
    referred_at = models.DateTimeField("orienté vers le pôle le", null=True, blank=True)
    placed_at = models.DateTimeField("placé le", null=True, blank=True)
    closed_at = models.DateTimeField("clos le", null=True, blank=True)
    updated_at = models.DateTimeField("dernière étape", auto_now=True)

    class Meta:
        verbose_name = "dossier d'élève sans stage"
        verbose_name_plural = "dossiers d'élèves sans stage"
        ordering = ["opened_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil"],
                condition=~Q(state__in=[s.value for s in FINAL_CASE_STATES]),
                name="case_one_open_per_pupil",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=[s.value for s in REFERRED_STATES])
                | Q(referred_at__isnull=False, hub__isnull=False),
                name="case_referred_has_hub",
            ),
            models.CheckConstraint(
                condition=Q(state=CaseState.PLACED, placed_at__isnull=False)
                | (~Q(state=CaseState.PLACED) & Q(placed_at__isnull=True)),
                name="case_placed_at_iff_placed",
            ),
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in FINAL_CASE_STATES], closed_at__isnull=False)
                | (~Q(state__in=[s.value for s in FINAL_CASE_STATES]) & Q(closed_at__isnull=True)),
                name="case_closed_at_iff_final",
            ),
            models.CheckConstraint(
                condition=choices_in("state", CaseState.choices), name="case_state_valid"
            ),
        ]
        indexes = [models.Index(fields=["hub", "state"])]

    def __str__(self) -> str:
        return f"Dossier {self.pk} — {self.pupil}"

    def get_absolute_url(self) -> str:
        return reverse("internships:case_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state not in FINAL_CASE_STATES

    def days_without_solution(self, now: datetime.datetime | None = None) -> int:
        """Days since the case opened, until it was placed or closed."""
        end = self.placed_at or self.closed_at or now or timezone.now()
        return max(0, (end - self.opened_at).days)

    def is_flagged(self, now: datetime.datetime | None = None) -> bool:
        """An open case waiting longer than the pôle's threshold."""
        threshold = self.hub.alert_after_days if self.hub_id else DEFAULT_ALERT_DAYS
        return self.is_open and self.days_without_solution(now) > threshold
