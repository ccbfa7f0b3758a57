"""The inventory of vocational and apprenticeship sections (CPME Île-de-France, art. 2.5),
their opening, transformation or closing under concertation with the signatory
organisations, and the métiers en tension the partners report."""

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

from ..enums import (
    SECTOR_CHOICES,
    ChangeKind,
    ChangeState,
    DiplomaLevel,
    Opinion,
    SectionState,
    SectionStatus,
)


class TrainingSection(TimeStampedModel):
    """A section of an établissement: a diploma, in a sector, by school or apprenticeship
    status, with a capacity (places per year)."""

    establishment = models.ForeignKey(
        Establishment, verbose_name="établissement", on_delete=models.PROTECT,
        related_name="training_sections",
    )  # fmt: skip
    diploma = models.CharField("diplôme préparé", max_length=200)
    level = models.CharField("niveau", max_length=10, choices=DiplomaLevel.choices)
    sector = models.CharField(
        "secteur (grand domaine du ROME)", max_length=1, choices=SECTOR_CHOICES
    )
    nsf_code = models.CharField(
        "code NSF",
        max_length=5,
        blank=True,
        help_text="Nomenclature des spécialités de formation, par exemple 221.",
    )
    status = models.CharField("statut", max_length=15, choices=SectionStatus.choices)
    capacity = models.PositiveSmallIntegerField(
        "capacité d'accueil (places par an)",
        validators=[MinValueValidator(1), MaxValueValidator(500)],
    )
    state = models.CharField(
        "état", max_length=10, choices=SectionState.choices, default=SectionState.OPEN
    )
    opened_on = models.DateField("ouverte le", null=True, blank=True)
    closed_on = models.DateField("fermée le", null=True, blank=True)

    class Meta:
        verbose_name = "section de formation"
        verbose_name_plural = "sections de formation"
        ordering = ["establishment__name", "diploma", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1) & Q(capacity__lte=500), name="training_capacity_range"
            ),
            models.CheckConstraint(
                condition=Q(state=SectionState.OPEN) | Q(closed_on__isnull=False),
                name="training_closed_has_date",
            ),
            models.UniqueConstraint(
                fields=["establishment", "diploma", "status"],
                condition=Q(state=SectionState.OPEN),
                name="training_section_once_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.diploma} ({self.get_status_display().lower()}) — {self.establishment.name}"

    def get_absolute_url(self) -> str:
        return reverse("training:section_detail", args=[self.pk])


class SectionChange(TimeStampedModel):
    """A planned opening, transformation or closing of a section, moved along
    ``workflows.CHANGE_WORKFLOW``: prepared by the académie team, submitted to the signatory
    organisations concerned for their opinion within a deadline, then decided."""

    kind = models.CharField("nature", max_length=15, choices=ChangeKind.choices)
    establishment = models.ForeignKey(
        Establishment, verbose_name="établissement", on_delete=models.PROTECT,
        related_name="training_changes",
    )  # fmt: skip
    academie = models.ForeignKey(
        Academie, verbose_name="académie", on_delete=models.PROTECT, related_name="training_changes"
    )
    section = models.ForeignKey(
        TrainingSection, verbose_name="section concernée", null=True, blank=True,
        on_delete=models.PROTECT, related_name="changes",
    )  # fmt: skip
    # What the section will be (opening, transformation).
    diploma = models.CharField("diplôme préparé", max_length=200, blank=True)
    level = models.CharField("niveau", max_length=10, choices=DiplomaLevel.choices, blank=True)
    sector = models.CharField("secteur", max_length=1, choices=SECTOR_CHOICES, blank=True)
    nsf_code = models.CharField("code NSF", max_length=5, blank=True)
    status = models.CharField("statut", max_length=15, choices=SectionStatus.choices, blank=True)
    capacity = models.PositiveSmallIntegerField("capacité d'accueil", null=True, blank=True)
    reason = models.TextField("motif et besoins des entreprises")
    effective_on = models.DateField("à la rentrée du")
    state = models.CharField(
        "état", max_length=15, choices=ChangeState.choices, default=ChangeState.DRAFT
    )
    opinion_deadline = models.DateField("avis attendus avant le", null=True, blank=True)
    decided_on = models.DateField("décidée le", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "évolution de la carte des formations"
        verbose_name_plural = "évolutions de la carte des formations"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state=ChangeState.CONSULTATION) | Q(opinion_deadline__isnull=False),
                name="training_consultation_has_deadline",
            ),
            models.CheckConstraint(
                condition=Q(kind=ChangeKind.OPEN) | Q(section__isnull=False),
                name="training_change_names_section",
            ),
        ]

    def __str__(self) -> str:
        target = self.diploma or (self.section.diploma if self.section else "")
        return f"{self.get_kind_display()} : {target} — {self.establishment.name}"

    def get_absolute_url(self) -> str:
        return reverse("training:change_detail", args=[self.pk])


class SectionOpinion(models.Model):
    """The opinion of one consulted organisation: favourable, unfavourable or reserved, with
    a comment; blank until given."""

    change = models.ForeignKey(SectionChange, on_delete=models.CASCADE, related_name="opinions")
    organisation = models.ForeignKey(
        Organisation, verbose_name="organisation consultée", on_delete=models.PROTECT,
        related_name="training_opinions",
    )  # fmt: skip
    opinion = models.CharField("avis", max_length=12, choices=Opinion.choices, blank=True)
    comment = models.TextField("commentaire", blank=True)
    answered_at = models.DateTimeField("rendu le", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "avis d'une organisation"
        verbose_name_plural = "avis des organisations"
        ordering = ["organisation__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["change", "organisation"], name="training_opinion_once"
            ),
            models.CheckConstraint(
                condition=Q(opinion="") | Q(answered_at__isnull=False),
                name="training_opinion_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} : {self.get_opinion_display() or 'en attente'}"


class SectionChangeJournal(JournalEntry):
    change = models.ForeignKey(SectionChange, on_delete=models.PROTECT, related_name="journal")

    class Meta(JournalEntry.Meta):
        verbose_name = "étape (évolution de la carte)"
        verbose_name_plural = "journal des évolutions de la carte"


class ShortageReport(TimeStampedModel):
    """A métier en tension reported by a partner organisation for an académie: the sections
    of that sector in the académie are flagged."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="organisation", on_delete=models.PROTECT,
        related_name="shortage_reports",
    )  # fmt: skip
    academie = models.ForeignKey(
        Academie, verbose_name="académie", on_delete=models.PROTECT, related_name="shortage_reports"
    )
    sector = models.CharField("secteur", max_length=1, choices=SECTOR_CHOICES)
    job = models.CharField("métier", max_length=200)
    comment = models.TextField("besoins constatés", blank=True)
    reported_on = models.DateField("signalé le")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "métier en tension"
        verbose_name_plural = "métiers en tension"
        ordering = ["-reported_on", "-pk"]
        indexes = [models.Index(fields=["academie", "sector"])]

    def __str__(self) -> str:
        return f"{self.job} ({self.academie})"
