"""The réserve citoyenne (fiche mesure 10): ``ReserveApplication`` (sign-up, vetting; once
validated, the reservist's profile) and ``ReserveRequest`` (a teacher's request to a
validated reservist), with their journals. The workflows are ``APPLICATION_WORKFLOW`` and
``REQUEST_WORKFLOW`` of ``relais.volunteers.workflows``."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from relais.core.models import TimeStampedModel
from relais.establishments.models import Establishment
from relais.territories.models import Academie, Commune

from ..enums import ApplicationState, Availability, RequestState, ReserveSkill
from .journal import VolunteerJournal

USER = settings.AUTH_USER_MODEL


class ReserveApplication(TimeStampedModel):
    """A sign-up to the réserve citoyenne, vetted by the académie referent (fiche mesure 10).
    Once validated it is the reservist's profile, linked to a user with the volunteer role."""

    state = models.CharField(
        "état", max_length=10, choices=ApplicationState.choices, default=ApplicationState.SUBMITTED
    )
    academie = models.ForeignKey(
        Academie, verbose_name="académie", on_delete=models.PROTECT, related_name="+"
    )
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150)
    email = models.EmailField("courriel")
    phone = models.CharField("téléphone", max_length=40, blank=True)
    profession = models.CharField("profession", max_length=200)
    employer_name = models.CharField("employeur ou structure", max_length=255, blank=True)
    skills = ArrayField(
        models.CharField(max_length=15, choices=ReserveSkill.choices),
        verbose_name="ce que je peux apporter",
    )
    skills_detail = models.TextField("précisions", blank=True)
    sectors = models.CharField("secteurs d'activité", max_length=500, blank=True)
    availability = ArrayField(
        models.CharField(max_length=12, choices=Availability.choices),
        verbose_name="disponibilités",
    )
    commune = models.ForeignKey(
        Commune, verbose_name="commune de résidence", on_delete=models.PROTECT, related_name="+"
    )
    max_distance_km = models.PositiveSmallIntegerField(
        "distance maximale (km)", default=30, validators=[MinValueValidator(1)]
    )
    charter_accepted_at = models.DateTimeField("charte acceptée le")
    # The volunteer's confidentiality undertaking (relais.core.confidentiality), given with the
    # sign-up: the version read and when.
    confidentiality_version = models.CharField(
        "version de l'engagement de confidentialité", max_length=20, blank=True
    )
    confidentiality_accepted_at = models.DateTimeField(
        "engagement de confidentialité pris le", null=True, blank=True
    )
    submitted_at = models.DateTimeField("déposée le")
    vetted_at = models.DateTimeField("examinée le", null=True, blank=True)
    vetted_by = models.ForeignKey(
        USER, verbose_name="examinée par", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    refusal_reason = models.TextField("motif du refus", blank=True)
    user = models.ForeignKey(
        USER, verbose_name="compte", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="reserve_applications",
    )  # fmt: skip
    is_demo = models.BooleanField("donnée de démonstration", default=False)
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = "candidature à la réserve citoyenne"
        verbose_name_plural = "candidatures à la réserve citoyenne"
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["academie", "state", "submitted_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(confidentiality_version="", confidentiality_accepted_at=None)
                | (~Q(confidentiality_version="") & Q(confidentiality_accepted_at__isnull=False)),
                name="reserve_confidentiality_who_when",
            ),
            models.CheckConstraint(
                condition=Q(state=ApplicationState.SUBMITTED)
                | Q(vetted_at__isnull=False, vetted_by__isnull=False),
                name="application_vetted_has_who_when",
            ),
            models.CheckConstraint(
                condition=~Q(state=ApplicationState.REFUSED) | ~Q(refusal_reason=""),
                name="application_refused_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(state=ApplicationState.VALIDATED) | Q(user__isnull=False),
                name="application_validated_has_user",
            ),
            models.CheckConstraint(
                condition=~Q(skills=[]) & ~Q(availability=[]),
                name="application_skills_and_availability",
            ),
            models.UniqueConstraint(
                fields=["email"],
                condition=Q(state__in=[ApplicationState.SUBMITTED, ApplicationState.VALIDATED]),
                name="application_one_open_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def get_absolute_url(self) -> str:
        return reverse("volunteers:application_detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_pending(self) -> bool:
        """Submitted, not yet decided by the académie referent."""
        return self.state == ApplicationState.SUBMITTED

    def skill_labels(self) -> list[str]:
        return [ReserveSkill(s).label for s in self.skills]

    def availability_labels(self) -> list[str]:
        return [Availability(a).label for a in self.availability]


class ApplicationJournal(VolunteerJournal):
    """The journal of a sign-up: submitted (charter accepted), validated or refused by the
    académie referent. PROTECT: the vetting of a person who will meet pupils is the
    académie's decision, whose trace (who validated whom, when) outlives the record."""

    states = ApplicationState
    application = models.ForeignKey(
        ReserveApplication, verbose_name="candidature", on_delete=models.PROTECT,
        related_name="journal",
    )  # fmt: skip

    class Meta(VolunteerJournal.Meta):
        verbose_name = "étape (candidature)"
        verbose_name_plural = "journal des candidatures"


class ReserveRequest(TimeStampedModel):
    """A teacher asks a validated reservist to come to their school; the reservist accepts or
    declines; an accepted request becomes a counted intervention once done."""

    reservist = models.ForeignKey(
        ReserveApplication, verbose_name="réserviste", on_delete=models.PROTECT,
        related_name="requests",
    )  # fmt: skip
    establishment = models.ForeignKey(
        Establishment, verbose_name="établissement", on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        USER, verbose_name="demandée par", on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        "état", max_length=10, choices=RequestState.choices, default=RequestState.SENT
    )
    subject = models.CharField("objet", max_length=200)
    message = models.TextField("message")
    skill = models.CharField("thème", max_length=15, choices=ReserveSkill.choices)
    wished_date = models.DateField("date souhaitée", null=True, blank=True)
    answer_note = models.TextField("réponse", blank=True)
    answered_at = models.DateTimeField("répondu le", null=True, blank=True)
    done_on = models.DateField("intervention réalisée le", null=True, blank=True)
    hours = models.DecimalField("durée (heures)", max_digits=4, decimal_places=1, null=True,
                                blank=True)  # fmt: skip
    pupils = models.PositiveIntegerField("nombre d'élèves", null=True, blank=True)

    class Meta:
        verbose_name = "sollicitation d'un réserviste"
        verbose_name_plural = "sollicitations des réservistes"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state=RequestState.SENT)
                | Q(state=RequestState.CANCELLED)
                | Q(answered_at__isnull=False),
                name="request_answered_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(state=RequestState.DONE)
                | Q(done_on__isnull=False, hours__gt=0, pupils__isnull=False),
                name="request_done_is_counted",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("volunteers:request_detail", args=[self.pk])

    @property
    def reservist_has_accepted(self) -> bool:
        """Accepted (and possibly done): the school may now see the reservist's contact."""
        return self.state in (RequestState.ACCEPTED, RequestState.DONE)


class ReserveRequestJournal(VolunteerJournal):
    """The journal of a request: sent, accepted or declined, cancelled, done (counted).
    PROTECT: a counted intervention in a school keeps its trace; requests are never deleted
    (their reservist and their school are PROTECT too)."""

    states = RequestState
    request = models.ForeignKey(
        ReserveRequest, verbose_name="sollicitation", on_delete=models.PROTECT,
        related_name="journal",
    )  # fmt: skip

    class Meta(VolunteerJournal.Meta):
        verbose_name = "étape (sollicitation)"
        verbose_name_plural = "journal des sollicitations"
