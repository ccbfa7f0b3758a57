"""The national view's aggregates (issue 11, performance): each measure of
``relais.reporting.measures`` per territory and school year, computed by the nightly job
``reporting.aggregates_refresh`` so that the national pages read a few rows instead of
counting the whole country at each opening."""

from django.db import models


class Aggregate(models.Model):
    """The value of measure ``key`` for territory ``territory_id`` of ``level`` in
    ``school_year``. Zero values are not stored. A row with ``key`` = ``REFRESHED`` and
    ``territory_id`` 0 marks a (level, year) as computed, its ``value`` the POSIX time of the
    computation."""

    REFRESHED = "_calcul"

    level = models.CharField("niveau", max_length=8)  # academie | bassin | school
    school_year = models.PositiveSmallIntegerField("année scolaire (année de rentrée)")
    key = models.CharField("indicateur", max_length=40)
    territory_id = models.IntegerField("territoire")
    value = models.FloatField("valeur")

    class Meta:
        verbose_name = "agrégat du pilotage"
        verbose_name_plural = "agrégats du pilotage"
        constraints = [
            models.UniqueConstraint(
                fields=["level", "school_year", "key", "territory_id"], name="aggregate_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.territory_id} {self.school_year} {self.key} = {self.value}"
