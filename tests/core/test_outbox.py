"""The outbox: messages written with the change that causes them, delivered later by a job,
against a real SMTP server (aiosmtpd) that refuses, is down, then accepts."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from relais.core.enums import NotificationState
from relais.core.models import Notification
from relais.core.notifications import notify_once
from relais.core.outbox import backoff, deliver, deliver_due, notification_retry
from tests.mail import deliver_outbox, free_port, smtp_server

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 minutes \x00\xff"


def _notify(key="test:1", to=("anne@example.org",), **extra):
    return notify_once(key=key, recipients=to, subject=f"Objet {key}", body="Bonjour.", **extra)


def test_backoff_doubles_from_one_minute_and_stops_at_six_hours():
    minutes = [backoff(n) / timedelta(minutes=1) for n in range(1, 12)]
    assert minutes[:6] == [1, 2, 4, 8, 16, 32]
    assert max(minutes) == 360 and backoff(10_000) == timedelta(hours=6)


def test_a_message_is_written_pending_with_its_attachments_and_sent_by_delivery():
    with transaction.atomic():
        notification = _notify(attachments=[("cr.pdf", PDF, "application/pdf")])
    assert mail.outbox == []  # nothing leaves inside the request
    notification.refresh_from_db()
    assert notification.state == NotificationState.PENDING and notification.attempts == 0
    assert notification.sent_at is None and notification.next_attempt_at is not None
    assert bytes(notification.attachments.get().content) == PDF
    assert _notify() is None  # the same event is written once

    report = deliver_outbox()
    assert (report.sent, report.failed) == (1, 0)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["anne@example.org"]
    assert mail.outbox[0].attachments == [("cr.pdf", PDF, "application/pdf")]
    notification.refresh_from_db()
    assert notification.state == NotificationState.SENT and notification.sent_at is not None
    assert notification.attempts == 1 and notification.next_attempt_at is None
    assert deliver(notification.pk) is None and deliver_outbox().sent == 0
    assert len(mail.outbox) == 1  # sent once


def test_refused_then_accepted_after_the_backoff(settings):
    with smtp_server(settings) as server:
        server.refuse = "451 4.3.0 Try again later"
        notification = _notify(attachments=[("cr.pdf", PDF, "application/pdf")])
        start = timezone.now()
        assert deliver_due(now=start).failed == 1
        notification.refresh_from_db()
        assert notification.state == NotificationState.FAILED and notification.attempts == 1
        assert (
            notification.last_error == "Le serveur de courriel a refusé : 451 4.3.0 Try again later"
        )
        assert notification.next_attempt_at == start + timedelta(minutes=1)
        assert deliver_due().sent == 0  # not due yet: nothing is tried

        server.refuse = None
        with time_machine.travel(timezone.now() + timedelta(minutes=2)):
            report = deliver_due()
            assert (report.sent, deliver_due().sent) == (1, 0)
        assert len(server.messages) == 1  # exactly once
        message = server.messages[0]
        assert message["Subject"] == "Objet test:1" and message["To"] == "anne@example.org"
        attachment = next(part for part in message.walk() if part.get_filename() == "cr.pdf")
        assert attachment.get_payload(decode=True) == PDF  # the same message as the first try
        notification.refresh_from_db()
        assert notification.state == NotificationState.SENT and notification.attempts == 2
        assert notification.last_error == ""


def test_server_down_then_up(settings):
    with smtp_server(settings, started=False) as server:
        notification = _notify()
        assert deliver(notification.pk) == NotificationState.FAILED
        notification.refresh_from_db()
        assert notification.last_error.startswith("Connexion refusée")
        assert notification.attempts == 1 and notification.next_attempt_at > timezone.now()
        server.start()
        assert deliver(notification.pk) is None  # its next try has not come
        assert deliver(notification.pk, now=timezone.now() + timedelta(minutes=1)) == "sent"
        assert [envelope[1] for envelope in server.envelopes] == [["anne@example.org"]]


def test_a_refused_message_does_not_stop_the_next_one(settings):
    with smtp_server(settings) as server:
        server.refused_recipients = {"inconnu@example.org"}
        refused = _notify("test:refused", to=["inconnu@example.org"])
        fine = _notify("test:fine", to=["anne@example.org"])
        report = deliver_due()
        assert (report.sent, report.failed) == (1, 1)
        refused.refresh_from_db()
        fine.refresh_from_db()
        assert refused.state == NotificationState.FAILED
        assert refused.last_error == (
            "Le serveur de courriel a refusé les destinataires : "
            "inconnu@example.org (550 5.1.1 Mailbox unavailable)"
        )
        assert fine.state == NotificationState.SENT
        assert len(server.messages) == 1


def test_an_unreachable_server_does_not_use_up_the_tries_of_the_others(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens
    first, second, third = (_notify(f"test:{n}") for n in range(3))
    report = deliver_due()
    assert (report.failed, report.postponed) == (1, 2)
    states = dict(Notification.objects.values_list("pk", "attempts"))
    assert states == {first.pk: 1, second.pk: 0, third.pk: 0}
    # The next sweep starts with the messages not tried yet.
    deliver_due(now=timezone.now() + timedelta(seconds=1))
    assert Notification.objects.get(pk=second.pk).attempts == 1


def test_abandoned_after_the_maximum_then_sent_again_on_request(settings):
    settings.RELAIS_EMAIL_MAX_ATTEMPTS = 3
    with smtp_server(settings) as server:
        server.refuse = "550 5.7.1 Message refused"
        notification = _notify()
        now = timezone.now()
        for expected in ("failed", "failed", "abandoned"):
            assert deliver(notification.pk, now=now) == expected
            now += timedelta(hours=7)
        notification.refresh_from_db()
        assert notification.state == NotificationState.ABANDONED and notification.attempts == 3
        assert notification.next_attempt_at is None
        assert "550 5.7.1 Message refused" in notification.last_error
        assert deliver_due(now=now + timedelta(days=30)).sent == 0  # never tried again alone

        server.refuse = None
        with pytest.raises(ValidationError, match="déjà en attente"):
            notification_retry(notification=notification_retry(notification=notification))
        notification.refresh_from_db()
        assert notification.state == NotificationState.PENDING and notification.attempts == 0
        assert deliver_outbox().sent == 1 and len(server.messages) == 1
        with pytest.raises(ValidationError, match="déjà été envoyé"):
            notification_retry(notification=notification)


def test_without_recipient_nothing_is_written():
    assert _notify(to=["", "  "]) is None
    assert not Notification.objects.exists()
