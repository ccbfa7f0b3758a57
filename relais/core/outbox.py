"""Delivery of the outbox: the e-mails written by ``notify_once`` leave here, in a job.

A request (or a scheduled job) never talks to the SMTP server: it writes a ``Notification``
in its own transaction and, once committed, defers ``core.deliver_email`` for it; a periodic
job (``core.deliver_due``, every minute) sweeps whatever is still due. Rules:

- each message is locked while it is sent (``SELECT … FOR UPDATE SKIP LOCKED``), and its
  state is checked again under the lock, so two workers never send it twice;
- a failure (the server refuses, is down, does not answer within ``EMAIL_TIMEOUT``) is
  recorded in French on the row, which is tried again later: 1 min, 2, 4… (capped at 6 h);
  after ``RELAIS_EMAIL_MAX_ATTEMPTS`` tries (8 by default) it is abandoned, until someone
  clicks « Renvoyer » (``notification_retry``);
- a failing message never blocks the next ones.

Delivery is at least once: if the process dies between the server's « 250 OK » and the
commit of « envoyé », the message is sent again at the next sweep.
"""

from __future__ import annotations

import logging
import smtplib
import socket
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone
from procrastinate.contrib.django import app

from .enums import DELIVERABLE_STATES, NotificationState
from .models import Notification

logger = logging.getLogger(__name__)

DELIVER_EMAIL_TASK = "core.deliver_email"
BACKOFF_FIRST = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=6)
DEFAULT_MAX_ATTEMPTS = 8
DEFAULT_TIMEOUT_SECONDS = 10
# Rows one sweep looks at; the next sweep, a minute later, takes the rest.
SWEEP_BATCH = 200
ERROR_MAX_LENGTH = 2000


def max_attempts() -> int:
    """Tries before a message is abandoned (setting RELAIS_EMAIL_MAX_ATTEMPTS, default 8)."""
    return max(1, int(getattr(settings, "RELAIS_EMAIL_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS)))


def smtp_timeout() -> float:
    """Seconds the SMTP server has to answer (setting EMAIL_TIMEOUT, 10 s when unset)."""
    return float(getattr(settings, "EMAIL_TIMEOUT", None) or DEFAULT_TIMEOUT_SECONDS)


def backoff(attempts: int) -> timedelta:
    """The wait after ``attempts`` failed tries: 1 min, 2, 4, 8… never more than 6 h."""
    wait: timedelta = BACKOFF_FIRST * 2 ** min(max(attempts - 1, 0), 20)
    return min(wait, BACKOFF_CAP)


def schedule_delivery(notification_id: int) -> None:
    """Once the caller's transaction commits, defer the job that sends this message.

    If the job cannot be deferred (queue unavailable), the error is logged and the request
    goes on: the message stays « en attente » and the minute sweep sends it.
    """

    def defer() -> None:
        # By the job's name (declared in tasks.py, which imports this module): no import cycle.
        app.configure_task(DELIVER_EMAIL_TASK, queue="emails").defer(
            notification_id=notification_id
        )

    transaction.on_commit(defer, robust=True)


# --- errors --------------------------------------------------------------------------------


def _smtp_text(code: int, message: bytes | str) -> str:
    if isinstance(message, bytes):
        message = message.decode("utf-8", errors="replace")
    return f"{code} {message}".strip()


def describe_error(error: BaseException) -> str:  # noqa: C901, PLR0911 - one answer per kind
    """The failure, in French, as the journal and the staff page show it."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        refused = "; ".join(
            f"{address} ({_smtp_text(code, message)})"
            for address, (code, message) in error.recipients.items()
        )
        return f"Le serveur de courriel a refusé les destinataires : {refused}"
    if isinstance(error, smtplib.SMTPSenderRefused):
        return (
            f"Le serveur de courriel a refusé l'expéditeur {error.sender} : "
            f"{_smtp_text(error.smtp_code, error.smtp_error)}"
        )
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return (
            "Le serveur de courriel a refusé l'identification de Relais : "
            f"{_smtp_text(error.smtp_code, error.smtp_error)}"
        )
    if isinstance(error, smtplib.SMTPResponseException):
        return f"Le serveur de courriel a refusé : {_smtp_text(error.smtp_code, error.smtp_error)}"
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return f"Le serveur de courriel a coupé la connexion ({error or 'sans explication'})."
    if isinstance(error, smtplib.SMTPException):
        return f"Erreur du serveur de courriel : {error}"
    if isinstance(error, TimeoutError):
        return f"Le serveur de courriel n'a pas répondu dans le délai de {smtp_timeout():g} s."
    if isinstance(error, ConnectionRefusedError):
        return "Connexion refusée : aucun serveur de courriel n'écoute à l'adresse configurée."
    if isinstance(error, socket.gaierror):
        return f"Serveur de courriel introuvable ({settings.EMAIL_HOST}) : {error.strerror}"
    if isinstance(error, ssl.SSLError):
        return f"Échec du chiffrement TLS avec le serveur de courriel : {error}"
    if isinstance(error, OSError):
        return f"Connexion au serveur de courriel impossible : {error.strerror or error}"
    return f"Erreur inattendue à l'envoi ({type(error).__name__}) : {error}"


def _server_unreachable(error: BaseException) -> bool:
    """A network failure (not an answer of the server about this message): the next messages
    would fail the same way."""
    answered = (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused)
    return isinstance(error, OSError) and not isinstance(error, answered)


# --- delivery ------------------------------------------------------------------------------


@dataclass
class Outcome:
    state: str | None  # the new state, None when nothing was done
    error: BaseException | None = None


def _message(notification: Notification) -> EmailMessage:
    message = EmailMessage(
        subject=notification.subject, body=notification.body, to=list(notification.recipients)
    )
    for attachment in notification.attachments.all():
        message.attach(attachment.filename, bytes(attachment.content), attachment.mimetype)
    return message


def _record_failure(notification: Notification, error: BaseException, now: datetime) -> None:
    notification.attempts += 1
    notification.last_error = describe_error(error)[:ERROR_MAX_LENGTH]
    if notification.attempts >= max_attempts():
        notification.state = NotificationState.ABANDONED
        notification.next_attempt_at = None
    else:
        notification.state = NotificationState.FAILED
        notification.next_attempt_at = now + backoff(notification.attempts)
    notification.save(update_fields=["attempts", "last_error", "state", "next_attempt_at"])
    logger.warning(
        "Courriel %s (%s) non envoyé, essai %s : %s",
        notification.pk,
        notification.key,
        notification.attempts,
        notification.last_error,
    )


def _deliver(notification_id: int, now: datetime) -> Outcome:
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id, state__in=DELIVERABLE_STATES, next_attempt_at__lte=now)
            .first()
        )
        if notification is None:
            return Outcome(None)
        message = _message(notification)
        try:
            message.connection = get_connection(fail_silently=False, timeout=smtp_timeout())
            message.send()
        except Exception as error:  # noqa: BLE001 - recorded on the row, never lost
            _record_failure(notification, error, now)
            return Outcome(notification.state, error)
        notification.attempts += 1
        notification.state = NotificationState.SENT
        notification.sent_at = now
        notification.next_attempt_at = None
        notification.last_error = ""
        notification.save(
            update_fields=["attempts", "state", "sent_at", "next_attempt_at", "last_error"]
        )
        return Outcome(notification.state)


def deliver(notification_id: int, *, now: datetime | None = None) -> str | None:
    """Send one message of the outbox if it is due (« en attente », or « échec » whose next try
    has come). Returns its new state, or None when there was nothing to do: already sent,
    abandoned, not due yet, unknown, or being sent by another worker right now."""
    return _deliver(notification_id, now or timezone.now()).state


@dataclass
class SweepReport:
    sent: int = 0
    failed: int = 0
    abandoned: int = 0
    # Left for the next sweep: the server could not be reached, or the row was busy.
    postponed: int = 0

    def __str__(self) -> str:
        return (
            f"{self.sent} courriel(s) envoyé(s), {self.failed} en échec, "
            f"{self.abandoned} abandonné(s), {self.postponed} reporté(s)."
        )


def deliver_due(*, now: datetime | None = None, limit: int = SWEEP_BATCH) -> SweepReport:
    """Send every message whose time has come, oldest due first, each on its own.

    A message the server refuses is recorded and the sweep goes on with the next one. When
    the server cannot be reached at all, the sweep stops there (the next ones would wait for
    the same timeout in vain) without counting a try against them: the next sweep retries.
    """
    now = now or timezone.now()
    due = list(
        Notification.objects.filter(state__in=DELIVERABLE_STATES, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    report = SweepReport()
    for position, pk in enumerate(due):
        try:
            outcome = _deliver(pk, now)
        except Exception:  # noqa: BLE001 - one broken row must not stop the others
            logger.exception("Courriel %s : la remise a échoué, il sera repris.", pk)
            report.postponed += 1
            continue
        if outcome.state == NotificationState.SENT:
            report.sent += 1
        elif outcome.state == NotificationState.FAILED:
            report.failed += 1
        elif outcome.state == NotificationState.ABANDONED:
            report.abandoned += 1
        else:
            report.postponed += 1
        if outcome.error is not None and _server_unreachable(outcome.error):
            report.postponed += len(due) - position - 1
            break
    return report


def notification_retry(*, notification: Notification, now: datetime | None = None) -> Notification:
    """« Renvoyer » : a message in « échec » or « abandonné » goes back to « en attente » for
    a new series of tries, starting now. A message already sent is never sent again."""
    with transaction.atomic():
        locked = Notification.objects.select_for_update().get(pk=notification.pk)
        if locked.state == NotificationState.SENT:
            raise ValidationError("Ce courriel a déjà été envoyé : il ne sera pas renvoyé.")
        if locked.state == NotificationState.PENDING:
            raise ValidationError("Ce courriel est déjà en attente d'envoi.")
        locked.state = NotificationState.PENDING
        locked.attempts = 0
        locked.next_attempt_at = now or timezone.now()
        locked.save(update_fields=["state", "attempts", "next_attempt_at"])
        schedule_delivery(locked.pk)
    return locked
