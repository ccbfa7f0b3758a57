"""Sending e-mails once: the only way domain code sends mail.

``notify_once`` records a ``Notification`` under a unique key inside the caller's
transaction, then sends the message when that transaction commits. A second call with the
same key (another worker, a job run twice) finds the row and sends nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from .models import Notification


def absolute_url(path: str) -> str:
    """``/conventions/3/`` → ``http://relais.example/conventions/3/`` (settings.RELAIS_BASE_URL)."""
    return f"{settings.RELAIS_BASE_URL}{path}"


def notify_once(
    *,
    key: str,
    recipients: Iterable[str],
    subject: str,
    template: str | None = None,
    context: dict | None = None,
    body: str = "",
    about: str = "",
    attachments: Iterable[tuple[str, bytes, str]] = (),
) -> Notification | None:
    """Send one e-mail for the event ``key``, unless it was already sent.

    The body comes from ``template`` (a plain-text Django template) or ``body``. Returns the
    new journal row, or None when the event was already notified or has no recipient.
    """
    to = sorted({address.strip().lower() for address in recipients if address and address.strip()})
    if not to:
        return None
    if template:
        body = render_to_string(template, {**(context or {}), "base_url": settings.RELAIS_BASE_URL})
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                key=key[:200], subject=subject[:255], body=body, recipients=to, about=about
            )
    except IntegrityError:
        return None
    files = list(attachments)

    def send():
        message = EmailMessage(subject=subject, body=body, to=to)
        for name, content, mimetype in files:
            message.attach(name, content, mimetype)
        message.send()

    transaction.on_commit(send)
    return notification


def was_notified(key: str) -> bool:
    return Notification.objects.filter(key=key[:200]).exists()
