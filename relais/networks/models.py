"""Clubs école-entreprise / CLEE (one per bassin). Mandates, members and the campus des
métiers et des qualifications extend this module."""

from django.db import models
from django.urls import reverse

from relais.core.models import TimeStampedModel
from relais.territories.models import Academie, Bassin


class Club(TimeStampedModel):
    """A club école-entreprise (CLEE) of a bassin; Lille's Clubster is the network of the
    académie's clubs under its convention (« Gouvernance et mise en œuvre »)."""

    name = models.CharField("nom", max_length=255)
    academie = models.ForeignKey(
        Academie, verbose_name="académie", on_delete=models.PROTECT, related_name="clubs"
    )
    bassin = models.OneToOneField(
        Bassin, verbose_name="bassin", on_delete=models.PROTECT, related_name="club"
    )
    agreement = models.ForeignKey(
        "agreements.Agreement",
        verbose_name="convention de rattachement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="clubs",
    )
    charter = models.TextField("charte", blank=True)
    contact_email = models.EmailField("courriel de contact", blank=True)

    class Meta:
        verbose_name = "club école-entreprise"
        verbose_name_plural = "clubs école-entreprise"
        ordering = ["academie__name", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("networks:club_detail", args=[self.pk])
