"""One clock for Relais: the day and the time in Paris (``settings.TIME_ZONE``), whatever the
server's own time zone. Every « today » of the code comes from here or from
``django.utils.timezone.localdate()``, never from ``date.today()`` (the server's zone, which
is UTC on most hosts: from 23:00 or midnight Paris time, the wrong day). Tests freeze it with
time-machine."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone


def today() -> date:
    """Today's date in Paris."""
    return timezone.localdate()


def now() -> datetime:
    """The current time, aware, in Paris."""
    return timezone.localtime()
