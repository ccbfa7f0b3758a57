"""The personal iCal feed's secret address (``CalendarFeed``)."""

from __future__ import annotations

import secrets

from django.db import transaction

from relais.users.models import User

from ..models import CalendarFeed


@transaction.atomic
def calendar_feed_renew(*, user: User) -> CalendarFeed:
    """Give ``user`` a new secret address for their iCal feed (the first one, or a new one
    that revokes the old: an address given away stops working)."""
    feed, _ = CalendarFeed.objects.update_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    return feed
