"""The parcours Avenir of each pupil, built from what Relais already records: an
experience (a company visit, a testimony, a stage, a mini-entreprise…) is recorded once, by
the school or by the app that manages it, and credited to every pupil who took part.

- ``ExperienceKind``: the kinds of experience and the items each counts for, data that the
  académie adjusts (a national default row, overridden by an académie's row of the same
  code);
- ``Experience``: one experience on a date, with its partner and place and its source; its
  ``items`` are those of its kind when it was recorded;
- ``Credit``: a pupil took part (one row per pupil and experience);
- ``Objective``: what a level should have done in a year (by default, the four items by the
  end of 3e, the stage in 3e); the académie sets its own;
- ``SchoolStat``: the counts per school, year, level and priority, refreshed on every write
  of that school and nightly; every view above the school reads them (never names).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from relais.core.models import TimeStampedModel
from relais.establishments.models import Establishment
from relais.organisations.models import Organisation
from relais.pupils.enums import Level
from relais.pupils.models import Pupil
from relais.territories.models import Academie

from .enums import Item, Source


class ExperienceKind(models.Model):
    """A kind of experience and the items of the parcours it counts for. A row without
    académie is the national default; an académie's row with the same code replaces it
    there."""

    code = models.SlugField("code", max_length=40)
    label = models.CharField("libellé", max_length=120)
    items = ArrayField(
        models.CharField(max_length=12, choices=Item.choices),
        verbose_name="compte pour",
        size=4,
    )
    academie = models.ForeignKey(
        Academie,
        verbose_name="académie",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Vide : le réglage national, que chaque académie peut remplacer.",
    )
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "type d'expérience"
        verbose_name_plural = "types d'expérience"
        ordering = ["position", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(academie__isnull=True), name="kind_national_code"
            ),
            models.UniqueConstraint(
                fields=["code", "academie"],
                condition=Q(academie__isnull=False),
                name="kind_academie_code",
            ),
            models.CheckConstraint(condition=Q(items__len__gte=1), name="kind_counts_for_an_item"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def items_display(self) -> str:
        labels = dict(Item.choices)
        return ", ".join(labels[item] for item in self.items)


class Experience(TimeStampedModel):
    """One experience lived by pupils of a school on a date (planned while the date is
    ahead). ``source_ref`` names the record it comes from (« actions.record:12 »), so that
    the same action is never credited twice."""

    establishment = models.ForeignKey(
        Establishment,
        verbose_name="établissement",
        on_delete=models.PROTECT,
        related_name="experiences",
    )
    kind = models.CharField("type", max_length=40)
    kind_label = models.CharField("type (libellé)", max_length=120)
    items = ArrayField(
        models.CharField(max_length=12, choices=Item.choices),
        verbose_name="compte pour",
        size=4,
    )
    title = models.CharField("intitulé", max_length=255)
    date = models.DateField("date")
    school_year = models.PositiveSmallIntegerField("année scolaire (année de la rentrée)")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="partenaire",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    partner_label = models.CharField("partenaire", max_length=255, blank=True)
    place = models.CharField("lieu", max_length=255, blank=True)
    source = models.CharField("origine", max_length=16, choices=Source.choices)
    source_ref = models.CharField("enregistrement d'origine", max_length=60, blank=True)
    classes = models.CharField("classes", max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="enregistrée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "expérience du parcours Avenir"
        verbose_name_plural = "expériences du parcours Avenir"
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_ref", "establishment"],
                condition=~Q(source_ref=""),
                name="experience_once_per_source",
            ),
            models.CheckConstraint(
                condition=Q(items__len__gte=1), name="experience_counts_for_an_item"
            ),
        ]
        indexes = [models.Index(fields=["establishment", "school_year"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d/%m/%Y})"

    @property
    def partner(self) -> str:
        return self.organisation.name if self.organisation is not None else self.partner_label

    @property
    def items_display(self) -> str:
        labels = dict(Item.choices)
        return ", ".join(labels[item] for item in self.items)


class Credit(models.Model):
    """A pupil took part in an experience."""

    experience = models.ForeignKey(Experience, on_delete=models.CASCADE, related_name="credits")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="credits")
    created_at = models.DateTimeField("crédité le", auto_now_add=True)

    class Meta:
        verbose_name = "participation d'un élève"
        verbose_name_plural = "participations des élèves"
        constraints = [models.UniqueConstraint(fields=["experience", "pupil"], name="credit_once")]
        indexes = [models.Index(fields=["pupil", "experience"])]

    def __str__(self) -> str:
        return f"{self.pupil_id} — {self.experience_id}"


class Objective(models.Model):
    """An item that the pupils of a level should have done by the end of a year. Without
    académie: the national default; without year: every year."""

    academie = models.ForeignKey(
        Academie,
        verbose_name="académie",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    school_year = models.PositiveSmallIntegerField(
        "année scolaire", null=True, blank=True, help_text="Vide : chaque année."
    )
    level = models.CharField("niveau", max_length=10, choices=Level.choices)
    item = models.CharField("élément du parcours", max_length=12, choices=Item.choices)

    class Meta:
        verbose_name = "objectif du parcours Avenir"
        verbose_name_plural = "objectifs du parcours Avenir"
        ordering = ["level", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["academie", "school_year", "level", "item"],
                nulls_distinct=False,
                name="objective_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_item_display()} en {self.get_level_display()}"


class SchoolStat(models.Model):
    """How many pupils of a school, year, level and priority group have done each item
    (and all four): the only figures that leave the school. Rewritten by
    ``services.stats_refresh``."""

    establishment = models.ForeignKey(
        Establishment, on_delete=models.CASCADE, related_name="pathway_stats"
    )
    school_year = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=10, choices=Level.choices)
    priority = models.BooleanField()
    pupils = models.PositiveIntegerField()
    visit = models.PositiveIntegerField()
    meeting = models.PositiveIntegerField()
    internship = models.PositiveIntegerField()
    project = models.PositiveIntegerField()
    complete = models.PositiveIntegerField()
    # Denormalised from the school, so that the national view groups without joins.
    academie_id_copy = models.PositiveIntegerField(db_index=True)
    bassin_id_copy = models.PositiveIntegerField(null=True)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "compteurs du parcours Avenir"
        verbose_name_plural = "compteurs du parcours Avenir"
        constraints = [
            models.UniqueConstraint(
                fields=["establishment", "school_year", "level", "priority"],
                name="school_stat_once",
            )
        ]
        indexes = [models.Index(fields=["school_year", "academie_id_copy"])]

    def __str__(self) -> str:
        return f"{self.establishment_id} {self.school_year} {self.level} ({self.pupils})"
