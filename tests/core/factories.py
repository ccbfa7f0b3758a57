"""Factories of the core app: messages of the outbox in each state."""

from datetime import timedelta

import factory
from django.utils import timezone

from relais.core.enums import NotificationState
from relais.core.models import Notification


class NotificationFactory(factory.django.DjangoModelFactory):
    """A message « en attente »; traits ``failed``, ``abandoned``, ``sent``."""

    class Meta:
        model = Notification

    key = factory.Sequence(lambda n: f"test:{n}")
    subject = factory.Sequence(lambda n: f"Courriel numéro {n}")
    body = "Bonjour."
    recipients = factory.LazyFunction(lambda: ["anne@example.org"])

    class Params:
        failed = factory.Trait(
            state=NotificationState.FAILED,
            attempts=2,
            last_error="Le serveur de courriel a refusé : 451 4.3.0 Try again later",
            next_attempt_at=factory.LazyFunction(lambda: timezone.now() + timedelta(minutes=2)),
        )
        abandoned = factory.Trait(
            state=NotificationState.ABANDONED,
            attempts=8,
            last_error="Le serveur de courriel a refusé les destinataires : x@example.org "
            "(550 5.1.1 Mailbox unavailable)",
            next_attempt_at=None,
        )
        sent = factory.Trait(
            state=NotificationState.SENT,
            attempts=1,
            sent_at=factory.LazyFunction(timezone.now),
            next_attempt_at=None,
        )
