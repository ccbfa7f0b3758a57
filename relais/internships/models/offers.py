"""Pôles, internship periods, offers and their places per week (Mesure 1)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from relais.core.enums import Civility
from relais.establishments.models import Establishment
from relais.nomenclatures.enums import ROME_DOMAINS
from relais.nomenclatures.models import NafCode, RomeCode
from relais.organisations.models import Organisation
from relais.territories.models import Bassin, Commune

from ..enums import (
    FairnessPolicy,
    HubKind,
    OfferKind,
    OfferState,
    SchoolLevel,
)
from ._common import DEFAULT_ALERT_DAYS, DEFAULT_ANSWER_DAYS, choices_in


class PlacementHub(models.Model):
    """A pôle de stages (Mesure 1), of a bassin or of an economic sector (« filière »): its
    members are the users holding ``Role.HUB_MEMBER`` on its ``bassin``.

    A bassin has one pôle de bassin (its pupils, its offers). A pôle de filière sits in a
    bassin (its members') and brings the offers of its sectors (grands domaines of the ROME)
    across its académie; the engine works on the union of the pupils and offers of the pôles
    of a bassin (``services.matching``), each pupil and each place once."""

    bassin = models.ForeignKey(
        Bassin, verbose_name="bassin", on_delete=models.PROTECT, related_name="hubs"
    )
    kind = models.CharField(
        "type de pôle", max_length=8, choices=HubKind.choices, default=HubKind.BASSIN
    )
    sectors = ArrayField(
        models.CharField(max_length=1, choices=sorted(ROME_DOMAINS.items())),
        verbose_name="filières (grands domaines du ROME)",
        default=list,
        blank=True,
    )
    policy = models.CharField(
        "règle d'équité",
        max_length=8,
        choices=FairnessPolicy.choices,
        default=FairnessPolicy.PARITY,
        help_text="Le moteur place toujours le plus d'élèves possible ; la règle choisit "
        "ensuite combien d'élèves prioritaires placer parmi ces placements.",
    )
    name = models.CharField("nom", max_length=200)
    email = models.EmailField("courriel du pôle", blank=True)
    alert_after_days = models.PositiveSmallIntegerField(
        "alerte après (jours sans solution)",
        default=DEFAULT_ALERT_DAYS,
        help_text="Un dossier ouvert depuis plus longtemps est signalé.",
    )
    answer_days = models.PositiveSmallIntegerField(
        "délai de réponse des entreprises (jours)",
        default=DEFAULT_ANSWER_DAYS,
        help_text="Une proposition sans réponse dans ce délai expire et libère la place.",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "pôle de stages"
        verbose_name_plural = "pôles de stages"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answer_days__gte=1, answer_days__lte=30), name="hub_answer_days_range"
            ),
            models.UniqueConstraint(
                fields=["bassin"], condition=Q(kind=HubKind.BASSIN), name="hub_one_per_bassin"
            ),
            models.CheckConstraint(
                condition=Q(kind=HubKind.BASSIN, sectors=[])
                | (Q(kind=HubKind.SECTOR) & ~Q(sectors=[])),
                name="hub_sectors_iff_sector_pole",
            ),
            models.CheckConstraint(
                condition=choices_in("kind", HubKind.choices), name="hub_kind_valid"
            ),
            models.CheckConstraint(
                condition=choices_in("policy", FairnessPolicy.choices), name="hub_policy_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def of_bassin(cls, bassin) -> PlacementHub:
        """The pôle of ``bassin``, created on first need (one pôle per bassin, Mesure 1)."""
        hub, _ = cls.objects.get_or_create(
            bassin=bassin, kind=HubKind.BASSIN, defaults={"name": f"Pôle de stages du {bassin}"}
        )
        return hub

    @property
    def is_sector(self) -> bool:
        return self.kind == HubKind.SECTOR

    @property
    def sector_labels(self) -> list[str]:
        return [f"{code} — {ROME_DOMAINS[code]}" for code in self.sectors if code in ROME_DOMAINS]


class InternshipPeriod(models.Model):
    """When the pupils of a level (or a class) of one school are in internship.

    ``duration_weeks`` is the length of one internship (1 for the stage de 3e, 2 for the stage
    de seconde, n for a PFMP): a stage starts in a week of the period and ends inside it.
    ``pupil_count`` is the number of pupils concerned (the whole cohort, for the calendar of
    Mesure 2), not only those without an internship."""

    establishment = models.ForeignKey(
        Establishment,
        verbose_name="établissement",
        on_delete=models.CASCADE,
        related_name="internship_periods",
    )
    school_year = models.CharField("année scolaire", max_length=9, help_text="Ex. : 2025-2026.")
    level = models.CharField("niveau", max_length=10, choices=SchoolLevel.choices)
    class_label = models.CharField("classe", max_length=40, blank=True)
    start = models.DateField("premier jour")
    end = models.DateField("dernier jour")
    duration_weeks = models.PositiveSmallIntegerField("durée d'un stage (semaines)", default=1)
    pupil_count = models.PositiveIntegerField("nombre d'élèves concernés", null=True, blank=True)
    school_insurer = models.CharField(
        "assureur de l'établissement (responsabilité civile des élèves)",
        max_length=200,
        blank=True,
        help_text="Imprimé sur les conventions de stage de la période.",
    )
    school_insurance_policy = models.CharField(
        "n° de contrat d'assurance de l'établissement", max_length=100, blank=True
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    class Meta:
        verbose_name = "période de stage"
        verbose_name_plural = "périodes de stage"
        ordering = ["start", "establishment__name"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="period_end_after_start"),
            models.CheckConstraint(
                condition=Q(duration_weeks__gte=1, duration_weeks__lte=22),
                name="period_duration_range",
            ),
            models.CheckConstraint(
                condition=Q(school_year__regex=r"^\d{4}-\d{4}$"), name="period_school_year_format"
            ),
            models.CheckConstraint(
                condition=choices_in("level", SchoolLevel.choices), name="period_level_valid"
            ),
        ]

    def __str__(self) -> str:
        who = self.class_label or self.get_level_display()
        return f"{who} — du {self.start:%d/%m/%Y} au {self.end:%d/%m/%Y}"

    def start_weeks(self) -> list[datetime.date]:
        """Mondays on which a stage of ``duration_weeks`` can start and end in the period."""
        first = self.start - datetime.timedelta(days=self.start.weekday())
        last_monday = self.end - datetime.timedelta(days=self.end.weekday())
        weeks, monday = [], first
        span = datetime.timedelta(weeks=self.duration_weeks - 1)
        while monday + span <= last_monday:
            weeks.append(monday)
            monday += datetime.timedelta(weeks=1)
        return weeks

    def covered_weeks(self) -> list[datetime.date]:
        """Every Monday of the period (the weeks its pupils are away, for the calendar)."""
        first = self.start - datetime.timedelta(days=self.start.weekday())
        count = (self.end - first).days // 7 + 1
        return [first + datetime.timedelta(weeks=i) for i in range(count)]


class InternshipOffer(models.Model):
    """An internship offer of a host organisation, in the network of one pôle (bassin)."""

    host = models.ForeignKey(
        Organisation,
        verbose_name="structure d'accueil",
        on_delete=models.PROTECT,
        related_name="internship_offers",
    )
    posted_by = models.ForeignKey(
        Organisation,
        verbose_name="déposée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posted_internship_offers",
        help_text="Organisation qui dépose l'offre pour le compte de l'entreprise.",
    )
    bassin = models.ForeignKey(
        Bassin, verbose_name="pôle (bassin)", on_delete=models.PROTECT, related_name="offers"
    )
    title = models.CharField("intitulé", max_length=200)
    description = models.TextField("description", blank=True)
    kind = models.CharField("type de stage", max_length=12, choices=OfferKind.choices)
    diploma = models.CharField("diplôme préparé (PFMP)", max_length=120, blank=True)
    specialty = models.CharField("spécialité (PFMP)", max_length=120, blank=True)
    duration_weeks = models.PositiveSmallIntegerField("durée (semaines)", default=1)
    rome = models.ForeignKey(
        RomeCode, verbose_name="métier (ROME)", on_delete=models.PROTECT, related_name="+"
    )
    naf = models.ForeignKey(
        NafCode,
        verbose_name="secteur (NAF)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    levels = ArrayField(
        models.CharField(max_length=10, choices=SchoolLevel.choices),
        verbose_name="niveaux accueillis",
        default=list,
    )
    address = models.CharField("adresse", max_length=255, blank=True)
    commune = models.ForeignKey(
        Commune, verbose_name="commune", on_delete=models.PROTECT, related_name="+"
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    accessible = models.BooleanField(
        "accessible aux élèves en situation de handicap", default=False
    )
    tutor_name = models.CharField("tuteur ou tutrice", max_length=150, blank=True)
    tutor_email = models.EmailField("courriel du tuteur", blank=True)
    tutor_civility = models.CharField(
        "civilité du tuteur", max_length=8, choices=Civility.choices, blank=True
    )
    tutor_function = models.CharField("fonction du tuteur", max_length=150, blank=True)
    # What the convention de stage states (national model of the stage d'observation).
    hours_per_day = models.DecimalField(
        "heures de présence par jour",
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="Au plus 7 heures pour un stage d'observation de 3e.",
    )
    daily_schedule = models.CharField(
        "horaires de la journée",
        max_length=200,
        blank=True,
        help_text="Par exemple « 9 h – 12 h et 13 h 30 – 16 h 30 ».",
    )
    activities = models.TextField(
        "activités prévues",
        blank=True,
        help_text="Ce que l'élève observera ou fera (annexe pédagogique).",
    )
    host_insurer = models.CharField(
        "assureur de la structure d'accueil (responsabilité civile)", max_length=200, blank=True
    )
    host_insurance_policy = models.CharField(
        "n° de contrat d'assurance", max_length=100, blank=True
    )
    reserved_places = models.PositiveSmallIntegerField(
        "places réservées aux élèves prioritaires (par semaine)",
        default=0,
        help_text="REP/REP+, QPV, situation de handicap, arrivée récente en France.",
    )
    state = models.CharField(
        "état", max_length=10, choices=OfferState.choices, default=OfferState.DRAFT
    )
    partner = models.ForeignKey(
        Organisation,
        verbose_name="partenaire (API)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pushed_internship_offers",
    )
    remote_id = models.CharField("identifiant chez le partenaire", max_length=100, blank=True)
    published_at = models.DateTimeField("publiée le", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "offre de stage"
        verbose_name_plural = "offres de stage"
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "remote_id"],
                condition=~Q(remote_id=""),
                name="offer_unique_remote_id_per_partner",
            ),
            models.CheckConstraint(
                condition=Q(remote_id="") | Q(partner__isnull=False),
                name="offer_remote_id_needs_partner",
            ),
            # A draft may be closed before it was ever published (withdrawn): no date then.
            models.CheckConstraint(
                condition=Q(state=OfferState.DRAFT)
                | Q(state=OfferState.CLOSED, published_at__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False, published_at__isnull=False),
                name="offer_published_has_coordinates",
            ),
            models.CheckConstraint(
                condition=Q(duration_weeks__gte=1, duration_weeks__lte=22),
                name="offer_duration_range",
            ),
            models.CheckConstraint(
                condition=choices_in("state", OfferState.choices), name="offer_state_valid"
            ),
            models.CheckConstraint(
                condition=choices_in("kind", OfferKind.choices), name="offer_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(hours_per_day__isnull=True)
                | Q(hours_per_day__gte=1, hours_per_day__lte=8),
                name="offer_hours_per_day_range",
            ),
        ]
        indexes = [
            models.Index(fields=["bassin", "state"]),
            # The list's order (newest first): a page is read from the index.
            models.Index(fields=["-created_at", "id"], name="offer_list_order"),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.host.name}"

    def get_absolute_url(self) -> str:
        return reverse("internships:offer_detail", args=[self.pk])

    @property
    def family(self) -> str:
        """The ROME family the engine matches with the pupils' wishes."""
        return self.rome.code[:3]

    @property
    def contact_email(self) -> str:
        return self.tutor_email or self.host.email

    @property
    def is_over(self) -> bool:
        """Closed or expired: the offer no longer changes (nor its places)."""
        return self.state in (OfferState.CLOSED, OfferState.EXPIRED)


class OfferSlot(models.Model):
    """Places of an offer for the stages starting in one ISO week (``week`` is its Monday).

    ``held``: places held by proposals waiting for the company's answer; ``taken``: places of
    accepted or confirmed proposals. Both change only under a row lock of this slot
    (``select_for_update``), and the database refuses more than ``capacity``."""

    offer = models.ForeignKey(InternshipOffer, on_delete=models.CASCADE, related_name="slots")
    week = models.DateField("semaine (lundi)")
    capacity = models.PositiveSmallIntegerField("places")
    held = models.PositiveSmallIntegerField("places en attente de réponse", default=0)
    taken = models.PositiveSmallIntegerField("places pourvues", default=0)

    class Meta:
        verbose_name = "places d'une semaine"
        verbose_name_plural = "places par semaine"
        ordering = ["week"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "week"], name="slot_unique_week"),
            models.CheckConstraint(
                condition=Q(held__lte=F("capacity") - F("taken")), name="slot_never_overbooked"
            ),
            models.CheckConstraint(condition=Q(week__iso_week_day=1), name="slot_week_is_monday"),
        ]

    def __str__(self) -> str:
        return f"{self.offer_id} — semaine du {self.week:%d/%m/%Y}"

    @property
    def free(self) -> int:
        return self.capacity - self.held - self.taken

    @property
    def iso_week(self) -> str:
        year, week, _ = self.week.isocalendar()
        return f"{year}-S{week:02d}"
