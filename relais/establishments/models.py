"""Établissements scolaires identified by their UAI, from the Annuaire de l'éducation."""

import pghistory
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.urls import reverse

from relais.core.identifiers import validate_uai
from relais.core.models import TimeStampedModel
from relais.territories.models import Academie, Bassin, Commune, Departement

from .enums import EstablishmentKind, PriorityEducation, Sector


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    exclude=["search_text", "updated_at"],
)
class Establishment(TimeStampedModel):
    uai = models.CharField("UAI", max_length=8, unique=True, validators=[validate_uai])
    name = models.CharField("nom", max_length=255)
    kind = models.CharField("type", max_length=20, choices=EstablishmentKind.choices)
    nature_code = models.CharField("code nature", max_length=3, blank=True)
    nature_label = models.CharField("nature", max_length=120, blank=True)
    sector = models.CharField("secteur", max_length=6, choices=Sector.choices, blank=True)
    private_contract = models.CharField("contrat (privé)", max_length=120, blank=True)
    priority_education = models.CharField(
        "éducation prioritaire", max_length=4, choices=PriorityEducation.choices, blank=True
    )
    general_track = models.BooleanField("voie générale", default=False)
    technological_track = models.BooleanField("voie technologique", default=False)
    vocational_track = models.BooleanField("voie professionnelle", default=False)
    lycee_des_metiers = models.BooleanField("lycée des métiers", default=False)
    segpa = models.BooleanField("SEGPA", default=False)
    ulis = models.BooleanField("ULIS", default=False)
    apprenticeship = models.BooleanField("apprentissage", default=False)
    agricultural = models.BooleanField("lycée agricole", default=False)

    address_1 = models.CharField("adresse", max_length=255, blank=True)
    address_2 = models.CharField("complément d'adresse", max_length=255, blank=True)
    address_3 = models.CharField("complément d'adresse (2)", max_length=255, blank=True)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    commune = models.ForeignKey(
        Commune,
        verbose_name="commune",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="establishments",
    )
    departement = models.ForeignKey(
        Departement,
        verbose_name="département",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="establishments",
    )
    academie = models.ForeignKey(
        Academie, verbose_name="académie", on_delete=models.PROTECT, related_name="establishments"
    )
    bassin = models.ForeignKey(
        Bassin,
        verbose_name="bassin de formation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="establishments",
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    phone = models.CharField("téléphone", max_length=40, blank=True)
    email = models.EmailField("courriel", blank=True)
    website = models.URLField("site web", max_length=500, blank=True)
    siret = models.CharField("SIREN/SIRET", max_length=14, blank=True)
    pupil_count = models.PositiveIntegerField("nombre d'élèves", null=True, blank=True)
    is_open = models.BooleanField("ouvert", default=True)
    opened_on = models.DateField("date d'ouverture", null=True, blank=True)
    source_updated_on = models.DateField("mise à jour dans l'annuaire", null=True, blank=True)
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = "établissement"
        verbose_name_plural = "établissements"
        ordering = ["name", "uai"]
        indexes = [
            GinIndex(
                name="establishment_search_trgm", fields=["search_text"], opclasses=["gin_trgm_ops"]
            ),
            models.Index(fields=["academie", "kind"]),
            models.Index(fields=["bassin", "kind"]),
            # The list's order: a page is read from the index, not sorted out of every row.
            models.Index(fields=["name", "uai"], name="establishment_list_order"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.uai})"

    def get_absolute_url(self) -> str:
        return reverse("establishments:detail", args=[self.uai])

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def is_priority(self) -> bool:
        return bool(self.priority_education)
