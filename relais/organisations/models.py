"""Partners of the school: professional organisations, companies, associations, public bodies."""

import pghistory
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.urls import reverse

from relais.core.identifiers import validate_siret
from relais.core.models import TimeStampedModel
from relais.nomenclatures.models import NafCode
from relais.territories.models import AcademicRegion, Academie, Commune

from .enums import OrganisationKind, OrganisationLevel, SizeBand


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    exclude=["search_text", "updated_at"],
)
class Organisation(TimeStampedModel):
    """One table for every kind of partner, so that conventions, clubs and offers can point at
    any of them. Its territory (``academie`` or ``academic_region``, or neither for a national
    body) decides who sees it: see ``relais.organisations.selectors``."""

    name = models.CharField("nom", max_length=255)
    acronym = models.CharField("sigle", max_length=40, blank=True)
    kind = models.CharField("type", max_length=20, choices=OrganisationKind.choices)
    level = models.CharField(
        "niveau", max_length=10, choices=OrganisationLevel.choices, default=OrganisationLevel.LOCAL
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="organisation de rattachement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="Ex. : MEDEF Occitanie est rattaché au MEDEF.",
    )
    siret = models.CharField(
        "SIRET", max_length=14, null=True, blank=True, validators=[validate_siret]
    )
    naf = models.ForeignKey(
        NafCode, verbose_name="code NAF", null=True, blank=True, on_delete=models.PROTECT
    )
    size_band = models.CharField(
        "catégorie d'entreprise", max_length=5, choices=SizeBand.choices, blank=True
    )
    address = models.CharField("adresse", max_length=255, blank=True)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    commune = models.ForeignKey(
        Commune,
        verbose_name="commune",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    academie = models.ForeignKey(
        Academie,
        verbose_name="académie",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        help_text="Vide pour une organisation nationale ou régionale.",
    )
    academic_region = models.ForeignKey(
        AcademicRegion,
        verbose_name="région académique",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    email = models.EmailField("courriel", blank=True)
    phone = models.CharField("téléphone", max_length=40, blank=True)
    website = models.URLField("site web", max_length=500, blank=True)
    description = models.TextField("présentation", blank=True)
    is_demo = models.BooleanField(
        "donnée de démonstration",
        default=False,
        help_text="Créée par la démonstration : ne correspond à aucune structure réelle.",
    )
    archived_at = models.DateTimeField("archivée le", null=True, blank=True)
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = "organisation"
        verbose_name_plural = "organisations"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["siret"], condition=Q(siret__isnull=False), name="organisation_unique_siret"
            ),
            models.CheckConstraint(
                condition=Q(siret__isnull=True) | Q(siret__regex=r"^\d{14}$"),
                name="organisation_siret_digits",
            ),
        ]
        indexes = [
            GinIndex(
                name="organisation_search_trgm", fields=["search_text"], opclasses=["gin_trgm_ops"]
            ),
            models.Index(fields=["academie", "kind"]),
            # The list's order: a page is read from the index, not sorted out of every row.
            models.Index(fields=["name"], name="organisation_list_order"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:detail", args=[self.pk])

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def territory_label(self) -> str:
        if self.academie_id:
            return str(self.academie)
        if self.academic_region_id:
            return f"Région académique {self.academic_region}"
        return "National"
