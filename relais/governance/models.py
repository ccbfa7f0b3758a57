"""Governance of conventions and clubs: bodies (comités), their members and meeting rule,
meetings with attendance, minutes, decisions and action items, and the annual reports."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from relais.core.models import TimeStampedModel
from relais.core.workflow import JournalEntry
from relais.organisations.models import Organisation
from relais.territories.models import Academie

from .enums import (
    AttendanceStatus,
    BodyKind,
    MeetingState,
    MemberRole,
    RecommendationTopic,
    ReportState,
)

if TYPE_CHECKING:
    from .rules import Compliance


class Body(TimeStampedModel):
    """A comité of a convention (or of a club), with its meeting rule taken from the text:
    Lille's strategic committee once a year in June (``min_meetings_per_year=1``,
    ``required_months=[6]``), its regional steering committee in September and February, the
    clubs at least twice a year, the CEE model at least once a year."""

    name = models.CharField("nom", max_length=255)
    kind = models.CharField("type", max_length=20, choices=BodyKind.choices)
    agreement = models.ForeignKey(
        "agreements.Agreement", verbose_name="convention", null=True, blank=True,
        on_delete=models.CASCADE, related_name="bodies",
    )  # fmt: skip
    club = models.ForeignKey(
        "networks.Club", verbose_name="club", null=True, blank=True,
        on_delete=models.CASCADE, related_name="bodies",
    )  # fmt: skip
    # Académie whose team runs the body; empty for a national or regional convention's body.
    academie = models.ForeignKey(
        Academie, verbose_name="académie", null=True, blank=True,
        on_delete=models.PROTECT, related_name="bodies",
    )  # fmt: skip
    min_meetings_per_year = models.PositiveSmallIntegerField(
        "réunions par année scolaire (au moins)", default=1
    )
    required_months = ArrayField(
        models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(12)]),
        verbose_name="mois imposés", default=list, blank=True,
        help_text="Ex. : juin pour le comité stratégique de Lille ; septembre et février pour "
        "son comité de pilotage régional.",
    )  # fmt: skip
    rule_text = models.TextField("règle de réunion (texte de la convention)", blank=True)
    # A conseil sectoriel national (Mesure 5) belongs to no convention nor club: its sector.
    sector = models.CharField("filière", max_length=200, blank=True)

    # The verdict of its rule, set by ``selectors.attach_compliance`` (not a field).
    compliance: "Compliance | None"

    class Meta:
        verbose_name = "instance"
        verbose_name_plural = "instances"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(agreement__isnull=False, club__isnull=True)
                | Q(agreement__isnull=True, club__isnull=False)
                | Q(
                    kind=BodyKind.SECTOR_COUNCIL,
                    agreement__isnull=True,
                    club__isnull=True,
                    academie__isnull=True,
                ),
                name="body_belongs_to_agreement_or_club",
            ),
            models.CheckConstraint(
                condition=~Q(kind=BodyKind.SECTOR_COUNCIL) | ~Q(sector=""),
                name="body_sector_council_has_sector",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:body_detail", args=[self.pk])

    @property
    def is_sector_council(self) -> bool:
        """A conseil sectoriel national (Mesure 5): national, run by the ministry."""
        return self.kind == BodyKind.SECTOR_COUNCIL

    @property
    def rule_label(self) -> str:
        """« 2 réunions par année scolaire, en septembre et février »."""
        from .rules import rule_label

        return rule_label(self.min_meetings_per_year, self.required_months)


class BodyMember(models.Model):
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="members")
    full_name = models.CharField("nom", max_length=150)
    email = models.EmailField("courriel", blank=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name="organisation", null=True, blank=True,
        on_delete=models.PROTECT, related_name="body_memberships",
    )  # fmt: skip
    organisation_label = models.CharField(
        "structure", max_length=255, blank=True, help_text="Si elle n'est pas dans l'annuaire."
    )
    role = models.CharField("rôle", max_length=20, choices=MemberRole.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="body_memberships",
    )  # fmt: skip
    active = models.BooleanField("actif", default=True)

    class Meta:
        verbose_name = "membre d'instance"
        verbose_name_plural = "membres d'instance"
        ordering = ["role", "full_name"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def structure(self) -> str:
        return str(self.organisation) if self.organisation_id else self.organisation_label


def minutes_path(instance, filename: str) -> str:
    return f"instances/{instance.body_id}/comptes-rendus/{instance.pk or 'nouveau'}.pdf"


class Meeting(TimeStampedModel):
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField("date et heure")
    place = models.CharField("lieu", max_length=255, blank=True)
    agenda = models.TextField("ordre du jour", blank=True)
    # Moves only through MEETING_WORKFLOW (relais/governance/workflows.py).
    state = models.CharField(
        "statut", max_length=10, choices=MeetingState.choices, default=MeetingState.PLANNED
    )
    minutes_text = models.TextField("compte rendu", blank=True)
    minutes_file = models.FileField("compte rendu (PDF)", upload_to=minutes_path, blank=True)
    minutes_sent_at = models.DateTimeField("compte rendu envoyé le", null=True, blank=True)
    minutes_sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "réunion"
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes_sent_at__isnull=True) | Q(state=MeetingState.HELD),
                name="meeting_minutes_only_when_held",
            )
        ]

    def __str__(self) -> str:
        return f"{self.body} — {self.starts_at:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("governance:meeting_detail", args=[self.pk])

    @property
    def has_minutes(self) -> bool:
        return bool(self.minutes_text.strip() or self.minutes_file)

    # For display (badge colours) and for the rules of the other records of a meeting:
    # attendance, minutes and decisions belong to a held meeting, actions to one not
    # cancelled. What may be fired is asked to MEETING_WORKFLOW.
    @property
    def is_planned(self) -> bool:
        return self.state == MeetingState.PLANNED

    @property
    def is_held(self) -> bool:
        return self.state == MeetingState.HELD

    @property
    def is_cancelled(self) -> bool:
        return self.state == MeetingState.CANCELLED


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(BodyMember, on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField("présence", max_length=10, choices=AttendanceStatus.choices)

    class Meta:
        verbose_name = "présence"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.get_status_display()}"


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField("décision")

    class Meta:
        verbose_name = "décision"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Recommendation(TimeStampedModel):
    """A recommendation of a conseil sectoriel national (Mesure 5: « entendre et anticiper
    les besoins des acteurs économiques et […] penser l'offre de formation »), adopted at
    one of its held meetings, addressed to someone, and its follow-up."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="recommendations")
    meeting = models.ForeignKey(
        Meeting, verbose_name="réunion", null=True, blank=True, on_delete=models.PROTECT,
        related_name="recommendations",
    )  # fmt: skip
    topic = models.CharField("thème", max_length=20, choices=RecommendationTopic.choices)
    text = models.TextField("recommandation")
    addressed_to = models.CharField("destinataire", max_length=255, blank=True)
    follow_up = models.TextField("suites données", blank=True)
    followed_up_on = models.DateField("suites données le", null=True, blank=True)

    class Meta:
        verbose_name = "recommandation"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(followed_up_on__isnull=True) | ~Q(follow_up=""),
                name="recommendation_follow_up_has_text",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]


class ActionItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    description = models.TextField("action")
    owner = models.CharField("responsable", max_length=150)
    owner_email = models.EmailField("courriel du responsable", blank=True)
    due_date = models.DateField("échéance", null=True, blank=True)
    done_on = models.DateField("réalisée le", null=True, blank=True)

    class Meta:
        verbose_name = "action à mener"
        verbose_name_plural = "actions à mener"
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.description[:80]


class AnnualReport(TimeStampedModel):
    """The bilan of a convention for a school year (``school_year`` 2025 = 2025-2026):
    actions done against commitments, figures, next year's action plan."""

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="annual_reports"
    )
    school_year = models.PositiveSmallIntegerField("année scolaire (année de rentrée)")
    summary = models.TextField("actions conduites", blank=True)
    figures = models.TextField("chiffres clés", blank=True)
    action_plan = models.TextField("plan d'actions de l'année suivante", blank=True)
    # Moves only through REPORT_WORKFLOW (relais/governance/workflows.py).
    state = models.CharField(
        "statut", max_length=10, choices=ReportState.choices, default=ReportState.DRAFT
    )
    # The figures computed from Relais's data for the year, frozen at validation
    # (relais.reporting.bilans.Figure as dicts): a validated bilan no longer moves.
    computed = models.JSONField("chiffres calculés, figés à la validation", default=list,
                                blank=True)  # fmt: skip
    finalized_at = models.DateTimeField("validé le", null=True, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "bilan annuel"
        verbose_name_plural = "bilans annuels"
        ordering = ["-school_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "school_year"], name="one_report_per_year"
            ),
            models.CheckConstraint(
                condition=~Q(state=ReportState.FINAL) | Q(finalized_at__isnull=False),
                name="report_final_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Bilan {self.school_year}-{self.school_year + 1} — {self.agreement}"

    @property
    def school_year_label(self) -> str:
        return f"{self.school_year}-{self.school_year + 1}"

    @property
    def is_draft(self) -> bool:
        """A draft is edited; a validated report no longer changes."""
        return self.state == ReportState.DRAFT

    @property
    def is_final(self) -> bool:
        return self.state == ReportState.FINAL


class CommitmentResult(models.Model):
    """What was done for one commitment of the convention during the report's year."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="results")
    commitment = models.ForeignKey(
        "agreements.Commitment", on_delete=models.CASCADE, related_name="results"
    )
    achieved = models.PositiveIntegerField("réalisé", null=True, blank=True)
    comment = models.TextField("commentaire", blank=True)

    class Meta:
        verbose_name = "réalisation d'un engagement"
        constraints = [
            models.UniqueConstraint(fields=["report", "commitment"], name="result_unique")
        ]

    def __str__(self) -> str:
        return f"{self.commitment} : {self.achieved if self.achieved is not None else '—'}"


class MeetingJournal(JournalEntry):
    """The journal of a meeting: planned, held, cancelled, planned again — who, when, from,
    to, why. The database refuses to change or delete a line, and a meeting with a journal
    cannot be deleted (its minutes and decisions are a record of the partnership)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name="réunion", on_delete=models.PROTECT, related_name="journal"
    )

    class Meta(JournalEntry.Meta):
        verbose_name = "étape d'une réunion"
        verbose_name_plural = "journal des réunions"


class ReportJournal(JournalEntry):
    """The journal of an annual report: opened, validated — who, when. Same guarantees as
    the meetings' journal: the trace of a validated bilan outlives any attempt to delete
    it."""

    report = models.ForeignKey(
        AnnualReport, verbose_name="bilan", on_delete=models.PROTECT, related_name="journal"
    )

    class Meta(JournalEntry.Meta):
        verbose_name = "étape d'un bilan annuel"
        verbose_name_plural = "journal des bilans annuels"
