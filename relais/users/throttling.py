"""Login slow-down for one account across addresses.

django-axes locks an account for 15 minutes after 5 failures **from one address**. An
attacker who spreads guesses over many addresses is not stopped by that rule, and locking
the account itself would let anyone lock a colleague out. So, past
``RELAIS_LOGIN_ACCOUNT_SLOWDOWN_AFTER`` failures for one account in the cool-off window,
whatever their addresses, each further try must wait twice as long as the previous one
(1 s, 2 s, 4 s… at most the cool-off): a password can no longer be guessed, while the owner
still gets in after a short wait. A refused try checks no password.
"""

from __future__ import annotations

from datetime import timedelta

from axes.models import AccessFailureLog
from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone


def seconds_to_wait(username: str, *, now=None) -> int:
    """How many seconds this account must still wait before a new try (0: it may try)."""
    if not username:
        return 0
    now = now or timezone.now()
    cooloff: timedelta = settings.AXES_COOLOFF_TIME
    threshold = settings.RELAIS_LOGIN_ACCOUNT_SLOWDOWN_AFTER
    recent = AccessFailureLog.objects.filter(
        username__iexact=username.strip(), attempt_time__gte=now - cooloff
    ).aggregate(failures=Count("id"), last=Max("attempt_time"))
    excess = recent["failures"] - threshold
    if excess < 0:
        return 0
    delay = min(2**excess, int(cooloff.total_seconds()))
    remaining = (recent["last"] + timedelta(seconds=delay) - now).total_seconds()
    return max(0, int(remaining + 0.999))
