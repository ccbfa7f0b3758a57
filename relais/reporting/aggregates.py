"""Aggregates of the national view (issue 11, performance): ``refresh.aggregates_refresh``
computes every measure of ``measures`` per territory for the recent school years and stores
them (``Aggregate``); ``stored`` reads them back in one query. ``measures.counts`` reads the
aggregates of a (level, year) when they were computed, and counts live otherwise (a year
never refreshed, a fresh database, the tests) — the figures are the same either way, as of
the last refresh.

The job ``reporting.aggregates_refresh`` runs every night before the open data snapshot
(which then reads them too); the pages say when the figures were computed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from .models import Aggregate


def stored(
    level: str, year: int, *, ids: list[int] | None, keys: Iterable[str] | None
) -> dict[str, dict[int, float]] | None:
    """The stored values {measure: {territory: value}} of ``level`` and ``year`` (restricted
    to ``ids`` and ``keys``), or None when that level and year were never computed. One
    query: the marker row comes with the values."""
    rows = Aggregate.objects.filter(level=level, school_year=year)
    if keys is not None:
        rows = rows.filter(key__in=[*keys, Aggregate.REFRESHED])
    if ids is not None:
        rows = rows.filter(territory_id__in=[*ids, 0])
    found = list(rows.values_list("key", "territory_id", "value"))
    if not any(key == Aggregate.REFRESHED for key, _pk, _value in found):
        return None
    result: dict[str, dict[int, float]] = {key: {} for key in keys} if keys is not None else {}
    for key, pk, value in found:
        if key != Aggregate.REFRESHED:
            result.setdefault(key, {})[pk] = value
    return result


def refreshed_at(level: str, year: int) -> datetime.datetime | None:
    """When the aggregates of ``level`` and ``year`` were computed (None: counted live)."""
    value = (
        Aggregate.objects.filter(level=level, school_year=year, key=Aggregate.REFRESHED)
        .values_list("value", flat=True)
        .first()
    )
    return None if value is None else datetime.datetime.fromtimestamp(value, tz=datetime.UTC)
