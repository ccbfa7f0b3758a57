from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .enums import DELIVERABLE_STATES, NotificationState


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        abstract = True


class ImportRun(models.Model):
    """Journal of the reference-data imports: what file, when, by whom, with what result.

    A dry run is not recorded. ``load_demo`` skips an import whose file (by SHA-256) was
    already imported successfully, which makes a second ``make run`` fast.
    """

    kind = models.CharField("type d'import", max_length=40)
    source_name = models.CharField("fichier", max_length=255)
    sha256 = models.CharField(max_length=64)
    started_at = models.DateTimeField("commencé le")
    finished_at = models.DateTimeField("terminé le", auto_now_add=True)
    created = models.PositiveIntegerField("créés", default=0)
    updated = models.PositiveIntegerField("mis à jour", default=0)
    unchanged = models.PositiveIntegerField("inchangés", default=0)
    warnings = models.JSONField("signalements", default=list, blank=True)
    launched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = "import de données de référence"
        verbose_name_plural = "imports de données de référence"
        ordering = ["-finished_at"]
        indexes = [models.Index(fields=["kind", "sha256"])]

    def __str__(self) -> str:
        return f"{self.kind} — {self.source_name} ({self.finished_at:%d/%m/%Y %H:%M})"


class Notification(models.Model):
    """The outbox: every e-mail Relais sends, written in the transaction of the change that
    causes it, then delivered by a background job (relais/core/outbox.py) with retries.

    ``key`` names the event (« convention 12, fin de période du 2027-08-31, alerte J-30 »):
    a unique constraint makes each notification go out once, even when two workers or two
    runs of a scheduled job race for it. The row is also the journal of what was sent to
    whom, and when: ``state`` says whether it left (« envoyé ») or not yet.
    """

    key = models.CharField("clé", max_length=200, unique=True)
    subject = models.CharField("objet", max_length=255)
    body = models.TextField("texte")
    recipients = models.JSONField("destinataires", default=list)
    # What the notification is about, for its history page ("agreements.agreement:12").
    about = models.CharField("objet concerné", max_length=100, blank=True, db_index=True)
    state = models.CharField(
        "état", max_length=10, choices=NotificationState.choices, default=NotificationState.PENDING
    )
    attempts = models.PositiveSmallIntegerField("essais", default=0)
    next_attempt_at = models.DateTimeField(
        "prochain essai", null=True, blank=True, default=timezone.now
    )
    last_error = models.TextField("dernière erreur", blank=True)
    created_at = models.DateTimeField("créé le", default=timezone.now, db_index=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)

    class Meta:
        verbose_name = "courriel"
        verbose_name_plural = "courriels"
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The sweep of the delivery job: due rows among the few not sent yet.
            models.Index(
                fields=["next_attempt_at"],
                name="notification_due_idx",
                condition=Q(state__in=DELIVERABLE_STATES),
            ),
            models.Index(fields=["state", "-created_at"], name="notification_state_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state=NotificationState.SENT, sent_at__isnull=False)
                | (~Q(state=NotificationState.SENT) & Q(sent_at__isnull=True)),
                name="notification_sent_at_iff_sent",
            ),
            models.CheckConstraint(
                condition=Q(state__in=DELIVERABLE_STATES, next_attempt_at__isnull=False)
                | (~Q(state__in=DELIVERABLE_STATES) & Q(next_attempt_at__isnull=True)),
                name="notification_next_attempt_iff_deliverable",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({self.get_state_display()}, {self.created_at:%d/%m/%Y})"

    @property
    def badge_class(self) -> str:
        """The DSFR badge of its state on the outbox page."""
        return {
            NotificationState.ABANDONED: "fr-badge--error",
            NotificationState.FAILED: "fr-badge--warning",
            NotificationState.SENT: "fr-badge--success",
        }.get(NotificationState(self.state), "fr-badge--info")

    @property
    def can_retry(self) -> bool:
        """« Renvoyer » applies to a message in échec or abandonné (outbox.notification_retry)."""
        return self.state in (NotificationState.FAILED, NotificationState.ABANDONED)


class NotificationAttachment(models.Model):
    """A file sent with a notification, stored as bytes so that a retry sends the very same
    message (the minutes' PDF, the letter of mission)."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="attachments"
    )
    position = models.PositiveSmallIntegerField("rang", default=0)
    filename = models.CharField("nom du fichier", max_length=255)
    content = models.BinaryField("contenu")
    mimetype = models.CharField("type", max_length=100)

    class Meta:
        verbose_name = "pièce jointe de courriel"
        verbose_name_plural = "pièces jointes de courriel"
        ordering = ["notification", "position"]

    def __str__(self) -> str:
        return self.filename
