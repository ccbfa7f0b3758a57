"""The catalogue of actions: offers published by partners, requests from schools answered
by the partner, and the record of every action done, per établissement and school year (it
feeds the parcours Avenir). Offers and requests move along the workflows of
``workflows.py``; each has its journal (``OfferJournal``, ``RequestJournal``), which the
database refuses to update or delete and which keeps its object from being deleted."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.urls import reverse

from relais.core.models import TimeStampedModel
from relais.core.workflow import JournalEntry
from relais.establishments.models import Establishment
from relais.organisations.models import Organisation
from relais.territories.models import Academie, Bassin, Commune

from .enums import ActionKind, Level, OfferState, OfferTransition, RequestState, RequestTransition


def _levels_field(verbose_name: str, **kwargs):
    return ArrayField(
        models.CharField(max_length=10, choices=Level.choices),
        verbose_name=verbose_name, default=list, blank=True, **kwargs,
    )  # fmt: skip


class Offer(TimeStampedModel):
    """An action a partner offers to schools, on an area: an académie, optionally one bassin,
    optionally within ``radius_km`` of a commune."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name="partenaire",
        on_delete=models.PROTECT,
        related_name="action_offers",
    )
    kind = models.CharField("type d'action", max_length=30, choices=ActionKind.choices)
    title = models.CharField("intitulé", max_length=255)
    description = models.TextField("description", blank=True)
    levels = _levels_field("niveaux")
    # CPME Île-de-France, art. 2.3: « sensibiliser et […] former les professionnels » and the
    # pupils to disability; a theme across the kinds of action (a testimony, a visit of an ESAT).
    disability_awareness = models.BooleanField(
        "action de sensibilisation au handicap", default=False
    )
    academie = models.ForeignKey(
        Academie, verbose_name="académie", on_delete=models.PROTECT, related_name="action_offers"
    )
    bassin = models.ForeignKey(
        Bassin, verbose_name="bassin (facultatif)", null=True, blank=True,
        on_delete=models.PROTECT, related_name="action_offers",
    )  # fmt: skip
    commune = models.ForeignKey(
        Commune, verbose_name="commune du lieu", null=True, blank=True,
        on_delete=models.PROTECT, related_name="action_offers",
    )  # fmt: skip
    radius_km = models.PositiveSmallIntegerField(
        "rayon d'intervention (km)", null=True, blank=True,
        help_text="Vide : toute la zone (académie ou bassin).",
    )  # fmt: skip
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    starts_on = models.DateField("à partir du", null=True, blank=True)
    ends_on = models.DateField("jusqu'au", null=True, blank=True)
    capacity = models.PositiveSmallIntegerField(
        "capacité (classes ou groupes accueillis)", default=1
    )
    max_pupils = models.PositiveSmallIntegerField(
        "élèves par classe ou groupe (au plus)", null=True, blank=True
    )
    contact_email = models.EmailField("courriel de contact")
    state = models.CharField(
        "état", max_length=10, choices=OfferState.choices, default=OfferState.DRAFT
    )
    published_at = models.DateTimeField("publiée le", null=True, blank=True)
    is_demo = models.BooleanField("donnée de démonstration", default=False)
    search_text = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "offre d'action"
        verbose_name_plural = "offres d'actions"
        ordering = ["-published_at", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="action_offer_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(radius_km__isnull=True) | Q(latitude__isnull=False),
                name="action_offer_radius_needs_a_place",
            ),
            models.CheckConstraint(
                condition=Q(state=OfferState.DRAFT) | Q(published_at__isnull=False),
                name="action_offer_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="action_offer_capacity_positive"
            ),
        ]
        indexes = [
            GinIndex(
                name="action_offer_search_trgm", fields=["search_text"], opclasses=["gin_trgm_ops"]
            ),
            models.Index(fields=["academie", "state"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("actions:offer_detail", args=[self.pk])

    @property
    def area_label(self) -> str:
        parts = [str(self.bassin) if self.bassin_id else str(self.academie)]
        if self.radius_km and self.commune is not None:  # self.commune_id
            parts.append(f"{self.radius_km} km autour de {self.commune.name}")
        return " — ".join(parts)

    def get_levels_display(self) -> str:
        labels = dict(Level.choices)
        return ", ".join(labels.get(level, level) for level in self.levels) or "Tous niveaux"

    @property
    def is_published(self) -> bool:
        """In the catalogue: schools may request it (pages choose its badge with this)."""
        return self.state == OfferState.PUBLISHED


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


class OfferJournal(JournalEntry):
    """The offer's journal from its creation (offers created before the workflow have
    none): publications and closures, who, when."""

    offer = models.ForeignKey(
        Offer, verbose_name="offre", on_delete=models.PROTECT, related_name="journal"
    )

    class Meta(JournalEntry.Meta):
        verbose_name = "étape d'une offre"
        verbose_name_plural = "journal des offres"

    @property
    def transition_label(self) -> str:
        return _label(OfferTransition, self.transition)

    @property
    def to_state_label(self) -> str:
        return _label(OfferState, self.to_state)


class ActionRequest(TimeStampedModel):
    """A school's request for an offer, answered by the partner."""

    offer = models.ForeignKey(Offer, verbose_name="offre", on_delete=models.PROTECT,
                              related_name="requests")  # fmt: skip
    establishment = models.ForeignKey(
        Establishment, verbose_name="établissement", on_delete=models.PROTECT,
        related_name="action_requests",
    )  # fmt: skip
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="demandée par", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="action_requests",
    )  # fmt: skip
    contact_name = models.CharField("contact dans l'établissement", max_length=150)
    contact_email = models.EmailField("courriel du contact")
    classes = models.CharField("classes", max_length=255, help_text="Par exemple « 3e A, 3e B ».")
    pupil_count = models.PositiveSmallIntegerField("nombre d'élèves")
    wished_dates = models.CharField("dates souhaitées", max_length=255, blank=True)
    message = models.TextField("message au partenaire", blank=True)
    state = models.CharField(
        "état", max_length=10, choices=RequestState.choices, default=RequestState.SENT
    )
    answer_message = models.TextField("réponse du partenaire", blank=True)
    answered_at = models.DateTimeField("répondue le", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "demande d'action"
        verbose_name_plural = "demandes d'actions"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state=RequestState.DECLINED) | ~Q(answer_message=""),
                name="action_request_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=[RequestState.ACCEPTED, RequestState.DECLINED])
                | Q(answered_at__isnull=False),
                name="action_request_answered_has_date",
            ),
            models.CheckConstraint(
                condition=Q(pupil_count__gte=1), name="action_request_has_pupils"
            ),
        ]
        indexes = [models.Index(fields=["offer", "state"])]

    def __str__(self) -> str:
        return f"{self.offer} — {self.establishment.name}"

    def get_absolute_url(self) -> str:
        return reverse("actions:request_detail", args=[self.pk])


class RequestJournal(JournalEntry):
    """The request's journal: sent, answered, cancelled, done; who, when, with which
    message. A request cannot be deleted behind its journal's back (PROTECT)."""

    request = models.ForeignKey(
        ActionRequest, verbose_name="demande", on_delete=models.PROTECT, related_name="journal"
    )

    class Meta(JournalEntry.Meta):
        verbose_name = "étape d'une demande"
        verbose_name_plural = "journal des demandes"

    @property
    def transition_label(self) -> str:
        return _label(RequestTransition, self.transition)

    @property
    def to_state_label(self) -> str:
        return _label(RequestState, self.to_state)


class ActionRecord(models.Model):
    """An action done with pupils: date, school, classes or number of pupils, partner. Kept
    per établissement and school year, it feeds the parcours Avenir."""

    establishment = models.ForeignKey(
        Establishment, verbose_name="établissement", on_delete=models.PROTECT,
        related_name="action_records",
    )  # fmt: skip
    organisation = models.ForeignKey(
        Organisation, verbose_name="partenaire", null=True, blank=True,
        on_delete=models.PROTECT, related_name="action_records",
    )  # fmt: skip
    partner_label = models.CharField("partenaire (hors annuaire)", max_length=255, blank=True)
    offer = models.ForeignKey(
        Offer, verbose_name="offre", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="records",
    )  # fmt: skip
    request = models.OneToOneField(
        ActionRequest, verbose_name="demande", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="record",
    )  # fmt: skip
    kind = models.CharField("type d'action", max_length=30, choices=ActionKind.choices)
    title = models.CharField("intitulé", max_length=255)
    done_on = models.DateField("réalisée le")
    school_year = models.PositiveSmallIntegerField("année scolaire (année de rentrée)")
    classes = models.CharField("classes", max_length=255, blank=True)
    pupil_count = models.PositiveSmallIntegerField("nombre d'élèves", null=True, blank=True)
    levels = _levels_field("niveaux")
    notes = models.TextField("observations", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("enregistrée le", auto_now_add=True)

    class Meta:
        verbose_name = "action réalisée"
        verbose_name_plural = "actions réalisées"
        ordering = ["-done_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(classes="") | Q(pupil_count__isnull=False),
                name="action_record_has_classes_or_pupils",
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(partner_label=""),
                name="action_record_has_a_partner",
            ),
        ]
        indexes = [models.Index(fields=["establishment", "school_year"])]

    def __str__(self) -> str:
        return f"{self.title} — {self.establishment.name} ({self.done_on:%d/%m/%Y})"

    @property
    def partner_name(self) -> str:
        return self.organisation.name if self.organisation is not None else self.partner_label
