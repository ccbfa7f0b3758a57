"""The national feed (issue 11, item 3): the signatures, renewals, avenants and ends of the
national, régional and académie conventions of the last twelve months, with whether the
teams concerned were informed (``relais.agreements.information``). The national team sees
every one; an académie's team those concerning its académies (the national conventions,
its région's, its own)."""

from __future__ import annotations

import datetime

from django.shortcuts import render

from relais.agreements import information
from relais.core.clock import today

from .views_partners import _ids


def feed_view(request):
    ids = _ids(request)
    day = today()
    events = information.events(
        since=day - datetime.timedelta(days=information.FEED_DAYS), until=day, academie_ids=ids
    )[: information.FEED_LIMIT]
    informed = information.was_informed(events)
    return render(
        request,
        "national/feed.html",
        {
            "title": "Signatures, renouvellements et fins de conventions",
            "rows": [(event, informed.get(event.key)) for event in events],
            "limit": information.FEED_LIMIT,
            "days": information.FEED_DAYS,
        },
    )
