"""The nightly computation of the national view's aggregates (``aggregates``), apart from
``aggregates`` itself because it counts through ``measures``, which reads ``aggregates``."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from . import measures
from .models import Aggregate

LEVELS = ("academie", "bassin", "school")
YEARS_BACK = 4  # the five-year trend of the national view


def aggregates_refresh(*, year: int, years_back: int = YEARS_BACK) -> int:
    """Compute every measure per territory for ``year`` and the ``years_back`` before it, at
    each level, and replace the stored rows (one transaction per level and year: a reader
    sees the old figures or the new ones, never half). Returns the rows written."""
    written = 0
    for each in range(year - years_back, year + 1):
        for level in LEVELS:
            values = measures.counts(level, each, live=True)
            rows = [
                Aggregate(level=level, school_year=each, key=key, territory_id=pk, value=value)
                for key, by_pk in values.items()
                for pk, value in by_pk.items()
                if value
            ]
            rows.append(
                Aggregate(
                    level=level,
                    school_year=each,
                    key=Aggregate.REFRESHED,
                    territory_id=0,
                    value=timezone.now().timestamp(),
                )  # fmt: skip
            )
            with transaction.atomic():
                Aggregate.objects.filter(level=level, school_year=each).delete()
                Aggregate.objects.bulk_create(rows, batch_size=5000)
            written += len(rows)
    return written
