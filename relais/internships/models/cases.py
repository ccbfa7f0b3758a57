"""A pupil's search for an internship along the official path, with what the search needs
(period, wishes, distance, home commune, accessibility): the pupil's own record is
``relais.pupils.models.Pupil``."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from relais.territories.models import Commune

from ..enums import (
    FINAL_CASE_STATES,
    REFERRED_STATES,
    CaseState,
)
from ._common import DEFAULT_ALERT_DAYS, choices_in
from .offers import InternshipPeriod, PlacementHub


class PlacementCase(models.Model):
    """A pupil's search for an internship along the official path
    (``workflows.CASE_WORKFLOW``), with its journal of steps (``CaseJournal``)."""

    pupil = models.ForeignKey(
        "pupils.Pupil", verbose_name="élève", on_delete=models.CASCADE, related_name="cases"
    )
    period = models.ForeignKey(
        InternshipPeriod,
        verbose_name="période de stage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    home_commune = models.ForeignKey(
        Commune,
        verbose_name="commune de résidence",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    needs_access = models.BooleanField("a besoin d'un lieu accessible", default=False)
    wishes = ArrayField(
        models.CharField(max_length=3),
        verbose_name="vœux (familles ROME, par ordre de préférence)",
        default=list,
        blank=True,
        size=5,
    )
    max_km = models.PositiveSmallIntegerField("distance maximale (km)", default=10)
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
            models.CheckConstraint(
                condition=Q(max_km__gte=1, max_km__lte=200), name="case_max_km_range"
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
        threshold = self.hub.alert_after_days if self.hub is not None else DEFAULT_ALERT_DAYS
        return self.is_open and self.days_without_solution(now) > threshold
