"""The territory: régions académiques, académies, départements, bassins, communes."""

from django.db import models


class HolidayZone(models.TextChoices):
    A = "A", "Zone A"
    B = "B", "Zone B"
    C = "C", "Zone C"
    CORSE = "Corse", "Corse"
    OUTRE_MER = "DOM", "Outre-mer"


class AcademicRegion(models.Model):
    code = models.CharField("code", max_length=3, unique=True)
    name = models.CharField("nom", max_length=120)

    class Meta:
        verbose_name = "région académique"
        verbose_name_plural = "régions académiques"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Academie(models.Model):
    code = models.CharField("code", max_length=3, unique=True)
    name = models.CharField("nom", max_length=120)
    region = models.ForeignKey(
        AcademicRegion,
        verbose_name="région académique",
        on_delete=models.PROTECT,
        related_name="academies",
    )
    holiday_zone = models.CharField(
        "zone de vacances", max_length=5, choices=HolidayZone.choices, blank=True
    )
    latitude = models.FloatField("latitude du centre", null=True, blank=True)
    longitude = models.FloatField("longitude du centre", null=True, blank=True)

    class Meta:
        verbose_name = "académie"
        verbose_name_plural = "académies"
        ordering = ["name"]

    def __str__(self) -> str:
        return (
            f"Académie de {self.name}"
            if self.name[0] not in "AEIOUÉ"
            else f"Académie d'{self.name}"
        )


class Departement(models.Model):
    code = models.CharField(
        "code", max_length=3, unique=True, help_text="Code INSEE : 30, 2A, 971."
    )
    name = models.CharField("nom", max_length=120)
    academie = models.ForeignKey(
        Academie, verbose_name="académie", on_delete=models.PROTECT, related_name="departements"
    )

    class Meta:
        verbose_name = "département"
        verbose_name_plural = "départements"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


# Words kept in lower case inside a place's name written in capitals (« VILLEFRANCHE DE
# ROUERGUE » → « Villefranche de Rouergue »).
NAME_PARTICLES = {"de", "du", "des", "d'", "la", "le", "les", "l'", "et", "sur", "en", "sous"}


class Bassin(models.Model):
    """Bassin d'éducation et de formation: one club école-entreprise and one pôle de stages each."""

    code = models.CharField("code", max_length=10, unique=True)
    name = models.CharField("nom", max_length=120)
    academie = models.ForeignKey(
        Academie, verbose_name="académie", on_delete=models.PROTECT, related_name="bassins"
    )

    class Meta:
        verbose_name = "bassin de formation"
        verbose_name_plural = "bassins de formation"
        ordering = ["name"]

    def __str__(self) -> str:
        return bassin_label(self.name)


def bassin_label(raw_name: str) -> str:
    """« BASSIN DE THAU » → « Bassin de Thau », « LUNEL » → « Bassin Lunel » (the annuaire
    writes some names with « Bassin » already: never « Bassin Bassin De Thau »). For pages
    that read the bassin's name alone (``values()``) as for ``Bassin.__str__``."""
    words = raw_name.title().split()
    name = " ".join(
        word.lower() if index and word.lower() in NAME_PARTICLES else word
        for index, word in enumerate(words)
    )
    return name if name.lower().startswith("bassin ") else f"Bassin {name}"


class Commune(models.Model):
    insee_code = models.CharField("code INSEE", max_length=5, unique=True)
    name = models.CharField("nom", max_length=120)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    departement = models.ForeignKey(
        Departement,
        verbose_name="département",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="communes",
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    search_text = models.CharField(max_length=200, blank=True, editable=False)

    class Meta:
        verbose_name = "commune"
        verbose_name_plural = "communes"
        ordering = ["name"]
        indexes = [
            models.Index(
                fields=["search_text"], name="commune_search_idx", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.postal_code or self.insee_code})"
