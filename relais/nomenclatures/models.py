"""National nomenclatures: ROME (jobs, France Travail) and NAF rév. 2 (sectors, INSEE)."""

from django.db import models


class RomeCode(models.Model):
    code = models.CharField("code ROME", max_length=5, unique=True)
    label = models.CharField("intitulé", max_length=255)
    parent_code = models.CharField("fiche historique", max_length=5, blank=True)

    class Meta:
        verbose_name = "fiche ROME"
        verbose_name_plural = "fiches ROME"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.label}"

    @property
    def family(self) -> str:
        """The ROME family (grand domaine + domaine), e.g. « H22 » for H2201."""
        return self.code[:3]


class RomeAppellation(models.Model):
    ogr_code = models.CharField("code OGR", max_length=10, unique=True)
    label = models.CharField("appellation", max_length=255)
    short_label = models.CharField("appellation courte", max_length=255, blank=True)
    rome = models.ForeignKey(RomeCode, on_delete=models.CASCADE, related_name="appellations")

    class Meta:
        verbose_name = "appellation ROME"
        verbose_name_plural = "appellations ROME"
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class NafCode(models.Model):
    code = models.CharField("code NAF", max_length=6, unique=True, help_text="Ex. : 01.11Z")
    label = models.CharField("intitulé", max_length=255)
    section = models.CharField("section", max_length=1)
    division = models.CharField("division", max_length=2)
    group = models.CharField("groupe", max_length=4)
    naf_class = models.CharField("classe", max_length=5)

    class Meta:
        verbose_name = "code NAF"
        verbose_name_plural = "codes NAF"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.label}"
