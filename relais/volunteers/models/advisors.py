"""Conseillers entreprises pour l'école (CEE, code de l'éducation D. 331-65 à D. 331-67,
proposed by a professional organisation under a CEE convention, designated by the recteur
with a lettre de mission) and conseillers de l'enseignement technologique (CET), with their
journal, their ``AdvisorIntervention`` and the yearly ``NominativeListSending`` (Article 5).
The workflow is ``relais.volunteers.workflows.ADVISOR_WORKFLOW``."""

from decimal import Decimal

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
from relais.territories.models import Academie

from ..enums import (
    APPOINTED_STATES,
    AdvisorKind,
    AdvisorState,
    InterventionDomain,
    ProfessionalStatus,
)
from .journal import VolunteerJournal

USER = settings.AUTH_USER_MODEL


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
    specialty = models.CharField(
        "spécialité", max_length=200, blank=True,
        help_text="Pour un CET : la spécialité de diplômes où il conseille (Mesure 8), par "
        "exemple « maintenance des véhicules ».",
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
        """Designated by the recteur and not ended: on the nominative list."""
        return self.state in APPOINTED_STATES

    @property
    def is_awaiting_employer(self) -> bool:
        """Designated, waiting for the organisation to confirm the employer is informed."""
        return self.state == AdvisorState.DESIGNATED

    def domain_labels(self) -> list[str]:
        return [InterventionDomain(d).label for d in self.domains]


class AdvisorJournal(VolunteerJournal):
    """The journal of an adviser: proposal, designation, employer informed, end. PROTECT: a
    designation by the recteur (code de l'éducation, D. 331-65) is an administrative act
    whose trace outlives the record; an adviser with a journal cannot be deleted."""

    states = AdvisorState
    advisor = models.ForeignKey(
        Advisor, verbose_name="conseiller", on_delete=models.PROTECT, related_name="journal"
    )

    class Meta(VolunteerJournal.Meta):
        verbose_name = "étape (conseiller)"
        verbose_name_plural = "journal des conseillers"


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
