"""Sending e-mails once: the only way domain code sends mail.

``notify_once`` writes the message in the outbox (a ``Notification`` under a unique key,
with its attachments) inside the caller's transaction: the message exists if and only if
the change that causes it is committed. It is sent later by a background job
(relais/core/outbox.py), never inside the request, so a failing SMTP server neither breaks
the request nor loses the message. A second call with the same key (another worker, a job
run twice) finds the row and writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template import Context
from django.template.backends.django import Template as DjangoTemplate
from django.template.loader import get_template

from .models import Notification, NotificationAttachment
from .outbox import schedule_delivery


def absolute_url(path: str) -> str:
    """``/conventions/3/`` → ``http://relais.example/conventions/3/`` (settings.RELAIS_BASE_URL)."""
    return f"{settings.RELAIS_BASE_URL}{path}"


def render_plain(template: str, context: dict[str, Any]) -> str:
    """A plain-text e-mail's body, without HTML escaping: « l'atelier » stays « l'atelier »,
    not « l&#x27;atelier », whether or not the template says ``{% autoescape off %}``."""
    loaded = get_template(template)
    assert isinstance(loaded, DjangoTemplate)  # the project's one engine (settings.TEMPLATES)
    return loaded.template.render(Context(context, autoescape=False))


def notify_once(
    *,
    key: str,
    recipients: Iterable[str],
    subject: str,
    template: str | None = None,
    context: dict[str, Any] | None = None,
    body: str = "",
    about: str = "",
    attachments: Iterable[tuple[str, bytes, str]] = (),
) -> Notification | None:
    """Write one e-mail for the event ``key`` in the outbox, unless it was already written.

    The body comes from ``template`` (a plain-text Django template) or ``body``. The message
    is « en attente » until the delivery job sends it, after the caller's transaction
    commits. Returns the new row, or None when the event was already notified or has no
    recipient.
    """
    to = sorted({address.strip().lower() for address in recipients if address and address.strip()})
    if not to:
        return None
    if template:
        body = render_plain(template, {**(context or {}), "base_url": settings.RELAIS_BASE_URL})
    files = list(attachments)
    with transaction.atomic():
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    key=key[:200], subject=subject[:255], body=body, recipients=to, about=about
                )
        except IntegrityError:
            return None
        NotificationAttachment.objects.bulk_create(
            NotificationAttachment(
                notification=notification,
                position=position,
                filename=name,
                content=content.encode() if isinstance(content, str) else bytes(content),
                mimetype=mimetype or "application/octet-stream",
            )
            for position, (name, content, mimetype) in enumerate(files)
        )
        schedule_delivery(notification.pk)
    return notification


def was_notified(key: str) -> bool:
    return Notification.objects.filter(key=key[:200]).exists()
