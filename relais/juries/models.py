"""Exam sessions that call on professionals, and the jurors that organisations name to them
(the conventions' « jurys » commitments: CPME Île-de-France art. 2.4; the model CEE
convention, art. 2: « participation aux jurys d'examens des diplômes professionnels »).
A juror moves along ``workflows.JUROR_WORKFLOW``; its journal is ``JurorJournal``."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from relais.core.models import TimeStampedModel
from relais.core.workflow import JournalEntry
from relais.establishments.models import Establishment
from relais.organisations.models import Organisation
from relais.territories.models import Academie
from relais.volunteers.models import Advisor

from .enums import JurorState


class ExamSession(TimeStampedModel):
    """One sitting of a diploma's jury: on a date, in a place, with seats for professionals."""

    academie = models.ForeignKey(
        Academie, verbose_name="académie", on_delete=models.PROTECT, related_name="exam_sessions"
    )
    diploma = models.CharField(
        "diplôme", max_length=200, help_text="Par exemple « CAP Boulanger »."
    )
    specialty = models.CharField("spécialité ou épreuve", max_length=200, blank=True)
    date = models.DateField("date")
    starts_at = models.TimeField("heure de convocation")
    place = models.CharField("lieu", max_length=255)
    establishment = models.ForeignKey(
        Establishment, verbose_name="centre d'examen", null=True, blank=True,
        on_delete=models.PROTECT, related_name="exam_sessions",
    )  # fmt: skip
    seats = models.PositiveSmallIntegerField(
        "places pour des professionnels",
        validators=[MinValueValidator(1), MaxValueValidator(200)],
    )
    notes = models.TextField("informations pour les jurés", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = "session d'examen"
        verbose_name_plural = "sessions d'examen"
        ordering = ["date", "starts_at", "pk"]
        indexes = [models.Index(fields=["academie", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(seats__gte=1) & Q(seats__lte=200), name="exam_session_seats_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.diploma} — {self.date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("juries:session_detail", args=[self.pk])


class Juror(TimeStampedModel):
    """A professional (or a CEE) named by an organisation to one session."""

    session = models.ForeignKey(
        ExamSession, verbose_name="session", on_delete=models.CASCADE, related_name="jurors"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="organisation qui désigne", on_delete=models.PROTECT,
        related_name="jurors",
    )  # fmt: skip
    advisor = models.ForeignKey(
        Advisor, verbose_name="conseiller entreprises pour l'école", null=True, blank=True,
        on_delete=models.PROTECT, related_name="jurors",
    )  # fmt: skip
    full_name = models.CharField("nom et prénom", max_length=200)
    email = models.EmailField("courriel")
    employer_name = models.CharField("entreprise", max_length=255, blank=True)
    job_title = models.CharField("métier", max_length=200, blank=True)
    state = models.CharField(
        "état", max_length=10, choices=JurorState.choices, default=JurorState.NAMED
    )
    convoked_at = models.DateTimeField("convoqué le", null=True, blank=True)
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = "juré professionnel"
        verbose_name_plural = "jurés professionnels"
        ordering = ["full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "email"],
                condition=~Q(state=JurorState.WITHDRAWN),
                name="juror_once_per_session",
            ),
            models.CheckConstraint(
                condition=Q(state__in=[JurorState.NAMED, JurorState.WITHDRAWN])
                | Q(convoked_at__isnull=False),
                name="juror_convoked_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("juries:session_detail", args=[self.session_id])


class JurorJournal(JournalEntry):
    """The journal of a juror: named, convoked, present or absent, withdrawn."""

    juror = models.ForeignKey(
        Juror, verbose_name="juré", on_delete=models.PROTECT, related_name="journal"
    )

    class Meta(JournalEntry.Meta):
        verbose_name = "étape (juré)"
        verbose_name_plural = "journal des jurés"
