from django.db import models


class NotificationState(models.TextChoices):
    """Where an e-mail of the outbox stands (relais/core/outbox.py moves it)."""

    PENDING = "pending", "en attente"
    SENT = "sent", "envoyé"
    FAILED = "failed", "échec"
    ABANDONED = "abandoned", "abandonné"


# States the delivery job still works on.
DELIVERABLE_STATES = (NotificationState.PENDING, NotificationState.FAILED)


class Civility(models.TextChoices):
    """How a document names an adult (a signatory, a tutor): no « (e) » placeholder."""

    NONE = "", "—"
    MADAME = "Madame", "Madame"
    MONSIEUR = "Monsieur", "Monsieur"
