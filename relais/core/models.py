from django.conf import settings
from django.db import models


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
    """Every e-mail Relais sends, kept as a journal and as a lock.

    ``key`` names the event (« convention 12, fin de période du 2027-08-31, alerte J-30 »):
    a unique constraint makes each notification go out once, even when two workers or two
    runs of a scheduled job race for it.
    """

    key = models.CharField("clé", max_length=200, unique=True)
    subject = models.CharField("objet", max_length=255)
    body = models.TextField("texte")
    recipients = models.JSONField("destinataires", default=list)
    sent_at = models.DateTimeField("envoyé le", auto_now_add=True)
    # What the notification is about, for its history page ("agreements.agreement:12").
    about = models.CharField("objet concerné", max_length=100, blank=True, db_index=True)

    class Meta:
        verbose_name = "courriel envoyé"
        verbose_name_plural = "courriels envoyés"
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.subject} ({self.sent_at:%d/%m/%Y})"
