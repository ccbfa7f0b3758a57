"""E-mail in tests: the outbox and a real SMTP server.

Domain code only writes messages in the outbox (``core.Notification``); the delivery job
sends them. A test that reads ``django.core.mail.outbox`` (the locmem backend of the test
settings) first delivers the outbox with ``deliver_outbox()``, which calls the real
delivery service.

``with smtp_server(settings) as server:`` runs aiosmtpd in a thread on a free loopback port
and points Django's SMTP backend at it: ``server.refuse = "550 …"`` makes it refuse the
messages, ``server.refused_recipients`` refuses some addresses, and ``started=False`` (or
``server.stop()``) leaves the port closed: connection refused.
"""

from __future__ import annotations

import asyncio
import email
import socket
from contextlib import contextmanager
from email.message import Message

from aiosmtpd.controller import Controller
from django.utils import timezone

from relais.core.outbox import SweepReport, deliver_due


def deliver_outbox(now=None) -> SweepReport:
    """Send what the outbox holds now, as the delivery job does."""
    return deliver_due(now=now or timezone.now())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    """A real SMTP server on 127.0.0.1 that keeps what it accepts in ``messages``."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.messages: list[Message] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse: str | None = None  # e.g. "550 5.7.1 Message refused"
        self.refused_recipients: set[str] = set()
        self.delay = 0.0  # seconds spent in DATA before answering
        self._controller: Controller | None = None

    # aiosmtpd handler hooks
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.lower() in self.refused_recipients:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.refuse:
            return self.refuse
        self.messages.append(email.message_from_bytes(envelope.content))
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"

    def start(self) -> SmtpServer:
        if self._controller is None:
            self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
            self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def configure(self, settings) -> None:
        """Point Django's SMTP backend at this server (``settings`` of pytest-django)."""
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = self.port
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 3


@contextmanager
def smtp_server(settings, *, started: bool = True):
    """A real SMTP server for the test (``settings`` is pytest-django's fixture)."""
    server = SmtpServer()
    server.configure(settings)
    if started:
        server.start()
    try:
        yield server
    finally:
        server.stop()
