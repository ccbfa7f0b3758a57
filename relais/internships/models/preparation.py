"""The preparation of the stage de 3e, class by class (Mesure 2: « la mise en place d'une
préparation systématique des jeunes avant le départ en stage de 3e »), and after the stage
the pupil's report, which closes the loop with the host's feedback (``HostFeedback``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from relais.resources.enums import Topic

from ._common import choices_in
from .offers import InternshipPeriod


class PreparationStep(models.Model):
    """One of the four contents of the preparation, done with one class before it leaves
    on its period of stage. A class is prepared when its four contents are done."""

    period = models.ForeignKey(
        InternshipPeriod,
        verbose_name="période de stage",
        on_delete=models.CASCADE,
        related_name="preparation_steps",
    )
    class_label = models.CharField("classe", max_length=40)
    topic = models.CharField("contenu", max_length=10, choices=Topic.choices)
    done_on = models.DateField("fait le")
    note = models.CharField("comment (séance, support)", max_length=255, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField("enregistré le", auto_now=True)

    class Meta:
        verbose_name = "étape de la préparation au stage"
        verbose_name_plural = "étapes de la préparation au stage"
        ordering = ["period", "class_label", "topic"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "class_label", "topic"], name="preparation_step_once"
            ),
            models.CheckConstraint(
                condition=choices_in("topic", Topic.choices), name="preparation_topic_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.class_label} : {self.get_topic_display()} ({self.done_on:%d/%m/%Y})"


class StageReport(models.Model):
    """The pupil handed in their report of the stage (the school records it; only that it
    was handed in, and when: minors' data kept to the minimum)."""

    pupil = models.ForeignKey(
        "pupils.Pupil", verbose_name="élève", on_delete=models.CASCADE, related_name="stage_reports"
    )
    period = models.ForeignKey(
        InternshipPeriod,
        verbose_name="période de stage",
        on_delete=models.CASCADE,
        related_name="stage_reports",
    )
    received_on = models.DateField("remis le")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "rapport de stage remis"
        verbose_name_plural = "rapports de stage remis"
        constraints = [
            models.UniqueConstraint(fields=["pupil", "period"], name="stage_report_once"),
        ]

    def __str__(self) -> str:
        return f"Rapport de stage remis le {self.received_on:%d/%m/%Y}"
