"""Engine runs and their suggestions, proposals, placements, host feedback."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from relais.territories.models import Academie

from ..enums import (
    OPEN_PROPOSAL_STATES,
    FairnessPolicy,
    ProposalState,
    SuggestionState,
)
from ._common import choices_in
from .cases import PlacementCase
from .offers import InternshipOffer, OfferSlot, PlacementHub


class MatchingRun(models.Model):
    """One run of the placement engine for a pôle (or a whole académie) over a window of
    weeks: the optimal engine's suggestions, and the greedy baseline's figures beside it."""

    hub = models.ForeignKey(
        PlacementHub, null=True, blank=True, on_delete=models.CASCADE, related_name="runs"
    )
    academie = models.ForeignKey(
        Academie, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    policy = models.CharField(
        "règle d'équité",
        max_length=8,
        choices=FairnessPolicy.choices,
        default=FairnessPolicy.PARITY,
    )
    window_start = models.DateField("du")
    window_end = models.DateField("au")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("lancé le", auto_now_add=True)
    pupils = models.PositiveIntegerField("élèves", default=0)
    places = models.PositiveIntegerField("places libres", default=0)
    bound = models.PositiveIntegerField("borne du flot maximal", default=0)
    stats = models.JSONField("chiffres du moteur", default=dict)
    greedy_stats = models.JSONField("chiffres du premier arrivé, premier servi", default=dict)
    skipped = models.JSONField("élèves écartés", default=list)

    class Meta:
        verbose_name = "calcul de placement"
        verbose_name_plural = "calculs de placement"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hub__isnull=False) | Q(academie__isnull=False),
                name="run_has_territory",
            ),
            models.CheckConstraint(
                condition=Q(window_end__gte=F("window_start")), name="run_window_order"
            ),
        ]

    def __str__(self) -> str:
        return f"Calcul du {self.created_at:%d/%m/%Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("internships:run_detail", args=[self.pk])


class Suggestion(models.Model):
    """The engine's answer for one pupil of a run, editable by the pôle before sending."""

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="suggestions")
    case = models.ForeignKey(PlacementCase, on_delete=models.CASCADE, related_name="suggestions")
    slot = models.ForeignKey(
        OfferSlot, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rank = models.PositiveSmallIntegerField("vœu", default=0)
    distance_km = models.FloatField("distance (km)", null=True, blank=True)
    reason = models.CharField("motif", max_length=40)
    explanation = models.TextField("explication")
    greedy_slot = models.ForeignKey(
        OfferSlot, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited = models.BooleanField("modifiée par le pôle", default=False)
    state = models.CharField(
        "suite", max_length=10, choices=SuggestionState.choices, default=SuggestionState.PENDING
    )

    class Meta:
        verbose_name = "suggestion de placement"
        verbose_name_plural = "suggestions de placement"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "case"], name="suggestion_unique_case"),
            models.CheckConstraint(
                condition=choices_in("state", SuggestionState.choices),
                name="suggestion_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Suggestion {self.pk} ({self.reason})"


class Proposal(models.Model):
    """A company is asked to host a pupil for a week. It answers through a signed, expiring
    link (no account); then the school confirms, which places the pupil."""

    case = models.ForeignKey(PlacementCase, on_delete=models.CASCADE, related_name="proposals")
    slot = models.ForeignKey(OfferSlot, on_delete=models.PROTECT, related_name="proposals")
    suggestion = models.ForeignKey(
        Suggestion, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    state = models.CharField(
        "état", max_length=10, choices=ProposalState.choices, default=ProposalState.SENT
    )
    nonce = models.CharField(max_length=32, editable=False)
    message = models.TextField("message à l'entreprise", blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField("envoyée le", default=timezone.now)
    expires_at = models.DateTimeField("expire le")
    answered_at = models.DateTimeField("réponse le", null=True, blank=True)
    answer_note = models.TextField("réponse de l'entreprise", blank=True)
    answered_by_name = models.CharField("répondu par", max_length=150, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField("confirmée le", null=True, blank=True)
    closed_note = models.TextField("motif", blank=True)

    class Meta:
        verbose_name = "proposition de stage"
        verbose_name_plural = "propositions de stage"
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(state__in=[s.value for s in OPEN_PROPOSAL_STATES]),
                name="proposal_one_open_per_case",
            ),
            models.CheckConstraint(
                condition=Q(state=ProposalState.SENT)
                | Q(answered_at__isnull=False)
                | Q(state=ProposalState.CANCELLED),
                name="proposal_answered_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(state=ProposalState.CONFIRMED) | Q(confirmed_at__isnull=False),
                name="proposal_confirmed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("sent_at")), name="proposal_expires_after_sent"
            ),
            models.CheckConstraint(
                condition=choices_in("state", ProposalState.choices), name="proposal_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Proposition {self.pk}"

    @property
    def offer(self) -> InternshipOffer:
        return self.slot.offer

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_PROPOSAL_STATES

    # For display (which message, which badge); what may be done is ``PROPOSAL_WORKFLOW``'s.
    @property
    def awaits_answer(self) -> bool:
        return self.state == ProposalState.SENT

    @property
    def is_accepted(self) -> bool:
        return self.state == ProposalState.ACCEPTED

    @property
    def is_confirmed(self) -> bool:
        return self.state == ProposalState.CONFIRMED


class Placement(models.Model):
    """A confirmed internship: the pupil, the host, the week; its convention de stage is
    generated as a PDF (signatories: school, host, pupil, legal guardian)."""

    case = models.OneToOneField(PlacementCase, on_delete=models.CASCADE, related_name="placement")
    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="placement")
    offer = models.ForeignKey(InternshipOffer, on_delete=models.PROTECT, related_name="placements")
    start = models.DateField("début du stage")
    end = models.DateField("fin du stage")
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    # The pupil's and legal guardian's confidentiality undertaking (relais.core.confidentiality),
    # signed with the convention and recorded by the school: the version they signed, when,
    # and who recorded it.
    confidentiality_version = models.CharField(
        "version de l'engagement de confidentialité", max_length=20, blank=True
    )
    confidentiality_acknowledged_at = models.DateTimeField(
        "engagement de confidentialité enregistré le", null=True, blank=True
    )
    confidentiality_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="enregistré par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "stage obtenu"
        verbose_name_plural = "stages obtenus"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="placement_dates"),
            models.CheckConstraint(
                condition=Q(confidentiality_version="", confidentiality_acknowledged_at=None)
                | (
                    ~Q(confidentiality_version="")
                    & Q(confidentiality_acknowledged_at__isnull=False)
                ),
                name="placement_confidentiality_who_when",
            ),
        ]

    def __str__(self) -> str:
        return f"Stage de {self.case.pupil} chez {self.offer.host.name}"


class HostFeedback(models.Model):
    """After the internship, the host says whether it would host again: it feeds the pôle's
    network of companies (Mesure 1: « un réseau d'entreprises partenaires et engagées »)."""

    placement = models.OneToOneField(Placement, on_delete=models.CASCADE, related_name="feedback")
    would_host_again = models.BooleanField("accueillerait de nouveau un élève")
    comment = models.TextField("commentaire", blank=True)
    answered_at = models.DateTimeField("répondu le", default=timezone.now)

    class Meta:
        verbose_name = "avis de la structure d'accueil"
        verbose_name_plural = "avis des structures d'accueil"

    def __str__(self) -> str:
        return f"Avis sur le stage {self.placement_id}"
