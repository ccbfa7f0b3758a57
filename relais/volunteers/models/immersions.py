"""Immersions of teachers in companies: ``ImmersionOffer`` (1 to 3 days, dates, capacity)
and ``ImmersionApplication`` (validated jointly by the académie and the company), with its
journal. The workflow is ``relais.volunteers.workflows.IMMERSION_WORKFLOW``."""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from relais.core.models import TimeStampedModel
from relais.establishments.models import Establishment
from relais.organisations.models import Organisation
from relais.territories.models import Academie

from ..enums import IMMERSION_MAX_DAYS, ImmersionState
from .journal import VolunteerJournal

USER = settings.AUTH_USER_MODEL


class ImmersionOffer(TimeStampedModel):
    """A company offers 1 to 3 days of immersion to teachers, with dates and a capacity."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="entreprise", on_delete=models.PROTECT,
        related_name="immersion_offers",
    )  # fmt: skip
    academie = models.ForeignKey(
        Academie, verbose_name="académie", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("intitulé", max_length=200)
    description = models.TextField("programme")
    place = models.CharField("lieu", max_length=255, blank=True)
    start_date = models.DateField("premier jour")
    end_date = models.DateField("dernier jour")
    capacity = models.PositiveSmallIntegerField(
        "places", validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    is_open = models.BooleanField("ouverte aux candidatures", default=True)
    is_demo = models.BooleanField("donnée de démonstration", default=False)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "offre d'immersion"
        verbose_name_plural = "offres d'immersion"
        ordering = ["start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date"))
                & Q(end_date__lte=F("start_date") + timedelta(days=IMMERSION_MAX_DAYS - 1)),
                name="immersion_one_to_three_days",
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="immersion_capacity"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("volunteers:immersion_detail", args=[self.pk])

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1

    @property
    def accepts_applications(self) -> bool:
        """Open, and not started yet: teachers may still apply."""
        return self.is_open and self.start_date > timezone.localdate()


class ImmersionApplication(TimeStampedModel):
    """A teacher applies; the académie team and the company validate jointly (both needed).
    After the immersion the teacher leaves a short evaluation."""

    offer = models.ForeignKey(
        ImmersionOffer, verbose_name="offre", on_delete=models.PROTECT, related_name="applications"
    )
    applicant = models.ForeignKey(
        USER, verbose_name="enseignant", on_delete=models.PROTECT, related_name="+"
    )
    establishment = models.ForeignKey(
        Establishment, verbose_name="établissement", on_delete=models.PROTECT, related_name="+"
    )
    motivation = models.TextField("motivation")
    # The teacher's confidentiality undertaking (relais.core.confidentiality), given with the
    # application: the version read and when (the teacher is ``applicant``).
    confidentiality_version = models.CharField(
        "version de l'engagement de confidentialité", max_length=20, blank=True
    )
    confidentiality_accepted_at = models.DateTimeField(
        "engagement de confidentialité pris le", null=True, blank=True
    )
    state = models.CharField(
        "état", max_length=10, choices=ImmersionState.choices, default=ImmersionState.SUBMITTED
    )
    academie_approved_at = models.DateTimeField("validée par l'académie le", null=True, blank=True)
    academie_approved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    company_approved_at = models.DateTimeField("validée par l'entreprise le", null=True, blank=True)
    company_approved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    refusal_reason = models.TextField("motif du refus", blank=True)
    rating = models.PositiveSmallIntegerField(
        "appréciation (1 à 5)", null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )  # fmt: skip
    evaluation = models.TextField("évaluation", blank=True)
    evaluated_at = models.DateTimeField("évaluée le", null=True, blank=True)

    class Meta:
        verbose_name = "candidature à une immersion"
        verbose_name_plural = "candidatures aux immersions"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "applicant"], name="immersion_apply_once"),
            models.CheckConstraint(
                condition=Q(confidentiality_version="", confidentiality_accepted_at=None)
                | (~Q(confidentiality_version="") & Q(confidentiality_accepted_at__isnull=False)),
                name="immersion_confidentiality_who_when",
            ),
            models.CheckConstraint(
                condition=~Q(state=ImmersionState.VALIDATED)
                | Q(academie_approved_at__isnull=False, company_approved_at__isnull=False),
                name="immersion_validated_by_both",
            ),
            models.CheckConstraint(
                condition=~Q(state=ImmersionState.REFUSED) | ~Q(refusal_reason=""),
                name="immersion_refused_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(evaluated_at__isnull=True)
                | Q(state=ImmersionState.VALIDATED, rating__gte=1, rating__lte=5),
                name="immersion_evaluation_after_validation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applicant} — {self.offer}"

    def get_absolute_url(self) -> str:
        return reverse("volunteers:immersion_detail", args=[self.offer_id])

    @property
    def is_validated(self) -> bool:
        """Validated by both the académie and the company."""
        return self.state == ImmersionState.VALIDATED


class ImmersionJournal(VolunteerJournal):
    """The journal of an application to an immersion: submitted, each side's validation,
    validated, refused, cancelled, evaluated. PROTECT: the joint validation engages the
    académie and the company (the teacher's absence from class); applications are never
    deleted (their offer and their teacher are PROTECT too)."""

    states = ImmersionState
    application = models.ForeignKey(
        ImmersionApplication, verbose_name="candidature", on_delete=models.PROTECT,
        related_name="journal",
    )  # fmt: skip

    class Meta(VolunteerJournal.Meta):
        verbose_name = "étape (immersion)"
        verbose_name_plural = "journal des immersions"
