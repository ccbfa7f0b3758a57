"""The people of the relation école-entreprise who are not staff of the school:

- ``Advisor``: conseillers entreprises pour l'école (CEE, code de l'éducation D. 331-65 à
  D. 331-67, proposed by a professional organisation under a CEE convention, designated by the
  recteur with a lettre de mission) and conseillers de l'enseignement technologique (CET),
  with their ``AdvisorIntervention`` and the yearly ``NominativeListSending`` (Article 5);
- the réserve citoyenne: ``ReserveApplication`` (sign-up, vetting), ``ReserveRequest``
  (a teacher's request to a validated reservist);
- immersions of teachers in companies (``ImmersionOffer``, ``ImmersionApplication``) and the
  56-hour course of new heads of school and inspectors (``Course``, ``CourseParticipant``,
  ``CourseHours``).

Every state machine has its enum and transitions in ``enums``, its services in ``services``,
an append-only journal here (who, when, from, to, why) and constraints tying fields to states.
"""

from datetime import timedelta
from decimal import Decimal

import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from relais.agreements.models import Agreement
from relais.core.models import TimeStampedModel
from relais.establishments.models import Establishment
from relais.nomenclatures.models import NafCode, RomeCode
from relais.organisations.models import Organisation
from relais.territories.models import Academie, Commune

from .enums import (
    COURSE_HOURS,
    IMMERSION_MAX_DAYS,
    AdvisorKind,
    AdvisorState,
    ApplicationState,
    Availability,
    CourseFunction,
    CoursePart,
    ImmersionState,
    InterventionDomain,
    ProfessionalStatus,
    RequestState,
    ReserveSkill,
)

USER = settings.AUTH_USER_MODEL


class TransitionEntry(models.Model):
    """One line of a state machine's journal. Append-only (a trigger refuses updates)."""

    from_state = models.CharField("de", max_length=20, blank=True)
    to_state = models.CharField("vers", max_length=20)
    at = models.DateTimeField("le", auto_now_add=True)
    by = models.ForeignKey(
        USER, verbose_name="par", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField("motif", blank=True)

    states = None  # the TextChoices of the machine, set by each journal

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def _label(self, value: str) -> str:
        return self.states(value).label if value and self.states else (value or "—")

    @property
    def from_label(self) -> str:
        return self._label(self.from_state)

    @property
    def to_label(self) -> str:
        return self._label(self.to_state)


# --- Conseillers entreprises pour l'école (CEE) and de l'enseignement technologique (CET) ----


def _appointed() -> Q:
    return Q(state__in=[AdvisorState.DESIGNATED, AdvisorState.ACTIVE, AdvisorState.ENDED])


class Advisor(TimeStampedModel):
    """A CEE or CET: proposed by a professional organisation, designated (or refused) by the
    académie team, in mission once the organisation confirms that the employer is informed
    (Article 3 of the model convention), ended at the end of the mandate."""

    kind = models.CharField("type", max_length=3, choices=AdvisorKind.choices)
    state = models.CharField(
        "état", max_length=10, choices=AdvisorState.choices, default=AdvisorState.PROPOSED
    )
    academie = models.ForeignKey(
        Academie, verbose_name="académie", on_delete=models.PROTECT, related_name="advisors"
    )
    agreement = models.ForeignKey(
        Agreement, verbose_name="convention CEE", null=True, blank=True,
        on_delete=models.PROTECT, related_name="advisors",
    )  # fmt: skip
    organisation = models.ForeignKey(
        Organisation, verbose_name="organisation qui propose", on_delete=models.PROTECT,
        related_name="advisors",
    )  # fmt: skip
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150)
    email = models.EmailField("courriel")
    phone = models.CharField("téléphone", max_length=40, blank=True)
    status = models.CharField("statut", max_length=10, choices=ProfessionalStatus.choices)
    employer_name = models.CharField("employeur", max_length=255)
    job_title = models.CharField("fonction dans l'entreprise", max_length=200, blank=True)
    naf = models.ForeignKey(
        NafCode, verbose_name="secteur (code NAF)", null=True, blank=True, on_delete=models.PROTECT
    )
    rome = models.ForeignKey(
        RomeCode, verbose_name="métier (code ROME)", null=True, blank=True,
        on_delete=models.PROTECT,
    )  # fmt: skip
    sectors = models.CharField(
        "secteurs d'expertise", max_length=500,
        help_text="En clair, par exemple « bâtiment, travaux publics ».",
    )  # fmt: skip
    domains = ArrayField(
        models.CharField(max_length=25, choices=InterventionDomain.choices),
        verbose_name="domaines d'intervention",
        default=list,
        blank=True,
    )
    proposal_note = models.TextField("observations de l'organisation", blank=True)
    proposed_by = models.ForeignKey(
        USER, verbose_name="proposé par", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    # Fixed at designation: they are what the lettre de mission states (Article 3).
    designated_on = models.DateField("désigné le", null=True, blank=True)
    letter_number = models.CharField("n° de la lettre de mission", max_length=30, blank=True)
    mission = models.TextField("nature de la mission", blank=True)
    geographic_scope = models.CharField("champ géographique", max_length=255, blank=True)
    mandate_start = models.DateField("début du mandat", null=True, blank=True)
    mandate_end = models.DateField("fin du mandat", null=True, blank=True)
    contact_name = models.CharField("référent académique", max_length=200, blank=True)
    contact_email = models.EmailField("courriel du référent", blank=True)
    contact_phone = models.CharField("téléphone du référent", max_length=40, blank=True)

    employer_informed_on = models.DateField("employeur informé le", null=True, blank=True)
    employer_informed_by = models.ForeignKey(
        USER, verbose_name="confirmé par", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    refusal_reason = models.TextField("motif du refus", blank=True)
    ended_on = models.DateField("fin constatée", null=True, blank=True)
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = "conseiller"
        verbose_name_plural = "conseillers (CEE et CET)"
        ordering = ["last_name", "first_name", "pk"]
        indexes = [models.Index(fields=["academie", "kind", "state"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=AdvisorKind.CEE) | Q(agreement__isnull=False),
                name="advisor_cee_has_agreement",
            ),
            models.CheckConstraint(
                condition=~Q(state=AdvisorState.REFUSED) | ~Q(refusal_reason=""),
                name="advisor_refused_has_reason",
            ),
            models.CheckConstraint(
                condition=~_appointed()
                | (
                    Q(designated_on__isnull=False, mandate_start__isnull=False)
                    & Q(mandate_end__gt=F("mandate_start"))
                    & ~Q(letter_number="")
                    & ~Q(contact_email="")
                ),
                name="advisor_designated_has_mandate",
            ),
            models.CheckConstraint(
                condition=~Q(state=AdvisorState.ACTIVE) | Q(employer_informed_on__isnull=False),
                name="advisor_active_employer_informed",
            ),
            models.CheckConstraint(
                condition=~Q(state=AdvisorState.ENDED) | Q(ended_on__isnull=False),
                name="advisor_ended_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def get_absolute_url(self) -> str:
        return reverse("volunteers:advisor_detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def kind_short(self) -> str:
        return "CEE" if self.kind == AdvisorKind.CEE else "CET"

    @property
    def is_appointed(self) -> bool:
        return self.state in (AdvisorState.DESIGNATED, AdvisorState.ACTIVE)

    def domain_labels(self) -> list[str]:
        return [InterventionDomain(d).label for d in self.domains]


class AdvisorTransition(TransitionEntry):
    states = AdvisorState
    advisor = models.ForeignKey(Advisor, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionEntry.Meta):
        verbose_name = "étape (conseiller)"
        verbose_name_plural = "journal des conseillers"
        triggers = [
            pgtrigger.Protect(name="advisor_journal_append_only", operation=pgtrigger.Update)
        ]

    def __str__(self) -> str:
        return f"{self.from_label} → {self.to_label} ({self.at:%d/%m/%Y})"


class AdvisorIntervention(TimeStampedModel):
    """What a CEE or CET did: a domain of Article 2, in a school, on a date, for some hours."""

    advisor = models.ForeignKey(Advisor, on_delete=models.CASCADE, related_name="interventions")
    domain = models.CharField("domaine", max_length=25, choices=InterventionDomain.choices)
    establishment = models.ForeignKey(
        Establishment, verbose_name="établissement", on_delete=models.PROTECT,
        related_name="advisor_interventions",
    )  # fmt: skip
    date = models.DateField("date")
    hours = models.DecimalField(
        "durée (heures)", max_digits=5, decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(200)],
    )  # fmt: skip
    description = models.CharField("description", max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        USER, verbose_name="saisie par", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = "intervention d'un conseiller"
        verbose_name_plural = "interventions des conseillers"
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=200), name="intervention_hours_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_domain_display()} — {self.date:%d/%m/%Y}"


class NominativeListSending(models.Model):
    """Article 5: the nominative list fixed each year by arrêté du recteur, as sent to one
    signatory organisation. Each sending is kept (a corrected list is a new sending)."""

    academie = models.ForeignKey(Academie, verbose_name="académie", on_delete=models.PROTECT)
    kind = models.CharField("type", max_length=3, choices=AdvisorKind.choices)
    school_year = models.PositiveSmallIntegerField("année scolaire (début)")
    organisation = models.ForeignKey(
        Organisation, verbose_name="organisation", on_delete=models.PROTECT, related_name="+"
    )
    sequence = models.PositiveSmallIntegerField("envoi n°", default=1)
    recipients = models.JSONField("destinataires", default=list)
    advisor_count = models.PositiveIntegerField("nombre de conseillers")
    sent_at = models.DateTimeField("envoyé le", auto_now_add=True)
    sent_by = models.ForeignKey(
        USER, verbose_name="par", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "envoi de la liste nominative"
        verbose_name_plural = "envois des listes nominatives"
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["academie", "kind", "school_year", "organisation", "sequence"],
                name="nominative_sending_unique",
            )
        ]

    def __str__(self) -> str:
        return f"Liste {self.school_year}-{self.school_year + 1} → {self.organisation}"


# --- Réserve citoyenne ------------------------------------------------------------------------


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

    def skill_labels(self) -> list[str]:
        return [ReserveSkill(s).label for s in self.skills]

    def availability_labels(self) -> list[str]:
        return [Availability(a).label for a in self.availability]


class ApplicationTransition(TransitionEntry):
    states = ApplicationState
    application = models.ForeignKey(
        ReserveApplication, on_delete=models.CASCADE, related_name="transitions"
    )

    class Meta(TransitionEntry.Meta):
        verbose_name = "étape (candidature)"
        verbose_name_plural = "journal des candidatures"
        triggers = [
            pgtrigger.Protect(name="application_journal_append_only", operation=pgtrigger.Update)
        ]

    def __str__(self) -> str:
        return f"{self.from_label} → {self.to_label} ({self.at:%d/%m/%Y})"


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


class RequestTransition(TransitionEntry):
    states = RequestState
    request = models.ForeignKey(
        ReserveRequest, on_delete=models.CASCADE, related_name="transitions"
    )

    class Meta(TransitionEntry.Meta):
        verbose_name = "étape (sollicitation)"
        verbose_name_plural = "journal des sollicitations"
        triggers = [
            pgtrigger.Protect(name="request_journal_append_only", operation=pgtrigger.Update)
        ]

    def __str__(self) -> str:
        return f"{self.from_label} → {self.to_label} ({self.at:%d/%m/%Y})"


# --- Immersions of teachers in companies ------------------------------------------------------


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


class ImmersionTransition(TransitionEntry):
    states = ImmersionState
    application = models.ForeignKey(
        ImmersionApplication, on_delete=models.CASCADE, related_name="transitions"
    )

    class Meta(TransitionEntry.Meta):
        verbose_name = "étape (immersion)"
        verbose_name_plural = "journal des immersions"
        triggers = [
            pgtrigger.Protect(name="immersion_journal_append_only", operation=pgtrigger.Update)
        ]

    def __str__(self) -> str:
        return f"{self.from_label} → {self.to_label} ({self.at:%d/%m/%Y})"


# --- The 56-hour course of new heads of school and inspectors (fiche mesure 6) -------------


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
